//! Deleting an administration: the request that waits for its confirmation, and
//! the removal of every row the administration has.

use chrono::{DateTime, Utc};
use ordo_domain::TenantId;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::{DbError, entities::deletion_requests};

/// A deletion asked for and not yet confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionRequest {
    pub tenant_id: TenantId,
    pub code: String,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
}

/// Built only by `PlatformTx::deletion_requests`.
#[derive(Debug)]
pub struct DeletionRequestRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> DeletionRequestRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    /// Records the request; `false` if one waits already.
    pub async fn request(
        &self,
        tenant: TenantId,
        code: &str,
        requested_by: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        if self.find(tenant).await?.is_some() {
            return Ok(false);
        }
        deletion_requests::Entity::insert(deletion_requests::ActiveModel {
            tenant_id: Set(tenant.as_uuid()),
            code: Set(code.to_owned()),
            requested_by: Set(requested_by.to_owned()),
            requested_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(true)
    }

    pub async fn find(&self, tenant: TenantId) -> Result<Option<DeletionRequest>, DbError> {
        Ok(deletion_requests::Entity::find_by_id(tenant.as_uuid())
            .one(self.tx)
            .await?
            .map(|row| DeletionRequest {
                tenant_id: TenantId::new(row.tenant_id),
                code: row.code,
                requested_by: row.requested_by,
                requested_at: row.requested_at,
            }))
    }

    /// Every request waiting.
    pub async fn all(&self) -> Result<Vec<DeletionRequest>, DbError> {
        Ok(deletion_requests::Entity::find()
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| DeletionRequest {
                tenant_id: TenantId::new(row.tenant_id),
                code: row.code,
                requested_by: row.requested_by,
                requested_at: row.requested_at,
            })
            .collect())
    }

    /// Withdraws the request; `false` if there was none.
    pub async fn cancel(&self, tenant: TenantId) -> Result<bool, DbError> {
        let removed = deletion_requests::Entity::delete_many()
            .filter(deletion_requests::Column::TenantId.eq(tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(removed.rows_affected > 0)
    }
}

/// Every table holding an administration's rows, children before their parents,
/// then the platform's rows about it, the tenant row last.
pub const TENANT_TABLES: &[&str] = &[
    "audit_entries",
    "audit_heads",
    "exchange_receipts",
    "exchange_arrivals",
    "exchange_recipients",
    "exchange_envelopes",
    "acknowledgments",
    "portal_filings",
    "portal_settings",
    "email_templates",
    "digests_sent",
    "dispatch_reminders",
    "dispatch_templates",
    "dispatches",
    "documents",
    "tenant_storage",
    "item_notes",
    "item_followers",
    "item_links",
    "item_recipients",
    "item_versions",
    "mail_items",
    "correspondents",
    "register_counters",
    "registers",
    "mail_priorities",
    "mail_natures",
    "tenant_holidays",
    "identity_providers",
    "api_tokens",
    "password_resets",
    "tenant_seals",
    "users",
    "org_units",
    "outbox_messages",
    "sessions",
    "exchange_queue",
    "directory_units",
    "directory_entries",
    "provisionings",
    "deletion_requests",
    "tenant_usage",
];

/// Built only by `TenantTx::purge`: only the owner role may run it on PostgreSQL
/// (the application role cannot remove journal rows).
#[derive(Debug)]
pub struct PurgeRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> PurgeRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Removes every row of the administration, and its tenant row; returns how
    /// many rows each table lost.
    pub async fn everything(&self) -> Result<Vec<(&'static str, u64)>, DbError> {
        let mut removed = Vec::with_capacity(TENANT_TABLES.len() + 1);
        for table in TENANT_TABLES {
            let statement = Query::delete()
                .from_table(Alias::new(*table))
                .and_where(Expr::col(Alias::new("tenant_id")).eq(self.tenant.as_uuid()))
                .to_owned();
            let result = self.tx.execute(&statement).await?;
            removed.push((*table, result.rows_affected()));
        }
        let statement = Query::delete()
            .from_table(Alias::new("tenants"))
            .and_where(Expr::col(Alias::new("id")).eq(self.tenant.as_uuid()))
            .to_owned();
        let result = self.tx.execute(&statement).await?;
        removed.push(("tenants", result.rows_affected()));
        Ok(removed)
    }
}
