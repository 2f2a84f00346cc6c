//! Receipts: issuing one (signed with the administration's seal and kept, in the
//! transaction of what it answers) and taking one in at the sender's side (checked
//! against the issuer's certificate in the directory, kept once, and applied to
//! where that recipient stands).

use chrono::{DateTime, Utc};
use ordo_db::{PlatformTx, ReceiptDirection, StoredReceipt, TenantTx};
use ordo_domain::{InvalidInput, Reason};
use ordo_envelope::{Receipt, ReceiptKind, ReceiptTransfer, Seal};
use ordo_web::{AppError, AppState, ErrorKind};

use crate::PLATFORM_ISSUER;

/// Where a recipient stands, as the sender's item page shows it.
pub mod standing {
    pub const SENDING: &str = "sending";
    pub const ACCEPTED: &str = "accepted";
    pub const REJECTED: &str = "rejected";
    pub const REGISTERED: &str = "registered";
    pub const RETURNED: &str = "returned";
    pub const READ: &str = "read";
    pub const NOT_DELIVERED: &str = "not_delivered";
}

/// The administration's seal, to sign with.
pub async fn seal_of(tx: &TenantTx) -> Result<Seal, AppError> {
    let material = tx.seal().get().await?.ok_or_else(|| {
        AppError::new(ErrorKind::Conflict).with_detail(
            "this administration has no seal: it cannot send or answer electronic mail",
        )
    })?;
    Seal::from_pem(&material.certificate_pem, &material.private_key_pem)
        .map_err(|e| AppError::internal(format!("seal: {e}")))
}

/// The platform's own seal (its authority), for the receipts no administration
/// can issue: an envelope for an addressee the platform does not know.
pub async fn platform_seal(tx: &PlatformTx) -> Result<Seal, AppError> {
    let material = tx
        .authority()
        .get()
        .await?
        .ok_or_else(|| AppError::internal("the platform has no authority yet"))?;
    Seal::from_pem(&material.certificate_pem, &material.private_key_pem)
        .map_err(|e| AppError::internal(format!("platform seal: {e}")))
}

/// Signs `receipt` and keeps it as issued by this administration.
pub async fn issue(
    tx: &TenantTx,
    seal: &Seal,
    receipt: &Receipt,
    now: DateTime<Utc>,
) -> Result<ReceiptTransfer, AppError> {
    let bytes = receipt.to_bytes();
    let signature = seal
        .sign(&bytes)
        .map_err(|e| AppError::internal(format!("signing a receipt: {e}")))?;
    tx.exchange()
        .insert_receipt(StoredReceipt {
            id: receipt.id,
            direction: ReceiptDirection::Issued,
            envelope_id: receipt.envelope_id,
            sender: receipt.sender.clone(),
            issuer: receipt.issuer.clone(),
            kind: receipt.kind.code().to_owned(),
            receipt: bytes.clone(),
            signature: signature.clone(),
            created_at: now,
        })
        .await?;
    Ok(ReceiptTransfer {
        receipt: bytes,
        signature,
    })
}

/// The certificate that checks receipts issued by `issuer`: its directory entry's,
/// or the platform authority's for the platform's own.
pub async fn issuer_certificate(tx: &PlatformTx, issuer: &str) -> Result<Option<String>, AppError> {
    if issuer == PLATFORM_ISSUER {
        return Ok(tx.authority().get().await?.map(|a| a.certificate_pem));
    }
    Ok(crate::directory::find(tx, issuer)
        .await?
        .map(|e| e.certificate_pem().to_owned()))
}

