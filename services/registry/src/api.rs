//! The bureau d'ordre's REST/JSON API under `/api/v1`, for integrations. It does
//! what the pages do, through the same `registration` logic, with a bearer token
//! (`ordo token create`) or a session. Every operation is in the OpenAPI document
//! served at `/api/openapi.json`.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use ordo_db::{ItemRecord, JournalEvent};
use ordo_domain::{
    RegistrationForm,
    permissions::{Action, may_see},
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind, RequestLocale};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::registration::{Refused, is_replay, register_mail, visible_item};

/// The API's description, merged into the platform's OpenAPI document.
#[derive(Debug, OpenApi)]
#[openapi(
    paths(list_registers, register_item, get_item, list_items),
    components(schemas(RegisterJson, RegistrationJson, ItemJson, DocumentJson, Problem, FieldProblem)),
    tags((name = "registry", description = "Registers and mail items of the caller's administration"))
)]
pub struct RegistryApi;

/// A register of the caller's administration.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisterJson {
    id: Uuid,
    /// e.g. `ARR`.
    code: String,
    /// `incoming`, `outgoing` or `internal`.
    direction: &'static str,
    name_fr: String,
    name_ar: String,
    name_en: String,
    /// e.g. `MMG/ARR/{year}/{seq:6}`.
    number_format: String,
}

/// What registering an item takes. Codes as in the pages: nature `letter`, `request`,
/// `invoice`, `note`, `circular`, `decree`, `report`, `other`; channel `counter`,
/// `post`, `email`, `portal`, `exchange`; priority `normal`, `urgent`, `very_urgent`;
/// confidentiality `normal`, `confidential`, `secret`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegistrationJson {
    subject: String,
    sender: String,
    #[serde(default)]
    recipient: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    letter_date: Option<String>,
    #[serde(default = "default_nature")]
    nature: String,
    #[serde(default = "default_channel")]
    channel: String,
    #[serde(default = "default_normal")]
    priority: String,
    #[serde(default = "default_normal")]
    confidentiality: String,
    #[serde(default)]
    keywords: String,
    #[serde(default)]
    paper_location: String,
}

fn default_nature() -> String {
    "letter".to_owned()
}

fn default_channel() -> String {
    "post".to_owned()
}

fn default_normal() -> String {
    "normal".to_owned()
}

/// A registered mail item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemJson {
    id: Uuid,
    register_id: Uuid,
    /// The legal registration number, e.g. `MMG/ARR/2026/000123`.
    number: Option<String>,
    year: Option<i32>,
    sequence: Option<u64>,
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
    registered_at: Option<String>,
    documents: Vec<DocumentJson>,
}

/// A document of an item, with the fingerprint taken when it was stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentJson {
    id: Uuid,
    /// `main` or `attachment`.
    role: &'static str,
    file_name: String,
    media_type: String,
    size: u64,
    sha256: String,
}

/// An error, as `application/problem+json` (RFC 9457) with a stable `code`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    r#type: String,
    /// In the caller's language (`Accept-Language`).
    title: String,
    status: u16,
    /// Stable: `invalid_input`, `not_found`, `unauthenticated`, `forbidden`…
    code: String,
    errors: Option<Vec<FieldProblem>>,
}

/// One refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    field: String,
    reason: String,
    message: String,
}

fn item_json(item: ItemRecord, documents: Vec<DocumentJson>) -> ItemJson {
    ItemJson {
        id: item.id,
        register_id: item.register_id,
        number: item.number,
        year: item.year,
        sequence: item.sequence,
        status: item.status.code(),
        subject: item.subject,
        sender: item.sender,
        recipient: item.recipient,
        letter_date: item.letter_date.map(|d| d.format("%Y-%m-%d").to_string()),
        nature: item.nature.code(),
        channel: item.channel.code(),
        priority: item.priority.code(),
        confidentiality: item.confidentiality.code(),
        keywords: item.keywords,
        paper_location: item.paper_location,
        registered_at: item.registered_at.map(|at| at.to_rfc3339()),
        documents,
    }
}

