//! Two changes that let a registration make fewer round trips to PostgreSQL.
//!
//! - The journal's head also keeps the hash it replaced, so one statement can advance
//!   the head and insert the entry that links to the hash before it (see
//!   `ordo_db::repos::journal`).
//! - `ordo_api_token_owner` finds the person behind an API token in one statement
//!   outside any transaction: it sets the administration for the query under
//!   row-level security, then puts back whatever was set before.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{APP_ROLE, TENANT_SETTING, is_postgres};

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("audit_heads")
                    .add_column(string_len_null("previous_hash", 64))
                    .to_owned(),
            )
            .await?;
        if is_postgres(manager) {
            manager
                .get_connection()
                .execute_unprepared(&format!(
                    "CREATE FUNCTION ordo_api_token_owner(for_tenant uuid, for_token_hash text)
                     RETURNS SETOF users LANGUAGE plpgsql AS $$
                     DECLARE
                       outer_setting text := current_setting('{TENANT_SETTING}', true);
                     BEGIN
                       PERFORM set_config('{TENANT_SETTING}', for_tenant::text, true);
                       RETURN QUERY
                         SELECT u.* FROM users u
                          WHERE u.tenant_id = for_tenant
                            AND u.id IN (SELECT t.user_id FROM api_tokens t
                                          WHERE t.tenant_id = for_tenant
                                            AND t.token_hash = for_token_hash
                                            AND t.revoked_at IS NULL);
                       PERFORM set_config('{TENANT_SETTING}', coalesce(outer_setting, ''), true);
                     END $$;
                     REVOKE ALL ON FUNCTION ordo_api_token_owner(uuid, text) FROM PUBLIC;
                     GRANT EXECUTE ON FUNCTION ordo_api_token_owner(uuid, text) TO {APP_ROLE};"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if is_postgres(manager) {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION ordo_api_token_owner(uuid, text);")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("audit_heads")
                    .drop_column("previous_hash")
                    .to_owned(),
            )
            .await
    }
}
