//! Documents of mail items: the scan or final letter, and attachments. The bytes live
//! in the tenant's document store; a row keeps where, how big, of what type, and the
//! SHA-256 computed while the bytes arrived. Rows are never changed or removed.

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
                    .table("documents")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid("item_id"))
                    .col(string_len("role", 16))
                    .col(text("file_name"))
                    .col(string_len("media_type", 64))
                    .col(big_integer("size"))
                    .col(string_len("sha256", 64))
                    .col(text("object_key"))
                    .col(uuid("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("documents", ("tenant_id", "item_id"))
                            .to("mail_items", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("documents_item")
                    .table("documents")
                    .col("tenant_id")
                    .col("item_id")
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "documents", "SELECT, INSERT").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("documents").to_owned())
            .await
    }
}
