//! The exchange on the item page: a registered outgoing item is sent from there to
//! administrations of the directory (several at once) and shows where each
//! recipient stands with every receipt to download; an item that came through the
//! exchange shows its sender and number, and can be sent back with a reason. The
//! forms work without JavaScript and come back to the item page.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use ordo_db::{ItemRecord, ReceiptDirection, StoredReceipt, TenantTx};
use ordo_domain::{ItemStatus, Locale, MailDirection, TimeZone, permissions::Action};
use ordo_envelope::{RejectionCode, ReturnReason};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind, csrf::CsrfForm};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{arrival, receive::arrival_status, send};

#[derive(Debug, Default, Serialize)]
pub struct ExchangePanel {
    /// The item may be sent from here: registered, not incoming, and the person
    /// registers mail.
    can_send: bool,
    directory: Vec<DirectoryOption>,
    sent: Vec<SentView>,
    arrival: Option<ArrivalView>,
    can_return: bool,
}

impl ExchangePanel {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        !self.can_send && self.sent.is_empty() && self.arrival.is_none()
    }
}

#[derive(Debug, Serialize)]
struct DirectoryOption {
    code: String,
    name: String,
    units: Vec<DirectoryOption>,
}

#[derive(Debug, Serialize)]
struct SentView {
    id: Uuid,
    at: String,
    recipients: Vec<RecipientView>,
    receipts: Vec<ReceiptView>,
}

#[derive(Debug, Serialize)]
struct RecipientView {
    organisation: String,
    name: String,
    unit: Option<String>,
    status: String,
    /// Why it was refused or sent back, as a catalog key (`exchange-return-…`,
    /// `exchange-rejection-…`): the page says it in the reader's language.
    reason: Option<String>,
    /// The words that came with it (the other secretariat's, or the platform's).
    detail: Option<String>,
    their_number: Option<String>,
    at: String,
}

#[derive(Debug, Serialize)]
struct ReceiptView {
    id: Uuid,
    envelope_id: Uuid,
    kind: String,
    issuer: String,
    direction: &'static str,
    at: String,
}

#[derive(Debug, Serialize)]
struct ArrivalView {
    sender: String,
    sender_name: String,
    their_number: String,
    status: String,
    at: String,
    receipts: Vec<ReceiptView>,
}

/// A recipient's stored detail (`Code: words`) as a catalog key and the words.
fn explained(detail: Option<String>) -> (Option<String>, Option<String>) {
    let Some(detail) = detail else {
        return (None, None);
    };
    let (code, words) = detail.split_once(": ").unwrap_or(("", detail.as_str()));
    let key = if ReturnReason::parse(code).is_some() {
        Some(format!("exchange-return-{code}"))
    } else if RejectionCode::parse(code).is_some() {
        Some(format!("exchange-rejection-{code}"))
    } else {
        None
    };
    let words = if key.is_some() {
        words
    } else {
        detail.as_str()
    };
    (key, Some(words.to_owned()).filter(|w| !w.trim().is_empty()))
}

