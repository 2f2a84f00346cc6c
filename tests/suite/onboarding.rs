//! The operator agency creates an administration in one step, against the real
//! PostgreSQL, Ceph S3 and SMTP servers: each part exists and works (its bucket
//! with versioning and object lock, its seal certified by the platform's
//! authority, its registers and natures, its directory entry, the invitation of
//! its first administrator, a filing on its portal and a registration, mail from
//! another ministry through the exchange). A creation the S3 server refuses leaves
//! nothing half-made and is completed by running it again; bad requests are
//! refused field by field and journalled.

use std::{process::Command, sync::Arc};

use fantoccini::Locator;
use ordo_storage::S3Store;
use ordo_tests::{Backend, Storage, TestApp, browser, csrf_token, s3_settings};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    outbox::{delivered, worker},
    portal::{Filer, PDF, file_part, filing_form, tracking_code},
};

/// An app whose documents go to the real S3 server under a prefix this test knows,
/// and a store to look at the buckets with.
pub(crate) async fn app_on_s3(backend: Backend) -> (TestApp, S3Store) {
    let settings = s3_settings();
    let inspector = S3Store::new(&settings);
    let app = TestApp::spawn_configured(
        backend,
        Storage::Local,
        Arc::new(ordo_domain::SystemClock),
        move |mut state| {
            state.store = Arc::new(S3Store::new(&settings));
            state
        },
    )
    .await;
    (app, inspector)
}

