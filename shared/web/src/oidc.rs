//! Sign-in through an administration's own identity provider, with OpenID Connect:
//! the authorization code flow with PKCE, its state and nonce checked, the ID token
//! verified (signature against the provider's keys, issuer, audience, expiry, nonce)
//! by the `openidconnect` crate. The groups the token carries map to Ordo roles
//! (`ordo_domain::identity::RoleMapping`); a person whose groups map to no role is
//! refused. A person seen for the first time is added to the administration;
//! afterwards their roles follow the provider's groups at each sign-in.
//!
//! Between the redirect to the provider and its return, the state, nonce and PKCE
//! verifier wait in a short-lived cookie: no server keeps them, so any replica can
//! finish the sign-in.

use axum::{
    Router,
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use axum_extra::extract::{
    CookieJar,
    cookie::{Cookie, SameSite},
};
use base64::Engine as _;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
    core::{
        CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreIdTokenVerifier, CoreProviderMetadata,
    },
};
use ordo_db::{IdentityProvider, JournalEvent, NewUser, PrincipalKind, TenantRecord};
use ordo_domain::{Locale, Login, TenantCode, TenantStatus};
use serde::{Deserialize, Serialize};

use crate::{
    AppError, AppState, ErrorKind,
    session::{end_session, start_session},
};

/// Where the provider sends the browser back.
pub const CALLBACK_PATH: &str = "/connexion/oidc/retour";

const FLOW_COOKIE: &str = "ordo_oidc";
/// Which administration's provider a session came from, for signing out there too.
const PROVIDER_COOKIE: &str = "ordo_idp";
/// How long a person has to sign in at the provider.
const FLOW_MINUTES: i64 = 10;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/connexion/oidc", get(start))
        .route(CALLBACK_PATH, get(callback))
}

/// What waits in the flow cookie between the redirect and the return.
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    administration: String,
    state: String,
    nonce: String,
    verifier: String,
}

fn http_client() -> Result<reqwest::Client, AppError> {
    // No redirects: the provider's answers are read as they are (SSRF guard).
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(AppError::internal)
}

fn unreachable(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::Unavailable).with_detail(format!("identity provider: {err}"))
}

fn rejected(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::IdentityRejected).with_detail(err)
}

/// The administration of `code`, active, with its identity provider.
async fn provider_of(
    state: &AppState,
    code: &str,
) -> Result<(TenantRecord, IdentityProvider), AppError> {
    let no_provider = || AppError::new(ErrorKind::NoIdentityProvider);
    let code = TenantCode::parse(code).map_err(|_| no_provider())?;
    let platform = state.db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    let tenant = tenant.ok_or_else(no_provider)?;
    if tenant.status != TenantStatus::Active {
        return Err(AppError::new(ErrorKind::TenantSuspended));
    }
    let tx = state.db.tenant_read(tenant.id).await?;
    let provider = tx.identity_provider().get().await?;
    tx.commit().await?;
    Ok((tenant, provider.ok_or_else(no_provider)?))
}

