//! Quotas and usage. A write that would take an administration past a quota is
//! refused in its own transaction (`check_storage`, `check_users`); the worker
//! measures each administration's usage into the platform table `tenant_usage`,
//! which the operator's dashboard and the metrics read: counts only, never rows.

use chrono::{DateTime, Utc};
use ordo_domain::TenantId;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, Func, OnConflict},
};

use crate::{
    DbError, Quota,
    entities::{documents, mail_items, tenant_storage, tenant_usage, tenants, users},
};

/// The limits set on an administration; `None` is no limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quotas {
    pub storage_bytes: Option<u64>,
    pub users: Option<u32>,
}

/// What an administration uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub storage_bytes: u64,
    pub documents: u64,
    pub users: u64,
    /// People who signed in within the last 30 days.
    pub active_users: u64,
    /// Items registered since the first of the month.
    pub items_this_month: u64,
}

/// A measurement as kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsageRecord {
    pub tenant: TenantId,
    pub measured_at: DateTime<Utc>,
    pub usage: Usage,
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The bytes of every document the administration stored: the sum of its rows in
/// `tenant_storage`, which a trigger adds each new document to (migration 21), so
/// this reads at most a few rows however many documents there are.
async fn stored_bytes(tx: &DatabaseTransaction, tenant: TenantId) -> Result<u64, DbError> {
    // SUM of a bigint is a numeric on PostgreSQL: cast back to read it as an i64.
    let sum: Option<Option<i64>> = tenant_storage::Entity::find()
        .select_only()
        .column_as(
            Expr::expr(Func::cast_as(
                Func::sum(Expr::col((
                    tenant_storage::Entity,
                    tenant_storage::Column::Bytes,
                ))),
                Alias::new("BIGINT"),
            )),
            "total",
        )
        .filter(tenant_storage::Column::TenantId.eq(tenant.as_uuid()))
        .into_tuple()
        .one(tx)
        .await?;
    Ok(count(sum.flatten().unwrap_or(0)))
}

pub(crate) async fn quotas_of(
    tx: &DatabaseTransaction,
    tenant: TenantId,
) -> Result<Quotas, DbError> {
    let row = tenants::Entity::find_by_id(tenant.as_uuid())
        .one(tx)
        .await?;
    Ok(row.map_or_else(Quotas::default, |row| Quotas {
        storage_bytes: row.quota_storage_bytes.map(count),
        users: row.quota_users.and_then(|v| u32::try_from(v).ok()),
    }))
}

/// Refuses `adding` more bytes if they take the administration past its storage
/// quota. Two uploads at the same instant may both pass: a quota is a limit to
/// within a document, not to the byte.
pub(crate) async fn check_storage(
    tx: &DatabaseTransaction,
    tenant: TenantId,
    quotas: Quotas,
    adding: u64,
) -> Result<(), DbError> {
    let Some(limit) = quotas.storage_bytes else {
        return Ok(());
    };
    if stored_bytes(tx, tenant).await?.saturating_add(adding) > limit {
        return Err(DbError::QuotaExceeded(Quota::Storage {
            limit_bytes: limit,
        }));
    }
    Ok(())
}

/// Refuses one more account if the administration has its quota of people.
pub(crate) async fn check_users(tx: &DatabaseTransaction, tenant: TenantId) -> Result<(), DbError> {
    let Some(limit) = quotas_of(tx, tenant).await?.users else {
        return Ok(());
    };
    let people = users::Entity::find()
        .filter(users::Column::TenantId.eq(tenant.as_uuid()))
        .count(tx)
        .await?;
    if people >= u64::from(limit) {
        return Err(DbError::QuotaExceeded(Quota::Users { limit }));
    }
    Ok(())
}

/// Built only by `TenantTx::usage`.
#[derive(Debug)]
pub struct TenantUsageRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> TenantUsageRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Measures the administration now: `month_start` is the first of the month,
    /// `active_since` thirty days ago.
    pub async fn measure(
        &self,
        month_start: DateTime<Utc>,
        active_since: DateTime<Utc>,
    ) -> Result<Usage, DbError> {
        let tenant = self.tenant.as_uuid();
        let documents = documents::Entity::find()
            .filter(documents::Column::TenantId.eq(tenant))
            .count(self.tx)
            .await?;
        let people = users::Entity::find()
            .filter(users::Column::TenantId.eq(tenant))
            .count(self.tx)
            .await?;
        let active_users = users::Entity::find()
            .filter(users::Column::TenantId.eq(tenant))
            .filter(users::Column::LastSignedInAt.gte(active_since))
            .count(self.tx)
            .await?;
        let items_this_month = mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(tenant))
            .filter(mail_items::Column::RegisteredAt.gte(month_start))
            .count(self.tx)
            .await?;
        Ok(Usage {
            storage_bytes: stored_bytes(self.tx, self.tenant).await?,
            documents,
            users: people,
            active_users,
            items_this_month,
        })
    }
}

/// Built only by `PlatformTx::usage`.
#[derive(Debug)]
pub struct UsageRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> UsageRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    /// Keeps a measurement, replacing the previous one.
    pub async fn keep(&self, record: UsageRecord) -> Result<(), DbError> {
        let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let usage = record.usage;
        tenant_usage::Entity::insert(tenant_usage::ActiveModel {
            tenant_id: Set(record.tenant.as_uuid()),
            measured_at: Set(record.measured_at),
            storage_bytes: Set(to_i64(usage.storage_bytes)),
            documents: Set(to_i64(usage.documents)),
            users: Set(to_i64(usage.users)),
            active_users: Set(to_i64(usage.active_users)),
            items_this_month: Set(to_i64(usage.items_this_month)),
        })
        .on_conflict(
            OnConflict::column(tenant_usage::Column::TenantId)
                .update_columns([
                    tenant_usage::Column::MeasuredAt,
                    tenant_usage::Column::StorageBytes,
                    tenant_usage::Column::Documents,
                    tenant_usage::Column::Users,
                    tenant_usage::Column::ActiveUsers,
                    tenant_usage::Column::ItemsThisMonth,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// Every administration's last measurement.
    pub async fn all(&self) -> Result<Vec<UsageRecord>, DbError> {
        Ok(tenant_usage::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| UsageRecord {
                tenant: TenantId::new(row.tenant_id),
                measured_at: row.measured_at,
                usage: Usage {
                    storage_bytes: count(row.storage_bytes),
                    documents: count(row.documents),
                    users: count(row.users),
                    active_users: count(row.active_users),
                    items_this_month: count(row.items_this_month),
                },
            })
            .collect())
    }
}