pub(crate) async fn operator_client(app: &TestApp) -> reqwest::Client {
    let operator = app.client();
    assert_eq!(
        app.sign_in(&operator, "", "operateur", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    operator
}

pub(crate) fn request(code: &str, email: &str) -> Value {
    json!({
        "code": code,
        "name_fr": "Ministère de l'Intérieur",
        "name_ar": "وزارة الداخلية",
        "name_en": "Ministry of the Interior",
        "level": "central",
        "time_zone": "Africa/Conakry",
        "weekend": "fri,sat",
        "languages": "fr,ar",
        "admin_login": "admin",
        "admin_name": "Mariama Bah",
        "admin_email": email,
    })
}

pub(crate) async fn create(
    app: &TestApp,
    operator: &reqwest::Client,
    body: &Value,
) -> (StatusCode, Value) {
    let answer = operator
        .post(app.url("/api/v1/operator/tenants"))
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = answer.status();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// The link of a welcome e-mail, followed to choose a password.
async fn accept_invitation(app: &TestApp, message: &str, password: &str) {
    let unfolded = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = unfolded.find("jeton=").expect("a link") + "jeton=".len();
    let jeton: String = unfolded[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let visitor = app.client();
    let page = app
        .get_text(&visitor, &format!("/mot-de-passe/nouveau?jeton={jeton}"))
        .await;
    let answer = visitor
        .post(app.url("/mot-de-passe/nouveau"))
        .form(&[
            ("csrf", csrf_token(&page).as_str()),
            ("jeton", &jeton),
            ("password", password),
            ("password_confirmation", password),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administration_created_in_one_step_works_at_once() {
    let (app, inspector) = app_on_s3(Backend::Postgres).await;
    let operator = operator_client(&app).await;
    let email = format!(
        "admin-{}@interieur.example.org",
        uuid::Uuid::new_v4().simple()
    );
    let (status, created) = create(&app, &operator, &request("MINT", &email)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "active");
    assert_eq!(created["creation"]["finished"], true);
    assert_eq!(created["creation"]["done_steps"], 4);

    // Its tenant row, as asked.
    let id = app
        .db
        .owner_text("SELECT id::text FROM tenants WHERE code = 'MINT'")
        .await;
    assert_eq!(
        app.db
            .owner_text("SELECT level || ' ' || languages || ' ' || weekend FROM tenants WHERE code = 'MINT'")
            .await,
        "central fr,ar fri,sat"
    );
    let in_tenant = |table: &str| format!("SELECT count(*) FROM {table} WHERE tenant_id = '{id}'");
    // Its bureau d'ordre with incoming and outgoing registers, natures, one
    // administrator invited, its seal, its directory entry.
    assert_eq!(app.db.owner_scalar(&in_tenant("registers")).await, 2);
    assert!(app.db.owner_scalar(&in_tenant("mail_natures")).await > 0);
    assert_eq!(app.db.owner_scalar(&in_tenant("users")).await, 1);
    assert_eq!(app.db.owner_scalar(&in_tenant("tenant_seals")).await, 1);
    assert_eq!(
        app.db.owner_scalar(&in_tenant("directory_entries")).await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action = 'tenant.created' AND tenant_code = 'MINT' AND outcome = 'done'")
            .await,
        1
    );

    // Its bucket, versioned and locked.
    let bucket = inspector.bucket_name(ordo_domain::TenantId::new(id.parse().expect("uuid")));
    let versioning = inspector
        .client()
        .get_bucket_versioning()
        .bucket(&bucket)
        .send()
        .await
        .expect("the bucket exists");
    assert_eq!(versioning.status().map(|s| s.as_str()), Some("Enabled"));
    let lock = inspector
        .client()
        .get_object_lock_configuration()
        .bucket(&bucket)
        .send()
        .await
        .expect("object lock");
    assert_eq!(
        lock.object_lock_configuration()
            .and_then(|c| c.object_lock_enabled())
            .map(|s| s.as_str()),
        Some("Enabled")
    );

    // Its seal, certified by the platform's authority, as openssl checks it.
    let pems = tempfile::tempdir().expect("dir");
    let authority = pems.path().join("authority.pem");
    let seal = pems.path().join("seal.pem");
    std::fs::write(
        &authority,
        app.db
            .owner_text("SELECT certificate_pem FROM platform_authority")
            .await,
    )
    .expect("write");
    std::fs::write(
        &seal,
        app.db
            .owner_text(&format!(
                "SELECT certificate_pem FROM tenant_seals WHERE tenant_id = '{id}'"
            ))
            .await,
    )
    .expect("write");
    let verified = Command::new("openssl")
        .args(["verify", "-CAfile"])
        .arg(&authority)
        .arg(&seal)
        .output()
        .expect("openssl");
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let subject = Command::new("openssl")
        .args(["x509", "-noout", "-subject", "-in"])
        .arg(&seal)
        .output()
        .expect("openssl");
    assert!(String::from_utf8_lossy(&subject.stdout).contains("MINT"));

    // The invitation, through the real SMTP server; the administrator chooses a
    // password and signs in.
    let smtp = ordo_tests::required_env("ORDO_TEST_SMTP_URL");
    ordo::outbox::deliver_due(&worker(&app, &smtp))
        .await
        .expect("delivery");
    let invitation = delivered(&email);
    assert_eq!(invitation.len(), 1, "one invitation");
    accept_invitation(&app, &invitation[0], "mariama-choisit-2026").await;
    assert_eq!(
        app.sign_in(&app.client(), "MINT", "admin", "mariama-choisit-2026")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // The creation's page says the invitation left.
    let page = app
        .get_text(&operator, "/operateur/administrations/MINT/creation")
        .await;
    assert!(
        page.contains("Invitation du premier administrateur envoyée"),
        "{page}"
    );

    // A citizen files on its portal; the administrator registers the filing with
    // the administration's own numbering.
    let citizen = app.client();
    let portal = app.get_text(&citizen, "/depot/MINT").await;
    let filer_email = format!("citoyen-{}@example.org", uuid::Uuid::new_v4().simple());
    let filed = citizen
        .post(app.url("/depot/MINT"))
        .multipart(filing_form(
            &csrf_token(&portal),
            "cle-mint-1",
            &Filer {
                name: "Ibrahima Sow",
                email: &filer_email,
                subject: "Demande de carte d'identité",
            },
            vec![("letter", file_part("demande.pdf", PDF, "application/pdf"))],
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(filed.status(), StatusCode::OK);
    let receipt = filed.text().await.expect("body");
    assert_eq!(tracking_code(&receipt).len(), 14);
    let item = app
        .db
        .owner_text(&format!(
            "SELECT item_id::text FROM portal_filings WHERE tenant_id = '{id}'"
        ))
        .await;
    let admin = app.api_client("MINT", "admin").await;
    let registered = admin
        .post(app.url(&format!("/api/v1/items/{item}/registration")))
        .json(&json!({ "subject": "Demande de carte d'identité", "sender": "Ibrahima Sow", "letter_date": "2026-01-05" }))
        .send()
        .await
        .expect("register");
    assert_eq!(registered.status(), StatusCode::OK);
    let registered: Value = registered.json().await.expect("item");
    let number = registered["number"].as_str().expect("a number");
    assert!(number.starts_with("MINT/ARR/"), "{number}");
    assert!(number.ends_with("/000001"), "{number}");
    // The document went to the administration's own bucket.
    let objects = inspector
        .client()
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .expect("list");
    assert_eq!(objects.key_count(), Some(1));

    // Another ministry sends it mail through the exchange at once: it arrives in
    // its queue, its letter in its own bucket, with a signed receipt back.
    let mines = crate::exchange::client(&app, "MMG", "secretariat").await;
    let letter = crate::exchange::outgoing_letter(&app, &mines, "Bienvenue sur Ordo").await;
    let letter_id = letter["id"].as_str().expect("id");
    let sent =
        crate::exchange::send(&app, &mines, letter_id, json!([{ "organisation": "MINT" }])).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    crate::exchange::deliver(&app).await;
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{letter_id}/exchange"))
        .await;
    assert_eq!(standing["sent"][0]["recipients"][0]["status"], "accepted");
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM exchange_arrivals WHERE tenant_id = '{id}'"
            ))
            .await,
        1
    );
    let objects = inspector
        .client()
        .list_objects_v2()
        .bucket(&bucket)
        .send()
        .await
        .expect("list");
    assert_eq!(objects.key_count(), Some(2));

    // Created once: the same request again is refused, and nothing changes.
    let (status, _) = create(&app, &operator, &request("MINT", &email)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM tenants WHERE code = 'MINT'")
            .await,
        1
    );
}

/// Runs the creation `body` asks for against the same S3 server with a key it does
/// not accept: it stops at the document store.
async fn create_refused_by_s3(
    app: &TestApp,
    body: &Value,
) -> Result<ordo_db::TenantRecord, ordo_operator::ProvisionError> {
    let mut refused = s3_settings();
    refused.secret_key = "not-the-secret".to_owned().into();
    let refusing = S3Store::new(&refused);
    let creation: ordo_operator::CreationRequest =
        serde_json::from_value(body.clone()).expect("request");
    ordo_operator::Onboarding {
        db: &app.state.db,
        store: &refusing,
        clock: app.state.clock.as_ref(),
        public_url: &app.base,
        actor: "operator:operateur",
        origin: "test",
    }
    .create_from(&creation, &ordo_operator::unobserved)
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_creation_the_s3_server_refuses_leaves_nothing_and_is_completed_later() {
    let (app, inspector) = app_on_s3(Backend::Postgres).await;
    let tenants_before = app.db.owner_scalar("SELECT count(*) FROM tenants").await;
    let body = request("MSANTE", "admin@sante.example.org");
    let stopped = create_refused_by_s3(&app, &body).await;
    assert!(
        matches!(stopped, Err(ordo_operator::ProvisionError::Storage(_))),
        "{stopped:?}"
    );
    // Nothing half-made: no tenant, no rows of its own, no directory entry, no
    // invitation; the creation's record says where it stopped, the journal why.
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM tenants").await,
        tenants_before
    );
    for table in [
        "directory_entries",
        "tenant_seals",
        "registers",
        "users",
        "outbox_messages",
    ] {
        assert_eq!(
            app.db
                .owner_scalar(&format!(
                    "SELECT count(*) FROM {table} WHERE tenant_id = (SELECT tenant_id FROM provisionings WHERE code = 'MSANTE')"
                ))
                .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        app.db
            .owner_text("SELECT step || ' ' || (error IS NOT NULL)::text FROM provisionings WHERE code = 'MSANTE'")
            .await,
        "document-store true"
    );
    assert!(
        app.db
            .owner_text("SELECT details FROM operator_journal WHERE tenant_code = 'MSANTE' AND outcome = 'refused'")
            .await
            .contains("document-store-refused")
    );
    let operator = operator_client(&app).await;
    let page = app
        .get_text(&operator, "/operateur/administrations/MSANTE/creation")
        .await;
    assert!(
        page.contains("Le serveur de stockage S3 a refusé"),
        "{page}"
    );
    assert!(page.contains("Reprendre la création"), "{page}");
    let console = app.get_text(&operator, "/operateur").await;
    assert!(console.contains("Créations inachevées"), "{console}");

    // Run again once S3 answers: completed, under the tenant id first recorded.
    let first_id = app
        .db
        .owner_text("SELECT tenant_id::text FROM provisionings WHERE code = 'MSANTE'")
        .await;
    let (status, created) = create(&app, &operator, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        app.db
            .owner_text("SELECT id::text FROM tenants WHERE code = 'MSANTE'")
            .await,
        first_id
    );
    let bucket = inspector.bucket_name(ordo_domain::TenantId::new(first_id.parse().expect("uuid")));
    inspector
        .client()
        .head_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("the bucket exists");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM provisionings WHERE code = 'MSANTE' AND finished_at IS NOT NULL")
            .await,
        1
    );
    let console = app.get_text(&operator, "/operateur").await;
    assert!(!console.contains("Créations inachevées"), "{console}");
}

/// How a creation's record reads: who runs it, its step, whether it failed.
async fn creation_record(app: &TestApp, code: &str) -> String {
    app.db
        .owner_text(&format!(
            "SELECT actor || ' ' || step || ' ' || CASE WHEN error IS NULL THEN 'ok' ELSE 'failed' END \
             FROM provisionings WHERE code = '{code}'"
        ))
        .await
}

/// Two operators create the same code: while the first one's creation runs, the
/// second is refused (it is under way), in the operator's language, and writes
/// nothing on the first one's record, which then completes clean. A creation whose
/// process died, with no step for two minutes, is taken up by the next attempt and
/// completed under the tenant id it first recorded.
async fn a_creation_under_way_is_left_to_run(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let started = ordo_domain::Clock::now(&ordo_domain::SystemClock);
    let clock = ordo_tests::ManualClock::at(started);
    let onboarding = |actor| ordo_operator::Onboarding {
        db: &app.state.db,
        store: app.state.store.as_ref(),
        clock: clock.as_ref(),
        public_url: &app.base,
        actor,
        origin: "test",
    };
    let under_way =
        |outcome: Result<ordo_db::TenantRecord, ordo_operator::ProvisionError>| match outcome {
            Err(ordo_operator::ProvisionError::Invalid(errors)) => {
                errors
                    == [ordo_domain::InvalidInput::new(
                        "code",
                        ordo_domain::Reason::CreationUnderWay,
                    )]
            }
            _ => false,
        };
    let creation: ordo_operator::CreationRequest =
        serde_json::from_value(request("MPECHE", "admin@peche.example.org")).expect("request");
    let first = onboarding("operator:premier");
    let plan = first.check(&creation).await.expect("a valid request");
    let begun = first
        .begin(&plan, &creation, &ordo_operator::unobserved)
        .await
        .expect("begun");
    clock.set(started + chrono::Duration::seconds(30));
    let second = onboarding("operator:second")
        .create_from(&creation, &ordo_operator::unobserved)
        .await;
    assert!(under_way(second), "the second creation ran");
    assert_eq!(
        creation_record(&app, "MPECHE").await,
        "operator:premier checking ok"
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM operator_journal WHERE tenant_code = 'MPECHE' \
                 AND details LIKE '%creation-under-way%'"
            )
            .await,
        1
    );
    first
        .complete(plan, begun, &ordo_operator::unobserved)
        .await
        .expect("the first creation completes");
    assert_eq!(
        creation_record(&app, "MPECHE").await,
        "operator:premier done ok"
    );

    // Begun, and its process dies before any step.
    let creation: ordo_operator::CreationRequest =
        serde_json::from_value(request("MMINES", "admin@mines.example.org")).expect("request");
    let plan = first.check(&creation).await.expect("a valid request");
    let died_at = started + chrono::Duration::minutes(10);
    clock.set(died_at);
    first
        .begin(&plan, &creation, &ordo_operator::unobserved)
        .await
        .expect("begun");
    clock.set(died_at + chrono::Duration::minutes(1));
    let too_soon = onboarding("operator:second")
        .create_from(&creation, &ordo_operator::unobserved)
        .await;
    assert!(under_way(too_soon), "taken up a minute after its last step");
    clock.set(died_at + chrono::Duration::minutes(2) + chrono::Duration::seconds(1));
    onboarding("operator:second")
        .create_from(&creation, &ordo_operator::unobserved)
        .await
        .expect("taken up and completed");
    assert_eq!(
        creation_record(&app, "MMINES").await,
        "operator:second done ok"
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM tenants JOIN provisionings ON provisionings.tenant_id = tenants.id \
                 WHERE provisionings.code = 'MMINES' AND tenants.code = 'MMINES'"
            )
            .await,
        1
    );

    // Both at the same instant: one creates, the other is refused, and the record
    // is the one that created.
    let creation: ordo_operator::CreationRequest =
        serde_json::from_value(request("MFORETS", "admin@forets.example.org")).expect("request");
    let (left, right) = (onboarding("operator:gauche"), onboarding("operator:droite"));
    let (left, right) = tokio::join!(
        left.create_from(&creation, &ordo_operator::unobserved),
        right.create_from(&creation, &ordo_operator::unobserved),
    );
    let refused_as_taken = |outcome: &Result<
        ordo_db::TenantRecord,
        ordo_operator::ProvisionError,
    >| {
        matches!(outcome, Err(ordo_operator::ProvisionError::Invalid(errors))
            if errors.iter().all(|e| e.field == "code"
                && matches!(e.reason, ordo_domain::Reason::CreationUnderWay | ordo_domain::Reason::CodeTaken)))
    };
    let winner = match (&left, &right) {
        (Ok(_), refused) if refused_as_taken(refused) => "operator:gauche",
        (refused, Ok(_)) if refused_as_taken(refused) => "operator:droite",
        other => panic!("one creation and one refusal expected: {other:?}"),
    };
    assert_eq!(
        creation_record(&app, "MFORETS").await,
        format!("{winner} done ok")
    );
}

async fn bad_requests_are_refused_field_by_field(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let operator = operator_client(&app).await;
    let tenants_before = app.db.owner_scalar("SELECT count(*) FROM tenants").await;
    let cases = [
        (json!({"code": "MMG"}), "code"),
        (json!({"time_zone": "Africa/Atlantis"}), "time_zone"),
        (json!({"level": "decentralised", "parent": ""}), "parent"),
        (
            json!({"level": "decentralised", "parent": "NOPE"}),
            "parent",
        ),
        (json!({"languages": "fr,de"}), "languages"),
        (json!({"weekend": "mon"}), "weekend"),
        (json!({"admin_email": "pas-une-adresse"}), "admin_email"),
        (json!({"code": "a b"}), "code"),
    ];
    for (change, field) in cases {
        let mut body = request("MNEW", "admin@new.example.org");
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let (status, answer) = create(&app, &operator, &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {answer}"
        );
        assert!(answer.to_string().contains(field), "{field}: {answer}");
    }
    // Nothing made, each attempt journalled.
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM tenants").await,
        tenants_before
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM provisionings WHERE code = 'MNEW'")
            .await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action = 'tenant.created' AND outcome = 'refused'")
            .await,
        8
    );
    // A decentralised office under an existing body is accepted.
    let mut office = request("MMG-BOKE", "admin@boke.example.org");
    office["level"] = json!("decentralised");
    office["parent"] = json!("mmg");
    let (status, created) = create(&app, &operator, &office).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        app.db
            .owner_text("SELECT parent_code FROM directory_entries WHERE code = 'MMG-BOKE'")
            .await,
        "MMG"
    );
    // Nobody of an administration may create one.
    let admin = app.signed_in("MMG", "admin").await;
    let answer = admin
        .post(app.url("/api/v1/operator/tenants"))
        .json(&request("MPIRATE", "x@example.org"))
        .send()
        .await
        .expect("POST");
    assert!(answer.status().is_client_error());
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM tenants WHERE code = 'MPIRATE'")
            .await,
        0
    );
}

/// A password the command line was given that is refused stops the creation before
/// anything is recorded: no unfinished creation is left on the console.
#[tokio::test]
async fn a_refused_password_leaves_no_creation_behind() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let onboarding = ordo_operator::Onboarding {
        db: &app.state.db,
        store: app.state.store.as_ref(),
        clock: app.state.clock.as_ref(),
        public_url: &app.base,
        actor: "cli",
        origin: "test",
    };
    let creation: ordo_operator::CreationRequest =
        serde_json::from_value(request("MCOURT", "admin@court.example.org")).expect("request");
    let mut plan = onboarding.check(&creation).await.expect("a valid request");
    for account in &mut plan.accounts {
        account.password = Some("court".to_owned());
    }
    let refused = onboarding
        .create(plan, &creation, &ordo_operator::unobserved)
        .await;
    assert!(
        matches!(refused, Err(ordo_operator::ProvisionError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM provisionings WHERE code = 'MCOURT'")
            .await,
        0
    );
}

/// The console writes a creation's record before it goes to the progress page, so
/// the page shows the creation from its first moment: never "not found" for a new
/// one, never the old failure for one taken up again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_a_creation_from_its_first_moment() {
    let (app, _inspector) = app_on_s3(Backend::Postgres).await;
    let operator = operator_client(&app).await;
    let form_page = app
        .get_text(&operator, "/operateur/administrations/nouvelle")
        .await;
    let mut fields: Vec<(String, String)> = request("MINT", "admin@interieur.example.org")
        .as_object()
        .expect("object")
        .iter()
        .map(|(name, value)| (name.clone(), value.as_str().unwrap_or_default().to_owned()))
        .collect();
    fields.push(("csrf".to_owned(), csrf_token(&form_page)));
    let started = operator
        .post(app.url("/operateur/administrations"))
        .form(&fields)
        .send()
        .await
        .expect("POST");
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM provisionings WHERE code = 'MINT'")
            .await,
        1,
        "the record exists before the redirect"
    );
    let progress = operator
        .get(app.url("/operateur/administrations/MINT/creation"))
        .send()
        .await
        .expect("GET");
    assert_eq!(progress.status(), StatusCode::OK);

    // A creation the S3 server refused, taken up again from the console.
    let stopped = create_refused_by_s3(&app, &request("MSANTE", "admin@sante.example.org")).await;
    assert!(stopped.is_err(), "{stopped:?}");
    let failed_page = app
        .get_text(&operator, "/operateur/administrations/MSANTE/creation")
        .await;
    assert!(
        failed_page.contains("Reprendre la création"),
        "{failed_page}"
    );
    let resumed = operator
        .post(app.url("/operateur/administrations/MSANTE/creation"))
        .form(&[("csrf", csrf_token(&failed_page))])
        .send()
        .await
        .expect("POST");
    assert_eq!(resumed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM provisionings WHERE code = 'MSANTE' AND error IS NULL"
            )
            .await,
        1,
        "taken up again: no longer failed"
    );
    let page = app
        .get_text(&operator, "/operateur/administrations/MSANTE/creation")
        .await;
    assert!(!page.contains("Reprendre la création"), "{page}");

    // Both are completed in the background.
    let mut finished = 0;
    for _ in 0..600 {
        finished = app
            .db
            .owner_scalar("SELECT count(*) FROM tenants WHERE code IN ('MINT', 'MSANTE') AND status = 'active'")
            .await;
        if finished == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(finished, 2);
}

on_both_databases!(
    bad_requests_are_refused_field_by_field,
    a_creation_under_way_is_left_to_run
);

/// The whole creation in Chromium, without JavaScript: the form refuses a taken
/// code beside its field, then the progress page follows the creation to its end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_creates_an_administration_in_the_browser() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let browser = browser::open_with("fr", false).await;
    browser.goto(&app.url("/connexion")).await.expect("open");
    browser::sign_in(&browser, "", "operateur", ordo::demo::DEMO_PASSWORD).await;
    browser.goto(&app.url("/operateur")).await.expect("console");
    browser
        .find(Locator::LinkText("Créer une administration"))
        .await
        .expect("create link")
        .click()
        .await
        .expect("click");
    let fill = |id: &'static str, value: &'static str| {
        let browser = browser.clone();
        async move {
            let field = browser.find(Locator::Id(id)).await.expect("field");
            field.clear().await.expect("clear");
            field.send_keys(value).await.expect("type");
        }
    };
    fill("code", "MMG").await;
    fill("name_fr", "Ministère de la Santé").await;
    fill("name_ar", "وزارة الصحة").await;
    fill("admin_name", "Fatoumata Camara").await;
    fill("admin_email", "fatoumata@sante.example.org").await;
    browser
        .find(Locator::Css("button.primary"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    let error = browser
        .find(Locator::Id("code-error"))
        .await
        .expect("the error beside the code")
        .text()
        .await
        .expect("text");
    assert!(
        error.contains("une administration porte déjà ce code"),
        "{error}"
    );
    // What was typed is kept.
    assert_eq!(
        browser
            .find(Locator::Id("name_fr"))
            .await
            .expect("field")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("Ministère de la Santé")
    );
    fill("code", "MSANTE").await;
    browser
        .find(Locator::Css("button.primary"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
    // The progress page refreshes itself until the creation is done: given up to a
    // minute, on a 2-core machine running the whole suite beside it.
    let mut done = None;
    for _ in 0..600 {
        if let Ok(element) = browser.find(Locator::Id("creation-done")).await {
            done = Some(element.text().await.expect("text"));
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let Some(done) = done else {
        let page = browser.source().await.unwrap_or_default();
        panic!("the creation did not finish; the page shows:\n{page}");
    };
    assert!(done.contains("MSANTE est créée"), "{done}");
    let progress = browser
        .find(Locator::Id("creation-progress"))
        .await
        .expect("progress bar");
    assert_eq!(
        progress.attr("value").await.expect("value").as_deref(),
        Some("4")
    );
    let steps = browser
        .find_all(Locator::Css("li.step-done"))
        .await
        .expect("steps");
    assert_eq!(steps.len(), 4);
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM tenants WHERE code = 'MSANTE' AND status = 'active'"
            )
            .await,
        1
    );
    browser.close().await.expect("close");
}
