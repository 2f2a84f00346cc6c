//! The worker's side of the exchange: it takes due deliveries from the queue,
//! carries each to the receiving side and takes in the signed answer. A delivery
//! that fails (the other side down, an answer that does not check) is retried
//! with back-off and jitter; when the retries run out the sender issues
//! `NotDelivered` itself and may send again. The receiving side keeps the key
//! `(sender, envelope id)` forever, so a delivery carried twice (a worker that
//! crashed after sending) is answered with the first receipt: exactly once.

use ordo_db::{DeliveryKind, QueuedDelivery, ReceiptDirection, Retry};
use ordo_envelope::{Binding, Receipt, ReceiptTransfer, Transfer, TransferFile};
use ordo_storage::ObjectKey;
use ordo_web::{AppError, AppState};
use tokio::io::AsyncReadExt;

use crate::{directory::Counterpart, receipts, receive};

/// How many deliveries one round takes at most.
pub const BATCH: u64 = 10;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CourierReport {
    pub taken: usize,
    pub delivered: usize,
    pub retried: usize,
    pub given_up: usize,
}

impl CourierReport {
    pub fn was_full(&self) -> bool {
        self.taken == BATCH as usize
    }
}

/// Carries the deliveries that are due now.
pub async fn deliver_due(state: &AppState) -> Result<CourierReport, ordo_db::DbError> {
    let tx = state.db.platform_write().await?;
    let due = tx
        .exchange_queue()
        .claim_due(state.clock.now(), BATCH)
        .await?;
    tx.commit().await?;
    let mut report = CourierReport {
        taken: due.len(),
        ..CourierReport::default()
    };
    for delivery in due {
        let outcome = match delivery.kind {
            DeliveryKind::Envelope => carry_envelope(state, &delivery).await,
            DeliveryKind::Receipt => carry_receipt(state, &delivery).await,
        };
        match record(state, &delivery, outcome).await {
            Ok(None) => report.delivered += 1,
            Ok(Some(Retry::At(_))) => report.retried += 1,
            Ok(Some(Retry::GivenUp)) => report.given_up += 1,
            Err(err) => {
                tracing::warn!(delivery = %delivery.id, error = %err, "outcome not recorded; the delivery is tried again after its lease");
            }
        }
    }
    if report.delivered + report.retried + report.given_up > 0 {
        tracing::info!(?report, "exchange deliveries carried");
    }
    Ok(report)
}

/// Records what became of a delivery: `None` when it is done.
async fn record(
    state: &AppState,
    delivery: &QueuedDelivery,
    outcome: Result<(), AppError>,
) -> Result<Option<Retry>, AppError> {
    let now = state.clock.now();
    let tx = state.db.platform_write().await?;
    let retry = match outcome {
        Ok(()) => {
            tx.exchange_queue().mark_done(delivery, now).await?;
            None
        }
        Err(error) => {
            tracing::warn!(delivery = %delivery.id, destination = %delivery.destination, attempts = delivery.attempts + 1, %error, "exchange delivery failed");
            Some(
                tx.exchange_queue()
                    .mark_failed(delivery, &error.to_string(), state.exchange.retry, now)
                    .await?,
            )
        }
    };
    tx.commit().await?;
    if retry == Some(Retry::GivenUp) && delivery.kind == DeliveryKind::Envelope {
        not_delivered(state, delivery).await?;
    }
    Ok(retry)
}

/// Reads a sent envelope and its files, hands them to the addressee, and takes in
/// its answer.
async fn carry_envelope(state: &AppState, delivery: &QueuedDelivery) -> Result<(), AppError> {
    let tx = state.db.tenant_read(delivery.tenant).await?;
    let sent = tx
        .exchange()
        .envelope(delivery.envelope_id)
        .await?
        .ok_or_else(|| AppError::internal("the envelope to deliver is gone"))?;
    let documents = tx.documents().for_item(sent.item_id).await?;
    tx.commit().await?;
    let mut files = Vec::with_capacity(documents.len());
    for document in documents {
        let key = ObjectKey::parse(&document.object_key)?;
        let mut content = Vec::with_capacity(usize::try_from(document.size).unwrap_or(0));
        state
            .store
            .get(delivery.tenant, &key)
            .await?
            .read_to_end(&mut content)
            .await
            .map_err(|e| AppError::internal(format!("reading a document: {e}")))?;
        files.push(TransferFile {
            name: document.file_name,
            content,
        });
    }
    let transfer = Transfer {
        envelope: sent.envelope,
        signature: sent.signature,
        files,
    };
    let answer = match destination(state, &delivery.destination).await? {
        Counterpart::Local(_) => receive::receive(state, &delivery.destination, &transfer).await?,
        Counterpart::Remote(remote) => {
            let url = format!(
                "{}/exchange/v1/{}/envelopes",
                remote.platform_url.trim_end_matches('/'),
                remote.code
            );
            let response = remote_client(state)?
                .post(&url)
                .json(&transfer)
                .send()
                .await
                .map_err(|e| unreachable(&url, e))?;
            if !response.status().is_success() {
                return Err(AppError::internal(format!(
                    "{url} answered {}",
                    response.status()
                )));
            }
            response
                .json::<ReceiptTransfer>()
                .await
                .map_err(|e| unreachable(&url, e))?
        }
    };
    receipts::take_in(state, &answer, Some(&delivery.destination)).await?;
    Ok(())
}

