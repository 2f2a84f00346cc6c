//! The secretariat's pages: registers, the registration screen, an item, a year's
//! register. Handlers extract, call `registration` and the repositories, and shape.

use std::collections::HashMap;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use ordo_db::{ItemRecord, JournalEvent, RegisterRecord};
use ordo_domain::{
    Channel, Confidentiality, Locale, Nature, Priority, RegistrationForm, TimeZone,
    permissions::{Action, allows, may_see},
    registration_year,
};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, Page, csrf::CsrfForm, i18n,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::registration::{Refused, find_register, register_mail};

fn require(current: &CurrentUser, action: Action) -> Result<(), AppError> {
    if allows(&current.user.roles, action) {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Forbidden))
    }
}

/// A moment as the administration's people read it: 21/11/2026 10:42.
fn local_time(at: DateTime<Utc>, zone: TimeZone) -> String {
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
    example: String,
    years: Vec<i32>,
}

pub(crate) async fn registers(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Page, AppError> {
    require(&current, Action::ViewRegister)?;
    let tx = state.db.tenant(current.tenant.id).await?;
    let units: HashMap<Uuid, String> = tx
        .units()
        .list()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name.get(frame.locale).to_owned()))
        .collect();
    let mut views = Vec::new();
    let this_year = registration_year(state.clock.now(), current.tenant.time_zone);
    for register in tx.registers().list().await? {
        views.push(RegisterView {
            years: tx.items().years(register.id).await?,
            id: register.id,
            name: register.name.get(frame.locale).to_owned(),
            unit: units.get(&register.unit_id).cloned().unwrap_or_default(),
            direction: register.direction.code(),
            example: register.number_format.format(this_year, 1),
            code: register.code,
        });
    }
    tx.commit().await?;
    let context = minijinja::context! {
        registers => views,
        can_register => allows(&current.user.roles, Action::RegisterMail),
    };
    frame
        .for_user(&current)
        .render(&state, "registers.html", "registers-title", context)
}

/// The form as typed, with the defaults a secretariat wants for a paper letter.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct FormFields {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    sender: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    letter_date: String,
    #[serde(default)]
    nature: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    priority: String,
    #[serde(default)]
    confidentiality: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    paper_location: String,
    /// Identifies this filling of the form: a double submission registers once.
    #[serde(default, skip_serializing)]
    submission: String,
}

impl FormFields {
    fn defaults() -> Self {
        Self {
            nature: Nature::Letter.code().to_owned(),
            channel: Channel::Counter.code().to_owned(),
            priority: Priority::Normal.code().to_owned(),
            confidentiality: Confidentiality::Normal.code().to_owned(),
            ..Self::default()
        }
    }

    fn to_domain(&self) -> RegistrationForm {
        RegistrationForm {
            subject: self.subject.clone(),
            nature: self.nature.clone(),
            channel: self.channel.clone(),
            priority: self.priority.clone(),
            confidentiality: self.confidentiality.clone(),
            sender: self.sender.clone(),
            recipient: self.recipient.clone(),
            letter_date: self.letter_date.clone(),
            keywords: self.keywords.clone(),
            paper_location: self.paper_location.clone(),
        }
    }
}

fn render_form(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    register: &RegisterRecord,
    form: &FormFields,
    errors: HashMap<&'static str, String>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let today = state
        .clock
        .now()
        .with_timezone(&current.tenant.time_zone.tz())
        .date_naive();
    let context = minijinja::context! {
        register_id => register.id,
        register_name => register.name.get(frame.locale),
        form => form,
        errors => errors,
        submission => Uuid::new_v4().to_string(),
        today => today.format("%Y-%m-%d").to_string(),
        natures => Nature::ALL.iter().map(|n| n.code()).collect::<Vec<_>>(),
        channels => Channel::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        priorities => Priority::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
        confidentialities => Confidentiality::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
    };
    let page =
        frame
            .for_user(current)
            .render(state, "register_form.html", "register-new", context)?;
    Ok((status, page).into_response())
}

pub(crate) async fn new_item_form(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
) -> Result<Response, AppError> {
    require(&current, Action::RegisterMail)?;
    let register = find_register(&state, current.tenant.id, register).await?;
    render_form(
        &state,
        &current,
        frame,
        &register,
        &FormFields::defaults(),
        HashMap::new(),
    )
}

