use ordo_db::{Backend as DbBackend, TenantRecord};
use ordo_domain::{LocalizedName, Login, TenantCode};
use ordo_tests::{Backend, Storage, TestApp};
use sea_orm::{ConnectionTrait, DbBackend as SeaBackend, Statement, TransactionTrait};

async fn tenant(app: &TestApp, code: &str) -> TenantRecord {
    let tx = app.state.db.platform().await.expect("platform tx");
    let tenant = tx
        .tenants()
        .find_by_code(&TenantCode::parse(code).expect("code"))
        .await
        .expect("query")
        .expect("seeded");
    tx.commit().await.expect("commit");
    tenant
}

/// Acting as MEF on MMG's rows finds nothing and changes nothing, checked in the database.
async fn another_tenant_sees_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let mmg = tenant(&app, "MMG").await;
    let mef = tenant(&app, "MEF").await;

    let tx = app.state.db.tenant_read(mmg.id).await.expect("tx");
    let victim = tx
        .units()
        .list()
        .await
        .expect("list")
        .into_iter()
        .find(|u| u.code == "DR-BOKE")
        .expect("MMG's regional office");
    tx.commit().await.expect("commit");

    let tx = app.state.db.tenant_write(mef.id).await.expect("tx");
    assert_eq!(tx.units().find(victim.id).await.expect("find"), None);
    let renamed = tx
        .units()
        .rename(
            victim.id,
            LocalizedName::parse("Piraté", "", "").expect("name"),
        )
        .await
        .expect("rename");
    assert!(!renamed, "MEF must not rename MMG's unit");
    assert_eq!(
        tx.users()
            .find_by_login(&Login::parse("ministre").expect("login"))
            .await
            .expect("find"),
        None
    );
    let codes: Vec<String> = tx
        .units()
        .list()
        .await
        .expect("list")
        .into_iter()
        .map(|u| u.code)
        .collect();
    assert_eq!(codes, ["SG", "DB"]);
    tx.commit().await.expect("commit");

    // A unit of MEF cannot hang under a unit of MMG: the reference carries the tenant.
    let tx = app.state.db.tenant_write(mef.id).await.expect("tx");
    let grafted = tx
        .units()
        .insert(
            ordo_db::NewUnit {
                parent_id: Some(victim.id),
                code: "GREFFE".to_owned(),
                name: LocalizedName::parse("Greffe", "", "").expect("name"),
                kind: ordo_db::UnitKind::Service,
                has_bureau_ordre: false,
            },
            app.state.clock.now(),
        )
        .await;
    assert!(
        grafted.is_err(),
        "a parent in another tenant must be refused"
    );
    drop(tx);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM org_units WHERE code = 'GREFFE'")
            .await,
        0
    );

    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM org_units WHERE name_fr = 'Piraté'")
            .await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM org_units WHERE code = 'DR-BOKE'")
            .await,
        1
    );

    if app.state.db.backend() == DbBackend::Postgres {
        // Without a tenant in the transaction, the application role sees no row at all.
        assert_eq!(app.db.owner_scalar("SELECT count(*) FROM users").await, 10);
        assert_eq!(app.db.app_scalar("SELECT count(*) FROM users").await, 0);
        assert_eq!(app.db.app_scalar("SELECT count(*) FROM org_units").await, 0);
        // Inside MEF's transaction, a row claiming MMG's tenant is refused by the policy.
        let conn = app.state.db.connection();
        let tx = conn.begin().await.expect("begin");
        tx.execute_raw(Statement::from_sql_and_values(
            SeaBackend::Postgres,
            "SELECT set_config('ordo.tenant_id', $1, true)",
            [mef.id.to_string().into()],
        ))
        .await
        .expect("set tenant");
        let forged = tx
            .execute_raw(Statement::from_sql_and_values(
                SeaBackend::Postgres,
                "INSERT INTO org_units (tenant_id, id, code, name_fr, name_ar, name_en, kind, has_bureau_ordre, created_at)
                 VALUES ($1, gen_random_uuid(), 'FORGED', 'x', 'x', 'x', 'service', false, now())",
                [mmg.id.as_uuid().into()],
            ))
            .await;
        assert!(
            forged.is_err(),
            "row-level security must refuse a row of another tenant"
        );
        drop(tx);
        let updated = app
            .state
            .db
            .connection()
            .execute_unprepared("UPDATE org_units SET name_fr = 'Piraté'")
            .await
            .expect("update runs");
        assert_eq!(updated.rows_affected(), 0, "no tenant context, no row");
        assert_eq!(
            app.db
                .owner_scalar("SELECT count(*) FROM org_units WHERE code = 'FORGED'")
                .await,
            0
        );
    }

    // Over HTTP: MEF's agent gets MEF's units only.
    let client = app.client();
    assert_eq!(
        app.sign_in(&client, "MEF", "agent", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        303
    );
    let units: serde_json::Value = app.get_json(&client, "/api/v1/units").await;
    let codes: Vec<&str> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["SG", "DB"]);
    let home = app.get_text(&client, "/accueil").await;
    assert!(home.contains("Direction nationale du Budget"));
    assert!(
        !home.contains("Boké") && !home.contains("Mines"),
        "MMG's units must not show on MEF's page"
    );
}

