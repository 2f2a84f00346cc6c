//! Each administration's working calendar: its weekend and its public holidays, on
//! which processing times are counted.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::isolate_tenant_table;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .add_column(string_len("weekend", 16).default("sat,sun"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("tenant_holidays")
                    .col(uuid("tenant_id"))
                    .col(date("day"))
                    .col(text("name"))
                    .primary_key(Index::create().col("tenant_id").col("day"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("tenant_holidays", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "tenant_holidays", "SELECT, INSERT, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("tenant_holidays").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("tenants")
                    .drop_column("weekend")
                    .to_owned(),
            )
            .await
    }
}
