//! The worker's side of the transactional outbox: what transactions enqueued is
//! delivered here, after they committed. A message is taken for a lease (another
//! worker skips it), sent, then marked sent; a failure is retried with back-off and
//! given up after `MAX_ATTEMPTS`, kept with its last error. A crash between sending
//! and marking sends again after the lease: at least once, never lost; each message
//! carries a stable `Message-ID` so mail clients show such a repeat once.

use ordo_db::{Delivery, OutboxMessage};
use ordo_mail::{ContentType, Message};
use ordo_web::AppState;

/// What one round of delivery did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryReport {
    pub sent: usize,
    pub retried: usize,
    pub given_up: usize,
}

/// How many messages one round takes at most.
const BATCH: u64 = 50;

/// Delivers the messages that are due now.
pub async fn deliver_due(state: &AppState) -> Result<DeliveryReport, ordo_db::DbError> {
    let tx = state.db.platform().await?;
    let due = tx.outbox().claim_due(state.clock.now(), BATCH).await?;
    tx.commit().await?;
    let mut report = DeliveryReport::default();
    for message in due {
        let outcome = match build(state, &message) {
            Ok(email) => state
                .mail
                .transport
                .send(email)
                .await
                .map_err(|e| e.to_string()),
            Err(err) => Err(err),
        };
        let now = state.clock.now();
        let tx = state.db.platform().await?;
        match outcome {
            Ok(()) => {
                tx.outbox().mark_sent(message.id, now).await?;
                report.sent += 1;
            }
            Err(error) => {
                tracing::warn!(message = %message.id, attempts = message.attempts + 1, %error, "e-mail not delivered");
                match tx.outbox().mark_failed(&message, &error, now).await? {
                    Delivery::GivenUp => report.given_up += 1,
                    Delivery::Retry(_) | Delivery::Sent => report.retried += 1,
                }
            }
        }
        tx.commit().await?;
    }
    if report != DeliveryReport::default() {
        tracing::info!(
            sent = report.sent,
            retried = report.retried,
            given_up = report.given_up,
            "outbox delivered"
        );
    }
    Ok(report)
}

/// The e-mail a message stands for; an address that does not parse fails the
/// message (it is retried, then given up, and its error says why).
fn build(state: &AppState, message: &OutboxMessage) -> Result<Message, String> {
    let to = message
        .email
        .to
        .parse()
        .map_err(|e| format!("recipient address: {e}"))?;
    Message::builder()
        .from(state.mail.from.clone())
        .to(to)
        .subject(message.email.subject.clone())
        .message_id(Some(format!("<{}@outbox.ordo>", message.id)))
        .header(ContentType::TEXT_PLAIN)
        .body(message.email.body.clone())
        .map_err(|e| e.to_string())
}
