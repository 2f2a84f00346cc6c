use chrono::{DateTime, Utc};
use ordo_domain::{Locale, LockoutPolicy, Login, RoleSet, TenantId};
use sea_orm::{
    ActiveValue::Set, Condition, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::users, settings_cache::SettingsWrites};

#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub id: Uuid,
    pub tenant: TenantId,
    pub unit_id: Option<Uuid>,
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub roles: RoleSet,
    pub locale: Locale,
    pub failed_attempts: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub unit_id: Option<Uuid>,
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    /// An argon2id PHC string; `None` for people who only sign in through OIDC.
    pub password_hash: Option<String>,
    pub roles: RoleSet,
    pub locale: Locale,
}

/// An administration's people. Built only by `TenantTx::users`.
#[derive(Debug)]
pub struct UserRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    settings_writes: &'t SettingsWrites,
}

impl<'t> UserRepo<'t> {
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

    pub async fn insert(&self, new: NewUser, now: DateTime<Utc>) -> Result<UserRecord, DbError> {
        self.settings_writes.note();
        crate::repos::usage::check_users(self.tx, self.tenant).await?;
        let row = users::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            unit_id: Set(new.unit_id),
            login: Set(new.login.to_string()),
            display_name: Set(new.display_name),
            email: Set(new.email),
            password_hash: Set(new.password_hash),
            roles: Set(new.roles.to_string()),
            locale: Set(new.locale.tag().to_owned()),
            failed_attempts: Set(0),
            locked_until: Set(None),
            created_at: Set(now),
            last_signed_in_at: Set(None),
        };
        to_record(
            users::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    pub async fn find_by_login(&self, login: &Login) -> Result<Option<UserRecord>, DbError> {
        users::Entity::find()
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(users::Column::Login.eq(login.as_str()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<UserRecord>, DbError> {
        users::Entity::find_by_id(id)
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    pub async fn list(&self) -> Result<Vec<UserRecord>, DbError> {
        users::Entity::find()
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(users::Column::Login)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// Counts one failed sign-in, atomically: concurrent guesses each count. When the
    /// count reaches the policy's limit the account is locked and the count restarts.
    /// Returns when the account unlocks, if this failure locked it.
    pub async fn record_failure(
        &self,
        id: Uuid,
        policy: &LockoutPolicy,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, DbError> {
        self.settings_writes.note();
        let scope = || {
            Condition::all()
                .add(users::Column::TenantId.eq(self.tenant.as_uuid()))
                .add(users::Column::Id.eq(id))
        };
        // The UPDATE comes first: it takes the row (PostgreSQL) or the write lock
        // (SQLite) before anything is read, so no other attempt can interleave.
        users::Entity::update_many()
            .col_expr(
                users::Column::FailedAttempts,
                Expr::col(users::Column::FailedAttempts).add(1),
            )
            .filter(scope())
            .exec(self.tx)
            .await?;
        let failures = users::Entity::find()
            .filter(scope())
            .one(self.tx)
            .await?
            .map_or(0, |u| u.failed_attempts);
        let Some(locked_until) =
            policy.lock_after(u32::try_from(failures).unwrap_or(u32::MAX), now)
        else {
            return Ok(None);
        };
        users::Entity::update_many()
            .col_expr(users::Column::FailedAttempts, Expr::value(0))
            .col_expr(users::Column::LockedUntil, Expr::value(Some(locked_until)))
            .filter(scope())
            .exec(self.tx)
            .await?;
        Ok(Some(locked_until))
    }

    /// Changes a person's name, address, unit and roles.
    pub async fn update(
        &self,
        id: Uuid,
        display_name: &str,
        email: Option<&str>,
        unit_id: Option<Uuid>,
        roles: &RoleSet,
    ) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = users::Entity::update_many()
            .col_expr(users::Column::DisplayName, Expr::value(display_name))
            .col_expr(users::Column::Email, Expr::value(email))
            .col_expr(users::Column::UnitId, Expr::value(unit_id))
            .col_expr(users::Column::Roles, Expr::value(roles.to_string()))
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(users::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Sets a new password (an argon2id PHC string) and lifts any lockout.
    pub async fn set_password(&self, id: Uuid, password_hash: &str) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = users::Entity::update_many()
            .col_expr(users::Column::PasswordHash, Expr::value(password_hash))
            .col_expr(users::Column::FailedAttempts, Expr::value(0))
            .col_expr(
                users::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(users::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Clears the failure count after a successful sign-in, and notes when.
    pub async fn record_success(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), DbError> {
        self.settings_writes.note();
        users::Entity::update_many()
            .col_expr(users::Column::FailedAttempts, Expr::value(0))
            .col_expr(users::Column::LastSignedInAt, Expr::value(Some(now)))
            .col_expr(
                users::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(users::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(users::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(())
    }
}

pub(crate) fn to_record(row: users::Model) -> Result<UserRecord, DbError> {
    let corrupt = |e| DbError::corrupt("users", e);
    Ok(UserRecord {
        id: row.id,
        tenant: TenantId::new(row.tenant_id),
        unit_id: row.unit_id,
        login: Login::parse(&row.login).map_err(corrupt)?,
        display_name: row.display_name,
        email: row.email,
        password_hash: row.password_hash,
        roles: RoleSet::parse(&row.roles).map_err(corrupt)?,
        locale: row.locale.parse().unwrap_or_default(),
        failed_attempts: u32::try_from(row.failed_attempts).unwrap_or(0),
        locked_until: row.locked_until,
    })
}
