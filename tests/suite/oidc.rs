//! Sign-in through the administration's identity provider, against a real OpenID
//! Provider (npm oidc-provider, started by tests/run.sh): the administrator sets it
//! up; a person known to Ordo signs in, a new one is added with the roles their
//! groups map to, one whose groups map to none is refused; a forged state or nonce
//! is refused; signing out ends the session at the provider too. Nothing refused
//! leaves a session or a user behind.

use ordo_tests::{Backend, Storage, TestApp, csrf_token, required_env};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn issuer() -> String {
    required_env("ORDO_TEST_OIDC_ISSUER")
}

/// Registers this test app at the provider (dynamic registration): its own redirect
/// URI, on its own port.
async fn register_client(app: &TestApp) -> (String, String) {
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/reg", issuer()))
        .json(&json!({
            "redirect_uris": [app.url("/connexion/oidc/retour")],
            "post_logout_redirect_uris": [app.url("/connexion")],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }))
        .send()
        .await
        .expect("registration")
        .json()
        .await
        .expect("json");
    (
        answer["client_id"].as_str().expect("client_id").to_owned(),
        answer["client_secret"].as_str().expect("secret").to_owned(),
    )
}

const MAPPING: &str = "mmg-chefs = unit_head\nmmg-agents = agent\nmmg-courrier = bureau_ordre";

/// The MMG administrator sets the provider up on the organisation pages.
async fn configure(app: &TestApp) {
    let (client_id, secret) = register_client(app).await;
    let admin = app.signed_in("MMG", "admin").await;
    let page = app.get_text(&admin, "/organisation/identite").await;
    let token = csrf_token(&page);
    let form = |issuer: String| {
        vec![
            ("csrf", token.clone()),
            ("issuer", issuer),
            ("client_id", client_id.clone()),
            ("client_secret", secret.clone()),
            ("login_claim", "preferred_username".to_owned()),
            ("roles_claim", "groups".to_owned()),
            ("role_mapping", MAPPING.to_owned()),
        ]
    };
    // Bad input: a plain-HTTP issuer off loopback is refused, nothing stored.
    let refused = admin
        .post(app.url("/organisation/identite"))
        .form(&form("http://idp.example.org".to_owned()))
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM identity_providers")
            .await,
        0
    );
    let saved = admin
        .post(app.url("/organisation/identite"))
        .form(&form(issuer()))
        .send()
        .await
        .expect("POST");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM identity_providers")
            .await,
        1
    );
}

fn location(response: &reqwest::Response, base: &str) -> String {
    let raw = response.headers()["location"].to_str().expect("location");
    reqwest::Url::parse(base)
        .and_then(|b| b.join(raw))
        .expect("a URL")
        .to_string()
}

fn form_action(html: &str) -> String {
    let start = html.find("action=\"").expect("a form") + "action=\"".len();
    html[start..]
        .split('"')
        .next()
        .expect("action")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// Signs in at the provider as `login` through its development pages (a sign-in
/// form, then a consent), from Ordo's redirect, as a browser would; returns the
/// address the provider sends the browser back to.
async fn through_the_provider(client: &reqwest::Client, start: String, login: &str) -> String {
    let provider = issuer();
    let mut url = start;
    for _ in 0..20 {
        if !url.starts_with(&provider) {
            return url;
        }
        let response = client.get(&url).send().await.expect("GET");
        if response.status().is_redirection() {
            url = location(&response, &url);
            continue;
        }
        let page = response.text().await.expect("page");
        let action = form_action(&page);
        let action = if action.starts_with("http") {
            action
        } else {
            format!("{provider}{action}")
        };
        let fields: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "x")]
        } else {
            vec![("prompt", "consent")]
        };
        let answer = client
            .post(&action)
            .form(&fields)
            .send()
            .await
            .expect("POST");
        assert!(answer.status().is_redirection(), "{}", answer.status());
        url = location(&answer, &action);
    }
    panic!("the provider never sent the browser back");
}

