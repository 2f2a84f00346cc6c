//! The bureau d'ordre's REST/JSON API under `/api/v1`, for integrations. It does
//! what the pages do, through the same `registration` logic, with a bearer token
//! (`ordo token create`) or a session. Every operation is in the OpenAPI document
//! served at `/api/openapi.json`.

use axum::{
    Json,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::TryStreamExt;
use ordo_db::{DocumentRecord, DocumentRole, ItemFilter, ItemRecord, RegistrationSettings};
use ordo_domain::{
    InvalidInput, ItemStatus, Reason, RegistrationForm,
    correspondent::NewCorrespondent,
    permissions::{Action, may_see},
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use uuid::Uuid;

use crate::{
    documents::{UploadError, store_upload},
    registration::{self, Refused, Submission, visible_item},
};

/// The API's description, merged into the platform's OpenAPI document.
#[derive(Debug, OpenApi)]
#[openapi(
    paths(
        list_registers, register_item, create_draft, register_draft, upload_document,
        correct_item, cancel_item, link_item, get_item, list_items, item_versions,
        list_correspondents, add_correspondent, vocabulary
    ),
    components(schemas(
        RegisterJson, RegistrationJson, CorrectionJson, ReasonJson, LinkJson, ItemJson,
        DocumentJson, LinkViewJson, VersionJson, CorrespondentJson, NewCorrespondentJson,
        VocabularyJson, TermJson, Problem, FieldProblem
    )),
    tags((name = "registry", description = "Registers, mail items and correspondents of the caller's administration"))
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

/// What registering (or drafting) an item takes. Nature and priority are codes of
/// the administration's vocabulary (`GET /api/v1/vocabulary`); channel `counter`,
/// `post`, `email`, `portal`, `exchange`; confidentiality `normal`, `confidential`,
/// `secret`. Sender and recipient are either typed names (found in or added to the
/// directory) or directory entries named by `sender_id` / `recipient_ids`. Several
/// typed recipients are separated by semicolons.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegistrationJson {
    subject: Option<String>,
    sender: Option<String>,
    sender_id: Option<Uuid>,
    /// Several recipients are separated by semicolons.
    recipient: Option<String>,
    recipient_ids: Vec<Uuid>,
    /// `YYYY-MM-DD`.
    letter_date: Option<String>,
    /// RFC 3339; absent means "now" for a new item, "unchanged" otherwise.
    received_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    nature: Option<String>,
    channel: Option<String>,
    priority: Option<String>,
    confidentiality: Option<String>,
    keywords: Option<String>,
    paper_location: Option<String>,
}

/// What a new registration starts from: a letter by post, normal priority.
fn registration_defaults() -> RegistrationForm {
    RegistrationForm {
        nature: "letter".to_owned(),
        channel: "post".to_owned(),
        priority: "normal".to_owned(),
        confidentiality: "normal".to_owned(),
        ..RegistrationForm::default()
    }
}

impl RegistrationJson {
    /// The form this call amounts to: the fields it gives over `base` (the defaults
    /// of a new item, or an item's current fields: what a call leaves out stays).
    fn into_submission(self, current: &CurrentUser, base: RegistrationForm) -> Submission {
        let over = |given: Option<String>, base: String| given.unwrap_or(base);
        Submission {
            form: RegistrationForm {
                subject: over(self.subject, base.subject),
                nature: over(self.nature, base.nature),
                channel: over(self.channel, base.channel),
                priority: over(self.priority, base.priority),
                confidentiality: over(self.confidentiality, base.confidentiality),
                sender: over(self.sender, base.sender),
                recipient: over(self.recipient, base.recipient),
                letter_date: over(self.letter_date, base.letter_date),
                keywords: over(self.keywords, base.keywords),
                paper_location: over(self.paper_location, base.paper_location),
                received_at: self
                    .received_at
                    .map(|at| {
                        at.with_timezone(&current.tenant.time_zone.tz())
                            .format("%Y-%m-%dT%H:%M:%S")
                            .to_string()
                    })
                    .unwrap_or(base.received_at),
            },
            sender_id: self.sender_id,
            recipient_ids: self.recipient_ids,
            key: None,
            documents: Vec::new(),
        }
    }
}

/// An item's current fields as a form, for a call that changes only some of them.
async fn current_form(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<RegistrationForm, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    tx.commit().await?;
    Ok(registration::form_of(&item, current.tenant.time_zone))
}

/// A correction: every field as it should now read, and why.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionJson {
    #[serde(flatten)]
    fields: RegistrationJson,
    reason: String,
}