/// The registers of the caller's administration.
#[utoipa::path(get, path = "/api/v1/registers", tag = "registry",
    responses((status = 200, body = [RegisterJson]), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list_registers(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<Vec<RegisterJson>>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant(current.tenant.id).await?;
    let registers = tx.registers().list().await?;
    tx.commit().await?;
    Ok(Json(
        registers
            .into_iter()
            .map(|r| RegisterJson {
                id: r.id,
                code: r.code,
                direction: r.direction.code(),
                name_fr: r.name.fr,
                name_ar: r.name.ar,
                name_en: r.name.en,
                number_format: r.number_format.to_string(),
            })
            .collect(),
    ))
}

/// Registers a mail item and gives it its number. With an `Idempotency-Key`, a retry
/// returns the first registration (header `Idempotent-Replayed: true`) instead of a
/// second item.
#[utoipa::path(post, path = "/api/v1/registers/{register}/items", tag = "registry",
    params(("register" = Uuid, Path, description = "The register"),
           ("Idempotency-Key" = Option<String>, Header, description = "At most 64 characters; a retry with the same key returns the first result")),
    request_body = RegistrationJson,
    responses((status = 201, body = ItemJson), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn register_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    headers: HeaderMap,
    Json(body): Json<RegistrationJson>,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if !key.trim().is_empty() && key.len() <= 64 => {
            Some(format!("api:{}", key.trim()))
        }
        Some(_) => {
            return Err(AppError::new(ErrorKind::InvalidInput(
                ordo_domain::InvalidInput::new(
                    "idempotency_key",
                    ordo_domain::Reason::TooLong { max: 64 },
                ),
            )));
        }
    };
    let replayed = match &key {
        Some(key) => is_replay(&state, &current, key, register).await?,
        None => false,
    };
    let form = RegistrationForm {
        subject: body.subject,
        nature: body.nature,
        channel: body.channel,
        priority: body.priority,
        confidentiality: body.confidentiality,
        sender: body.sender,
        recipient: body.recipient,
        letter_date: body.letter_date.unwrap_or_default(),
        keywords: body.keywords,
        paper_location: body.paper_location,
    };
    match register_mail(
        &state,
        &current,
        register,
        &form,
        key.as_deref(),
        Vec::new(),
        &origin,
    )
    .await
    {
        Ok(item) => {
            let mut response =
                (StatusCode::CREATED, Json(item_json(item, Vec::new()))).into_response();
            if replayed {
                response
                    .headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            Ok(response)
        }
        Err(Refused::Invalid(errors)) => Err(AppError::new(ErrorKind::InvalidFields(errors))),
        Err(Refused::Failed(err)) => Err(err),
    }
}

/// One item with its documents. The view is written in the journal.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    responses((status = 200, body = ItemJson), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn get_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    _locale: RequestLocale,
) -> Result<Json<ItemJson>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let documents = tx
        .documents()
        .for_item(item.id)
        .await?
        .into_iter()
        .map(|d| DocumentJson {
            id: d.id,
            role: d.role.code(),
            file_name: d.file_name,
            media_type: d.media_type,
            size: d.size,
            sha256: d.sha256,
        })
        .collect();
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("user:{}", current.user.login),
                action: "item.viewed",
                object: format!("item:{}", item.id),
                details: serde_json::json!({ "number": item.number, "via": "api" }),
                origin,
            },
            state.clock.now(),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(item_json(item, documents)))
}

/// The items of a register for one year, latest number first (500 at most).
#[utoipa::path(get, path = "/api/v1/registers/{register}/years/{year}/items", tag = "registry",
    params(("register" = Uuid, Path, description = "The register"), ("year" = i32, Path, description = "The registration year")),
    responses((status = 200, body = [ItemJson]), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list_items(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((register, year)): Path<(Uuid, i32)>,
) -> Result<Json<Vec<ItemJson>>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let items = tx
        .items()
        .list_for_year(register.id, year, Some(500))
        .await?;
    tx.commit().await?;
    Ok(Json(
        items
            .into_iter()
            .filter(|item| may_see(&current.user.roles, item.confidentiality))
            .map(|item| item_json(item, Vec::new()))
            .collect(),
    ))
}
