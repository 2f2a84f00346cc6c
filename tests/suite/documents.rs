//! Documents registered with a letter: stored with their fingerprint, judged by
//! their content, limited in size, shown only to those allowed, every view journalled.

use ordo_tests::{Backend, Storage, TestApp, csrf_token};
use sha2::{Digest, Sha256};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

struct Upload {
    field: &'static str,
    name: &'static str,
    mime: &'static str,
    bytes: Vec<u8>,
}

/// Posts the registration form with files, as a browser does.
async fn register_with(
    app: &TestApp,
    client: &reqwest::Client,
    files: Vec<Upload>,
) -> reqwest::Response {
    let register = app.register("MMG", "ARR").await;
    let page = app
        .get_text(client, &format!("/registres/{}/nouveau", register.id))
        .await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf_token(&page))
        .text("sender", "Société minière de Boké")
        .text("subject", "Demande de permis avec pièces")
        .text("nature", "request")
        .text("channel", "counter")
        .text("priority", "normal")
        .text("confidentiality", "normal");
    for file in files {
        let part = reqwest::multipart::Part::bytes(file.bytes)
            .file_name(file.name)
            .mime_str(file.mime)
            .expect("mime");
        form = form.part(file.field, part);
    }
    client
        .post(app.url(&format!("/registres/{}/nouveau", register.id)))
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

async fn documents_are_kept_with_their_fingerprint(backend: Backend, storage: Storage) {
    let app = TestApp::spawn(backend, storage).await;
    let client = app.signed_in("MMG", "secretariat").await;
    let scan: Vec<u8> = PDF
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b' ', 200_000))
        .collect();
    let response = register_with(
        &app,
        &client,
        vec![
            Upload {
                field: "document",
                name: "lettre reçue.pdf",
                mime: "application/pdf",
                bytes: scan.clone(),
            },
            Upload {
                field: "attachments",
                name: "plan.png",
                mime: "image/png",
                bytes: PNG.to_vec(),
            },
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let item_path = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let page = app.get_text(&client, &item_path).await;
    let expected = hex::encode(Sha256::digest(&scan));
    assert!(
        page.contains("lettre reçue.pdf") && page.contains("plan.png"),
        "{page}"
    );
    assert!(page.contains(&format!("SHA-256 {expected}")));
    assert!(
        page.contains("195\u{a0}ko"),
        "sizes as a French reader writes them"
    );
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM documents WHERE sha256 = '{expected}'"
            ))
            .await,
        1
    );

    let link = page
        .split("href=\"/documents/")
        .nth(1)
        .expect("a document link")
        .split('"')
        .next()
        .expect("id")
        .to_owned();
    let shown = client
        .get(app.url(&format!("/documents/{link}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(shown.status(), 200);
    assert_eq!(shown.headers()["content-type"], "application/pdf");
    assert!(
        shown.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("inline")
    );
    assert_eq!(
        shown.bytes().await.expect("body").as_ref(),
        scan.as_slice(),
        "the document reads back whole"
    );
    let downloaded = client
        .get(app.url(&format!("/documents/{link}?telecharger=1")))
        .send()
        .await
        .expect("GET");
    assert!(
        downloaded.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'document.viewed'")
            .await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'document.downloaded'")
            .await,
        1
    );

    // Another administration gets nothing, and its attempt is not recorded as a view.
    let mef = app.signed_in("MEF", "secretariat").await;
    assert_eq!(
        mef.get(app.url(&format!("/documents/{link}")))
            .send()
            .await
            .expect("GET")
            .status(),
        404
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'document.viewed'")
            .await,
        1
    );
    // An agent the item was not dispatched to cannot open its documents: to them
    // it does not exist.
    let agent = app.signed_in("MMG", "agent.mines").await;
    assert_eq!(
        agent
            .get(app.url(&format!("/documents/{link}")))
            .send()
            .await
            .expect("GET")
            .status(),
        404
    );
}

async fn documents_on_disk(backend: Backend) {
    documents_are_kept_with_their_fingerprint(backend, Storage::Local).await;
}

on_both_databases!(documents_on_disk);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_in_the_s3_store() {
    documents_are_kept_with_their_fingerprint(Backend::Postgres, Storage::S3).await;
}

/// A file that is not what it claims, empty, or too large is refused at its field,
/// in the person's language, and nothing is registered or numbered.
async fn bad_files_are_refused_and_nothing_is_registered(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.signed_in("MMG", "secretariat").await;
    let cases = [
        (
            Upload {
                field: "document",
                name: "lettre.pdf",
                mime: "application/pdf",
                bytes: b"not a pdf at all, just text".to_vec(),
            },
            "seuls les PDF, JPEG, PNG et TIFF",
        ),
        (
            Upload {
                field: "document",
                name: "scan.pdf",
                mime: "application/pdf",
                bytes: PNG.to_vec(),
            },
            "ne correspond pas",
        ),
        (
            Upload {
                field: "document",
                name: "vide.pdf",
                mime: "application/pdf",
                bytes: Vec::new(),
            },
            "le fichier est vide",
        ),
        (
            Upload {
                field: "document",
                name: "énorme.pdf",
                mime: "application/pdf",
                bytes: PDF
                    .iter()
                    .copied()
                    .chain(std::iter::repeat_n(b'0', 51 * 1024 * 1024))
                    .collect(),
            },
            "dépasse 50 Mo",
        ),
    ];
    for (upload, message) in cases {
        let name = upload.name;
        let response = register_with(&app, &client, vec![upload]).await;
        assert_eq!(response.status(), 422, "{name}");
        let page = response.text().await.expect("body");
        assert!(page.contains(message), "{name}: {page}");
        assert!(
            page.contains("id=\"document-error\""),
            "{name}: the message stands at its field"
        );
    }
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        0
    );
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM documents").await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM register_counters")
            .await,
        0,
        "no number consumed"
    );
}

on_both_databases!(bad_files_are_refused_and_nothing_is_registered);