/// Why a registration is cancelled.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonJson {
    reason: String,
}

/// A link from this item to another.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LinkJson {
    /// `replies_to`, `follows_up` or `duplicate_of`.
    kind: String,
    /// The other item: its registration number or its id.
    to: String,
}

/// A mail item: a draft (no number yet) or a registration.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemJson {
    id: Uuid,
    register_id: Uuid,
    /// The legal registration number, e.g. `MMG/ARR/2026/000123`.
    number: Option<String>,
    year: Option<i32>,
    sequence: Option<u64>,
    /// `draft`, `registered` or `cancelled`.
    status: &'static str,
    /// 1 as registered, one more per correction.
    version: u32,
    subject: String,
    sender: String,
    sender_id: Option<Uuid>,
    /// As the letter names them, semicolon-separated.
    recipient: String,
    /// Their directory entries, in the same order.
    recipient_ids: Vec<Uuid>,
    letter_date: Option<String>,
    received_at: String,
    nature: String,
    channel: &'static str,
    priority: String,
    confidentiality: &'static str,
    keywords: String,
    paper_location: String,
    registered_at: Option<String>,
    /// When processing is due, from the nature's and priority's processing times.
    due_on: Option<String>,
    cancel_reason: Option<String>,
    documents: Vec<DocumentJson>,
    links: Vec<LinkViewJson>,
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

/// A link seen from the item.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkViewJson {
    kind: &'static str,
    /// `true`: this item → other; `false`: other → this item.
    outgoing: bool,
    other: Uuid,
}

/// One version of a registered item.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionJson {
    version: u32,
    #[schema(value_type = Object)]
    fields: serde_json::Value,
    reason: Option<String>,
    author_id: Uuid,
    at: String,
}

/// An entry of the correspondents directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrespondentJson {
    id: Uuid,
    name: String,
    /// `person`, `organisation`, or absent when not yet classified.
    kind: Option<&'static str>,
    email: Option<String>,
    address: Option<String>,
    /// Another entry this one looked like when it was added.
    possible_duplicate_of: Option<Uuid>,
}

/// A new directory entry.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewCorrespondentJson {
    name: String,
    kind: String,
    email: String,
    address: String,
}

