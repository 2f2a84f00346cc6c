//! The exchange's rows. From a `TenantTx`: what this administration sent (envelopes,
//! where each recipient stands), what it received (arrivals, under the key
//! `(sender, envelope id)` kept forever), the receipts both ways, and deliveries
//! to queue. From a `PlatformTx`: the queue as the worker takes it.

use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    outbox::{ExchangeRetry, LEASE},
};
use sea_orm::{
    ActiveValue::Set,
    Condition, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::*,
    sea_query::{LockBehavior, LockType, OnConflict},
};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{
        exchange_arrivals, exchange_envelopes, exchange_queue, exchange_receipts,
        exchange_recipients,
    },
};

/// An envelope as this administration sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEnvelope {
    pub id: Uuid,
    pub item_id: Uuid,
    pub envelope: Vec<u8>,
    pub signature: Vec<u8>,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

/// Where one recipient of a sent envelope stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientStanding {
    pub envelope_id: Uuid,
    pub organisation: String,
    pub unit: Option<String>,
    pub status: String,
    pub detail: Option<String>,
    pub their_number: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// An envelope as this administration received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub id: Uuid,
    pub sender: String,
    pub envelope_id: Uuid,
    pub sha256: String,
    pub envelope: Vec<u8>,
    pub signature: Vec<u8>,
    pub item_id: Uuid,
    pub status: String,
    pub received_at: DateTime<Utc>,
}

/// Whether a receipt was issued here or received from the other side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptDirection {
    Issued,
    Received,
}

impl ReceiptDirection {
    fn code(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Received => "received",
        }
    }
}

/// A receipt with its exact bytes and signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub id: Uuid,
    pub direction: ReceiptDirection,
    pub envelope_id: Uuid,
    pub sender: String,
    pub issuer: String,
    pub kind: String,
    pub receipt: Vec<u8>,
    pub signature: Vec<u8>,
    pub created_at: DateTime<Utc>,
}

/// What a queued delivery carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    Envelope,
    Receipt,
}

impl DeliveryKind {
    fn code(self) -> &'static str {
        match self {
            Self::Envelope => "envelope",
            Self::Receipt => "receipt",
        }
    }
}

/// A delivery taken by a worker: whose, what, to whom, under which lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedDelivery {
    pub id: Uuid,
    pub tenant: TenantId,
    pub kind: DeliveryKind,
    pub envelope_id: Uuid,
    pub destination: String,
    pub receipt_id: Option<Uuid>,
    pub attempts: u32,
    pub lease_until: DateTime<Utc>,
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    At(DateTime<Utc>),
    GivenUp,
}

const WAITING: &str = "waiting";
const DONE: &str = "done";
const GIVEN_UP: &str = "given_up";

