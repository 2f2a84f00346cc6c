//! Indexes for the dashboard: a year of one administration's registrations and
//! dispatches is read by range, whatever the others hold.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE INDEX mail_items_registered ON mail_items (tenant_id, registered_at)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dispatches_sent ON dispatches (tenant_id, dispatched_at)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX dispatches_sent").await?;
        db.execute_unprepared("DROP INDEX mail_items_registered")
            .await?;
        Ok(())
    }
}
