use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    outbox::{LEASE, MAX_ATTEMPTS, retry_delay},
};
use sea_orm::{
    ActiveValue::Set,
    Condition, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::*,
    sea_query::{LockBehavior, LockType},
};
use uuid::Uuid;

use crate::{DbError, entities::outbox_messages};

/// An e-mail to send once the transaction that wants it commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
    /// When the message stops being worth sending (a link that expires).
    pub expires_at: Option<DateTime<Utc>>,
    /// A file sent with it (an acknowledgment's PDF).
    pub attachment: Option<Attachment>,
    /// The language it is written in: its HTML part is laid out in that direction.
    pub language: Option<ordo_domain::Locale>,
}

/// A file carried by an e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub media_type: String,
    pub content: Vec<u8>,
}

/// A message taken by a worker for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: Uuid,
    pub tenant: Option<TenantId>,
    pub email: OutgoingEmail,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Until when this worker holds it: its marks apply only while it does.
    pub lease_until: DateTime<Utc>,
}

/// How delivery went, for the worker's report and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// Failed; tried again at the given time.
    Retry(DateTime<Utc>),
    /// Failed for the last time: given up, kept with its error.
    GivenUp,
}

/// Where a message stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageStanding {
    /// Not tried yet.
    Waiting,
    /// Tried and failed; tried again later.
    Retrying {
        attempts: u32,
        next_attempt_at: DateTime<Utc>,
        error: String,
    },
    Sent(DateTime<Utc>),
    GivenUp(String),
}

/// The outbox. From a `TenantTx` it enqueues for that administration; from a
/// `PlatformTx` the worker takes due messages and records what became of them.
#[derive(Debug)]
pub struct OutboxRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: Option<TenantId>,
}

const PENDING: &str = "pending";
const SENT: &str = "sent";
const FAILED: &str = "failed";

