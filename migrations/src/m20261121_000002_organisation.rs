//! The first tenant-owned tables: an administration's units and its people.

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
                    .table("org_units")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid_null("parent_id"))
                    .col(string_len("code", 32))
                    .col(text("name_fr"))
                    .col(text("name_ar"))
                    .col(text("name_en"))
                    .col(string_len("kind", 32))
                    .col(boolean("has_bureau_ordre").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("org_units", "tenant_id")
                            .to("tenants", "id"),
                    )
                    // (tenant_id, id) is unique so that a parent unit and a user's unit
                    // are referenced with the tenant: a reference into another tenant
                    // cannot be stored.
                    .index(
                        Index::create()
                            .name("org_units_tenant_id_id")
                            .col("tenant_id")
                            .col("id")
                            .unique(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("org_units", ("tenant_id", "parent_id"))
                            .to("org_units", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("org_units_tenant_code")
                    .table("org_units")
                    .col("tenant_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "org_units", "SELECT, INSERT, UPDATE, DELETE").await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(uuid("tenant_id"))
                    .col(uuid("id").primary_key())
                    .col(uuid_null("unit_id"))
                    .col(string_len("login", 64))
                    .col(text("display_name"))
                    .col(text_null("email"))
                    .col(text_null("password_hash"))
                    .col(text("roles"))
                    .col(string_len("locale", 8).default("fr"))
                    .col(integer("failed_attempts").default(0))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("users", ("tenant_id", "unit_id"))
                            .to("org_units", ("tenant_id", "id")),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("users_tenant_login")
                    .table("users")
                    .col("tenant_id")
                    .col("login")
                    .unique()
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(manager, "users", "SELECT, INSERT, UPDATE, DELETE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["users", "org_units"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