/// The operator sees tenants' metadata, never a tenant's pages; tenants never see the console.
async fn operator_and_tenant_spaces_are_separate(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;

    let operator = app.client();
    assert_eq!(
        app.sign_in(
            &operator,
            "",
            ordo::demo::DEMO_OPERATOR,
            ordo::demo::DEMO_PASSWORD
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        operator
            .get(app.url("/accueil"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    assert_eq!(
        operator
            .get(app.url("/api/v1/units"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    let tenants: serde_json::Value = app.get_json(&operator, "/api/v1/operator/tenants").await;
    let codes: Vec<&str> = tenants
        .as_array()
        .expect("array")
        .iter()
        .map(|t| t["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["MEF", "MMG"]);
    let console = app.get_text(&operator, "/operateur").await;
    assert!(console.contains("Ministère des Mines et de la Géologie"));
    assert!(
        !console.contains("Ibrahima Sow"),
        "the console shows no tenant's people"
    );

    let user = app.client();
    assert_eq!(
        app.sign_in(&user, "MMG", "admin", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        user.get(app.url("/operateur"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    assert_eq!(
        user.get(app.url("/api/v1/operator/tenants"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
}

/// A transaction opened to read refuses to write on PostgreSQL, so a write placed in
/// one fails in every test that reaches it. On SQLite such a write would fail only
/// while another connection holds the write lock: the refusal here is what keeps the
/// shared code's writes in `tenant_write`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_transaction_refuses_to_write_on_postgres() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let mmg = tenant(&app, "MMG").await;
    let renamed = LocalizedName::parse("Renommé en lecture", "", "").expect("name");
    for snapshot in [false, true] {
        let tx = if snapshot {
            app.state.db.tenant_snapshot(mmg.id).await
        } else {
            app.state.db.tenant_read(mmg.id).await
        }
        .expect("tx");
        let unit = tx.units().list().await.expect("reads")[0].clone();
        let refused = tx.units().rename(unit.id, renamed.clone()).await;
        let message = format!("{:?}", refused.expect_err("a write must be refused"));
        assert!(
            message.contains("read-only transaction"),
            "refused as read-only, not for another reason: {message}"
        );
        drop(tx);
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM org_units WHERE name_fr = 'Renommé en lecture'")
            .await,
        0
    );
    // The same write in a writing transaction goes through.
    let tx = app.state.db.tenant_write(mmg.id).await.expect("tx");
    let unit = tx.units().list().await.expect("reads")[0].clone();
    assert!(tx.units().rename(unit.id, renamed).await.expect("written"));
    tx.commit().await.expect("commit");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM org_units WHERE name_fr = 'Renommé en lecture'")
            .await,
        1
    );
}

on_both_databases!(
    another_tenant_sees_and_changes_nothing,
    operator_and_tenant_spaces_are_separate
);
