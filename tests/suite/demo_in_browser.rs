use fantoccini::Locator;
use ordo_tests::browser;

/// The embedded default starts from an empty data directory, and a person signs in
/// with Chromium, in French and in Arabic; a restart keeps the data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_starts_empty_and_a_person_signs_in_in_french_and_arabic() {
    let data = tempfile::tempdir().expect("dir");
    let (state, seeded) = ordo::demo::prepare(data.path()).await.expect("demo starts");
    assert!(seeded, "an empty data directory is seeded");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, ordo::app::router(state)).await;
    });

    // French: the default language.
    let french = browser::open("fr").await;
    french.goto(&base).await.expect("open the demo");
    assert!(
        french
            .current_url()
            .await
            .expect("url")
            .path()
            .ends_with("/connexion")
    );
    assert_eq!(
        browser::lang_and_dir(&french).await,
        ("fr".to_owned(), "ltr".to_owned())
    );
    browser::sign_in(&french, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD).await;
    assert_eq!(browser::heading(&french).await, "Bienvenue, Ibrahima Sow.");
    // Switching to Arabic from the page keeps the person signed in.
    french
        .find(Locator::Css("a[hreflang=ar]"))
        .await
        .expect("Arabic link")
        .click()
        .await
        .expect("click");
    assert_eq!(
        browser::lang_and_dir(&french).await,
        ("ar".to_owned(), "rtl".to_owned())
    );
    assert_eq!(browser::heading(&french).await, "مرحبا، Ibrahima Sow.");
    french.close().await.expect("close");

    // Arabic: a browser that asks for Arabic gets the sign-in page right to left.
    let arabic = browser::open("ar").await;
    arabic
        .goto(&format!("{base}/connexion"))
        .await
        .expect("open");
    assert_eq!(
        browser::lang_and_dir(&arabic).await,
        ("ar".to_owned(), "rtl".to_owned())
    );
    assert_eq!(browser::heading(&arabic).await, "تسجيل الدخول");
    browser::sign_in(&arabic, "MEF", "agent", ordo::demo::DEMO_PASSWORD).await;
    assert_eq!(browser::heading(&arabic).await, "مرحبا، Kadiatou Soumah.");
    let page = arabic.source().await.expect("source");
    assert!(page.contains("وزارة الاقتصاد والمالية"));
    arabic.close().await.expect("close");
    server.abort();

    // A restart keeps the data and does not seed again.
    let (_, seeded_again) = ordo::demo::prepare(data.path())
        .await
        .expect("demo restarts");
    assert!(!seeded_again);
}

/// The secretariat's path, as a person does it: from the header to the registration
/// form, keyboard only, then the number, then the item in the year's register.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretariat_agent_registers_a_letter_in_the_browser() {
    let app =
        ordo_tests::TestApp::spawn(ordo_tests::Backend::Postgres, ordo_tests::Storage::Local).await;
    let browser = browser::open("fr").await;
    browser.goto(&app.url("/connexion")).await.expect("open");
    browser::sign_in(&browser, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD).await;
    browser
        .find(Locator::LinkText("Registres"))
        .await
        .expect("header link")
        .click()
        .await
        .expect("click");
    browser
        .find(Locator::LinkText("Nouveau courrier"))
        .await
        .expect("first register")
        .click()
        .await
        .expect("click");
    // The sender field has the focus: type straight away, then the subject and the scan.
    let sender = browser.active_element().await.expect("focused field");
    assert_eq!(
        sender.attr("id").await.expect("id").as_deref(),
        Some("sender")
    );
    sender
        .send_keys("Société minière de Boké")
        .await
        .expect("type");
    let subject = browser.find(Locator::Id("subject")).await.expect("subject");
    subject
        .send_keys("Demande de renouvellement du permis")
        .await
        .expect("type");
    // The scan, chosen in the file field, then Enter in the subject submits the form.
    let scans = tempfile::tempdir().expect("dir");
    let scan = scans.path().join("scan-permis.pdf");
    std::fs::write(
        &scan,
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    )
    .expect("write the scan");
    let file_input = browser
        .find(Locator::Id("document"))
        .await
        .expect("document field");
    file_input
        .send_keys(&scan.display().to_string())
        .await
        .expect("choose the scan");
    subject.send_keys("\u{E007}").await.expect("press Enter");
    wait_for_heading(&browser, "MMG/ARR/").await;
    let number = browser::heading(&browser).await;
    let year = chrono_year();
    assert_eq!(number, format!("MMG/ARR/{year}/000001"));
    let notice = browser
        .find(Locator::Css("p.notice"))
        .await
        .expect("notice")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("Courrier enregistré"));
    let page = browser.source().await.expect("source");
    assert!(
        page.contains("scan-permis.pdf"),
        "the scan is listed with the item"
    );
    browser
        .find(Locator::LinkText(&format!("Registre {year}")))
        .await
        .expect("year link")
        .click()
        .await
        .expect("click");
    let table = browser
        .find(Locator::Css("table"))
        .await
        .expect("register table")
        .text()
        .await
        .expect("text");
    assert!(
        table.contains(&number) && table.contains("Demande de renouvellement du permis"),
        "{table}"
    );
    browser.close().await.expect("close");
}

