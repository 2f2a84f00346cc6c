//! The public portal against the real services: a filing with two attachments, its
//! deposit e-mail read back from the SMTP server, its registration by the bureau
//! d'ordre, the acknowledgment e-mailed with its PDF (checked by `qpdf` and
//! `pdftotext`), the tracking and verification pages; bad input of every kind; a
//! rejected filing; the SMTP server down then back; other administrations kept out;
//! and the whole path in Chromium, in French and in Arabic, with and without
//! JavaScript, with axe-core finding no accessibility violation.

use std::{path::Path, process::Command, sync::Arc};

use base64::Engine as _;
use fantoccini::Locator;
use ordo_tests::{Backend, ManualClock, Storage, TestApp, browser, csrf_token, required_env};
use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::outbox::{delivered, worker};

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

/// The filing form's fields, as a person would type them.
pub(crate) struct Filer<'a> {
    pub(crate) name: &'a str,
    pub(crate) email: &'a str,
    pub(crate) subject: &'a str,
}

pub(crate) fn file_part(name: &str, content: &[u8], media_type: &str) -> Part {
    Part::bytes(content.to_vec())
        .file_name(name.to_owned())
        .mime_str(media_type)
        .expect("media type")
}

/// The form as a browser sends it: fields first, then the files.
pub(crate) fn filing_form(
    token: &str,
    key: &str,
    filer: &Filer<'_>,
    files: Vec<(&str, Part)>,
) -> Form {
    let mut form = Form::new()
        .text("csrf", token.to_owned())
        .text("cle", key.to_owned())
        .text("website", "")
        .text("filer_kind", "person")
        .text("name", filer.name.to_owned())
        .text("email", filer.email.to_owned())
        .text("phone", "+224 620 00 00 00")
        .text("address", "Conakry")
        .text("subject", filer.subject.to_owned())
        .text("message", "Veuillez trouver ma demande ci-jointe.");
    for (field, part) in files {
        form = form.part(field.to_owned(), part);
    }
    form
}

/// The tracking code on a deposit receipt page.
pub(crate) fn tracking_code(page: &str) -> String {
    let start = page.find("id=\"tracking-code\">").expect("a tracking code") + 19;
    page[start..start + 14].to_owned()
}

