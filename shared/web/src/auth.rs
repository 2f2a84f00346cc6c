//! Sign-in with local accounts (the embedded default, and tenants without an
//! identity provider): argon2id passwords, lockout after repeated failures, refusals
//! that take the same time and say the same thing whether the login exists or not.

use axum::{
    Router,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use axum_extra::extract::CookieJar;
use ordo_db::PrincipalKind;
use ordo_domain::{LockoutPolicy, Login, TenantCode, TenantStatus, password};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    AppError, AppState,
    csrf::CsrfForm,
    i18n::{safe_return_path, tr},
    session::{Visitor, end_session, start_session},
    templates::Frame,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home_redirect))
        .route("/connexion", get(sign_in_page).post(sign_in))
        .route("/deconnexion", axum::routing::post(sign_out))
}

async fn home_redirect(visitor: Visitor) -> Redirect {
    match visitor {
        Visitor::Anonymous => Redirect::to("/connexion"),
        Visitor::Operator => Redirect::to("/operateur"),
        Visitor::User => Redirect::to("/accueil"),
    }
}

#[derive(Debug, Deserialize)]
struct SignInQuery {
    retour: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct SignInForm {
    #[serde(default)]
    administration: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    retour: Option<String>,
}

async fn sign_in_page(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<SignInQuery>,
) -> Result<Response, AppError> {
    render_form(
        &state,
        &frame,
        &SignInForm {
            retour: query.retour,
            ..SignInForm::default()
        },
        None,
        StatusCode::OK,
    )
}

fn render_form(
    state: &AppState,
    frame: &Frame,
    form: &SignInForm,
    error_key: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let context = minijinja::context! {
        administration => form.administration,
        login => form.login,
        retour => safe_return_path(form.retour.as_deref()),
        error => error_key.map(|key| tr(frame.locale, key)),
    };
    let page = frame.render(state, "login.html", "login-title", context)?;
    Ok((status, page).into_response())
}

/// Why a sign-in was refused; each shows its own sentence on the form.
enum Refusal {
    BadCredentials,
    Locked,
    Suspended,
}

impl Refusal {
    fn message_key(&self) -> &'static str {
        match self {
            Self::BadCredentials => "login-failed",
            Self::Locked => "login-locked",
            Self::Suspended => "login-suspended",
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Locked => StatusCode::LOCKED,
            Self::Suspended => StatusCode::FORBIDDEN,
        }
    }
}

async fn sign_in(
    State(state): State<AppState>,
    frame: Frame,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, AppError> {
    let outcome = if form.administration.trim().is_empty() {
        check_operator(&state, &form).await?
    } else {
        check_user(&state, &form).await?
    };
    match outcome {
        Ok((principal, account_id)) => {
            let jar = end_session(&state, jar).await?;
            let jar = start_session(&state, jar, principal, account_id).await?;
            let target = match (
                form.retour.as_deref().map(|r| safe_return_path(Some(r))),
                principal,
            ) {
                (Some(path), _) if path != "/" => path.to_owned(),
                (_, PrincipalKind::Operator) => "/operateur".to_owned(),
                (_, PrincipalKind::User(_)) => "/accueil".to_owned(),
            };
            Ok((jar, Redirect::to(&target)).into_response())
        }
        Err(refusal) => {
            tracing::info!(
                administration = form.administration.trim(),
                reason = refusal.message_key(),
                "sign-in refused"
            );
            let form = SignInForm {
                password: String::new(),
                ..form
            };
            render_form(
                &state,
                &frame,
                &form,
                Some(refusal.message_key()),
                refusal.status(),
            )
        }
    }
}

/// Verifies a password off the async threads: argon2 is deliberately slow.
async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => password::verify_password(&password, &hash),
        None => {
            password::verify_against_nothing(&password);
            false
        }
    })
    .await
    .map_err(AppError::internal)
}

type Outcome = Result<(PrincipalKind, Uuid), Refusal>;

async fn check_operator(state: &AppState, form: &SignInForm) -> Result<Outcome, AppError> {
    let policy = LockoutPolicy::default();
    let now = state.clock.now();
    let Ok(login) = Login::parse(&form.login) else {
        verify(form.password.clone(), None).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    let tx = state.db.platform().await?;
    let Some(operator) = tx.operators().find_by_login(&login).await? else {
        verify(form.password.clone(), None).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    if policy.is_locked(operator.locked_until, now) {
        return Ok(Err(Refusal::Locked));
    }
    if verify(form.password.clone(), Some(operator.password_hash.clone())).await? {
        tx.operators().set_failures(operator.id, 0, None).await?;
        tx.commit().await?;
        return Ok(Ok((PrincipalKind::Operator, operator.id)));
    }
    let (failures, locked_until) = policy.after_failure(operator.failed_attempts, now);
    tx.operators()
        .set_failures(operator.id, failures, locked_until)
        .await?;
    tx.commit().await?;
    Ok(Err(if locked_until.is_some() {
        Refusal::Locked
    } else {
        Refusal::BadCredentials
    }))
}

async fn check_user(state: &AppState, form: &SignInForm) -> Result<Outcome, AppError> {
    let policy = LockoutPolicy::default();
    let now = state.clock.now();
    let (Ok(code), Ok(login)) = (
        TenantCode::parse(&form.administration),
        Login::parse(&form.login),
    ) else {
        verify(form.password.clone(), None).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    let platform = state.db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    let Some(tenant) = tenant else {
        verify(form.password.clone(), None).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    let tx = state.db.tenant(tenant.id).await?;
    let Some(user) = tx.users().find_by_login(&login).await? else {
        verify(form.password.clone(), None).await?;
        return Ok(Err(Refusal::BadCredentials));
    };
    if policy.is_locked(user.locked_until, now) {
        return Ok(Err(Refusal::Locked));
    }
    if !verify(form.password.clone(), user.password_hash.clone()).await? {
        let (failures, locked_until) = policy.after_failure(user.failed_attempts, now);
        tx.users()
            .set_failures(user.id, failures, locked_until)
            .await?;
        tx.commit().await?;
        return Ok(Err(if locked_until.is_some() {
            Refusal::Locked
        } else {
            Refusal::BadCredentials
        }));
    }
    // Only a person who knows the password learns that the administration is suspended.
    if tenant.status != TenantStatus::Active {
        return Ok(Err(Refusal::Suspended));
    }
    tx.users().set_failures(user.id, 0, None).await?;
    tx.commit().await?;
    Ok(Ok((PrincipalKind::User(tenant.id), user.id)))
}

async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let jar = end_session(&state, jar).await?;
    Ok((jar, Redirect::to("/connexion")).into_response())
}
