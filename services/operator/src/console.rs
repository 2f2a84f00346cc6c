//! The operator console: administrations' metadata, for the operator agency only.

use axum::{Json, Router, extract::State, routing::get};
use ordo_web::{AppError, AppState, CurrentOperator, Frame, Page};
use serde::Serialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operateur", get(console))
        .route("/api/v1/operator/tenants", get(list_tenants))
}

#[derive(Debug, Serialize)]
struct TenantRow {
    code: String,
    name: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    time_zone: &'static str,
    status: &'static str,
    created: String,
    created_iso: String,
}

async fn tenant_rows(
    state: &AppState,
    locale: ordo_domain::Locale,
) -> Result<Vec<TenantRow>, AppError> {
    let tx = state.db.platform().await?;
    let tenants = tx.tenants().list().await?;
    tx.commit().await?;
    Ok(tenants
        .into_iter()
        .map(|t| TenantRow {
            code: t.code.to_string(),
            name: t.name.get(locale).to_owned(),
            time_zone: t.time_zone.name(),
            status: t.status.as_str(),
            // Shown in the administration's own zone, as its people read dates.
            created: t
                .created_at
                .with_timezone(&t.time_zone.tz())
                .format("%d/%m/%Y")
                .to_string(),
            created_iso: t.created_at.to_rfc3339(),
            name_fr: t.name.fr,
            name_ar: t.name.ar,
            name_en: t.name.en,
        })
        .collect())
}

async fn console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    frame: Frame,
) -> Result<Page, AppError> {
    let tenants = tenant_rows(&state, frame.locale).await?;
    frame.signed_in(&operator.operator.display_name).render(
        &state,
        "operator.html",
        "operator-title",
        minijinja::context! { tenants => tenants },
    )
}

async fn list_tenants(
    State(state): State<AppState>,
    _operator: CurrentOperator,
    locale: ordo_web::RequestLocale,
) -> Result<Json<Vec<TenantRow>>, AppError> {
    tenant_rows(&state, locale.0).await.map(Json)
}