/// A browser whose cookies the test can read and change.
fn browser_with_jar() -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    (client, jar)
}

/// Starts the sign-in at Ordo in `browser` and returns the callback URL.
async fn start_in(app: &TestApp, browser: &reqwest::Client, login: &str) -> String {
    // A page that moves on to the provider by itself (meta refresh), with a link.
    let page = browser
        .get(app.url("/connexion/oidc?administration=mmg"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    let marker = "id=\"to-provider\" href=\"";
    let start = page.find(marker).expect("the link") + marker.len();
    let to_provider = page[start..]
        .split('"')
        .next()
        .expect("href")
        .replace("&amp;", "&")
        .replace("&#x2f;", "/")
        .replace("&#x3d;", "=");
    assert!(
        to_provider.contains("code_challenge="),
        "PKCE: {to_provider}"
    );
    let callback = through_the_provider(browser, to_provider, login).await;
    assert!(callback.contains("/connexion/oidc/retour?"), "{callback}");
    callback
}

async fn start(app: &TestApp, login: &str) -> (reqwest::Client, String) {
    let browser = app.client();
    let callback = start_in(app, &browser, login).await;
    (browser, callback)
}

async fn users_named(app: &TestApp, login: &str) -> i64 {
    app.db
        .owner_scalar(&format!(
            "SELECT count(*) FROM users WHERE login = '{login}'"
        ))
        .await
}

async fn sign_in_with_the_identity_provider(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    // MEF has no provider: a clear refusal.
    let nobody = app
        .client()
        .get(app.url("/connexion/oidc?administration=MEF"))
        .send()
        .await
        .expect("GET");
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);
    assert!(
        nobody
            .text()
            .await
            .expect("page")
            .contains("fournisseur d&#x27;identité")
    );
    configure(&app).await;

    // A person Ordo knows: their session, their account.
    let (browser, callback) = start(&app, "chef.mines").await;
    let back = browser.get(&callback).send().await.expect("GET");
    assert_eq!(
        back.status(),
        StatusCode::SEE_OTHER,
        "{}",
        back.text().await.unwrap_or_default()
    );
    let home = app.get_text(&browser, "/accueil").await;
    assert!(home.contains("Fatoumata Bah"), "{home}");

    // A new person: added with the roles their groups map to.
    assert_eq!(users_named(&app, "nouvelle.recrue").await, 0);
    let (browser, callback) = start(&app, "nouvelle.recrue").await;
    assert_eq!(
        browser.get(&callback).send().await.expect("GET").status(),
        StatusCode::SEE_OTHER
    );
    let me = app.get_json(&browser, "/api/v1/me").await;
    let roles = me["roles"].to_string();
    assert!(
        roles.contains("agent") && roles.contains("bureau_ordre"),
        "{me}"
    );
    assert_eq!(users_named(&app, "nouvelle.recrue").await, 1);
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'user.added' AND actor LIKE 'oidc:%'")
            .await,
        1
    );

    // Groups that map to no role: refused, and nobody added.
    let (browser, callback) = start(&app, "visiteur").await;
    let refused = browser.get(&callback).send().await.expect("GET");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.expect("page").contains("aucun rôle"));
    assert_eq!(users_named(&app, "visiteur").await, 0);
    assert_eq!(
        browser
            .get(app.url("/accueil"))
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::SEE_OTHER,
        "no session: back to the sign-in page"
    );

    // A forged state: refused before anything is asked of the provider.
    let (browser, callback) = start(&app, "agent.mines").await;
    let forged = callback.replace("state=", "state=forged");
    assert_eq!(
        browser.get(&forged).send().await.expect("GET").status(),
        StatusCode::BAD_REQUEST
    );

    // A nonce that is not this sign-in's: the provider's real ID token is refused.
    let (browser, jar) = browser_with_jar();
    let callback = start_in(&app, &browser, "agent.mines").await;
    let ordo = reqwest::Url::parse(&app.url("/")).expect("url");
    let cookies = reqwest::cookie::CookieStore::cookies(jar.as_ref(), &ordo).expect("cookies");
    let flow = cookies
        .to_str()
        .expect("ascii")
        .split("; ")
        .find_map(|c| c.strip_prefix("ordo_oidc="))
        .expect("the flow cookie")
        .to_owned();
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut decoded: Value =
        serde_json::from_slice(&engine.decode(&flow).expect("base64")).expect("json");
    decoded["nonce"] = json!("not-this-sign-in");
    let forged = engine.encode(decoded.to_string());
    jar.add_cookie_str(&format!("ordo_oidc={forged}; Path=/"), &ordo);
    let refused = browser.get(&callback).send().await.expect("GET");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        browser
            .get(app.url("/accueil"))
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::SEE_OTHER,
        "no session"
    );
    // The provider's answer replayed in another browser (no flow cookie): refused.
    let (browser, callback) = start(&app, "agent.mines").await;
    drop(browser);
    assert_eq!(
        app.client()
            .get(&callback)
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::BAD_REQUEST
    );

    // Signing out ends the session here, then at the provider.
    let (browser, callback) = start(&app, "agent.mines").await;
    assert_eq!(
        browser.get(&callback).send().await.expect("GET").status(),
        StatusCode::SEE_OTHER
    );
    let page = app.get_text(&browser, "/accueil").await;
    let out = browser
        .post(app.url("/deconnexion"))
        .form(&[("csrf", csrf_token(&page))])
        .send()
        .await
        .expect("POST");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let target = location(&out, &app.url("/"));
    assert!(
        target.starts_with(&format!("{}/session/end", issuer())),
        "{target}"
    );
    assert!(target.contains("post_logout_redirect_uri="), "{target}");
    assert_eq!(
        browser
            .get(app.url("/accueil"))
            .send()
            .await
            .expect("GET")
            .status(),
        StatusCode::SEE_OTHER
    );
}

