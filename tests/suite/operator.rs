//! The operator agency suspends and resumes administrations: a suspended one keeps
//! its data, its people cannot sign in (and are told why), its sessions and tokens
//! stop, its portal is closed; every attempt, done or refused, is in the operator's
//! journal; nobody of an administration can do it.

use ordo_tests::{Backend, Storage, TestApp, csrf_token};
use reqwest::StatusCode;

async fn operator_client(app: &TestApp) -> (reqwest::Client, String) {
    let operator = app.client();
    assert_eq!(
        app.sign_in(&operator, "", "operateur", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let console = app.get_text(&operator, "/operateur").await;
    let token = csrf_token(&console);
    (operator, token)
}

async fn suspend_and_resume(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (operator, token) = operator_client(&app).await;
    let staff = app.client();
    app.sign_in(&staff, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD)
        .await;
    let api = app.api_client("MMG", "secretariat").await;
    let items_before = app.db.owner_scalar("SELECT count(*) FROM mail_items").await;
    let post = |path: String| {
        operator
            .post(app.url(&path))
            .form(&[("csrf", token.as_str())])
            .send()
    };

    let suspended = post("/operateur/administrations/MMG/suspendre".to_owned())
        .await
        .expect("POST");
    assert_eq!(suspended.status(), StatusCode::SEE_OTHER);
    let console = app.get_text(&operator, "/operateur?fait=suspendre").await;
    assert!(console.contains("Administration suspendue"), "{console}");

    // Sign-in refused with the reason; the open session and the token stop.
    let refused = app
        .sign_in(
            &app.client(),
            "MMG",
            "secretariat",
            ordo::demo::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.expect("body").contains("suspendue"));
    let open_session = staff.get(app.url("/corbeille")).send().await.expect("GET");
    assert_eq!(open_session.status(), StatusCode::FORBIDDEN);
    let with_token = api
        .get(app.url("/api/v1/registers"))
        .send()
        .await
        .expect("GET");
    assert_eq!(with_token.status(), StatusCode::FORBIDDEN);
    // The portal is closed and says so; nothing is lost.
    let portal = app
        .client()
        .get(app.url("/depot/MMG"))
        .send()
        .await
        .expect("GET");
    assert_eq!(portal.status(), StatusCode::FORBIDDEN);
    assert!(
        portal
            .text()
            .await
            .expect("body")
            .contains("fermé pour le moment")
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        items_before,
        "the data is kept"
    );
    // The other administration goes on.
    let other = app.client();
    assert_eq!(
        app.sign_in(&other, "MEF", "secretariat", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Twice: refused, clearly, and recorded.
    let again = post("/operateur/administrations/MMG/suspendre".to_owned())
        .await
        .expect("POST");
    let location = again.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(location.contains("refus=already-suspended"), "{location}");
    let console = app.get_text(&operator, &location).await;
    assert!(console.contains("déjà suspendue"), "{console}");

    let resumed = post("/operateur/administrations/MMG/reprendre".to_owned())
        .await
        .expect("POST");
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.sign_in(
            &app.client(),
            "MMG",
            "secretariat",
            ordo::demo::DEMO_PASSWORD
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let portal = app
        .client()
        .get(app.url("/depot/MMG"))
        .send()
        .await
        .expect("GET");
    assert_eq!(portal.status(), StatusCode::OK);

    // The same through the API.
    let through_api = operator
        .post(app.url("/api/v1/operator/tenants/MEF/suspend"))
        .send()
        .await
        .expect("POST");
    assert_eq!(through_api.status(), StatusCode::OK);
    let body: serde_json::Value = through_api.json().await.expect("json");
    assert_eq!(body["status"], "suspended");
    let twice = operator
        .post(app.url("/api/v1/operator/tenants/MEF/suspend"))
        .send()
        .await
        .expect("POST");
    assert_eq!(twice.status(), StatusCode::CONFLICT);
    let unknown = operator
        .post(app.url("/api/v1/operator/tenants/XYZ/resume"))
        .send()
        .await
        .expect("POST");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);

    // Nobody of an administration may do it.
    let admin = app.client();
    app.sign_in(&admin, "MMG", "admin", ordo::demo::DEMO_PASSWORD)
        .await;
    let page = app.get_text(&admin, "/parametres").await;
    let by_admin = admin
        .post(app.url("/operateur/administrations/MMG/suspendre"))
        .form(&[("csrf", csrf_token(&page))])
        .send()
        .await
        .expect("POST");
    assert!(
        matches!(
            by_admin.status(),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::SEE_OTHER
        ),
        "{}",
        by_admin.status()
    );
    let mmg_status = app
        .db
        .owner_scalar("SELECT count(*) FROM tenants WHERE code = 'MMG' AND status = 'active'")
        .await;
    assert_eq!(mmg_status, 1, "an administrator cannot suspend anything");

    // Every attempt is in the operator's journal: done and refused.
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE outcome = 'done'")
            .await,
        3
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE outcome = 'refused'")
            .await,
        3
    );
}

on_both_databases!(suspend_and_resume);