pub(crate) async fn register_item(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<FormFields>,
) -> Result<Response, AppError> {
    let submission = Some(form.submission.trim()).filter(|key| !key.is_empty() && key.len() <= 64);
    match register_mail(
        &state,
        &current,
        register,
        &form.to_domain(),
        submission,
        &origin,
    )
    .await
    {
        Ok(item) => {
            Ok(Redirect::to(&format!("/courriers/{}?enregistre=1", item.id)).into_response())
        }
        Err(Refused::Invalid(errors)) => {
            let register = find_register(&state, current.tenant.id, register).await?;
            let messages = errors
                .iter()
                .map(|e| (e.field, i18n::invalid_input_message(frame.locale, e)))
                .collect();
            render_form(&state, &current, frame, &register, &form, messages)
        }
        Err(Refused::Failed(err)) => Err(err),
    }
}

#[derive(Debug, Serialize)]
struct ItemView {
    id: Uuid,
    register_id: Uuid,
    number: String,
    year: i32,
    status: &'static str,
    subject: String,
    sender: String,
    recipient: String,
    letter_date: Option<String>,
    nature: &'static str,
    channel: &'static str,
    priority: &'static str,
    confidentiality: &'static str,
    keywords: String,
    paper_location: String,
    registered_at: String,
}

fn item_view(item: ItemRecord, zone: TimeZone) -> ItemView {
    ItemView {
        id: item.id,
        register_id: item.register_id,
        number: item.number.unwrap_or_default(),
        year: item.year.unwrap_or_default(),
        status: item.status.code(),
        subject: item.subject,
        sender: item.sender,
        recipient: item.recipient,
        letter_date: item.letter_date.map(|d| d.format("%d/%m/%Y").to_string()),
        nature: item.nature.code(),
        channel: item.channel.code(),
        priority: item.priority.code(),
        confidentiality: item.confidentiality.code(),
        keywords: item.keywords,
        paper_location: item.paper_location,
        registered_at: item
            .registered_at
            .map(|at| local_time(at, zone))
            .unwrap_or_default(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ItemQuery {
    enregistre: Option<String>,
}

#[derive(Debug, Serialize)]
struct TimelineEntry {
    at: String,
    iso: String,
    action: String,
    actor: String,
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
    require(&current, Action::ViewRegister)?;
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant(current.tenant.id).await?;
    // Another tenant's item, or one too confidential for this person, is "not found":
    // its existence is not revealed.
    let item = tx
        .items()
        .find(id)
        .await?
        .filter(|item| may_see(&current.user.roles, item.confidentiality))
        .ok_or_else(AppError::not_found)?;
    let register = tx
        .registers()
        .find(item.register_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let object = format!("item:{}", item.id);
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("user:{}", current.user.login),
                action: "item.viewed",
                object: object.clone(),
                details: serde_json::json!({ "number": item.number }),
                origin,
            },
            state.clock.now(),
        )
        .await?;
    let timeline: Vec<TimelineEntry> = tx
        .journal()
        .entries_about(&object)
        .await?
        .into_iter()
        .map(|e| TimelineEntry {
            at: local_time(e.at, zone),
            iso: e.at.to_rfc3339(),
            action: e.action,
            actor: e.actor,
        })
        .collect();
    tx.commit().await?;
    let context = minijinja::context! {
        item => item_view(item, zone),
        register_name => register.name.get(frame.locale),
        timeline => timeline,
        just_registered => query.enregistre.is_some(),
        can_register => allows(&current.user.roles, Action::RegisterMail),
    };
    frame
        .for_user(&current)
        .render(&state, "item.html", "item-timeline", context)
}

/// How many items a year's register page shows; search and paging come with archives.
const YEAR_PAGE: u64 = 500;

pub(crate) async fn register_year(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path((register, year)): Path<(Uuid, i32)>,
) -> Result<Page, AppError> {
    require(&current, Action::ViewRegister)?;
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let items: Vec<ItemView> = tx
        .items()
        .list_for_year(register.id, year, YEAR_PAGE)
        .await?
        .into_iter()
        .filter(|item| may_see(&current.user.roles, item.confidentiality))
        .map(|item| item_view(item, zone))
        .collect();
    let years = tx.items().years(register.id).await?;
    tx.commit().await?;
    let locale: Locale = frame.locale;
    let context = minijinja::context! {
        register_id => register.id,
        register_name => register.name.get(locale),
        year => year,
        years => years,
        items => items,
    };
    frame
        .for_user(&current)
        .render(&state, "register_year.html", "registers-title", context)
}
