//! Following a filing, downloading the reply handed over through the portal, and
//! checking an acknowledgment. Every lookup counts against the client address's
//! limit; a wrong code and a wrong e-mail get the same answer, so nothing tells a
//! guesser which half was right.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::{FilingRecord, JournalEvent, TenantRecord, TenantTx};
use ordo_domain::{
    ItemStatus, Locale,
    dispatch::{DispatchStatus, Purpose, Target},
    portal::{FilingFacts, Milestone, PublicCode, milestones},
};
use ordo_registry::{
    acknowledgment::{acknowledged, registered_replies},
    pages::{human_size, local_time},
};
use ordo_web::{AppError, AppState, ClientAddress, Frame, csrf::CsrfForm, i18n::tr};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{found_or_not, portal_of, portal_page, within_limit};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CodeQuery {
    #[serde(default)]
    code: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TrackForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    email: String,
}

async fn render_tracking(
    state: &AppState,
    frame: &Frame,
    tenant: &TenantRecord,
    form: &TrackForm,
    not_found: bool,
    found: Option<minijinja::Value>,
) -> Result<Response, AppError> {
    let context = minijinja::context! {
        code => form.code,
        email => form.email,
        not_found => not_found,
        found => found,
    };
    portal_page(
        state,
        frame,
        tenant,
        ("portal_track.html", "portal-track-title"),
        found_or_not(not_found),
        context,
    )
    .await
}

/// `GET /depot/{CODE}/suivi?code=…`: the form, with the code from the e-mail's link.
pub(crate) async fn tracking_form(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    let form = TrackForm {
        code: query.code,
        email: String::new(),
    };
    render_tracking(&state, &frame, &tenant, &form, false, None).await
}

/// The filing that a code and an e-mail open, after counting the lookup.
async fn open_filing(
    state: &AppState,
    tenant: &TenantRecord,
    form: &TrackForm,
    origin: &str,
) -> Result<Option<(TenantTx, FilingRecord)>, AppError> {
    within_limit(state, &state.portal_limits.lookups_per_address, origin).await?;
    let Ok(code) = PublicCode::parse(&form.code) else {
        return Ok(None);
    };
    let tx = state.db.tenant_read(tenant.id).await?;
    let filing = tx.filings().by_code_and_email(&code, &form.email).await?;
    Ok(filing.map(|f| (tx, f)))
}

#[derive(Debug, Serialize)]
struct MilestoneView {
    code: &'static str,
    label: String,
    at: String,
    iso: String,
    detail: Option<String>,
}