/// The administration's natures and priorities.
#[derive(Debug, Serialize, ToSchema)]
pub struct VocabularyJson {
    natures: Vec<TermJson>,
    priorities: Vec<TermJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermJson {
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    processing_days: Option<u16>,
}

/// An error, as `application/problem+json` (RFC 9457) with a stable `code`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    r#type: String,
    /// In the caller's language (`Accept-Language`).
    title: String,
    status: u16,
    /// Stable: `invalid_input`, `not_found`, `unauthenticated`, `forbidden`, `conflict`…
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

fn refused(err: Refused) -> AppError {
    match err {
        Refused::Invalid(errors) => AppError::new(ErrorKind::InvalidFields(errors)),
        Refused::Failed(err) => err,
    }
}

fn document_json(d: DocumentRecord) -> DocumentJson {
    DocumentJson {
        id: d.id,
        role: d.role.code(),
        file_name: d.file_name,
        media_type: d.media_type,
        size: d.size,
        sha256: d.sha256,
    }
}

fn item_json(item: ItemRecord, documents: Vec<DocumentJson>, links: Vec<LinkViewJson>) -> ItemJson {
    let c = item.content;
    ItemJson {
        id: item.id,
        register_id: item.register_id,
        number: item.number,
        year: item.year,
        sequence: item.sequence,
        status: item.status.code(),
        version: item.version,
        subject: c.subject,
        sender: c.sender,
        sender_id: item.sender_id,
        recipient: c.recipient,
        recipient_ids: item.recipient_ids,
        letter_date: c.letter_date.map(|d| d.format("%Y-%m-%d").to_string()),
        received_at: item.received_at.to_rfc3339(),
        nature: c.nature,
        channel: c.channel.code(),
        priority: c.priority,
        confidentiality: c.confidentiality.code(),
        keywords: c.keywords,
        paper_location: c.paper_location,
        registered_at: item.registered_at.map(|at| at.to_rfc3339()),
        due_on: item.due_on.map(|d| d.format("%Y-%m-%d").to_string()),
        cancel_reason: item.cancel_reason,
        documents,
        links,
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
    let settings = state.db.registration_settings(current.tenant.id).await?;
    Ok(Json(
        settings
            .registers
            .iter()
            .cloned()
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

fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(key)) if !key.trim().is_empty() && key.len() <= 64 => {
            Ok(Some(format!("api:{}", key.trim())))
        }
        Some(_) => Err(AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "idempotency_key",
            Reason::TooLong { max: 64 },
        )))),
    }
}

/// Registers a mail item and gives it its number, with its documents when sent as
/// `multipart/form-data` (a `registration` part holding the JSON first, then a
/// `document` part for the main document and `attachments` parts): the number, the
/// item, its documents and the journal entry commit together. With an
/// `Idempotency-Key`, a retry returns the first registration (header
/// `Idempotent-Replayed: true`) instead of a second item.
#[utoipa::path(post, path = "/api/v1/registers/{register}/items", tag = "registry",
    params(("register" = Uuid, Path, description = "The register"),
           ("Idempotency-Key" = Option<String>, Header, description = "At most 64 characters; a retry with the same key returns the first result")),
    request_body(content(
        (RegistrationJson = "application/json"),
        (RegistrationJson = "multipart/form-data")
    )),
    responses((status = 201, body = ItemJson), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn register_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    request: axum::extract::Request,
) -> Result<Response, AppError> {
    use axum::extract::FromRequest as _;
    current.require(Action::RegisterMail)?;
    let key = idempotency_key(request.headers())?;
    let settings = state.db.registration_settings(current.tenant.id).await?;
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut submission = if multipart {
        // A browser may send a multipart form to any site without asking: here it
        // takes a bearer token, which a browser never adds by itself.
        if !request.headers().contains_key(header::AUTHORIZATION) {
            return Err(AppError::new(ErrorKind::Unauthenticated)
                .with_detail("a multipart registration takes a bearer token"));
        }
        if let Some(key) = &key
            && let Some(first) = registration::find_replay(&state, &current, key, register).await?
        {
            // A retry: nothing of it is stored again.
            return Ok(registered_response(first));
        }
        let parts = match axum::extract::Multipart::from_request(request, &state).await {
            Ok(parts) => parts,
            Err(rejection) => return Ok(rejection.into_response()),
        };
        multipart_submission(&state, &current, &settings, register, parts).await?
    } else {
        match Json::<RegistrationJson>::from_request(request, &state).await {
            Ok(Json(body)) => body.into_submission(&current, registration_defaults()),
            Err(rejection) => return Ok(rejection.into_response()),
        }
    };
    submission.key = key;
    let registered =
        registration::register_mail(&state, &current, &settings, register, submission, &origin)
            .await
            .map_err(refused)?;
    Ok(registered_response(registered))
}

