//! The secretariat's pages: registers, the registration screen, an item, a year's
//! register. Handlers extract, call `registration` and the repositories, and shape.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use chrono::{DateTime, Utc};
use ordo_db::{ItemRecord, LinkKind};
use ordo_domain::{
    ItemStatus, Locale, TimeZone, Vocabulary,
    permissions::{Action, may_see},
    registration_year,
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, Page};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{amend::refusal_message, api::RegisterFilter, registration::visible_item};

/// A moment as the administration's people read it: 21/11/2026 10:42.
pub fn local_time(at: DateTime<Utc>, zone: TimeZone) -> String {
    at.with_timezone(&zone.tz())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

#[derive(Debug, Serialize)]
struct RegisterView {
    id: Uuid,
    code: String,
    name: String,
    unit: String,
    direction: &'static str,
    /// The last number given this year, or else the first to come.
    number: String,
    numbered_this_year: bool,
    years: Vec<i32>,
}

pub(crate) async fn registers(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Page, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let units: HashMap<Uuid, String> = tx
        .units()
        .list()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.get(frame.locale).to_owned()))
        .collect();
    let mut views = Vec::new();
    let this_year = registration_year(state.clock.now(), current.tenant.time_zone);
    let numbering = tx.registers().numbering().await?;
    for register in tx.registration_settings().await?.registers.iter().cloned() {
        let numbered: Vec<_> = numbering
            .iter()
            .filter(|year| year.register_id == register.id)
            .collect();
        // What the secretariat checks its stamps against: the last number given this
        // year, or the first one to come.
        let last = numbered
            .iter()
            .find(|year| year.year == this_year)
            .map(|year| year.last_sequence);
        views.push(RegisterView {
            number: register.number_format.format(this_year, last.unwrap_or(1)),
            numbered_this_year: last.is_some(),
            years: numbered.iter().map(|year| year.year).collect(),
            id: register.id,
            name: register.name.get(frame.locale).to_owned(),
            unit: units.get(&register.unit_id).cloned().unwrap_or_default(),
            direction: register.direction.code(),
            code: register.code,
        });
    }
    tx.commit().await?;
    let context = minijinja::context! {
        registers => views,
        can_register => current.may(Action::RegisterMail),
    };
    frame
        .for_user(&current)
        .render(&state, "registers.html", "registers-title", context)
}

#[derive(Debug, Serialize)]
struct DocumentView {
    id: Uuid,
    role: &'static str,
    file_name: String,
    media_type: String,
    size: String,
    sha256: String,
}

pub use ordo_web::i18n::human_size;

#[derive(Debug, Serialize)]
struct ItemView {
    id: Uuid,
    register_id: Uuid,
    number: String,
    year: i32,
    status: &'static str,
    version: u32,
    subject: String,
    sender: String,
    recipient: String,
    letter_date: Option<String>,
    received_at: String,
    nature: String,
    channel: &'static str,
    priority: String,
    confidentiality: &'static str,
    keywords: String,
    paper_location: String,
    registered_at: String,
    due_on: Option<String>,
    cancel_reason: Option<String>,
}

/// A term's name in the reader's language; its code when the list no longer has it.
fn term_name(terms: &[ordo_domain::Term], code: &str, locale: Locale) -> String {
    terms
        .iter()
        .find(|t| t.code == code)
        .map_or_else(|| code.to_owned(), |t| t.name.get(locale).to_owned())
}

