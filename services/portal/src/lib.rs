//! The public portal of each administration: nobody signs in here.
//!
//! - `/depot/{CODE}`: a citizen or a partner files mail (the letter and
//!   attachments), from a phone on a weak connection, without JavaScript; they get
//!   a deposit receipt at once (page and e-mail) and the filing waits as a draft in
//!   the bureau d'ordre's queue. When it is registered, the registry e-mails the
//!   acknowledgment of receipt (`ordo_registry::acknowledgment`).
//! - `/depot/{CODE}/suivi`: with the tracking code and their e-mail, the filer
//!   follows the milestones (filed, registered, sent to a unit, answered, closed).
//! - `/verifier/{CODE}/{verification code}`: anyone holding an acknowledgment checks
//!   it is genuine.
//!
//! Every public page is rate-limited per client address; codes are sixty random
//! bits, so guessing them is hopeless within the limit.

use axum::{Router, extract::DefaultBodyLimit, routing::get};
use ordo_db::TenantRecord;
use ordo_domain::{TenantCode, TenantStatus, portal::RateLimit};
use ordo_web::{AppError, AppState, ErrorKind};

mod branding;
mod filing;
mod settings;

pub use filing::{Intake, commit_filing};
mod mail_settings;
mod tracking;

pub fn routes() -> Router<AppState> {
    let uploads =
        DefaultBodyLimit::max(usize::try_from(filing::MAX_FILING_BYTES).unwrap_or(usize::MAX));
    Router::new()
        .route(
            "/depot/{tenant}",
            get(filing::filing_page).post(filing::file).layer(uploads),
        )
        .route("/depot/{tenant}/marque.css", get(branding::style_sheet))
        .route("/depot/{tenant}/logo", get(branding::logo))
        .route(
            "/depot/{tenant}/confirmer",
            get(filing::confirmation_page).post(filing::confirm),
        )
        .route(
            "/depot/{tenant}/suivi",
            get(tracking::tracking_form).post(tracking::track),
        )
        .route(
            "/depot/{tenant}/suivi/reponse/{document}",
            axum::routing::post(tracking::download_reply),
        )
        .route(
            "/parametres/portail",
            get(settings::settings_page)
                .post(settings::save_settings)
                .layer(DefaultBodyLimit::max(1024 * 1024)),
        )
        .route("/parametres/portail/apercu.pdf", get(settings::sample))
        .route("/parametres/courriels", get(mail_settings::overview))
        .route(
            "/parametres/courriels/{kind}/{language}",
            get(mail_settings::editor).post(mail_settings::save),
        )
        .route("/verifier/{tenant}", get(tracking::verification_form))
        .route("/verifier/{tenant}/{code}", get(tracking::verify))
}

/// The administration whose portal a public page belongs to. An unknown code is
/// not found; a suspended administration's portal is closed, and says so.
async fn portal_of(state: &AppState, code: &str) -> Result<TenantRecord, AppError> {
    let code = TenantCode::parse(code).map_err(|_| AppError::not_found())?;
    let platform = state.db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    match tenant {
        Some(tenant) if tenant.status == TenantStatus::Active => Ok(tenant),
        Some(_) => Err(AppError::new(ErrorKind::PortalClosed)),
        None => Err(AppError::not_found()),
    }
}

/// Renders a public page of `tenant`'s portal (its code and name are in every one)
/// with `status`: a code that opens nothing still gets its page, with 404.
async fn portal_page(
    state: &AppState,
    frame: &ordo_web::Frame,
    tenant: &TenantRecord,
    (template, title_key): (&str, &str),
    status: axum::http::StatusCode,
    context: minijinja::Value,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse as _;
    let context = minijinja::context! {
        tenant_code => tenant.code.as_str(),
        administration => tenant.name.get(frame.locale),
        portal_brand => true,
        has_logo => branding::has_logo(state, tenant).await?,
        ..context
    };
    let page = frame.render(state, template, title_key, context)?;
    Ok((status, page).into_response())
}

/// 404 when a lookup found nothing, else 200.
fn found_or_not(not_found: bool) -> axum::http::StatusCode {
    if not_found {
        axum::http::StatusCode::NOT_FOUND
    } else {
        axum::http::StatusCode::OK
    }
}

/// Counts one more use of a public page by `key`; past the limit, refused.
async fn within_limit(state: &AppState, limit: &RateLimit, key: &str) -> Result<(), AppError> {
    let platform = state.db.platform_write().await?;
    let allowed = platform
        .rate_counters()
        .hit(limit, key, state.clock.now())
        .await?;
    platform.commit().await?;
    if allowed {
        Ok(())
    } else {
        tracing::info!(bucket = limit.bucket, "public page rate limit reached");
        Err(AppError::new(ErrorKind::TooManyRequests))
    }
}