/// Where a delivery goes: an administration of this platform or of another.
async fn destination(state: &AppState, code: &str) -> Result<Counterpart, AppError> {
    let platform = state.db.platform().await?;
    let found = crate::directory::find(&platform, code).await?;
    platform.commit().await?;
    found.ok_or_else(|| AppError::internal(format!("{code} is no longer in the directory")))
}

/// The HTTPS client that presents this platform's certificate to the others.
fn remote_client(state: &AppState) -> Result<&reqwest::Client, AppError> {
    state.exchange.client.as_ref().ok_or_else(|| {
        AppError::internal(
            "no exchange.certificate is configured: other platforms cannot be reached",
        )
    })
}

fn unreachable(url: &str, error: reqwest::Error) -> AppError {
    AppError::new(ordo_web::ErrorKind::Unavailable).with_detail(format!("{url}: {error}"))
}

/// Hands a receipt issued here to the envelope's sender.
async fn carry_receipt(state: &AppState, delivery: &QueuedDelivery) -> Result<(), AppError> {
    let id = delivery
        .receipt_id
        .ok_or_else(|| AppError::internal("a receipt delivery names no receipt"))?;
    let tx = state.db.tenant_read(delivery.tenant).await?;
    let receipt = tx
        .exchange()
        .receipt(id, ReceiptDirection::Issued)
        .await?
        .ok_or_else(|| AppError::internal("the receipt to deliver is gone"))?;
    tx.commit().await?;
    let transfer = ReceiptTransfer {
        receipt: receipt.receipt,
        signature: receipt.signature,
    };
    match destination(state, &delivery.destination).await? {
        Counterpart::Local(_) => {
            receipts::take_in(state, &transfer, None).await?;
        }
        Counterpart::Remote(remote) => {
            let url = format!(
                "{}/exchange/v1/receipts",
                remote.platform_url.trim_end_matches('/')
            );
            let response = remote_client(state)?
                .post(&url)
                .json(&transfer)
                .send()
                .await
                .map_err(|e| unreachable(&url, e))?;
            if !response.status().is_success() {
                return Err(AppError::internal(format!(
                    "{url} answered {}",
                    response.status()
                )));
            }
        }
    }
    Ok(())
}

/// The retries ran out: the sender issues `NotDelivered` for that recipient, with
/// the last error, and the item page offers to send again.
async fn not_delivered(state: &AppState, delivery: &QueuedDelivery) -> Result<(), AppError> {
    let now = state.clock.now();
    let tx = state.db.tenant_write(delivery.tenant).await?;
    let sent = tx
        .exchange()
        .envelope(delivery.envelope_id)
        .await?
        .ok_or_else(|| AppError::internal("the envelope given up is gone"))?;
    let own = tx
        .own_tenant()
        .await?
        .ok_or_else(|| AppError::internal("the sender's tenant is gone"))?;
    let code = own.code.as_str().to_owned();
    let receipt = Receipt::not_delivered(
        Binding {
            envelope_id: sent.id,
            envelope_sha256: sent.sha256.clone(),
            sender: code.clone(),
            issuer: code,
        },
        format!(
            "{} could not be reached after {} attempts",
            delivery.destination,
            delivery.attempts + 1
        ),
        now,
    );
    let seal = receipts::seal_of(&tx).await?;
    receipts::issue(&tx, &seal, &receipt, now).await?;
    tx.exchange()
        .set_recipient_status(
            sent.id,
            &delivery.destination,
            receipts::standing::NOT_DELIVERED,
            receipt.rejection.as_ref().map(|r| r.detail.as_str()),
            None,
            now,
        )
        .await?;
    tx.journal()
        .append(
            ordo_db::JournalEvent {
                actor: "system".to_owned(),
                action: "exchange.not_delivered",
                object: format!("item:{}", sent.item_id),
                details: serde_json::json!({
                    "envelope": sent.id,
                    "recipient": delivery.destination,
                    "receipt": receipt.id,
                }),
                origin: "exchange".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