/// 201 with the item and its documents, marked `Idempotent-Replayed` when a retry
/// found the first registration.
fn registered_response(registered: registration::Registered) -> Response {
    let documents = registered
        .documents
        .into_iter()
        .map(document_json)
        .collect();
    // Links are made once an item exists, so a registration's answer has none.
    let item = item_json(registered.item, documents, Vec::new());
    let mut response = (StatusCode::CREATED, Json(item)).into_response();
    if registered.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// Reads a multipart registration: the JSON is checked before a single file byte is
/// stored; each file then streams to the store within the administration's limit.
async fn multipart_submission(
    state: &AppState,
    current: &CurrentUser,
    settings: &RegistrationSettings,
    register: Uuid,
    mut parts: axum::extract::Multipart,
) -> Result<Submission, AppError> {
    let bad = |e: &dyn std::fmt::Display| {
        AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "registration",
            Reason::UnknownValue,
        )))
        .with_detail(e)
    };
    let mut submission: Option<Submission> = None;
    while let Some(part) = parts.next_field().await.map_err(|e| bad(&e))? {
        let name = part.name().unwrap_or_default().to_owned();
        if name == "registration" {
            let text = part.text().await.map_err(|e| bad(&e))?;
            let body: RegistrationJson = serde_json::from_str(&text).map_err(|e| bad(&e))?;
            let checked = body.into_submission(current, registration_defaults());
            settings
                .register(register)
                .ok_or_else(AppError::not_found)?;
            let vocabulary = &settings.vocabulary;
            // Checked before any file is stored; parties picked by id are resolved later.
            if let Err(errors) =
                checked
                    .form
                    .validate(state.clock.now(), current.tenant.time_zone, vocabulary)
            {
                let by_id = |field: &str| {
                    (field == "sender" && checked.sender_id.is_some())
                        || (field == "recipient" && !checked.recipient_ids.is_empty())
                };
                let errors: Vec<_> = errors.into_iter().filter(|e| !by_id(e.field)).collect();
                if !errors.is_empty() {
                    return Err(AppError::new(ErrorKind::InvalidFields(errors)));
                }
            }
            submission = Some(checked);
            continue;
        }
        let Some(accepted) = submission.as_mut() else {
            return Err(bad(&"the registration part comes before any file"));
        };
        if name != "document" && name != "attachments" {
            continue;
        }
        if accepted.documents.len() == crate::documents::MAX_FILES {
            return Err(AppError::new(ErrorKind::InvalidFields(vec![
                InvalidInput::new(
                    "document",
                    Reason::TooManyFiles {
                        max: crate::documents::MAX_FILES,
                    },
                ),
            ])));
        }
        let has_main = accepted
            .documents
            .iter()
            .any(|d| d.role == DocumentRole::Main);
        let role = if name == "document" && !has_main {
            DocumentRole::Main
        } else {
            DocumentRole::Attachment
        };
        let file_name = part.file_name().unwrap_or("document").trim().to_owned();
        let declared = part.content_type().map(str::to_owned);
        let stored = store_upload(
            state.store.as_ref(),
            current.tenant.id,
            role,
            &file_name,
            declared.as_deref(),
            crate::documents::field_stream(part),
            current.tenant.max_document_bytes,
        )
        .await;
        match stored {
            Ok(document) => accepted.documents.push(document),
            Err(UploadError::Refused(invalid)) => {
                return Err(AppError::new(ErrorKind::InvalidFields(vec![invalid])));
            }
            Err(UploadError::Failed(err)) => return Err(err),
        }
    }
    submission.ok_or_else(|| bad(&"no registration part"))
}

/// Saves a draft: an item without a number, completed later and registered with
/// `POST /api/v1/items/{id}/registration`. Every field may still be missing.
#[utoipa::path(post, path = "/api/v1/registers/{register}/drafts", tag = "registry",
    params(("register" = Uuid, Path, description = "The register")),
    request_body = RegistrationJson,
    responses((status = 201, body = ItemJson), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn create_draft(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<RegistrationJson>,
) -> Result<(StatusCode, Json<ItemJson>), AppError> {
    let submission = body.into_submission(&current, RegistrationForm::default());
    let item = registration::create_draft(&state, &current, register, submission, &origin)
        .await
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(item_json(item, Vec::new(), Vec::new())),
    ))
}