fn item_view(
    item: ItemRecord,
    zone: TimeZone,
    vocabulary: &Vocabulary,
    locale: Locale,
) -> ItemView {
    let c = item.content;
    ItemView {
        id: item.id,
        register_id: item.register_id,
        number: item.number.unwrap_or_default(),
        year: item.year.unwrap_or_default(),
        status: item.status.code(),
        version: item.version,
        subject: c.subject,
        sender: c.sender,
        recipient: c.recipient,
        letter_date: c.letter_date.map(|d| d.format("%d/%m/%Y").to_string()),
        received_at: local_time(item.received_at, zone),
        nature: term_name(&vocabulary.natures, &c.nature, locale),
        channel: c.channel.code(),
        priority: term_name(&vocabulary.priorities, &c.priority, locale),
        confidentiality: c.confidentiality.code(),
        keywords: c.keywords,
        paper_location: c.paper_location,
        registered_at: item
            .registered_at
            .map(|at| local_time(at, zone))
            .unwrap_or_default(),
        due_on: item.due_on.map(|d| d.format("%d/%m/%Y").to_string()),
        cancel_reason: item.cancel_reason,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ItemQuery {
    enregistre: Option<String>,
    corrige: Option<String>,
    refus: Option<String>,
    motif: Option<String>,
    reponse: Option<String>,
    accuse: Option<String>,
}

#[derive(Debug, Serialize)]
struct VersionView {
    version: u32,
    at: String,
    reason: Option<String>,
    author: String,
    changes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct LinkView {
    /// `replies_to`, `replied_by`…: the catalog key's end.
    label: String,
    id: Uuid,
    number: String,
    subject: String,
}

#[derive(Debug, Serialize)]
struct TimelineEntry {
    at: String,
    iso: String,
    action: String,
    actor: String,
}

/// Who did something, as a person reads it in a timeline: a colleague by name, a
/// citizen by e-mail, another administration by its code, Ordo's own tasks as such.
/// The journal keeps the stable code (`user:<login>`), which a renamed person or a
/// deleted account does not change.
fn actor_name(actor: &str, names: &HashMap<&str, &str>, locale: Locale) -> String {
    match actor.split_once(':') {
        Some(("user", login)) => names.get(login).unwrap_or(&login).to_string(),
        Some(("filer" | "exchange" | "operator", who)) => who.to_owned(),
        _ if actor == "system" || actor.starts_with("system:") => {
            ordo_web::i18n::tr(locale, "actor-system")
        }
        _ => actor.to_owned(),
    }
}

/// An item's page. Every view is written in the journal: who opened what, when.
pub(crate) async fn item(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    Query(query): Query<ItemQuery>,
    ClientAddress(origin): ClientAddress,
) -> Result<Page, AppError> {
    let zone = current.tenant.time_zone;
    let locale = frame.locale;
    // The view is journaled first, in a short writing transaction of its own (on
    // SQLite it holds the writers' turn, so it does only what must be written); the
    // page is then read in a reading transaction, which sees the view it records.
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let details = serde_json::json!({ "number": item.number });
    tx.journal()
        .append(
            current.item_event("item.viewed", item.id, details, origin),
            state.clock.now(),
        )
        .await?;
    // Mail that came through the exchange, opened here: its sender may be told.
    ordo_exchange::arrival::on_read(&tx, &current, &item, state.clock.now()).await?;
    tx.commit().await?;

    // The item as the turn found it visible: not read a second time.
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let settings = tx.registration_settings().await?;
    let register = settings
        .register(item.register_id)
        .ok_or_else(AppError::not_found)?;
    let vocabulary = &settings.vocabulary;
    let documents: Vec<DocumentView> = tx
        .documents()
        .for_item(item.id)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            role: d.role.code(),
            size: human_size(d.size, locale),
            file_name: d.file_name,
            media_type: d.media_type,
            sha256: d.sha256,
        })
        .collect();
    let people = tx.users().list().await?;
    let names: HashMap<&str, &str> = people
        .iter()
        .map(|u| (u.login.as_str(), u.display_name.as_str()))
        .collect();
    let timeline: Vec<TimelineEntry> = tx
        .journal()
        .entries_about(&format!("item:{}", item.id))
        .await?
        .into_iter()
        .map(|e| TimelineEntry {
            at: local_time(e.at, zone),
            iso: e.at.to_rfc3339(),
            actor: actor_name(&e.actor, &names, locale),
            action: e.action,
        })
        .collect();
    let users: HashMap<Uuid, String> = people
        .iter()
        .map(|u| (u.id, u.display_name.clone()))
        .collect();
    let mut previous: Option<serde_json::Value> = None;
    let mut versions = Vec::new();
    for v in tx.items().versions(item.id).await? {
        let changes = match (&previous, v.fields.as_object()) {
            (Some(before), Some(after)) => after
                .iter()
                .filter(|(field, value)| {
                    before.get(field.as_str()) != Some(*value) && !field.ends_with("_id")
                })
                .map(|(field, value)| {
                    let shown = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    format!(
                        "{}\u{a0}: {}",
                        ordo_web::i18n::tr(locale, &format!("field-{}", field.replace('_', "-"))),
                        shown
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        previous = Some(v.fields.clone());
        versions.push(VersionView {
            version: v.version,
            at: local_time(v.at, zone),
            reason: v.reason,
            author: users.get(&v.author_id).cloned().unwrap_or_default(),
            changes,
        });
    }
    let mut links = Vec::new();
    for link in tx.items().links(item.id).await? {
        let Some(other) = tx
            .items()
            .find(link.other)
            .await?
            .filter(|o| may_see(&current.user.roles, o.confidentiality()))
        else {
            continue;
        };
        let label = match (link.kind, link.outgoing) {
            (kind, true) => kind.code().to_owned(),
            (LinkKind::RepliesTo, false) => "replied_by".to_owned(),
            (LinkKind::FollowsUp, false) => "followed_by".to_owned(),
            (LinkKind::DuplicateOf, false) => "duplicated_by".to_owned(),
        };
        links.push(LinkView {
            label,
            id: other.id,
            number: other.number.unwrap_or_default(),
            subject: other.content.subject,
        });
    }
    let panel = crate::item_panel::panel(&tx, &current, &item, &people, locale, zone).await?;
    let portal = crate::acknowledgment::portal_panel(&state, &tx, &current, &item).await?;
    let exchange =
        ordo_exchange::pages::panel(&state, &tx, &current, &item, register.direction, locale)
            .await?;
    tx.commit().await?;
    let status = item.status;
    // The browser's tab names the item: its number, or that it is a draft.
    let title = item
        .number
        .clone()
        .unwrap_or_else(|| ordo_web::i18n::tr(locale, "item-draft-title"));
    let refusal = match (&query.refus, &query.motif) {
        (Some(field), Some(reason)) => refusal_message(locale, field, reason),
        _ => None,
    };
    let context = minijinja::context! {
        item => item_view(item, zone, vocabulary, locale),
        register_name => register.name.get(locale),
        timeline => timeline,
        documents => documents,
        versions => versions,
        links => links,
        link_kinds => LinkKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
        just_registered => query.enregistre.is_some(),
        just_corrected => query.corrige.is_some(),
        refusal => refusal,
        can_register => current.may(Action::RegisterMail),
        can_amend => current.may(Action::AmendRegistration) && status == ItemStatus::Registered,
        is_draft => status == ItemStatus::Draft,
        reply_drafted => query.reponse.is_some(),
        panel => panel,
        portal => portal,
        show_exchange => !exchange.is_empty(),
        exchange => exchange,
        acknowledgment_sent => query.accuse.is_some(),
    };
    frame
        .for_user(&current)
        .render_titled(&state, "item.html", &title, context)
}

/// How many items a year's register page shows; narrower searches find the rest.
const YEAR_PAGE: u64 = 500;

pub(crate) async fn register_year(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path((register, year)): Path<(Uuid, i32)>,
    Query(filter): Query<RegisterFilter>,
) -> Result<Page, AppError> {
    current.require(Action::ViewRegister)?;
    let zone = current.tenant.time_zone;
    let locale: Locale = frame.locale;
    let item_filter = filter.to_filter()?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let settings = tx.registration_settings().await?;
    let register = settings
        .register(register)
        .ok_or_else(AppError::not_found)?;
    let vocabulary = &settings.vocabulary;
    let items: Vec<ItemView> = tx
        .items()
        .list_for_year(register.id, year, &item_filter, Some(YEAR_PAGE))
        .await?
        .into_iter()
        .filter(|item| may_see(&current.user.roles, item.confidentiality()))
        .map(|item| item_view(item, zone, vocabulary, locale))
        .collect();
    let years: Vec<i32> = tx
        .registers()
        .numbering()
        .await?
        .into_iter()
        .filter(|year| year.register_id == register.id)
        .map(|year| year.year)
        .collect();
    tx.commit().await?;
    let query = serde_urlencoded::to_string([
        ("q", filter.q.clone().unwrap_or_default()),
        ("status", filter.status.clone().unwrap_or_default()),
        ("nature", filter.nature.clone().unwrap_or_default()),
    ])
    .map_err(AppError::internal)?;
    let natures: Vec<(String, String)> = vocabulary
        .natures
        .iter()
        .map(|t| (t.code.clone(), t.name.get(locale).to_owned()))
        .collect();
    // Named as its heading is: a secretariat keeps several registers open in tabs.
    let title = format!("{} · {year}", register.name.get(locale));
    let context = minijinja::context! {
        register_id => register.id,
        register_name => register.name.get(locale),
        year => year,
        years => years,
        items => items,
        filter => minijinja::context! {
            q => filter.q.unwrap_or_default(),
            status => filter.status.unwrap_or_default(),
            nature => filter.nature.unwrap_or_default(),
        },
        filter_query => query,
        natures => natures,
        limit => YEAR_PAGE,
    };
    frame
        .for_user(&current)
        .render_titled(&state, "register_year.html", &title, context)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use ordo_domain::Locale;

    use super::actor_name;

    #[test]
    fn a_timeline_names_people_not_codes() {
        let names = HashMap::from([("secretariat", "Ibrahima Sow")]);
        let name = |actor| actor_name(actor, &names, Locale::Fr);
        assert_eq!(name("user:secretariat"), "Ibrahima Sow");
        // An account since deleted keeps its login.
        assert_eq!(name("user:parti"), "parti");
        assert_eq!(name("filer:awa@example.org"), "awa@example.org");
        assert_eq!(name("exchange:MEF"), "MEF");
        assert_eq!(name("system:deadlines"), "Ordo (traitement automatique)");
        assert_eq!(
            actor_name("system", &names, Locale::Ar),
            "أوردو (معالجة آلية)"
        );
        assert_eq!(name("cli"), "cli");
    }
}
