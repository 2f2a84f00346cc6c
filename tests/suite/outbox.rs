//! The transactional outbox, with the real SMTP server: a password reset e-mail is
//! committed with its token, delivered by the worker, read back from the server's
//! maildir, and used once; an e-mail waits, with back-off, while the server is down.

use std::{path::PathBuf, sync::Arc};

use chrono::TimeZone as _;
use ordo_mail::{OutgoingMail, SmtpMailer};
use ordo_tests::{Backend, ManualClock, Storage, TestApp, csrf_token, required_env};
use ordo_web::AppState;
use reqwest::StatusCode;

/// The worker's state: the app's, sending through `smtp_url`.
pub(crate) fn worker(app: &TestApp, smtp_url: &str) -> AppState {
    let mut state = app.state.clone();
    state.mail = OutgoingMail {
        transport: Arc::new(SmtpMailer::from_url(&smtp_url.to_owned().into()).expect("SMTP URL")),
        from: "\"Ordo (tests)\" <ne-pas-repondre@tests.ordo.invalid>"
            .parse()
            .expect("sender"),
    };
    state
}

/// The message in the real server's maildir that contains `needle`.
pub(crate) fn delivered(needle: &str) -> Vec<String> {
    let maildir = PathBuf::from(required_env("ORDO_TEST_MAILDIR")).join("new");
    std::fs::read_dir(&maildir)
        .expect("maildir")
        .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
        .filter(|text| text.contains(needle))
        .collect()
}

/// Waits until `count` messages wait in the outbox (the request page answers
/// before the link is prepared, so that its timing says nothing).
async fn wait_for_outbox(app: &TestApp, count: i64) {
    for _ in 0..100 {
        if app
            .db
            .owner_scalar("SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
            .await
            >= count
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The reset link in a delivered message (quoted-printable may fold lines: undone).
fn reset_token(message: &str) -> String {
    let unfolded = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("jeton=").expect("a reset link") + "jeton=".len();
    unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

async fn password_reset_through_the_outbox(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    let page = app.get_text(&client, "/mot-de-passe-oublie").await;
    let token = csrf_token(&page);
    // An unknown login gets the same answer and sends nothing.
    for login in ["personne", "secretariat"] {
        let answer = client
            .post(app.url("/mot-de-passe-oublie"))
            .form(&[
                ("csrf", token.as_str()),
                ("administration", "MMG"),
                ("login", login),
            ])
            .send()
            .await
            .expect("POST")
            .text()
            .await
            .expect("page");
        assert!(answer.contains("Si ce compte existe"), "{answer}");
    }
    wait_for_outbox(&app, 1).await;
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
            .await,
        1,
        "one e-mail, committed with its token"
    );
    let worker = worker(&app, &required_env("ORDO_TEST_SMTP_URL"));
    let report = ordo::outbox::deliver_due(&worker).await.expect("delivery");
    assert_eq!(report.sent, 1);
    assert_eq!(
        ordo::outbox::deliver_due(&worker)
            .await
            .expect("delivery")
            .sent,
        0,
        "never twice"
    );
    let messages = delivered(&app.url("/mot-de-passe/nouveau"));
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("secretariat@mmg.demo.ordo"));
    let reset = reset_token(&messages[0]);

    let form_page = app
        .get_text(&client, &format!("/mot-de-passe/nouveau?jeton={reset}"))
        .await;
    let token = csrf_token(&form_page);
    let post = |password: &'static str, confirmation: &'static str, jeton: String| {
        client
            .post(app.url("/mot-de-passe/nouveau"))
            .form(&[
                ("csrf", token.clone()),
                ("jeton", jeton),
                ("password", password.to_owned()),
                ("password_confirmation", confirmation.to_owned()),
            ])
            .send()
    };
    let mismatch = post("nouveau-secret-2026", "autre-secret-2026", reset.clone())
        .await
        .expect("POST");
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        mismatch
            .text()
            .await
            .expect("page")
            .contains("les deux saisies diffèrent")
    );
    // MEF's space does not hold MMG's token.
    let mef = app.current_user("MEF", "admin").await.tenant.id;
    let (_, secret) = reset.split_once('_').expect("token");
    let elsewhere = post(
        "nouveau-secret-2026",
        "nouveau-secret-2026",
        format!("{}_{secret}", mef.as_uuid().simple()),
    )
    .await
    .expect("POST");
    assert!(
        elsewhere
            .text()
            .await
            .expect("page")
            .contains("plus valable")
    );
    let done = post("nouveau-secret-2026", "nouveau-secret-2026", reset.clone())
        .await
        .expect("POST");
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let again = post(
        "encore-un-autre-2026",
        "encore-un-autre-2026",
        reset.clone(),
    )
    .await
    .expect("POST");
    assert!(
        again.text().await.expect("page").contains("plus valable"),
        "a link works once"
    );

    let signed_in = app
        .sign_in(&app.client(), "MMG", "secretariat", "nouveau-secret-2026")
        .await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let old = app
        .sign_in(
            &app.client(),
            "MMG",
            "secretariat",
            ordo::demo::DEMO_PASSWORD,
        )
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action IN ('user.password_reset_requested', 'user.password_reset')")
            .await,
        2
    );
}

