//! Replicas also keep the directory entry a typed name finds, so changes to the
//! directory are heard as changes to the settings are (migrations 20 and 22).
//!
//! A registration whose sender is typed looks the name up in the directory; a
//! replica now keeps what it found (see `ordo_db`'s `settings_cache`). Only changes
//! to existing entries are heard: an entry added never changes which entry a name
//! finds first (the oldest), and hearing additions would make every new sender empty
//! every replica's cache. Editing an entry is a person's action, rare beside
//! registrations, so it empties everything kept, as a settings change does.

use sea_orm_migration::prelude::*;

use crate::tenancy::is_postgres;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = if is_postgres(manager) {
            "CREATE TRIGGER correspondents_settings_changed
               AFTER UPDATE OR DELETE OR TRUNCATE ON correspondents
               FOR EACH STATEMENT EXECUTE FUNCTION ordo_settings_changed();"
        } else {
            "CREATE TRIGGER IF NOT EXISTS correspondents_settings_update AFTER UPDATE ON correspondents
               BEGIN UPDATE settings_changes SET changes = changes + 1; END;
             CREATE TRIGGER IF NOT EXISTS correspondents_settings_delete AFTER DELETE ON correspondents
               BEGIN UPDATE settings_changes SET changes = changes + 1; END;"
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql = if is_postgres(manager) {
            "DROP TRIGGER correspondents_settings_changed ON correspondents;"
        } else {
            "DROP TRIGGER IF EXISTS correspondents_settings_update;
             DROP TRIGGER IF EXISTS correspondents_settings_delete;"
        };
        manager.get_connection().execute_unprepared(sql).await?;
        Ok(())
    }
}
