use ordo_tests::{Backend, Storage, TestApp, csrf_token};

async fn sign_in_locks_after_five_failures(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    for attempt in 1..=4 {
        let response = app
            .sign_in(&client, "MMG", "agent.mines", "wrong password!")
            .await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        assert!(
            response
                .text()
                .await
                .expect("body")
                .contains("Identifiant ou mot de passe incorrect.")
        );
    }
    let fifth = app
        .sign_in(&client, "MMG", "agent.mines", "wrong password!")
        .await;
    assert_eq!(fifth.status(), 423);
    let right_but_locked = app
        .sign_in(&client, "MMG", "agent.mines", ordo::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(right_but_locked.status(), 423);
    assert!(
        right_but_locked
            .text()
            .await
            .expect("body")
            .contains("bloqué pendant 15 minutes")
    );
    assert_eq!(app.db.owner_scalar("SELECT count(*) FROM users WHERE login = 'agent.mines' AND locked_until IS NOT NULL").await, 1);
    // Other accounts are not affected, and an unknown login reads like a wrong password.
    assert_eq!(
        app.sign_in(
            &app.client(),
            "MMG",
            "chef.mines",
            ordo::demo::DEMO_PASSWORD
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        app.sign_in(&app.client(), "MMG", "nobody", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
    assert_eq!(
        app.sign_in(&app.client(), "XYZ", "admin", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        401
    );
}

async fn sign_out_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    assert_eq!(
        app.sign_in(&client, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM sessions").await,
        1
    );
    let home = app.get_text(&client, "/accueil").await;
    assert!(home.contains("Bienvenue, Ibrahima Sow."));
    let token = csrf_token(&home);
    let out = client
        .post(app.url("/deconnexion"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(out.status(), 303);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM sessions").await,
        0
    );
    assert_eq!(
        client
            .get(app.url("/api/v1/me"))
            .send()
            .await
            .expect("GET")
            .status(),
        401
    );
}

/// Wrong guesses sent all at once still lock the account: each is counted, none fails.
async fn concurrent_guesses_are_all_counted(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let guesses = (0..8).map(|_| {
        let app = &app;
        async move {
            let client = app.client();
            app.sign_in(&client, "MMG", "agent.mines", "wrong password!")
                .await
                .status()
                .as_u16()
        }
    });
    // All in flight at once, on this task.
    let statuses = futures::future::join_all(guesses).await;
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 423),
        "no guess may fail with an error: {statuses:?}"
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM users WHERE login = 'agent.mines' AND locked_until IS NOT NULL").await,
        1,
        "eight concurrent failures lock the account"
    );
}

on_both_databases!(
    sign_in_locks_after_five_failures,
    sign_out_ends_the_session,
    concurrent_guesses_are_all_counted
);

#[tokio::test]
async fn cookies_only_on_pages_and_pages_are_never_cached() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let css = reqwest::get(app.url("/static/ordo.css"))
        .await
        .expect("GET");
    assert!(
        !css.headers().contains_key("set-cookie"),
        "a cacheable asset must not set a cookie"
    );
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .expect("ascii")
            .contains("immutable")
    );
    for path in ["/healthz", "/metrics", "/api/v1/me"] {
        let response = reqwest::get(app.url(path)).await.expect("GET");
        assert!(!response.headers().contains_key("set-cookie"), "{path}");
    }
    let page = reqwest::get(app.url("/connexion")).await.expect("GET");
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers().contains_key("set-cookie"));
}

#[tokio::test]
async fn framework_rejections_follow_the_error_policy() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let bad_query = reqwest::Client::new()
        .get(app.url("/langue/ar?retour=/a&retour=/b"))
        .header("accept-language", "en")
        .send()
        .await
        .expect("GET");
    assert_eq!(bad_query.status(), 400);
    assert!(
        bad_query.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/html")
    );
    assert!(
        bad_query
            .text()
            .await
            .expect("body")
            .contains("Something went wrong")
    );
    let wrong_method = reqwest::Client::new()
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(
        wrong_method.headers()["content-type"],
        "application/problem+json"
    );
}

