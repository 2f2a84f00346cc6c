//! The worker's side of the transactional outbox: what transactions enqueued is
//! delivered here, after they committed. A message is taken for a lease (another
//! worker skips it), sent, then marked sent; a failure is retried with back-off and
//! given up after `MAX_ATTEMPTS` or once it has expired, kept with its last error.
//! A worker only marks what it still holds. A crash between sending and marking
//! sends again after the lease: at least once, never lost; each message carries a
//! stable `Message-ID` so mail clients show such a repeat once.

use ordo_db::{Delivery, OutboxMessage};
use ordo_mail::{Attachment, ContentType, Message, MultiPart, SinglePart};
use ordo_web::AppState;

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    /// How many messages the round took: a full batch means more may be waiting.
    pub taken: usize,
    pub sent: usize,
    pub retried: usize,
    pub given_up: usize,
}

impl DeliveryReport {
    /// Whether the round took as many as it may: the worker goes on at once.
    pub fn was_full(&self) -> bool {
        self.taken == BATCH as usize
    }
}

/// How many messages one round takes at most: few enough that the last is sent well
/// within the lease even when the SMTP server answers slowly.
pub const BATCH: u64 = 10;

/// Time kept in hand before a lease runs out: a message is not started after that.
const MARGIN: chrono::Duration = chrono::Duration::seconds(30);

/// Delivers the messages that are due now.
pub async fn deliver_due(state: &AppState) -> Result<DeliveryReport, ordo_db::DbError> {
    let tx = state.db.platform_write().await?;
    let due = tx.outbox().claim_due(state.clock.now(), BATCH).await?;
    tx.commit().await?;
    let mut report = DeliveryReport {
        taken: due.len(),
        ..DeliveryReport::default()
    };
    for message in due {
        if state.clock.now() + MARGIN > message.lease_until {
            // Left for the next round, under a new lease.
            continue;
        }
        let outcome = match build(state, &message) {
            Ok(email) => state
                .mail
                .transport
                .send(email)
                .await
                .map_err(|e| e.to_string()),
            Err(err) => Err(err),
        };
        // A failure to record one outcome must not hold up the rest of the batch.
        match record(state, &message, outcome).await {
            Ok(Some(Delivery::Sent)) => report.sent += 1,
            Ok(Some(Delivery::Retry(_))) => report.retried += 1,
            Ok(Some(Delivery::GivenUp)) => report.given_up += 1,
            Ok(None) => {
                tracing::warn!(message = %message.id, "lease lost before the outcome was recorded")
            }
            Err(err) => {
                tracing::warn!(message = %message.id, error = %err, "outcome not recorded; the message is tried again after its lease")
            }
        }
    }
    if report.sent + report.retried + report.given_up > 0 {
        tracing::info!(
            sent = report.sent,
            retried = report.retried,
            given_up = report.given_up,
            "outbox delivered"
        );
    }
    Ok(report)
}

async fn record(
    state: &AppState,
    message: &OutboxMessage,
    outcome: Result<(), String>,
) -> Result<Option<Delivery>, ordo_db::DbError> {
    let now = state.clock.now();
    let tx = state.db.platform_write().await?;
    let delivery = match outcome {
        Ok(()) => tx
            .outbox()
            .mark_sent(message, now)
            .await?
            .then_some(Delivery::Sent),
        Err(error) => {
            tracing::warn!(message = %message.id, attempts = message.attempts + 1, %error, "e-mail not delivered");
            Some(tx.outbox().mark_failed(message, &error, now).await?)
        }
    };
    tx.commit().await?;
    Ok(delivery)
}

/// The e-mail a message stands for; an address that does not parse fails the
/// message (it is retried, then given up, and its error says why).
fn build(state: &AppState, message: &OutboxMessage) -> Result<Message, String> {
    if message
        .email
        .expires_at
        .is_some_and(|expiry| state.clock.now() >= expiry)
    {
        return Err("expired before it could be delivered".to_owned());
    }
    let to = message
        .email
        .to
        .parse()
        .map_err(|e| format!("recipient address: {e}"))?;
    let builder = Message::builder()
        .from(state.mail.from.clone())
        .to(to)
        .subject(message.email.subject.clone())
        .message_id(Some(format!("<{}@outbox.ordo>", message.id)));
    let Some(attachment) = &message.email.attachment else {
        return builder
            .header(ContentType::TEXT_PLAIN)
            .body(message.email.body.clone())
            .map_err(|e| e.to_string());
    };
    let media_type =
        ContentType::parse(&attachment.media_type).map_err(|e| format!("attachment type: {e}"))?;
    builder
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(message.email.body.clone()))
                .singlepart(
                    Attachment::new(attachment.file_name.clone())
                        .body(attachment.content.clone(), media_type),
                ),
        )
        .map_err(|e| e.to_string())
}
