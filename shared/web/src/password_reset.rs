//! "Forgotten password" for local accounts: a link valid for an hour, sent by e-mail
//! through the outbox, that works once. The request page answers the same whether
//! the account exists or not, so it reveals no login.

use std::borrow::Cow;

use axum::{
    Router,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use fluent_templates::fluent_bundle::FluentValue;
use ordo_db::{JournalEvent, OutgoingEmail};
use ordo_domain::{
    InvalidInput, Login, Reason, TenantCode, TenantId, TenantStatus, email_template::EmailKind,
    password,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppError, AppState, ClientAddress, ErrorKind,
    csrf::{CsrfForm, random_token},
    i18n::{invalid_input_message, tr, tr_args},
    session::token_hash,
    templates::Frame,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/mot-de-passe-oublie",
            get(request_page).post(request_reset),
        )
        .route(
            "/mot-de-passe/nouveau",
            get(reset_page).post(reset_password),
        )
}

#[derive(Debug, Default, Deserialize)]
struct RequestForm {
    #[serde(default)]
    administration: String,
    #[serde(default)]
    login: String,
}

async fn request_page(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let context = minijinja::context! { sent => false };
    Ok(frame
        .render(&state, "password_forgot.html", "reset-title", context)?
        .into_response())
}

/// A reset token reads `<tenant>_<secret>`: the tenant part finds the
/// administration whose row-level security holds the token's hash.
fn mint_reset_token(tenant: TenantId) -> String {
    format!("{}_{}", tenant.as_uuid().simple(), random_token())
}

fn tenant_of_reset_token(token: &str) -> Option<TenantId> {
    let (tenant, secret) = token.trim().split_once('_')?;
    (secret.len() >= 32).then_some(())?;
    Uuid::parse_str(tenant).ok().map(TenantId::new)
}

/// `POST /mot-de-passe-oublie`: when the account exists, is active and has an
/// address, a link is e-mailed (through the outbox, with the token in the same
/// transaction). The answer is the same in every case.
async fn request_reset(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<RequestForm>,
) -> Result<Response, AppError> {
    if let (Ok(code), Ok(login)) = (
        TenantCode::parse(&form.administration),
        Login::parse(&form.login),
    ) {
        // The work happens after the answer, so the answer takes the same time
        // whether the account exists or not.
        let (state, locale) = (state.clone(), frame.locale);
        tokio::spawn(async move {
            if let Err(err) = send_link(&state, locale, &code, &login, &origin).await {
                tracing::warn!(error = %err, "password reset link not prepared");
            }
        });
    }
    let context = minijinja::context! { sent => true };
    Ok(frame
        .render(&state, "password_forgot.html", "reset-title", context)?
        .into_response())
}

/// A person asks for at most one link in this time; more requests send nothing.
const REQUEST_INTERVAL: chrono::Duration = chrono::Duration::minutes(5);

