//! Every replica is told when the settings it keeps in memory change, on PostgreSQL.
//!
//! A replica keeps who holds each API token and what a registration reads of its
//! administration's settings (see `ordo_db`'s `settings_cache`). A statement trigger
//! on each table those come from notifies channel `ordo_settings`; PostgreSQL
//! delivers the notification when the writing transaction commits, to every replica
//! listening, which then forgets what it kept. Being in the database, the trigger
//! catches every writer: the application, the command line, an administrator's SQL.
//! SQLite has no notifications: migration 22 counts the changes there instead.

use sea_orm_migration::prelude::*;

use crate::tenancy::is_postgres;

/// The channel the triggers notify; `ordo_db` listens on it.
const SETTINGS_CHANNEL: &str = "ordo_settings";

/// The tables whose rows a replica keeps: the token's holder and administration, and
/// a registration's registers, vocabulary and holidays.
const KEPT_TABLES: [&str; 7] = [
    "tenants",
    "users",
    "api_tokens",
    "registers",
    "mail_natures",
    "mail_priorities",
    "tenant_holidays",
];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(manager) {
            return Ok(());
        }
        // The table's name as payload, for the logs; replicas forget everything either
        // way (these change rarely). One notification per transaction and table:
        // PostgreSQL folds identical ones.
        let mut sql = format!(
            "CREATE FUNCTION ordo_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               PERFORM pg_notify('{SETTINGS_CHANNEL}', TG_TABLE_NAME);
               RETURN NULL;
             END $$;"
        );
        for table in KEPT_TABLES {
            sql.push_str(&format!(
                "CREATE TRIGGER {table}_settings_changed
                   AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                   FOR EACH STATEMENT EXECUTE FUNCTION ordo_settings_changed();"
            ));
        }
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if !is_postgres(manager) {
            return Ok(());
        }
        let mut sql = String::new();
        for table in KEPT_TABLES {
            sql.push_str(&format!(
                "DROP TRIGGER {table}_settings_changed ON {table};"
            ));
        }
        sql.push_str("DROP FUNCTION ordo_settings_changed();");
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }
}
