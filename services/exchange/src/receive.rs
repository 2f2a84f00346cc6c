//! The receiving side: an envelope delivered for one of this platform's
//! administrations is checked in a fixed order (addressee, version and shape,
//! size, seal, exactly-once key, files), then kept as a draft in the addressee's
//! "to register" queue with its documents, all in one transaction with the signed
//! `Accepted` receipt and the journal entry. Whatever fails gets a signed
//! `Rejected` receipt with its code, is journalled, and nothing is registered.

use chrono::{DateTime, Utc};
use ordo_db::{
    Arrival, DirectoryEntry, DocumentRole, ItemContent, LinkKind, NewDocument, TenantTx,
};
use ordo_domain::{MailDirection, RegistrationForm};
use ordo_envelope::{
    Binding, Envelope, FileRole, Receipt, ReceiptKind, ReceiptTransfer, Rejection, RejectionCode,
    Transfer, sha256_hex,
};
use ordo_web::{AppError, AppState};
use uuid::Uuid;

use crate::{MAX_ENVELOPE_BYTES, PLATFORM_ISSUER, directory, receipts};

/// An arrival waiting in the queue, registered, or sent back.
pub mod arrival_status {
    pub const TO_REGISTER: &str = "to_register";
    pub const REGISTERED: &str = "registered";
    pub const RETURNED: &str = "returned";
    /// Registered, then opened by someone other than who registered it.
    pub const READ: &str = "read";
}

/// Receives `transfer` for the administration `addressee` and answers with a
/// signed receipt: `Accepted`, or `Rejected` with its code. A redelivery of an
/// envelope already accepted gets the original `Accepted` back.
pub async fn receive(
    state: &AppState,
    addressee: &str,
    transfer: &Transfer,
) -> Result<ReceiptTransfer, AppError> {
    let now = state.clock.now();
    let sha256 = sha256_hex(&transfer.envelope);
    let platform = state.db.platform().await?;
    let recipient = directory::local_reachable(&platform, addressee).await?;
    let Some(recipient) = recipient else {
        // No administration to answer for: the platform does, with its own seal.
        let seal = receipts::platform_seal(&platform).await?;
        let suspended = platform.directory().find(addressee).await?.is_some();
        platform.commit().await?;
        let detail = if suspended {
            format!(
                "{addressee} is suspended by the operator agency: it does not accept electronic mail for now"
            )
        } else {
            format!(
                "{addressee} is not an administration of this platform that accepts electronic mail"
            )
        };
        let rejection = Rejection::new(RejectionCode::InvalidAddressee, detail);
        tracing::warn!(%addressee, "envelope for an unknown addressee refused");
        return platform_rejection(&seal, transfer, &sha256, rejection, now);
    };
    let envelope = match Envelope::parse(&transfer.envelope) {
        Ok(envelope) => envelope,
        Err(rejection) => {
            platform.commit().await?;
            let binding = loose_binding(&transfer.envelope, &sha256, &recipient.code);
            return reject(state, &recipient, binding, rejection, now).await;
        }
    };
    let binding = Binding {
        envelope_id: envelope.id,
        envelope_sha256: sha256.clone(),
        sender: envelope.sender.organisation.clone(),
        issuer: recipient.code.clone(),
    };
    let sender = directory::find(&platform, &envelope.sender.organisation).await?;
    platform.commit().await?;
    if let Err(rejection) = check(&envelope, &recipient, sender.as_ref(), transfer) {
        return reject(state, &recipient, binding, rejection, now).await;
    }
    // The exactly-once key: (sender, envelope id), kept forever.
    let tx = state.db.tenant_read(recipient.tenant_id).await?;
    let earlier = tx.exchange().arrival(&binding.sender, envelope.id).await?;
    tx.commit().await?;
    if let Some(earlier) = earlier {
        return replay_or_conflict(state, &recipient, binding, &earlier, now).await;
    }
    if let Err(rejection) = check_files(&envelope, transfer) {
        return reject(state, &recipient, binding, rejection, now).await;
    }
    keep(state, &recipient, &envelope, transfer, binding, now).await
}

