//! Amending a registration from its page: a correction (a new version with a
//! reason), a cancellation (the number stays taken), a link to another item.

use axum::{
    extract::{Multipart, Path, State},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use ordo_domain::{InvalidInput, ItemStatus, permissions::Action};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, csrf, csrf::CsrfForm,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    capture::{FormFields, FormScreen, render_form},
    registration::{self, Refused, Submission, visible_item},
};

async fn correction_screen(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<
    (
        ordo_db::ItemRecord,
        ordo_db::RegisterRecord,
        ordo_domain::Vocabulary,
    ),
    AppError,
> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    let settings = tx.registration_settings().await?;
    tx.commit().await?;
    let register = settings
        .register(item.register_id)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    let vocabulary = settings.vocabulary.clone();
    if item.status != ItemStatus::Registered {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a registered item can be corrected"));
    }
    Ok((item, register, vocabulary))
}

/// `GET /courriers/{id}/corriger`: the item's current fields, to correct with a reason.
pub(crate) async fn correction_form(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
) -> Result<Response, AppError> {
    current.require(Action::AmendRegistration)?;
    let (item, register, vocabulary) = correction_screen(&state, &current, id).await?;
    let form = FormFields::of_item(&item, current.tenant.time_zone);
    let screen = FormScreen::correction(&register, &vocabulary, &item);
    render_form(&state, &current, frame, &screen, &form, &[])
}

/// `POST /courriers/{id}/corriger`: records the correction as the item's next version.
/// The form is multipart like the registration form it shares; it carries no file.
pub(crate) async fn correct(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::AmendRegistration)?;
    let (item, register, vocabulary) = correction_screen(&state, &current, id).await?;
    let mut fields = std::collections::HashMap::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::new(ErrorKind::PayloadTooLarge).with_detail(e))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let value = field
            .text()
            .await
            .map_err(|e| AppError::new(ErrorKind::PayloadTooLarge).with_detail(e))?;
        fields.insert(name, value);
    }
    csrf::verify_token(
        &jar,
        state.cookies,
        fields.get("csrf").map(String::as_str).unwrap_or_default(),
    )?;
    let form: FormFields =
        serde_json::from_value(serde_json::to_value(&fields).map_err(AppError::internal)?)
            .map_err(AppError::internal)?;
    let submission = Submission {
        form: form.to_domain(),
        ..Submission::default()
    };
    match registration::correct(&state, &current, id, submission, &form.reason, &origin).await {
        Ok(item) => Ok(Redirect::to(&format!("/courriers/{}?corrige=1", item.id)).into_response()),
        Err(Refused::Invalid(errors)) => {
            let screen = FormScreen::correction(&register, &vocabulary, &item);
            render_form(&state, &current, frame, &screen, &form, &errors)
        }
        Err(Refused::Failed(err)) => Err(err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReasonForm {
    #[serde(default)]
    reason: String,
}

/// Shows the item page again with a refusal at one of its small forms.
pub(crate) fn refused_on_item(id: Uuid, errors: &[InvalidInput]) -> Response {
    let field = errors.first().map_or("reason", |e| e.field);
    let reason = errors.first().map_or("required", |e| e.reason.code());
    Redirect::to(&format!("/courriers/{id}?refus={field}&motif={reason}")).into_response()
}

/// `POST /courriers/{id}/annuler`: cancels the registration, with its reason.
pub(crate) async fn cancel(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    match registration::cancel(&state, &current, id, &form.reason, &origin).await {
        Ok(item) => Ok(Redirect::to(&format!("/courriers/{}", item.id)).into_response()),
        Err(Refused::Invalid(errors)) => Ok(refused_on_item(id, &errors)),
        Err(Refused::Failed(err)) => Err(err),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct LinkForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    to: String,
}

/// `POST /courriers/{id}/liens`: links the item to another by its number.
pub(crate) async fn link(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<LinkForm>,
) -> Result<Response, AppError> {
    match registration::link(&state, &current, id, &form.kind, &form.to, &origin).await {
        Ok(_) => Ok(Redirect::to(&format!("/courriers/{id}")).into_response()),
        Err(Refused::Invalid(errors)) => Ok(refused_on_item(id, &errors)),
        Err(Refused::Failed(err)) => Err(err),
    }
}

/// The refusal named in the item page's query, as a message in the reader's language.
pub(crate) fn refusal_message(
    locale: ordo_domain::Locale,
    field: &str,
    reason: &str,
) -> Option<String> {
    use ordo_domain::Reason;
    // The fields of the item page's small forms (links, cancellation, dispatch,
    // processing, notes): a name outside them is not echoed back.
    let field = [
        "reason",
        "link_to",
        "link_kind",
        "action",
        "information",
        "opinion",
        "target",
        "due_on",
        "step",
        "outcome",
        "instructions",
        "body",
        "visibility",
        "opinion_text",
        "register",
        "recipients",
        "reason_code",
        "documents",
    ]
    .into_iter()
    .find(|f| *f == field)?;
    let reason = match reason {
        "required" => Reason::Required,
        "too-short" => Reason::TooShort { min: 5 },
        "too-long" if matches!(field, "reason") => Reason::TooLong { max: 500 },
        "too-long" => Reason::TooLong {
            max: ordo_domain::dispatch::MAX_NOTE_CHARS,
        },
        "unknown-item" => Reason::UnknownItem,
        "not-a-date" => Reason::NotADate,
        "not-now" => Reason::NotNow,
        "before-registration" => Reason::BeforeRegistration,
        "outside-unit" => Reason::OutsideUnit,
        "named-only" => Reason::NamedOnly,
        "suspended" => Reason::Suspended,
        _ => Reason::UnknownValue,
    };
    Some(ordo_web::i18n::invalid_input_message(
        locale,
        &InvalidInput::new(field, reason),
    ))
}