async fn client_for(
    state: &AppState,
    provider: &IdentityProvider,
    http: &reqwest::Client,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    AppError,
> {
    let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(AppError::internal)?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(unreachable)?;
    let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", state.public_url))
        .map_err(AppError::internal)?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

#[derive(Debug, Deserialize)]
struct StartQuery {
    #[serde(default)]
    administration: String,
}

/// `GET /connexion/oidc?administration=MMG`: off to the administration's provider.
/// The answer is a page that moves on by itself (and has a link), not a redirect:
/// the sign-in form's submission may only lead to Ordo's own pages (the CSP's
/// `form-action 'self'`, which browsers apply to redirects too).
async fn start(
    State(state): State<AppState>,
    jar: CookieJar,
    frame: crate::Frame,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let administration = query.administration.trim().to_uppercase();
    let (_, provider) = provider_of(&state, &administration).await?;
    let http = http_client()?;
    let client = client_for(&state, &provider, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = Flow {
        administration,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
    };
    let value = serde_json::to_string(&flow).map_err(AppError::internal)?;
    let cookie = Cookie::build((
        state.cookies.name(FLOW_COOKIE),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value),
    ))
    .path("/")
    .http_only(true)
    .secure(state.cookies.secure)
    // Lax: the cookie comes back on the provider's top-level redirect.
    .same_site(SameSite::Lax)
    .max_age(time::Duration::minutes(FLOW_MINUTES))
    .build();
    let page = frame.render(
        &state,
        "oidc_redirect.html",
        "login-oidc-title",
        minijinja::context! { provider_url => url.as_str() },
    )?;
    Ok((jar.add(cookie), page).into_response())
}

#[derive(Debug, Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /connexion/oidc/retour`: the provider's answer. Nothing is written unless
/// every check passes.
async fn callback(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let expired = || AppError::new(ErrorKind::SignInExpired);
    let flow: Flow = jar
        .get(&state.cookies.name(FLOW_COOKIE))
        .and_then(|c| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(c.value())
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(expired)?;
    // The flow is used once, whatever comes of it.
    let jar = jar.remove(
        Cookie::build(state.cookies.name(FLOW_COOKIE))
            .path("/")
            .build(),
    );
    if let Some(error) = query.error {
        return Err(rejected(format!("the provider answered {error}")));
    }
    if query.state.as_deref() != Some(flow.state.as_str()) {
        return Err(expired().with_detail("state mismatch"));
    }
    let code = query.code.ok_or_else(|| rejected("no code"))?;
    let (tenant, provider) = provider_of(&state, &flow.administration).await?;
    let http = http_client()?;
    let client = client_for(&state, &provider, &http).await?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(AppError::internal)?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
        .request_async(&http)
        .await
        .map_err(rejected)?;
    let id_token = token.id_token().ok_or_else(|| rejected("no ID token"))?;
    let claims = verified_claims(
        &client.id_token_verifier(),
        id_token,
        &Nonce::new(flow.nonce),
    )?;
    let login = claims
        .get(&provider.login_claim)
        .and_then(serde_json::Value::as_str)
        .and_then(|raw| Login::parse(raw).ok())
        .ok_or_else(|| rejected(format!("no usable {} claim", provider.login_claim)))?;
    let groups: Vec<String> = match claims.get(&provider.roles_claim) {
        Some(serde_json::Value::Array(values)) => values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(serde_json::Value::String(one)) => one.split_whitespace().map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    let roles = provider.role_mapping.roles_for(&groups);
    if roles.is_empty() {
        return Err(AppError::new(ErrorKind::NoRole).with_detail(format!("{login}: {groups:?}")));
    }
    let name = claims
        .get("name")
        .and_then(serde_json::Value::as_str)
        .map_or_else(|| login.as_str().to_owned(), str::to_owned);
    let email = claims
        .get("email")
        .and_then(serde_json::Value::as_str)
        .and_then(|e| ordo_domain::parse_email(e).ok().flatten());

    let now = state.clock.now();
    let tx = state.db.tenant_write(tenant.id).await?;
    let existing = tx.users().find_by_login(&login).await?;
    let (user_id, action) = match existing {
        Some(user) if user.roles == roles => (user.id, None),
        Some(user) => {
            tx.users()
                .update(
                    user.id,
                    &user.display_name,
                    user.email.as_deref(),
                    user.unit_id,
                    &roles,
                )
                .await?;
            (user.id, Some("user.changed"))
        }
        None => {
            let user = tx
                .users()
                .insert(
                    NewUser {
                        unit_id: None,
                        login: login.clone(),
                        display_name: name,
                        email,
                        password_hash: None,
                        roles: roles.clone(),
                        locale: Locale::default(),
                    },
                    now,
                )
                .await?;
            (user.id, Some("user.added"))
        }
    };
    if let Some(action) = action {
        tx.journal()
            .append(
                JournalEvent {
                    actor: format!("oidc:{}", provider.issuer),
                    action,
                    object: format!("user:{login}"),
                    details: serde_json::json!({ "roles": roles.to_string(), "via": "oidc" }),
                    origin: "oidc".to_owned(),
                },
                now,
            )
            .await?;
    }
    tx.users().record_success(user_id, now).await?;
    tx.commit().await?;
    let jar = end_session(&state, jar).await?;
    let jar = start_session(&state, jar, PrincipalKind::User(tenant.id), user_id).await?;
    let marker = Cookie::build((state.cookies.name(PROVIDER_COOKIE), flow.administration))
        .path("/")
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(SameSite::Lax)
        .build();
    Ok((jar.add(marker), Redirect::to("/accueil")).into_response())
}

/// The claims of an ID token that passes every check: signed by one of the
/// provider's keys, from its issuer, for this client (audience), not expired, and
/// carrying this sign-in's nonce. The claims the provider adds (the login, the
/// groups) are then read from the same, verified, token.
fn verified_claims(
    verifier: &CoreIdTokenVerifier<'_>,
    id_token: &CoreIdToken,
    nonce: &Nonce,
) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    id_token.claims(verifier, nonce).map_err(rejected)?;
    payload(&id_token.to_string()).ok_or_else(|| rejected("unreadable claims"))
}

/// The JSON payload of a compact JWS.
fn payload(jws: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let middle = jws.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(middle)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// After the session has ended: where to send the browser. A person who came through
/// an identity provider is signed out there too (RP-initiated logout), then comes
/// back to the sign-in page.
pub async fn after_sign_out(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    let Some(administration) = jar
        .get(&state.cookies.name(PROVIDER_COOKIE))
        .map(|c| c.value().to_owned())
    else {
        return (jar, "/connexion".to_owned());
    };
    let jar = jar.remove(
        Cookie::build(state.cookies.name(PROVIDER_COOKIE))
            .path("/")
            .build(),
    );
    let target = match end_session_url(state, &administration).await {
        Ok(Some(url)) => url,
        Ok(None) => "/connexion".to_owned(),
        Err(err) => {
            tracing::warn!(error = %err, "cannot reach the identity provider to sign out there");
            "/connexion".to_owned()
        }
    };
    (jar, target)
}

async fn end_session_url(
    state: &AppState,
    administration: &str,
) -> Result<Option<String>, AppError> {
    let (_, provider) = provider_of(state, administration).await?;
    let http = http_client()?;
    // The end-session endpoint is in the discovery document (RP-Initiated Logout 1.0),
    // beside what `CoreProviderMetadata` reads.
    let body = http
        .get(format!(
            "{}/.well-known/openid-configuration",
            provider.issuer
        ))
        .send()
        .await
        .map_err(unreachable)?
        .bytes()
        .await
        .map_err(unreachable)?;
    let document: serde_json::Value = serde_json::from_slice(&body).map_err(unreachable)?;
    let Some(endpoint) = document
        .get("end_session_endpoint")
        .and_then(|v| v.as_str())
    else {
        return Ok(None);
    };
    let mut url = url::Url::parse(endpoint).map_err(unreachable)?;
    url.query_pairs_mut()
        .append_pair("client_id", &provider.client_id)
        .append_pair(
            "post_logout_redirect_uri",
            &format!("{}/connexion", state.public_url),
        );
    Ok(Some(url.to_string()))
}

#[cfg(test)]
mod tests {
    //! The ID token checks, on tokens signed here with throw-away test keys: the
    //! provider's real tokens are checked end to end in the integration suite.
    use chrono::{TimeZone as _, Utc};
    use openidconnect::{
        Audience, EmptyAdditionalClaims, IssuerUrl, JsonWebKeySet, PrivateSigningKey,
        StandardClaims, SubjectIdentifier,
        core::{CoreIdTokenClaims, CoreJwsSigningAlgorithm, CoreRsaPrivateSigningKey},
    };

    use super::*;

    const SIGNER: &str = include_str!("../tests/fixtures/oidc-test-signer.pem");
    const FORGER: &str = include_str!("../tests/fixtures/oidc-test-forger.pem");
    const ISSUER: &str = "https://idp.test.invalid";

    fn key(pem: &str) -> CoreRsaPrivateSigningKey {
        CoreRsaPrivateSigningKey::from_pem(pem, None).expect("a test key")
    }

    fn token(signed_by: &str, audience: &str, nonce: &str) -> CoreIdToken {
        let claims = CoreIdTokenClaims::new(
            IssuerUrl::new(ISSUER.to_owned()).expect("issuer"),
            vec![Audience::new(audience.to_owned())],
            // Far ahead: the verifier reads the real clock.
            Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0)
                .single()
                .expect("expiry"),
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
                .single()
                .expect("issued"),
            StandardClaims::new(SubjectIdentifier::new("agent.mines".to_owned())),
            EmptyAdditionalClaims {},
        )
        .set_nonce(Some(Nonce::new(nonce.to_owned())));
        CoreIdToken::new(
            claims,
            &key(signed_by),
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            None,
            None,
        )
        .expect("signed")
    }

    fn verifier() -> CoreIdTokenVerifier<'static> {
        CoreIdTokenVerifier::new_confidential_client(
            ClientId::new("ordo".to_owned()),
            ClientSecret::new("secret".to_owned()),
            IssuerUrl::new(ISSUER.to_owned()).expect("issuer"),
            JsonWebKeySet::new(vec![key(SIGNER).as_verification_key()]),
        )
    }

    fn refused(result: Result<serde_json::Map<String, serde_json::Value>, AppError>) -> bool {
        matches!(result, Err(err) if err.kind == ErrorKind::IdentityRejected)
    }

    #[test]
    fn a_good_token_passes_and_its_claims_are_read() {
        let nonce = Nonce::new("n-1".to_owned());
        let claims = verified_claims(&verifier(), &token(SIGNER, "ordo", "n-1"), &nonce);
        assert_eq!(
            claims.ok().and_then(|c| c.get("sub").cloned()),
            Some(serde_json::json!("agent.mines"))
        );
    }

    #[test]
    fn a_wrong_audience_nonce_or_signature_is_refused() {
        let nonce = Nonce::new("n-1".to_owned());
        assert!(refused(verified_claims(
            &verifier(),
            &token(SIGNER, "another-client", "n-1"),
            &nonce
        )));
        assert!(refused(verified_claims(
            &verifier(),
            &token(SIGNER, "ordo", "n-2"),
            &nonce
        )));
        assert!(refused(verified_claims(
            &verifier(),
            &token(FORGER, "ordo", "n-1"),
            &nonce
        )));
    }
}