/// A pile of paper: the scans are uploaded in one go and become drafts; each is
/// completed beside its scan and registered, and the next one opens by itself. Then
/// a correction, with its reason, shows in the item's versions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pile_of_scans_becomes_registrations_then_one_is_corrected() {
    let app =
        ordo_tests::TestApp::spawn(ordo_tests::Backend::Postgres, ordo_tests::Storage::Local).await;
    let register = app.register("MMG", "ARR").await;
    let browser = browser::open("fr").await;
    browser.goto(&app.url("/connexion")).await.expect("open");
    browser::sign_in(&browser, "MMG", "secretariat", ordo::demo::DEMO_PASSWORD).await;
    browser
        .goto(&app.url(&format!("/registres/{}/brouillons", register.id)))
        .await
        .expect("drafts");
    let scans = tempfile::tempdir().expect("dir");
    let input = browser
        .find(Locator::Id("scans"))
        .await
        .expect("scans field");
    let mut paths = Vec::new();
    for name in ["pile-1.pdf", "pile-2.pdf"] {
        let path = scans.path().join(name);
        std::fs::write(
            &path,
            b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
        )
        .expect("write");
        paths.push(path.display().to_string());
    }
    // Several files for one input: their paths, one a line.
    input.send_keys(&paths.join("\n")).await.expect("choose");
    browser
        .find(Locator::Css("form[action$='/lot'] button[type=submit]"))
        .await
        .expect("upload button")
        .click()
        .await
        .expect("upload");
    wait_for_heading(&browser, "Brouillons").await;
    let notice = browser
        .find(Locator::Css("p.notice"))
        .await
        .expect("notice")
        .text()
        .await
        .expect("text");
    assert!(notice.contains("2 scans déposés"), "{notice}");
    browser
        .find(Locator::LinkText("Compléter le brouillon"))
        .await
        .expect("first draft")
        .click()
        .await
        .expect("click");
    for (round, (subject, sender)) in [
        ("Première lettre de la pile", "Direction régionale de Boké"),
        ("Seconde lettre de la pile", "Société minière de Boké"),
    ]
    .into_iter()
    .enumerate()
    {
        if round == 1 {
            // Registering the first opened the second by itself, with its number.
            wait_for_url(&browser, "precedent=").await;
            wait_for_heading(&browser, "Compléter").await;
            let notice = browser
                .find(Locator::Css("p.notice"))
                .await
                .expect("notice")
                .text()
                .await
                .expect("text");
            assert!(
                notice.contains(&format!("MMG/ARR/{}/000001", chrono_year())),
                "{notice}"
            );
        }
        wait_for_heading(&browser, "Compléter").await;
        wait_until_loaded(&browser).await;
        let scan = browser
            .find(Locator::Css("#scan-preview iframe"))
            .await
            .expect("the scan beside the form");
        assert!(
            scan.attr("src")
                .await
                .expect("src")
                .is_some_and(|src| src.starts_with("/documents/"))
        );
        type_until_held(&browser, "sender", sender).await;
        let subject_field = type_until_held(&browser, "subject", subject).await;
        subject_field
            .send_keys("\u{E007}")
            .await
            .expect("Enter registers");
    }
    // The pile is done: the last registration's page shows its number.
    let year = chrono_year();
    wait_for_heading(&browser, &format!("MMG/ARR/{year}/000002")).await;
    let heading = browser::heading(&browser).await;
    if heading != format!("MMG/ARR/{year}/000002") {
        // Say what the page shows instead (a refusal, another page).
        let url = browser.current_url().await.expect("url");
        let source = browser.source().await.unwrap_or_default();
        let refusals: Vec<&str> = source
            .lines()
            .filter(|line| line.contains("field-error") || line.contains("value=\""))
            .collect();
        panic!("still at {url}, heading {heading:?}: {refusals:#?}");
    }

    browser
        .find(Locator::LinkText("Corriger"))
        .await
        .expect("correct link")
        .click()
        .await
        .expect("click");
    wait_for_heading(&browser, "Corriger").await;
    let subject = browser.find(Locator::Id("subject")).await.expect("subject");
    subject.clear().await.expect("clear");
    subject
        .send_keys("Seconde lettre de la pile, avec annexe")
        .await
        .expect("type");
    browser
        .find(Locator::Id("reason"))
        .await
        .expect("reason")
        .send_keys("Objet incomplet")
        .await
        .expect("type");
    browser
        .find(Locator::Css("button.primary"))
        .await
        .expect("save")
        .click()
        .await
        .expect("click");
    wait_for_heading(&browser, "MMG/ARR/").await;
    let page = browser.source().await.expect("source");
    assert!(page.contains("version 2"), "the version shows");
    assert!(page.contains("Objet incomplet"), "the reason shows");
    assert!(page.contains("Seconde lettre de la pile, avec annexe"));
    browser.close().await.expect("close");
}

