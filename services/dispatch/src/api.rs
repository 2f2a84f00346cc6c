//! The dispatch and processing API, for people's own tools and for integrations.
//! The same acts as the pages ([`crate::flow`]), in JSON, described in the
//! platform's OpenAPI document.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use chrono::{DateTime, NaiveDate, Utc};
use ordo_db::{DispatchRecord, NoteRecord};
use ordo_registry::{
    api::Problem,
    registration::{Refused, visible_item},
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::{
    flow::{self, DispatchForm, PassOnForm, StepForm},
    inbox::{self, InboxKind, Sort, Viewer},
};

#[derive(Debug, OpenApi)]
#[openapi(
    paths(dispatch_item, item_dispatches, pass_on, step, add_note, item_notes, draft_reply, inbox),
    components(schemas(
        DispatchJson, DispatchRequest, PassOnRequest, StepRequest, NoteRequest, NoteJson,
        InboxJson, InboxCountJson, InboxItemJson, ReplyJson
    )),
    tags((name = "dispatch", description = "Dispatch (imputation), processing and inboxes"))
)]
pub struct DispatchApi;

fn refused(err: Refused) -> AppError {
    match err {
        Refused::Invalid(errors) => AppError::new(ErrorKind::InvalidFields(errors)),
        Refused::Failed(err) => err,
    }
}

/// A dispatch of an item.
#[derive(Debug, Serialize, ToSchema)]
pub struct DispatchJson {
    id: Uuid,
    item_id: Uuid,
    /// The dispatch this one passes on.
    parent_id: Option<Uuid>,
    /// `action`, `information` or `opinion`.
    purpose: &'static str,
    /// `unit:<id>` or `person:<id>`.
    to: String,
    instructions: String,
    due_on: Option<NaiveDate>,
    /// `sent`, `accepted`, `in_progress`, `closed`, `returned`, `passed_on`,
    /// `acknowledged`.
    status: &'static str,
    /// `answered`, `no_follow_up` or `filed`, once closed.
    outcome: Option<&'static str>,
    /// Why it was last returned or reopened.
    reason: Option<String>,
    dispatched_by: Uuid,
    dispatched_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn dispatch_json(d: DispatchRecord) -> DispatchJson {
    DispatchJson {
        id: d.id,
        item_id: d.item_id,
        parent_id: d.parent_id,
        purpose: d.purpose.code(),
        to: d.target.key(),
        instructions: d.instructions,
        due_on: d.due_on,
        status: d.status.code(),
        outcome: d.outcome.map(|o| o.code()),
        reason: d.reason,
        dispatched_by: d.dispatched_by,
        dispatched_at: d.dispatched_at,
        updated_at: d.updated_at,
    }
}

/// A dispatch from the bureau d'ordre.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DispatchRequest {
    /// The one responsible, `unit:<id>` or `person:<id>`; required unless someone
    /// already is.
    #[serde(default)]
    action: String,
    #[serde(default)]
    information: Vec<String>,
    #[serde(default)]
    opinion: Vec<String>,
    #[serde(default)]
    instructions: String,
    /// `YYYY-MM-DD`; by default the item's due date.
    #[serde(default)]
    due_on: String,
}

/// Dispatches a registered item.
#[utoipa::path(post, path = "/api/v1/items/{id}/dispatches", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The item")),
    request_body = DispatchRequest,
    responses((status = 201, body = [DispatchJson]), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn dispatch_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<DispatchRequest>,
) -> Result<(StatusCode, Json<Vec<DispatchJson>>), AppError> {
    let form = DispatchForm {
        action: body.action,
        information: body.information,
        opinion: body.opinion,
        instructions: body.instructions,
        due_on: body.due_on,
    };
    let written = flow::dispatch(&state, &current, id, &form, &origin)
        .await
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(written.into_iter().map(dispatch_json).collect()),
    ))
}

/// An item's dispatches, first sent first.
#[utoipa::path(get, path = "/api/v1/items/{id}/dispatches", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The item")),
    responses((status = 200, body = [DispatchJson]), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn item_dispatches(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<DispatchJson>>, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let dispatches = tx.dispatches().for_item(item.id).await?;
    tx.commit().await?;
    Ok(Json(dispatches.into_iter().map(dispatch_json).collect()))
}

/// A unit head passing a dispatch on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PassOnRequest {
    /// `unit:<id>` or `person:<id>`, in the head's part of the tree.
    to: String,
    #[serde(default)]
    instructions: String,
    #[serde(default)]
    due_on: String,
}

/// Passes a dispatch for action on down the tree.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/pass-on", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The dispatch")),
    request_body = PassOnRequest,
    responses((status = 201, body = DispatchJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn pass_on(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<PassOnRequest>,
) -> Result<(StatusCode, Json<DispatchJson>), AppError> {
    let form = PassOnForm {
        to: body.to,
        instructions: body.instructions,
        due_on: body.due_on,
    };
    let child = flow::pass_on(&state, &current, id, &form, &origin)
        .await
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(dispatch_json(child))))
}

/// A step on a dispatch.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepRequest {
    /// `accept`, `return`, `start`, `close`, `reopen` or `acknowledge`.
    step: String,
    /// For `close`: `answered`, `no_follow_up` or `filed`.
    #[serde(default)]
    outcome: String,
    /// For `return` and `reopen`.
    #[serde(default)]
    reason: String,
    /// For `acknowledge` on a dispatch for opinion: the opinion.
    #[serde(default)]
    opinion: String,
}