/// Registers a draft with its completed fields: it takes its register's next number.
#[utoipa::path(post, path = "/api/v1/items/{id}/registration", tag = "registry",
    params(("id" = Uuid, Path, description = "The draft")),
    request_body = RegistrationJson,
    responses((status = 200, body = ItemJson), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn register_draft(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<RegistrationJson>,
) -> Result<Json<ItemJson>, AppError> {
    let mut draft = current_form(&state, &current, id).await?;
    let defaults = registration_defaults();
    for (field, default) in [
        (&mut draft.nature, defaults.nature),
        (&mut draft.channel, defaults.channel),
        (&mut draft.priority, defaults.priority),
        (&mut draft.confidentiality, defaults.confidentiality),
    ] {
        if field.is_empty() {
            *field = default;
        }
    }
    let submission = body.into_submission(&current, draft);
    let item = registration::register_draft(&state, &current, id, submission, &origin)
        .await
        .map_err(refused)?;
    Ok(Json(item_json(item, Vec::new(), Vec::new())))
}

#[derive(Debug, Deserialize)]
pub(crate) struct UploadQuery {
    /// `main` (a draft's scan or letter, once) or `attachment`.
    role: Option<String>,
    /// The file's name, e.g. `lettre.pdf`.
    file_name: String,
}

/// Adds a document to an item: the request body is the file itself, streamed to the
/// administration's store with its SHA-256. Its kind is judged from its content; the
/// `Content-Type` must agree.
#[utoipa::path(post, path = "/api/v1/items/{id}/documents", tag = "registry",
    params(("id" = Uuid, Path, description = "The item"),
           ("role" = Option<String>, Query, description = "`main` (a draft's scan or letter, once) or `attachment` (the default)"),
           ("file_name" = String, Query, description = "The file's name, e.g. `lettre.pdf`")),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = ItemJson), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn upload_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<UploadQuery>,
    ClientAddress(origin): ClientAddress,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<ItemJson>), AppError> {
    current.require(Action::RegisterMail)?;
    let role = match query.role.as_deref().unwrap_or("attachment") {
        "main" => DocumentRole::Main,
        "attachment" => DocumentRole::Attachment,
        _ => {
            return Err(AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
                "role",
                Reason::UnknownValue,
            ))));
        }
    };
    {
        // Refuses before a byte is stored when the item is not there to receive it.
        let tx = state.db.tenant_read(current.tenant.id).await?;
        visible_item(&tx, &current, id).await?;
        tx.commit().await?;
    }
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let document = match store_upload(
        state.store.as_ref(),
        current.tenant.id,
        role,
        query.file_name.trim(),
        declared.as_deref(),
        stream,
        current.tenant.max_document_bytes,
    )
    .await
    {
        Ok(document) => document,
        Err(UploadError::Refused(invalid)) => {
            return Err(AppError::new(ErrorKind::InvalidFields(vec![invalid])));
        }
        Err(UploadError::Failed(err)) => return Err(err),
    };
    registration::add_documents(&state, &current, id, vec![document], &origin)
        .await
        .map_err(refused)?;
    let item = item_with_details(&state, &current, id).await?;
    Ok((StatusCode::CREATED, Json(item)))
}

/// Corrects a registered item: every field as it should read now, and the reason.
/// The item moves to its next version; the earlier ones stay in its history.
#[utoipa::path(post, path = "/api/v1/items/{id}/corrections", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    request_body = CorrectionJson,
    responses((status = 200, body = ItemJson), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn correct_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<CorrectionJson>,
) -> Result<Json<ItemJson>, AppError> {
    let base = current_form(&state, &current, id).await?;
    let submission = body.fields.into_submission(&current, base);
    let item = registration::correct(&state, &current, id, submission, &body.reason, &origin)
        .await
        .map_err(refused)?;
    Ok(Json(item_json(item, Vec::new(), Vec::new())))
}

