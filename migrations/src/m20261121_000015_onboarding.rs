//! Onboarding an administration in one step: where it stands (level, parent body,
//! languages), the record of each creation so a half-done one can be completed,
//! the platform's certificate authority and each administration's seal, and the
//! directory of administrations that exchange mail, and requests to delete one.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{grant_platform_table, isolate_tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        // Quotas: none when null.
        for column in [
            string_len("level", 16).default("central").to_owned(),
            string_len_null("parent_code", 16),
            string_len("languages", 32).default("fr,ar,en").to_owned(),
            big_integer_null("quota_storage_bytes"),
            integer_null("quota_users"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenants")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        // The administration's colour on its portal (branding beside the logo).
        manager
            .alter_table(
                Table::alter()
                    .table("portal_settings")
                    .add_column(string_len_null("brand_colour", 7))
                    .to_owned(),
            )
            .await?;

        // When a person last signed in: "active users" are those of the last 30 days.
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(timestamp_with_time_zone_null("last_signed_in_at"))
                    .to_owned(),
            )
            .await?;

        // What each administration uses, as the worker last measured it: the
        // operator's dashboard and the metrics read these counts, never the rows.
        manager
            .create_table(
                Table::create()
                    .table("tenant_usage")
                    .col(uuid("tenant_id").primary_key())
                    .col(timestamp_with_time_zone("measured_at"))
                    .col(big_integer("storage_bytes"))
                    .col(big_integer("documents"))
                    .col(big_integer("users"))
                    .col(big_integer("active_users"))
                    .col(big_integer("items_this_month"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "tenant_usage", "SELECT, INSERT, UPDATE, DELETE").await?;

        // One row per administration being created, or created: the request as
        // given (no password in it), the step reached and the last failure. A
        // creation that failed midway is completed by running it again, with the
        // same tenant id, so nothing it made before (its bucket) is orphaned.
        manager
            .create_table(
                Table::create()
                    .table("provisionings")
                    .col(string_len("code", 16).primary_key())
                    .col(uuid("tenant_id"))
                    .col(text("request"))
                    .col(string_len("step", 32))
                    .col(text_null("error"))
                    .col(text("actor"))
                    .col(uuid_null("invitation_id"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "provisionings", "SELECT, INSERT, UPDATE").await?;

        // The platform's own certificate authority, which certifies every
        // administration's seal: one row, made the first time it is needed.
        manager
            .create_table(
                Table::create()
                    .table("platform_authority")
                    .col(integer("id").primary_key())
                    .col(text("certificate_pem"))
                    .col(text("private_key_pem"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "platform_authority", "SELECT, INSERT").await?;

        // Each administration's seal: the key that signs its envelopes, receipts
        // and exports, and its certificate.
        manager
            .create_table(
                Table::create()
                    .table("tenant_seals")
                    .col(uuid("tenant_id").primary_key())
                    .col(text("certificate_pem"))
                    .col(text("private_key_pem"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "tenant_seals", "SELECT, INSERT").await?;

        // The directory of administrations, shared by the platform: who they are,
        // where they stand, and the certificate that checks their seal.
        manager
            .create_table(
                Table::create()
                    .table("directory_entries")
                    .col(uuid("tenant_id").primary_key())
                    .col(string_len_uniq("code", 16))
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .col(string_len("level", 16))
                    .col(string_len_null("parent_code", 16))
                    .col(text("certificate_pem"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(
            manager,
            "directory_entries",
            "SELECT, INSERT, UPDATE, DELETE",
        )
        .await?;

        // Deleting an administration takes two steps: a request, then, after an
        // export, a confirmation. A request waits here; the confirmation (run as
        // the owner role, which alone may remove journal rows) removes it with
        // everything else and leaves a certificate in the operator's journal.
        manager
            .create_table(
                Table::create()
                    .table("deletion_requests")
                    .col(uuid("tenant_id").primary_key())
                    .col(string_len("code", 16))
                    .col(text("requested_by"))
                    .col(timestamp_with_time_zone("requested_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "deletion_requests", "SELECT, INSERT, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "tenant_usage",
            "deletion_requests",
            "directory_entries",
            "tenant_seals",
            "platform_authority",
            "provisionings",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("last_signed_in_at")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("portal_settings")
                    .drop_column("brand_colour")
                    .to_owned(),
            )
            .await?;
        for column in [
            "quota_users",
            "quota_storage_bytes",
            "languages",
            "parent_code",
            "level",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("tenants")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
