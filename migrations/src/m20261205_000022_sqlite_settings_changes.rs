//! On SQLite, the changes to the settings a process keeps in memory are counted.
//!
//! SQLite has no notifications (migration 20 is PostgreSQL's way), and the command
//! line writes the same file from other processes. A row trigger on each table the
//! kept settings come from adds one to `settings_changes`; each process reads that
//! counter a few times a second and forgets what it kept when it moved (see
//! `ordo_db`'s `settings_cache`). Being in the database, the triggers catch every
//! writer, as migration 20's do.

use sea_orm_migration::prelude::*;

use crate::tenancy::is_postgres;

/// The tables whose rows a process keeps: those of migration 20.
const KEPT_TABLES: [&str; 7] = [
    "tenants",
    "users",
    "api_tokens",
    "registers",
    "mail_natures",
    "mail_priorities",
    "tenant_holidays",
];

const EVENTS: [&str; 3] = ["insert", "update", "delete"];

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction: the counter exists with all its triggers, or not at all.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if is_postgres(manager) {
            return Ok(());
        }
        // One row, never another: the platform's count, not an administration's.
        let mut sql = "CREATE TABLE settings_changes (
                         id INTEGER PRIMARY KEY CHECK (id = 1),
                         changes INTEGER NOT NULL
                       );
                       INSERT INTO settings_changes (id, changes) VALUES (1, 0);"
            .to_owned();
        for table in KEPT_TABLES {
            for event in EVENTS {
                sql.push_str(&format!(
                    "CREATE TRIGGER {table}_settings_{event} AFTER {event} ON {table}
                     BEGIN UPDATE settings_changes SET changes = changes + 1; END;"
                ));
            }
        }
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if is_postgres(manager) {
            return Ok(());
        }
        let mut sql = String::new();
        for table in KEPT_TABLES {
            for event in EVENTS {
                sql.push_str(&format!("DROP TRIGGER {table}_settings_{event};"));
            }
        }
        sql.push_str("DROP TABLE settings_changes;");
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }
}
