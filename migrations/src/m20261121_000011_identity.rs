//! Each administration's identity provider (OpenID Connect), for sign-in with the
//! accounts of its own directory.

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
                    .table("identity_providers")
                    .col(uuid("tenant_id").primary_key())
                    .col(text("issuer"))
                    .col(text("client_id"))
                    .col(text("client_secret"))
                    // The claim naming the person (their Ordo login).
                    .col(string_len("login_claim", 200))
                    // The claim listing their groups or roles.
                    .col(string_len("roles_claim", 200))
                    // `group = role, role` lines.
                    .col(text("role_mapping"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("identity_providers", "tenant_id")
                            .to("tenants", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        isolate_tenant_table(
            manager,
            "identity_providers",
            "SELECT, INSERT, UPDATE, DELETE",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("identity_providers").to_owned())
            .await
    }
}
