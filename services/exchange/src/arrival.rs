//! What the recipient does with an arrival, told back to the sender: registering
//! it (the `Registered` receipt carries the recipient's number) or sending it back
//! (`Returned`, with the reason). Each receipt is signed, kept and queued for
//! delivery in the transaction that registers or returns the item.

use chrono::{DateTime, Utc};
use ordo_db::{Arrival, DeliveryKind, ItemRecord, TenantRecord, TenantTx};
use ordo_domain::{InvalidInput, Reason, permissions::Action};
use ordo_envelope::{Binding, Receipt, Registration, Return, ReturnReason};
use ordo_web::{AppError, AppState, CurrentUser, ErrorKind};
use uuid::Uuid;

use crate::{receipts, receive::arrival_status};

/// Called in the transaction that registers a draft: when the draft came through
/// the exchange, the sender is told the number it was given.
pub async fn on_registered(
    tx: &TenantTx,
    tenant: &TenantRecord,
    item: &ItemRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(arrival) = tx.exchange().arrival_for_item(item.id).await? else {
        return Ok(());
    };
    let (Some(number), Some(registered_at)) = (item.number.clone(), item.registered_at) else {
        return Ok(());
    };
    if !tx
        .exchange()
        .set_arrival_status(
            arrival.id,
            arrival_status::TO_REGISTER,
            arrival_status::REGISTERED,
        )
        .await?
    {
        return Ok(());
    }
    let receipt = Receipt::registered(
        binding(&arrival, tenant),
        Registration {
            number,
            registered_at,
        },
        now,
    );
    answer(tx, &arrival, &receipt, now).await
}

/// Called in the transaction of the item page: the first time someone other than
/// the person who registered an item that came through the exchange opens it, the
/// sender gets `Read`.
pub async fn on_read(
    tx: &TenantTx,
    current: &CurrentUser,
    item: &ItemRecord,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if item.status != ordo_domain::ItemStatus::Registered
        || item.registered_by == Some(current.user.id)
    {
        return Ok(());
    }
    let Some(arrival) = tx.exchange().arrival_for_item(item.id).await? else {
        return Ok(());
    };
    if !tx
        .exchange()
        .set_arrival_status(arrival.id, arrival_status::REGISTERED, arrival_status::READ)
        .await?
    {
        return Ok(());
    }
    let receipt = Receipt::read(binding(&arrival, &current.tenant), now);
    answer(tx, &arrival, &receipt, now).await
}

/// Sends an arrival back instead of registering it: the draft is set aside with
/// the reason, and the sender gets `Returned`.
pub async fn return_arrival(
    state: &AppState,
    current: &CurrentUser,
    item: Uuid,
    reason_code: &str,
    reason: &str,
    origin: &str,
) -> Result<(), AppError> {
    current.require(Action::RegisterMail)?;
    let reason_code = ReturnReason::parse(reason_code).ok_or_else(|| {
        AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "reason_code",
            Reason::UnknownValue,
        )))
    })?;
    let reason =
        ordo_domain::check_reason(reason).map_err(|e| AppError::new(ErrorKind::InvalidInput(e)))?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let arrival = tx
        .exchange()
        .arrival_for_item(item)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !tx
        .exchange()
        .set_arrival_status(
            arrival.id,
            arrival_status::TO_REGISTER,
            arrival_status::RETURNED,
        )
        .await?
    {
        return Err(
            AppError::new(ErrorKind::Conflict).with_detail("it was registered or returned already")
        );
    }
    if !tx
        .items()
        .cancel_draft(item, &reason, current.user.id, now)
        .await?
    {
        return Err(AppError::new(ErrorKind::Conflict).with_detail("no longer a draft"));
    }
    let receipt = Receipt::returned(
        binding(&arrival, &current.tenant),
        Return {
            reason_code,
            reason: reason.clone(),
        },
        now,
    );
    answer(&tx, &arrival, &receipt, now).await?;
    tx.journal()
        .append(
            current.item_event(
                "exchange.returned",
                item,
                serde_json::json!({
                    "envelope": arrival.envelope_id,
                    "sender": arrival.sender,
                    "reason_code": reason_code.code(),
                    "reason": reason,
                    "receipt": receipt.id,
                }),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

fn binding(arrival: &Arrival, tenant: &TenantRecord) -> Binding {
    Binding {
        envelope_id: arrival.envelope_id,
        envelope_sha256: arrival.sha256.clone(),
        sender: arrival.sender.clone(),
        issuer: tenant.code.as_str().to_owned(),
    }
}

/// Signs and keeps `receipt`, and queues it for the sender.
async fn answer(
    tx: &TenantTx,
    arrival: &Arrival,
    receipt: &Receipt,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let seal = receipts::seal_of(tx).await?;
    receipts::issue(tx, &seal, receipt, now).await?;
    tx.exchange()
        .enqueue(
            DeliveryKind::Receipt,
            arrival.envelope_id,
            &arrival.sender,
            Some(receipt.id),
            now,
        )
        .await?;
    Ok(())
}
