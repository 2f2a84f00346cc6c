//! Around a registration, through the API and against the database: drafts and
//! documents uploaded through the API, corrections kept as versions, cancellation,
//! links, the correspondents directory, per-administration vocabulary and size
//! limits, register filters; and each of them refused to another administration.

use ordo_tests::{Backend, Storage, TestApp};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

async fn token(app: &TestApp, administration: &str, login: &str) -> String {
    ordo::token_cli::create(&app.state.db, administration, login, "tests")
        .await
        .expect("token")
}

/// A client that speaks for one person of one administration.
struct Api<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
}

impl<'a> Api<'a> {
    async fn new(app: &'a TestApp, administration: &str, login: &str) -> Self {
        let token = token(app, administration, login).await;
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "authorization",
            format!("Bearer {token}").parse().expect("header"),
        );
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("client");
        Self { app, client }
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .client
            .post(self.app.url(path))
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .get(self.app.url(path))
            .send()
            .await
            .expect("GET");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn upload(
        &self,
        item: &str,
        query: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let response = self
            .client
            .post(
                self.app
                    .url(&format!("/api/v1/items/{item}/documents?{query}")),
            )
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("upload");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn register_item(&self, register: &str, body: Value) -> Value {
        let (status, item) = self
            .post(&format!("/api/v1/registers/{register}/items"), body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{item}");
        item
    }
}

fn refused_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn letter(subject: &str) -> Value {
    json!({ "subject": subject, "sender": "Société Minière de Boké", "letter_date": "2026-01-05" })
}

/// A pile of scans: a draft with its scan uploaded through the API, completed and
/// registered; the original is then fixed, attachments still welcome.
async fn drafts_and_documents_through_the_api(backend: Backend, storage: Storage) {
    let app = TestApp::spawn(backend, storage).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let (status, draft) = api
        .post(&format!("/api/v1/registers/{register}/drafts"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], Value::Null);
    let id = draft["id"].as_str().expect("id").to_owned();

    // The content decides: a text file claiming to be a PDF is refused.
    let (status, problem) = api
        .upload(
            &id,
            "role=main&file_name=scan.pdf",
            "application/pdf",
            b"not a pdf at all".to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["reason"], "file-type-not-allowed");
    let (status, with_scan) = api
        .upload(
            &id,
            "role=main&file_name=scan.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{with_scan}");
    assert_eq!(with_scan["documents"][0]["role"], "main");
    assert_eq!(with_scan["documents"][0]["sha256"], hex_sha256(PDF));

    // Incomplete, it cannot be registered; completed, it takes number 1.
    let (status, problem) = api
        .post(
            &format!("/api/v1/items/{id}/registration"),
            json!({ "sender": "X" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused_fields(&problem).contains(&"subject".to_owned()));
    let (status, registered) = api
        .post(
            &format!("/api/v1/items/{id}/registration"),
            letter("Pile du lundi"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{registered}");
    assert_eq!(registered["sequence"], 1);
    assert_eq!(registered["status"], "registered");
    let (status, _) = api
        .post(
            &format!("/api/v1/items/{id}/registration"),
            letter("Encore"),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a registered draft is not registered twice"
    );

    // The original is fixed; an attachment is still welcome.
    let (status, _) = api
        .upload(
            &id,
            "role=main&file_name=autre.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, item) = api
        .upload(
            &id,
            "role=attachment&file_name=annexe.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(item["documents"].as_array().expect("documents").len(), 2);
    let journal = app
        .db
        .owner_scalar("SELECT count(*) FROM audit_entries WHERE action IN ('item.drafted', 'item.registered', 'document.added')")
        .await;
    assert_eq!(
        journal, 4,
        "drafted, scan added, registered, attachment added"
    );
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

async fn drafts_and_documents_on_disk(backend: Backend) {
    drafts_and_documents_through_the_api(backend, Storage::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_and_documents_on_s3() {
    drafts_and_documents_through_the_api(Backend::Postgres, Storage::S3).await;
}

/// An integration registers a scanned letter in one call: the number, the item, its
/// documents and the journal entry commit together; a refusal stores nothing.
async fn registration_with_documents_in_one_call(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let send = |registration: Value, document: Vec<u8>, name: &'static str| {
        let form = reqwest::multipart::Form::new()
            .text("registration", registration.to_string())
            .part(
                "document",
                reqwest::multipart::Part::bytes(document)
                    .file_name(name)
                    .mime_str("application/pdf")
                    .expect("mime"),
            )
            .part(
                "attachments",
                reqwest::multipart::Part::bytes(PDF.to_vec())
                    .file_name("annexe.pdf")
                    .mime_str("application/pdf")
                    .expect("mime"),
            );
        api.client
            .post(app.url(&format!("/api/v1/registers/{register}/items")))
            .header("idempotency-key", name)
            .multipart(form)
            .send()
    };
    let refused = send(
        json!({ "subject": "", "sender": "Scanner" }),
        PDF.to_vec(),
        "vide.pdf",
    )
    .await
    .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mismatch = send(
        letter("Pas un PDF"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
        "faux.pdf",
    )
    .await
    .expect("POST");
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        0
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM documents").await,
        0
    );

    let created = send(letter("Lettre scannée"), PDF.to_vec(), "lettre.pdf")
        .await
        .expect("POST");
    assert_eq!(created.status(), StatusCode::CREATED);
    let item: Value = created.json().await.expect("json");
    assert_eq!(item["sequence"], 1);
    let documents = item["documents"].as_array().expect("documents");
    assert_eq!(documents.len(), 2);
    assert_eq!(documents[0]["role"], "main");
    assert_eq!(documents[0]["sha256"], hex_sha256(PDF));
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM audit_entries WHERE action = 'item.registered' AND details LIKE '%{}%'",
                hex_sha256(PDF)
            ))
            .await,
        1,
        "the journal entry carries the fingerprints"
    );
    // A retry answers the first registration and stores nothing again.
    let again = send(letter("Lettre scannée"), PDF.to_vec(), "lettre.pdf")
        .await
        .expect("POST");
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let first: Value = again.json().await.expect("json");
    assert_eq!(first["id"], item["id"]);
    assert_eq!(
        first["documents"], item["documents"],
        "the retry answers with the first registration's documents"
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM documents").await,
        2
    );
    // A browser session cannot post a multipart registration to the API.
    let browser = app.signed_in("MMG", "secretariat").await;
    let form = reqwest::multipart::Form::new()
        .text("registration", letter("Par le navigateur").to_string());
    let refused = browser
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

/// A correction is a new version with its reason; the number, the registration time
/// and the earlier versions stay; the database itself refuses any other change.
async fn corrections_are_versions(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let item = api
        .register_item(&register, letter("Demande de permis"))
        .await;
    let id = item["id"].as_str().expect("id");

    let mut corrected = letter("Demande de permis d'exploitation");
    corrected["priority"] = json!("urgent");
    let (status, problem) = api
        .post(&format!("/api/v1/items/{id}/corrections"), json!({ "subject": "Demande de permis d'exploitation", "sender": "Société Minière de Boké", "letter_date": "2026-01-05", "reason": "" }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["reason"]);
    let mut same = letter("Demande de permis");
    same["reason"] = json!("Relecture du registre");
    let (status, problem) = api
        .post(&format!("/api/v1/items/{id}/corrections"), same)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["correction"]);

    corrected["reason"] = json!("Objet incomplet à l'enregistrement");
    let (status, v2) = api
        .post(&format!("/api/v1/items/{id}/corrections"), corrected)
        .await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["number"], item["number"]);
    assert_eq!(v2["registered_at"], item["registered_at"]);
    assert_eq!(
        v2["received_at"], item["received_at"],
        "an absent reception time is unchanged"
    );
    assert_eq!(v2["subject"], "Demande de permis d'exploitation");
    assert_ne!(
        v2["due_on"], item["due_on"],
        "urgent shortens the processing time"
    );

    // Fields a correction leaves out keep their value.
    let (status, v3) = api
        .post(
            &format!("/api/v1/items/{id}/corrections"),
            json!({ "keywords": "permis, exploitation", "reason": "Mots-clés ajoutés" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v3}");
    assert_eq!(v3["version"], 3);
    assert_eq!(v3["subject"], "Demande de permis d'exploitation");
    assert_eq!(v3["priority"], "urgent");
    assert_eq!(v3["keywords"], "permis, exploitation");
    let (_, versions) = api.get(&format!("/api/v1/items/{id}/versions")).await;
    let versions = versions.as_array().expect("versions");
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[0]["fields"]["subject"], "Demande de permis");
    assert_eq!(versions[0]["reason"], Value::Null);
    assert_eq!(versions[1]["reason"], "Objet incomplet à l'enregistrement");
    let entry = app
        .db
        .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'item.corrected'")
        .await;
    assert_eq!(entry, 2);

    // Behind the application's back, the database still keeps the registration.
    for tampering in [
        "UPDATE mail_items SET number = 'MMG/ARR/2026/999999'",
        "UPDATE mail_items SET subject = 'Réécrit en douce'",
        "UPDATE mail_items SET status = 'draft'",
    ] {
        let refused = app
            .db
            .owner
            .connection()
            .execute_unprepared(tampering)
            .await;
        assert!(refused.is_err(), "{tampering} must be refused");
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM mail_items WHERE subject = 'Demande de permis d''exploitation' AND version = 3")
            .await,
        1
    );
}

/// Cancelling keeps the number with the reason; the next registration takes the
/// next number, never the cancelled one.
async fn cancellation_keeps_the_number(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let item = api
        .register_item(&register, letter("Enregistré par erreur"))
        .await;
    let id = item["id"].as_str().expect("id");
    let (status, problem) = api
        .post(
            &format!("/api/v1/items/{id}/cancellation"),
            json!({ "reason": "ok" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["reason"]);
    let (status, cancelled) = api
        .post(
            &format!("/api/v1/items/{id}/cancellation"),
            json!({ "reason": "Doublon d'un courrier déjà enregistré" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["number"], item["number"]);
    assert_eq!(
        cancelled["cancel_reason"],
        "Doublon d'un courrier déjà enregistré"
    );
    let (status, _) = api
        .post(
            &format!("/api/v1/items/{id}/cancellation"),
            json!({ "reason": "Encore une fois" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    for tampering in [
        "UPDATE mail_items SET status = 'registered' WHERE status = 'cancelled'",
        "UPDATE mail_items SET cancel_reason = 'Autre motif' WHERE status = 'cancelled'",
    ] {
        let refused = app
            .db
            .owner
            .connection()
            .execute_unprepared(tampering)
            .await;
        assert!(refused.is_err(), "{tampering} must be refused");
    }
    let next = api.register_item(&register, letter("Le suivant")).await;
    assert_eq!(next["sequence"], 2);
    let refused = app
        .db
        .owner
        .connection()
        .execute_unprepared(
            "UPDATE mail_items SET status = 'cancelled' WHERE status = 'registered'",
        )
        .await;
    assert!(
        refused.is_err(),
        "a cancellation without its reason is refused"
    );
    let year = item["year"].as_i64().expect("year");
    let (_, cancelled_only) = api
        .get(&format!(
            "/api/v1/registers/{register}/years/{year}/items?status=cancelled"
        ))
        .await;
    assert_eq!(cancelled_only.as_array().expect("items").len(), 1);
    let (_, by_words) = api
        .get(&format!(
            "/api/v1/registers/{register}/years/{year}/items?q=SUIVANT"
        ))
        .await;
    let by_words = by_words.as_array().expect("items");
    assert_eq!(by_words.len(), 1);
    assert_eq!(by_words[0]["subject"], "Le suivant");
}

/// Links by number, seen from both items; an unknown number is refused at its field.
async fn items_are_linked(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let incoming = app.register("MMG", "ARR").await.id.to_string();
    let outgoing = app.register("MMG", "DEP").await.id.to_string();
    let request = api
        .register_item(&incoming, letter("Demande de permis"))
        .await;
    let reply = api
        .register_item(&outgoing, json!({ "subject": "Réponse à la demande de permis", "sender": "Secrétariat général", "recipient": "Société Minière de Boké" }))
        .await;
    let reply_id = reply["id"].as_str().expect("id");
    let (status, problem) = api
        .post(
            &format!("/api/v1/items/{reply_id}/links"),
            json!({ "kind": "replies_to", "to": "MMG/ARR/1999/000001" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["link_to"]);
    let (status, linked) = api
        .post(
            &format!("/api/v1/items/{reply_id}/links"),
            json!({ "kind": "replies_to", "to": request["number"] }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["links"][0]["kind"], "replies_to");
    assert_eq!(linked["links"][0]["outgoing"], true);
    let (_, seen_from_request) = api
        .get(&format!(
            "/api/v1/items/{}",
            request["id"].as_str().expect("id")
        ))
        .await;
    assert_eq!(seen_from_request["links"][0]["other"], reply["id"]);
    assert_eq!(seen_from_request["links"][0]["outgoing"], false);
}

/// One correspondent however it is typed; near misses flagged; an unknown id refused.
async fn the_correspondents_directory(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let first = api
        .register_item(&register, letter("Première lettre"))
        .await;
    let mut retyped = letter("Deuxième lettre");
    retyped["sender"] = json!("SOCIETE MINIERE DE BOKE");
    let second = api.register_item(&register, retyped).await;
    assert!(first["sender_id"].is_string());
    assert_eq!(first["sender_id"], second["sender_id"]);
    assert_eq!(
        second["sender"], "SOCIETE MINIERE DE BOKE",
        "the item keeps what the letter says"
    );

    let (status, near) = api
        .post(
            "/api/v1/correspondents",
            json!({ "name": "Société Minire de Boké", "kind": "organisation" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(near["possible_duplicate_of"], first["sender_id"]);
    let (status, problem) = api
        .post(
            "/api/v1/correspondents",
            json!({ "name": "", "kind": "robot" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["name", "kind"]);

    let (_, found) = api.get("/api/v1/correspondents?q=societe%20bok").await;
    assert_eq!(found.as_array().expect("found").len(), 2);
    let mut by_id = letter("Par l'annuaire");
    by_id["sender"] = json!("");
    by_id["sender_id"] = near["id"].clone();
    let third = api.register_item(&register, by_id).await;
    assert_eq!(third["sender"], "Société Minire de Boké");
    let mut unknown = letter("Inconnu");
    unknown["sender_id"] = json!(uuid::Uuid::now_v7());
    let (status, problem) = api
        .post(&format!("/api/v1/registers/{register}/items"), unknown)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["sender_id"]);
    assert_eq!(problem["errors"][0]["reason"], "unknown-correspondent");

    // Several recipients, each an entry; a correction of the subject keeps them.
    let mut circular = letter("Circulaire aux directions");
    circular["recipient"] = json!("Direction des mines ; Cabinet du ministre");
    let sent = api.register_item(&register, circular).await;
    assert_eq!(
        sent["recipient"],
        "Direction des mines; Cabinet du ministre"
    );
    let recipients = sent["recipient_ids"].as_array().expect("ids").clone();
    assert_eq!(recipients.len(), 2);
    let mut corrected = letter("Circulaire aux directions techniques");
    corrected["recipient"] = json!("Direction des mines; Cabinet du ministre");
    corrected["reason"] = json!("Précision du destinataire");
    let sent_id = sent["id"].as_str().expect("id");
    let (status, v2) = api
        .post(&format!("/api/v1/items/{sent_id}/corrections"), corrected)
        .await;
    assert_eq!(status, StatusCode::OK, "{v2}");
    assert_eq!(v2["recipient_ids"].as_array().expect("ids"), &recipients);
    let mut fewer = json!({ "recipient": "Cabinet du ministre", "reason": "Un seul destinataire" });
    fewer["subject"] = json!("Circulaire au cabinet");
    let (status, v3) = api
        .post(&format!("/api/v1/items/{sent_id}/corrections"), fewer)
        .await;
    assert_eq!(status, StatusCode::OK, "{v3}");
    assert_eq!(
        v3["recipient_ids"].as_array().expect("ids"),
        &vec![recipients[1].clone()]
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM item_recipients")
            .await,
        5,
        "each version keeps its list: 2 + 2 + 1"
    );
    let mut by_ids = letter("Par l'annuaire, deux destinataires");
    by_ids["recipient_ids"] = json!([recipients[1], recipients[0]]);
    let reversed = api.register_item(&register, by_ids).await;
    assert_eq!(
        reversed["recipient"],
        "Cabinet du ministre; Direction des mines"
    );
    let mut unknown = letter("Destinataire inconnu");
    unknown["recipient_ids"] = json!([uuid::Uuid::now_v7()]);
    let (status, problem) = api
        .post(&format!("/api/v1/registers/{register}/items"), unknown)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["recipient_ids"]);

    // The directory names who writes confidential mail: not for the auditor.
    let auditor = Api::new(&app, "MMG", "auditeur").await;
    let (status, _) = auditor.get("/api/v1/correspondents?q=boke").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another administration has a directory of its own.
    let other = Api::new(&app, "MEF", "secretariat").await;
    let (_, theirs) = other.get("/api/v1/correspondents?q=boke").await;
    assert_eq!(theirs.as_array().expect("found").len(), 0);
    let mef_register = app.register("MEF", "ARR").await.id.to_string();
    let mut foreign = letter("Pas chez nous");
    foreign["sender_id"] = first["sender_id"].clone();
    let (status, _) = other
        .post(&format!("/api/v1/registers/{mef_register}/items"), foreign)
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another administration's entry is unknown here"
    );
}

/// Natures, processing times and size limits belong to each administration.
async fn vocabulary_and_limits_per_administration(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let admin = app.current_user("MMG", "admin").await;
    let tx = app
        .state
        .db
        .tenant_write(admin.tenant.id)
        .await
        .expect("tx");
    tx.vocabulary()
        .save(
            ordo_db::TermList::Natures,
            ordo_domain::Term::parse(
                "complaint",
                ordo_domain::LocalizedName::parse("Plainte", "شكوى", "Complaint").expect("name"),
                "10",
            )
            .expect("term"),
        )
        .await
        .expect("save");
    tx.set_document_limit(1024 * 1024).await.expect("limit");
    tx.commit().await.expect("commit");

    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let mut complaint = letter("Plainte d'un riverain");
    complaint["nature"] = json!("complaint");
    let item = api.register_item(&register, complaint.clone()).await;
    let registered =
        chrono::DateTime::parse_from_rfc3339(item["registered_at"].as_str().expect("at"))
            .expect("date")
            .with_timezone(&admin.tenant.time_zone.tz())
            .date_naive();
    assert_eq!(
        item["due_on"],
        ordo_domain::calendar::WorkingCalendar::default()
            .add_working_days(registered, 10)
            .format("%Y-%m-%d")
            .to_string(),
        "ten working days"
    );
    let (_, vocabulary) = api.get("/api/v1/vocabulary").await;
    assert!(
        vocabulary["natures"]
            .as_array()
            .expect("natures")
            .iter()
            .any(|n| n["code"] == "complaint")
    );

    let other = Api::new(&app, "MEF", "secretariat").await;
    let mef_register = app.register("MEF", "ARR").await.id.to_string();
    let (status, problem) = other
        .post(
            &format!("/api/v1/registers/{mef_register}/items"),
            complaint,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["nature"]);

    // 1 MiB for MMG now; the 50 MiB default still holds for MEF.
    let big = [PDF, &vec![b' '; 2 * 1024 * 1024]].concat();
    let id = item["id"].as_str().expect("id");
    let (status, problem) = api
        .upload(id, "file_name=gros.pdf", "application/pdf", big.clone())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["errors"][0]["reason"], "file-too-large");
    let mef_item = other
        .register_item(&mef_register, letter("Chez nous"))
        .await;
    let (status, _) = other
        .upload(
            mef_item["id"].as_str().expect("id"),
            "file_name=gros.pdf",
            "application/pdf",
            big,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    // A reception before the letter's date is refused at its field.
    let mut early = letter("Reçue avant d'être écrite");
    early["received_at"] = json!("2026-01-01T09:00:00Z");
    let (status, problem) = api
        .post(&format!("/api/v1/registers/{register}/items"), early)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused_fields(&problem), ["received_at"]);
}

/// Every new endpoint, called by another administration's secretariat on MMG's
/// item: not found, and nothing changed in the database.
async fn another_administration_cannot_amend(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let item = api
        .register_item(&register, letter("Courrier du ministère des Mines"))
        .await;
    let id = item["id"].as_str().expect("id");
    let intruder = Api::new(&app, "MEF", "secretariat").await;
    let mut correction = letter("Réécrit par un autre ministère");
    correction["reason"] = json!("Tentative d'un autre ministère");
    for (path, body) in [
        (format!("/api/v1/items/{id}/corrections"), correction),
        (
            format!("/api/v1/items/{id}/cancellation"),
            json!({ "reason": "Tentative d'un autre ministère" }),
        ),
        (
            format!("/api/v1/items/{id}/links"),
            json!({ "kind": "replies_to", "to": item["number"] }),
        ),
        (format!("/api/v1/items/{id}/registration"), letter("Vol")),
        (format!("/api/v1/registers/{register}/drafts"), json!({})),
        (format!("/api/v1/registers/{register}/items"), letter("Vol")),
    ] {
        let (status, _) = intruder.post(&path, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = intruder.get(&format!("/api/v1/items/{id}/versions")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = intruder
        .upload(id, "file_name=x.pdf", "application/pdf", PDF.to_vec())
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for (sql, expected) in [
        ("SELECT count(*) FROM mail_items", 1),
        (
            "SELECT count(*) FROM mail_items WHERE status = 'registered' AND version = 1",
            1,
        ),
        ("SELECT count(*) FROM item_versions", 0),
        ("SELECT count(*) FROM item_links", 0),
        ("SELECT count(*) FROM documents", 0),
    ] {
        assert_eq!(app.db.owner_scalar(sql).await, expected, "{sql}");
    }
}

/// The journal is read by auditors, who are not cleared for confidential mail: it
/// keeps a confidential item's number, not its subject or sender.
async fn confidential_subjects_stay_out_of_the_journal(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let mut secret = letter("Enquête disciplinaire très sensible");
    secret["confidentiality"] = json!("secret");
    api.register_item(&register, secret).await;
    api.register_item(&register, letter("Lettre ordinaire"))
        .await;
    for (sql, expected) in [
        (
            "SELECT count(*) FROM audit_entries WHERE details LIKE '%disciplinaire%'",
            0,
        ),
        (
            "SELECT count(*) FROM audit_entries WHERE details LIKE '%\"confidentiality\":\"secret\"%'",
            1,
        ),
        (
            "SELECT count(*) FROM audit_entries WHERE details LIKE '%Lettre ordinaire%'",
            1,
        ),
    ] {
        assert_eq!(app.db.owner_scalar(sql).await, expected, "{sql}");
    }
}

on_both_databases!(
    confidential_subjects_stay_out_of_the_journal,
    drafts_and_documents_on_disk,
    registration_with_documents_in_one_call,
    corrections_are_versions,
    cancellation_keeps_the_number,
    items_are_linked,
    the_correspondents_directory,
    vocabulary_and_limits_per_administration,
    another_administration_cannot_amend,
);

/// A CSRF token for a signed-in client's next form.
async fn page_token(app: &TestApp, client: &reqwest::Client) -> String {
    ordo_tests::csrf_token(&app.get_text(client, "/accueil").await)
}

/// The page a form's answer leads to: the redirection followed, or the page itself.
async fn landing(app: &TestApp, client: &reqwest::Client, response: reqwest::Response) -> String {
    match response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
    {
        Some(location) if response.status().is_redirection() => {
            app.get_text(client, location).await
        }
        _ => response.text().await.expect("page"),
    }
}

/// The secretariat's pages around an item, from the item page's own forms.
async fn amending_from_the_pages(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    // "Save as draft" with a scan and nothing typed: kept as a draft.
    let client = app.signed_in("MMG", "secretariat").await;
    let form_page = app
        .get_text(&client, &format!("/registres/{register}/nouveau"))
        .await;
    assert!(
        form_page.contains("?brouillon=1"),
        "the draft button's own action"
    );
    let draft = reqwest::multipart::Form::new()
        .text("csrf", ordo_tests::csrf_token(&form_page))
        .text("subject", "")
        .text("sender", "")
        .part(
            "document",
            reqwest::multipart::Part::bytes(PDF.to_vec())
                .file_name("scan.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        );
    let saved = client
        .post(app.url(&format!("/registres/{register}/nouveau?brouillon=1")))
        .multipart(draft)
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM mail_items WHERE status = 'draft'")
            .await,
        1
    );
    // A pile with a file that is no scan: the drafts page says so, nothing is kept.
    let drafts_page = app
        .get_text(&client, &format!("/registres/{register}/brouillons"))
        .await;
    let pile = reqwest::multipart::Form::new()
        .text("csrf", ordo_tests::csrf_token(&drafts_page))
        .part(
            "scans",
            reqwest::multipart::Part::bytes(PDF.to_vec())
                .file_name("bon.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        )
        .part(
            "scans",
            reqwest::multipart::Part::bytes(b"pas un scan du tout".to_vec())
                .file_name("notes.pdf")
                .mime_str("application/pdf")
                .expect("mime"),
        );
    let refused = client
        .post(app.url(&format!("/registres/{register}/lot")))
        .multipart(pile)
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("page");
    assert!(page.contains("Aucun scan de cette pile"), "{page}");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM mail_items WHERE status = 'draft'")
            .await,
        1,
        "nothing of the refused pile was kept"
    );
    let item = api
        .register_item(&register, letter("Demande d'audience"))
        .await;
    let id = item["id"].as_str().expect("id");
    let client = app.signed_in("MMG", "secretariat").await;
    let token = page_token(&app, &client).await;

    // The browser's tab names the item by its number (escaped as the page has it).
    let number = item["number"].as_str().expect("number");
    let item_page = app.get_text(&client, &format!("/courriers/{id}")).await;
    let title = format!("<title>{} · Ordo</title>", number.replace('/', "&#x2f;"));
    assert!(item_page.contains(&title), "{title} in {item_page}");
    // Its timeline names the person who registered it, not their account's code.
    assert!(!item_page.contains("user:secretariat"), "{item_page}");

    // Cancelling without a reason says so on the item page, in French.
    let refused = client
        .post(app.url(&format!("/courriers/{id}/annuler")))
        .form(&[("csrf", token.as_str()), ("reason", "")])
        .send()
        .await
        .expect("POST");
    let page = landing(&app, &client, refused).await;
    assert!(page.contains("Motif : ce champ est obligatoire."), "{page}");
    let cancelled = client
        .post(app.url(&format!("/courriers/{id}/annuler")))
        .form(&[
            ("csrf", token.as_str()),
            ("reason", "Courrier adressé à un autre ministère"),
        ])
        .send()
        .await
        .expect("POST");
    let cancelled = landing(&app, &client, cancelled).await;
    assert!(cancelled.contains("Enregistrement annulé. Motif :"));
    assert!(cancelled.contains("Courrier adressé à un autre ministère"));

    // The correction form is multipart like the registration form.
    let other = api
        .register_item(&register, letter("Demande de rendez-vous"))
        .await;
    let other_id = other["id"].as_str().expect("id");
    let form_page = app
        .get_text(&client, &format!("/courriers/{other_id}/corriger"))
        .await;
    assert!(form_page.contains("Demande de rendez-vous"));
    let received = item_received_minute(&form_page);
    let correction = reqwest::multipart::Form::new()
        .text("csrf", ordo_tests::csrf_token(&form_page))
        .text("subject", "Demande de rendez-vous avec le ministre")
        .text("sender", "Société Minière de Boké")
        .text("letter_date", "2026-01-05")
        .text("received_at", received)
        .text("nature", "letter")
        .text("channel", "post")
        .text("priority", "normal")
        .text("confidentiality", "normal")
        .text("reason", "Précision de l'objet");
    let corrected = client
        .post(app.url(&format!("/courriers/{other_id}/corriger")))
        .multipart(correction)
        .send()
        .await
        .expect("POST");
    let corrected = landing(&app, &client, corrected).await;
    assert!(corrected.contains("version 2"), "{corrected}");
    assert!(
        corrected.contains("Précision de l&#x27;objet")
            || corrected.contains("Précision de l'objet")
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM item_versions")
            .await,
        2
    );
}

/// The reception time the correction form shows, as it would be sent back.
fn item_received_minute(page: &str) -> String {
    let marker = "name=\"received_at\" type=\"datetime-local\" value=\"";
    let start = page.find(marker).expect("received_at field") + marker.len();
    page[start..start + 16].to_owned()
}

/// The administrator sets natures and the size limit from the settings page; the
/// registration form offers the new nature at once.
async fn settings_from_the_page(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.signed_in("MMG", "secretariat").await;
    let forbidden = secretariat
        .get(app.url("/parametres"))
        .send()
        .await
        .expect("GET");
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let admin = app.signed_in("MMG", "admin").await;
    let page = app.get_text(&admin, "/parametres").await;
    let token = ordo_tests::csrf_token(&page);
    let refused = admin
        .post(app.url("/parametres/documents"))
        .form(&[("csrf", token.as_str()), ("max_mib", "5000")])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .expect("page")
            .contains("valeur attendue entre 1–200")
    );
    for form in [
        vec![
            ("list", "natures"),
            ("code", "complaint"),
            ("name_fr", "Plainte"),
            ("name_ar", "شكوى"),
            ("name_en", "Complaint"),
            ("processing_days", "10"),
        ],
        vec![
            ("list", "natures"),
            ("code", "letter"),
            ("name_fr", "Lettre"),
            ("name_ar", ""),
            ("name_en", ""),
            ("processing_days", "20"),
        ],
    ] {
        let mut form = form;
        form.push(("csrf", token.as_str()));
        let saved = admin
            .post(app.url("/parametres/termes"))
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    }
    let saved = admin
        .post(app.url("/parametres/documents"))
        .form(&[("csrf", token.as_str()), ("max_mib", "2")])
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let register = app.register("MMG", "ARR").await;
    let form = app
        .get_text(&secretariat, &format!("/registres/{}/nouveau", register.id))
        .await;
    assert!(form.contains("<option value=\"complaint\""));
    assert!(form.contains("2 Mo au plus par fichier"));
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM mail_natures WHERE code = 'letter' AND processing_days = 20"
            )
            .await,
        1
    );
    // Registers: a new internal one, a changed format for the numbers still to give.
    let bureau = app.current_user("MMG", "admin").await.tenant.id;
    let tx = app.state.db.tenant_read(bureau).await.expect("tx");
    let central = tx
        .units()
        .list()
        .await
        .expect("units")
        .into_iter()
        .find(|u| u.has_bureau_ordre)
        .expect("a bureau d'ordre");
    tx.commit().await.expect("commit");
    let unit = central.id.to_string();
    let register_form = |code: &'static str, format: &'static str| {
        vec![
            ("csrf", token.clone()),
            ("unit", unit.clone()),
            ("code", code.to_owned()),
            ("direction", "internal".to_owned()),
            ("name_fr", "Registre interne".to_owned()),
            ("name_ar", String::new()),
            ("name_en", String::new()),
            ("number_format", format.to_owned()),
        ]
    };
    for (code, format, expected) in [
        ("INT", "MMG/INT/{seq}", "Format de numérotation"),
        ("ARR", "MMG/X/{year}/{seq:4}", "déjà utilisé"),
    ] {
        let refused = admin
            .post(app.url("/parametres/registres"))
            .form(&register_form(code, format))
            .send()
            .await
            .expect("POST");
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{code} {format}"
        );
        assert!(
            refused.text().await.expect("page").contains(expected),
            "{expected}"
        );
    }
    let added = admin
        .post(app.url("/parametres/registres"))
        .form(&register_form("INT", "MMG/INT/{year}/{seq:4}"))
        .send()
        .await
        .expect("POST");
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let changed = admin
        .post(app.url(&format!("/parametres/registres/{}", register.id)))
        .form(&[
            ("csrf", token.as_str()),
            ("name_fr", "Courrier arrivée"),
            ("name_ar", ""),
            ("name_en", ""),
            ("number_format", "MMG/A/{year}/{seq:5}"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let api = Api::new(&app, "MMG", "secretariat").await;
    let item = api
        .register_item(
            &register.id.to_string(),
            letter("Après le changement de format"),
        )
        .await;
    assert!(
        item["number"]
            .as_str()
            .expect("number")
            .starts_with("MMG/A/"),
        "{item}"
    );
    assert!(
        item["number"].as_str().expect("number").ends_with("/00001"),
        "{item}"
    );
    let (_, registers) = api.get("/api/v1/registers").await;
    assert!(
        registers
            .as_array()
            .expect("registers")
            .iter()
            .any(|r| r["code"] == "INT" && r["direction"] == "internal")
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action LIKE 'settings.%'")
            .await,
        5
    );
    // MEF's lists are untouched.
    let mef = app.current_user("MEF", "admin").await;
    let tx = app.state.db.tenant_read(mef.tenant.id).await.expect("tx");
    let theirs = tx.vocabulary().load().await.expect("load");
    tx.commit().await.expect("commit");
    assert!(theirs.nature("complaint").is_none());
    assert_eq!(
        theirs.nature("letter").and_then(|t| t.processing_days),
        Some(30)
    );
    assert_eq!(mef.tenant.max_document_bytes, 50 * 1024 * 1024);
}

/// Every new page, asked by another administration's secretariat for MMG's items
/// and registers: not found, and nothing written.
async fn pages_of_another_administration(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let item = api
        .register_item(&register, letter("Courrier des Mines"))
        .await;
    let id = item["id"].as_str().expect("id");
    let (_, draft) = api
        .post(
            &format!("/api/v1/registers/{register}/drafts"),
            json!({ "subject": "Brouillon des Mines" }),
        )
        .await;
    let draft_id = draft["id"].as_str().expect("id");
    let intruder = app.signed_in("MEF", "secretariat").await;
    let token = page_token(&app, &intruder).await;
    for path in [
        format!("/courriers/{id}/corriger"),
        format!("/courriers/{draft_id}/completer"),
        format!("/registres/{register}/brouillons"),
        format!("/registres/{register}/nouveau"),
        format!("/courriers/{draft_id}"),
    ] {
        let status = intruder
            .get(app.url(&path))
            .send()
            .await
            .expect("GET")
            .status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    for (path, form) in [
        (
            format!("/courriers/{id}/annuler"),
            vec![("reason", "Tentative d'annulation")],
        ),
        (
            format!("/courriers/{id}/liens"),
            vec![("kind", "replies_to"), ("to", "x")],
        ),
    ] {
        let mut form = form;
        form.push(("csrf", token.as_str()));
        let status = intruder
            .post(app.url(&path))
            .form(&form)
            .send()
            .await
            .expect("POST")
            .status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in [
        format!("/courriers/{draft_id}/completer"),
        format!("/registres/{register}/lot"),
        format!("/courriers/{id}/corriger"),
    ] {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.clone())
            .text("subject", "Réécrit par un autre ministère")
            .text("reason", "Tentative d'un autre ministère")
            .part(
                "scans",
                reqwest::multipart::Part::bytes(PDF.to_vec())
                    .file_name("x.pdf")
                    .mime_str("application/pdf")
                    .expect("mime"),
            );
        let status = intruder
            .post(app.url(&path))
            .multipart(form)
            .send()
            .await
            .expect("POST")
            .status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let directory = app.get_text(&intruder, "/correspondants?q=boke").await;
    assert!(
        !directory.contains("Minière"),
        "MMG's directory is not MEF's"
    );
    for (sql, expected) in [
        ("SELECT count(*) FROM mail_items", 2),
        (
            "SELECT count(*) FROM mail_items WHERE status = 'registered' AND version = 1",
            1,
        ),
        (
            "SELECT count(*) FROM mail_items WHERE status = 'draft' AND subject = 'Brouillon des Mines'",
            1,
        ),
        ("SELECT count(*) FROM item_links", 0),
        ("SELECT count(*) FROM documents", 0),
    ] {
        assert_eq!(app.db.owner_scalar(sql).await, expected, "{sql}");
    }
}

/// Processing times count working days on each administration's calendar, set in
/// its settings: its weekend and its holidays.
async fn due_dates_follow_the_working_calendar(backend: Backend) {
    use chrono::TimeZone as _;
    // Thursday 19 November 2026, 10:00 in Conakry (UTC).
    let thursday = chrono::Utc
        .with_ymd_and_hms(2026, 11, 19, 10, 0, 0)
        .single()
        .expect("instant");
    let app = TestApp::spawn_with_clock(
        backend,
        Storage::Local,
        ordo_tests::ManualClock::at(thursday),
    )
    .await;
    let admin = app.signed_in("MMG", "admin").await;
    let token = ordo_tests::csrf_token(&app.get_text(&admin, "/parametres").await);
    for (path, form) in [
        ("/parametres/calendrier", vec![("weekend", "fri,sat")]),
        (
            "/parametres/jours-feries",
            vec![("day", "2026-11-22"), ("name", "Fête de test")],
        ),
    ] {
        let mut form = form;
        form.push(("csrf", token.as_str()));
        let saved = admin
            .post(app.url(path))
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert_eq!(saved.status(), StatusCode::SEE_OTHER, "{path}");
    }
    let refused = admin
        .post(app.url("/parametres/calendrier"))
        .form(&[("csrf", token.as_str()), ("weekend", "mon")])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let mut urgent = letter("Très urgent");
    urgent["priority"] = json!("very_urgent");
    let api = Api::new(&app, "MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await.id.to_string();
    let item = api.register_item(&register, urgent.clone()).await;
    // Friday and Saturday off, Sunday a holiday: Monday 23rd is day 1, Tuesday day 2.
    assert_eq!(item["due_on"], "2026-11-24");
    let mef = Api::new(&app, "MEF", "secretariat").await;
    let mef_register = app.register("MEF", "ARR").await.id.to_string();
    let theirs = mef.register_item(&mef_register, urgent).await;
    assert_eq!(theirs["due_on"], "2026-11-23", "MEF keeps Saturday-Sunday");
}

on_both_databases!(
    due_dates_follow_the_working_calendar,
    amending_from_the_pages,
    settings_from_the_page,
    pages_of_another_administration,
);
