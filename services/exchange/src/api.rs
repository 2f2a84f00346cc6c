//! The exchange over HTTP. For people and integrations under `/api/v1` (session or
//! bearer token): the directory, sending an item, where its recipients stand,
//! returning an arrival, and each envelope and receipt as signed. For other
//! platforms (and this one's worker, in-process) under `/exchange/v1`: delivering
//! an envelope or a receipt, answered with a signed receipt.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use ordo_db::{ReceiptDirection, StoredReceipt};
use ordo_domain::permissions::Action;
use ordo_envelope::{ReceiptTransfer, Transfer};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{arrival, receipts, receive, send};

#[derive(Debug, Deserialize)]
pub struct DirectoryQuery {
    #[serde(default)]
    q: String,
}

#[derive(Debug, Serialize)]
pub struct DirectoryJson {
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    /// `central` or `decentralised`.
    level: &'static str,
    parent_code: Option<String>,
    /// `local` (this platform) or `remote` (another platform).
    platform: &'static str,
    /// What it accepts: `envelope` (electronic mail) and the receipts.
    capabilities: [&'static str; 2],
    /// The units it shows, which mail may be addressed to.
    units: Vec<UnitJson>,
}

#[derive(Debug, Serialize)]
pub struct UnitJson {
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
}

/// The administrations mail can be sent to, found by code or name.
pub async fn directory(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<DirectoryQuery>,
) -> Result<Json<Vec<DirectoryJson>>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.platform().await?;
    let entries = crate::directory::all(&tx).await?;
    let units = crate::directory::units(&tx).await?;
    tx.commit().await?;
    Ok(Json(
        crate::directory::search(&entries, &query.q)
            .into_iter()
            .map(|e| DirectoryJson {
                code: e.code().to_owned(),
                name_fr: e.name().fr.clone(),
                name_ar: e.name().ar.clone(),
                name_en: e.name().en.clone(),
                level: e.level().as_str(),
                parent_code: match e {
                    crate::directory::Counterpart::Local(entry) => entry.parent_code.clone(),
                    crate::directory::Counterpart::Remote(_) => None,
                },
                platform: match e {
                    crate::directory::Counterpart::Local(_) => "local",
                    crate::directory::Counterpart::Remote(_) => "remote",
                },
                capabilities: ["envelope", "receipts"],
                units: units
                    .get(e.code())
                    .map(|list| {
                        list.iter()
                            .map(|u| UnitJson {
                                code: u.code.clone(),
                                name_fr: u.name.fr.clone(),
                                name_ar: u.name.ar.clone(),
                                name_en: u.name.en.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct SendJson {
    recipients: Vec<AddresseeJson>,
}

#[derive(Debug, Deserialize)]
pub struct AddresseeJson {
    organisation: String,
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SentJson {
    envelope_id: Uuid,
    sha256: String,
}

/// Sends a registered outgoing item to administrations of the directory.
pub async fn send_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<SendJson>,
) -> Result<(StatusCode, Json<SentJson>), AppError> {
    let addressees = body
        .recipients
        .into_iter()
        .map(|r| send::Addressee {
            organisation: r.organisation.trim().to_uppercase(),
            unit: r.unit.filter(|u| !u.trim().is_empty()),
        })
        .collect();
    let sent = send::send(&state, &current, id, addressees, &origin).await?;
    Ok((
        StatusCode::CREATED,
        Json(SentJson {
            envelope_id: sent.id,
            sha256: sent.sha256,
        }),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ResendJson {
    organisation: String,
}

/// Sends an envelope again to a recipient it did not reach.
pub async fn resend(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<ResendJson>,
) -> Result<StatusCode, AppError> {
    send::resend(&state, &current, id, body.organisation.trim(), &origin).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Debug, Deserialize)]
pub struct ReturnJson {
    /// `NotCompetent`, `Misaddressed` or `Incomplete`.
    reason_code: String,
    reason: String,
}

/// Sends an arrival back to its sender instead of registering it.
pub async fn return_item(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<ReturnJson>,
) -> Result<StatusCode, AppError> {
    arrival::return_arrival(
        &state,
        &current,
        id,
        &body.reason_code,
        &body.reason,
        &origin,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize)]
pub struct ItemExchangeJson {
    sent: Vec<EnvelopeJson>,
    received: Option<ArrivalJson>,
}

#[derive(Debug, Serialize)]
pub struct EnvelopeJson {
    id: Uuid,
    sha256: String,
    created_at: chrono::DateTime<chrono::Utc>,
    recipients: Vec<RecipientJson>,
    receipts: Vec<ReceiptJson>,
}

#[derive(Debug, Serialize)]
pub struct RecipientJson {
    organisation: String,
    unit: Option<String>,
    /// `sending`, `accepted`, `rejected`, `registered`, `returned`, `read`,
    /// `not_delivered`.
    status: String,
    detail: Option<String>,
    their_number: Option<String>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize)]
pub struct ReceiptJson {
    id: Uuid,
    /// `issued` here or `received` from the other side.
    direction: &'static str,
    kind: String,
    issuer: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize)]
pub struct ArrivalJson {
    envelope_id: Uuid,
    sender: String,
    sha256: String,
    /// `to_register`, `registered` or `returned`.
    status: String,
    received_at: chrono::DateTime<chrono::Utc>,
    receipts: Vec<ReceiptJson>,
}

fn receipt_json(receipt: StoredReceipt) -> ReceiptJson {
    ReceiptJson {
        id: receipt.id,
        direction: match receipt.direction {
            ReceiptDirection::Issued => "issued",
            ReceiptDirection::Received => "received",
        },
        kind: receipt.kind,
        issuer: receipt.issuer,
        at: receipt.created_at,
    }
}

/// Where an item stands in the exchange: each envelope sent for it with each
/// recipient's standing and the receipts, or the envelope it came in.
pub async fn item_exchange(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ItemExchangeJson>, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    tx.items().find(id).await?.ok_or_else(AppError::not_found)?;
    let mut sent = Vec::new();
    for envelope in tx.exchange().envelopes_for_item(id).await? {
        let recipients = tx.exchange().recipients(envelope.id).await?;
        let receipts = tx.exchange().receipts(envelope.id).await?;
        sent.push(EnvelopeJson {
            id: envelope.id,
            sha256: envelope.sha256,
            created_at: envelope.created_at,
            recipients: recipients
                .into_iter()
                .map(|r| RecipientJson {
                    organisation: r.organisation,
                    unit: r.unit,
                    status: r.status,
                    detail: r.detail,
                    their_number: r.their_number,
                    updated_at: r.updated_at,
                })
                .collect(),
            receipts: receipts.into_iter().map(receipt_json).collect(),
        });
    }
    let received = match tx.exchange().arrival_for_item(id).await? {
        Some(arrival) => {
            let receipts = tx
                .exchange()
                .receipts(arrival.envelope_id)
                .await?
                .into_iter()
                .filter(|r| r.sender == arrival.sender && r.direction == ReceiptDirection::Issued)
                .map(receipt_json)
                .collect();
            Some(ArrivalJson {
                envelope_id: arrival.envelope_id,
                sender: arrival.sender,
                sha256: arrival.sha256,
                status: arrival.status,
                received_at: arrival.received_at,
                receipts,
            })
        }
        None => None,
    };
    tx.commit().await?;
    Ok(Json(ItemExchangeJson { sent, received }))
}

#[derive(Debug, Deserialize)]
pub struct PartQuery {
    /// `json` (the exact bytes signed, the default) or `p7s` (the detached CMS
    /// signature, DER).
    #[serde(default)]
    part: Option<String>,
    /// For receipts: `issued` or `received` (the default).
    #[serde(default)]
    direction: Option<String>,
}

fn signed_part(
    name: String,
    content: Vec<u8>,
    signature: Vec<u8>,
    part: Option<&str>,
) -> Result<Response, AppError> {
    let (bytes, media_type, file) = match part.unwrap_or("json") {
        "json" => (content, "application/json", format!("{name}.json")),
        "p7s" => (
            signature,
            "application/pkcs7-signature",
            format!("{name}.p7s"),
        ),
        _ => return Err(AppError::not_found()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An envelope this administration sent, as signed, or its signature.
pub async fn download_envelope(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<PartQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let envelope = tx
        .exchange()
        .envelope(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    signed_part(
        format!("pli-{id}"),
        envelope.envelope,
        envelope.signature,
        query.part.as_deref(),
    )
}

/// A receipt about an envelope, as signed, or its signature.
pub async fn download_receipt(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((envelope, receipt)): Path<(Uuid, Uuid)>,
    Query(query): Query<PartQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ViewRegister)?;
    let direction = match query.direction.as_deref() {
        Some("issued") => ReceiptDirection::Issued,
        _ => ReceiptDirection::Received,
    };
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let stored = tx
        .exchange()
        .receipt(receipt, direction)
        .await?
        .filter(|r| r.envelope_id == envelope)
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    signed_part(
        format!("accuse-{}-{receipt}", stored.kind),
        stored.receipt,
        stored.signature,
        query.part.as_deref(),
    )
}

/// An envelope delivered for `addressee`: answered with a signed receipt,
/// `Accepted` or `Rejected` with its code. A transfer that is not even readable
/// gets 422; a failure on this side, 5xx, and the sender tries again.
pub async fn deliver_envelope(
    State(state): State<AppState>,
    Path(addressee): Path<String>,
    body: Bytes,
) -> Result<Json<ReceiptTransfer>, AppError> {
    let transfer = Transfer::parse(&body).map_err(|rejection| {
        AppError::new(ErrorKind::InvalidInput(ordo_domain::InvalidInput::new(
            "transfer",
            ordo_domain::Reason::UnknownValue,
        )))
        .with_detail(rejection.to_string())
    })?;
    Ok(Json(receive::receive(&state, &addressee, &transfer).await?))
}

/// A receipt answering an envelope sent from this platform.
pub async fn deliver_receipt(
    State(state): State<AppState>,
    Json(transfer): Json<ReceiptTransfer>,
) -> Result<StatusCode, AppError> {
    receipts::take_in(&state, &transfer, None).await?;
    Ok(StatusCode::NO_CONTENT)
}
