//! CSRF protection for every form, by double submit: each visitor gets a random
//! `ordo_csrf` cookie (HttpOnly, SameSite=Lax), every form carries the same value in a
//! hidden `csrf` field, and [`CsrfForm`] refuses a POST whose two values differ. A
//! cross-site page can make a browser send the cookie but cannot read it to fill the
//! field. Form handlers take `CsrfForm<T>` instead of `Form<T>`, so none can forget.

use std::collections::HashMap;

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
    middleware::Next,
    response::Response,
};
use axum_extra::extract::{
    CookieJar,
    cookie::{Cookie, SameSite},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::{AppError, AppState, ErrorKind};

pub const CSRF_COOKIE: &str = "ordo_csrf";
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The current visitor's CSRF token, to put in forms.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Middleware: makes sure every visitor has a CSRF cookie and exposes its value.
pub async fn ensure_csrf_cookie(
    axum::extract::State(state): axum::extract::State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let name = state.cookies.name(CSRF_COOKIE);
    let existing = jar
        .get(&name)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32);
    let (token, is_new) = match existing {
        Some(token) => (token, false),
        None => (random_token(), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let response = next.run(request).await;
    // Only pages carry forms. Static files, probes and the API get no cookie, so a
    // cached public response can never hand one visitor's token to another.
    if !is_new || !is_html(&response) {
        return response;
    }
    let cookie = Cookie::build((name, token))
        .path("/")
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(SameSite::Lax)
        .build();
    let (mut parts, body) = response.into_parts();
    if let Ok(value) = cookie.encoded().to_string().parse() {
        parts.headers.append(http::header::SET_COOKIE, value);
    }
    Response::from_parts(parts, body)
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(|| AppError::internal("CSRF middleware missing"))
    }
}

/// A URL-encoded form whose `csrf` field matched the visitor's cookie.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let jar = CookieJar::from_request_parts(&mut parts, state)
            .await
            .unwrap_or_default();
        let request = Request::from_parts(parts, body);
        let bytes = axum::body::to_bytes(request.into_body(), MAX_FORM_BYTES)
            .await
            .map_err(|e| AppError::new(ErrorKind::PayloadTooLarge).with_detail(e))?;
        check_token(&jar, &state.cookies.name(CSRF_COOKIE), &bytes)?;
        let form = serde_urlencoded::from_bytes::<T>(&bytes).map_err(|e| {
            AppError::new(ErrorKind::InvalidInput(ordo_domain::InvalidInput::new(
                "request",
                ordo_domain::Reason::UnknownValue,
            )))
            .with_detail(e)
        })?;
        Ok(Self(form))
    }
}

fn check_token(jar: &CookieJar, cookie_name: &str, body: &Bytes) -> Result<(), AppError> {
    let fields: HashMap<String, String> = serde_urlencoded::from_bytes(body).unwrap_or_default();
    verify_submitted(
        jar,
        cookie_name,
        fields.get("csrf").map(String::as_str).unwrap_or_default(),
    )
}

/// Checks a submitted token against the visitor's cookie: for forms read otherwise
/// than by [`CsrfForm`] (multipart uploads), before anything else of them is kept.
pub fn verify_token(
    jar: &CookieJar,
    cookies: crate::CookiePolicy,
    submitted: &str,
) -> Result<(), AppError> {
    verify_submitted(jar, &cookies.name(CSRF_COOKIE), submitted)
}

fn verify_submitted(jar: &CookieJar, cookie_name: &str, submitted: &str) -> Result<(), AppError> {
    let submitted = submitted.as_bytes();
    let expected = jar
        .get(cookie_name)
        .map(|c| c.value().as_bytes())
        .unwrap_or_default();
    if expected.is_empty() || !bool::from(submitted.ct_eq(expected)) {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    Ok(())
}
