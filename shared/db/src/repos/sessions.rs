use chrono::{DateTime, Utc};
use ordo_domain::TenantId;
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, prelude::*};
use uuid::Uuid;

use crate::{DbError, entities::sessions};

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// A person of the operator agency.
    Operator,
    /// A person of an administration (the session carries the tenant).
    User(TenantId),
}

/// A sign-in session, found by the SHA-256 of its cookie token (the token itself is
/// never stored, so a database leak does not leak live sessions).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRecord {
    pub principal: PrincipalKind,
    pub account_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug)]
pub struct SessionRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> SessionRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn insert(
        &self,
        token_hash: &str,
        session: &SessionRecord,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (kind, tenant) = match session.principal {
            PrincipalKind::Operator => ("operator", None),
            PrincipalKind::User(tenant) => ("user", Some(tenant.as_uuid())),
        };
        sessions::Entity::insert(sessions::ActiveModel {
            token_hash: Set(token_hash.to_owned()),
            principal_kind: Set(kind.to_owned()),
            tenant_id: Set(tenant),
            account_id: Set(session.account_id),
            created_at: Set(now),
            expires_at: Set(session.expires_at),
        })
        .exec(self.tx)
        .await?;
        Ok(())
    }

    /// The live session with this token hash, if any; expired ones are not returned.
    pub async fn find_live(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>, DbError> {
        let Some(row) = sessions::Entity::find_by_id(token_hash.to_owned())
            .filter(sessions::Column::ExpiresAt.gt(now))
            .one(self.tx)
            .await?
        else {
            return Ok(None);
        };
        let principal = match (row.principal_kind.as_str(), row.tenant_id) {
            ("operator", None) => PrincipalKind::Operator,
            ("user", Some(tenant)) => PrincipalKind::User(TenantId::new(tenant)),
            (kind, _) => {
                return Err(DbError::corrupt(
                    "sessions",
                    format!("principal kind {kind}"),
                ));
            }
        };
        Ok(Some(SessionRecord {
            principal,
            account_id: row.account_id,
            expires_at: row.expires_at,
        }))
    }

    pub async fn delete(&self, token_hash: &str) -> Result<(), DbError> {
        sessions::Entity::delete_by_id(token_hash.to_owned())
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    /// Ends every session of a person of `tenant`.
    pub async fn delete_for_account(
        &self,
        tenant: TenantId,
        account: Uuid,
    ) -> Result<u64, DbError> {
        let result = sessions::Entity::delete_many()
            .filter(sessions::Column::TenantId.eq(tenant.as_uuid()))
            .filter(sessions::Column::AccountId.eq(account))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected)
    }

    pub async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64, DbError> {
        let result = sessions::Entity::delete_many()
            .filter(sessions::Column::ExpiresAt.lte(now))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected)
    }
}
