//! Each administration's stored bytes, kept as documents arrive, so the storage
//! quota is checked without adding up every document it ever stored.
//!
//! A trigger on `documents` adds each new document's size to one of the
//! administration's rows in `tenant_storage`; their sum is its total. On PostgreSQL
//! the row is picked among 16 at random: concurrent uploads of one administration
//! then seldom wait for each other's row lock (one row would make them take turns
//! until each commits). SQLite writes one at a time: one row. Documents are never
//! removed by the application (only a purge removes them, with these rows), so the
//! trigger only adds. Being in the database, it counts every writer, old replicas
//! during a rolling upgrade included.

use sea_orm_migration::{prelude::*, schema::*};

use crate::tenancy::{is_postgres, isolate_tenant_table};

/// Rows per administration on PostgreSQL.
const SHARDS: u32 = 16;

#[derive(DeriveMigrationName)]
pub(crate) struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite too: the totals match the documents or nothing
    /// changed.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("tenant_storage")
                    .col(uuid("tenant_id"))
                    .col(small_integer("shard"))
                    .col(big_integer("bytes"))
                    .primary_key(Index::create().col("tenant_id").col("shard"))
                    .to_owned(),
            )
            .await?;
        // The trigger first: it locks `documents` against writes until this
        // migration commits, so the totals below miss no document and count none
        // twice.
        let sql = if is_postgres(manager) {
            format!(
                "CREATE FUNCTION ordo_count_document_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   INSERT INTO tenant_storage (tenant_id, shard, bytes)
                     VALUES (NEW.tenant_id, floor(random() * {SHARDS})::smallint, NEW.size)
                     ON CONFLICT (tenant_id, shard)
                     DO UPDATE SET bytes = tenant_storage.bytes + EXCLUDED.bytes;
                   RETURN NULL;
                 END $$;
                 CREATE TRIGGER documents_count_bytes AFTER INSERT ON documents
                   FOR EACH ROW EXECUTE FUNCTION ordo_count_document_bytes();"
            )
        } else {
            "CREATE TRIGGER documents_count_bytes AFTER INSERT ON documents
             BEGIN
               INSERT INTO tenant_storage (tenant_id, shard, bytes)
                 VALUES (NEW.tenant_id, 0, NEW.size)
                 ON CONFLICT (tenant_id, shard) DO UPDATE SET bytes = bytes + excluded.bytes;
             END;"
                .to_owned()
        };
        let conn = manager.get_connection();
        conn.execute_unprepared(&sql).await?;
        // Row-level security is forced on `documents`, for its owner too: lifted for
        // the totals (every administration's), in this migration's transaction.
        let backfill = "INSERT INTO tenant_storage (tenant_id, shard, bytes)
             SELECT tenant_id, 0, sum(size) FROM documents GROUP BY tenant_id;";
        if is_postgres(manager) {
            conn.execute_unprepared(&format!(
                "ALTER TABLE documents NO FORCE ROW LEVEL SECURITY;
                 {backfill}
                 ALTER TABLE documents FORCE ROW LEVEL SECURITY;"
            ))
            .await?;
        } else {
            conn.execute_unprepared(backfill).await?;
        }
        isolate_tenant_table(manager, "tenant_storage", "SELECT, INSERT, UPDATE").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if is_postgres(manager) {
            conn.execute_unprepared(
                "DROP TRIGGER documents_count_bytes ON documents;
                 DROP FUNCTION ordo_count_document_bytes();",
            )
            .await?;
        } else {
            conn.execute_unprepared("DROP TRIGGER documents_count_bytes")
                .await?;
        }
        manager
            .drop_table(Table::drop().table("tenant_storage").to_owned())
            .await
    }
}
