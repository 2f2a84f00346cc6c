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
        .find(fantoccini::Locator::Css("a[hreflang=ar]"))
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
