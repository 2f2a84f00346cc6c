//! What a secretariat needs around a registration: the correspondents directory, the
//! administration's natures and priorities with their processing times, drafts,
//! corrections kept as versions, cancellation, links between items, and a document
//! size limit per administration. Registered items become immutable in the database
//! itself: only a correction (a new version) changes their fields, and nothing
//! changes their number.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

use crate::tenancy::{is_postgres, isolate_tenant_table};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

/// A seeded term: table, code, names in French, Arabic and English, processing days,
/// position.
type SeedTerm = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i32>,
    i32,
);

/// The natures and priorities every administration had before they became its own.
const DEFAULT_TERMS: &[SeedTerm] = &[
    (
        "mail_natures",
        "letter",
        "Lettre",
        "رسالة",
        "Letter",
        Some(30),
        1,
    ),
    (
        "mail_natures",
        "request",
        "Demande",
        "طلب",
        "Request",
        Some(30),
        2,
    ),
    (
        "mail_natures",
        "invoice",
        "Facture",
        "فاتورة",
        "Invoice",
        Some(30),
        3,
    ),
    ("mail_natures", "note", "Note", "مذكرة", "Note", Some(15), 4),
    (
        "mail_natures",
        "circular",
        "Circulaire",
        "منشور",
        "Circular",
        None,
        5,
    ),
    (
        "mail_natures",
        "decree",
        "Arrêté / décret",
        "قرار / مرسوم",
        "Order / decree",
        None,
        6,
    ),
    (
        "mail_natures",
        "report",
        "Rapport",
        "تقرير",
        "Report",
        Some(30),
        7,
    ),
    ("mail_natures", "other", "Autre", "أخرى", "Other", None, 8),
    (
        "mail_priorities",
        "normal",
        "Normale",
        "عادية",
        "Normal",
        None,
        1,
    ),
    (
        "mail_priorities",
        "urgent",
        "Urgente",
        "مستعجلة",
        "Urgent",
        Some(5),
        2,
    ),
    (
        "mail_priorities",
        "very_urgent",
        "Très urgente",
        "مستعجلة جدا",
        "Very urgent",
        Some(2),
        3,
    ),
];

/// The fields of a registered item that only a correction may change.
const CORRECTABLE: &[&str] = &[
    "subject",
    "nature",
    "channel",
    "priority",
    "confidentiality",
    "sender",
    "sender_id",
    "recipient",
    "letter_date",
    "received_at",
    "keywords",
    "paper_location",
    "due_on",
];