/// Built only by `TenantTx::exchange`.
#[derive(Debug)]
pub struct ExchangeRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> ExchangeRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    fn mine(&self) -> Uuid {
        self.tenant.as_uuid()
    }

    pub async fn insert_envelope(&self, envelope: SentEnvelope) -> Result<(), DbError> {
        exchange_envelopes::Entity::insert(exchange_envelopes::ActiveModel {
            tenant_id: Set(self.mine()),
            id: Set(envelope.id),
            item_id: Set(envelope.item_id),
            envelope: Set(envelope.envelope),
            signature: Set(envelope.signature),
            sha256: Set(envelope.sha256),
            created_at: Set(envelope.created_at),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn envelope(&self, id: Uuid) -> Result<Option<SentEnvelope>, DbError> {
        Ok(exchange_envelopes::Entity::find()
            .filter(exchange_envelopes::Column::TenantId.eq(self.mine()))
            .filter(exchange_envelopes::Column::Id.eq(id))
            .one(self.tx)
            .await?
            .map(to_envelope))
    }

    /// The envelopes sent for an item, oldest first.
    pub async fn envelopes_for_item(&self, item: Uuid) -> Result<Vec<SentEnvelope>, DbError> {
        Ok(exchange_envelopes::Entity::find()
            .filter(exchange_envelopes::Column::TenantId.eq(self.mine()))
            .filter(exchange_envelopes::Column::ItemId.eq(item))
            .order_by_asc(exchange_envelopes::Column::CreatedAt)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_envelope)
            .collect())
    }

    pub async fn add_recipient(
        &self,
        envelope: Uuid,
        organisation: &str,
        unit: Option<&str>,
        status: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        exchange_recipients::Entity::insert(exchange_recipients::ActiveModel {
            tenant_id: Set(self.mine()),
            envelope_id: Set(envelope),
            organisation: Set(organisation.to_owned()),
            unit: Set(unit.map(str::to_owned)),
            status: Set(status.to_owned()),
            detail: Set(None),
            their_number: Set(None),
            updated_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn recipients(&self, envelope: Uuid) -> Result<Vec<RecipientStanding>, DbError> {
        Ok(exchange_recipients::Entity::find()
            .filter(exchange_recipients::Column::TenantId.eq(self.mine()))
            .filter(exchange_recipients::Column::EnvelopeId.eq(envelope))
            .order_by_asc(exchange_recipients::Column::Organisation)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| RecipientStanding {
                envelope_id: row.envelope_id,
                organisation: row.organisation,
                unit: row.unit,
                status: row.status,
                detail: row.detail,
                their_number: row.their_number,
                updated_at: row.updated_at,
            })
            .collect())
    }

    /// Moves a recipient to `status`; `their_number` is kept once known.
    pub async fn set_recipient_status(
        &self,
        envelope: Uuid,
        organisation: &str,
        status: &str,
        detail: Option<&str>,
        their_number: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut update = exchange_recipients::Entity::update_many()
            .col_expr(exchange_recipients::Column::Status, Expr::value(status))
            .col_expr(
                exchange_recipients::Column::Detail,
                Expr::value(detail.map(str::to_owned)),
            )
            .col_expr(exchange_recipients::Column::UpdatedAt, Expr::value(now));
        if let Some(number) = their_number {
            update = update.col_expr(
                exchange_recipients::Column::TheirNumber,
                Expr::value(number.to_owned()),
            );
        }
        let result = update
            .filter(exchange_recipients::Column::TenantId.eq(self.mine()))
            .filter(exchange_recipients::Column::EnvelopeId.eq(envelope))
            .filter(exchange_recipients::Column::Organisation.eq(organisation))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Keeps an arrival; `Conflict` when its key `(sender, envelope id)` is taken.
    pub async fn insert_arrival(&self, arrival: Arrival) -> Result<(), DbError> {
        exchange_arrivals::Entity::insert(exchange_arrivals::ActiveModel {
            tenant_id: Set(self.mine()),
            id: Set(arrival.id),
            sender: Set(arrival.sender),
            envelope_id: Set(arrival.envelope_id),
            sha256: Set(arrival.sha256),
            envelope: Set(arrival.envelope),
            signature: Set(arrival.signature),
            item_id: Set(arrival.item_id),
            status: Set(arrival.status),
            received_at: Set(arrival.received_at),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn arrival(&self, sender: &str, envelope: Uuid) -> Result<Option<Arrival>, DbError> {
        Ok(exchange_arrivals::Entity::find()
            .filter(exchange_arrivals::Column::TenantId.eq(self.mine()))
            .filter(exchange_arrivals::Column::Sender.eq(sender))
            .filter(exchange_arrivals::Column::EnvelopeId.eq(envelope))
            .one(self.tx)
            .await?
            .map(to_arrival))
    }

    pub async fn arrival_for_item(&self, item: Uuid) -> Result<Option<Arrival>, DbError> {
        Ok(exchange_arrivals::Entity::find()
            .filter(exchange_arrivals::Column::TenantId.eq(self.mine()))
            .filter(exchange_arrivals::Column::ItemId.eq(item))
            .one(self.tx)
            .await?
            .map(to_arrival))
    }

    /// Moves an arrival on from `from`; `false` when it had already moved.
    pub async fn set_arrival_status(
        &self,
        id: Uuid,
        from: &str,
        to: &str,
    ) -> Result<bool, DbError> {
        let result = exchange_arrivals::Entity::update_many()
            .col_expr(exchange_arrivals::Column::Status, Expr::value(to))
            .filter(exchange_arrivals::Column::TenantId.eq(self.mine()))
            .filter(exchange_arrivals::Column::Id.eq(id))
            .filter(exchange_arrivals::Column::Status.eq(from))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Keeps a receipt; `false` when it was already kept (a receipt delivered twice).
    pub async fn insert_receipt(&self, receipt: StoredReceipt) -> Result<bool, DbError> {
        let result = exchange_receipts::Entity::insert(exchange_receipts::ActiveModel {
            tenant_id: Set(self.mine()),
            id: Set(receipt.id),
            direction: Set(receipt.direction.code().to_owned()),
            envelope_id: Set(receipt.envelope_id),
            sender: Set(receipt.sender),
            issuer: Set(receipt.issuer),
            kind: Set(receipt.kind),
            receipt: Set(receipt.receipt),
            signature: Set(receipt.signature),
            created_at: Set(receipt.created_at),
        })
        .on_conflict(
            OnConflict::columns([
                exchange_receipts::Column::TenantId,
                exchange_receipts::Column::Id,
                exchange_receipts::Column::Direction,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(result > 0)
    }

    /// The receipts about an envelope, in both directions, oldest first.
    pub async fn receipts(&self, envelope: Uuid) -> Result<Vec<StoredReceipt>, DbError> {
        exchange_receipts::Entity::find()
            .filter(exchange_receipts::Column::TenantId.eq(self.mine()))
            .filter(exchange_receipts::Column::EnvelopeId.eq(envelope))
            .order_by_asc(exchange_receipts::Column::CreatedAt)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_receipt)
            .collect()
    }

    pub async fn receipt(
        &self,
        id: Uuid,
        direction: ReceiptDirection,
    ) -> Result<Option<StoredReceipt>, DbError> {
        exchange_receipts::Entity::find()
            .filter(exchange_receipts::Column::TenantId.eq(self.mine()))
            .filter(exchange_receipts::Column::Id.eq(id))
            .filter(exchange_receipts::Column::Direction.eq(direction.code()))
            .one(self.tx)
            .await?
            .map(to_receipt)
            .transpose()
    }

    /// The first answer issued here to `(sender, envelope)` of one of `kinds`: what a
    /// redelivery gets back.
    pub async fn first_issued(
        &self,
        sender: &str,
        envelope: Uuid,
        kinds: &[&str],
    ) -> Result<Option<StoredReceipt>, DbError> {
        exchange_receipts::Entity::find()
            .filter(exchange_receipts::Column::TenantId.eq(self.mine()))
            .filter(exchange_receipts::Column::Direction.eq(ReceiptDirection::Issued.code()))
            .filter(exchange_receipts::Column::Sender.eq(sender))
            .filter(exchange_receipts::Column::EnvelopeId.eq(envelope))
            .filter(exchange_receipts::Column::Kind.is_in(kinds.iter().copied()))
            .order_by_asc(exchange_receipts::Column::CreatedAt)
            .one(self.tx)
            .await?
            .map(to_receipt)
            .transpose()
    }

    /// Queues a delivery by this administration; it leaves only if this transaction
    /// commits.
    pub async fn enqueue(
        &self,
        kind: DeliveryKind,
        envelope: Uuid,
        destination: &str,
        receipt: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<Uuid, DbError> {
        let id = Uuid::now_v7();
        exchange_queue::Entity::insert(exchange_queue::ActiveModel {
            id: Set(id),
            tenant_id: Set(self.mine()),
            kind: Set(kind.code().to_owned()),
            envelope_id: Set(envelope),
            destination: Set(destination.to_owned()),
            receipt_id: Set(receipt),
            status: Set(WAITING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            done_at: Set(None),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(id)
    }
}

/// The queue as the worker sees it: every administration's deliveries.
#[derive(Debug)]
pub struct ExchangeQueueRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> ExchangeQueueRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    /// Takes up to `limit` due deliveries for `LEASE` (see `OutboxRepo::claim_due`).
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<QueuedDelivery>, DbError> {
        let mut due = exchange_queue::Entity::find()
            .filter(exchange_queue::Column::Status.eq(WAITING))
            .filter(exchange_queue::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(exchange_queue::Column::LockedUntil.is_null())
                    .add(exchange_queue::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(exchange_queue::Column::NextAttemptAt)
            .limit(limit);
        if self.tx.get_database_backend() == DbBackend::Postgres {
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = due.all(self.tx).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let lease_until = chrono::SubsecRound::trunc_subsecs(now + LEASE, 0);
        exchange_queue::Entity::update_many()
            .col_expr(
                exchange_queue::Column::LockedUntil,
                Expr::value(lease_until),
            )
            .filter(exchange_queue::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(self.tx)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(QueuedDelivery {
                    id: row.id,
                    tenant: TenantId::new(row.tenant_id),
                    kind: if row.kind == DeliveryKind::Receipt.code() {
                        DeliveryKind::Receipt
                    } else {
                        DeliveryKind::Envelope
                    },
                    envelope_id: row.envelope_id,
                    destination: row.destination,
                    receipt_id: row.receipt_id,
                    attempts: u32::try_from(row.attempts)
                        .map_err(|e| DbError::corrupt("exchange_queue", e))?,
                    lease_until,
                })
            })
            .collect()
    }

    fn held(delivery: &QueuedDelivery) -> Condition {
        Condition::all()
            .add(exchange_queue::Column::Id.eq(delivery.id))
            .add(exchange_queue::Column::Status.eq(WAITING))
            .add(exchange_queue::Column::LockedUntil.eq(delivery.lease_until))
    }

    /// Records a delivery answered by the other side; `false` when the lease was lost.
    pub async fn mark_done(
        &self,
        delivery: &QueuedDelivery,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = exchange_queue::Entity::update_many()
            .col_expr(exchange_queue::Column::Status, Expr::value(DONE))
            .col_expr(exchange_queue::Column::DoneAt, Expr::value(now))
            .col_expr(
                exchange_queue::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Self::held(delivery))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Records a failed attempt: retried with back-off and jitter, or given up
    /// after the policy's last attempt.
    pub async fn mark_failed(
        &self,
        delivery: &QueuedDelivery,
        error: &str,
        policy: ExchangeRetry,
        now: DateTime<Utc>,
    ) -> Result<Retry, DbError> {
        let attempts = delivery.attempts + 1;
        let (status, next, retry) = if attempts >= policy.max_attempts {
            (GIVEN_UP, now, Retry::GivenUp)
        } else {
            let next = now + policy.delay(attempts, rand_fraction());
            (WAITING, next, Retry::At(next))
        };
        exchange_queue::Entity::update_many()
            .col_expr(exchange_queue::Column::Status, Expr::value(status))
            .col_expr(
                exchange_queue::Column::Attempts,
                Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX)),
            )
            .col_expr(exchange_queue::Column::NextAttemptAt, Expr::value(next))
            .col_expr(
                exchange_queue::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                exchange_queue::Column::LastError,
                Expr::value(error.chars().take(500).collect::<String>()),
            )
            .filter(Self::held(delivery))
            .exec(self.tx)
            .await?;
        Ok(retry)
    }

    /// How many deliveries wait and how many were given up: for metrics.
    pub async fn backlog(&self) -> Result<(u64, u64), DbError> {
        let count = |status: &'static str| {
            exchange_queue::Entity::find()
                .filter(exchange_queue::Column::Status.eq(status))
                .count(self.tx)
        };
        Ok((count(WAITING).await?, count(GIVEN_UP).await?))
    }
}

/// A number in `[0, 1)` for the jitter, from the UUID generator's randomness.
fn rand_fraction() -> f64 {
    let bytes = Uuid::new_v4().into_bytes();
    f64::from(u16::from_le_bytes([bytes[0], bytes[1]])) / 65536.0
}

fn to_envelope(row: exchange_envelopes::Model) -> SentEnvelope {
    SentEnvelope {
        id: row.id,
        item_id: row.item_id,
        envelope: row.envelope,
        signature: row.signature,
        sha256: row.sha256,
        created_at: row.created_at,
    }
}

fn to_arrival(row: exchange_arrivals::Model) -> Arrival {
    Arrival {
        id: row.id,
        sender: row.sender,
        envelope_id: row.envelope_id,
        sha256: row.sha256,
        envelope: row.envelope,
        signature: row.signature,
        item_id: row.item_id,
        status: row.status,
        received_at: row.received_at,
    }
}

fn to_receipt(row: exchange_receipts::Model) -> Result<StoredReceipt, DbError> {
    Ok(StoredReceipt {
        id: row.id,
        direction: match row.direction.as_str() {
            "issued" => ReceiptDirection::Issued,
            "received" => ReceiptDirection::Received,
            other => return Err(DbError::corrupt("exchange_receipts", other)),
        },
        envelope_id: row.envelope_id,
        sender: row.sender,
        issuer: row.issuer,
        kind: row.kind,
        receipt: row.receipt,
        signature: row.signature,
        created_at: row.created_at,
    })
}

/// An administration on another platform, as this platform's directory holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteAdministration {
    pub code: String,
    pub name: ordo_domain::LocalizedName,
    pub level: ordo_domain::AdministrationLevel,
    /// Where its platform takes envelopes and receipts (`https://…`).
    pub platform_url: String,
    /// The certificate that checks its seal.
    pub certificate_pem: String,
}

/// Built only by `PlatformTx::remote_administrations`.
#[derive(Debug)]
pub struct RemoteAdministrationRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> RemoteAdministrationRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    /// Adds an administration of another platform, or updates it (a new address
    /// or a renewed seal).
    pub async fn keep(
        &self,
        entry: RemoteAdministration,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        use crate::entities::remote_administrations::{ActiveModel, Column, Entity};
        Entity::insert(ActiveModel {
            code: Set(entry.code),
            name_fr: Set(entry.name.fr),
            name_ar: Set(entry.name.ar),
            name_en: Set(entry.name.en),
            level: Set(entry.level.as_str().to_owned()),
            platform_url: Set(entry.platform_url),
            certificate_pem: Set(entry.certificate_pem),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(Column::Code)
                .update_columns([
                    Column::NameFr,
                    Column::NameAr,
                    Column::NameEn,
                    Column::Level,
                    Column::PlatformUrl,
                    Column::CertificatePem,
                    Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn find(&self, code: &str) -> Result<Option<RemoteAdministration>, DbError> {
        crate::entities::remote_administrations::Entity::find_by_id(code.to_owned())
            .one(self.tx)
            .await?
            .map(to_remote)
            .transpose()
    }

    pub async fn list(&self) -> Result<Vec<RemoteAdministration>, DbError> {
        use crate::entities::remote_administrations::{Column, Entity};
        Entity::find()
            .order_by_asc(Column::Code)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_remote)
            .collect()
    }
}

fn to_remote(
    row: crate::entities::remote_administrations::Model,
) -> Result<RemoteAdministration, DbError> {
    Ok(RemoteAdministration {
        code: row.code,
        name: ordo_domain::LocalizedName {
            fr: row.name_fr,
            ar: row.name_ar,
            en: row.name_en,
        },
        level: ordo_domain::AdministrationLevel::parse(&row.level)
            .map_err(|e| DbError::corrupt("remote_administrations", format!("{e:?}")))?,
        platform_url: row.platform_url,
        certificate_pem: row.certificate_pem,
    })
}