/// Cancels a registration. The number stays taken, with the reason.
#[utoipa::path(post, path = "/api/v1/items/{id}/cancellation", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    request_body = ReasonJson,
    responses((status = 200, body = ItemJson), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn cancel_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<ReasonJson>,
) -> Result<Json<ItemJson>, AppError> {
    let item = registration::cancel(&state, &current, id, &body.reason, &origin)
        .await
        .map_err(refused)?;
    Ok(Json(item_json(item, Vec::new(), Vec::new())))
}

/// Links the item to another: it replies to it, follows it up, or duplicates it.
#[utoipa::path(post, path = "/api/v1/items/{id}/links", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    request_body = LinkJson,
    responses((status = 200, body = ItemJson), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn link_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<LinkJson>,
) -> Result<Json<ItemJson>, AppError> {
    registration::link(&state, &current, id, &body.kind, &body.to, &origin)
        .await
        .map_err(refused)?;
    Ok(Json(item_with_details(&state, &current, id).await?))
}

async fn item_with_details(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ItemJson, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    let documents = tx
        .documents()
        .for_item(item.id)
        .await?
        .into_iter()
        .map(document_json)
        .collect();
    let mut links = Vec::new();
    for link in tx.items().links(item.id).await? {
        // A link to an item the caller may not see is not shown.
        if visible_item(&tx, current, link.other).await.is_ok() {
            links.push(LinkViewJson {
                kind: link.kind.code(),
                outgoing: link.outgoing,
                other: link.other,
            });
        }
    }
    tx.commit().await?;
    Ok(item_json(item, documents, links))
}

/// One item with its documents and links. The view is written in the journal.
#[utoipa::path(get, path = "/api/v1/items/{id}", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    responses((status = 200, body = ItemJson), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn get_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
) -> Result<Json<ItemJson>, AppError> {
    let item = item_with_details(&state, &current, id).await?;
    let tx = state.db.tenant_write(current.tenant.id).await?;
    tx.journal()
        .append(
            current.item_event(
                "item.viewed",
                item.id,
                serde_json::json!({ "number": item.number, "via": "api" }),
                origin,
            ),
            state.clock.now(),
        )
        .await?;
    tx.commit().await?;
    Ok(Json(item))
}

/// The versions of a registered item, oldest first: as registered, then each
/// correction with its reason. Empty until a first correction.
#[utoipa::path(get, path = "/api/v1/items/{id}/versions", tag = "registry",
    params(("id" = Uuid, Path, description = "The item")),
    responses((status = 200, body = [VersionJson]), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn item_versions(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<VersionJson>>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let versions = tx.items().versions(item.id).await?;
    tx.commit().await?;
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionJson {
                version: v.version,
                fields: v.fields,
                reason: v.reason,
                author_id: v.author_id,
                at: v.at.to_rfc3339(),
            })
            .collect(),
    ))
}

/// Narrows a year's register.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterFilter {
    /// Words found in the subject, sender, recipient, number or keywords.
    pub q: Option<String>,
    /// `registered` or `cancelled`.
    pub status: Option<String>,
    /// A nature code.
    pub nature: Option<String>,
}

impl RegisterFilter {
    pub(crate) fn to_filter(&self) -> Result<ItemFilter, AppError> {
        let present = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let status = match present(&self.status) {
            None => None,
            Some(code) => Some(
                ItemStatus::parse(&code).map_err(|e| AppError::new(ErrorKind::InvalidInput(e)))?,
            ),
        };
        Ok(ItemFilter {
            text: present(&self.q),
            status,
            nature: present(&self.nature),
        })
    }
}

