//! The transactional outbox (side effects committed with the change that causes
//! them, delivered by the worker with retries) and password reset tokens.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{grant_platform_table, isolate_tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A platform table: the worker delivers every administration's messages
        // without setting a tenant. Rows hold what delivery needs (an address, a
        // subject, a text), written by the tenant's own transaction.
        manager
            .create_table(
                Table::create()
                    .table("outbox_messages")
                    .col(uuid("id").primary_key())
                    .col(uuid_null("tenant_id"))
                    .col(string_len("kind", 16))
                    .col(text("recipient"))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(string_len("status", 16))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    // After this, the message is pointless (a reset link that has
                    // expired): it is given up rather than delivered late.
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_messages_due")
                    .table("outbox_messages")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "outbox_messages", "SELECT, INSERT, UPDATE").await?;

        // Only the SHA-256 of a reset token is kept; it works once, for an hour.
        manager
            .create_table(
                Table::create()
                    .table("password_resets")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("user_id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("password_resets", ("tenant_id", "user_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "password_resets", "SELECT, INSERT, UPDATE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["password_resets", "outbox_messages"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
