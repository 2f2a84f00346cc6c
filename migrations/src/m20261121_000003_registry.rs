//! The bureau d'ordre: registers with their yearly counters, mail items, and the
//! hash-chained audit journal.

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
                    .table("registers")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("unit_id"))
                    .col(string_len("code", 16))
                    .col(string_len("direction", 16))
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .col(text("number_format"))
                    .col(timestamp_with_time_zone("created_at"))
                    .index(
                        Index::create()
                            .name("registers_tenant_id_id")
                            .col("tenant_id")
                            .col("id")
                            .unique(),
                    )
                    .index(
                        Index::create()
                            .name("registers_unit_code")
                            .col("tenant_id")
                            .col("unit_id")
                            .col("code")
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("registers", ("tenant_id", "unit_id"))
                            .to("org_units", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "registers", "SELECT, INSERT, UPDATE").await?;

        // One row per register and year: the last sequence handed out. It is
        // incremented inside the registration's transaction, so a registration that
        // rolls back gives its number back and the sequence stays gapless.
        manager
            .create_table(
                Table::create()
                    .table("register_counters")
                    .col(uuid("tenant_id"))
                    .col(uuid("register_id"))
                    .col(integer("year"))
                    .col(big_integer("last_sequence"))
                    .primary_key(Index::create().col("register_id").col("year"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("register_counters", ("tenant_id", "register_id"))
                            .to("registers", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "register_counters", "SELECT, INSERT, UPDATE").await?;

        manager
            .create_table(
                Table::create()
                    .table("mail_items")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("register_id"))
                    .col(string_len("status", 16))
                    .col(integer_null("year"))
                    .col(big_integer_null("sequence"))
                    .col(text_null("number"))
                    .col(text("subject"))
                    .col(string_len("nature", 32))
                    .col(string_len("channel", 32))
                    .col(string_len("priority", 16))
                    .col(string_len("confidentiality", 16))
                    .col(text("sender"))
                    .col(text("recipient"))
                    .col(date_null("letter_date"))
                    .col(timestamp_with_time_zone("received_at"))
                    .col(timestamp_with_time_zone_null("registered_at"))
                    .col(uuid_null("registered_by"))
                    .col(text("keywords"))
                    .col(text("paper_location"))
                    .col(text_null("cancel_reason"))
                    // A form or API call carries a key; resubmitting it (a double tap,
                    // a retry) finds the first registration instead of making another.
                    .col(string_len_null("submission_key", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .index(
                        Index::create()
                            .name("mail_items_tenant_id_id")
                            .col("tenant_id")
                            .col("id")
                            .unique(),
                    )
                    // A number is given once: one item per register, year and sequence.
                    .index(
                        Index::create()
                            .name("mail_items_number")
                            .col("tenant_id")
                            .col("register_id")
                            .col("year")
                            .col("sequence")
                            .unique(),
                    )
                    .index(
                        Index::create()
                            .name("mail_items_submission")
                            .col("tenant_id")
                            .col("submission_key")
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("mail_items", ("tenant_id", "register_id"))
                            .to("registers", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "mail_items", "SELECT, INSERT, UPDATE").await?;

        // The journal's head per tenant: taking it for update serialises appends, so
        // the chain has no fork and the sequence no gap.
        manager
            .create_table(
                Table::create()
                    .table("audit_heads")
                    .col(uuid("tenant_id").primary_key())
                    .col(big_integer("last_sequence"))
                    .col(string_len("last_hash", 64))
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "audit_heads", "SELECT, INSERT, UPDATE").await?;

        manager
            .create_table(
                Table::create()
                    .table("audit_entries")
                    .col(uuid("tenant_id"))
                    .col(big_integer("sequence"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text("actor"))
                    .col(string_len("action", 64))
                    .col(text("object"))
                    .col(text("details"))
                    .col(text("origin"))
                    .col(string_len("previous_hash", 64))
                    .col(string_len("hash", 64))
                    .primary_key(Index::create().col("tenant_id").col("sequence"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audit_entries_object")
                    .table("audit_entries")
                    .col("tenant_id")
                    .col("object")
                    .to_owned(),
            )
            .await?;
        // Append-only for the application: it may read and add, never change or remove.
        isolate_tenant_table(manager, "audit_entries", "SELECT, INSERT").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_entries",
            "audit_heads",
            "mail_items",
            "register_counters",
            "registers",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
