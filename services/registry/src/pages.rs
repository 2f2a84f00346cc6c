//! The secretariat's pages: registers, the registration screen, an item, a year's
//! register. Handlers extract, call `registration` and the repositories, and shape.

use std::collections::HashMap;

use axum::extract::Multipart;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Utc};
use ordo_db::{DocumentRole, ItemRecord, JournalEvent, RegisterRecord};
use ordo_domain::{
    Channel, Confidentiality, Locale, Nature, Priority, RegistrationForm, TimeZone,
    permissions::{Action, may_see},
    registration_year,
};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, Page, csrf, i18n,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    documents::{MAX_DOCUMENT_BYTES, MAX_FILES, UploadError, field_stream, store_upload},
    registration::{Refused, find_register, register_mail, visible_item},
};

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
    current.require(Action::ViewRegister)?;
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
        can_register => current.may(Action::RegisterMail),
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
    current.require(Action::RegisterMail)?;
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

impl FormFields {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "subject" => &mut self.subject,
            "sender" => &mut self.sender,
            "recipient" => &mut self.recipient,
            "letter_date" => &mut self.letter_date,
            "nature" => &mut self.nature,
            "channel" => &mut self.channel,
            "priority" => &mut self.priority,
            "confidentiality" => &mut self.confidentiality,
            "keywords" => &mut self.keywords,
            "paper_location" => &mut self.paper_location,
            "submission" => &mut self.submission,
            _ => return,
        };
        *slot = value;
    }
}

fn bad_form(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::InvalidInput(ordo_domain::InvalidInput::new(
        "request",
        ordo_domain::Reason::UnknownValue,
    )))
    .with_detail(err)
}

/// `POST /registres/{id}/nouveau` (multipart): the typed fields first, then the
/// scan and attachments. The CSRF token is checked and the typed fields validated
/// before a single file byte is stored; each file then streams into the tenant's
/// store, and the registration commits the item, its documents and its journal entry.
pub(crate) async fn register_item(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let register = find_register(&state, current.tenant.id, register).await?;
    let mut form = FormFields::default();
    let mut csrf_checked = false;
    let mut fields_checked = false;
    let mut documents = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "document" && name != "attachments" {
            let value = field.text().await.map_err(bad_form)?;
            if name == "csrf" {
                csrf::verify_token(&jar, state.cookies, &value)?;
                csrf_checked = true;
            } else {
                form.set(&name, value);
            }
            continue;
        }
        if !csrf_checked {
            return Err(AppError::new(ErrorKind::CsrfRejected)
                .with_detail("a file came before the CSRF token"));
        }
        let file_name = field.file_name().unwrap_or_default().trim().to_owned();
        if file_name.is_empty() {
            continue; // the file input was left empty
        }
        if !fields_checked {
            if let Err(errors) = form
                .to_domain()
                .validate(state.clock.now(), current.tenant.time_zone)
            {
                return render_errors(&state, &current, frame, &register, &form, &errors);
            }
            fields_checked = true;
        }
        if documents.len() == MAX_FILES {
            let too_many = ordo_domain::InvalidInput::new(
                "document",
                ordo_domain::Reason::TooManyFiles { max: MAX_FILES },
            );
            return render_errors(&state, &current, frame, &register, &form, &[too_many]);
        }
        let role = if name == "document" && documents.is_empty() {
            DocumentRole::Main
        } else {
            DocumentRole::Attachment
        };
        let declared = field.content_type().map(str::to_owned);
        let stored = store_upload(
            state.store.as_ref(),
            current.tenant.id,
            role,
            &file_name,
            declared.as_deref(),
            field_stream(field),
            MAX_DOCUMENT_BYTES,
        )
        .await;
        match stored {
            Ok(document) => documents.push(document),
            Err(UploadError::Refused(refusal)) => {
                return render_errors(&state, &current, frame, &register, &form, &[refusal]);
            }
            Err(UploadError::Failed(err)) => return Err(err),
        }
    }
    if !csrf_checked {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    let submission = Some(form.submission.trim()).filter(|key| !key.is_empty() && key.len() <= 64);
    match register_mail(
        &state,
        &current,
        register.id,
        &form.to_domain(),
        submission,
        documents,
        &origin,
    )
    .await
    {
        Ok(item) => {
            Ok(Redirect::to(&format!("/courriers/{}?enregistre=1", item.id)).into_response())
        }
        Err(Refused::Invalid(errors)) => {
            render_errors(&state, &current, frame, &register, &form, &errors)
        }
        Err(Refused::Failed(err)) => Err(err),
    }
}

fn render_errors(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    register: &RegisterRecord,
    form: &FormFields,
    errors: &[ordo_domain::InvalidInput],
) -> Result<Response, AppError> {
    let messages = errors
        .iter()
        .map(|e| (e.field, i18n::invalid_input_message(frame.locale, e)))
        .collect();
    render_form(state, current, frame, register, form, messages)
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

/// A size as a person reads it, in their language's decimal style: 1,2 Mo / 1.2 MB.
fn human_size(bytes: u64, locale: Locale) -> String {
    let (value, unit) = match bytes {
        b if b >= 1024 * 1024 => (b as f64 / (1024.0 * 1024.0), ["Mo", "م.ب", "MB"]),
        b if b >= 1024 => (b as f64 / 1024.0, ["ko", "ك.ب", "KB"]),
        b => (b as f64, ["o", "بايت", "B"]),
    };
    let number = if value >= 100.0 || bytes < 1024 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let (number, unit) = match locale {
        Locale::Fr => (number.replace('.', ","), unit[0]),
        Locale::Ar => (number, unit[1]),
        Locale::En => (number, unit[2]),
    };
    format!("{number}\u{a0}{unit}")
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
    current.require(Action::ViewRegister)?;
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
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
    let documents: Vec<DocumentView> = tx
        .documents()
        .for_item(item.id)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            role: d.role.code(),
            size: human_size(d.size, frame.locale),
            file_name: d.file_name,
            media_type: d.media_type,
            sha256: d.sha256,
        })
        .collect();
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
        documents => documents,
        just_registered => query.enregistre.is_some(),
        can_register => current.may(Action::RegisterMail),
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
    current.require(Action::ViewRegister)?;
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let items: Vec<ItemView> = tx
        .items()
        .list_for_year(register.id, year, Some(YEAR_PAGE))
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
