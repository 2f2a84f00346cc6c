//! The correspondents directory page: search, flagged near-duplicates, and adding
//! or classifying an entry. The API offers the same (`/api/v1/correspondents`).

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_domain::{InvalidInput, correspondent::NewCorrespondent, permissions::Action};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, csrf::CsrfForm, i18n};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many entries the page lists at once; searching narrows it.
const PAGE: u64 = 200;

#[derive(Debug, Deserialize)]
pub(crate) struct DirectoryQuery {
    q: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct EntryForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
}

#[derive(Debug, Serialize)]
struct EntryView {
    id: Uuid,
    name: String,
    kind: Option<&'static str>,
    email: Option<String>,
    address: Option<String>,
    duplicate_of: Option<String>,
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    typed: &str,
    form: &EntryForm,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let found = tx.correspondents().search(typed, PAGE).await?;
    let mut entries = Vec::new();
    for entry in found {
        let duplicate_of = match entry.possible_duplicate_of {
            Some(other) => tx.correspondents().find(other).await?.map(|o| o.name),
            None => None,
        };
        entries.push(EntryView {
            id: entry.id,
            name: entry.name,
            kind: entry.kind.map(|k| k.code()),
            email: entry.email,
            address: entry.address,
            duplicate_of,
        });
    }
    tx.commit().await?;
    let messages: std::collections::HashMap<&str, String> = errors
        .iter()
        .map(|e| (e.field, i18n::invalid_input_message(frame.locale, e)))
        .collect();
    let context = minijinja::context! {
        q => typed,
        entries => entries,
        form => form,
        errors => messages,
        can_manage => current.may(Action::ManageDirectory),
    };
    let page =
        frame
            .for_user(current)
            .render(state, "directory.html", "directory-title", context)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

/// The journal entry of a new directory entry.
pub(crate) fn added_event(
    current: &CurrentUser,
    added: &ordo_db::CorrespondentRecord,
    origin: &str,
) -> ordo_db::JournalEvent {
    current.event(
        "correspondent.added",
        format!("correspondent:{}", added.id),
        serde_json::json!({
            "name": added.name,
            "kind": added.kind.map(|k| k.code()),
            "possible_duplicate_of": added.possible_duplicate_of,
        }),
        origin,
    )
}

/// `GET /correspondants`.
pub(crate) async fn directory(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Query(query): Query<DirectoryQuery>,
) -> Result<Response, AppError> {
    // Names of those who write confidential mail too: for those who register it.
    current.require(Action::RegisterMail)?;
    let typed = query.q.unwrap_or_default();
    render(&state, &current, frame, &typed, &EntryForm::default(), &[]).await
}

/// `POST /correspondants`: adds an entry (flagged when it looks like another).
pub(crate) async fn add_entry(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    current.require(Action::ManageDirectory)?;
    let new = match NewCorrespondent::parse(&form.name, &form.kind, &form.email, &form.address) {
        Ok(new) => new,
        Err(errors) => return render(&state, &current, frame, "", &form, &errors).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let added = tx.correspondents().insert(new, now).await?;
    tx.journal()
        .append(added_event(&current, &added, &origin), now)
        .await?;
    tx.commit().await?;
    let q =
        serde_urlencoded::to_string([("q", added.name.as_str())]).map_err(AppError::internal)?;
    Ok(Redirect::to(&format!("/correspondants?{q}")).into_response())
}

/// `POST /correspondants/{id}`: classifies an entry or completes its details.
pub(crate) async fn update_entry(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> Result<Response, AppError> {
    current.require(Action::ManageDirectory)?;
    let details = match NewCorrespondent::parse(&form.name, &form.kind, &form.email, &form.address)
    {
        Ok(details) => details,
        Err(errors) => return render(&state, &current, frame, "", &form, &errors).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let event = current.event(
        "correspondent.changed",
        format!("correspondent:{id}"),
        serde_json::json!({ "name": details.name, "kind": details.kind.map(|k| k.code()) }),
        origin,
    );
    if !tx.correspondents().update(id, details).await? {
        return Err(AppError::not_found());
    }
    tx.journal().append(event, now).await?;
    tx.commit().await?;
    let q = serde_urlencoded::to_string([("q", form.name.as_str())]).map_err(AppError::internal)?;
    Ok(Redirect::to(&format!("/correspondants?{q}")).into_response())
}