/// Text of a delivered message with quoted-printable folds undone.
pub(crate) fn unfolded(message: &str) -> String {
    message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The PDF attached to a delivered message.
pub(crate) fn attached_pdf(message: &str) -> Vec<u8> {
    let normalised = message.replace("\r\n", "\n");
    let at = normalised
        .find("Content-Type: application/pdf")
        .expect("a PDF attachment");
    let rest = &normalised[at..];
    let body_start = rest.find("\n\n").expect("attachment headers") + 2;
    let encoded: String = rest[body_start..]
        .lines()
        .take_while(|line| !line.starts_with("--") && !line.is_empty())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .expect("base64 attachment")
}

/// Runs a PDF tool; its standard output when it succeeded.
pub(crate) fn pdf_tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not run (is it installed?): {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) async fn file_through_the_form(
    app: &TestApp,
    client: &reqwest::Client,
    filer: &Filer<'_>,
    key: &str,
    files: Vec<(&str, Part)>,
) -> (StatusCode, String) {
    let page = app.get_text(client, "/depot/MMG").await;
    let token = csrf_token(&page);
    let answer = client
        .post(app.url("/depot/MMG"))
        .multipart(filing_form(&token, key, filer, files))
        .send()
        .await
        .expect("POST filing");
    let status = answer.status();
    (status, answer.text().await.expect("body"))
}

fn two_attachments() -> Vec<(&'static str, Part)> {
    vec![
        ("letter", file_part("demande.pdf", PDF, "application/pdf")),
        ("attachments", file_part("plan.png", PNG, "image/png")),
        (
            "attachments",
            file_part("annexe.pdf", PDF, "application/pdf"),
        ),
    ]
}

/// The secretariat registers the filing's draft through the API.
pub(crate) async fn register_filing(app: &TestApp, item: &str) -> Value {
    let secretariat = app.api_client("MMG", "secretariat").await;
    let answer = secretariat
        .post(app.url(&format!("/api/v1/items/{item}/registration")))
        .json(&json!({ "subject": "Demande de permis d'exploitation", "sender": "Aïcha Diallo", "letter_date": "2026-01-05" }))
        .send()
        .await
        .expect("register");
    assert_eq!(answer.status(), StatusCode::OK);
    answer.json().await.expect("item")
}

async fn filing_to_acknowledgment(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::S3).await;
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    let worker = worker(&app, &smtp);
    let client = app.client();
    let email = format!("citoyen-{}@example.org", uuid::Uuid::new_v4().simple());
    let filer = Filer {
        name: "Aïcha Diallo",
        email: &email,
        subject: "Demande de permis d'exploitation",
    };

    // Filed with the letter and two attachments: the receipt answers at once.
    let key = uuid::Uuid::new_v4().simple().to_string();
    let (status, receipt) =
        file_through_the_form(&app, &client, &filer, &key, two_attachments()).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    let code = tracking_code(&receipt);
    for name in ["demande.pdf", "plan.png", "annexe.pdf"] {
        assert!(receipt.contains(name), "the receipt lists {name}");
    }
    // A second tap on "send" with the same form: the same filing, nothing more.
    let (status, again) =
        file_through_the_form(&app, &client, &filer, &key, two_attachments()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tracking_code(&again), code);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings")
            .await,
        1
    );
    let item = app
        .db
        .owner_text("SELECT item_id FROM portal_filings")
        .await;
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM documents d JOIN portal_filings f ON d.item_id = f.item_id"
            )
            .await,
        3
    );

    // The deposit e-mail, read back from the real SMTP server.
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let deposits = delivered(&email);
    assert_eq!(deposits.len(), 1, "one deposit e-mail");
    assert!(
        unfolded(&deposits[0]).contains(&code),
        "the deposit e-mail gives the code"
    );

    // It waits in the bureau d'ordre's queue until registered.
    let tracked = track(&app, &client, &code, &email).await;
    assert!(tracked.contains("milestone-filed"));
    assert!(!tracked.contains("milestone-registered"));

    let registered = register_filing(&app, &item).await;
    let number = registered["number"].as_str().expect("number").to_owned();
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let messages = delivered(&email);
    assert_eq!(
        messages.len(),
        2,
        "the acknowledgment follows the deposit e-mail"
    );
    let acknowledgment = messages
        .iter()
        .find(|m| m.contains("application/pdf"))
        .expect("the acknowledgment with its PDF");
    let pdf = attached_pdf(acknowledgment);
    let directory = tempfile::tempdir().expect("dir");
    let path = directory.path().join("accuse.pdf");
    std::fs::write(&path, &pdf).expect("write PDF");
    let path = path.display().to_string();
    pdf_tool("qpdf", &["--check", &path]);
    let text = pdf_tool("pdftotext", &[&path, "-"]);
    assert!(text.contains(&number), "the PDF holds the number: {text}");
    let registered_at = chrono::DateTime::parse_from_rfc3339(
        registered["registered_at"].as_str().expect("registered_at"),
    )
    .expect("a date")
    .with_timezone(
        &app.current_user("MMG", "secretariat")
            .await
            .tenant
            .time_zone
            .tz(),
    );
    assert!(
        text.contains(&registered_at.format("%d/%m/%Y %H:%M").to_string()),
        "the PDF holds the date and time of registration: {text}"
    );
    assert!(
        String::from_utf8_lossy(&pdf).contains("pdfaid:part"),
        "PDF/A"
    );

    // Tracking shows the number; verification confirms the acknowledgment.
    let tracked = track(&app, &client, &code, &email.to_uppercase()).await;
    assert!(
        tracked.contains("milestone-registered") && tracked.contains(&html(&number)),
        "{tracked}"
    );
    let verification = app
        .db
        .owner_text("SELECT verification_code FROM acknowledgments")
        .await;
    let page = app
        .get_text(&client, &format!("/verifier/MMG/{verification}"))
        .await;
    assert!(
        page.contains(&html(&number)),
        "the verification page shows the number"
    );
    assert!(page.contains(&hex_sha256(PNG)), "and the fingerprints");
    let forged = client
        .get(app.url("/verifier/MMG/AAAA-BBBB-CCCC"))
        .send()
        .await
        .expect("GET");
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);

    // Wrong e-mail: nothing is revealed.
    let form = app.get_text(&client, "/depot/MMG/suivi").await;
    let wrong = client
        .post(app.url("/depot/MMG/suivi"))
        .form(&[
            ("csrf", csrf_token(&form).as_str()),
            ("code", code.as_str()),
            ("email", "autre@example.org"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    assert!(
        !wrong
            .text()
            .await
            .expect("body")
            .contains("Demande de permis")
    );

    // Another administration: neither its portal nor its people reach this filing.
    let elsewhere = client
        .get(app.url(&format!("/verifier/MEF/{verification}")))
        .send()
        .await
        .expect("GET");
    assert_eq!(elsewhere.status(), StatusCode::NOT_FOUND);
    let page = app.get_text(&client, "/depot/MEF/suivi").await;
    let other_portal = client
        .post(app.url("/depot/MEF/suivi"))
        .form(&[
            ("csrf", csrf_token(&page).as_str()),
            ("code", code.as_str()),
            ("email", email.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(other_portal.status(), StatusCode::NOT_FOUND);
    let (intruder, token) = signed_in(&app, "MEF", "secretariat", "/depot/MEF").await;
    for path in ["accuse", "rejeter-depot", "reponse-portail"] {
        let answer = intruder
            .post(app.url(&format!("/courriers/{item}/{path}")))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "x@example.org"),
                ("motif", "spam"),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let pdf = intruder
        .get(app.url(&format!("/courriers/{item}/accuse.pdf")))
        .send()
        .await
        .expect("GET");
    assert_eq!(pdf.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings WHERE rejected_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
            .await,
        0,
        "no e-mail was queued by the intruder"
    );
}

/// A signed-in client of `login`, and the CSRF token of `page`.
pub(crate) async fn signed_in(
    app: &TestApp,
    administration: &str,
    login: &str,
    page: &str,
) -> (reqwest::Client, String) {
    let client = app.signed_in(administration, login).await;
    let page = app.get_text(&client, page).await;
    let token = csrf_token(&page);
    (client, token)
}

/// Text as the pages write it (slashes escaped).
fn html(text: &str) -> String {
    text.replace('/', "&#x2f;")
}

fn hex_sha256(content: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(content))
}

/// The tracking page for a code and an e-mail.
async fn track(app: &TestApp, client: &reqwest::Client, code: &str, email: &str) -> String {
    let page = app
        .get_text(client, &format!("/depot/MMG/suivi?code={code}"))
        .await;
    let answer = client
        .post(app.url("/depot/MMG/suivi"))
        .form(&[
            ("csrf", csrf_token(&page).as_str()),
            ("code", code),
            ("email", email),
        ])
        .send()
        .await
        .expect("POST tracking");
    assert_eq!(answer.status(), StatusCode::OK);
    answer.text().await.expect("body")
}

/// Sets MMG's document size limit.
async fn set_size_limit(app: &TestApp, bytes: u64) {
    let current = app.current_user("MMG", "admin").await;
    let tx = app
        .state
        .db
        .tenant_write(current.tenant.id)
        .await
        .expect("tx");
    tx.set_document_limit(bytes).await.expect("limit");
    tx.commit().await.expect("commit");
}

/// A filing that must be refused, and the words the refusal must contain.
type BadFiling<'a> = (Filer<'a>, Vec<(&'a str, Part)>, &'a str);

/// Every kind of bad input gets its own clear answer, and nothing is filed.
async fn bad_filings_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    let good = Filer {
        name: "Mamadou Bah",
        email: "mamadou@example.org",
        subject: "Réclamation",
    };
    let key = || uuid::Uuid::new_v4().simple().to_string();
    // Refusals of files come after the limits are counted: another address here.
    let careless = Filer {
        email: "distrait@example.org",
        ..good
    };
    let cases: Vec<BadFiling<'_>> = vec![
        (
            Filer {
                name: "",
                email: "pas-une-adresse",
                subject: "",
            },
            vec![],
            "Nom : ce champ est obligatoire.",
        ),
        (
            Filer {
                email: "pas-une-adresse",
                ..good
            },
            vec![],
            "Courriel : valeur inconnue.",
        ),
        (
            Filer { ..careless },
            vec![(
                "letter",
                file_part("lettre.pdf", b"juste du texte", "application/pdf"),
            )],
            "seuls les PDF, JPEG, PNG et TIFF",
        ),
        (
            Filer { ..careless },
            vec![("letter", file_part("photo.pdf", PNG, "application/pdf"))],
            "ne correspond pas à son type",
        ),
        (
            Filer { ..careless },
            vec![("letter", file_part("vide.pdf", b"", "application/pdf"))],
            "le fichier est vide",
        ),
        (
            Filer { ..careless },
            (0..6)
                .map(|i| {
                    (
                        "attachments",
                        file_part(&format!("p{i}.pdf"), PDF, "application/pdf"),
                    )
                })
                .collect(),
            "au plus 5 fichiers",
        ),
    ];
    for (filer, files, expected) in cases {
        let (status, page) = file_through_the_form(&app, &client, &filer, &key(), files).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
        assert!(page.contains(expected), "{expected} in {page}");
        assert!(page.contains("role=\"alert\""), "the errors are announced");
    }
    // Over the administration's size limit (lowered here to 1 MiB).
    let mut big = PDF.to_vec();
    big.resize(1024 * 1024 + 10, b' ');
    set_size_limit(&app, 1024 * 1024).await;
    let (status, page) = file_through_the_form(
        &app,
        &client,
        &careless,
        &key(),
        vec![("letter", file_part("gros.pdf", &big, "application/pdf"))],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("le fichier dépasse 1 Mo"), "{page}");

    // The hidden field only robots fill.
    let page = app.get_text(&client, "/depot/MMG").await;
    let robot = client
        .post(app.url("/depot/MMG"))
        .multipart(
            filing_form(&csrf_token(&page), &key(), &good, vec![])
                .text("website", "http://spam.example"),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(robot.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        robot
            .text()
            .await
            .expect("body")
            .contains("envoi automatique")
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings")
            .await,
        0
    );

    // Script typed in a field is shown as text, never run.
    let script = Filer {
        subject: "<script>alert(1)</script> permis",
        ..good
    };
    let (status, receipt) = file_through_the_form(&app, &client, &script, &key(), vec![]).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a message alone is a filing: {receipt}"
    );
    assert!(receipt.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(!receipt.contains("<script>alert"));

    // One e-mail address files five times an hour at most.
    for round in 2..=5 {
        let (status, _) = file_through_the_form(&app, &client, &good, &key(), vec![]).await;
        assert_eq!(status, StatusCode::OK, "filing {round}");
    }
    let (status, page) = file_through_the_form(&app, &client, &good, &key(), vec![]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("Patientez quelques minutes"), "{page}");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings")
            .await,
        5
    );

    // Guessing tracking codes stops at the limit, revealing nothing before.
    let page = app.get_text(&client, "/depot/MMG/suivi").await;
    let token = csrf_token(&page);
    let mut statuses = Vec::new();
    for _ in 0..31 {
        let code = ordo_domain::portal::PublicCode::generate().display();
        let answer = client
            .post(app.url("/depot/MMG/suivi"))
            .form(&[
                ("csrf", token.as_str()),
                ("code", code.as_str()),
                ("email", "mamadou@example.org"),
            ])
            .send()
            .await
            .expect("POST");
        statuses.push(answer.status());
    }
    assert!(statuses[..30].iter().all(|s| *s == StatusCode::NOT_FOUND));
    assert_eq!(statuses[30], StatusCode::TOO_MANY_REQUESTS);

    // A suspended administration's portal is closed.
    let unknown = client.get(app.url("/depot/XYZ")).send().await.expect("GET");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

/// The bureau d'ordre rejects a filing that is not mail; the filer is told why and
/// the tracking page shows it; the item leaves the queue with the reason.
async fn rejected_filing(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    let filer = Filer {
        name: "Publicité SARL",
        email: "promo@example.org",
        subject: "Offre exceptionnelle",
    };
    let (status, receipt) =
        file_through_the_form(&app, &client, &filer, "rejected-filing-key-1", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let code = tracking_code(&receipt);
    let item = app
        .db
        .owner_text("SELECT item_id FROM portal_filings")
        .await;
    let (secretariat, token) =
        signed_in(&app, "MMG", "secretariat", &format!("/courriers/{item}")).await;
    let page = app
        .get_text(&secretariat, &format!("/courriers/{item}"))
        .await;
    assert!(page.contains("Déposé en ligne") && page.contains("promo@example.org"));
    let empty = secretariat
        .post(app.url(&format!("/courriers/{item}/rejeter-depot")))
        .form(&[("csrf", token.as_str()), ("motif", "")])
        .send()
        .await
        .expect("POST");
    assert_eq!(
        empty.status(),
        StatusCode::SEE_OTHER,
        "back to the item with the refusal"
    );
    let rejected = secretariat
        .post(app.url(&format!("/courriers/{item}/rejeter-depot")))
        .form(&[
            ("csrf", token.as_str()),
            ("motif", "Publicité sans rapport avec le ministère"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(rejected.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_text(
                "SELECT m.status FROM mail_items m JOIN portal_filings f ON m.id = f.item_id"
            )
            .await,
        "cancelled"
    );
    let queued = app
        .db
        .owner_scalar(
            "SELECT count(*) FROM outbox_messages WHERE recipient = 'promo@example.org' AND body LIKE '%Publicité sans rapport%'",
        )
        .await;
    assert_eq!(queued, 1, "the filer is told why");
    let tracked = track(&app, &client, &code, "promo@example.org").await;
    assert!(tracked.contains("milestone-rejected") && tracked.contains("Publicité sans rapport"));
    // Rejected once; a second time is a conflict.
    let again = secretariat
        .post(app.url(&format!("/courriers/{item}/rejeter-depot")))
        .form(&[("csrf", token.as_str()), ("motif", "encore")])
        .send()
        .await
        .expect("POST");
    assert_eq!(again.status(), StatusCode::CONFLICT);
}

on_both_databases!(
    filing_to_acknowledgment,
    bad_filings_are_refused,
    rejected_filing
);

/// A private SMTP server (aiosmtpd, as the harness's) that a test stops and starts.
struct PrivateSmtp {
    port: u16,
    maildir: tempfile::TempDir,
    process: Option<std::process::Child>,
}

impl PrivateSmtp {
    fn new() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let maildir = tempfile::tempdir().expect("maildir");
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.path().join(sub)).expect("maildir");
        }
        Self {
            port,
            maildir,
            process: None,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    async fn start(&mut self) {
        let python = required_env("ORDO_TEST_PYTHON");
        let child = Command::new(python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{}", self.port),
                "-c",
                "aiosmtpd.handlers.Mailbox",
                &self.maildir.path().display().to_string(),
            ])
            .spawn()
            .expect("aiosmtpd");
        self.process = Some(child);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("the private SMTP server did not start");
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.process.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.path().join("new"))
            .expect("maildir")
            .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
            .collect()
    }
}

impl Drop for PrivateSmtp {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The SMTP server is down while mail is filed and registered; once it is back,
/// every deposit e-mail and acknowledgment goes out, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_down_then_back_loses_and_duplicates_nothing() {
    let start = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 20, 9, 0, 0)
        .single()
        .expect("a date");
    let clock = ManualClock::at(start);
    let app = TestApp::spawn_with_clock(Backend::Postgres, Storage::Local, clock.clone()).await;
    let mut smtp = PrivateSmtp::new();
    let worker = worker(&app, &smtp.url());
    let client = app.client();
    let mut items = Vec::new();
    for n in 0..3 {
        let email = format!("panne{n}@example.org");
        let filer = Filer {
            name: "Fatoumata Camara",
            email: &email,
            subject: "Demande pendant la panne",
        };
        let (status, _) = file_through_the_form(
            &app,
            &client,
            &filer,
            &format!("smtp-down-key-{n:04}"),
            vec![("letter", file_part("lettre.pdf", PDF, "application/pdf"))],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        items.push(
            app.db
                .owner_text(&format!(
                    "SELECT item_id FROM portal_filings WHERE filer_email = '{email}'"
                ))
                .await,
        );
    }
    for item in &items {
        register_filing(&app, item).await;
    }
    // Down: every attempt fails and is kept for later.
    let report = ordo::outbox::deliver_due(&worker).await.expect("round");
    assert_eq!(report.sent, 0);
    assert_eq!(
        report.retried, 6,
        "three deposit e-mails and three acknowledgments wait"
    );
    // An hour later the server is back: everything goes, once.
    smtp.start().await;
    clock.set(start + chrono::Duration::hours(1));
    let mut sent = 0;
    for _ in 0..3 {
        sent += ordo::outbox::deliver_due(&worker)
            .await
            .expect("round")
            .sent;
    }
    assert_eq!(sent, 6);
    clock.set(start + chrono::Duration::hours(5));
    let report = ordo::outbox::deliver_due(&worker).await.expect("round");
    assert_eq!(report.sent, 0, "nothing is sent twice");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 6);
    for n in 0..3 {
        let to_filer = messages
            .iter()
            .filter(|m| m.contains(&format!("panne{n}@example.org")))
            .count();
        assert_eq!(to_filer, 2, "a deposit e-mail and an acknowledgment each");
    }
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("application/pdf"))
            .count(),
        3
    );
}

/// axe-core's whole rule set, run on the page the browser shows.
async fn accessibility_violations(browser: &fantoccini::Client) -> Vec<Value> {
    let axe = std::fs::read_to_string(Path::new(&required_env("ORDO_TEST_AXE")).join("axe.min.js"))
        .expect("axe-core (tests/harness/axe)");
    let script = format!(
        "{axe}\nconst done = arguments[arguments.length - 1];\naxe.run(document, {{ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }}).then(r => done(r.violations)).catch(e => done([{{ id: 'axe-error', help: String(e) }}]));"
    );
    let result = browser
        .execute_async(&script, vec![])
        .await
        .expect("axe ran");
    result.as_array().cloned().unwrap_or_default()
}

async fn fill(browser: &fantoccini::Client, id: &str, value: &str) {
    browser
        .find(Locator::Id(id))
        .await
        .unwrap_or_else(|_| panic!("field {id}"))
        .send_keys(value)
        .await
        .expect("type");
}

/// A person files from the browser, in `language`, with or without JavaScript;
/// the secretariat registers; the person follows it and checks the acknowledgment.
async fn file_in_browser(language: &str, javascript: bool, check_accessibility: bool) {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    let worker = worker(&app, &smtp);
    let browser = browser::open_with(language, javascript).await;
    browser
        .goto(&app.url("/depot/MMG"))
        .await
        .expect("open the portal");
    let (lang, dir) = browser::lang_and_dir(&browser).await;
    assert_eq!(lang, language);
    assert_eq!(dir, if language == "ar" { "rtl" } else { "ltr" });
    if check_accessibility {
        let violations = accessibility_violations(&browser).await;
        assert!(violations.is_empty(), "filing page: {violations:#?}");
    }
    let email = format!("navigateur-{}@example.org", uuid::Uuid::new_v4().simple());
    let name = if language == "ar" {
        "عائشة ديالو"
    } else {
        "Aïcha Diallo"
    };
    fill(&browser, "name", name).await;
    fill(&browser, "email", &email).await;
    fill(&browser, "subject", "Demande de permis").await;
    let files = tempfile::tempdir().expect("dir");
    let letter = files.path().join("lettre.pdf");
    let plan = files.path().join("plan.png");
    let annex = files.path().join("annexe.pdf");
    std::fs::write(&letter, PDF).expect("letter");
    std::fs::write(&plan, PNG).expect("plan");
    std::fs::write(&annex, PDF).expect("annex");
    fill(&browser, "letter", &letter.display().to_string()).await;
    fill(
        &browser,
        "attachments",
        &format!("{}\n{}", plan.display(), annex.display()),
    )
    .await;
    browser
        .find(Locator::Css("#filing button[type=submit]"))
        .await
        .expect("send button")
        .click()
        .await
        .expect("send");
    let code = wait_for_element_text(&browser, "tracking-code").await;
    assert_eq!(code.len(), 14, "a tracking code: {code}");
    if check_accessibility {
        let violations = accessibility_violations(&browser).await;
        assert!(violations.is_empty(), "receipt page: {violations:#?}");
    }
    let item = app
        .db
        .owner_text("SELECT item_id FROM portal_filings")
        .await;
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM documents d JOIN portal_filings f ON d.item_id = f.item_id"
            )
            .await,
        3
    );
    let registered = register_filing(&app, &item).await;
    let number = registered["number"].as_str().expect("number").to_owned();
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let messages = delivered(&email);
    assert_eq!(messages.len(), 2, "deposit and acknowledgment e-mails");
    let acknowledgment = messages
        .iter()
        .find(|m| m.contains("application/pdf"))
        .expect("acknowledgment");
    let pdf = attached_pdf(acknowledgment);
    let directory = tempfile::tempdir().expect("dir");
    let path = directory.path().join("accuse.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let text = pdf_tool("pdftotext", &[&path.display().to_string(), "-"]);
    assert!(text.contains(&number), "{text}");
    if language == "ar" {
        // (pdftotext gives the lam-alef ligature back in pieces: a word without one.)
        assert!(
            text.contains("إشعار"),
            "the acknowledgment is in Arabic: {text}"
        );
    }

    // The tracking page, reached from the code, shows "registered" with the number.
    browser
        .goto(&app.url(&format!("/depot/MMG/suivi?code={code}")))
        .await
        .expect("tracking");
    fill(&browser, "email", &email).await;
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .expect("button")
        .click()
        .await
        .expect("submit");
    let registered_text = wait_for_element_text_css(&browser, ".milestone-registered").await;
    assert!(registered_text.contains(&number), "{registered_text}");
    if check_accessibility {
        let violations = accessibility_violations(&browser).await;
        assert!(violations.is_empty(), "tracking page: {violations:#?}");
    }
    let verification = app
        .db
        .owner_text("SELECT verification_code FROM acknowledgments")
        .await;
    browser
        .goto(&app.url(&format!("/verifier/MMG/{verification}")))
        .await
        .expect("verification");
    let verified = wait_for_element_text(&browser, "verified-number").await;
    assert_eq!(verified, number);
    browser.close().await.expect("close");
}

