//! Each administration's own wording of the e-mails it sends (a row per kind and
//! language it changed; the catalog's text otherwise), and the language of each
//! e-mail in the outbox, so the worker lays it out in the reader's direction.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::isolate_tenant_table;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("email_templates")
                    .col(uuid("tenant_id"))
                    .col(string_len("kind", 32))
                    .col(string_len("language", 8))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("tenant_id").col("kind").col("language"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("email_templates", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "email_templates", "SELECT, INSERT, UPDATE, DELETE").await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox_messages")
                    .add_column(string_len_null("language", 8))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("outbox_messages")
                    .drop_column("language")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("email_templates").to_owned())
            .await
    }
}
