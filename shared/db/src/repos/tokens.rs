use chrono::{DateTime, Utc};
use ordo_domain::TenantId;
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Statement, prelude::*, sea_query::Query,
};
use uuid::Uuid;

use crate::{
    DbError, UserRecord,
    entities::{api_tokens, users},
    repos::users as users_repo,
    settings_cache::SettingsWrites,
};

/// A bearer token of one person, for integrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An administration's API tokens. Built only by `TenantTx::tokens`.
#[derive(Debug)]
pub struct TokenRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    settings_writes: &'t SettingsWrites,
}

impl<'t> TokenRepo<'t> {
    pub(crate) fn new(
        tx: &'t DatabaseTransaction,
        tenant: TenantId,
        settings_writes: &'t SettingsWrites,
    ) -> Self {
        Self {
            tx,
            tenant,
            settings_writes,
        }
    }

    pub async fn insert(
        &self,
        user: Uuid,
        name: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<TokenRecord, DbError> {
        self.settings_writes.note();
        let row = api_tokens::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            user_id: Set(user),
            name: Set(name.to_owned()),
            token_hash: Set(token_hash.to_owned()),
            created_at: Set(now),
            revoked_at: Set(None),
        };
        Ok(to_record(
            api_tokens::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        ))
    }

    /// The live (not revoked) token with this hash.
    pub async fn find_live(&self, token_hash: &str) -> Result<Option<TokenRecord>, DbError> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(api_tokens::Column::TokenHash.eq(token_hash))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .one(self.tx)
            .await?
            .map(to_record))
    }

    /// The person who owns the live (not revoked) token with this hash, in one query:
    /// it runs on every API call.
    pub async fn list(&self) -> Result<Vec<TokenRecord>, DbError> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(api_tokens::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect())
    }

    /// Revokes a token; returns whether a live token was revoked.
    pub async fn revoke(&self, id: Uuid, now: DateTime<Utc>) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = api_tokens::Entity::update_many()
            .col_expr(api_tokens::Column::RevokedAt, Expr::value(Some(now)))
            .filter(api_tokens::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(api_tokens::Column::Id.eq(id))
            .filter(api_tokens::Column::RevokedAt.is_null())
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

fn to_record(row: api_tokens::Model) -> TokenRecord {
    TokenRecord {
        id: row.id,
        user_id: row.user_id,
        name: row.name,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
    }
}

/// The person behind a live API token of `tenant`, read outside any transaction in one
/// statement: every API request starts here, and a transaction of its own would cost
/// three more round trips. On PostgreSQL, `ordo_api_token_owner` applies row-level
/// security for `tenant` to its own query (migration 18).
pub(crate) async fn live_token_owner(
    conn: &DatabaseConnection,
    tenant: TenantId,
    token_hash: &str,
) -> Result<Option<UserRecord>, DbError> {
    let tenant = tenant.as_uuid();
    let owner = if conn.get_database_backend() == DbBackend::Postgres {
        users::Entity::find()
            .from_raw_sql(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT * FROM ordo_api_token_owner($1, $2)",
                [tenant.into(), token_hash.into()],
            ))
            .one(conn)
            .await?
    } else {
        let live_token_owner = Query::select()
            .column(api_tokens::Column::UserId)
            .from(api_tokens::Entity)
            .and_where(api_tokens::Column::TenantId.eq(tenant))
            .and_where(api_tokens::Column::TokenHash.eq(token_hash))
            .and_where(api_tokens::Column::RevokedAt.is_null())
            .to_owned();
        users::Entity::find()
            .filter(users::Column::TenantId.eq(tenant))
            .filter(users::Column::Id.in_subquery(live_token_owner))
            .one(conn)
            .await?
    };
    owner.map(users_repo::to_record).transpose()
}