fn local(at: DateTime<Utc>, zone: TimeZone) -> String {
    at.with_timezone(&zone.tz())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

fn receipt_view(receipt: StoredReceipt, zone: TimeZone) -> ReceiptView {
    ReceiptView {
        id: receipt.id,
        envelope_id: receipt.envelope_id,
        kind: receipt.kind,
        issuer: receipt.issuer,
        direction: match receipt.direction {
            ReceiptDirection::Issued => "issued",
            ReceiptDirection::Received => "received",
        },
        at: local(receipt.created_at, zone),
    }
}

/// The item page's exchange panel, read in the page's transaction.
pub async fn panel(
    state: &AppState,
    tx: &TenantTx,
    current: &CurrentUser,
    item: &ItemRecord,
    direction: MailDirection,
    locale: Locale,
) -> Result<ExchangePanel, AppError> {
    let zone = current.tenant.time_zone;
    let registers = current.may(Action::RegisterMail);
    let can_send =
        registers && item.status == ItemStatus::Registered && direction != MailDirection::Incoming;
    let envelopes = tx.exchange().envelopes_for_item(item.id).await?;
    let arrival = tx.exchange().arrival_for_item(item.id).await?;
    // Most items never go through the exchange: the directory is read only when
    // the panel offers it or names a counterpart.
    let (entries, units) = if can_send || !envelopes.is_empty() || arrival.is_some() {
        let platform = state.db.platform().await?;
        let entries = crate::directory::all(&platform).await?;
        let units = crate::directory::units(&platform).await?;
        platform.commit().await?;
        (entries, units)
    } else {
        Default::default()
    };
    let name_of = |code: &str| {
        entries
            .iter()
            .find(|e| e.code() == code)
            .map_or_else(|| code.to_owned(), |e| e.name().get(locale).to_owned())
    };
    let mut sent = Vec::new();
    for envelope in envelopes {
        let recipients = tx
            .exchange()
            .recipients(envelope.id)
            .await?
            .into_iter()
            .map(|r| {
                let (reason, detail) = explained(r.detail);
                RecipientView {
                    name: name_of(&r.organisation),
                    organisation: r.organisation,
                    unit: r.unit,
                    status: r.status,
                    reason,
                    detail,
                    their_number: r.their_number,
                    at: local(r.updated_at, zone),
                }
            })
            .collect();
        let receipts = tx
            .exchange()
            .receipts(envelope.id)
            .await?
            .into_iter()
            .map(|r| receipt_view(r, zone))
            .collect();
        sent.push(SentView {
            id: envelope.id,
            at: local(envelope.created_at, zone),
            recipients,
            receipts,
        });
    }
    let arrival = match arrival {
        Some(arrival) => {
            let number = ordo_envelope::Envelope::parse(&arrival.envelope)
                .map(|e| e.correspondence.number)
                .unwrap_or_default();
            let receipts = tx
                .exchange()
                .receipts(arrival.envelope_id)
                .await?
                .into_iter()
                .filter(|r| r.sender == arrival.sender && r.direction == ReceiptDirection::Issued)
                .map(|r| receipt_view(r, zone))
                .collect();
            Some(ArrivalView {
                sender_name: name_of(&arrival.sender),
                sender: arrival.sender,
                their_number: number,
                status: arrival.status,
                at: local(arrival.received_at, zone),
                receipts,
            })
        }
        None => None,
    };
    let can_return = registers
        && item.status == ItemStatus::Draft
        && arrival
            .as_ref()
            .is_some_and(|a| a.status == arrival_status::TO_REGISTER);
    Ok(ExchangePanel {
        can_send,
        directory: if can_send {
            entries
                .iter()
                .map(|e| DirectoryOption {
                    code: e.code().to_owned(),
                    name: e.name().get(locale).to_owned(),
                    units: units
                        .get(e.code())
                        .map(|list| {
                            list.iter()
                                .map(|u| DirectoryOption {
                                    code: format!("{}/{}", e.code(), u.code),
                                    name: u.name.get(locale).to_owned(),
                                    units: Vec::new(),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        } else {
            Vec::new()
        },
        sent,
        arrival,
        can_return,
    })
}

/// Where a form of the panel goes back to: the item page, at the panel, or with
/// the refused field named (the page says why in the reader's language).
fn back(id: Uuid, outcome: Result<(), AppError>) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/courriers/{id}#echange")).into_response()),
        Err(error) => match &error.kind {
            ErrorKind::InvalidInput(input) => Ok(Redirect::to(&format!(
                "/courriers/{id}?refus={}&motif={}#echange",
                input.field,
                input.reason.code()
            ))
            .into_response()),
            _ => Err(error),
        },
    }
}

/// `POST /courriers/{id}/echange`: sends the item to the administrations and
/// units ticked (`destinataire`, several: `CODE` or `CODE/UNIT`).
pub async fn send_form(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let addressees = fields
        .iter()
        .filter(|(name, _)| name == "destinataire")
        .map(|(_, value)| {
            let (organisation, unit) = match value.trim().split_once('/') {
                Some((organisation, unit)) => (organisation, Some(unit.to_owned())),
                None => (value.trim(), None),
            };
            send::Addressee {
                organisation: organisation.to_uppercase(),
                unit,
            }
        })
        .collect();
    let outcome = send::send(&state, &current, id, addressees, &origin)
        .await
        .map(drop);
    back(id, outcome)
}

#[derive(Debug, Deserialize)]
pub struct ResendForm {
    #[serde(default)]
    organisation: String,
}

/// `POST /courriers/{id}/echange/renvoyer`: sends again to a recipient not reached.
pub async fn resend_form(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ResendForm>,
) -> Result<Response, AppError> {
    let outcome = send::resend(&state, &current, id, form.organisation.trim(), &origin).await;
    back(id, outcome)
}

#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    reason_code: String,
    #[serde(default)]
    reason: String,
}

/// `POST /courriers/{id}/echange/retour`: sends an arrival back to its sender.
pub async fn return_form(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ReturnForm>,
) -> Result<Response, AppError> {
    let outcome = arrival::return_arrival(
        &state,
        &current,
        id,
        &form.reason_code,
        &form.reason,
        &origin,
    )
    .await;
    back(id, outcome)
}