fn term_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(name)
        .col(uuid("tenant_id"))
        .col(string_len("code", 32))
        .col(text("name_fr"))
        .col(text("name_ar"))
        .col(text("name_en"))
        .col(integer_null("processing_days"))
        .col(integer("position"))
        .primary_key(Index::create().col("tenant_id").col("code"))
        .foreign_key(
            ForeignKey::create()
                .from(name, "tenant_id")
                .to("tenants", "id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // So that who did what can be referenced within the tenant (composite keys).
        manager
            .create_index(
                Index::create()
                    .name("users_tenant_id_id")
                    .table("users")
                    .col("tenant_id")
                    .col("id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("correspondents")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(string_len_null("kind", 16))
                    .col(text("name"))
                    // The name folded for matching (see ordo_domain::correspondent).
                    .col(text("match_key"))
                    .col(text_null("email"))
                    .col(text_null("address"))
                    // Set when, at creation, another entry looked like the same one.
                    .col(uuid_null("possible_duplicate_of"))
                    .col(timestamp_with_time_zone("created_at"))
                    .index(
                        Index::create()
                            .name("correspondents_tenant_id_id")
                            .col("tenant_id")
                            .col("id")
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("correspondents", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("correspondents", ("tenant_id", "possible_duplicate_of"))
                            .to("correspondents", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("correspondents_match_key")
                    .table("correspondents")
                    .col("tenant_id")
                    .col("match_key")
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "correspondents", "SELECT, INSERT, UPDATE").await?;

        for table in ["mail_natures", "mail_priorities"] {
            manager.create_table(term_table(table)).await?;
        }
        // Existing administrations keep the lists they had; seeded before row-level
        // security applies, since no tenant is set while migrating.
        for (table, code, fr, ar, en, days, position) in DEFAULT_TERMS {
            let days = days.map_or("NULL".to_owned(), |d| d.to_string());
            let quote = |s: &str| s.replace('\'', "''");
            db.execute_unprepared(&format!(
                "INSERT INTO {table} (tenant_id, code, name_fr, name_ar, name_en, processing_days, position)
                 SELECT id, '{code}', '{}', '{}', '{}', {days}, {position} FROM tenants",
                quote(fr),
                quote(ar),
                quote(en),
            ))
            .await?;
        }
        for table in ["mail_natures", "mail_priorities"] {
            isolate_tenant_table(manager, table, "SELECT, INSERT, UPDATE").await?;
        }

        // SQLite adds one column per statement.
        for column in [
            uuid_null("sender_id"),
            date_null("due_on"),
            integer("version").default(1).to_owned(),
            uuid_null("created_by"),
            timestamp_with_time_zone_null("cancelled_at"),
            uuid_null("cancelled_by"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("mail_items")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // A number names one item of the administration, whatever its register: a
        // link or a search by number is never ambiguous.
        manager
            .create_index(
                Index::create()
                    .name("mail_items_number_text")
                    .table("mail_items")
                    .col("tenant_id")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("mail_items_drafts")
                    .table("mail_items")
                    .col("tenant_id")
                    .col("register_id")
                    .col("status")
                    .to_owned(),
            )
            .await?;

        // An item's recipients as directory entries, in the order typed (the item's
        // `recipient` text keeps what the letter says), per version of the item: a
        // correction adds the list of its version, earlier lists stay. Append-only.
        manager
            .create_table(
                Table::create()
                    .table("item_recipients")
                    .col(uuid("tenant_id"))
                    .col(uuid("item_id"))
                    .col(integer("version"))
                    .col(integer("position"))
                    .col(uuid("correspondent_id"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("item_id")
                            .col("version")
                            .col("position"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_recipients", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_recipients", ("tenant_id", "correspondent_id"))
                            .to("correspondents", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("item_recipients_correspondent")
                    .table("item_recipients")
                    .col("tenant_id")
                    .col("correspondent_id")
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "item_recipients", "SELECT, INSERT").await?;

        // Each version of a registered item: version 1 as registered, then one per
        // correction with its reason. Append-only for the application.
        manager
            .create_table(
                Table::create()
                    .table("item_versions")
                    .col(uuid("tenant_id"))
                    .col(uuid("item_id"))
                    .col(integer("version"))
                    .col(text("fields"))
                    .col(text_null("reason"))
                    .col(uuid("author_id"))
                    .col(timestamp_with_time_zone("at"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("item_id")
                            .col("version"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_versions", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_versions", ("tenant_id", "author_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "item_versions", "SELECT, INSERT").await?;

        manager
            .create_table(
                Table::create()
                    .table("item_links")
                    .col(uuid("tenant_id"))
                    .col(uuid("from_item"))
                    .col(uuid("to_item"))
                    .col(string_len("kind", 16))
                    .col(uuid("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("from_item")
                            .col("to_item")
                            .col("kind"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_links", ("tenant_id", "from_item"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_links", ("tenant_id", "to_item"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_links", ("tenant_id", "created_by"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("item_links_to")
                    .table("item_links")
                    .col("tenant_id")
                    .col("to_item")
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "item_links", "SELECT, INSERT").await?;

        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(big_integer("max_document_bytes").default(50_i64 * 1024 * 1024))
                    .to_owned(),
            )
            .await?;

        if is_postgres(manager) {
            // SQLite cannot add a constraint to an existing table; its repositories
            // write these columns from rows they have just read in the same tenant.
            db.execute_unprepared(
                "ALTER TABLE mail_items
                   ADD CONSTRAINT mail_items_sender FOREIGN KEY (tenant_id, sender_id)
                     REFERENCES correspondents (tenant_id, id),
                   ADD CONSTRAINT mail_items_created_by FOREIGN KEY (tenant_id, created_by)
                     REFERENCES users (tenant_id, id),
                   ADD CONSTRAINT mail_items_cancelled_by FOREIGN KEY (tenant_id, cancelled_by)
                     REFERENCES users (tenant_id, id);",
            )
            .await?;
        }
        keep_registrations_immutable(db, is_postgres(manager)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if is_postgres(manager) {
            db.execute_unprepared(
                "DROP TRIGGER mail_items_keep_registration ON mail_items;
                 DROP FUNCTION mail_items_keep_registration();
                 ALTER TABLE mail_items DROP CONSTRAINT mail_items_sender,
                   DROP CONSTRAINT mail_items_created_by, DROP CONSTRAINT mail_items_cancelled_by;",
            )
            .await?;
        } else {
            db.execute_unprepared("DROP TRIGGER mail_items_keep_registration;")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .drop_column("max_document_bytes")
                    .to_owned(),
            )
            .await?;
        for index in ["mail_items_drafts", "mail_items_number_text"] {
            manager
                .drop_index(Index::drop().name(index).table("mail_items").to_owned())
                .await?;
        }
        for column in [
            "sender_id",
            "due_on",
            "version",
            "created_by",
            "cancelled_at",
            "cancelled_by",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("mail_items")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            "item_links",
            "item_versions",
            "item_recipients",
            "mail_priorities",
            "mail_natures",
            "correspondents",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("users_tenant_id_id")
                    .table("users")
                    .to_owned(),
            )
            .await
            .map(drop)
    }
}

/// A trigger that refuses, whoever asks: changing a registered item's number, year,
/// sequence, register or registration time; turning it back into a draft; changing
/// its fields without moving to the next version; cancelling it without a reason;
/// and any change at all to a cancelled item.
async fn keep_registrations_immutable(
    db: &SchemaManagerConnection<'_>,
    postgres: bool,
) -> Result<(), DbErr> {
    let fixed = [
        "tenant_id",
        "register_id",
        "number",
        "year",
        "sequence",
        "registered_at",
        "registered_by",
    ]
    .iter()
    .map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}"))
    .collect::<Vec<_>>()
    .join(" OR ");
    let corrected = CORRECTABLE
        .iter()
        .map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let cancellation = [
        "status",
        "version",
        "cancel_reason",
        "cancelled_at",
        "cancelled_by",
    ]
    .iter()
    .map(|c| format!("NEW.{c} IS DISTINCT FROM OLD.{c}"))
    .collect::<Vec<_>>()
    .join(" OR ");
    let refused = format!(
        "OLD.status <> 'draft' AND (NEW.status = 'draft' OR {fixed}
           OR (({corrected}) AND NEW.version <> OLD.version + 1)
           OR (NEW.status = 'cancelled' AND NEW.cancel_reason IS NULL)
           OR (OLD.status = 'cancelled' AND ({cancellation} OR {corrected})))"
    );
    let sql = if postgres {
        format!(
            "CREATE FUNCTION mail_items_keep_registration() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN
               IF {refused} THEN
                 RAISE EXCEPTION 'a registered item is changed only by a new version'
                   USING ERRCODE = 'integrity_constraint_violation';
               END IF;
               RETURN NEW;
             END $$;
             CREATE TRIGGER mail_items_keep_registration BEFORE UPDATE ON mail_items
               FOR EACH ROW EXECUTE FUNCTION mail_items_keep_registration();"
        )
    } else {
        let refused = refused.replace("IS DISTINCT FROM", "IS NOT");
        format!(
            "CREATE TRIGGER mail_items_keep_registration BEFORE UPDATE ON mail_items
             WHEN {refused}
             BEGIN
               SELECT RAISE(ABORT, 'a registered item is changed only by a new version');
             END;"
        )
    };
    db.execute_unprepared(&sql).await.map(drop)
}
