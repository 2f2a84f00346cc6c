//! Dispatch (*imputation*) and processing: who an item was sent to, for what, until
//! when, and what became of it; the notes written on it; who follows it.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait};

use crate::tenancy::isolate_tenant_table;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("dispatches")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    // The dispatch this one passes on (a unit head's re-dispatch).
                    .col(uuid_null("parent_id"))
                    .col(string_len("purpose", 16))
                    .col(uuid_null("unit_id"))
                    .col(uuid_null("user_id"))
                    .col(text("instructions"))
                    .col(date_null("due_on"))
                    .col(string_len("status", 16))
                    .col(string_len_null("outcome", 16))
                    // Why it was last returned or reopened.
                    .col(text_null("reason"))
                    .col(uuid("dispatched_by"))
                    .col(timestamp_with_time_zone("dispatched_at"))
                    .col(uuid("updated_by"))
                    .col(timestamp_with_time_zone("updated_at"))
                    // Sent to a unit or to a person: exactly one of them.
                    .check(Expr::cust("(unit_id IS NULL) <> (user_id IS NULL)"))
                    .index(
                        Index::create()
                            .name("dispatches_tenant_id_id")
                            .col("tenant_id")
                            .col("id")
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatches", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatches", ("tenant_id", "parent_id"))
                            .to("dispatches", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatches", ("tenant_id", "unit_id"))
                            .to("org_units", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatches", ("tenant_id", "user_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatches", ("tenant_id", "dispatched_by"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Exactly one responsible: at most one live dispatch for action per item.
        // Returned and passed-on dispatches are history. A partial index, the same
        // on PostgreSQL and SQLite.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX dispatches_one_responsible ON dispatches (tenant_id, item_id)
               WHERE purpose = 'action' AND status IN ('sent', 'accepted', 'in_progress', 'closed')",
        )
        .await?;
        // The inboxes: what is waiting for a person or for a unit.
        db.execute_unprepared(
            "CREATE INDEX dispatches_person_inbox ON dispatches (tenant_id, user_id, status, due_on)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX dispatches_unit_inbox ON dispatches (tenant_id, unit_id, status, due_on)",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX dispatches_item ON dispatches (tenant_id, item_id)")
            .await?;
        // History is never deleted: no DELETE grant.
        isolate_tenant_table(manager, "dispatches", "SELECT, INSERT, UPDATE").await?;

        manager
            .create_table(
                Table::create()
                    .table("item_notes")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    .col(uuid("author_id"))
                    // The author's unit when writing: who "unit" visibility reaches.
                    .col(uuid_null("unit_id"))
                    .col(string_len("visibility", 16))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_notes", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_notes", ("tenant_id", "author_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE INDEX item_notes_item ON item_notes (tenant_id, item_id)")
            .await?;
        // A note is written once; it is never edited nor deleted.
        isolate_tenant_table(manager, "item_notes", "SELECT, INSERT").await?;

        manager
            .create_table(
                Table::create()
                    .table("item_followers")
                    .col(uuid("tenant_id"))
                    .col(uuid("item_id"))
                    .col(uuid("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("user_id")
                            .col("item_id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_followers", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("item_followers", ("tenant_id", "user_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "item_followers", "SELECT, INSERT, DELETE").await?;

        manager
            .create_table(
                Table::create()
                    .table("dispatch_templates")
                    .col(uuid("tenant_id"))
                    .col(string_len("nature", 32))
                    .col(uuid("unit_id"))
                    .col(string_len("purpose", 16))
                    .col(text("instructions"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("nature")
                            .col("unit_id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatch_templates", ("tenant_id", "unit_id"))
                            .to("org_units", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX dispatch_templates_one_responsible
               ON dispatch_templates (tenant_id, nature) WHERE purpose = 'action'",
        )
        .await?;
        isolate_tenant_table(manager, "dispatch_templates", "SELECT, INSERT, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "dispatch_templates",
            "item_followers",
            "item_notes",
            "dispatches",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
