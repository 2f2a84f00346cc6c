//! The exchange between administrations, end to end against the real PostgreSQL
//! and S3 servers: an outgoing item sent from one ministry arrives in the other's
//! queue with its documents, is registered there, and the sender learns the
//! recipient's number, through signed receipts both ways that `check-jsonschema`
//! and `openssl cms -verify` accept (and a tampered copy fails). A regional office
//! of the same ministry receives the same way. Every rejection code, a replay and
//! an id reused for other content are answered as the brief says, journalled, and
//! register nothing.

use std::{path::Path, process::Command};

use ordo_envelope::{
    Access, Correspondence, Envelope, FileRole, ManifestEntry, PROTOCOL_VERSION, Party, Receipt,
    ReceiptKind, ReceiptTransfer, RejectionCode, Restriction, Seal, Transfer, TransferFile,
    sha256_hex,
};
use ordo_tests::{Backend, Storage, TestApp, bearer_client, required_env};
use serde_json::{Value, json};

const LETTER: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

pub(crate) async fn client(app: &TestApp, administration: &str, login: &str) -> reqwest::Client {
    bearer_client(
        &ordo::token_cli::create(&app.state.db, administration, login, "tests")
            .await
            .expect("token"),
    )
}

async fn register_id(app: &TestApp, client: &reqwest::Client, code: &str) -> String {
    let registers = app.get_json(client, "/api/v1/registers").await;
    registers
        .as_array()
        .expect("registers")
        .iter()
        .find(|r| r["code"] == code)
        .expect("register")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Registers an outgoing letter with its PDF; returns the item.
pub(crate) async fn outgoing_letter(
    app: &TestApp,
    client: &reqwest::Client,
    subject: &str,
) -> Value {
    let register = register_id(app, client, "DEP").await;
    let answer = client
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .json(
            &json!({ "subject": subject, "sender": "Secrétariat général", "recipient": "Ministère de l'Économie et des Finances" }),
        )
        .send()
        .await
        .expect("POST");
    let status = answer.status();
    let item: Value = answer.json().await.expect("json");
    assert_eq!(status, 201, "{item}");
    let id = item["id"].as_str().expect("id");
    let upload = client
        .post(app.url(&format!(
            "/api/v1/items/{id}/documents?file_name=lettre.pdf"
        )))
        .header("content-type", "application/pdf")
        .body(LETTER)
        .send()
        .await
        .expect("upload");
    assert_eq!(
        upload.status(),
        201,
        "{}",
        upload.text().await.unwrap_or_default()
    );
    item
}

pub(crate) async fn send(
    app: &TestApp,
    client: &reqwest::Client,
    item: &str,
    recipients: Value,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/v1/items/{item}/exchange")))
        .json(&json!({ "recipients": recipients }))
        .send()
        .await
        .expect("POST")
}

/// Runs the worker's courier until nothing is due.
pub(crate) async fn deliver(app: &TestApp) -> ordo_exchange::courier::CourierReport {
    let mut total = ordo_exchange::courier::CourierReport::default();
    loop {
        let report = ordo_exchange::courier::deliver_due(&app.state)
            .await
            .expect("courier");
        if report.taken == 0 {
            return total;
        }
        total.taken += report.taken;
        total.delivered += report.delivered;
        total.retried += report.retried;
        total.given_up += report.given_up;
    }
}

async fn download(app: &TestApp, client: &reqwest::Client, path: &str) -> Vec<u8> {
    let answer = client.get(app.url(path)).send().await.expect("GET");
    assert_eq!(answer.status(), 200, "{path}");
    answer.bytes().await.expect("bytes").to_vec()
}

/// `check-jsonschema` on `document` against the schema named `schema`.
fn schema_accepts(dir: &Path, schema: &str, document: &[u8]) -> bool {
    let path = dir.join(format!("{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, document).expect("write");
    let schema = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/envelope/schemas")
        .join(schema);
    Command::new(required_env("ORDO_TEST_CHECK_JSONSCHEMA"))
        .arg("--schemafile")
        .arg(schema)
        .arg(&path)
        .status()
        .expect("check-jsonschema runs")
        .success()
}

/// `openssl cms -verify` of a detached signature against the platform authority.
fn openssl_verifies(dir: &Path, content: &[u8], signature: &[u8], authority_pem: &str) -> bool {
    let name = uuid::Uuid::new_v4();
    let content_path = dir.join(format!("{name}.json"));
    let signature_path = dir.join(format!("{name}.p7s"));
    let authority = dir.join("authority.pem");
    std::fs::write(&content_path, content).expect("write");
    std::fs::write(&signature_path, signature).expect("write");
    std::fs::write(&authority, authority_pem).expect("write");
    Command::new("openssl")
        .args([
            "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any",
        ])
        .arg("-in")
        .arg(&signature_path)
        .arg("-content")
        .arg(&content_path)
        .arg("-CAfile")
        .arg(&authority)
        .args(["-out", "/dev/null"])
        .status()
        .expect("openssl runs")
        .success()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_ministries_exchange_with_signed_receipts_both_ways() {
    let app = TestApp::spawn(Backend::Postgres, Storage::S3).await;
    let mines = client(&app, "MMG", "secretariat").await;
    let finances = client(&app, "MEF", "secretariat").await;
    let item = outgoing_letter(&app, &mines, "Convention minière : demande d'avis").await;
    let item_id = item["id"].as_str().expect("id");
    let our_number = item["number"].as_str().expect("number").to_owned();

    let sent = send(&app, &mines, item_id, json!([{ "organisation": "MEF" }])).await;
    assert_eq!(sent.status(), 201);
    let sent: Value = sent.json().await.expect("json");
    let envelope_id = sent["envelope_id"].as_str().expect("envelope").to_owned();
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    assert_eq!(standing["sent"][0]["recipients"][0]["status"], "sending");

    // The worker carries it: the recipient's signed Accepted comes back at once.
    let report = deliver(&app).await;
    assert_eq!((report.delivered, report.retried), (1, 0));
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    assert_eq!(standing["sent"][0]["recipients"][0]["status"], "accepted");

    // It waits in the finance ministry's queue as a draft, with the sender's
    // number and the letter, byte for byte.
    let arrived = app
        .db
        .owner_text(&format!(
            "SELECT item_id::text FROM exchange_arrivals WHERE envelope_id = '{envelope_id}'"
        ))
        .await;
    assert_eq!(
        app.db
            .owner_text(&format!(
                "SELECT i.status || '|' || i.channel || '|' || i.keywords || '|' || t.code FROM mail_items i JOIN tenants t ON t.id = i.tenant_id WHERE i.id = '{arrived}'"
            ))
            .await,
        format!("draft|exchange|{our_number}|MEF")
    );
    assert_eq!(
        app.db
            .owner_text(&format!(
                "SELECT sha256 FROM documents WHERE item_id = '{arrived}'"
            ))
            .await,
        sha256_hex(LETTER)
    );
    let received = app
        .get_json(&finances, &format!("/api/v1/items/{arrived}/exchange"))
        .await;
    assert_eq!(received["received"]["sender"], "MMG");
    assert_eq!(received["received"]["status"], "to_register");
    // The sender's side does not see the recipient's draft.
    let elsewhere = mines
        .get(app.url(&format!("/api/v1/items/{arrived}/exchange")))
        .send()
        .await
        .expect("GET");
    assert_eq!(elsewhere.status(), 404);

    // Registered there: the sender is told the number it was given.
    let registered = finances
        .post(app.url(&format!("/api/v1/items/{arrived}/registration")))
        .json(&json!({ "subject": "Convention minière : demande d'avis", "sender": "Ministère des Mines et de la Géologie" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(
        registered.status(),
        200,
        "{}",
        registered.text().await.unwrap_or_default()
    );
    let registered: Value = registered.json().await.expect("json");
    let their_number = registered["number"].as_str().expect("number").to_owned();
    assert!(their_number.starts_with("MEF/ARR/"), "{their_number}");
    let report = deliver(&app).await;
    assert_eq!(report.delivered, 1);
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    let recipient = &standing["sent"][0]["recipients"][0];
    assert_eq!(recipient["status"], "registered");
    assert_eq!(recipient["their_number"], their_number.as_str());
    let kinds: Vec<&str> = standing["sent"][0]["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| r["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["Accepted", "Registered"]);

    // The finance ministry answers through the exchange: its reply names our
    // envelope and number, and arrives linked to the letter it answers.
    let register = register_id(&app, &finances, "DEP").await;
    let reply: Value = finances
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .json(&json!({ "subject": "Avis sur la convention minière", "sender": "Secrétariat général", "recipient": "MMG" }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    let reply_id = reply["id"].as_str().expect("id");
    let linked = finances
        .post(app.url(&format!("/api/v1/items/{reply_id}/links")))
        .json(&json!({ "kind": "replies_to", "to": arrived }))
        .send()
        .await
        .expect("POST");
    assert_eq!(linked.status(), 200);
    let upload = finances
        .post(app.url(&format!(
            "/api/v1/items/{reply_id}/documents?file_name=avis.pdf"
        )))
        .header("content-type", "application/pdf")
        .body(LETTER)
        .send()
        .await
        .expect("upload");
    assert_eq!(upload.status(), 201);
    let answered = send(
        &app,
        &finances,
        reply_id,
        json!([{ "organisation": "MMG" }]),
    )
    .await;
    assert_eq!(answered.status(), 201);
    let answered: Value = answered.json().await.expect("json");
    deliver(&app).await;
    let reply_envelope = download(
        &app,
        &finances,
        &format!(
            "/api/v1/exchange/envelopes/{}",
            answered["envelope_id"].as_str().expect("envelope")
        ),
    )
    .await;
    let reply_envelope: Envelope = serde_json::from_slice(&reply_envelope).expect("envelope");
    let in_reply_to = reply_envelope
        .correspondence
        .in_reply_to
        .expect("names what it answers");
    assert_eq!(in_reply_to.number, our_number);
    assert_eq!(in_reply_to.envelope_id.to_string(), envelope_id);
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM item_links l JOIN exchange_arrivals a ON a.item_id = l.from_item WHERE l.to_item = '{item_id}' AND l.kind = 'replies_to' AND a.envelope_id = '{}'",
                answered["envelope_id"].as_str().expect("envelope")
            ))
            .await,
        1,
        "the reply arrives linked to our letter"
    );

    // The envelope and each receipt, as signed: the schemas accept them, openssl
    // verifies them against the platform's authority, and a tampered copy fails.
    let dir = tempfile::tempdir().expect("dir");
    let authority = app
        .db
        .owner_text("SELECT certificate_pem FROM platform_authority")
        .await;
    let envelope = download(
        &app,
        &mines,
        &format!("/api/v1/exchange/envelopes/{envelope_id}"),
    )
    .await;
    let signature = download(
        &app,
        &mines,
        &format!("/api/v1/exchange/envelopes/{envelope_id}?part=p7s"),
    )
    .await;
    assert!(schema_accepts(
        dir.path(),
        "envelope.schema.json",
        &envelope
    ));
    assert!(openssl_verifies(
        dir.path(),
        &envelope,
        &signature,
        &authority
    ));
    let tampered = String::from_utf8(envelope.clone())
        .expect("utf-8")
        .replace("demande d'avis", "demande d'avis urgente");
    assert!(!openssl_verifies(
        dir.path(),
        tampered.as_bytes(),
        &signature,
        &authority
    ));
    let mut wrong = serde_json::from_slice::<Value>(&envelope).expect("json");
    wrong["manifest"][0]["sha256"] = json!("not a digest");
    assert!(!schema_accepts(
        dir.path(),
        "envelope.schema.json",
        &serde_json::to_vec(&wrong).expect("json")
    ));
    for receipt in standing["sent"][0]["receipts"]
        .as_array()
        .expect("receipts")
    {
        let path = format!(
            "/api/v1/exchange/envelopes/{envelope_id}/receipts/{}",
            receipt["id"].as_str().expect("id")
        );
        let bytes = download(&app, &mines, &path).await;
        let signature = download(&app, &mines, &format!("{path}?part=p7s")).await;
        assert!(schema_accepts(dir.path(), "receipt.schema.json", &bytes));
        assert!(openssl_verifies(dir.path(), &bytes, &signature, &authority));
        let parsed = Receipt::parse(&bytes).expect("receipt");
        assert_eq!(parsed.envelope_sha256, sha256_hex(&envelope));
        let mut flipped = bytes.clone();
        let at = flipped.len() / 2;
        flipped[at] ^= 0x01;
        assert!(!openssl_verifies(
            dir.path(),
            &flipped,
            &signature,
            &authority
        ));
    }

    // Delivered again (a worker that crashed after sending): the first receipt comes
    // back, byte for byte, and nothing more is received.
    let transfer = Transfer {
        envelope: envelope.clone(),
        signature: signature.clone(),
        files: vec![TransferFile {
            name: "lettre.pdf".to_owned(),
            content: LETTER.to_vec(),
        }],
    };
    let first_accepted = &standing["sent"][0]["receipts"][0]["id"];
    let replay = post_transfer(&app, "MEF", &transfer).await;
    let replayed = Receipt::parse(&replay.receipt).expect("receipt");
    assert_eq!(replayed.kind, ReceiptKind::Accepted);
    assert_eq!(json!(replayed.id.to_string()), *first_accepted);
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM exchange_arrivals WHERE envelope_id = '{envelope_id}'"
            ))
            .await,
        1
    );
    // Journals on both sides.
    for (code, action) in [
        ("MMG", "exchange.sent"),
        ("MEF", "exchange.received"),
        ("MMG", "exchange.receipt_received"),
    ] {
        assert!(
            app.db
                .owner_scalar(&format!(
                    "SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = '{code}' AND a.action = '{action}'"
                ))
                .await
                >= 1,
            "{code} journals {action}"
        );
    }

    // Opened at the finance ministry by someone other than who registered it: the
    // sender is told it was read, its number still shown.
    let reader = app.signed_in("MEF", "admin").await;
    let page = app
        .get_text(&reader, &format!("/courriers/{arrived}"))
        .await;
    assert!(page.contains("Enregistré et lu"), "the page says so");
    app.get_text(&reader, &format!("/courriers/{arrived}"))
        .await;
    deliver(&app).await;
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    let recipient = &standing["sent"][0]["recipients"][0];
    assert_eq!(recipient["status"], "read");
    assert_eq!(recipient["their_number"], their_number.as_str());
    let kinds: Vec<&str> = standing["sent"][0]["receipts"]
        .as_array()
        .expect("receipts")
        .iter()
        .map(|r| r["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["Accepted", "Registered", "Read"], "read once");
}

async fn post_transfer(app: &TestApp, addressee: &str, transfer: &Transfer) -> ReceiptTransfer {
    let answer = reqwest::Client::new()
        .post(app.url(&format!("/exchange/v1/{addressee}/envelopes")))
        .json(transfer)
        .send()
        .await
        .expect("POST");
    assert_eq!(answer.status(), 200);
    answer.json().await.expect("receipt")
}

/// An envelope as the mines ministry would send it to `to`, signed with `seal`.
fn crafted(seal: &Seal, to: &str, file: &[u8], edit: impl FnOnce(&mut Envelope)) -> Transfer {
    let mut envelope = Envelope {
        version: PROTOCOL_VERSION.to_owned(),
        id: uuid::Uuid::now_v7(),
        created_at: chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("time"),
        sender: Party {
            organisation: "MMG".to_owned(),
            unit: None,
            agent: None,
        },
        recipients: vec![Party {
            organisation: to.to_owned(),
            unit: None,
            agent: None,
        }],
        correspondence: Correspondence {
            number: "MMG/DEP/2026/000099".to_owned(),
            registered_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
            subject: "Demande d'information".to_owned(),
            nature: "courrier".to_owned(),
            language: "fr".to_owned(),
            reply_due: None,
            in_reply_to: None,
            conversation_id: uuid::Uuid::now_v7(),
            access: Access {
                restriction: Restriction::Public,
                legal_basis: None,
                until: None,
            },
        },
        manifest: vec![ManifestEntry {
            name: "lettre.pdf".to_owned(),
            media_type: "application/pdf".to_owned(),
            size: LETTER.len() as u64,
            role: FileRole::Main,
            sha256: sha256_hex(LETTER),
        }],
    };
    edit(&mut envelope);
    let bytes = envelope.to_bytes();
    Transfer {
        signature: seal.sign(&bytes).expect("signed"),
        envelope: bytes,
        files: vec![TransferFile {
            name: "lettre.pdf".to_owned(),
            content: file.to_vec(),
        }],
    }
}

async fn seal_of(app: &TestApp, code: &str) -> Seal {
    let row = |column: &str| {
        format!(
            "SELECT s.{column} FROM tenant_seals s JOIN tenants t ON t.id = s.tenant_id WHERE t.code = '{code}'"
        )
    };
    Seal::from_pem(
        &app.db.owner_text(&row("certificate_pem")).await,
        &app.db.owner_text(&row("private_key_pem")).await,
    )
    .expect("seal")
}

fn rejection(answer: &ReceiptTransfer) -> (ReceiptKind, Option<RejectionCode>, String) {
    let receipt = Receipt::parse(&answer.receipt).expect("receipt");
    (
        receipt.kind,
        receipt.rejection.map(|r| r.code),
        receipt.issuer,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_is_rejected_with_its_code_and_registers_nothing() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let mines = seal_of(&app, "MMG").await;
    let finances = seal_of(&app, "MEF").await;
    let mut tampered = LETTER.to_vec();
    tampered[3] ^= 0x01;
    // What is wrong, the transfer, where it is delivered, the code, who answers.
    let cases: Vec<(&str, Transfer, &str, RejectionCode, &str)> = vec![
        (
            "a tampered file",
            crafted(&mines, "MEF", &tampered, |_| {}),
            "MEF",
            RejectionCode::DigestMismatch,
            "MEF",
        ),
        (
            "a signature by another seal",
            crafted(&finances, "MEF", LETTER, |_| {}),
            "MEF",
            RejectionCode::SignatureInvalid,
            "MEF",
        ),
        (
            "an unknown sender",
            crafted(&mines, "MEF", LETTER, |e| {
                e.sender.organisation = "XYZ".to_owned()
            }),
            "MEF",
            RejectionCode::SignatureInvalid,
            "MEF",
        ),
        (
            "an unknown recipient",
            crafted(&mines, "NOPE", LETTER, |_| {}),
            "NOPE",
            RejectionCode::InvalidAddressee,
            "PLATFORM",
        ),
        (
            "an envelope for someone else",
            crafted(&mines, "MMG", LETTER, |_| {}),
            "MEF",
            RejectionCode::InvalidAddressee,
            "MEF",
        ),
        (
            "a later version",
            crafted(&mines, "MEF", LETTER, |e| e.version = "2.0".to_owned()),
            "MEF",
            RejectionCode::UnsupportedVersion,
            "MEF",
        ),
        (
            "an oversized envelope",
            crafted(&mines, "MEF", LETTER, |e| e.manifest[0].size = 1 << 40),
            "MEF",
            RejectionCode::SizeLimit,
            "MEF",
        ),
        (
            "a manifest without digest",
            crafted(&mines, "MEF", LETTER, |e| {
                e.manifest[0].sha256 = String::new()
            }),
            "MEF",
            RejectionCode::Validation,
            "MEF",
        ),
    ];
    let authority = app
        .db
        .owner_text("SELECT certificate_pem FROM platform_authority")
        .await;
    let dir = tempfile::tempdir().expect("dir");
    for (what, transfer, addressee, code, issuer) in &cases {
        let answer = post_transfer(&app, addressee, transfer).await;
        assert_eq!(
            rejection(&answer),
            (ReceiptKind::Rejected, Some(*code), (*issuer).to_owned()),
            "{what}"
        );
        // Signed, and valid against the schema.
        assert!(
            schema_accepts(dir.path(), "receipt.schema.json", &answer.receipt),
            "{what}"
        );
        assert!(
            openssl_verifies(dir.path(), &answer.receipt, &answer.signature, &authority),
            "{what}"
        );
    }
    // The same id again with other content: IdConflict; the same bytes: the first
    // receipt again.
    let first = crafted(&mines, "MEF", LETTER, |_| {});
    let accepted = post_transfer(&app, "MEF", &first).await;
    assert_eq!(rejection(&accepted).0, ReceiptKind::Accepted);
    let envelope: Envelope = serde_json::from_slice(&first.envelope).expect("envelope");
    let conflicting = crafted(&mines, "MEF", LETTER, |e| {
        e.id = envelope.id;
        e.correspondence.subject = "Autre objet".to_owned();
    });
    assert_eq!(
        rejection(&post_transfer(&app, "MEF", &conflicting).await),
        (
            ReceiptKind::Rejected,
            Some(RejectionCode::IdConflict),
            "MEF".to_owned()
        )
    );
    assert_eq!(post_transfer(&app, "MEF", &first).await, accepted);

    // Only the one accepted envelope is in the queue; each rejection is journalled.
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM exchange_arrivals")
            .await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM mail_items i JOIN tenants t ON t.id = i.tenant_id WHERE t.code = 'MEF' AND i.channel = 'exchange'")
            .await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MEF' AND a.action = 'exchange.rejected'")
            .await,
        // Every case but the unknown recipient (no administration to journal it
        // in), and the id conflict.
        i64::try_from(cases.len()).expect("count")
    );
    // A transfer that is not even readable.
    let garbage = reqwest::Client::new()
        .post(app.url("/exchange/v1/MEF/envelopes"))
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(garbage.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regional_office_receives_from_its_ministry_and_can_return_mail() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let central = client(&app, "MMG", "secretariat").await;
    let item = outgoing_letter(&app, &central, "Instructions pour la campagne 2027").await;
    let item_id = item["id"].as_str().expect("id");
    // The regional office, with a bureau d'ordre of its own, is shown in the
    // directory from the start; a directorate without one is not, and mail is not
    // addressed to it.
    let directory = app
        .get_json(&central, "/api/v1/exchange/directory?q=MMG")
        .await;
    let units: Vec<&str> = directory[0]["units"]
        .as_array()
        .expect("units")
        .iter()
        .map(|u| u["code"].as_str().expect("code"))
        .collect();
    assert_eq!(units, ["DR-BOKE"]);
    let hidden = send(
        &app,
        &central,
        item_id,
        json!([{ "organisation": "MMG", "unit": "DNM" }]),
    )
    .await;
    assert_eq!(hidden.status(), 422);
    let sent = send(
        &app,
        &central,
        item_id,
        json!([{ "organisation": "MMG", "unit": "DR-BOKE" }]),
    )
    .await;
    assert_eq!(sent.status(), 201);
    deliver(&app).await;
    // It arrives in the regional office's own incoming register.
    let arrived = app
        .db
        .owner_text("SELECT a.item_id::text FROM exchange_arrivals a")
        .await;
    assert_eq!(
        app.db
            .owner_text(&format!(
                "SELECT u.code FROM mail_items i JOIN registers r ON r.id = i.register_id JOIN org_units u ON u.id = r.unit_id WHERE i.id = '{arrived}'"
            ))
            .await,
        "DR-BOKE"
    );
    // The regional office sends it back: not competent.
    let regional = client(&app, "MMG", "secretariat.boke").await;
    let refused = regional
        .post(app.url(&format!("/api/v1/items/{arrived}/exchange/return")))
        .json(&json!({ "reason_code": "Perhaps", "reason": "Pas pour nous" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
    let returned = regional
        .post(app.url(&format!("/api/v1/items/{arrived}/exchange/return")))
        .json(
            &json!({ "reason_code": "NotCompetent", "reason": "Relève de la direction de Kindia" }),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(returned.status(), 204);
    let again = regional
        .post(app.url(&format!("/api/v1/items/{arrived}/exchange/return")))
        .json(
            &json!({ "reason_code": "NotCompetent", "reason": "Relève de la direction de Kindia" }),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(again.status(), 409);
    deliver(&app).await;
    let standing = app
        .get_json(&central, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    let recipient = &standing["sent"][0]["recipients"][0];
    assert_eq!(recipient["status"], "returned");
    assert_eq!(
        recipient["detail"],
        "NotCompetent: Relève de la direction de Kindia"
    );
    // The sender's item page says why in the reader's words, then the other side's.
    let page_reader = app.signed_in("MMG", "secretariat").await;
    let page = app
        .get_text(&page_reader, &format!("/courriers/{item_id}"))
        .await;
    assert!(page.contains("Nous ne sommes pas compétents"), "{page}");
    assert!(page.contains("Relève de la direction de Kindia"), "{page}");
    assert!(!page.contains("NotCompetent:"), "{page}");
    assert_eq!(
        app.db
            .owner_text(&format!(
                "SELECT status FROM mail_items WHERE id = '{arrived}'"
            ))
            .await,
        "cancelled"
    );

    // The administrator takes the office out of the directory: mail is no longer
    // addressed to it.
    let admin = app.signed_in("MMG", "admin").await;
    let page = app.get_text(&admin, "/organisation").await;
    assert!(page.contains("Annuaire des échanges"));
    let saved = admin
        .post(app.url("/organisation/annuaire"))
        .form(&[("csrf", ordo_tests::csrf_token(&page).as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status(), 303);
    let directory = app
        .get_json(&central, "/api/v1/exchange/directory?q=MMG")
        .await;
    assert_eq!(directory[0]["units"], json!([]));
    let refused = send(
        &app,
        &central,
        item_id,
        json!([{ "organisation": "MMG", "unit": "DR-BOKE" }]),
    )
    .await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_registered_outgoing_mail_with_a_letter_goes_to_known_administrations() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let mines = client(&app, "MMG", "secretariat").await;
    let item = outgoing_letter(&app, &mines, "Lettre").await;
    let item_id = item["id"].as_str().expect("id");
    for (recipients, status) in [(json!([]), 422), (json!([{ "organisation": "NOPE" }]), 422)] {
        assert_eq!(
            send(&app, &mines, item_id, recipients).await.status(),
            status
        );
    }
    // An incoming item is not sent on.
    let incoming = register_id(&app, &mines, "ARR").await;
    let arrived: Value = mines
        .post(app.url(&format!("/api/v1/registers/{incoming}/items")))
        .json(&json!({ "subject": "Reçu", "sender": "Quelqu'un" }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(
        send(
            &app,
            &mines,
            arrived["id"].as_str().expect("id"),
            json!([{ "organisation": "MEF" }])
        )
        .await
        .status(),
        409
    );
    // Without its letter, nothing to send.
    let register = register_id(&app, &mines, "DEP").await;
    let bare: Value = mines
        .post(app.url(&format!("/api/v1/registers/{register}/items")))
        .json(&json!({ "subject": "Sans pièce", "sender": "Secrétariat général", "recipient": "MEF" }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(
        send(
            &app,
            &mines,
            bare["id"].as_str().expect("id"),
            json!([{ "organisation": "MEF" }])
        )
        .await
        .status(),
        422
    );
    // Another administration's item is not found, and nothing was queued.
    let finances = client(&app, "MEF", "secretariat").await;
    assert_eq!(
        send(&app, &finances, item_id, json!([{ "organisation": "MMG" }]))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM exchange_queue")
            .await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM exchange_envelopes")
            .await,
        0
    );
    // A suspended administration is refused by name, and an envelope already on
    // its way is answered by the platform: suspended.
    let sent = send(&app, &mines, item_id, json!([{ "organisation": "MEF" }])).await;
    assert_eq!(sent.status(), 201);
    app.db
        .owner_scalar("WITH s AS (UPDATE tenants SET status = 'suspended' WHERE code = 'MEF' RETURNING 1) SELECT count(*) FROM s")
        .await;
    let refused = send(&app, &mines, item_id, json!([{ "organisation": "MEF" }])).await;
    assert_eq!(refused.status(), 422);
    let refused: Value = refused.json().await.expect("json");
    assert_eq!(refused["reason"], "suspended");
    assert!(
        refused["title"]
            .as_str()
            .expect("title")
            .contains("suspendue"),
        "{refused}"
    );
    deliver(&app).await;
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    let recipient = &standing["sent"][0]["recipients"][0];
    assert_eq!(recipient["status"], "rejected");
    assert!(
        recipient["detail"]
            .as_str()
            .expect("detail")
            .starts_with("InvalidAddressee: MEF is suspended"),
        "{recipient}"
    );
    app.db
        .owner_scalar("WITH s AS (UPDATE tenants SET status = 'active' WHERE code = 'MEF' RETURNING 1) SELECT count(*) FROM s")
        .await;
    // The directory finds administrations by name in French or Arabic.
    let directory = app
        .get_json(&mines, "/api/v1/exchange/directory?q=finances")
        .await;
    assert_eq!(directory[0]["code"], "MEF");
    let directory = app
        .get_json(&mines, "/api/v1/exchange/directory?q=المالية")
        .await;
    assert_eq!(directory[0]["code"], "MEF");
}

/// The text of the exchange panel of the item page open in `browser`. Right
/// after a click the old page may still be there, its panel gone stale as the new
/// one loads: read again until the panel answers.
async fn panel_text(browser: &fantoccini::Client) -> String {
    let mut last_error = None;
    for _ in 0..50 {
        match browser.find(fantoccini::Locator::Id("echange")).await {
            Ok(panel) => match panel.text().await {
                Ok(text) => return text,
                Err(error) => last_error = Some(error),
            },
            Err(error) => last_error = Some(error),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the exchange panel: {last_error:?}")
}

/// The exchange panel's text once it shows `expected`, or as it stands after five
/// seconds: a click on a form's button returns before the next page is loaded.
async fn panel_text_showing(browser: &fantoccini::Client, expected: &str) -> String {
    let mut text = String::new();
    for _ in 0..50 {
        text = panel_text(browser).await;
        if text.contains(expected) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretariat_sends_from_the_item_page_and_follows_the_receipts_in_chromium() {
    use fantoccini::Locator;
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let mines = client(&app, "MMG", "secretariat").await;
    let item = outgoing_letter(&app, &mines, "Rapport annuel du secteur minier").await;
    let item_id = item["id"].as_str().expect("id");

    let browser = ordo_tests::browser::open("fr").await;
    browser.goto(&app.url("/connexion")).await.expect("open");
    ordo_tests::browser::sign_in(&browser, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD).await;
    browser
        .goto(&app.url(&format!("/courriers/{item_id}")))
        .await
        .expect("item page");
    // Sent with nothing ticked: the page says which field, in French.
    browser
        .find(Locator::Css("#echange form button[type=submit]"))
        .await
        .expect("send button")
        .click()
        .await
        .expect("click");
    // Waited for: the click starts a navigation, and the old page may still answer.
    let refused = browser
        .wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(Locator::Css(".alert, .refusal, [role=alert]"))
        .await
        .expect("a refusal")
        .text()
        .await
        .expect("text");
    assert!(refused.contains("Destinataires"), "{refused}");
    browser
        .find(Locator::Css("#echange input[name=destinataire][value=MEF]"))
        .await
        .expect("the finance ministry in the directory")
        .click()
        .await
        .expect("tick");
    browser
        .find(Locator::Css("#echange form button[type=submit]"))
        .await
        .expect("send button")
        .click()
        .await
        .expect("click");
    let text = panel_text_showing(&browser, "En cours d'envoi").await;
    assert!(
        text.contains("Ministère de l'Économie et des Finances"),
        "{text}"
    );
    assert!(text.contains("En cours d'envoi"), "{text}");

    deliver(&app).await;
    browser.refresh().await.expect("reload");
    assert!(
        panel_text(&browser)
            .await
            .contains("Reçu, en attente d'enregistrement")
    );

    // The finance ministry registers it; the page shows its number.
    let arrived = app
        .db
        .owner_text("SELECT item_id::text FROM exchange_arrivals")
        .await;
    let finances = client(&app, "MEF", "secretariat").await;
    let registered: Value = finances
        .post(app.url(&format!("/api/v1/items/{arrived}/registration")))
        .json(&json!({ "subject": "Rapport annuel du secteur minier", "sender": "Ministère des Mines" }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    deliver(&app).await;
    browser.refresh().await.expect("reload");
    let text = panel_text(&browser).await;
    assert!(text.contains("Enregistré"), "{text}");
    assert!(
        text.contains(registered["number"].as_str().expect("number")),
        "{text}"
    );
    assert!(text.contains("Accusé d'enregistrement"), "{text}");
    // Each receipt downloads as signed.
    let links = browser
        .find_all(Locator::Css("#echange ul.receipts a"))
        .await
        .expect("receipt links");
    assert_eq!(links.len(), 4, "JSON and signature of two receipts");
    let href = links[0].attr("href").await.expect("href").expect("a link");
    let cookies = browser.get_all_cookies().await.expect("cookies");
    let session = cookies
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    let receipt = reqwest::Client::new()
        .get(app.url(&href))
        .header("cookie", session)
        .send()
        .await
        .expect("GET");
    assert_eq!(receipt.status(), 200);
    let receipt = Receipt::parse(&receipt.bytes().await.expect("bytes")).expect("receipt");
    assert_eq!(receipt.kind, ReceiptKind::Accepted);

    // At the finance ministry, in Arabic, the item says where it came from.
    let arabic = ordo_tests::browser::open("ar").await;
    arabic.goto(&app.url("/connexion")).await.expect("open");
    ordo_tests::browser::sign_in(&arabic, "MEF", "secretariat", ordo::demo::DEMO_PASSWORD).await;
    arabic
        .goto(&app.url(&format!("/courriers/{arrived}")))
        .await
        .expect("item page");
    let text = panel_text(&arabic).await;
    assert!(text.contains("ورد إلكترونيًا"), "{text}");
    assert!(
        text.contains(item["number"].as_str().expect("number")),
        "{text}"
    );
}

/// A new ECDSA P-256 key and a self-signed certificate for it, by openssl, as an
/// administration's own PKI would hand them over.
fn own_seal(dir: &Path, name: &str) -> (String, String) {
    let key = dir.join(format!("{name}.key"));
    let certificate = dir.join(format!("{name}.pem"));
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "30",
        ])
        .args(["-subj", &format!("/CN={name}")])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&certificate)
        .output()
        .expect("openssl");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    (
        std::fs::read_to_string(certificate).expect("certificate"),
        std::fs::read_to_string(key).expect("key"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administration_replaces_its_seal_by_its_own() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let dir = tempfile::tempdir().expect("dir");
    let (certificate, key) = own_seal(dir.path(), "MEF");
    let (_, other_key) = own_seal(dir.path(), "OTHER");
    // A key that is not the certificate's is refused, and nothing changes.
    let mismatched = ordo::exchange_cli::replace_seal(
        &app.state.db,
        app.state.clock.as_ref(),
        "MEF",
        &certificate,
        &other_key,
    )
    .await;
    assert!(mismatched.is_err());
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'seal.replaced'")
            .await,
        0
    );
    ordo::exchange_cli::replace_seal(
        &app.state.db,
        app.state.clock.as_ref(),
        "MEF",
        &certificate,
        &key,
    )
    .await
    .expect("replaced");
    assert_eq!(
        app.db
            .owner_text("SELECT certificate_pem FROM directory_entries WHERE code = 'MEF'")
            .await,
        certificate
    );
    // What MEF signs now is checked against its own certificate, here and by
    // openssl; the platform's authority no longer vouches for it.
    let mines = client(&app, "MMG", "secretariat").await;
    let item = outgoing_letter(&app, &mines, "Lettre au nouveau cachet").await;
    let item_id = item["id"].as_str().expect("id");
    let sent: Value = send(&app, &mines, item_id, json!([{ "organisation": "MEF" }]))
        .await
        .json()
        .await
        .expect("json");
    deliver(&app).await;
    let standing = app
        .get_json(&mines, &format!("/api/v1/items/{item_id}/exchange"))
        .await;
    assert_eq!(standing["sent"][0]["recipients"][0]["status"], "accepted");
    let path = format!(
        "/api/v1/exchange/envelopes/{}/receipts/{}",
        sent["envelope_id"].as_str().expect("envelope"),
        standing["sent"][0]["receipts"][0]["id"]
            .as_str()
            .expect("receipt")
    );
    let receipt = download(&app, &mines, &path).await;
    let signature = download(&app, &mines, &format!("{path}?part=p7s")).await;
    assert!(openssl_verifies(
        dir.path(),
        &receipt,
        &signature,
        &certificate
    ));
    let authority = app
        .db
        .owner_text("SELECT certificate_pem FROM platform_authority")
        .await;
    assert!(!openssl_verifies(
        dir.path(),
        &receipt,
        &signature,
        &authority
    ));
}