async fn wait_for_element_text(browser: &fantoccini::Client, id: &str) -> String {
    wait_for_element_text_css(browser, &format!("#{id}")).await
}

async fn wait_for_element_text_css(browser: &fantoccini::Client, css: &str) -> String {
    for _ in 0..300 {
        if let Ok(element) = browser.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
            && !text.is_empty()
        {
            return text;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = browser.source().await.unwrap_or_default();
    panic!("{css} never appeared; the page reads: {page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_in_chromium_in_french_with_accessibility_checked() {
    file_in_browser("fr", true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_in_chromium_in_arabic_with_accessibility_checked() {
    file_in_browser("ar", true, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_in_chromium_without_javascript() {
    file_in_browser("fr", false, false).await;
}

/// The filing page and what it loads stay light for a phone on a weak connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filing_page_is_light() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let client = app.client();
    let page = app.get_text(&client, "/depot/MMG").await;
    let mut total = page.len();
    for asset in ["/static/ordo.css", "/static/ordo.js"] {
        total += app.get_text(&client, asset).await.len();
    }
    assert!(total < 50 * 1024, "the filing page weighs {total} bytes");
}

/// Mail registered at the counter: its acknowledgment prints on the spot and is
/// e-mailed, in the sender's language, when they give an address.
async fn counter_mail_acknowledged(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    let worker = worker(&app, &smtp);
    let api = app.api_client("MMG", "secretariat").await;
    let (item, number) = crate::dispatch::register(&app, &api, "Dépôt au guichet", "normal").await;
    let (secretariat, token) =
        signed_in(&app, "MMG", "secretariat", &format!("/courriers/{item}")).await;
    let page = app
        .get_text(&secretariat, &format!("/courriers/{item}"))
        .await;
    assert!(
        page.contains("Imprimer l&#x27;accusé de réception"),
        "{page}"
    );
    let printed = secretariat
        .get(app.url(&format!("/courriers/{item}/accuse.pdf")))
        .send()
        .await
        .expect("GET");
    assert_eq!(printed.status(), StatusCode::OK);
    assert_eq!(
        printed.headers()["content-type"].to_str().expect("type"),
        "application/pdf"
    );
    let pdf = printed.bytes().await.expect("PDF");
    let directory = tempfile::tempdir().expect("dir");
    let path = directory.path().join("guichet.pdf").display().to_string();
    std::fs::write(&path, &pdf).expect("write");
    pdf_tool("qpdf", &["--check", &path]);
    assert!(pdf_tool("pdftotext", &[&path, "-"]).contains(&number));

    let refused = secretariat
        .post(app.url(&format!("/courriers/{item}/accuse")))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "pas une adresse"),
            ("langue", "ar"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    assert!(
        refused.headers()["location"]
            .to_str()
            .expect("location")
            .contains("refus=email"),
        "back to the item, the address refused"
    );
    let address = format!("guichet-{}@example.org", uuid::Uuid::new_v4().simple());
    let sent = secretariat
        .post(app.url(&format!("/courriers/{item}/accuse")))
        .form(&[
            ("csrf", token.as_str()),
            ("email", address.as_str()),
            ("langue", "ar"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let messages = delivered(&address);
    assert_eq!(messages.len(), 1);
    let pdf = attached_pdf(&messages[0]);
    std::fs::write(&path, &pdf).expect("write");
    let text = pdf_tool("pdftotext", &[&path, "-"]);
    assert!(text.contains(&number) && text.contains("إشعار"), "{text}");
    // One acknowledgment per item, however often it is printed or sent.
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM acknowledgments")
            .await,
        1
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM audit_entries WHERE action IN ('item.acknowledged', 'item.acknowledgment_printed')"
            )
            .await,
        2
    );

    // A sender whose address the directory knows gets it at once, by e-mail.
    let known = format!("annuaire-{}@example.org", uuid::Uuid::new_v4().simple());
    let (status, entry) = crate::dispatch::post(
        &api,
        app.url("/api/v1/correspondents"),
        json!({ "name": "Coopérative des orpailleurs", "kind": "organisation", "email": known, "address": "" }),
    )
    .await;
    assert_eq!(status, 201, "{entry}");
    let register = app.register("MMG", "ARR").await;
    let (status, item) = crate::dispatch::post(
        &api,
        app.url(&format!("/api/v1/registers/{}/items", register.id)),
        json!({ "subject": "Lettre remise au guichet", "sender_id": entry["id"], "channel": "counter" }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let at_once = delivered(&known);
    assert_eq!(at_once.len(), 1, "acknowledged at registration");
    std::fs::write(&path, attached_pdf(&at_once[0])).expect("write");
    let number = item["number"].as_str().expect("number");
    assert!(pdf_tool("pdftotext", &[&path, "-"]).contains(number));
}

/// The reply goes back through the portal: the filer sees "answered", downloads
/// the reply's document, and the journal records the download.
async fn reply_through_the_portal(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let client = app.client();
    let email = format!("reponse-{}@example.org", uuid::Uuid::new_v4().simple());
    let filer = Filer {
        name: "Ibrahima Sow",
        email: &email,
        subject: "Demande d'attestation",
    };
    let (status, receipt) =
        file_through_the_form(&app, &client, &filer, "reply-portal-key-0001", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let code = tracking_code(&receipt);
    let item = app
        .db
        .owner_text("SELECT item_id FROM portal_filings")
        .await;
    register_filing(&app, &item).await;

    let secretariat = app.api_client("MMG", "secretariat").await;
    let agent = app.api_client("MMG", "agent.mines").await;
    let agent_key = crate::dispatch::person_key(&app, "MMG", "agent.mines").await;
    let (status, dispatched) = crate::dispatch::post(
        &secretariat,
        app.url(&format!("/api/v1/items/{item}/dispatches")),
        json!({ "action": agent_key }),
    )
    .await;
    assert_eq!(status, 201, "{dispatched}");
    let tracked = track(&app, &client, &code, &email).await;
    assert!(tracked.contains("milestone-sent"), "{tracked}");
    assert!(
        !tracked.contains("Mamadou Diallo"),
        "no agent is named to the filer"
    );

    let (status, reply) = crate::dispatch::post(
        &agent,
        app.url(&format!("/api/v1/items/{item}/reply")),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    let reply = reply["id"].as_str().expect("id").to_owned();
    let uploaded = secretariat
        .post(app.url(&format!(
            "/api/v1/items/{reply}/documents?role=main&file_name=reponse.pdf"
        )))
        .header("content-type", "application/pdf")
        .body(PDF.to_vec())
        .send()
        .await
        .expect("upload");
    assert!(uploaded.status().is_success(), "{}", uploaded.status());
    let (status, registered) = crate::dispatch::post(
        &secretariat,
        app.url(&format!("/api/v1/items/{reply}/registration")),
        json!({ "subject": "Attestation délivrée", "sender": "Ministère des Mines", "recipient": "Ibrahima Sow" }),
    )
    .await;
    assert_eq!(status, 200, "{registered}");

    let (staff, token) = signed_in(&app, "MMG", "secretariat", &format!("/courriers/{item}")).await;
    let page = app.get_text(&staff, &format!("/courriers/{item}")).await;
    assert!(
        page.contains("/reponse-portail"),
        "the reply can be handed over"
    );
    let handed = staff
        .post(app.url(&format!("/courriers/{item}/reponse-portail")))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(handed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM outbox_messages WHERE recipient = '{email}' AND subject LIKE '%réponse%'"
            ))
            .await,
        1,
        "the filer is told"
    );

    let tracked = track(&app, &client, &code, &email).await;
    assert!(tracked.contains("milestone-answered"), "{tracked}");
    let document = app
        .db
        .owner_text("SELECT d.id FROM documents d JOIN item_links l ON d.item_id = l.from_item WHERE l.kind = 'replies_to'")
        .await;
    assert!(
        tracked.contains(&format!("/suivi/reponse/{document}")),
        "{tracked}"
    );
    let form = app.get_text(&client, "/depot/MMG/suivi").await;
    let download = |email: String| {
        client
            .post(app.url(&format!("/depot/MMG/suivi/reponse/{document}")))
            .form(&[
                ("csrf", csrf_token(&form)),
                ("code", code.clone()),
                ("email", email),
            ])
            .send()
    };
    let refused = download("intrus@example.org".to_owned())
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let answer = download(email.clone()).await.expect("POST");
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.bytes().await.expect("body").as_ref(), PDF);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'document.downloaded' AND actor LIKE 'filer:%'")
            .await,
        1
    );
}

on_both_databases!(counter_mail_acknowledged, reply_through_the_portal);

/// A clamd of the test's own, knowing one hand-made signature (ClamAV's own
/// signatures cannot be downloaded here).
struct PrivateClamd {
    port: u16,
    _directory: tempfile::TempDir,
    process: std::process::Child,
}

/// The bytes the hand-made signature matches.
const TEST_VIRUS_MARKER: &str = "ORDO-TEST-VIRUS-7f3a91c2";

impl PrivateClamd {
    async fn start() -> Self {
        let directory = tempfile::tempdir().expect("dir");
        let database = directory.path().join("db");
        std::fs::create_dir_all(&database).expect("db dir");
        std::fs::write(
            database.join("ordo-test.ndb"),
            format!(
                "Ordo.Test.Signature:0:*:{}\n",
                hex::encode(TEST_VIRUS_MARKER)
            ),
        )
        .expect("signature");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let config = directory.path().join("clamd.conf");
        std::fs::write(
            &config,
            format!(
                "DatabaseDirectory {}\nTCPSocket {port}\nTCPAddr 127.0.0.1\nForeground yes\nLogFile {}\n",
                database.display(),
                directory.path().join("clamd.log").display()
            ),
        )
        .expect("config");
        let process = Command::new(required_env("ORDO_TEST_CLAMD"))
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("clamd");
        // Stopped by `Drop` whatever happens next, even if it never comes up.
        let clamd = Self {
            port,
            _directory: directory,
            process,
        };
        for _ in 0..300 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return clamd;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("clamd did not start");
    }

    fn stop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

impl Drop for PrivateClamd {
    fn drop(&mut self) {
        self.stop();
    }
}

/// With clamd configured, a clean letter is filed, an infected one is refused with
/// a clear message, and while clamd is down nothing is accepted unscanned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn antivirus_screens_filed_files() {
    let mut clamd = PrivateClamd::start().await;
    let address = format!("127.0.0.1:{}", clamd.port);
    let app = TestApp::spawn_configured(
        Backend::Sqlite,
        Storage::Local,
        Arc::new(ordo_domain::SystemClock),
        |state| state.with_antivirus(&address),
    )
    .await;
    let client = app.client();
    let filer = Filer {
        name: "Kadiatou Barry",
        email: "kadiatou@example.org",
        subject: "Lettre scannée",
    };
    let clean = vec![("letter", file_part("lettre.pdf", PDF, "application/pdf"))];
    let (status, page) =
        file_through_the_form(&app, &client, &filer, "antivirus-key-clean-1", clean).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let mut infected = PDF.to_vec();
    infected.extend_from_slice(TEST_VIRUS_MARKER.as_bytes());
    let (status, page) = file_through_the_form(
        &app,
        &client,
        &filer,
        "antivirus-key-infected",
        vec![(
            "letter",
            file_part("piege.pdf", &infected, "application/pdf"),
        )],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("contenu malveillant"), "{page}");
    clamd.stop();
    let (status, _) = file_through_the_form(
        &app,
        &client,
        &filer,
        "antivirus-key-clamd-down",
        vec![("letter", file_part("lettre.pdf", PDF, "application/pdf"))],
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings")
            .await,
        1
    );
}

/// A unit with its own incoming register accepts mail directly on its own filing
/// page; a unit without one has none.
async fn filing_to_a_unit_directly(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let current = app.current_user("MMG", "admin").await;
    let unit = app.unit("MMG", "DNM").await;
    let tx = app
        .state
        .db
        .tenant_write(current.tenant.id)
        .await
        .expect("tx");
    let register = tx
        .registers()
        .insert(
            ordo_db::NewRegister {
                unit_id: unit.id,
                code: "DNM-ARR".to_owned(),
                direction: ordo_domain::MailDirection::Incoming,
                name: ordo_domain::LocalizedName::parse("Arrivée des mines", "", "").expect("name"),
                number_format: ordo_domain::NumberFormat::parse("DNM/ARR/{year}/{seq:5}")
                    .expect("format"),
            },
            app.state.clock.now(),
        )
        .await
        .expect("register");
    tx.commit().await.expect("commit");

    let client = app.client();
    let page = app.get_text(&client, "/depot/MMG?unite=dnm").await;
    assert!(page.contains("action=\"/depot/MMG?unite=DNM\""), "{page}");
    let filer = Filer {
        name: "Alpha Condé",
        email: "alpha@example.org",
        subject: "Demande adressée à la direction des mines",
    };
    let answer = client
        .post(app.url("/depot/MMG?unite=DNM"))
        .multipart(filing_form(
            &csrf_token(&page),
            "unit-filing-key-0001",
            &filer,
            vec![],
        ))
        .send()
        .await
        .expect("POST");
    assert_eq!(answer.status(), StatusCode::OK);
    let filed_in = app
        .db
        .owner_text(
            "SELECT m.register_id FROM mail_items m JOIN portal_filings f ON m.id = f.item_id",
        )
        .await;
    assert_eq!(filed_in, register.id.to_string());
    for missing in ["/depot/MMG?unite=DNG", "/depot/MMG?unite=NOPE"] {
        let answer = client.get(app.url(missing)).send().await.expect("GET");
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

on_both_databases!(filing_to_a_unit_directly);

/// A valid 1×1 PNG, for a logo.
pub(crate) const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0xf8,
    0x0f, 0x00, 0x01, 0x04, 0x01, 0x00, 0x5f, 0xe5, 0xc3, 0x4b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

async fn save_portal_settings(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    wording: &str,
    logo: Part,
) -> reqwest::Response {
    client
        .post(app.url("/parametres/portail"))
        .multipart(
            Form::new()
                .text("csrf", token.to_owned())
                .text("confirm_email", "1")
                .text("wording", wording.to_owned())
                .text("signature", "Le secrétaire général\nOusmane Keïta")
                .part("logo", logo),
        )
        .send()
        .await
        .expect("POST settings")
}

/// The administration asks filers to confirm their address and sets its
/// acknowledgment's wording, signature and logo: a filing waits outside the queue
/// until confirmed, and the acknowledgment carries the administration's words.
async fn confirmation_and_acknowledgment_template(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    let worker = worker(&app, &smtp);
    let (admin, token) = signed_in(&app, "MMG", "admin", "/parametres/portail").await;
    let wording =
        "Le ministère accuse réception de votre courrier et le traitera sous trente jours.";
    let bad = save_portal_settings(
        &app,
        &admin,
        &token,
        wording,
        file_part("logo.png", b"pas une image", "image/png"),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.expect("body").contains("seuls les PDF"));
    let saved = save_portal_settings(
        &app,
        &admin,
        &token,
        wording,
        file_part("logo.png", LOGO_PNG, "image/png"),
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // Another administration's administrator neither sees nor changes these.
    let (other, other_token) = signed_in(&app, "MEF", "admin", "/parametres/portail").await;
    let page = app.get_text(&other, "/parametres/portail").await;
    assert!(!page.contains("trente jours"));
    let theirs = save_portal_settings(
        &app,
        &other,
        &other_token,
        "Texte du MEF",
        file_part("logo.png", LOGO_PNG, "image/png"),
    )
    .await;
    assert_eq!(theirs.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM portal_settings WHERE ack_wording LIKE '%trente jours%'"
            )
            .await,
        1
    );
    let sample = admin
        .get(app.url("/parametres/portail/apercu.pdf"))
        .send()
        .await
        .expect("GET sample");
    assert_eq!(sample.status(), StatusCode::OK);
    let directory = tempfile::tempdir().expect("dir");
    let path = directory.path().join("apercu.pdf").display().to_string();
    std::fs::write(&path, sample.bytes().await.expect("PDF")).expect("write");
    pdf_tool("qpdf", &["--check", &path]);
    assert!(pdf_tool("pdftotext", &[&path, "-"]).contains("trente jours"));

    // A filing now waits for its filer's confirmation, outside the queue.
    let client = app.client();
    let email = format!("confirme-{}@example.org", uuid::Uuid::new_v4().simple());
    let filer = Filer {
        name: "Mariama Sylla",
        email: &email,
        subject: "Demande de bourse",
    };
    let (status, receipt) =
        file_through_the_form(&app, &client, &filer, "confirmation-key-0001", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(receipt.contains("Dernière étape"), "{receipt}");
    let item = app
        .db
        .owner_text("SELECT item_id FROM portal_filings")
        .await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let refused = secretariat
        .post(app.url(&format!("/api/v1/items/{item}/registration")))
        .json(&json!({ "subject": "Demande de bourse", "sender": "Mariama Sylla" }))
        .send()
        .await
        .expect("register");
    assert_eq!(refused.status(), StatusCode::CONFLICT, "not confirmed yet");
    let (_, inbox) =
        crate::dispatch::get(&secretariat, app.url("/api/v1/inbox?box=to_register")).await;
    assert!(
        !inbox.to_string().contains(&item),
        "not in the queue: {inbox}"
    );

    let body = app
        .db
        .owner_text(&format!(
            "SELECT body FROM outbox_messages WHERE recipient = '{email}'"
        ))
        .await;
    let start = body.find("jeton=").expect("a confirmation link") + 6;
    let confirmation: String = body[start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let page = app
        .get_text(
            &client,
            &format!("/depot/MMG/confirmer?jeton={confirmation}"),
        )
        .await;
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM portal_filings WHERE confirmed_at IS NULL")
            .await,
        1,
        "opening the link changes nothing: mail scanners open links"
    );
    for (jeton, expected) in [
        ("faux", StatusCode::NOT_FOUND),
        (confirmation.as_str(), StatusCode::OK),
    ] {
        let answer = client
            .post(app.url("/depot/MMG/confirmer"))
            .form(&[("csrf", csrf_token(&page).as_str()), ("jeton", jeton)])
            .send()
            .await
            .expect("POST");
        assert_eq!(answer.status(), expected);
    }
    let (_, inbox) =
        crate::dispatch::get(&secretariat, app.url("/api/v1/inbox?box=to_register")).await;
    assert!(
        inbox.to_string().contains(&item),
        "confirmed, it is in the queue: {inbox}"
    );
    let registered = register_filing(&app, &item).await;
    let number = registered["number"].as_str().expect("number").to_owned();
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let acknowledgment = delivered(&email)
        .into_iter()
        .find(|m| m.contains("application/pdf"))
        .expect("the acknowledgment");
    let path = directory.path().join("accuse.pdf").display().to_string();
    std::fs::write(&path, attached_pdf(&acknowledgment)).expect("write");
    let text = pdf_tool("pdftotext", &[&path, "-"]);
    for expected in [number.as_str(), "trente jours", "Ousmane Keïta"] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
}

on_both_databases!(confirmation_and_acknowledgment_template);

/// The administration's colour and logo dress its portal: a colour too light for
/// white text is refused; the style sheet and the logo are served to anyone; staff
/// pages and another administration's portal keep their own look.
async fn branding_dresses_the_portal(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (admin, token) = signed_in(&app, "MMG", "admin", "/parametres/portail").await;
    let save = |colour: &'static str| {
        admin
            .post(app.url("/parametres/portail"))
            .multipart(
                Form::new()
                    .text("csrf", token.clone())
                    .text("wording", "")
                    .text("signature", "")
                    .text("brand_colour", colour)
                    .part("logo", file_part("logo.png", LOGO_PNG, "image/png")),
            )
            .send()
    };
    let light = save("#ffee00").await.expect("POST");
    assert_eq!(light.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        light
            .text()
            .await
            .expect("body")
            .contains("couleur trop claire")
    );
    let saved = save("#006633").await.expect("POST");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let citizen = app.client();
    let page = app.get_text(&citizen, "/depot/MMG").await;
    assert!(page.contains("href=\"/depot/MMG/marque.css\""), "{page}");
    assert!(page.contains("src=\"/depot/MMG/logo\""), "{page}");
    let css = app.get_text(&citizen, "/depot/MMG/marque.css").await;
    assert_eq!(css.trim(), ":root { --brand: #006633; }");
    let logo = citizen
        .get(app.url("/depot/MMG/logo"))
        .send()
        .await
        .expect("GET");
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.expect("logo").as_ref(), LOGO_PNG);
    // Another administration: its own (default) look, no logo.
    let theirs = app.get_text(&citizen, "/depot/MEF/marque.css").await;
    assert!(theirs.trim().is_empty());
    let missing = citizen
        .get(app.url("/depot/MEF/logo"))
        .send()
        .await
        .expect("GET");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

on_both_databases!(branding_dresses_the_portal);
