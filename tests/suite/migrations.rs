use ordo_migrations::{Migrator, MigratorTrait};
use ordo_tests::{Backend, TestDb};
use sea_orm::ConnectionTrait;

const TABLES: &str = "'tenants', 'operator_accounts', 'sessions', 'org_units', 'users', \
                      'registers', 'register_counters', 'mail_items', 'audit_heads', 'audit_entries', \
                      'documents', 'api_tokens'";

async fn table_count(db: &TestDb) -> i64 {
    let sql = match db.backend {
        Backend::Sqlite => format!(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({TABLES})"
        ),
        Backend::Postgres => {
            format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ({TABLES})"
            )
        }
    };
    db.owner_scalar(&sql).await
}

async fn migrations_apply_revert_and_reapply(backend: Backend) {
    let db = TestDb::empty(backend).await;
    let conn = db.owner.connection();
    Migrator::up(conn, None).await.expect("apply");
    assert_eq!(table_count(&db).await, 12);
    Migrator::down(conn, None).await.expect("revert");
    assert_eq!(table_count(&db).await, 0);
    assert!(
        Migrator::get_applied_migrations(conn)
            .await
            .expect("status")
            .is_empty()
    );
    Migrator::up(conn, None).await.expect("re-apply");
    assert_eq!(table_count(&db).await, 12);
    assert_eq!(
        Migrator::get_pending_migrations(conn)
            .await
            .expect("status")
            .len(),
        0
    );
}

on_both_databases!(migrations_apply_revert_and_reapply);

/// On managed PostgreSQL the owner is neither superuser nor BYPASSRLS, and row
/// security is forced on it too: the migrations still apply and revert, and
/// migration 21 fills the storage totals from the documents already there.
#[tokio::test]
async fn postgres_migrations_run_under_an_owner_without_bypass() {
    let (owner, superuser) = ordo_tests::postgres_under_plain_owner().await;
    let conn = owner.connection();
    let totals = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261204_000021_storage_totals")
        .expect("the storage totals' migration");
    Migrator::up(conn, Some(u32::try_from(totals).expect("a count")))
        .await
        .expect("apply the ones before, as a plain owner");
    // Two documents of one administration, written behind the foreign keys' back.
    superuser
        .connection()
        .execute_unprepared(
            "SET session_replication_role = replica;
             INSERT INTO documents (tenant_id, id, item_id, role, file_name, media_type, size,
                                    sha256, object_key, uploaded_by, uploaded_at)
             SELECT '11111111-1111-1111-1111-111111111111', gen_random_uuid(), gen_random_uuid(),
                    'main', 'lettre.pdf', 'application/pdf', size, 'x', 'k', gen_random_uuid(), now()
             FROM (VALUES (1234), (1000)) AS sizes (size);
             SET session_replication_role = origin;",
        )
        .await
        .expect("documents");
    Migrator::up(conn, None).await.expect("apply the rest");
    let total = "SELECT CAST(sum(bytes) AS BIGINT) FROM tenant_storage";
    assert_eq!(ordo_tests::scalar(&superuser, total).await, 2234);
    let forced = "SELECT count(*) FROM pg_class WHERE relname IN ('documents', 'tenant_storage') AND relforcerowsecurity";
    assert_eq!(ordo_tests::scalar(&superuser, forced).await, 2);
    Migrator::down(conn, None)
        .await
        .expect("revert, as a plain owner");
    assert_eq!(
        ordo_tests::scalar(
            &superuser,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'documents'"
        )
        .await,
        0
    );
}

/// A replica started before the migrations sweeps the journals in vain: its
/// sealer tells that error apart (and only logs it at debug level) by its SQLSTATE.
#[tokio::test]
async fn postgres_sealing_before_the_migrations_is_recognised() {
    let db = TestDb::empty(Backend::Postgres).await;
    let tenant = ordo_domain::TenantId::generate();
    let early = db
        .owner
        .seal_journal(tenant)
        .await
        .expect_err("no sealing function yet");
    assert!(early.is_undefined_function(), "{early}");
    Migrator::up(db.owner.connection(), None)
        .await
        .expect("apply");
    assert_eq!(db.owner.seal_journal(tenant).await.expect("sealable"), 0);
}

#[tokio::test]
async fn postgres_application_role_owns_nothing_and_rls_is_forced() {
    let db = TestDb::new(Backend::Postgres).await;
    assert_eq!(db.app_scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user").await, 0);
    assert_eq!(
        db.app_scalar("SELECT count(*) FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)").await,
        0
    );
    let tenant_tables = db
        // Platform tables that name a tenant without belonging to one: sessions are
        // found before the tenant is known; the outbox is delivered for every
        // tenant; the record of a creation exists before its tenant does; the
        // directory is every administration's to read; a deletion request and
        // usage counts are the operator's; the exchange queue is delivered for
        // every tenant, and the units shown in the directory are read by all.
        .owner_scalar("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name NOT IN ('sessions', 'outbox_messages', 'provisionings', 'directory_entries', 'deletion_requests', 'tenant_usage', 'exchange_queue', 'directory_units')")
        .await;
    let isolated = db
        .owner_scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity")
        .await;
    assert_eq!(
        isolated, tenant_tables,
        "every table with a tenant_id is under forced row-level security"
    );
}

#[tokio::test]
async fn serving_as_a_role_that_bypasses_rls_is_refused() {
    let db = TestDb::new(Backend::Postgres).await;
    db.app
        .check_application_role()
        .await
        .expect("the application role is accepted");
    let refused = db
        .owner
        .check_application_role()
        .await
        .expect_err("the owner (a superuser here) is refused");
    assert!(
        refused.to_string().contains("row-level security"),
        "{refused}"
    );
}