impl<'t> OutboxRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: Option<TenantId>) -> Self {
        Self { tx, tenant }
    }

    /// Adds an e-mail to send; it leaves only if this transaction commits.
    pub async fn enqueue(&self, email: OutgoingEmail, now: DateTime<Utc>) -> Result<Uuid, DbError> {
        let id = Uuid::now_v7();
        outbox_messages::Entity::insert(outbox_messages::ActiveModel {
            id: Set(id),
            tenant_id: Set(self.tenant.map(|t| t.as_uuid())),
            kind: Set("email".to_owned()),
            attachment_name: Set(email.attachment.as_ref().map(|a| a.file_name.clone())),
            attachment_type: Set(email.attachment.as_ref().map(|a| a.media_type.clone())),
            attachment: Set(email.attachment.map(|a| a.content)),
            recipient: Set(email.to),
            subject: Set(email.subject),
            body: Set(email.body),
            status: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            expires_at: Set(email.expires_at),
            locked_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            language: Set(email.language.map(|l| l.tag().to_owned())),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(id)
    }

    /// Takes up to `limit` due messages for `LEASE`: other workers skip them until
    /// then (on PostgreSQL, rows another worker is taking are skipped, not waited for).
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<OutboxMessage>, DbError> {
        let mut due = outbox_messages::Entity::find()
            .filter(outbox_messages::Column::Status.eq(PENDING))
            .filter(outbox_messages::Column::NextAttemptAt.lte(now))
            .filter(
                Condition::any()
                    .add(outbox_messages::Column::LockedUntil.is_null())
                    .add(outbox_messages::Column::LockedUntil.lt(now)),
            )
            .order_by_asc(outbox_messages::Column::NextAttemptAt)
            .limit(limit);
        if self.tx.get_database_backend() == DbBackend::Postgres {
            due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = due.all(self.tx).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // Whole seconds: the value is compared again later, and databases keep
        // fewer sub-second digits than the clock gives.
        let lease_until = chrono::SubsecRound::trunc_subsecs(now + LEASE, 0);
        outbox_messages::Entity::update_many()
            .col_expr(
                outbox_messages::Column::LockedUntil,
                Expr::value(lease_until),
            )
            .filter(outbox_messages::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(self.tx)
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(OutboxMessage {
                    id: row.id,
                    tenant: row.tenant_id.map(TenantId::new),
                    email: OutgoingEmail {
                        to: row.recipient,
                        subject: row.subject,
                        body: row.body,
                        expires_at: row.expires_at,
                        attachment: match (row.attachment_name, row.attachment_type, row.attachment)
                        {
                            (Some(file_name), Some(media_type), Some(content)) => {
                                Some(Attachment {
                                    file_name,
                                    media_type,
                                    content,
                                })
                            }
                            _ => None,
                        },
                        language: row.language.and_then(|tag| tag.parse().ok()),
                    },
                    attempts: u32::try_from(row.attempts)
                        .map_err(|e| DbError::corrupt("outbox_messages", e))?,
                    lease_until,
                })
            })
            .collect()
    }

    /// The message as this worker holds it: pending, under the lease it took. A
    /// worker whose lease ran out changes nothing (another worker has it now).
    fn held(message: &OutboxMessage) -> Condition {
        Condition::all()
            .add(outbox_messages::Column::Id.eq(message.id))
            .add(outbox_messages::Column::Status.eq(PENDING))
            .add(outbox_messages::Column::LockedUntil.eq(message.lease_until))
    }

    /// Records a delivery. The body is cleared: a sent message may hold a link that
    /// must not stay readable in the database.
    pub async fn mark_sent(
        &self,
        message: &OutboxMessage,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = outbox_messages::Entity::update_many()
            .col_expr(outbox_messages::Column::Status, Expr::value(SENT))
            .col_expr(outbox_messages::Column::SentAt, Expr::value(now))
            .col_expr(outbox_messages::Column::Body, Expr::value(""))
            .col_expr(
                outbox_messages::Column::Attachment,
                Expr::value(Option::<Vec<u8>>::None),
            )
            .col_expr(
                outbox_messages::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Self::held(message))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Records a failed attempt: retried later with back-off, or given up after
    /// `MAX_ATTEMPTS`.
    pub async fn mark_failed(
        &self,
        message: &OutboxMessage,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<Delivery, DbError> {
        let attempts = message.attempts + 1;
        let next = now + retry_delay(attempts);
        let pointless = message
            .email
            .expires_at
            .is_some_and(|expiry| next >= expiry);
        let (status, next, delivery) = if attempts >= MAX_ATTEMPTS || pointless {
            (FAILED, now, Delivery::GivenUp)
        } else {
            (PENDING, next, Delivery::Retry(next))
        };
        outbox_messages::Entity::update_many()
            .col_expr(outbox_messages::Column::Status, Expr::value(status))
            .col_expr(
                outbox_messages::Column::Attempts,
                Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX)),
            )
            .col_expr(outbox_messages::Column::NextAttemptAt, Expr::value(next))
            .col_expr(
                outbox_messages::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                outbox_messages::Column::LastError,
                Expr::value(error.chars().take(500).collect::<String>()),
            )
            .filter(Self::held(message))
            .exec(self.tx)
            .await?;
        if status == FAILED {
            // Given up: what it said is not kept, only that it failed and why.
            outbox_messages::Entity::update_many()
                .col_expr(outbox_messages::Column::Body, Expr::value(""))
                .col_expr(
                    outbox_messages::Column::Attachment,
                    Expr::value(Option::<Vec<u8>>::None),
                )
                .filter(outbox_messages::Column::Id.eq(message.id))
                .filter(outbox_messages::Column::Status.eq(FAILED))
                .exec(self.tx)
                .await?;
        }
        Ok(delivery)
    }

    /// Where one message stands, without its content: for the person who caused it
    /// to be sent (the operator who invited an administrator).
    pub async fn standing(&self, id: Uuid) -> Result<Option<MessageStanding>, DbError> {
        let Some(row) = outbox_messages::Entity::find_by_id(id).one(self.tx).await? else {
            return Ok(None);
        };
        Ok(Some(match row.status.as_str() {
            SENT => MessageStanding::Sent(row.sent_at.unwrap_or(row.created_at)),
            FAILED => MessageStanding::GivenUp(row.last_error.unwrap_or_default()),
            _ => match row.last_error {
                None => MessageStanding::Waiting,
                Some(error) => MessageStanding::Retrying {
                    attempts: u32::try_from(row.attempts).unwrap_or(u32::MAX),
                    next_attempt_at: row.next_attempt_at,
                    error,
                },
            },
        }))
    }

    /// How many messages wait (due or not) and how many were given up: for metrics.
    pub async fn backlog(&self) -> Result<(u64, u64), DbError> {
        let count = |status: &'static str| {
            outbox_messages::Entity::find()
                .filter(outbox_messages::Column::Status.eq(status))
                .count(self.tx)
        };
        Ok((count(PENDING).await?, count(FAILED).await?))
    }
}