/// The items of a register for one year, latest number first (500 at most),
/// optionally narrowed by words, status and nature.
#[utoipa::path(get, path = "/api/v1/registers/{register}/years/{year}/items", tag = "registry",
    params(("register" = Uuid, Path, description = "The register"), ("year" = i32, Path, description = "The registration year"),
           ("q" = Option<String>, Query, description = "Words found in the subject, sender, recipient, number or keywords"),
           ("status" = Option<String>, Query, description = "`registered` or `cancelled`"),
           ("nature" = Option<String>, Query, description = "A nature code")),
    responses((status = 200, body = [ItemJson]), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn list_items(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((register, year)): Path<(Uuid, i32)>,
    Query(filter): Query<RegisterFilter>,
) -> Result<Json<Vec<ItemJson>>, AppError> {
    current.require(Action::ViewRegister)?;
    let filter = filter.to_filter()?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let items = tx
        .items()
        .list_for_year(register.id, year, &filter, Some(500))
        .await?;
    tx.commit().await?;
    Ok(Json(
        items
            .into_iter()
            .filter(|item| may_see(&current.user.roles, item.confidentiality()))
            .map(|item| item_json(item, Vec::new(), Vec::new()))
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
pub(crate) struct DirectoryQuery {
    /// What has been typed so far; accents and case do not matter.
    q: Option<String>,
}

fn correspondent_json(c: ordo_db::CorrespondentRecord) -> CorrespondentJson {
    CorrespondentJson {
        id: c.id,
        name: c.name,
        kind: c.kind.map(|k| k.code()),
        email: c.email,
        address: c.address,
        possible_duplicate_of: c.possible_duplicate_of,
    }
}

/// Searches the correspondents directory as a person types (20 entries at most).
#[utoipa::path(get, path = "/api/v1/correspondents", tag = "registry",
    params(("q" = Option<String>, Query, description = "What has been typed so far; accents and case do not matter")),
    responses((status = 200, body = [CorrespondentJson])),
    security(("bearer" = [])))]
pub(crate) async fn list_correspondents(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<DirectoryQuery>,
) -> Result<Json<Vec<CorrespondentJson>>, AppError> {
    // The directory names who writes confidential mail too: it is for those who
    // register, who see such mail anyway.
    current.require(Action::RegisterMail)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let found = tx
        .correspondents()
        .search(
            query.q.as_deref().unwrap_or_default(),
            ordo_db::repos::correspondents::SEARCH_LIMIT,
        )
        .await?;
    tx.commit().await?;
    Ok(Json(found.into_iter().map(correspondent_json).collect()))
}

/// Adds an entry to the directory; one that looks like an existing entry is
/// flagged in `possible_duplicate_of`.
#[utoipa::path(post, path = "/api/v1/correspondents", tag = "registry",
    request_body = NewCorrespondentJson,
    responses((status = 201, body = CorrespondentJson), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub(crate) async fn add_correspondent(
    State(state): State<AppState>,
    current: CurrentUser,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<NewCorrespondentJson>,
) -> Result<(StatusCode, Json<CorrespondentJson>), AppError> {
    current.require(Action::ManageDirectory)?;
    let new = NewCorrespondent::parse(&body.name, &body.kind, &body.email, &body.address)
        .map_err(|errors| AppError::new(ErrorKind::InvalidFields(errors)))?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let added = tx.correspondents().insert(new, now).await?;
    tx.journal()
        .append(
            crate::directory::added_event(&current, &added, &origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(correspondent_json(added))))
}

/// The administration's natures and priorities, with their processing times.
#[utoipa::path(get, path = "/api/v1/vocabulary", tag = "registry",
    responses((status = 200, body = VocabularyJson)),
    security(("bearer" = [])))]
pub(crate) async fn vocabulary(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Json<VocabularyJson>, AppError> {
    current.require(Action::ViewRegister)?;
    let vocabulary = state
        .db
        .registration_settings(current.tenant.id)
        .await?
        .vocabulary
        .clone();
    let terms = |terms: Vec<ordo_domain::Term>| {
        terms
            .into_iter()
            .map(|t| TermJson {
                code: t.code,
                name_fr: t.name.fr,
                name_ar: t.name.ar,
                name_en: t.name.en,
                processing_days: t.processing_days,
            })
            .collect()
    };
    Ok(Json(VocabularyJson {
        natures: terms(vocabulary.natures),
        priorities: terms(vocabulary.priorities),
    }))
}
