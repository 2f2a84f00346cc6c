//! The public portal: filings made online (each waits as a draft in the bureau
//! d'ordre's queue), acknowledgments of receipt with their verification codes,
//! the counters that rate-limit the public pages, and files carried by outbox
//! e-mails (the acknowledgment's PDF).

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{grant_platform_table, isolate_tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time. The
        // file travels in the row so the e-mail is exactly what the transaction that
        // wanted it decided, whatever happens to the item later.
        for column in [
            text_null("attachment_name"),
            string_len_null("attachment_type", 64),
            blob_null("attachment"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("outbox_messages")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("portal_filings")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    // Given to the filer; with their e-mail it opens the tracking page.
                    .col(string_len("tracking_code", 12))
                    // A double tap on "send" brings the same key: one filing.
                    .col(string_len("submission_key", 64))
                    .col(string_len("filer_kind", 16))
                    .col(text("filer_name"))
                    .col(text("filer_email"))
                    .col(text("filer_phone"))
                    .col(text("filer_address"))
                    .col(text("message"))
                    .col(string_len("language", 8))
                    .col(text("client_address"))
                    .col(timestamp_with_time_zone("filed_at"))
                    .col(timestamp_with_time_zone_null("rejected_at"))
                    .col(text_null("rejection_reason"))
                    // The registered reply the administration chose to hand over
                    // through the portal: the filer downloads its main document.
                    .col(uuid_null("reply_item_id"))
                    .col(timestamp_with_time_zone_null("reply_published_at"))
                    // Where the administration asks filers to confirm their address,
                    // a filing counts (reaches the queue) once confirmed; only the
                    // SHA-256 of the link's token is kept.
                    .col(timestamp_with_time_zone_null("confirmed_at"))
                    .col(string_len_null("confirmation_hash", 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from("portal_filings", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("portal_filings_item", &["tenant_id", "item_id"][..]),
            ("portal_filings_code", &["tenant_id", "tracking_code"][..]),
            ("portal_filings_key", &["tenant_id", "submission_key"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("portal_filings").unique();
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        isolate_tenant_table(manager, "portal_filings", "SELECT, INSERT, UPDATE").await?;

        // Each administration's portal settings and acknowledgment template; an
        // administration without a row has the defaults.
        manager
            .create_table(
                Table::create()
                    .table("portal_settings")
                    .col(uuid("tenant_id").primary_key())
                    .col(boolean("confirm_email").default(false))
                    .col(text("ack_wording").default(""))
                    .col(text("ack_signature").default(""))
                    .col(blob_null("logo"))
                    .col(string_len_null("logo_type", 64))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("portal_settings", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "portal_settings", "SELECT, INSERT, UPDATE").await?;

        manager
            .create_table(
                Table::create()
                    .table("acknowledgments")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    // Printed on the receipt and in its QR code: anyone holding the
                    // receipt checks it with this.
                    .col(string_len("verification_code", 12))
                    .col(timestamp_with_time_zone("issued_at"))
                    // What the receipt says (number, dates, subject, sender, unit,
                    // fingerprints), kept as issued so it prints again identically.
                    .col(text("content"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("acknowledgments", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("acknowledgments_item", "item_id"),
            ("acknowledgments_code", "verification_code"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("acknowledgments")
                        .col("tenant_id")
                        .col(column)
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        isolate_tenant_table(manager, "acknowledgments", "SELECT, INSERT").await?;

        // A platform table: public pages count before they know an administration.
        // Keys are hashed (no address or e-mail in clear); windows are fixed.
        manager
            .create_table(
                Table::create()
                    .table("rate_counters")
                    .col(string_len("bucket", 32))
                    .col(string_len("key_hash", 64))
                    .col(timestamp_with_time_zone("window_start"))
                    .col(integer("hits"))
                    .primary_key(
                        Index::create()
                            .col("bucket")
                            .col("key_hash")
                            .col("window_start"),
                    )
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "rate_counters", "SELECT, INSERT, UPDATE, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "rate_counters",
            "portal_settings",
            "acknowledgments",
            "portal_filings",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["attachment", "attachment_type", "attachment_name"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("outbox_messages")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