/// Takes in a receipt answering an envelope this platform's `sender` sent: checks
/// its signature against the issuer's certificate and that it is bound to that
/// envelope's exact bytes, keeps it once, and moves the recipient on. Returns what
/// was received.
pub async fn take_in(
    state: &AppState,
    transfer: &ReceiptTransfer,
    expected_issuer: Option<&str>,
) -> Result<Receipt, AppError> {
    let invalid = |detail: String| {
        AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "receipt",
            Reason::UnknownValue,
        )))
        .with_detail(detail)
    };
    let receipt = Receipt::parse(&transfer.receipt).map_err(|r| invalid(r.to_string()))?;
    if expected_issuer
        .is_some_and(|issuer| issuer != receipt.issuer && receipt.issuer != PLATFORM_ISSUER)
    {
        return Err(invalid(format!(
            "the receipt is issued by {}, not by the addressee",
            receipt.issuer
        )));
    }
    let platform = state.db.platform().await?;
    let certificate = issuer_certificate(&platform, &receipt.issuer)
        .await?
        .ok_or_else(|| invalid(format!("{} is not in the directory ", receipt.issuer)))?;
    let sender = platform
        .directory()
        .find(&receipt.sender)
        .await?
        .ok_or_else(|| invalid(format!("{} is not in the directory", receipt.sender)))?;
    platform.commit().await?;
    ordo_envelope::verify(&transfer.receipt, &transfer.signature, &certificate)
        .map_err(|e| invalid(format!("the receipt's signature: {e}")))?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(sender.tenant_id).await?;
    let envelope = tx
        .exchange()
        .envelope(receipt.envelope_id)
        .await?
        .ok_or_else(|| invalid("no such envelope was sent".to_owned()))?;
    if envelope.sha256 != receipt.envelope_sha256 {
        return Err(invalid(
            "the receipt is bound to other bytes than the envelope sent".to_owned(),
        ));
    }
    let kept = tx
        .exchange()
        .insert_receipt(StoredReceipt {
            id: receipt.id,
            direction: ReceiptDirection::Received,
            envelope_id: receipt.envelope_id,
            sender: receipt.sender.clone(),
            issuer: receipt.issuer.clone(),
            kind: receipt.kind.code().to_owned(),
            receipt: transfer.receipt.clone(),
            signature: transfer.signature.clone(),
            created_at: now,
        })
        .await?;
    if kept {
        let recipient = expected_issuer.unwrap_or(&receipt.issuer);
        let (status, detail, number) = effect(&receipt);
        tx.exchange()
            .set_recipient_status(
                receipt.envelope_id,
                recipient,
                status,
                detail.as_deref(),
                number,
                now,
            )
            .await?;
        tx.journal()
            .append(
                ordo_db::JournalEvent {
                    actor: format!("exchange:{}", receipt.issuer),
                    action: "exchange.receipt_received",
                    object: format!("item:{}", envelope.item_id),
                    details: serde_json::json!({
                        "envelope": receipt.envelope_id,
                        "receipt": receipt.id,
                        "kind": receipt.kind.code(),
                        "issuer": receipt.issuer,
                        "detail": detail,
                        "their_number": number,
                    }),
                    origin: "exchange".to_owned(),
                },
                now,
            )
            .await?;
    }
    tx.commit().await?;
    Ok(receipt)
}

/// What a receipt says of where the recipient stands.
fn effect(receipt: &Receipt) -> (&'static str, Option<String>, Option<&str>) {
    match receipt.kind {
        ReceiptKind::Accepted => (standing::ACCEPTED, None, None),
        ReceiptKind::Rejected | ReceiptKind::NotDelivered => (
            if receipt.kind == ReceiptKind::Rejected {
                standing::REJECTED
            } else {
                standing::NOT_DELIVERED
            },
            receipt
                .rejection
                .as_ref()
                .map(|r| format!("{}: {}", r.code.code(), r.detail)),
            None,
        ),
        ReceiptKind::Registered => (
            standing::REGISTERED,
            None,
            receipt.registration.as_ref().map(|r| r.number.as_str()),
        ),
        ReceiptKind::Returned => (
            standing::RETURNED,
            receipt
                .returned
                .as_ref()
                .map(|r| format!("{}: {}", r.reason_code.code(), r.reason)),
            None,
        ),
        ReceiptKind::Read => (standing::READ, None, None),
    }
}
