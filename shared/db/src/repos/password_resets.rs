use chrono::{DateTime, Duration, Utc};
use ordo_domain::TenantId;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, prelude::*};
use uuid::Uuid;

use crate::{DbError, entities::password_resets};

/// How long a reset link works.
pub const RESET_VALIDITY: Duration = Duration::hours(1);

/// How long the link of a new account's welcome e-mail works.
pub const WELCOME_VALIDITY: Duration = Duration::days(7);

/// Password reset tokens of an administration's people. Built only by
/// `TenantTx::password_resets`.
#[derive(Debug)]
pub struct PasswordResetRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> PasswordResetRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn insert(
        &self,
        user: Uuid,
        token_hash: &str,
        validity: Duration,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        password_resets::Entity::insert(password_resets::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            user_id: Set(user),
            token_hash: Set(token_hash.to_owned()),
            expires_at: Set(now + validity),
            used_at: Set(None),
            created_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// Whether a token with this hash would still work (without using it).
    pub async fn is_live(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
        Ok(password_resets::Entity::find()
            .filter(password_resets::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(password_resets::Column::TokenHash.eq(token_hash))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .one(self.tx)
            .await?
            .is_some())
    }

    /// Whether this person was sent a link that still works since `since`: a new
    /// request then sends nothing (no flood of e-mails to one person).
    pub async fn sent_recently(
        &self,
        user: Uuid,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        Ok(password_resets::Entity::find()
            .filter(password_resets::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(password_resets::Column::UserId.eq(user))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .filter(password_resets::Column::CreatedAt.gt(since))
            .one(self.tx)
            .await?
            .is_some())
    }

    /// Uses the token with this hash: the person it resets, if it is unused and not
    /// expired. It never works again.
    pub async fn redeem(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Uuid>, DbError> {
        let Some(reset) = password_resets::Entity::find()
            .filter(password_resets::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(password_resets::Column::TokenHash.eq(token_hash))
            .filter(password_resets::Column::UsedAt.is_null())
            .filter(password_resets::Column::ExpiresAt.gt(now))
            .one(self.tx)
            .await?
        else {
            return Ok(None);
        };
        let used = password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::Id.eq(reset.id))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(self.tx)
            .await?;
        if used.rows_affected != 1 {
            return Ok(None);
        }
        // Every other link this person was sent stops working too.
        password_resets::Entity::update_many()
            .col_expr(password_resets::Column::UsedAt, Expr::value(now))
            .filter(password_resets::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(password_resets::Column::UserId.eq(reset.user_id))
            .filter(password_resets::Column::UsedAt.is_null())
            .exec(self.tx)
            .await?;
        Ok(Some(reset.user_id))
    }
}
