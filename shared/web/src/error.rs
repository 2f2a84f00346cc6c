//! The one error policy.
//!
//! Every handler returns `Result<_, AppError>`. An `AppError` has a kind with a stable
//! code (`invalid_input`, `not_found`…) mapped to an HTTP status here and nowhere
//! else. Its internal detail goes to the log, never to the client. The response body
//! is written by [`render_errors`], which knows the request: `application/problem+json`
//! for `/api/…`, a localised page for people, a redirect to the sign-in page for a
//! person who is not signed in.

use std::sync::Arc;

use axum::{
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::DbError;
use ordo_domain::{InvalidInput, Locale};
use ordo_storage::StoreError;

use crate::{i18n::tr, templates::Templates};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Unauthenticated,
    Forbidden,
    InvalidInput(InvalidInput),
    /// Several fields refused at once, each with its reason.
    InvalidFields(Vec<InvalidInput>),
    CsrfRejected,
    InvalidCredentials,
    AccountLocked,
    TenantSuspended,
    /// The administration signs in with no identity provider (OpenID Connect).
    NoIdentityProvider,
    /// The sign-in at the identity provider took too long, or came back to another
    /// browser: it must start again.
    SignInExpired,
    /// The identity provider's answer did not pass the checks (an error from it, an
    /// ID token with a wrong signature, audience or nonce…).
    IdentityRejected,
    /// The person's groups at the identity provider give them no role in Ordo.
    NoRole,
    Conflict,
    PayloadTooLarge,
    /// A public page asked too often from one address (rate limit).
    TooManyRequests,
    /// A suspended administration's public portal.
    PortalClosed,
    /// The administration reached a quota the operator set.
    QuotaExceeded(ordo_db::Quota),
    Unavailable,
    Internal,
}

impl ErrorKind {
    /// The stable code clients can rely on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::InvalidInput(_) | Self::InvalidFields(_) => "invalid_input",
            Self::CsrfRejected => "csrf_rejected",
            Self::InvalidCredentials => "invalid_credentials",
            Self::AccountLocked => "account_locked",
            Self::TenantSuspended => "tenant_suspended",
            Self::NoIdentityProvider => "no_identity_provider",
            Self::SignInExpired => "sign_in_expired",
            Self::IdentityRejected => "identity_rejected",
            Self::NoRole => "no_role",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::TooManyRequests => "too_many_requests",
            Self::PortalClosed => "portal_closed",
            Self::QuotaExceeded(ordo_db::Quota::Storage { .. }) => "storage_quota_exceeded",
            Self::QuotaExceeded(ordo_db::Quota::Users { .. }) => "user_quota_exceeded",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// The HTTP status of each kind: the only such mapping in Ordo.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden
            | Self::CsrfRejected
            | Self::TenantSuspended
            | Self::NoRole
            | Self::PortalClosed
            | Self::QuotaExceeded(_) => StatusCode::FORBIDDEN,
            Self::NoIdentityProvider => StatusCode::NOT_FOUND,
            Self::SignInExpired => StatusCode::BAD_REQUEST,
            Self::IdentityRejected => StatusCode::UNAUTHORIZED,
            Self::InvalidInput(_) | Self::InvalidFields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::AccountLocked => StatusCode::LOCKED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => Self::NotFound,
            StatusCode::UNAUTHORIZED => Self::Unauthenticated,
            StatusCode::FORBIDDEN => Self::Forbidden,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::TOO_MANY_REQUESTS => Self::TooManyRequests,
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            s if s.is_client_error() => Self::InvalidInput(InvalidInput::new(
                "request",
                ordo_domain::Reason::UnknownValue,
            )),
            _ => Self::Internal,
        }
    }
}

/// An error on its way to the client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} ({})", kind.code(), detail.as_deref().unwrap_or("-"))]
pub struct AppError {
    pub kind: ErrorKind,
    /// Internal detail for the log; never shown.
    detail: Option<String>,
}

impl AppError {
    pub fn new(kind: ErrorKind) -> Self {
        Self { kind, detail: None }
    }

    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self {
            kind: ErrorKind::Internal,
            detail: Some(detail.to_string()),
        }
    }

    pub fn with_detail(mut self, detail: impl std::fmt::Display) -> Self {
        self.detail = Some(detail.to_string());
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound)
    }

    /// The sentence a person reads, in their language.
    pub fn message(&self, locale: Locale) -> String {
        match &self.kind {
            ErrorKind::InvalidInput(invalid) => crate::i18n::invalid_input_message(locale, invalid),
            ErrorKind::QuotaExceeded(quota) => {
                let limit = match quota {
                    ordo_db::Quota::Storage { limit_bytes } => {
                        crate::i18n::human_size(*limit_bytes, locale)
                    }
                    ordo_db::Quota::Users { limit } => limit.to_string(),
                };
                crate::i18n::tr_args(
                    locale,
                    &format!("error-{}", self.kind.code()),
                    vec![(
                        std::borrow::Cow::Borrowed("limit"),
                        fluent_templates::fluent_bundle::FluentValue::from(limit),
                    )],
                )
            }
            kind => tr(locale, &format!("error-{}", kind.code())),
        }
    }
}

