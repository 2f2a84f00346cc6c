//! The REST/JSON API: bearer tokens, idempotent registration, one error format, the
//! OpenAPI contract.

use ordo_tests::{Backend, Storage, TestApp};
use serde_json::{Value, json};

async fn token(app: &TestApp, administration: &str, login: &str) -> String {
    ordo::token_cli::create(&app.state.db, administration, login, "tests")
        .await
        .expect("token")
}

async fn registration_through_the_api(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = ordo_tests::bearer_client(&token(&app, "MMG", "secretariat").await);
    let registers: Value = client
        .get(app.url("/api/v1/registers"))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    let register = registers
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["code"] == "ARR")
        .expect("ARR")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let body = json!({ "subject": "Rapport trimestriel", "sender": "Direction régionale de Boké", "letter_date": "2026-01-05" });
    let post = || {
        client
            .post(app.url(&format!("/api/v1/registers/{register}/items")))
            .header("idempotency-key", "scanner-42")
            .json(&body)
            .send()
    };
    let first = post().await.expect("POST");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    assert_eq!(first["sequence"], 1);
    assert!(
        first["number"]
            .as_str()
            .expect("number")
            .starts_with("MMG/ARR/")
    );
    let retry = post().await.expect("POST again");
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.expect("json");
    assert_eq!(
        retry["id"], first["id"],
        "a retry returns the first registration"
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        1
    );

    let item: Value = client
        .get(app.url(&format!(
            "/api/v1/items/{}",
            first["id"].as_str().expect("id")
        )))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(item["subject"], "Rapport trimestriel");
    assert_eq!(item["letter_date"], "2026-01-05");
    let year = first["year"].as_i64().expect("year");
    let listed: Value = client
        .get(app.url(&format!("/api/v1/registers/{register}/years/{year}/items")))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(listed.as_array().expect("array").len(), 1);

    // A key of the full 64 characters is kept whole.
    let long_key = "k".repeat(64);
    let long = client
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .header("idempotency-key", &long_key)
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(long.status(), 201);
    // The same key on another register is a conflict, not the other register's item.
    let other_register = registers
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["code"] == "DEP")
        .expect("DEP")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let elsewhere = client
        .post(app.url(&format!("/api/v1/registers/{other_register}/items")))
        .header("idempotency-key", "scanner-42")
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(elsewhere.status(), 409);
    // Another person's identical key registers their own letter.
    let colleague = ordo_tests::bearer_client(&token(&app, "MMG", "admin").await);
    let theirs: Value = colleague
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .header("idempotency-key", "scanner-42")
        .json(&body)
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_ne!(theirs["id"], first["id"]);
    // Someone who may not register learns nothing from a key.
    let auditor = ordo_tests::bearer_client(&token(&app, "MMG", "auditeur").await);
    let probe = auditor
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .header("idempotency-key", "scanner-42")
        .json(&body)
        .send()
        .await
        .expect("POST");
    assert_eq!(probe.status(), 403);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        3
    );

    let refused = client
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .header("accept-language", "en")
        .json(&json!({ "subject": "", "sender": "Expéditeur", "nature": "poem", "letter_date": "31/12/2026" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = refused.json().await.expect("json");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["subject", "letter_date", "nature"]);
    assert_eq!(
        problem["errors"][0]["message"],
        "Subject: this field is required."
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        3,
        "nothing more registered"
    );
}

/// A token acts inside its own administration only, and stops at once when revoked.
async fn tokens_are_scoped_and_revocable(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let mmg_token = token(&app, "MMG", "secretariat").await;
    let mmg = ordo_tests::bearer_client(&mmg_token);
    let register = app.register("MMG", "ARR").await;
    let item: Value = mmg
        .post(app.url(&format!("/api/v1/registers/{}/items", register.id)))
        .json(&json!({ "subject": "Courrier de MMG", "sender": "Société" }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");

    let mef = ordo_tests::bearer_client(&token(&app, "MEF", "secretariat").await);
    let item_id = item["id"].as_str().expect("id");
    assert_eq!(
        mef.get(app.url(&format!("/api/v1/items/{item_id}")))
            .send()
            .await
            .expect("GET")
            .status(),
        404
    );
    let forged = mef
        .post(app.url(&format!("/api/v1/registers/{}/items", register.id)))
        .json(&json!({ "subject": "Courrier glissé", "sender": "Intrus" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), 404);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT max(last_sequence) FROM register_counters")
            .await,
        1
    );

    // MMG's secret presented as MEF's token finds nothing.
    let mef_tenant = app
        .current_user("MEF", "admin")
        .await
        .tenant
        .id
        .as_uuid()
        .simple()
        .to_string();
    let secret = mmg_token.rsplit('_').next().expect("secret");
    let spliced = ordo_tests::bearer_client(&format!("ordo_{mef_tenant}_{secret}"));
    assert_eq!(
        spliced
            .get(app.url("/api/v1/registers"))
            .send()
            .await
            .expect("GET")
            .status(),
        401
    );

    let tokens = ordo::token_cli::list(&app.state.db, "MMG")
        .await
        .expect("list");
    ordo::token_cli::revoke(&app.state.db, "MMG", tokens[0].id)
        .await
        .expect("revoke");
    let revoked = mmg
        .get(app.url("/api/v1/registers"))
        .send()
        .await
        .expect("GET");
    assert_eq!(revoked.status(), 401);
    assert_eq!(
        revoked.headers()["content-type"],
        "application/problem+json"
    );
}

on_both_databases!(
    registration_through_the_api,
    tokens_are_scoped_and_revocable
);

/// The OpenAPI document is a contract: a change to it is a reviewed change to
/// `docs/openapi.json` (regenerate with `ORDO_UPDATE_SNAPSHOTS=1 tests/run.sh -- openapi`).
#[tokio::test]
async fn the_openapi_document_matches_its_snapshot() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let served = reqwest::get(app.url("/api/openapi.json"))
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let document: Value = serde_json::from_str(&served).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
    for path in [
        "/api/v1/registers",
        "/api/v1/registers/{register}/items",
        "/api/v1/items/{id}",
        "/api/v1/registers/{register}/years/{year}/items",
    ] {
        assert!(
            document["paths"].get(path).is_some(),
            "{path} is documented"
        );
    }
    let snapshot = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("ORDO_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, format!("{served}\n")).expect("write the snapshot");
    }
    let expected = std::fs::read_to_string(&snapshot).expect("docs/openapi.json exists");
    assert_eq!(
        served.trim_end(),
        expected.trim_end(),
        "the API changed: review and regenerate docs/openapi.json"
    );
}
