//! Deadlines: each administration's reminder policy, and what reminders, escalations
//! and daily digests were sent, so none is sent twice, whichever replica sends it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::isolate_tenant_table;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        for column in [
            integer("remind_before_days").default(2),
            integer("escalate_after_days").default(3),
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
        manager
            .create_table(
                Table::create()
                    .table("dispatch_reminders")
                    .col(uuid("tenant_id"))
                    .col(uuid("dispatch_id"))
                    // `before`, `after` (overdue) or `escalation`.
                    .col(string_len("kind", 16))
                    .col(date("sent_on"))
                    .primary_key(
                        Index::create()
                            .col("tenant_id")
                            .col("dispatch_id")
                            .col("kind"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("dispatch_reminders", ("tenant_id", "dispatch_id"))
                            .to("dispatches", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "dispatch_reminders", "SELECT, INSERT").await?;
        manager
            .create_table(
                Table::create()
                    .table("digests_sent")
                    .col(uuid("tenant_id"))
                    .col(uuid("user_id"))
                    .col(date("day"))
                    .primary_key(Index::create().col("tenant_id").col("user_id").col("day"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("digests_sent", ("tenant_id", "user_id"))
                            .to("users", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "digests_sent", "SELECT, INSERT").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["digests_sent", "dispatch_reminders"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["escalate_after_days", "remind_before_days"] {
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
