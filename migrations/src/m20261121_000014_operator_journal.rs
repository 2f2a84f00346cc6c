//! The operator agency's own journal: every act on an administration (suspension,
//! resumption, later creation, export and deletion), and every refused attempt,
//! with who, when, from where and the outcome. Platform-wide; the application may
//! append and read, never change or remove an entry.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::grant_platform_table;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("operator_journal")
                    .col(uuid("id").primary_key())
                    .col(timestamp_with_time_zone("at"))
                    .col(text("actor"))
                    .col(string_len("action", 48))
                    .col(string_len_null("tenant_code", 32))
                    // `done` or `refused`, with the reason in the details.
                    .col(string_len("outcome", 16))
                    .col(text("details"))
                    .col(text("origin"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("operator_journal_at")
                    .table("operator_journal")
                    .col("at")
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "operator_journal", "SELECT, INSERT").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("operator_journal").to_owned())
            .await
    }
}
