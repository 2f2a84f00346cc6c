use chrono::{DateTime, Utc};
use ordo_domain::{LockoutPolicy, Login};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::operator_accounts};

/// A person of the operator agency. Operators manage tenants; they never read mail.
#[derive(Debug, Clone, PartialEq)]
pub struct OperatorRecord {
    pub id: Uuid,
    pub login: Login,
    pub display_name: String,
    pub password_hash: String,
    pub failed_attempts: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug)]
pub struct OperatorRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> OperatorRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn insert(
        &self,
        login: &Login,
        display_name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<OperatorRecord, DbError> {
        let row = operator_accounts::ActiveModel {
            id: Set(Uuid::now_v7()),
            login: Set(login.to_string()),
            display_name: Set(display_name.to_owned()),
            password_hash: Set(password_hash.to_owned()),
            failed_attempts: Set(0),
            locked_until: Set(None),
            created_at: Set(now),
        };
        to_record(
            operator_accounts::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    pub async fn find_by_login(&self, login: &Login) -> Result<Option<OperatorRecord>, DbError> {
        operator_accounts::Entity::find()
            .filter(operator_accounts::Column::Login.eq(login.as_str()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    pub async fn find_by_id(&self, id: Uuid) -> Result<Option<OperatorRecord>, DbError> {
        operator_accounts::Entity::find_by_id(id)
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// Counts one failed sign-in atomically; see `UserRepo::record_failure`.
    pub async fn record_failure(
        &self,
        id: Uuid,
        policy: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, DbError> {
        operator_accounts::Entity::update_many()
            .col_expr(
                operator_accounts::Column::FailedAttempts,
                Expr::col(operator_accounts::Column::FailedAttempts).add(1),
            )
            .filter(operator_accounts::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        let failures = operator_accounts::Entity::find_by_id(id)
            .one(self.tx)
            .await?
            .map_or(0, |o| o.failed_attempts);
        let Some(locked_until) =
            policy.lock_after(u32::try_from(failures).unwrap_or(u32::MAX), now)
        else {
            return Ok(None);
        };
        operator_accounts::Entity::update_many()
            .col_expr(operator_accounts::Column::FailedAttempts, Expr::value(0))
            .col_expr(
                operator_accounts::Column::LockedUntil,
                Expr::value(Some(locked_until)),
            )
            .filter(operator_accounts::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(Some(locked_until))
    }

    /// Clears the failure count after a successful sign-in.
    pub async fn record_success(&self, id: Uuid) -> Result<(), DbError> {
        operator_accounts::Entity::update_many()
            .col_expr(operator_accounts::Column::FailedAttempts, Expr::value(0))
            .col_expr(
                operator_accounts::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(operator_accounts::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(())
    }
}

fn to_record(row: operator_accounts::Model) -> Result<OperatorRecord, DbError> {
    Ok(OperatorRecord {
        id: row.id,
        login: Login::parse(&row.login).map_err(|e| DbError::corrupt("operator_accounts", e))?,
        display_name: row.display_name,
        password_hash: row.password_hash,
        failed_attempts: u32::try_from(row.failed_attempts).unwrap_or(0),
        locked_until: row.locked_until,
    })
}