/// `POST /depot/{CODE}/suivi`: the milestones of a filing.
pub(crate) async fn track(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    let Some((tx, filing)) = open_filing(&state, &tenant, &form, &origin).await? else {
        return render_tracking(&state, &frame, &tenant, &form, true, None).await;
    };
    let facts = facts(&tx, &filing, frame.locale).await?;
    let reply_documents = match filing.reply {
        Some((reply, _)) => tx
            .documents()
            .for_item(reply)
            .await?
            .into_iter()
            .map(|d| {
                minijinja::context! {
                    id => d.id,
                    name => d.file_name,
                    size => human_size(d.size, frame.locale),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let subject = tx
        .items()
        .find(filing.item_id)
        .await?
        .map(|i| i.content.subject)
        .unwrap_or_default();
    tx.commit().await?;
    let locale = frame.locale;
    let reached: Vec<MilestoneView> = milestones(&facts)
        .into_iter()
        .map(|m| MilestoneView {
            code: m.code(),
            label: tr(locale, &format!("milestone-{}", m.code())),
            at: local_time(m.at(), tenant.time_zone),
            iso: m.at().to_rfc3339(),
            detail: match m {
                Milestone::Registered { number, .. } => Some(number),
                Milestone::SentToUnit { unit, .. } => Some(unit),
                Milestone::Rejected { reason, .. } => Some(reason),
                _ => None,
            },
        })
        .collect();
    let found = minijinja::context! {
        subject => subject,
        milestones => reached,
        replies => reply_documents,
    };
    render_tracking(&state, &frame, &tenant, &form, false, Some(found)).await
}

/// What the records say of a filing, reduced to what its filer may know: a unit by
/// its name, never a person; no notes; no other mail.
async fn facts(
    tx: &TenantTx,
    filing: &FilingRecord,
    locale: Locale,
) -> Result<FilingFacts, AppError> {
    let mut facts = FilingFacts {
        filed_at: filing.filed_at,
        rejected: filing.rejected.clone(),
        ..FilingFacts::default()
    };
    let Some(item) = tx.items().find(filing.item_id).await? else {
        return Ok(facts);
    };
    if item.status == ItemStatus::Draft {
        return Ok(facts);
    }
    if let (Some(at), Some(number)) = (item.registered_at, item.number.clone()) {
        facts.registered = Some((at, number));
    }
    let dispatches = tx.dispatches().for_item(item.id).await?;
    let for_action = || dispatches.iter().filter(|d| d.purpose == Purpose::Action);
    let responsible = for_action()
        .filter(|d| d.parent_id.is_none())
        .min_by_key(|d| d.dispatched_at);
    if let Some(dispatch) = responsible {
        let unit = match dispatch.target {
            Target::Unit(unit) => Some(unit),
            Target::Person(person) => tx.users().find(person).await?.and_then(|p| p.unit_id),
        };
        if let Some(unit) = unit
            && let Some(unit) = tx.units().find(unit).await?
        {
            facts.sent = Some((dispatch.dispatched_at, unit.name.get(locale).to_owned()));
        }
    }
    facts.answered_at = registered_replies(tx, item.id)
        .await?
        .into_iter()
        .filter_map(|reply| reply.registered_at)
        .max();
    facts.closed_at = for_action()
        .filter(|d| d.status == DispatchStatus::Closed)
        .map(|d| d.updated_at)
        .max();
    Ok(facts)
}

/// `POST /depot/{CODE}/suivi/reponse/{document}`: the reply's document, for the
/// filer (code and e-mail again), when the administration handed it over.
pub(crate) async fn download_reply(
    State(state): State<AppState>,
    Path((code, document)): Path<(String, Uuid)>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<TrackForm>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    let Some((tx, filing)) = open_filing(&state, &tenant, &form, &origin).await? else {
        return Err(AppError::not_found());
    };
    let Some((reply, _)) = filing.reply else {
        return Err(AppError::not_found());
    };
    let document = tx
        .documents()
        .find(document)
        .await?
        .filter(|d| d.item_id == reply)
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    // Journaled in a writing transaction of its own: on SQLite one that has read
    // cannot take the write lock while another writer holds it.
    let tx = state.db.tenant_write(tenant.id).await?;
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("filer:{}", filing.email),
                action: "document.downloaded",
                object: format!("item:{reply}"),
                details: serde_json::json!({ "document": document.id, "file": document.file_name, "sha256": document.sha256, "through": "portal" }),
                origin,
            },
            state.clock.now(),
        )
        .await?;
    tx.commit().await?;
    ordo_registry::documents::document_response(&state, tenant.id, &document, true).await
}

/// `GET /verifier/{CODE}?code=…`: the form; with a code, its verification page.
pub(crate) async fn verification_form(
    State(state): State<AppState>,
    frame: Frame,
    Path(tenant_code): Path<String>,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &tenant_code).await?;
    if !query.code.trim().is_empty() {
        let code: String = query
            .code
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        return Ok(
            Redirect::to(&format!("/verifier/{}/{code}", tenant.code.as_str())).into_response(),
        );
    }
    render_verification(&state, &frame, &tenant, "", false, None).await
}

async fn render_verification(
    state: &AppState,
    frame: &Frame,
    tenant: &TenantRecord,
    code: &str,
    not_found: bool,
    found: Option<minijinja::Value>,
) -> Result<Response, AppError> {
    let context = minijinja::context! {
        code => code,
        not_found => not_found,
        found => found,
    };
    portal_page(
        state,
        frame,
        tenant,
        ("portal_verify.html", "portal-verify-title"),
        found_or_not(not_found),
        context,
    )
    .await
}

/// `GET /verifier/{CODE}/{verification code}`: what the genuine acknowledgment
/// states: administration, unit, number, date, and the fingerprints of the files.
pub(crate) async fn verify(
    State(state): State<AppState>,
    frame: Frame,
    Path((tenant_code, code)): Path<(String, String)>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &tenant_code).await?;
    within_limit(&state, &state.portal_limits.lookups_per_address, &origin).await?;
    let Ok(parsed) = PublicCode::parse(&code) else {
        return render_verification(&state, &frame, &tenant, &code, true, None).await;
    };
    let tx = state.db.tenant_read(tenant.id).await?;
    let record = tx.acknowledgments().by_code(&parsed).await?;
    tx.commit().await?;
    let Some(record) = record else {
        return render_verification(&state, &frame, &tenant, &parsed.display(), true, None).await;
    };
    let content = acknowledged(&record)?;
    let locale = frame.locale;
    let files: Vec<minijinja::Value> = content
        .files
        .iter()
        .map(|f| {
            minijinja::context! {
                size => human_size(f.size, locale),
                sha256 => f.sha256,
            }
        })
        .collect();
    let found = minijinja::context! {
        unit => content.unit_name(locale),
        number => content.number,
        registered_at => local_time(content.registered_at, tenant.time_zone),
        issued_at => local_time(record.issued_at, tenant.time_zone),
        files => files,
    };
    render_verification(
        &state,
        &frame,
        &tenant,
        &parsed.display(),
        false,
        Some(found),
    )
    .await
}
