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
    let staff = app.signed_in("MMG", "secretariat").await;
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
    let admin = app.signed_in("MMG", "admin").await;
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
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action <> 'tenant.created' AND outcome = 'done'")
            .await,
        3
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action <> 'tenant.created' AND outcome = 'refused'")
            .await,
        3
    );
}

on_both_databases!(suspend_and_resume);

/// The operator agency never reads an administration's mail: with the operator's
/// session, every operation of the OpenAPI document and every page of an
/// administration answers without a word of its mail, and changes nothing.
async fn operator_reads_no_mail(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (operator, token) = operator_client(&app).await;
    // A registered letter with a document, dispatched: everything there is to read.
    let subject = "Plainte confidentielle du village de Sangaredi";
    let secretariat = app.api_client("MMG", "secretariat").await;
    let (item, _) = crate::dispatch::register(&app, &secretariat, subject, "normal").await;
    let uploaded = secretariat
        .post(app.url(&format!(
            "/api/v1/items/{item}/documents?role=attachment&file_name=plainte.pdf"
        )))
        .header("content-type", "application/pdf")
        .body(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n".to_vec())
        .send()
        .await
        .expect("upload");
    assert!(uploaded.status().is_success(), "{}", uploaded.status());
    let agent = crate::dispatch::person_key(&app, "MMG", "agent.mines").await;
    let (status, dispatched) = crate::dispatch::post(
        &secretariat,
        app.url(&format!("/api/v1/items/{item}/dispatches")),
        serde_json::json!({ "action": agent }),
    )
    .await;
    assert_eq!(status, 201, "{dispatched}");
    let document = app.db.owner_text("SELECT id FROM documents LIMIT 1").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let dispatch = app.db.owner_text("SELECT id FROM dispatches LIMIT 1").await;
    let fill = |path: &str| {
        path.replace("{register}", &register)
            .replace("{year}", "2026")
            .replace("/dispatches/{id}", &format!("/dispatches/{dispatch}"))
            .replace("/imputations/{id}", &format!("/imputations/{dispatch}"))
            .replace("/documents/{id}", &format!("/documents/{document}"))
            .replace("{id}", &item)
    };
    let items_before = app.db.owner_scalar("SELECT count(*) FROM mail_items").await;
    let journal_before = app
        .db
        .owner_scalar("SELECT count(*) FROM audit_entries")
        .await;

    let spec = app.get_json(&app.client(), "/api/openapi.json").await;
    let mut asked = 0;
    for (path, operations) in spec["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            let url = app.url(&fill(path));
            let request = match method.as_str() {
                "get" => operator.get(&url),
                "post" => operator.post(&url).json(&serde_json::json!({})),
                "put" => operator.put(&url).json(&serde_json::json!({})),
                "delete" => operator.delete(&url),
                _ => continue,
            };
            let answer = request.send().await.expect("request");
            let status = answer.status();
            let body = answer.text().await.expect("body");
            assert!(
                status.is_client_error(),
                "{method} {path}: {status} for the operator"
            );
            assert!(
                !body.contains(subject),
                "{method} {path} shows mail: {body}"
            );
            asked += 1;
        }
    }
    assert!(
        asked > 20,
        "the OpenAPI document lists the operations ({asked})"
    );

    let pages = [
        "/accueil",
        "/corbeille",
        "/registres",
        "/registres/{register}/brouillons",
        "/registres/{register}/annees/{year}",
        "/courriers/{id}",
        "/courriers/{id}/bordereau",
        "/courriers/{id}/accuse.pdf",
        "/documents/{id}",
        "/correspondants",
        "/statistiques",
        "/statistiques/export.csv",
        "/parametres",
        "/parametres/portail",
        "/organisation",
    ];
    for page in pages {
        let answer = operator
            .get(app.url(&fill(page)))
            .send()
            .await
            .expect("GET");
        let status = answer.status();
        let body = answer.text().await.expect("body");
        assert!(
            status.is_client_error() || status.is_redirection(),
            "{page}: {status} for the operator"
        );
        assert!(!body.contains(subject), "{page} shows mail");
    }
    for form in [
        "/courriers/{id}/annuler",
        "/courriers/{id}/imputer",
        "/courriers/{id}/notes",
        "/courriers/{id}/accuse",
        "/courriers/{id}/rejeter-depot",
        "/imputations/{id}/etape",
    ] {
        let answer = operator
            .post(app.url(&fill(form)))
            .form(&[
                ("csrf", token.as_str()),
                ("reason", "lecture"),
                ("motif", "lecture"),
            ])
            .send()
            .await
            .expect("POST");
        assert!(
            answer.status().is_client_error() || answer.status().is_redirection(),
            "{form}: {}",
            answer.status()
        );
    }
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        items_before
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries")
            .await,
        journal_before,
        "the operator's requests opened nothing: no view was journalled"
    );
}

on_both_databases!(operator_reads_no_mail);
