//! Platform tables, shared by all tenants: the administrations themselves, the
//! operator agency's accounts, and sign-in sessions.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{ensure_app_role, grant_platform_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        ensure_app_role(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table("tenants")
                    .col(uuid("id").primary_key())
                    .col(string_len_uniq("code", 16))
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .col(string_len("time_zone", 64))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "tenants", "SELECT, INSERT, UPDATE").await?;

        manager
            .create_table(
                Table::create()
                    .table("operator_accounts")
                    .col(uuid("id").primary_key())
                    .col(string_len_uniq("login", 64))
                    .col(text("display_name"))
                    .col(text("password_hash"))
                    .col(integer("failed_attempts").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "operator_accounts", "SELECT, INSERT, UPDATE").await?;

        // A session is found by the SHA-256 of its cookie token before the tenant is
        // known, so it lives beside the tenants rather than inside one.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(string_len("principal_kind", 16))
                    .col(uuid_null("tenant_id"))
                    .col(uuid("account_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("sessions_expires_at")
                    .table("sessions")
                    .col("expires_at")
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "sessions", "SELECT, INSERT, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sessions", "operator_accounts", "tenants"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