/// Accepts, returns, starts, closes, reopens or acknowledges a dispatch.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/steps", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The dispatch")),
    request_body = StepRequest,
    responses((status = 200, body = DispatchJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn step(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<StepRequest>,
) -> Result<Json<DispatchJson>, AppError> {
    let form = StepForm {
        step: body.step,
        outcome: body.outcome,
        reason: body.reason,
        opinion: body.opinion,
    };
    let updated = flow::step(&state, &current, id, &form, &origin)
        .await
        .map_err(refused)?;
    Ok(Json(dispatch_json(updated)))
}

/// A note to write on an item.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteRequest {
    /// `private`, `unit` or `all`.
    visibility: String,
    body: String,
}

/// A note on an item.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteJson {
    id: Uuid,
    author_id: Uuid,
    visibility: &'static str,
    body: String,
    created_at: DateTime<Utc>,
}

/// Writes a note on an item.
#[utoipa::path(post, path = "/api/v1/items/{id}/notes", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The item")),
    request_body = NoteRequest,
    responses((status = 201, body = NoteJson), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn add_note(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<NoteRequest>,
) -> Result<(StatusCode, Json<NoteJson>), AppError> {
    let note = flow::add_note(&state, &current, id, &body.visibility, &body.body, &origin)
        .await
        .map_err(refused)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let written = tx
        .notes()
        .for_item(id)
        .await?
        .into_iter()
        .find(|n| n.id == note)
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(note_json(written))))
}

fn note_json(n: NoteRecord) -> NoteJson {
    NoteJson {
        id: n.id,
        author_id: n.author_id,
        visibility: n.visibility.code(),
        body: n.body,
        created_at: n.created_at,
    }
}

/// The notes on an item that the caller may read.
#[utoipa::path(get, path = "/api/v1/items/{id}/notes", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The item")),
    responses((status = 200, body = [NoteJson]), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn item_notes(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<NoteJson>>, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let notes = tx.notes().for_item(item.id).await?;
    tx.commit().await?;
    Ok(Json(
        notes
            .into_iter()
            .filter(|n| crate::readable_by(n, &current))
            .map(note_json)
            .collect(),
    ))
}

/// A reply drafted in an outgoing register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyJson {
    id: Uuid,
    register_id: Uuid,
    subject: String,
    recipient: String,
}

/// Drafts the reply to an item, linked to it: for the one responsible (or the bureau
/// d'ordre). The bureau d'ordre registers it when it leaves.
#[utoipa::path(post, path = "/api/v1/items/{id}/reply", tag = "dispatch",
    params(("id" = Uuid, Path, description = "The item replied to")),
    responses((status = 201, body = ReplyJson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn draft_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
) -> Result<(StatusCode, Json<ReplyJson>), AppError> {
    let draft = flow::reply(&state, &current, id, &origin)
        .await
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(ReplyJson {
            id: draft.id,
            register_id: draft.register_id,
            subject: draft.content.subject,
            recipient: draft.content.recipient,
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct InboxParams {
    #[serde(default, rename = "box")]
    kind: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    sort: String,
}

/// A box and how many items it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxCountJson {
    /// `to_register`, `to_dispatch`, `to_process`, `information`, `opinion`,
    /// `overdue`, `unit`, `followed`.
    code: &'static str,
    count: u64,
}

/// An item in a box.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItemJson {
    item_id: Uuid,
    number: Option<String>,
    subject: String,
    sender: String,
    received_at: DateTime<Utc>,
    due_on: Option<NaiveDate>,
    dispatch: Option<DispatchJson>,
}

/// The caller's boxes, and the items of one.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxJson {
    counts: Vec<InboxCountJson>,
    #[serde(rename = "box")]
    kind: &'static str,
    items: Vec<InboxItemJson>,
}

/// The caller's inboxes with their counts, and the items of one box (at most 300,
/// soonest due first unless `sort` is `received` or `number`).
#[utoipa::path(get, path = "/api/v1/inbox", tag = "dispatch",
    params(
        ("box" = Option<String>, Query, description = "The box; by default the first the caller has"),
        ("q" = Option<String>, Query, description = "Words in the number, subject or sender"),
        ("sort" = Option<String>, Query, description = "`due` (default), `received` or `number`"),
    ),
    responses((status = 200, body = InboxJson)),
    security(("bearer" = [])))]
pub(crate) async fn inbox(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(params): Query<InboxParams>,
) -> Result<Json<InboxJson>, AppError> {
    let viewer = Viewer::of(&current);
    let kind = if params.kind.is_empty() {
        viewer
            .kinds()
            .into_iter()
            .next()
            .unwrap_or(InboxKind::ToProcess)
    } else {
        InboxKind::parse(&params.kind).ok_or_else(|| {
            AppError::new(ErrorKind::InvalidInput(ordo_domain::InvalidInput::new(
                "box",
                ordo_domain::Reason::UnknownValue,
            )))
        })?
    };
    let today = state
        .clock
        .now()
        .with_timezone(&current.tenant.time_zone.tz())
        .date_naive();
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let read = inbox::read(
        &tx,
        &viewer,
        kind,
        today,
        &params.q,
        Sort::parse(&params.sort),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(InboxJson {
        counts: read
            .counts
            .iter()
            .map(|(kind, count)| InboxCountJson {
                code: kind.code(),
                count: *count,
            })
            .collect(),
        kind: read.kind.code(),
        items: read
            .rows
            .into_iter()
            .map(|row| InboxItemJson {
                due_on: row.due_on(),
                item_id: row.item.id,
                number: row.item.number.clone(),
                subject: row.item.content.subject.clone(),
                sender: row.item.content.sender.clone(),
                received_at: row.item.received_at,
                dispatch: row.dispatch.map(dispatch_json),
            })
            .collect(),
    }))
}
