//! An administration's e-mails and receipts in its own words and colours, against
//! the real SMTP server: templates refused when they would send a mail with a hole
//! in it, kept per administration and language, used for the next filing's e-mail
//! and given back to the catalog's text; the colour and the logo on the HTML part
//! of every e-mail and across the top of the acknowledgment PDF (read back as
//! pixels with `pdftoppm`); another administration keeps its own.

use ordo_tests::{Backend, Storage, TestApp, csrf_token, required_env};
use reqwest::{StatusCode, multipart::Form};

use crate::{
    outbox::{delivered, worker},
    portal::{Filer, LOGO_PNG, file_part, file_through_the_form, pdf_tool, signed_in, unfolded},
};

async fn save_template(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    subject: &str,
    body: &str,
) -> reqwest::Response {
    let page = app.get_text(client, path).await;
    client
        .post(app.url(path))
        .form(&[
            ("csrf", csrf_token(&page).as_str()),
            ("subject", subject),
            ("body", body),
        ])
        .send()
        .await
        .expect("POST template")
}

/// Files on MMG's portal; the filer's address and the deposit e-mail's subject
/// and body as queued.
async fn file_and_read_deposit(
    app: &TestApp,
    client: &reqwest::Client,
    tag: &str,
) -> (String, String) {
    let email = format!("{tag}-{}@example.org", uuid::Uuid::new_v4().simple());
    let filer = Filer {
        name: "Mariama Sylla",
        email: &email,
        subject: "Demande de bourse",
    };
    let (status, _) =
        file_through_the_form(app, client, &filer, &format!("cle-{tag}"), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let text = app
        .db
        .owner_text(&format!(
            "SELECT subject || '\n' || body FROM outbox_messages WHERE recipient = '{email}'"
        ))
        .await;
    (email, text)
}

const DEPOSIT_FR: &str = "/parametres/courriels/deposit/fr";

/// The administrator rewords the deposit receipt in French: bad texts are refused
/// with the reason at the field, the good one is kept, journalled, shown with
/// sample values and used for the next filing; English filers keep the catalog's
/// text; another administration neither sees nor changes it; back to the default.
async fn email_templates_reword_the_mails(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (admin, _) = signed_in(&app, "MMG", "admin", DEPOSIT_FR).await;
    let overview = app.get_text(&admin, "/parametres/courriels").await;
    for expected in ["Récépissé de dépôt en ligne", "Invitation d", "par défaut"] {
        assert!(overview.contains(expected), "{expected} in {overview}");
    }
    let editor = app.get_text(&admin, DEPOSIT_FR).await;
    assert!(
        editor.contains("{code}") && editor.contains("{confirm}"),
        "{editor}"
    );

    for (subject, body, expected) in [
        (
            "Dépôt n° {numero}",
            "{code} {confirm}",
            "un champ entre accolades est inconnu ou mal fermé",
        ),
        ("Dépôt", "Votre code : {code", "inconnu ou mal fermé"),
        (
            "Dépôt",
            "Merci. {confirm}",
            "le champ {code} doit y figurer",
        ),
        ("", "{code} {confirm}", "Objet du courriel"),
    ] {
        let refused = save_template(&app, &admin, DEPOSIT_FR, subject, body).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = refused.text().await.expect("page");
        assert!(page.contains(expected), "{expected} in {page}");
        assert!(
            page.contains("aria-invalid=\"true\""),
            "the field is marked"
        );
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM email_templates")
            .await,
        0,
        "nothing refused is kept"
    );

    let body = "Bonjour {name},\n\nNous avons bien reçu « {subject} » le {date}.\n{confirm}\nVotre code de suivi : {code} ({link})";
    let saved = save_template(
        &app,
        &admin,
        DEPOSIT_FR,
        "Dépôt reçu par {administration}",
        body,
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let editor = app
        .get_text(&admin, &format!("{DEPOSIT_FR}?fait=enregistre"))
        .await;
    assert!(editor.contains("Modèle enregistré"), "{editor}");
    assert!(
        editor.contains("Nous avons bien reçu « Demande de bourse »"),
        "the preview fills in sample values: {editor}"
    );
    assert!(
        app.get_text(&admin, "/parametres/courriels")
            .await
            .contains("personnalisé le")
    );
    assert_eq!(
        app.db
            .owner_scalar(
                "SELECT count(*) FROM audit_entries WHERE action = 'settings.email_template'"
            )
            .await,
        1
    );

    // Another administration: the catalog's text, and its own save stays its own.
    let (other, _) = signed_in(&app, "MEF", "admin", DEPOSIT_FR).await;
    let theirs = app.get_text(&other, DEPOSIT_FR).await;
    assert!(!theirs.contains("Nous avons bien reçu"), "{theirs}");
    let saved = save_template(
        &app,
        &other,
        DEPOSIT_FR,
        "MEF : dépôt",
        "Texte du MEF. {code} {confirm}",
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    for (code, needle) in [("MMG", "Nous avons bien reçu"), ("MEF", "Texte du MEF")] {
        assert_eq!(
            app.db
                .owner_scalar(&format!(
                    "SELECT count(*) FROM email_templates t JOIN tenants a ON a.id = t.tenant_id \
                     WHERE a.code = '{code}' AND t.body LIKE '%{needle}%'"
                ))
                .await,
            1,
            "{code}"
        );
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM email_templates")
            .await,
        2
    );

    // The next French filing gets MMG's words, filled in; an English one the catalog's.
    let filer = app.client();
    let (french_filer, french) = file_and_read_deposit(&app, &filer, "fr").await;
    assert!(
        french.starts_with("Dépôt reçu par Ministère des Mines et de la Géologie\n"),
        "{french}"
    );
    assert!(french.contains("Bonjour Mariama Sylla,"), "{french}");
    assert!(
        french.contains("Nous avons bien reçu « Demande de bourse »"),
        "{french}"
    );
    assert!(!french.contains('{'), "every placeholder filled: {french}");
    let english_filer = app.client();
    english_filer
        .get(app.url("/langue/en?retour=/depot/MMG"))
        .send()
        .await
        .expect("language");
    let (_, english) = file_and_read_deposit(&app, &english_filer, "en").await;
    assert!(english.starts_with("Deposit receipt: "), "{english}");

    // It reaches the filer through the SMTP server as written.
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    ordo::outbox::deliver_due(&worker(&app, &smtp))
        .await
        .expect("delivery");
    let mail = delivered(&french_filer)
        .into_iter()
        .next()
        .map(|m| unfolded(&m))
        .expect("the deposit e-mail was delivered");
    assert!(mail.contains("Nous avons bien re"), "{mail}");

    // Back to the catalog's text.
    let page = app.get_text(&admin, DEPOSIT_FR).await;
    let reset = admin
        .post(app.url(DEPOSIT_FR))
        .form(&[("csrf", csrf_token(&page).as_str()), ("reset", "1")])
        .send()
        .await
        .expect("POST reset");
    assert_eq!(reset.status(), StatusCode::SEE_OTHER);
    let (_, again) = file_and_read_deposit(&app, &filer, "fr2").await;
    assert!(again.starts_with("Récépissé de dépôt : "), "{again}");
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM email_templates")
            .await,
        1,
        "MEF's stays"
    );
}

on_both_databases!(email_templates_reword_the_mails);

/// The pixel at (x, y) of a PPM (P6) image.
fn pixel(ppm: &[u8], x: usize, y: usize) -> [u8; 3] {
    // Header: "P6", width, height, maximum, each followed by whitespace.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !ppm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[start..at]).into_owned());
    }
    let data = &ppm[at + 1..];
    assert_eq!(fields[0], "P6");
    let width: usize = fields[1].parse().expect("width");
    let offset = (y * width + x) * 3;
    [data[offset], data[offset + 1], data[offset + 2]]
}

/// The top band of an acknowledgment PDF, as the colour of one pixel.
async fn receipt_band(app: &TestApp, client: &reqwest::Client) -> [u8; 3] {
    let sample = client
        .get(app.url("/parametres/portail/apercu.pdf"))
        .send()
        .await
        .expect("GET sample");
    assert_eq!(sample.status(), StatusCode::OK);
    let directory = tempfile::tempdir().expect("dir");
    let pdf = directory.path().join("apercu.pdf");
    std::fs::write(&pdf, sample.bytes().await.expect("PDF")).expect("write");
    let out = directory.path().join("page");
    pdf_tool(
        "pdftoppm",
        &[
            "-r",
            "36",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            &pdf.display().to_string(),
            &out.display().to_string(),
        ],
    );
    let ppm = std::fs::read(directory.path().join("page.ppm")).expect("rendered page");
    // 36 dpi: the 14-point band is 7 pixels tall; the page is 298 wide.
    pixel(&ppm, 150, 3)
}

/// The administration's colour and logo dress its e-mails (an HTML part beside
/// the text, the logo inline) and its acknowledgment; another keeps the platform's.
async fn branding_dresses_receipts_and_emails(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let (admin, token) = signed_in(&app, "MMG", "admin", "/parametres/portail").await;
    let saved = admin
        .post(app.url("/parametres/portail"))
        .multipart(
            Form::new()
                .text("csrf", token)
                .text("wording", "")
                .text("signature", "")
                .text("brand_colour", "#006633")
                .part("logo", file_part("logo.png", LOGO_PNG, "image/png")),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);

    let band = receipt_band(&app, &admin).await;
    let near = |a: [u8; 3], b: [u8; 3]| a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3);
    assert!(near(band, [0x00, 0x66, 0x33]), "MMG's green: {band:?}");
    let (other, _) = signed_in(&app, "MEF", "admin", "/parametres/portail").await;
    let theirs = receipt_band(&app, &other).await;
    assert!(
        near(theirs, [0x0b, 0x4f, 0x8a]),
        "the platform's blue: {theirs:?}"
    );

    let email = format!("couleurs-{}@example.org", uuid::Uuid::new_v4().simple());
    let filer = Filer {
        name: "Mariama Sylla",
        email: &email,
        subject: "Demande de bourse",
    };
    let (status, _) =
        file_through_the_form(&app, &app.client(), &filer, "cle-couleurs", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let smtp = required_env("ORDO_TEST_SMTP_URL");
    ordo::outbox::deliver_due(&worker(&app, &smtp))
        .await
        .expect("delivery");
    let mail = delivered(&email)
        .into_iter()
        .next()
        .map(|m| unfolded(&m))
        .expect("the deposit e-mail");
    for expected in [
        "multipart/alternative",
        "Content-Type: text/plain",
        "Content-Type: text/html",
        "background:#006633",
        "src=\"cid:logo@ordo\"",
        "Content-ID: <logo@ordo>",
        "<html lang=\"fr\" dir=\"ltr\">",
    ] {
        assert!(mail.contains(expected), "{expected} in {mail}");
    }
}

on_both_databases!(branding_dresses_receipts_and_emails);
