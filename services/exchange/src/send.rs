//! Sending: a registered outgoing item goes to one or more administrations of the
//! directory in one action. The envelope (with every file's SHA-256) is signed
//! with the sender's seal and kept, with a delivery per recipient queued, in the
//! one transaction that also journals it: nothing is sent that was not recorded,
//! and nothing recorded is lost.

use chrono::{DateTime, Utc};
use ordo_db::{DeliveryKind, DocumentRole, ItemRecord, SentEnvelope, TenantTx};
use ordo_domain::{
    Confidentiality, InvalidInput, ItemStatus, MailDirection, Reason, permissions::Action,
};
use ordo_envelope::{
    Access, Correspondence, Envelope, FileRole, ManifestEntry, PROTOCOL_VERSION, Party, Reference,
    Restriction, sha256_hex,
};
use ordo_web::{AppError, AppState, CurrentUser, ErrorKind};
use uuid::Uuid;

use crate::{MAX_ENVELOPE_BYTES, directory, receipts::standing};

/// One recipient: an administration of the directory and, within it, a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub organisation: String,
    pub unit: Option<String>,
}

fn refused(field: &'static str, reason: Reason, detail: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::InvalidInput(InvalidInput::new(field, reason))).with_detail(detail)
}

/// Sends `item` to `addressees`: returns the envelope as signed and kept.
pub async fn send(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    addressees: Vec<Addressee>,
    origin: &str,
) -> Result<SentEnvelope, AppError> {
    current.require(Action::RegisterMail)?;
    let mut addressees = addressees;
    addressees.dedup_by(|a, b| a.organisation == b.organisation);
    if addressees.is_empty() {
        return Err(refused("recipients", Reason::Required, "no recipient"));
    }
    // Every recipient is in the directory and accepts mail now.
    let platform = state.db.platform().await?;
    let mut counterparts = Vec::with_capacity(addressees.len());
    for addressee in &addressees {
        let Some(counterpart) = directory::reachable(&platform, &addressee.organisation).await?
        else {
            if platform
                .directory()
                .find(&addressee.organisation)
                .await?
                .is_some()
            {
                return Err(refused(
                    "recipients",
                    Reason::Suspended,
                    format!(
                        "{} is suspended by the operator agency",
                        addressee.organisation
                    ),
                ));
            }
            return Err(refused(
                "recipients",
                Reason::UnknownValue,
                format!(
                    "{} is not in the directory or does not accept electronic mail now",
                    addressee.organisation
                ),
            ));
        };
        counterparts.push(counterpart);
    }
    // A unit of an administration of this platform is one it shows in the
    // directory; another platform's units are its own to check.
    let units = if addressees.iter().any(|a| a.unit.is_some()) {
        directory::units(&platform).await?
    } else {
        Default::default()
    };
    for (addressee, counterpart) in addressees.iter().zip(&counterparts) {
        let (Some(unit), directory::Counterpart::Local(_)) =
            (addressee.unit.as_deref(), counterpart)
        else {
            continue;
        };
        let shown = units
            .get(&addressee.organisation)
            .is_some_and(|list| list.iter().any(|u| u.code == unit));
        if !shown {
            return Err(refused(
                "recipients",
                Reason::UnknownValue,
                format!(
                    "{unit} is not a unit {} shows in the directory",
                    addressee.organisation
                ),
            ));
        }
    }
    platform.commit().await?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = tx
        .items()
        .find(item_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let envelope = envelope_of(&tx, current, &item, &addressees, now).await?;
    let bytes = envelope.to_bytes();
    let seal = crate::receipts::seal_of(&tx).await?;
    let signature = seal
        .sign(&bytes)
        .map_err(|e| AppError::internal(format!("signing an envelope: {e}")))?;
    let sent = SentEnvelope {
        id: envelope.id,
        item_id: item.id,
        sha256: sha256_hex(&bytes),
        envelope: bytes,
        signature,
        created_at: now,
    };
    tx.exchange().insert_envelope(sent.clone()).await?;
    for addressee in &addressees {
        tx.exchange()
            .add_recipient(
                envelope.id,
                &addressee.organisation,
                addressee.unit.as_deref(),
                standing::SENDING,
                now,
            )
            .await?;
        tx.exchange()
            .enqueue(
                DeliveryKind::Envelope,
                envelope.id,
                &addressee.organisation,
                None,
                now,
            )
            .await?;
    }
    let details = serde_json::json!({
        "envelope": envelope.id,
        "sha256": sent.sha256,
        "number": envelope.correspondence.number,
        "recipients": addressees.iter().map(|a| serde_json::json!({"organisation": a.organisation, "unit": a.unit})).collect::<Vec<_>>(),
        "files": envelope.manifest.iter().map(|f| serde_json::json!({"file": f.name, "size": f.size, "sha256": f.sha256})).collect::<Vec<_>>(),
    });
    tx.journal()
        .append(
            current.item_event("exchange.sent", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(envelope = %envelope.id, recipients = addressees.len(), "envelope sent");
    Ok(sent)
}

/// The envelope for a registered outgoing item and its documents.
async fn envelope_of(
    tx: &TenantTx,
    current: &CurrentUser,
    item: &ItemRecord,
    addressees: &[Addressee],
    now: DateTime<Utc>,
) -> Result<Envelope, AppError> {
    let (Some(number), Some(registered_at)) = (item.number.clone(), item.registered_at) else {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a registered item can be sent: register it first"));
    };
    if item.status != ItemStatus::Registered {
        return Err(
            AppError::new(ErrorKind::Conflict).with_detail("a cancelled item cannot be sent")
        );
    }
    let register = tx
        .registers()
        .find(item.register_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if register.direction == MailDirection::Incoming {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("an incoming item is not sent on: register the answer as outgoing mail"));
    }
    let documents = tx.documents().for_item(item.id).await?;
    if documents.is_empty() {
        return Err(refused(
            "documents",
            Reason::Required,
            "attach the letter before sending it",
        ));
    }
    let size: u64 = documents.iter().map(|d| d.size).sum();
    if size > MAX_ENVELOPE_BYTES {
        return Err(refused(
            "documents",
            Reason::FileTooLarge {
                max_mib: MAX_ENVELOPE_BYTES / (1024 * 1024),
            },
            "the documents are too large to be sent together",
        ));
    }
    let zone = current.tenant.time_zone;
    let content = &item.content;
    let answered = answered_arrival(tx, item.id).await?;
    Ok(Envelope {
        version: PROTOCOL_VERSION.to_owned(),
        id: Uuid::now_v7(),
        created_at: now,
        sender: Party {
            organisation: current.tenant.code.as_str().to_owned(),
            unit: None,
            agent: Some(current.user.display_name.clone()),
        },
        recipients: addressees
            .iter()
            .map(|a| Party {
                organisation: a.organisation.clone(),
                unit: a.unit.clone(),
                agent: None,
            })
            .collect(),
        correspondence: Correspondence {
            number,
            registered_on: registered_at.with_timezone(&zone.tz()).date_naive(),
            subject: content.subject.clone(),
            nature: content.nature.clone(),
            language: "fr".to_owned(),
            reply_due: item.due_on,
            // A reply to mail that came through the exchange names it, so the other
            // side links the two numbers too, and carries on its conversation.
            in_reply_to: answered.as_ref().map(|(reference, _)| reference.clone()),
            conversation_id: answered
                .as_ref()
                .map_or_else(Uuid::now_v7, |(_, conversation)| *conversation),
            access: Access {
                restriction: match content.confidentiality {
                    Confidentiality::Normal => Restriction::Public,
                    Confidentiality::Confidential => Restriction::Restricted,
                    Confidentiality::Secret => Restriction::Confidential,
                },
                legal_basis: None,
                until: None,
            },
        },
        manifest: documents
            .iter()
            .map(|d| ManifestEntry {
                name: d.file_name.clone(),
                media_type: d.media_type.clone(),
                size: d.size,
                role: if d.role == DocumentRole::Main {
                    FileRole::Main
                } else {
                    FileRole::Attachment
                },
                sha256: d.sha256.clone(),
            })
            .collect(),
    })
}

/// The envelope `item` answers, when it is linked as a reply to an item that came
/// through the exchange: the other side's number and envelope, and its
/// conversation.
async fn answered_arrival(
    tx: &TenantTx,
    item: Uuid,
) -> Result<Option<(Reference, Uuid)>, AppError> {
    for link in tx.items().links(item).await? {
        if link.kind != ordo_db::LinkKind::RepliesTo || !link.outgoing {
            continue;
        }
        let Some(arrival) = tx.exchange().arrival_for_item(link.other).await? else {
            continue;
        };
        if let Ok(original) = Envelope::parse(&arrival.envelope) {
            return Ok(Some((
                Reference {
                    number: original.correspondence.number,
                    envelope_id: original.id,
                },
                original.correspondence.conversation_id,
            )));
        }
    }
    Ok(None)
}

/// Sends an envelope again to a recipient it could not reach (`NotDelivered`): the
/// same envelope, so a recipient that did get it after all answers with its first
/// receipt.
pub async fn resend(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    organisation: &str,
    origin: &str,
) -> Result<(), AppError> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let mut found = None;
    for envelope in tx.exchange().envelopes_for_item(item_id).await? {
        let recipients = tx.exchange().recipients(envelope.id).await?;
        if recipients
            .iter()
            .any(|r| r.organisation == organisation && r.status == standing::NOT_DELIVERED)
        {
            found = Some(envelope);
        }
    }
    let envelope = found.ok_or_else(|| {
        AppError::new(ErrorKind::Conflict)
            .with_detail("nothing to send again: no envelope of this item failed to reach it")
    })?;
    tx.exchange()
        .set_recipient_status(
            envelope.id,
            organisation,
            standing::SENDING,
            None,
            None,
            now,
        )
        .await?;
    tx.exchange()
        .enqueue(DeliveryKind::Envelope, envelope.id, organisation, None, now)
        .await?;
    tx.journal()
        .append(
            current.item_event(
                "exchange.resent",
                item_id,
                serde_json::json!({ "envelope": envelope.id, "recipient": organisation }),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}
