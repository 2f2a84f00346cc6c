//! Headless Chromium through chromedriver, as a person would use the pages.

#![expect(clippy::expect_used, reason = "test support")]

use fantoccini::{Client, ClientBuilder, Locator};

use crate::required_env;

/// A fresh browser with an empty profile, speaking `language` first.
pub async fn open(language: &str) -> Client {
    open_with(language, true).await
}

/// The same, with JavaScript turned off when `javascript` is false (as some phones
/// and careful people have it).
pub async fn open_with(language: &str, javascript: bool) -> Client {
    let profile = tempfile::tempdir().expect("profile dir").keep();
    let args = serde_json::json!([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        format!("--lang={language}"),
        format!("--user-data-dir={}", profile.display()),
    ]);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({
            "binary": required_env("ORDO_TEST_CHROMIUM"),
            "args": args,
            "prefs": {
                "intl.accept_languages": language,
                "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 },
            },
        }),
    );
    // chromedriver speaks plain HTTP on loopback: no TLS stack needed.
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&required_env("ORDO_TEST_WEBDRIVER"))
        .await
        .expect("a WebDriver session (is chromedriver running?)")
}

/// The `lang` and `dir` attributes of the page's root element.
pub async fn lang_and_dir(browser: &Client) -> (String, String) {
    let html = browser
        .find(Locator::Css("html"))
        .await
        .expect("html element");
    let lang = html.attr("lang").await.expect("lang").unwrap_or_default();
    let dir = html.attr("dir").await.expect("dir").unwrap_or_default();
    (lang, dir)
}

/// The visible text of the first `h1`.
pub async fn heading(browser: &Client) -> String {
    browser
        .find(Locator::Css("h1"))
        .await
        .expect("an h1")
        .text()
        .await
        .expect("its text")
}

/// Fills and submits the sign-in form, as a person would with the keyboard, then
/// waits (ten seconds at most) for the next page, as a person would.
pub async fn sign_in(browser: &Client, administration: &str, login: &str, password: &str) {
    for (field, value) in [
        ("administration", administration),
        ("login", login),
        ("password", password),
    ] {
        browser
            .find(Locator::Id(field))
            .await
            .expect("sign-in field")
            .send_keys(value)
            .await
            .expect("type");
    }
    browser
        .find(Locator::Css("button[type=submit].primary"))
        .await
        .expect("submit button")
        .click()
        .await
        .expect("click");
    for _ in 0..100 {
        let url = browser.current_url().await.expect("url");
        if !url.path().ends_with("/connexion") {
            return;
        }
        // Still here: either the next page is loading or the sign-in was refused
        // (the form is shown again with its message); give it time to tell.
        if browser.find(Locator::Css("#login-error")).await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
