//! An administration's look on its portal: its colour, as a one-line style sheet
//! (the content security policy allows no inline style), and its logo. Both are
//! public, cached a few minutes, and not counted against the pages' rate limits.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use ordo_web::{AppError, AppState};

use crate::portal_of;

/// How long browsers and proxies may keep them: a changed colour shows within it.
const CACHE: &str = "public, max-age=300";

/// `GET /depot/{tenant}/marque.css`: `:root { --brand: #rrggbb; }`, or nothing.
pub(crate) async fn style_sheet(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    let tx = state.db.tenant_read(tenant.id).await?;
    let (colour, _) = tx.portal_settings().branding().await?;
    tx.commit().await?;
    // Checked when saved; checked again, as anything put into CSS must be.
    let body = colour
        .and_then(|c| ordo_domain::BrandColour::parse(&c).ok())
        .map(|c| format!(":root {{ --brand: {}; }}\n", c.as_str()))
        .unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        body,
    )
        .into_response())
}

/// `GET /depot/{tenant}/logo`: the logo as saved (PNG or JPEG), or not found.
pub(crate) async fn logo(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    let tx = state.db.tenant_read(tenant.id).await?;
    let settings = tx.portal_settings().get().await?;
    tx.commit().await?;
    let (content, media_type) = settings.logo.ok_or_else(AppError::not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CACHE_CONTROL, CACHE.to_owned()),
        ],
        content,
    )
        .into_response())
}

/// What every portal page needs to show the administration's look.
pub(crate) async fn has_logo(
    state: &AppState,
    tenant: &ordo_db::TenantRecord,
) -> Result<bool, AppError> {
    let tx = state.db.tenant_read(tenant.id).await?;
    let (_, logo) = tx.portal_settings().branding().await?;
    tx.commit().await?;
    Ok(logo)
}
