//! Quotas and usage: the operator sets an administration's quotas; a write past
//! one is refused with a clear message and nothing half-saved; usage is measured
//! into counts the console, the API and the metrics show, without one metric
//! series per administration and without another administration being touched.

use ordo_tests::{Backend, Storage, TestApp, csrf_token};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::portal::{Filer, PDF, file_part, filing_form};

async fn file(app: &TestApp, administration: &str, key: &str) -> (StatusCode, String) {
    let citizen = app.client();
    let portal = app
        .get_text(&citizen, &format!("/depot/{administration}"))
        .await;
    let answer = citizen
        .post(app.url(&format!("/depot/{administration}")))
        .multipart(filing_form(
            &csrf_token(&portal),
            key,
            &Filer {
                name: "Kadiatou Bah",
                email: "kadiatou@example.org",
                subject: "Demande d'audience",
            },
            vec![("letter", file_part("demande.pdf", PDF, "application/pdf"))],
        ))
        .send()
        .await
        .expect("POST");
    let status = answer.status();
    (status, answer.text().await.expect("body"))
}

fn mmg(table: &str) -> String {
    format!(
        "SELECT count(*) FROM {table} x JOIN tenants t ON t.id = x.tenant_id WHERE t.code = 'MMG'"
    )
}

async fn quotas_refuse_beyond_and_usage_is_counted(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let operator = crate::onboarding::operator_client(&app).await;
    let people = app.db.owner_scalar(&mmg("users")).await;

    // Storage of a byte (less than it keeps), and as many accounts as it has.
    let set = operator
        .put(app.url("/api/v1/operator/tenants/MMG/quotas"))
        .json(&json!({ "storage_bytes": 1, "users": people }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(set.status(), StatusCode::OK);

    // A filing past the storage quota: refused, said plainly, nothing kept.
    let items_before = app.db.owner_scalar(&mmg("mail_items")).await;
    let (status, page) = file(&app, "MMG", "cle-quota-1").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("espace de stockage de cette administration est plein"),
        "{page}"
    );
    assert_eq!(app.db.owner_scalar(&mmg("mail_items")).await, items_before);
    assert_eq!(app.db.owner_scalar(&mmg("portal_filings")).await, 0);
    // Another administration files as before.
    let (status, _) = file(&app, "MEF", "cle-quota-2").await;
    assert_eq!(status, StatusCode::OK);

    // One person more than the quota: refused with the limit named.
    let admin = app.signed_in("MMG", "admin").await;
    let page = app.get_text(&admin, "/organisation").await;
    let added = admin
        .post(app.url("/organisation/personnes"))
        .form(&[
            ("csrf", csrf_token(&page).as_str()),
            ("login", "agent.quota"),
            ("display_name", "Sékou Condé"),
            ("roles", "agent"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(added.status(), StatusCode::FORBIDDEN);
    let text = added.text().await.expect("body");
    assert!(
        text.contains(&format!("quota de {people} comptes")),
        "{text}"
    );
    assert_eq!(app.db.owner_scalar(&mmg("users")).await, people);

    // Without a limit again, the filing goes through.
    let lifted = operator
        .put(app.url("/api/v1/operator/tenants/MMG/quotas"))
        .json(&json!({ "storage_bytes": null, "users": null }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(lifted.status(), StatusCode::OK);
    let (status, _) = file(&app, "MMG", "cle-quota-3").await;
    assert_eq!(status, StatusCode::OK);

    // Usage, measured on request: the counts match the rows.
    let page = app.get_text(&operator, "/operateur").await;
    let measured = operator
        .post(app.url("/operateur/usage"))
        .form(&[("csrf", csrf_token(&page).as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(measured.status(), StatusCode::SEE_OTHER);
    let tenants: Value = app.get_json(&operator, "/api/v1/operator/tenants").await;
    let row = tenants
        .as_array()
        .expect("a list")
        .iter()
        .find(|t| t["code"] == "MMG")
        .expect("MMG")
        .clone();
    let stored_now = app
        .db
        .owner_scalar("SELECT CAST(sum(d.size) AS BIGINT) FROM documents d JOIN tenants t ON t.id = d.tenant_id WHERE t.code = 'MMG'")
        .await;
    assert_eq!(row["storage_bytes"], json!(stored_now));
    assert_eq!(row["users"], json!(people));
    // The administrator just signed in: at least one active person.
    assert!(row["active_users"].as_u64().expect("a count") >= 1, "{row}");
    let console = app.get_text(&operator, "/operateur").await;
    assert!(console.contains("comptes"), "{console}");

    // The metrics: platform totals and bands, no series named after anyone.
    let metrics = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        metrics.contains("ordo_tenants{status=\"active\"} 2"),
        "{metrics}"
    );
    assert!(metrics.contains("ordo_storage_bytes "), "{metrics}");
    assert!(
        metrics.contains("ordo_tenants_by_storage{band=\"under_100mib\"} 2"),
        "{metrics}"
    );
    assert!(
        !metrics.contains("MMG") && !metrics.contains("MEF"),
        "{metrics}"
    );

    // Bad quotas are refused; an administrator cannot set any.
    let bad = operator
        .put(app.url("/api/v1/operator/tenants/MMG/quotas"))
        .json(&json!({ "storage_bytes": 0, "users": null }))
        .send()
        .await
        .expect("PUT");
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let by_admin = admin
        .put(app.url("/api/v1/operator/tenants/MMG/quotas"))
        .json(&json!({ "storage_bytes": 1, "users": 1 }))
        .send()
        .await
        .expect("PUT");
    assert!(by_admin.status().is_client_error());
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM tenants WHERE quota_users IS NOT NULL OR quota_storage_bytes IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM operator_journal WHERE action = 'tenant.quotas-set'"
            )
            .await,
        2
    );
}

on_both_databases!(quotas_refuse_beyond_and_usage_is_counted);

/// How many administrations' totals in `tenant_storage` differ from the sum of
/// their documents' sizes.
const MISCOUNTED: &str = "SELECT count(*) FROM tenants t
     WHERE COALESCE((SELECT sum(s.bytes) FROM tenant_storage s WHERE s.tenant_id = t.id), 0)
        <> COALESCE((SELECT sum(d.size) FROM documents d WHERE d.tenant_id = t.id), 0)";

/// The storage quota reads each administration's total from `tenant_storage`,
/// which a trigger keeps as documents arrive and the migration filled from the
/// documents already there.
async fn stored_bytes_are_counted_as_documents_arrive(backend: Backend) {
    use ordo_migrations::{Migrator, MigratorTrait};

    let app = TestApp::spawn(backend, Storage::Local).await;
    for (administration, key) in [
        ("MMG", "cle-total-1"),
        ("MMG", "cle-total-2"),
        ("MEF", "cle-total-3"),
    ] {
        let (status, page) = file(&app, administration, key).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    let mmg_total = "SELECT CAST(sum(s.bytes) AS BIGINT) FROM tenant_storage s JOIN tenants t ON t.id = s.tenant_id WHERE t.code = 'MMG'";
    assert!(app.db.owner_scalar(mmg_total).await > 0);
    assert_eq!(app.db.owner_scalar(MISCOUNTED).await, 0);

    // Made again from the documents already stored.
    let owner = app.db.owner.connection();
    Migrator::down(owner, Some(1)).await.expect("revert");
    Migrator::up(owner, None).await.expect("apply");
    assert!(app.db.owner_scalar(mmg_total).await > 0);
    assert_eq!(app.db.owner_scalar(MISCOUNTED).await, 0);

    let (status, _) = file(&app, "MMG", "cle-total-4").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.db.owner_scalar(MISCOUNTED).await, 0);
}

on_both_databases!(stored_bytes_are_counted_as_documents_arrive);

/// Each document is checked against the quotas a replica keeps with the
/// registration settings (no round trip for them): a quota set anywhere, here by the
/// database owner's SQL, applies as soon as its notification arrives; a change made
/// behind disabled triggers is not seen, which shows the quota is served as kept.
#[tokio::test]
async fn postgres_a_quota_set_anywhere_applies_on_every_replica() {
    use sea_orm::ConnectionTrait as _;

    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let filing = || async {
        let n = attempts.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        file(&app, "MMG", &format!("cle-replique-{n}")).await.0
    };
    assert_eq!(filing().await, StatusCode::OK);

    let owner = app.db.owner.connection();
    owner
        .execute_unprepared("UPDATE tenants SET quota_storage_bytes = 1 WHERE code = 'MMG'")
        .await
        .expect("a quota by SQL");
    assert!(
        crate::registry::eventually(|| async { filing().await == StatusCode::FORBIDDEN }).await,
        "filings still accepted 30 s after the quota was set"
    );
    // A moment, for the notification to have arrived; this filing then keeps what
    // it reads (a read that a notification overtakes is not kept).
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(filing().await, StatusCode::FORBIDDEN);

    owner
        .execute_unprepared(
            "ALTER TABLE tenants DISABLE TRIGGER tenants_settings_changed;
             UPDATE tenants SET quota_storage_bytes = NULL WHERE code = 'MMG';
             ALTER TABLE tenants ENABLE TRIGGER tenants_settings_changed",
        )
        .await
        .expect("lifted unheard");
    assert_eq!(filing().await, StatusCode::FORBIDDEN, "the kept quota");
    // Any change heard makes it read them again.
    owner
        .execute_unprepared("UPDATE tenants SET quota_users = NULL WHERE code = 'MMG'")
        .await
        .expect("a change heard");
    assert!(
        crate::registry::eventually(|| async { filing().await == StatusCode::OK }).await,
        "filings still refused 30 s after the quota was lifted"
    );
}