/// Everything that can be checked without the database: the addressee is named
/// in the envelope, the size, and the sender's seal against its directory entry.
fn check(
    envelope: &Envelope,
    recipient: &DirectoryEntry,
    sender: Option<&directory::Counterpart>,
    transfer: &Transfer,
) -> Result<(), Rejection> {
    if !envelope
        .recipients
        .iter()
        .any(|r| r.organisation == recipient.code)
    {
        return Err(Rejection::new(
            RejectionCode::InvalidAddressee,
            format!("the envelope is not addressed to {}", recipient.code),
        ));
    }
    let carried: u64 = transfer.files.iter().map(|f| f.content.len() as u64).sum();
    if envelope.declared_size().max(carried) > MAX_ENVELOPE_BYTES {
        return Err(Rejection::new(
            RejectionCode::SizeLimit,
            format!(
                "the files weigh {} bytes; at most {MAX_ENVELOPE_BYTES} are accepted",
                envelope.declared_size().max(carried)
            ),
        ));
    }
    let sender = sender.ok_or_else(|| {
        Rejection::new(
            RejectionCode::SignatureInvalid,
            format!(
                "{} is not in the directory: its seal cannot be checked",
                envelope.sender.organisation
            ),
        )
    })?;
    ordo_envelope::verify(
        &transfer.envelope,
        &transfer.signature,
        sender.certificate_pem(),
    )
    .map_err(|e| Rejection::new(RejectionCode::SignatureInvalid, e.to_string()))
}

/// Each file of the manifest is carried, with the size and SHA-256 it states.
fn check_files(envelope: &Envelope, transfer: &Transfer) -> Result<(), Rejection> {
    for entry in &envelope.manifest {
        let file = transfer
            .files
            .iter()
            .find(|f| f.name == entry.name)
            .ok_or_else(|| {
                Rejection::new(
                    RejectionCode::DigestMismatch,
                    format!("{} is in the manifest but was not carried", entry.name),
                )
            })?;
        if file.content.len() as u64 != entry.size || sha256_hex(&file.content) != entry.sha256 {
            return Err(Rejection::new(
                RejectionCode::DigestMismatch,
                format!(
                    "{} does not have the size and SHA-256 the manifest states",
                    entry.name
                ),
            ));
        }
    }
    if transfer.files.len() != envelope.manifest.len() {
        return Err(Rejection::new(
            RejectionCode::DigestMismatch,
            "files were carried that the manifest does not list",
        ));
    }
    Ok(())
}

/// An envelope that came before: the same bytes get the first answer again; other
/// bytes under the same id are `IdConflict`.
async fn replay_or_conflict(
    state: &AppState,
    recipient: &DirectoryEntry,
    binding: Binding,
    earlier: &Arrival,
    now: DateTime<Utc>,
) -> Result<ReceiptTransfer, AppError> {
    if earlier.sha256 == binding.envelope_sha256 {
        let tx = state.db.tenant_read(recipient.tenant_id).await?;
        let first = tx
            .exchange()
            .first_issued(
                &binding.sender,
                binding.envelope_id,
                &[ReceiptKind::Accepted.code()],
            )
            .await?;
        tx.commit().await?;
        if let Some(first) = first {
            tracing::info!(envelope = %binding.envelope_id, "envelope delivered again: its first receipt replayed");
            return Ok(ReceiptTransfer {
                receipt: first.receipt,
                signature: first.signature,
            });
        }
    }
    let rejection = Rejection::new(
        RejectionCode::IdConflict,
        format!(
            "envelope {} from {} was received before with other content",
            binding.envelope_id, binding.sender
        ),
    );
    reject(state, recipient, binding, rejection, now).await
}

