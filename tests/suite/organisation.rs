//! The administrator's organisation page: units (no cycles, codes unique), people
//! with roles, a welcome e-mail through the outbox to choose a password; and none of
//! it reachable from another administration.

use ordo_tests::{Backend, Storage, TestApp, csrf_token};
use reqwest::StatusCode;

async fn admin(app: &TestApp, administration: &str) -> (reqwest::Client, String) {
    let client = app.signed_in(administration, "admin").await;
    let page = app.get_text(&client, "/organisation").await;
    assert!(page.contains("Organisation"), "{page}");
    let token = csrf_token(&page);
    (client, token)
}

async fn unit_id(app: &TestApp, administration: &str, code: &str) -> String {
    app.unit(administration, code).await.id.to_string()
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn units_and_people(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.signed_in("MMG", "secretariat").await;
    let forbidden = secretariat
        .get(app.url("/organisation"))
        .send()
        .await
        .expect("GET");
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);

    let (client, token) = admin(&app, "MMG").await;
    let sg = unit_id(&app, "MMG", "SG").await;
    let dnm = unit_id(&app, "MMG", "DNM").await;
    let unit = |code: &'static str, parent: String| {
        vec![
            ("csrf", token.clone()),
            ("parent", parent),
            ("code", code.to_owned()),
            ("name_fr", "Direction des ressources humaines".to_owned()),
            ("name_ar", String::new()),
            ("name_en", String::new()),
            ("kind", "directorate".to_owned()),
        ]
    };
    let send = |form: Vec<(&'static str, String)>, path: &'static str| {
        let client = client.clone();
        let url = app.url(path);
        async move {
            let response = client.post(url).form(&form).send().await.expect("POST");
            let status = response.status();
            (status, response.text().await.expect("body"))
        }
    };
    let (status, _) = send(unit("DRH", sg.clone()), "/organisation/unites").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = send(unit("SG", sg.clone()), "/organisation/unites").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("déjà utilisé"), "a code is used once");
    let mef_unit = unit_id(&app, "MEF", "SG").await;
    let (status, page) = send(unit("DRH2", mef_unit.clone()), "/organisation/unites").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Rattachée à"),
        "another administration's unit is unknown here"
    );
    // SG under DNM, its own sub-unit: refused.
    let (status, page) = post(
        &app,
        &client,
        &format!("/organisation/unites/{sg}"),
        &[
            ("csrf", &token),
            ("parent", &dnm),
            ("name_fr", "Secrétariat général"),
            ("kind", "central"),
            ("bureau", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("sous-unités"), "{page}");

    // A new person, welcomed by e-mail; they choose their password with the link.
    let drh = unit_id(&app, "MMG", "DRH").await;
    let (status, _) = post(
        &app,
        &client,
        "/organisation/personnes",
        &[
            ("csrf", &token),
            ("login", "agent.drh"),
            ("display_name", "Binta Kourouma"),
            ("email", "binta.kourouma@example.org"),
            ("unit", &drh),
            ("roles", "agent"),
            ("roles", "unit_head"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let report = ordo::outbox::deliver_due(&app.state)
        .await
        .expect("delivery");
    assert_eq!(report.sent, 1);
    let mail = std::fs::read_dir(app.data_dir.join("mail"))
        .expect("mail")
        .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
        .find(|text| text.contains("binta.kourouma@example.org"))
        .expect("the welcome e-mail");
    let unfolded = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("jeton=").expect("link") + "jeton=".len();
    let jeton: String = unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let visitor = app.client();
    let reset_page = app
        .get_text(&visitor, &format!("/mot-de-passe/nouveau?jeton={jeton}"))
        .await;
    let (status, _) = post(
        &app,
        &visitor,
        "/mot-de-passe/nouveau",
        &[
            ("csrf", &csrf_token(&reset_page)),
            ("jeton", &jeton),
            ("password", "binta-choisit-2026"),
            ("password_confirmation", "binta-choisit-2026"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let signed_in = app
        .sign_in(&app.client(), "MMG", "agent.drh", "binta-choisit-2026")
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let (status, page) = post(
        &app,
        &client,
        "/organisation/personnes",
        &[
            ("csrf", &token),
            ("login", "agent.drh"),
            ("display_name", "Encore"),
            ("roles", "agent"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("déjà utilisé"));

    // The administrator cannot remove their own administrator role.
    let me = app.current_user("MMG", "admin").await.user.id;
    let (status, page) = post(
        &app,
        &client,
        &format!("/organisation/personnes/{me}"),
        &[
            ("csrf", &token),
            ("display_name", "Mariama Camara"),
            ("roles", "agent"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("administrateur"), "{page}");
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM audit_entries WHERE action IN ('unit.added', 'user.added')"
            )
            .await,
        2
    );

    // Another administration's administrator changes nothing of MMG's.
    let (intruder, intruder_token) = admin(&app, "MEF").await;
    let agent = app.current_user("MMG", "agent.drh").await.user.id;
    for path in [
        format!("/organisation/unites/{drh}"),
        format!("/organisation/personnes/{agent}"),
    ] {
        let (status, _) = post(
            &app,
            &intruder,
            &path,
            &[
                ("csrf", &intruder_token),
                ("name_fr", "Pris par un autre"),
                ("display_name", "Pris par un autre"),
                ("kind", "service"),
                ("roles", "tenant_admin"),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let page = app.get_text(&intruder, "/organisation").await;
    assert!(
        !page.contains("agent.drh") && !page.contains("DRH"),
        "MEF sees only its own"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM users WHERE roles LIKE '%tenant_admin%' AND display_name = 'Pris par un autre'")
            .await,
        0
    );
}

/// A CSV of units then of people: previewed line by line, imported only when every
/// line is right, all in one transaction.
async fn import_from_csv(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (client, token) = admin(&app, "MMG").await;
    let send = |kind: &'static str, csv: &'static str, confirm: bool| {
        let mut form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("kind", kind)
            .text("csv", csv);
        if confirm {
            form = form.text("confirm", "1");
        }
        client
            .post(app.url("/organisation/import"))
            .multipart(form)
            .send()
    };
    let units_with_error = "code,parent,name_fr,name_ar,name_en,kind,bureau\n\
                            DAF,SG,Affaires financières,,,directorate,non\n\
                            SCPT,DAF,Comptabilité,,,service,\n\
                            SG,,Doublon,,,central,\n";
    let refused = send("units", units_with_error, true).await.expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("page");
    assert!(page.contains("Une ligne est refusée"), "{page}");
    let units_before = app.db.owner_scalar("SELECT count(*) FROM org_units").await;
    let units_ok = "code,parent,name_fr,name_ar,name_en,kind,bureau\n\
                    DAF,SG,Affaires financières,,,directorate,non\n\
                    SCPT,DAF,Comptabilité,,,service,\n";
    let preview = send("units", units_ok, false).await.expect("POST");
    assert_eq!(preview.status(), StatusCode::OK);
    assert!(
        preview
            .text()
            .await
            .expect("page")
            .contains("2 lignes sont prêtes")
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM org_units").await,
        units_before,
        "a preview writes nothing"
    );
    let imported = send("units", units_ok, true).await.expect("POST");
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM org_units").await,
        units_before + 2
    );
    let people = "a.diallo,Awa Diallo,awa.diallo@example.org,SCPT,agent|unit_head\n\
                  b.bah,Boubacar Bah,,DAF,agent\n";
    let imported = send("people", people, true).await.expect("POST");
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM outbox_messages WHERE recipient = 'awa.diallo@example.org'"
            )
            .await,
        1,
        "a welcome e-mail for the person with an address"
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM audit_entries WHERE action IN ('unit.added', 'user.added')"
            )
            .await,
        4
    );
    // MEF's administrator cannot attach people to MMG's units by code.
    let (intruder, intruder_token) = admin(&app, "MEF").await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", intruder_token)
        .text("kind", "people")
        .text("csv", "c.camara,Cheick Camara,,SCPT,agent\n")
        .text("confirm", "1");
    let refused = intruder
        .post(app.url("/organisation/import"))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM users WHERE login = 'c.camara'")
            .await,
        0
    );
}

on_both_databases!(units_and_people, import_from_csv);
