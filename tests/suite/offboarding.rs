//! The operator agency exports an administration whole, as a BagIt bag that the
//! Library of Congress's `bagit.py --validate` accepts, holding its tables and its
//! documents and nothing of any other administration, nor any secret.

use std::{path::Path, process::Command};

use ordo_tests::{Backend, Storage, TestApp, csrf_token, required_env};
use reqwest::StatusCode;

use crate::portal::{Filer, PDF, file_part, filing_form};

/// Runs `bagit.py --validate` on `bag`: whether it passed, and what it said.
fn bagit_validate(bag: &Path) -> (bool, String) {
    let output = Command::new(required_env("ORDO_TEST_PYTHON"))
        .arg(required_env("ORDO_TEST_BAGIT"))
        .arg("--validate")
        .arg(bag)
        .output()
        .expect("bagit.py runs");
    (
        output.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .count()
}

/// Everything under `folder`, as text where it is text.
fn all_text(folder: &Path) -> String {
    let mut text = String::new();
    for entry in walk(folder) {
        text.push_str(&String::from_utf8_lossy(
            &std::fs::read(&entry).expect("read"),
        ));
    }
    text
}

fn walk(folder: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

async fn export_is_a_valid_bag_of_one_administration(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::S3).await;
    // A filing with a file whose name no file system likes.
    let citizen = app.client();
    let portal = app.get_text(&citizen, "/depot/MMG").await;
    let filed = citizen
        .post(app.url("/depot/MMG"))
        .multipart(filing_form(
            &csrf_token(&portal),
            "cle-export-1",
            &Filer {
                name: "Aïssatou Barry",
                email: "aissatou@example.org",
                subject: "Réclamation d'été",
            },
            vec![(
                "letter",
                file_part("réclamation d'été/../x.pdf", PDF, "application/pdf"),
            )],
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(filed.status(), StatusCode::OK);
    // Something only the other administration has.
    let mef_subject = format!("Secret du MEF {}", uuid::Uuid::new_v4().simple());
    let mef = app.api_client("MEF", "secretariat").await;
    let register = app.register("MEF", "ARR").await;
    let answer = mef
        .post(app.url(&format!("/api/v1/registers/{}/items", register.id)))
        .json(&serde_json::json!({
            "subject": mef_subject,
            "sender": "Banque centrale",
            "letter_date": "2026-01-05",
        }))
        .send()
        .await
        .expect("POST");
    assert!(
        answer.status().is_success(),
        "{}",
        answer.text().await.unwrap_or_default()
    );

    let folder = tempfile::tempdir().expect("dir");
    let report = ordo_operator::export::Exporter {
        db: &app.state.db,
        store: app.state.store.as_ref(),
        clock: app.state.clock.as_ref(),
        actor: "cli",
        origin: "test",
    }
    .export("mmg", folder.path(), &ordo_operator::export::Quiet)
    .await
    .expect("export");
    let (valid, said) = bagit_validate(&report.bag);
    assert!(valid, "{said}");

    // Every item and document of MMG, and nothing of MEF's.
    let tables = report.bag.join("data/tables");
    let mmg_items = app
        .db
        .owner_scalar("SELECT count(*) FROM mail_items m JOIN tenants t ON t.id = m.tenant_id WHERE t.code = 'MMG'")
        .await;
    assert_eq!(lines(&tables.join("mail_items.jsonl")) as i64, mmg_items);
    let mmg_documents = app
        .db
        .owner_scalar("SELECT count(*) FROM documents d JOIN tenants t ON t.id = d.tenant_id WHERE t.code = 'MMG'")
        .await;
    assert!(mmg_documents > 0);
    assert_eq!(
        std::fs::read_dir(report.bag.join("data/documents"))
            .expect("documents")
            .count() as i64,
        mmg_documents
    );
    assert_eq!(report.documents as i64, mmg_documents);
    let everything = all_text(&report.bag);
    assert!(everything.contains("Réclamation d'été"));
    assert!(
        !everything.contains(&mef_subject),
        "another administration's mail"
    );
    assert!(!everything.contains("PRIVATE KEY"), "the seal's key stays");
    assert!(!everything.contains("$argon2"), "password hashes stay");
    assert!(
        everything.contains("BEGIN CERTIFICATE"),
        "the seal's certificate goes"
    );
    assert_eq!(
        lines(&report.bag.join("manifest-sha512.txt")) as u64,
        report.files
    );
    let about: serde_json::Value = serde_json::from_slice(
        &std::fs::read(report.bag.join("data/administration.json")).expect("read"),
    )
    .expect("json");
    assert_eq!(about["code"], "MMG");

    // Journalled by the operator and in the administration's own trail.
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action = 'tenant.exported' AND tenant_code = 'MMG' AND outcome = 'done'")
            .await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MMG' AND a.action = 'tenant.exported'")
            .await,
        1
    );

    // bagit.py is no rubber stamp: one byte changed in a document and it refuses.
    let document = walk(&report.bag.join("data/documents"))
        .into_iter()
        .next()
        .expect("a document");
    let mut bytes = std::fs::read(&document).expect("read");
    bytes[0] ^= 0xff;
    std::fs::write(&document, bytes).expect("write");
    let (valid, said) = bagit_validate(&report.bag);
    assert!(!valid, "{said}");

    // An unknown administration: a clear refusal, journalled, nothing written.
    let other = tempfile::tempdir().expect("dir");
    let refused = ordo_operator::export::Exporter {
        db: &app.state.db,
        store: app.state.store.as_ref(),
        clock: app.state.clock.as_ref(),
        actor: "cli",
        origin: "test",
    }
    .export("NOPE", other.path(), &ordo_operator::export::Quiet)
    .await;
    assert!(matches!(
        refused,
        Err(ordo_operator::export::ExportError::UnknownAdministration(_))
    ));
    assert_eq!(std::fs::read_dir(other.path()).expect("dir").count(), 0);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action = 'tenant.exported' AND outcome = 'refused'")
            .await,
        1
    );
}

on_both_databases!(export_is_a_valid_bag_of_one_administration);

/// Deletion takes a request (of a suspended administration), an export made after
/// it, and a confirmation as the owner role; it removes every row and every
/// document version of that administration, nothing of another, and leaves a
/// certificate in the operator's journal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletion_takes_a_request_an_export_and_a_confirmation() {
    let (app, inspector) = crate::onboarding::app_on_s3(Backend::Postgres).await;
    let operator = crate::onboarding::operator_client(&app).await;
    let (status, created) = crate::onboarding::create(
        &app,
        &operator,
        &crate::onboarding::request("MPECHE", "admin@peche.example.org"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = app
        .db
        .owner_text("SELECT id::text FROM tenants WHERE code = 'MPECHE'")
        .await;
    // A filing, so it has a document in its bucket.
    let citizen = app.client();
    let portal = app.get_text(&citizen, "/depot/MPECHE").await;
    let filed = citizen
        .post(app.url("/depot/MPECHE"))
        .multipart(filing_form(
            &csrf_token(&portal),
            "cle-peche-1",
            &Filer {
                name: "Mamadou Diallo",
                email: "mamadou@example.org",
                subject: "Licence de pêche",
            },
            vec![("letter", file_part("licence.pdf", PDF, "application/pdf"))],
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(filed.status(), StatusCode::OK);
    let mmg_rows_before = app
        .db
        .owner_scalar("SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MMG'")
        .await;
    let post = |path: &'static str| {
        let request = operator
            .post(app.url(&format!("/api/v1/operator/tenants/MPECHE/{path}")))
            .send();
        async move { request.await.expect("POST").status() }
    };
    // Not while it is active; then asked once suspended; while it waits, the
    // administration cannot be resumed and the console says what comes next.
    assert_eq!(post("deletion-request").await, StatusCode::CONFLICT);
    assert_eq!(post("suspend").await, StatusCode::OK);
    assert_eq!(post("deletion-request").await, StatusCode::CREATED);
    assert_eq!(post("resume").await, StatusCode::CONFLICT);
    let console = app.get_text(&operator, "/operateur").await;
    assert!(
        console.contains("ordo tenant delete MPECHE --confirm"),
        "{console}"
    );

    let owner = &app.db.owner;
    let confirm = || {
        ordo_operator::deletion::confirm_deletion(
            owner,
            app.state.store.as_ref(),
            app.state.clock.as_ref(),
            "cli",
            "MPECHE",
            "test",
        )
    };
    // No export since the request: refused, nothing removed.
    let early = confirm().await.expect("confirm");
    assert_eq!(
        early,
        Err(ordo_operator::deletion::DeletionRefusal::ExportFirst)
    );
    let bucket = inspector.bucket_name(ordo_domain::TenantId::new(id.parse().expect("uuid")));
    inspector
        .client()
        .head_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("the bucket is still there");

    let bags = tempfile::tempdir().expect("dir");
    let report = ordo_operator::export::Exporter {
        db: &app.state.db,
        store: app.state.store.as_ref(),
        clock: app.state.clock.as_ref(),
        actor: "cli",
        origin: "test",
    }
    .export("MPECHE", bags.path(), &ordo_operator::export::Quiet)
    .await
    .expect("export");
    assert_eq!(report.documents, 1);
    let certificate = confirm()
        .await
        .expect("confirm")
        .expect("the deletion is done");
    assert_eq!(certificate.code, "MPECHE");
    assert_eq!(certificate.objects_removed, 1);
    assert_eq!(
        certificate.export["tagmanifest_sha512"],
        report.tag_manifest_sha512.as_str()
    );
    assert_eq!(certificate.rows_removed.get("mail_items"), Some(&1));

    // No row of it anywhere, in any table that names a tenant; its bucket gone.
    let tables = app
        .db
        .owner_text("SELECT string_agg(table_name, ',') FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'tenant_id'")
        .await;
    for table in tables.split(',') {
        assert_eq!(
            app.db
                .owner_scalar(&format!(
                    "SELECT count(*) FROM {table} WHERE tenant_id = '{id}'"
                ))
                .await,
            0,
            "{table}"
        );
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM tenants WHERE code = 'MPECHE'")
            .await,
        0
    );
    assert!(
        inspector
            .client()
            .head_bucket()
            .bucket(&bucket)
            .send()
            .await
            .is_err(),
        "the bucket is gone"
    );
    // Another administration lost nothing.
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MMG'")
            .await,
        mmg_rows_before
    );
    // The certificate, in the operator's journal, with its fingerprint.
    let kept = app
        .db
        .owner_text("SELECT details FROM operator_journal WHERE action = 'tenant.deleted' AND outcome = 'done'")
        .await;
    assert!(kept.contains(&certificate.fingerprint), "{kept}");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM operator_journal WHERE action = 'tenant.deleted' AND outcome = 'refused'")
            .await,
        1
    );
}