/// Types into a field and checks the field holds the text, typing again if not: under
/// load, keys sent while the page's script is still wiring the form can be lost.
async fn type_until_held(
    browser: &fantoccini::Client,
    id: &str,
    text: &str,
) -> fantoccini::elements::Element {
    for _ in 0..20 {
        let field = browser.find(Locator::Id(id)).await.expect("field");
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
        if field.prop("value").await.ok().flatten().as_deref() == Some(text) {
            return field;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the field {id} would not hold {text:?}");
}

/// Waits until the page has loaded whole (its script included), as a person waits
/// for it before typing.
async fn wait_until_loaded(browser: &fantoccini::Client) {
    for _ in 0..300 {
        if browser
            .execute("return document.readyState", Vec::new())
            .await
            .is_ok_and(|state| state == "complete")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub(crate) async fn wait_for_url(browser: &fantoccini::Client, fragment: &str) {
    // Up to 30 s, as `wait_for_heading`.
    for _ in 0..300 {
        if browser
            .current_url()
            .await
            .is_ok_and(|url| url.as_str().contains(fragment))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let url = browser.current_url().await.map(|u| u.to_string());
    let page = browser.source().await.unwrap_or_default();
    panic!("no address with {fragment:?} after 30 s: still at {url:?}, showing:\n{page}");
}

pub(crate) async fn wait_for_heading(browser: &fantoccini::Client, prefix: &str) {
    // Up to 30 s: a 2-core CI machine running the suite beside the browser is slow.
    for _ in 0..300 {
        // Mid-navigation there may be no page to ask yet: try again.
        if let Ok(h1) = browser.find(Locator::Css("h1")).await
            && h1.text().await.is_ok_and(|text| text.starts_with(prefix))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = browser.source().await.unwrap_or_default();
    panic!("no heading starting with {prefix:?} after 30 s; the page:\n{page}");
}

fn chrono_year() -> i32 {
    use chrono::Datelike;
    // The registration year in Conakry (UTC), as the test app's system clock gives it.
    ordo_domain::Clock::now(&ordo_domain::SystemClock).year()
}