/// Keeps the files in the addressee's store, then, in one transaction, the draft
/// in its incoming register with its documents, the arrival, the `Accepted`
/// receipt and the journal entry.
async fn keep(
    state: &AppState,
    recipient: &DirectoryEntry,
    envelope: &Envelope,
    transfer: &Transfer,
    binding: Binding,
    now: DateTime<Utc>,
) -> Result<ReceiptTransfer, AppError> {
    let tenant = recipient.tenant_id;
    let mut documents = Vec::with_capacity(envelope.manifest.len());
    for entry in &envelope.manifest {
        let Some(file) = transfer.files.iter().find(|f| f.name == entry.name) else {
            continue;
        };
        let stored = state
            .store
            .put(tenant, &mut file.content.as_slice(), &entry.media_type)
            .await?;
        documents.push(NewDocument {
            role: match entry.role {
                FileRole::Main => DocumentRole::Main,
                FileRole::Attachment => DocumentRole::Attachment,
            },
            file_name: entry.name.clone(),
            media_type: entry.media_type.clone(),
            size: stored.size,
            sha256: stored.sha256,
            object_key: stored.key.as_str().to_owned(),
        });
    }
    let tx = state.db.tenant_write(recipient.tenant_id).await?;
    let unit = envelope
        .recipients
        .iter()
        .find(|r| r.organisation == recipient.code)
        .and_then(|r| r.unit.as_deref());
    let register = incoming_register(&tx, unit).await?;
    let sender_name = {
        let platform = state.db.platform().await?;
        let name = directory::find(&platform, &binding.sender)
            .await?
            .map(|e| e.name().fr.clone())
            .unwrap_or_else(|| binding.sender.clone());
        platform.commit().await?;
        name
    };
    let vocabulary = tx.vocabulary().load().await?;
    let tenant_record = tx
        .own_tenant()
        .await?
        .ok_or_else(|| AppError::internal("the addressee's tenant is gone"))?;
    let correspondence = &envelope.correspondence;
    let registration = RegistrationForm {
        subject: correspondence.subject.clone(),
        sender: sender_name,
        channel: ordo_domain::Channel::Exchange.code().to_owned(),
        letter_date: correspondence.registered_on.to_string(),
        keywords: correspondence.number.clone(),
        confidentiality: match correspondence.access.restriction {
            ordo_envelope::Restriction::Public => "normal",
            ordo_envelope::Restriction::Restricted => "confidential",
            ordo_envelope::Restriction::Confidential => "secret",
        }
        .to_owned(),
        ..RegistrationForm::default()
    }
    .validate_draft(now, tenant_record.time_zone, &vocabulary)
    .map_err(|errors| AppError::new(ordo_web::ErrorKind::InvalidFields(errors)))?;
    let item = tx
        .items()
        .insert_filed_draft(
            register,
            ItemContent {
                registration,
                sender_id: None,
                recipient_ids: Vec::new(),
            },
            now,
        )
        .await?;
    let arrival_id = Uuid::now_v7();
    for document in documents {
        // Nobody of the administration uploaded it: the arrival stands as uploader.
        tx.documents()
            .insert(item.id, document, arrival_id, now)
            .await?;
    }
    let kept = tx
        .exchange()
        .insert_arrival(Arrival {
            id: arrival_id,
            sender: binding.sender.clone(),
            envelope_id: envelope.id,
            sha256: binding.envelope_sha256.clone(),
            envelope: transfer.envelope.clone(),
            signature: transfer.signature.clone(),
            item_id: item.id,
            status: arrival_status::TO_REGISTER.to_owned(),
            received_at: now,
        })
        .await;
    if let Err(ordo_db::DbError::Conflict(_)) = kept {
        // The same envelope delivered twice at once: the other delivery won; this
        // one rolls back and answers as a redelivery.
        drop(tx);
        let tx = state.db.tenant_read(recipient.tenant_id).await?;
        let earlier = tx.exchange().arrival(&binding.sender, envelope.id).await?;
        tx.commit().await?;
        let earlier = earlier.ok_or_else(|| AppError::internal("lost arrival"))?;
        return Box::pin(replay_or_conflict(state, recipient, binding, &earlier, now)).await;
    }
    kept?;
    // A reply to an envelope this administration sent: the two items are linked,
    // so each number leads to the other. A link is made by a person: here, the one
    // who registered the letter being answered.
    if let Some(reference) = &correspondence.in_reply_to
        && let Some(original) = tx.exchange().envelope(reference.envelope_id).await?
        && let Some(answered) = tx.items().find(original.item_id).await?
        && let Some(by) = answered.registered_by.or(answered.created_by)
    {
        tx.items()
            .link(item.id, original.item_id, LinkKind::RepliesTo, by, now)
            .await?;
    }
    let seal = receipts::seal_of(&tx).await?;
    let receipt = Receipt::accepted(binding.clone(), now);
    let answer = receipts::issue(&tx, &seal, &receipt, now).await?;
    tx.journal()
        .append(
            ordo_db::JournalEvent {
                actor: format!("exchange:{}", binding.sender),
                action: "exchange.received",
                object: format!("item:{}", item.id),
                details: serde_json::json!({
                    "envelope": envelope.id,
                    "sha256": binding.envelope_sha256,
                    "sender": binding.sender,
                    "their_number": correspondence.number,
                    "files": envelope.manifest.iter().map(|f| serde_json::json!({"file": f.name, "size": f.size, "sha256": f.sha256})).collect::<Vec<_>>(),
                    "receipt": receipt.id,
                }),
                origin: "exchange".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(envelope = %envelope.id, sender = %binding.sender, addressee = %recipient.code, "envelope received");
    Ok(answer)
}

/// The incoming register that takes what arrives for `unit` (its code), else the
/// administration's central one: the incoming register of its top unit, else its
/// first incoming register.
async fn incoming_register(tx: &TenantTx, unit: Option<&str>) -> Result<Uuid, AppError> {
    let registers = tx.registers().list().await?;
    let units = tx.units().list().await?;
    let incoming: Vec<_> = registers
        .into_iter()
        .filter(|r| r.direction == MailDirection::Incoming)
        .collect();
    let of_unit = |unit_id: Uuid| incoming.iter().find(|r| r.unit_id == unit_id).map(|r| r.id);
    if let Some(code) = unit
        && let Some(found) = units.iter().find(|u| u.code.eq_ignore_ascii_case(code))
        && let Some(register) = of_unit(found.id)
    {
        return Ok(register);
    }
    units
        .iter()
        .find(|u| u.parent_id.is_none())
        .and_then(|top| of_unit(top.id))
        .or_else(|| incoming.first().map(|r| r.id))
        .ok_or_else(|| {
            AppError::new(ordo_web::ErrorKind::Conflict)
                .with_detail("the addressee has no incoming register")
        })
}

/// Answers `Rejected`, signed by the addressee, kept and journalled on its side.
async fn reject(
    state: &AppState,
    recipient: &DirectoryEntry,
    binding: Binding,
    rejection: Rejection,
    now: DateTime<Utc>,
) -> Result<ReceiptTransfer, AppError> {
    tracing::warn!(envelope = %binding.envelope_id, sender = %binding.sender, addressee = %recipient.code, code = rejection.code.code(), detail = %rejection.detail, "envelope rejected");
    let tx = state.db.tenant_write(recipient.tenant_id).await?;
    let seal = receipts::seal_of(&tx).await?;
    let receipt = Receipt::rejected(binding.clone(), rejection.clone(), now);
    let answer = receipts::issue(&tx, &seal, &receipt, now).await?;
    tx.journal()
        .append(
            ordo_db::JournalEvent {
                actor: format!("exchange:{}", binding.sender),
                action: "exchange.rejected",
                object: format!("envelope:{}", binding.envelope_id),
                details: serde_json::json!({
                    "code": rejection.code.code(),
                    "detail": rejection.detail,
                    "sha256": binding.envelope_sha256,
                    "sender": binding.sender,
                    "receipt": receipt.id,
                }),
                origin: "exchange".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(answer)
}

/// The platform's own `Rejected`, for an addressee it does not know.
fn platform_rejection(
    seal: &ordo_envelope::Seal,
    transfer: &Transfer,
    sha256: &str,
    rejection: Rejection,
    now: DateTime<Utc>,
) -> Result<ReceiptTransfer, AppError> {
    let binding = loose_binding(&transfer.envelope, sha256, PLATFORM_ISSUER);
    let receipt = Receipt::rejected(binding, rejection, now);
    let bytes = receipt.to_bytes();
    let signature = seal
        .sign(&bytes)
        .map_err(|e| AppError::internal(format!("signing a receipt: {e}")))?;
    Ok(ReceiptTransfer {
        receipt: bytes,
        signature,
    })
}

/// The binding of an envelope that could not be read whole: its id and sender as
/// far as they can be made out.
fn loose_binding(bytes: &[u8], sha256: &str, issuer: &str) -> Binding {
    let value: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
    Binding {
        envelope_id: value
            .get("id")
            .and_then(|v| v.as_str())
            .and_then(|v| Uuid::parse_str(v).ok())
            .unwrap_or_default(),
        envelope_sha256: sha256.to_owned(),
        sender: value
            .pointer("/sender/organisation")
            .and_then(|v| v.as_str())
            .filter(|code| ordo_domain::TenantCode::parse(code).is_ok())
            .unwrap_or("UNKNOWN")
            .to_owned(),
        issuer: issuer.to_owned(),
    }
}
