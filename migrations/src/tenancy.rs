//! Row-level security for tenant-owned tables (PostgreSQL only).
//!
//! The server connects as a login role that is a member of [`APP_ROLE`], which owns
//! no table. Each request runs in a transaction that sets `ordo.tenant_id` with
//! `set_config(…, true)`; the policy compares every row's `tenant_id` with it. When the
//! setting is missing or empty, `NULLIF(…)::uuid` is NULL, the comparison is never
//! true, and no row is visible or writable: isolation fails closed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

/// The role whose members run the application. It owns nothing.
pub const APP_ROLE: &str = "ordo_app";

/// The session setting that carries the current tenant.
pub const TENANT_SETTING: &str = "ordo.tenant_id";

pub(crate) fn is_postgres(manager: &SchemaManager<'_>) -> bool {
    manager.get_database_backend() == DbBackend::Postgres
}

/// Creates the application role if the cluster does not have it yet.
pub(crate) async fn ensure_app_role(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    if !is_postgres(manager) {
        return Ok(());
    }
    // Roles are cluster-wide: two databases migrating at once may both try to create
    // it, and the loser's duplicate is harmless.
    let sql = format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
             CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
           END IF;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$;"
    );
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}

/// Lets the application read and write a platform table (no tenant column).
pub(crate) async fn grant_platform_table(
    manager: &SchemaManager<'_>,
    table: &str,
    privileges: &str,
) -> Result<(), DbErr> {
    if !is_postgres(manager) {
        return Ok(());
    }
    let sql = format!("GRANT {privileges} ON TABLE {table} TO {APP_ROLE};");
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}

/// Puts a tenant-owned table under row-level security, forced even for its owner,
/// and grants the application the given privileges on it.
pub(crate) async fn isolate_tenant_table(
    manager: &SchemaManager<'_>,
    table: &str,
    privileges: &str,
) -> Result<(), DbErr> {
    if !is_postgres(manager) {
        return Ok(());
    }
    let sql = format!(
        "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
         ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
         CREATE POLICY tenant_isolation ON {table}
           USING (tenant_id = NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid)
           WITH CHECK (tenant_id = NULLIF(current_setting('{TENANT_SETTING}', true), '')::uuid);
         GRANT {privileges} ON TABLE {table} TO {APP_ROLE};"
    );
    manager
        .get_connection()
        .execute_unprepared(&sql)
        .await
        .map(drop)
}