impl From<InvalidInput> for AppError {
    fn from(invalid: InvalidInput) -> Self {
        Self::new(ErrorKind::InvalidInput(invalid))
    }
}

impl From<DbError> for AppError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::Conflict(_) => Self::new(ErrorKind::Conflict).with_detail(err),
            DbError::QuotaExceeded(quota) => Self::new(ErrorKind::QuotaExceeded(quota)),
            DbError::Corrupt { .. } | DbError::UnsafeRole(_) | DbError::Database(_) => {
                Self::internal(err)
            }
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) | StoreError::InvalidKey(_) => {
                Self::new(ErrorKind::NotFound).with_detail(err)
            }
            StoreError::S3 { .. } => Self::new(ErrorKind::Unavailable).with_detail(err),
            StoreError::Upload(_) | StoreError::Io(_) => Self::internal(err),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The body is written by `render_errors`, which knows who asked.
        let mut response = self.kind.status().into_response();
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

/// Writes the body of every error response, once, in the form the client expects.
pub async fn render_errors(templates: Arc<Templates>, request: Request, next: Next) -> Response {
    let locale = request
        .extensions()
        .get::<crate::RequestLocale>()
        .map(|l| l.0)
        .unwrap_or_default();
    let path = request.uri().path().to_owned();
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |pq| pq.as_str().to_owned());
    let wants_api = path.starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let error = match response.extensions().get::<Arc<AppError>>() {
        Some(error) => error.as_ref().clone(),
        // A handler that wrote its own error body (the sign-in form re-shown, the
        // readiness report) keeps it. What the framework answers by itself (unknown
        // route, bad query, body too large, a caught panic) has no body or plain text,
        // and gets the same policy as everything else.
        None if has_own_body(&response) => return response,
        None => AppError::new(ErrorKind::from_status(status)),
    };
    if error.kind == ErrorKind::Internal {
        tracing::error!(
            code = error.kind.code(),
            detail = error.detail.as_deref(),
            "request failed"
        );
    } else {
        tracing::info!(
            code = error.kind.code(),
            detail = error.detail.as_deref(),
            "request refused"
        );
    }
    let message = error.message(locale);
    if wants_api {
        let mut body = serde_json::json!({
            "type": format!("https://ordo.example/errors/{}", error.kind.code()),
            "title": message,
            "status": status.as_u16(),
            "code": error.kind.code(),
        });
        if let ErrorKind::InvalidInput(invalid) = &error.kind {
            body["field"] = invalid.field.into();
            body["reason"] = invalid.reason.code().into();
        }
        if let ErrorKind::InvalidFields(fields) = &error.kind {
            body["errors"] = fields
                .iter()
                .map(|invalid| {
                    serde_json::json!({
                        "field": invalid.field,
                        "reason": invalid.reason.code(),
                        "message": crate::i18n::invalid_input_message(locale, invalid),
                    })
                })
                .collect();
        }
        let mut out = (status, body.to_string()).into_response();
        out.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        return out;
    }
    if error.kind == ErrorKind::Unauthenticated {
        let target = format!("/connexion?retour={}", urlencode(&path_and_query));
        return Redirect::to(&target).into_response();
    }
    let page = templates.render_error(locale, status, &message);
    (status, page).into_response()
}

fn has_own_body(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.starts_with("text/plain"))
}

fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_code() {
        let kinds = [
            ErrorKind::NotFound,
            ErrorKind::Unauthenticated,
            ErrorKind::Forbidden,
            ErrorKind::CsrfRejected,
            ErrorKind::InvalidCredentials,
            ErrorKind::AccountLocked,
            ErrorKind::TenantSuspended,
            ErrorKind::Conflict,
            ErrorKind::PayloadTooLarge,
            ErrorKind::TooManyRequests,
            ErrorKind::PortalClosed,
            ErrorKind::Unavailable,
            ErrorKind::Internal,
        ];
        let mut codes: Vec<_> = kinds.iter().map(ErrorKind::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), kinds.len());
    }

    #[test]
    fn every_kind_has_a_message_in_every_language() {
        for locale in Locale::ALL {
            for kind in [
                ErrorKind::NotFound,
                ErrorKind::CsrfRejected,
                ErrorKind::AccountLocked,
                ErrorKind::Internal,
            ] {
                let message = AppError::new(kind.clone()).message(locale);
                assert!(
                    !message.starts_with("error-"),
                    "{locale}: missing message for {}",
                    kind.code()
                );
            }
        }
    }
}

/// Why an act was not done.
#[derive(Debug)]
pub enum Refused {
    /// The input breaks these rules; nothing was written.
    Invalid(Vec<InvalidInput>),
    Failed(AppError),
}

impl From<AppError> for Refused {
    fn from(err: AppError) -> Self {
        Self::Failed(err)
    }
}

impl From<DbError> for Refused {
    fn from(err: DbError) -> Self {
        Self::Failed(err.into())
    }
}

impl From<InvalidInput> for Refused {
    fn from(invalid: InvalidInput) -> Self {
        Self::Invalid(vec![invalid])
    }
}