/// While the SMTP server is unreachable the e-mail waits, retried with back-off;
/// once it answers, the e-mail leaves once. Past the last attempt it is given up
/// and kept with its error.
async fn an_email_waits_while_the_server_is_down(backend: Backend) {
    let start = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 8, 0, 0)
        .single()
        .expect("instant");
    let clock = ManualClock::at(start);
    let app = TestApp::spawn_with_clock(backend, Storage::Local, clock.clone()).await;
    let client = app.client();
    let token = csrf_token(&app.get_text(&client, "/mot-de-passe-oublie").await);
    for login in ["secretariat", "admin"] {
        let sent = client
            .post(app.url("/mot-de-passe-oublie"))
            .form(&[
                ("csrf", token.as_str()),
                ("administration", "MMG"),
                ("login", login),
            ])
            .send()
            .await
            .expect("POST");
        assert!(sent.status().is_success());
    }
    wait_for_outbox(&app, 2).await;
    // Nothing listens on port 9: the server is "down".
    let down = worker(&app, "smtp://127.0.0.1:9");
    let report = ordo::outbox::deliver_due(&down).await.expect("round");
    assert_eq!((report.sent, report.retried), (0, 2));
    assert_eq!(
        ordo::outbox::deliver_due(&down)
            .await
            .expect("round")
            .retried,
        0,
        "not due again before its back-off"
    );
    clock.set(start + chrono::Duration::seconds(31));
    let up = worker(&app, &required_env("ORDO_TEST_SMTP_URL"));
    // One message is delivered; the other keeps failing until it is given up.
    let first = ordo::outbox::deliver_due(&up).await.expect("round");
    assert_eq!(first.sent, 2);
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM outbox_messages WHERE status = 'sent' AND attempts = 1"
            )
            .await,
        2
    );

    // A third message to an address the server cannot take, given up in the end.
    let mut now = start + chrono::Duration::minutes(5);
    clock.set(now);
    let sent = client
        .post(app.url("/mot-de-passe-oublie"))
        .form(&[
            ("csrf", token.as_str()),
            ("administration", "MMG"),
            ("login", "chef.mines"),
        ])
        .send()
        .await
        .expect("POST");
    assert!(sent.status().is_success());
    wait_for_outbox(&app, 1).await;
    for _ in 0..ordo_domain::outbox::MAX_ATTEMPTS {
        ordo::outbox::deliver_due(&down).await.expect("round");
        now += chrono::Duration::hours(5);
        clock.set(now);
    }
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM outbox_messages WHERE status = 'failed' AND last_error IS NOT NULL").await,
        1
    );
}

on_both_databases!(
    password_reset_through_the_outbox,
    an_email_waits_while_the_server_is_down
);