async fn send_link(
    state: &AppState,
    locale: ordo_domain::Locale,
    code: &TenantCode,
    login: &Login,
    origin: &str,
) -> Result<(), AppError> {
    let platform = state.db.platform().await?;
    let tenant = platform.tenants().find_by_code(code).await?;
    platform.commit().await?;
    let Some(tenant) = tenant.filter(|t| t.status == TenantStatus::Active) else {
        return Ok(());
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(tenant.id).await?;
    let Some(user) = tx.users().find_by_login(login).await? else {
        return Ok(());
    };
    let Some(email) = user.email.clone() else {
        tracing::info!("password reset asked for an account without an address");
        return Ok(());
    };
    if tx
        .password_resets()
        .sent_recently(user.id, now - REQUEST_INTERVAL, now)
        .await?
    {
        tracing::info!("password reset asked again within minutes: nothing sent");
        return Ok(());
    }
    let link = PasswordLink {
        kind: LinkKind::Reset,
        locale,
    };
    link.enqueue(&state.public_url, &tx, &tenant, &user, &email, now)
        .await?;
    tx.journal()
        .append(
            JournalEvent {
                actor: "visitor".to_owned(),
                action: "user.password_reset_requested",
                object: format!("user:{}", user.id),
                details: serde_json::json!({ "login": user.login.as_str() }),
                origin: origin.to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a person gets a link to choose a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// They forgot theirs: the link works for an hour.
    Reset,
    /// Their account was just created: the link works for a week.
    Welcome,
}

/// A link to choose a password, e-mailed through the outbox in the caller's
/// transaction, in `locale`.
#[derive(Debug, Clone, Copy)]
pub struct PasswordLink {
    pub kind: LinkKind,
    pub locale: ordo_domain::Locale,
}

impl PasswordLink {
    /// Returns the outbox message's id. `public_url` is where the platform is
    /// reached (`AppState::public_url`).
    pub async fn enqueue(
        self,
        public_url: &str,
        tx: &ordo_db::TenantTx,
        tenant: &ordo_db::TenantRecord,
        user: &ordo_db::UserRecord,
        email: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Uuid, ordo_db::DbError> {
        let (validity, subject, body) = match self.kind {
            LinkKind::Reset => (
                ordo_db::repos::password_resets::RESET_VALIDITY,
                "reset-mail-subject",
                "reset-mail-body",
            ),
            LinkKind::Welcome => (
                ordo_db::repos::password_resets::WELCOME_VALIDITY,
                "welcome-mail-subject",
                "welcome-mail-body",
            ),
        };
        let token = mint_reset_token(tenant.id);
        tx.password_resets()
            .insert(user.id, &token_hash(&token), validity, now)
            .await?;
        let link = format!("{public_url}/mot-de-passe/nouveau?jeton={token}");
        let locale = self.locale;
        let values = [
            ("name", user.display_name.clone()),
            ("administration", tenant.name.get(locale).to_owned()),
            ("login", user.login.as_str().to_owned()),
            ("link", link),
        ];
        let (subject, body) = match self.kind {
            // The administration words its invitations; a reset is the platform's.
            LinkKind::Welcome => {
                crate::mail_texts::compose(tx, EmailKind::Welcome, locale, &values).await?
            }
            LinkKind::Reset => {
                let args = values
                    .into_iter()
                    .map(|(name, value)| (Cow::Borrowed(name), FluentValue::from(value)))
                    .collect();
                (tr(locale, subject), tr_args(locale, body, args))
            }
        };
        tx.outbox()
            .enqueue(
                OutgoingEmail {
                    to: email.to_owned(),
                    subject,
                    body,
                    language: Some(locale),
                    // Past its link's life the e-mail is not worth sending.
                    expires_at: Some(now + validity),
                    attachment: None,
                },
                now,
            )
            .await
    }
}

#[derive(Debug, Deserialize)]
struct ResetQuery {
    jeton: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ResetForm {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

fn render_reset(
    state: &AppState,
    frame: &Frame,
    token: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let context = minijinja::context! { jeton => token, error => error };
    let page = frame.render(state, "password_reset.html", "reset-title", context)?;
    Ok((status, page).into_response())
}

async fn reset_page(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<ResetQuery>,
) -> Result<Response, AppError> {
    render_reset(
        &state,
        &frame,
        query.jeton.as_deref().unwrap_or_default(),
        None,
    )
}

/// `POST /mot-de-passe/nouveau`: the new password is checked first, then the token
/// is used (once) and the password set, in one transaction with its journal entry.
async fn reset_password(
    State(state): State<AppState>,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    let refuse = |invalid: InvalidInput| {
        render_reset(
            &state,
            &frame,
            &form.jeton,
            Some(invalid_input_message(frame.locale, &invalid)),
        )
    };
    if form.password != form.password_confirmation {
        return refuse(InvalidInput::new("password_confirmation", Reason::Mismatch));
    }
    let expired = || {
        let error = AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "jeton",
            Reason::Expired,
        )));
        render_reset(&state, &frame, "", Some(error.message(frame.locale)))
    };
    let Some(tenant) = tenant_of_reset_token(&form.jeton) else {
        return expired();
    };
    let hash = token_hash(form.jeton.trim());
    // The token first: the password's (deliberately slow) hash is only computed for
    // a link that works.
    let tx = state.db.tenant_read(tenant).await?;
    let live = tx
        .password_resets()
        .is_live(&hash, state.clock.now())
        .await?;
    tx.commit().await?;
    if !live {
        return expired();
    }
    let password = form.password.clone();
    let hashed = tokio::task::spawn_blocking(move || password::hash_password(&password))
        .await
        .map_err(AppError::internal)?;
    let hashed = match hashed {
        Ok(hashed) => hashed,
        Err(invalid) => return refuse(invalid),
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(tenant).await?;
    let Some(user) = tx.password_resets().redeem(&hash, now).await? else {
        return expired();
    };
    tx.users().set_password(user, &hashed).await?;
    // Whoever knew the old password is signed out.
    tx.end_sessions_of(user).await?;
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("user:{user}"),
                action: "user.password_reset",
                object: format!("user:{user}"),
                details: serde_json::json!({}),
                origin,
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/connexion?reinitialise=1").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_token_names_its_administration() {
        let tenant = TenantId::generate();
        let token = mint_reset_token(tenant);
        assert_eq!(tenant_of_reset_token(&token), Some(tenant));
        assert_eq!(tenant_of_reset_token("nope"), None);
        assert_eq!(
            tenant_of_reset_token(&format!("{}_short", tenant.as_uuid().simple())),
            None
        );
    }
}