on_both_databases!(sign_in_with_the_identity_provider);

/// In Chromium: the sign-in page's "with my administration's account" form, the
/// provider's own pages, and back in Ordo, signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_signs_in_with_their_directory_account_in_the_browser() {
    use fantoccini::Locator;
    use ordo_tests::browser;

    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    configure(&app).await;
    let chromium = browser::open("fr").await;
    chromium.goto(&app.url("/connexion")).await.expect("open");
    let field = chromium
        .find(Locator::Id("oidc-administration"))
        .await
        .expect("the directory sign-in form");
    field.send_keys("MMG").await.expect("type");
    field.send_keys("\u{E007}").await.expect("Enter");
    // Ordo's own sign-in form has a `login` field too: wait to be at the provider.
    crate::demo_in_browser::wait_for_url(&chromium, "/interaction/").await;
    for (name, value) in [("login", "chef.mines"), ("password", "x")] {
        let input = chromium
            .wait()
            .for_element(Locator::Css(&format!("input[name={name}]")))
            .await
            .expect("the provider's sign-in page");
        input.send_keys(value).await.expect("type");
    }
    chromium
        .find(Locator::Css("button[type=submit]"))
        .await
        .expect("sign in")
        .click()
        .await
        .expect("click");
    chromium
        .wait()
        .for_element(Locator::Css("input[name=prompt][value=consent]"))
        .await
        .expect("the consent page");
    chromium
        .find(Locator::Css("button[type=submit]"))
        .await
        .expect("continue")
        .click()
        .await
        .expect("click");
    crate::demo_in_browser::wait_for_heading(&chromium, "Bienvenue").await;
    assert_eq!(
        browser::heading(&chromium).await,
        "Bienvenue, Fatoumata Bah."
    );
    chromium.close().await.expect("close");
}
