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
    AppError, AppState, ErrorKind,
    csrf::CsrfForm,
    i18n::safe_return_path,
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
    /// Set after a password reset, to say it worked.
    reinitialise: Option<String>,
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
    let reset_done = query.reinitialise.is_some();
    render_form(
        &state,
        &frame,
        &SignInForm {
            retour: query.retour,
            ..SignInForm::default()
        },
        None,
        reset_done,
    )
}

fn render_form(
    state: &AppState,
    frame: &Frame,
    form: &SignInForm,
    refusal: Option<&ErrorKind>,
    reset_done: bool,
) -> Result<Response, AppError> {
    let context = minijinja::context! {
        reset_done => reset_done,
        administration => form.administration,
        login => form.login,
        retour => safe_return_path(form.retour.as_deref()),
        error => refusal.map(|kind| AppError::new(kind.clone()).message(frame.locale)),
    };
    let page = frame.render(state, "login.html", "login-title", context)?;
    let status = refusal.map_or(StatusCode::OK, ErrorKind::status);
    Ok((status, page).into_response())
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
                reason = refusal.code(),
                "sign-in refused"
            );
            let form = SignInForm {
                password: String::new(),
                ..form
            };
            render_form(&state, &frame, &form, Some(&refusal), false)
        }
    }
}

/// Verifies a password off the async threads (argon2 is deliberately slow) and
/// outside any transaction, so no database lock waits on it. An account without a
/// password costs the same time as a wrong password.
async fn verify(password: &str, hash: Option<String>) -> Result<bool, AppError> {
    let password = password.to_owned();
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

/// Signed in as (who, which account), or why not.
type Outcome = Result<(PrincipalKind, Uuid), ErrorKind>;

async fn refuse_unknown(password: &str) -> Result<Outcome, AppError> {
    verify(password, None).await?;
    Ok(Err(ErrorKind::InvalidCredentials))
}

async fn check_operator(state: &AppState, form: &SignInForm) -> Result<Outcome, AppError> {
    let policy = LockoutPolicy::default();
    let Ok(login) = Login::parse(&form.login) else {
        return refuse_unknown(&form.password).await;
    };
    let tx = state.db.platform().await?;
    let operator = tx.operators().find_by_login(&login).await?;
    tx.commit().await?;
    let Some(operator) = operator else {
        return refuse_unknown(&form.password).await;
    };
    if policy.is_locked(operator.locked_until, state.clock.now()) {
        return Ok(Err(ErrorKind::AccountLocked));
    }
    let accepted = verify(&form.password, Some(operator.password_hash.clone())).await?;
    let tx = state.db.platform_write().await?;
    let outcome = if accepted {
        tx.operators().record_success(operator.id).await?;
        Ok((PrincipalKind::Operator, operator.id))
    } else {
        let locked = tx
            .operators()
            .record_failure(operator.id, &policy, state.clock.now())
            .await?;
        Err(if locked.is_some() {
            ErrorKind::AccountLocked
        } else {
            ErrorKind::InvalidCredentials
        })
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn check_user(state: &AppState, form: &SignInForm) -> Result<Outcome, AppError> {
    let policy = LockoutPolicy::default();
    let (Ok(code), Ok(login)) = (
        TenantCode::parse(&form.administration),
        Login::parse(&form.login),
    ) else {
        return refuse_unknown(&form.password).await;
    };
    let platform = state.db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    let Some(tenant) = tenant else {
        return refuse_unknown(&form.password).await;
    };
    let tx = state.db.tenant_read(tenant.id).await?;
    let user = tx.users().find_by_login(&login).await?;
    tx.commit().await?;
    let Some(user) = user else {
        return refuse_unknown(&form.password).await;
    };
    if policy.is_locked(user.locked_until, state.clock.now()) {
        return Ok(Err(ErrorKind::AccountLocked));
    }
    let accepted = verify(&form.password, user.password_hash.clone()).await?;
    let tx = state.db.tenant_write(tenant.id).await?;
    let outcome = if !accepted {
        let locked = tx
            .users()
            .record_failure(user.id, &policy, state.clock.now())
            .await?;
        Err(if locked.is_some() {
            ErrorKind::AccountLocked
        } else {
            ErrorKind::InvalidCredentials
        })
    } else if tenant.status != TenantStatus::Active {
        // Only a person who knows the password learns that the administration is suspended.
        Err(ErrorKind::TenantSuspended)
    } else {
        tx.users()
            .record_success(user.id, state.clock.now())
            .await?;
        Ok((PrincipalKind::User(tenant.id), user.id))
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    let jar = end_session(&state, jar).await?;
    let (jar, target) = crate::oidc::after_sign_out(&state, jar).await;
    Ok((jar, Redirect::to(&target)).into_response())
}