#[tokio::test]
async fn demo_seeding_completes_a_partial_seed() {
    let data = tempfile::tempdir().expect("dir");
    let (db, store) = ordo::demo::open(data.path()).await.expect("open");
    let clock = ordo_domain::SystemClock;
    // As if a first start had died after creating the operator account only.
    let operator = ordo_domain::Login::parse(ordo::demo::DEMO_OPERATOR).expect("login");
    ordo_operator::create_operator(&db, &clock, &operator, "Agence", ordo::demo::DEMO_PASSWORD)
        .await
        .expect("operator");
    assert!(
        ordo::demo::seed_if_empty(&db, store.as_ref(), &clock)
            .await
            .expect("seed"),
        "the rest is created"
    );
    assert!(
        !ordo::demo::seed_if_empty(&db, store.as_ref(), &clock)
            .await
            .expect("seed"),
        "then nothing more"
    );
    let tx = db.platform().await.expect("tx");
    assert_eq!(tx.tenants().list().await.expect("list").len(), 2);
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let client = app.client();
    client.get(app.url("/connexion")).send().await.expect("GET");
    let forged = client
        .post(app.url("/connexion"))
        .form(&[
            ("csrf", "forged-token-forged-token-forged-token"),
            ("administration", "MMG"),
            ("login", "admin"),
            ("password", ordo::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), 403);
    assert!(
        forged
            .text()
            .await
            .expect("body")
            .contains("Le formulaire a expiré")
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM sessions").await,
        0,
        "no session was opened"
    );
}

#[tokio::test]
async fn errors_follow_one_policy() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let client = app.client();

    let api = client
        .get(app.url("/api/v1/me"))
        .header("accept-language", "en")
        .send()
        .await
        .expect("GET");
    assert_eq!(api.status(), 401);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let problem: serde_json::Value = api.json().await.expect("json");
    assert_eq!(problem["code"], "unauthenticated");
    assert_eq!(problem["title"], "Please sign in.");

    let page = client
        .get(app.url("/nulle-part"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 404);
    let html = page.text().await.expect("body");
    assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(html.contains("This page does not exist"));

    let arabic = client
        .get(app.url("/nulle-part"))
        .header("accept-language", "ar")
        .send()
        .await
        .expect("GET");
    let html = arabic.text().await.expect("body");
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(html.contains("هذه الصفحة غير موجودة"));

    let protected = client.get(app.url("/accueil")).send().await.expect("GET");
    assert_eq!(protected.status(), 303);
    assert_eq!(
        protected.headers()["location"],
        "/connexion?retour=%2Faccueil"
    );
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_request_id() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    for path in [
        "/connexion",
        "/nulle-part",
        "/api/v1/me",
        "/static/ordo.css",
    ] {
        let response = reqwest::get(app.url(path)).await.expect("GET");
        let headers = response.headers();
        assert!(
            headers["content-security-policy"]
                .to_str()
                .expect("ascii")
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
    let login = reqwest::get(app.url("/connexion")).await.expect("GET");
    let cookie = login.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn the_chosen_language_is_remembered() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let client = app.client();
    let switch = client
        .get(app.url("/langue/ar?retour=/connexion"))
        .send()
        .await
        .expect("GET");
    assert_eq!(switch.status(), 303);
    assert_eq!(switch.headers()["location"], "/connexion");
    let page = client
        .get(app.url("/connexion"))
        .header("accept-language", "fr")
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains(r#"<html lang="ar" dir="rtl">"#),
        "the cookie wins over Accept-Language"
    );
    assert!(page.contains("تسجيل الدخول"));
    for sneaky in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%5C/evil.example",
    ] {
        let response = client
            .get(app.url(&format!("/langue/en?retour={sneaky}")))
            .send()
            .await
            .expect("GET");
        assert_eq!(
            response.headers()["location"],
            "/",
            "{sneaky} must not leave the site"
        );
    }
    let offsite = client
        .get(app.url("/langue/en?retour=//evil.example/"))
        .send()
        .await
        .expect("GET");
    assert_eq!(offsite.headers()["location"], "/");
}

#[tokio::test]
async fn health_readiness_and_metrics_by_route_template() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    assert_eq!(
        reqwest::get(app.url("/healthz"))
            .await
            .expect("GET")
            .text()
            .await
            .expect("body"),
        "ok"
    );
    assert_eq!(
        reqwest::get(app.url("/readyz"))
            .await
            .expect("GET")
            .status(),
        200
    );
    reqwest::get(app.url("/langue/ar?retour=/"))
        .await
        .expect("GET");
    let metrics = reqwest::get(app.url("/metrics"))
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(
        metrics
            .contains(r#"ordo_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"route="/langue/{tag}""#),
        "labelled by template, not by raw path"
    );
    assert!(!metrics.contains("/langue/ar"));
    assert!(metrics.contains("ordo_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("ordo_db_pool_connections"));
}
