//! The exchange between administrations: the envelopes an administration sent and
//! where each recipient stands, the envelopes it received (the key `(sender,
//! envelope id)` kept forever, so a redelivery replays its receipt), the receipts
//! both ways, the queue of deliveries the worker carries out, and the
//! administrations of other platforms.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{grant_platform_table, isolate_tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An envelope as sent: its exact bytes and their signature, which every
        // receipt is bound to.
        manager
            .create_table(
                Table::create()
                    .table("exchange_envelopes")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    .col(blob("envelope"))
                    .col(blob("signature"))
                    .col(string_len("sha256", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "exchange_envelopes", "SELECT, INSERT").await?;

        // Where each recipient of a sent envelope stands, as its receipts tell.
        manager
            .create_table(
                Table::create()
                    .table("exchange_recipients")
                    .col(uuid("tenant_id"))
                    .col(uuid("envelope_id"))
                    .col(string_len("organisation", 16))
                    .col(string_len_null("unit", 128))
                    .col(string_len("status", 16))
                    .col(text_null("detail"))
                    .col(text_null("their_number"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .primary_key(Index::create().col("envelope_id").col("organisation"))
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "exchange_recipients", "SELECT, INSERT, UPDATE").await?;

        // An envelope as received, waiting in the bureau d'ordre's queue as a
        // draft until it is registered or returned.
        manager
            .create_table(
                Table::create()
                    .table("exchange_arrivals")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(string_len("sender", 16))
                    .col(uuid("envelope_id"))
                    .col(string_len("sha256", 64))
                    .col(blob("envelope"))
                    .col(blob("signature"))
                    .col(uuid("item_id"))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("received_at"))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "exchange_arrivals_key",
                &["tenant_id", "sender", "envelope_id"][..],
            ),
            ("exchange_arrivals_item", &["tenant_id", "item_id"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("exchange_arrivals").unique();
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        isolate_tenant_table(manager, "exchange_arrivals", "SELECT, INSERT, UPDATE").await?;

        // Receipts issued (answers to what arrived) and received (answers to what
        // was sent), each with its exact bytes and signature.
        manager
            .create_table(
                Table::create()
                    .table("exchange_receipts")
                    .col(uuid("tenant_id"))
                    .col(uuid("id"))
                    .col(string_len("direction", 8))
                    .col(uuid("envelope_id"))
                    .col(string_len("sender", 16))
                    .col(string_len("issuer", 16))
                    .col(string_len("kind", 16))
                    .col(blob("receipt"))
                    .col(blob("signature"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("tenant_id").col("id").col("direction"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exchange_receipts_envelope")
                    .table("exchange_receipts")
                    .col("tenant_id")
                    .col("envelope_id")
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "exchange_receipts", "SELECT, INSERT").await?;

        // Deliveries to carry out, envelopes and receipts alike, across every
        // administration: names and ids only, never content (that stays behind
        // row-level security and is read in the sending administration's
        // transaction).
        manager
            .create_table(
                Table::create()
                    .table("exchange_queue")
                    .col(uuid("id").primary_key())
                    .col(uuid("tenant_id"))
                    .col(string_len("kind", 8))
                    .col(uuid("envelope_id"))
                    .col(string_len("destination", 16))
                    .col(uuid_null("receipt_id"))
                    .col(string_len("status", 16))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(text_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exchange_queue_due")
                    .table("exchange_queue")
                    .col("status")
                    .col("next_attempt_at")
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "exchange_queue", "SELECT, INSERT, UPDATE, DELETE").await?;

        // Administrations on other Ordo platforms (or behind a gateway): where
        // their platform is reached and the certificate that checks their seal.
        // Codes are unique across the platforms that exchange.
        manager
            .create_table(
                Table::create()
                    .table("remote_administrations")
                    .col(string_len("code", 16).primary_key())
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .col(string_len("level", 16))
                    .col(text("platform_url"))
                    .col(text("certificate_pem"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(
            manager,
            "remote_administrations",
            "SELECT, INSERT, UPDATE, DELETE",
        )
        .await?;

        // The units each administration shows in the directory (its choice): mail
        // may be addressed to them. Copied here because the directory is read by
        // every administration, and their own units table is not.
        manager
            .create_table(
                Table::create()
                    .table("directory_units")
                    .col(uuid("tenant_id"))
                    .col(string_len("code", 32))
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .primary_key(Index::create().col("tenant_id").col("code"))
                    .to_owned(),
            )
            .await?;
        grant_platform_table(manager, "directory_units", "SELECT, INSERT, DELETE").await?;
        // An administration may replace the seal made at its creation by its own
        // (row-level security still holds the row to its tenant).
        grant_platform_table(manager, "tenant_seals", "UPDATE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "directory_units",
            "remote_administrations",
            "exchange_queue",
            "exchange_receipts",
            "exchange_arrivals",
            "exchange_recipients",
            "exchange_envelopes",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
