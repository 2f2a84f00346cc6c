//! The worker's side of the transactional outbox: what transactions enqueued is
//! delivered here, after they committed. A message is taken for a lease (another
//! worker skips it), sent, then marked sent; a failure is retried with back-off and
//! given up after `MAX_ATTEMPTS` or once it has expired, kept with its last error.
//! A worker only marks what it still holds. A crash between sending and marking
//! sends again after the lease: at least once, never lost; each message carries a
//! stable `Message-ID` so mail clients show such a repeat once.

use std::collections::HashMap;

use ordo_db::{Delivery, OutboxMessage};
use ordo_domain::{BrandColour, Direction, TenantId};
use ordo_mail::{Attachment, ContentType, Letterhead, Message, MultiPart, SinglePart};
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
    let mut looks = HashMap::new();
    for message in due {
        if state.clock.now() + MARGIN > message.lease_until {
            // Left for the next round, under a new lease.
            continue;
        }
        if let Some(tenant) = message.tenant
            && !looks.contains_key(&tenant)
        {
            match look_of(state, tenant).await {
                Ok(look) => {
                    looks.insert(tenant, look);
                }
                // Sent plain rather than held back for its looks.
                Err(err) => {
                    tracing::warn!(%tenant, error = %err, "administration's look not read; e-mail sent as plain text")
                }
            }
        }
        let letterhead = message
            .tenant
            .and_then(|tenant| looks.get(&tenant))
            .and_then(Option::as_ref)
            .map(|look| look.letterhead(&message));
        let outcome = match build(state, &message, letterhead.as_ref()) {
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

/// The largest logo sent inside every e-mail: readers on slow connections
/// download it with each one.
const MAX_INLINE_LOGO_BYTES: usize = 50 * 1024;

/// How an administration's e-mails look: its names, colour and logo.
#[derive(Debug)]
struct Look {
    names: ordo_domain::LocalizedName,
    colour: BrandColour,
    logo: Option<(Vec<u8>, String)>,
}

impl Look {
    fn letterhead(&self, message: &OutboxMessage) -> Letterhead {
        let locale = message.email.language.unwrap_or_default();
        Letterhead {
            name: self.names.get(locale).to_owned(),
            colour: self.colour.as_str().to_owned(),
            logo: self.logo.clone(),
            language: locale.tag().to_owned(),
            right_to_left: locale.direction() == Direction::Rtl,
        }
    }
}

/// The look of `tenant`'s e-mails; none for an administration no longer there.
async fn look_of(state: &AppState, tenant: TenantId) -> Result<Option<Look>, ordo_db::DbError> {
    let tx = state.db.tenant_read(tenant).await?;
    let Some(record) = tx.own_tenant().await? else {
        return Ok(None);
    };
    let settings = tx.portal_settings().get().await?;
    tx.commit().await?;
    Ok(Some(Look {
        names: record.name,
        colour: settings.colour(),
        // Every e-mail carries it: a large one is left out (the name is there).
        logo: settings
            .logo
            .filter(|(content, _)| content.len() <= MAX_INLINE_LOGO_BYTES),
    }))
}

/// The e-mail a message stands for, laid out under the administration's letterhead
/// when it has one; an address that does not parse fails the message (it is
/// retried, then given up, and its error says why).
fn build(
    state: &AppState,
    message: &OutboxMessage,
    letterhead: Option<&Letterhead>,
) -> Result<Message, String> {
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
    let text = &message.email.body;
    let attachment = match &message.email.attachment {
        Some(attachment) => Some(
            Attachment::new(attachment.file_name.clone()).body(
                attachment.content.clone(),
                ContentType::parse(&attachment.media_type)
                    .map_err(|e| format!("attachment type: {e}"))?,
            ),
        ),
        None => None,
    };
    let built = match (letterhead, attachment) {
        (None, None) => builder.header(ContentType::TEXT_PLAIN).body(text.clone()),
        (None, Some(attachment)) => builder.multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(text.clone()))
                .singlepart(attachment),
        ),
        (Some(letterhead), None) => {
            builder.multipart(letterhead.body(&message.email.subject, text))
        }
        (Some(letterhead), Some(attachment)) => builder.multipart(
            MultiPart::mixed()
                .multipart(letterhead.body(&message.email.subject, text))
                .singlepart(attachment),
        ),
    };
    built.map_err(|e| e.to_string())
}
