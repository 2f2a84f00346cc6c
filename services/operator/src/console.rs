//! The operator console: administrations' metadata, for the operator agency only.

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::{get, post},
};
use ordo_web::{AppError, AppState, CurrentOperator, Frame, Page};
use serde::{Deserialize, Serialize};

use crate::{creation, deletion, suspension, usage};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/operateur", get(console))
        .route(
            "/operateur/administrations",
            post(creation::create_from_console),
        )
        .route("/operateur/administrations/nouvelle", get(creation::form))
        .route(
            "/operateur/administrations/{code}/creation",
            get(creation::progress_page).post(creation::resume_from_console),
        )
        .route("/operateur/usage", post(usage::measure_from_console))
        .route(
            "/operateur/administrations/{code}/quotas",
            post(usage::quotas_from_console),
        )
        .route(
            "/operateur/administrations/{code}/suppression",
            post(deletion::request_from_console),
        )
        .route(
            "/operateur/administrations/{code}/suppression/annuler",
            post(deletion::cancel_from_console),
        )
        .route(
            "/operateur/administrations/{code}/{action}",
            post(suspension::change_from_console),
        )
        .route(
            "/api/v1/operator/tenants",
            get(list_tenants).post(creation::create_through_api),
        )
        .route(
            "/api/v1/operator/tenants/{code}/creation",
            get(creation::creation_through_api),
        )
        .route(
            "/api/v1/operator/tenants/{code}/quotas",
            axum::routing::put(usage::quotas_through_api),
        )
        .route(
            "/api/v1/operator/tenants/{code}/deletion-request",
            post(deletion::request_through_api).delete(deletion::cancel_through_api),
        )
        .route(
            "/api/v1/operator/tenants/{code}/{action}",
            post(suspension::change_through_api),
        )
}

#[derive(Debug, Default, Deserialize)]
struct ConsoleQuery {
    fait: Option<String>,
    refus: Option<String>,
}

#[derive(Debug, Serialize)]
struct JournalRow {
    at: String,
    iso: String,
    actor: String,
    action: String,
    tenant: String,
    outcome: String,
    details: String,
}

/// A creation that has not finished: running, or stopped and waiting to be taken up.
#[derive(Debug, Serialize)]
struct UnfinishedRow {
    code: String,
    step: String,
    error: bool,
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
    level: &'static str,
    parent: Option<String>,
    /// When its deletion was requested, if it was.
    deletion_requested: Option<String>,
    /// Its last measured usage and its quotas, as people read them.
    storage_used: Option<String>,
    storage_quota: Option<String>,
    storage_quota_gib: String,
    storage_bytes: Option<u64>,
    users: Option<u64>,
    users_quota: Option<u32>,
    active_users: Option<u64>,
    items_this_month: Option<u64>,
    measured: Option<String>,
    at_quota: bool,
    created: String,
    created_iso: String,
}

async fn tenant_rows(
    state: &AppState,
    locale: ordo_domain::Locale,
) -> Result<Vec<TenantRow>, AppError> {
    let tx = state.db.platform().await?;
    let tenants = tx.tenants().list().await?;
    let requests: std::collections::HashMap<_, _> = tx
        .deletion_requests()
        .all()
        .await?
        .into_iter()
        .map(|r| (r.tenant_id, r.requested_at))
        .collect();
    let usage: std::collections::HashMap<_, _> = tx
        .usage()
        .all()
        .await?
        .into_iter()
        .map(|r| (r.tenant, r))
        .collect();
    tx.commit().await?;
    Ok(tenants
        .into_iter()
        .map(|t| {
            let used = usage.get(&t.id);
            let at_quota = used.is_some_and(|u| {
                t.quotas
                    .storage_bytes
                    .is_some_and(|limit| u.usage.storage_bytes >= limit)
                    || t.quotas
                        .users
                        .is_some_and(|limit| u.usage.users >= u64::from(limit))
            });
            TenantRow {
                storage_used: used
                    .map(|u| ordo_web::i18n::human_size(u.usage.storage_bytes, locale)),
                storage_quota: t
                    .quotas
                    .storage_bytes
                    .map(|b| ordo_web::i18n::human_size(b, locale)),
                storage_quota_gib: t
                    .quotas
                    .storage_bytes
                    .map(|b| {
                        format!(
                            "{}",
                            (b as f64 / (1024.0 * 1024.0 * 1024.0) * 100.0).round() / 100.0
                        )
                    })
                    .unwrap_or_default(),
                storage_bytes: used.map(|u| u.usage.storage_bytes),
                users: used.map(|u| u.usage.users),
                users_quota: t.quotas.users,
                active_users: used.map(|u| u.usage.active_users),
                items_this_month: used.map(|u| u.usage.items_this_month),
                measured: used.map(|u| u.measured_at.format("%d/%m/%Y %H:%M UTC").to_string()),
                at_quota,
                deletion_requested: requests
                    .get(&t.id)
                    .map(|at| at.format("%d/%m/%Y %H:%M UTC").to_string()),
                code: t.code.to_string(),
                name: t.name.get(locale).to_owned(),
                time_zone: t.time_zone.name(),
                status: t.status.as_str(),
                level: t.level.as_str(),
                parent: t.parent_code.as_ref().map(ToString::to_string),
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
            }
        })
        .collect())
}

/// How many entries of the operator's journal the console shows.
const JOURNAL_SHOWN: u64 = 50;

async fn console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    frame: Frame,
    Query(query): Query<ConsoleQuery>,
) -> Result<Page, AppError> {
    let tenants = tenant_rows(&state, frame.locale).await?;
    let tx = state.db.platform().await?;
    let journal: Vec<JournalRow> = tx
        .operator_journal()
        .recent(JOURNAL_SHOWN)
        .await?
        .into_iter()
        .map(|e| JournalRow {
            // The operator works in UTC: administrations span time zones.
            at: e.at.format("%d/%m/%Y %H:%M UTC").to_string(),
            iso: e.at.to_rfc3339(),
            actor: e.actor,
            action: e.action,
            tenant: e.tenant_code.unwrap_or_default(),
            outcome: e.outcome,
            details: e.details,
        })
        .collect();
    let unfinished: Vec<UnfinishedRow> = tx
        .provisionings()
        .unfinished()
        .await?
        .into_iter()
        .map(|p| UnfinishedRow {
            code: p.code,
            step: p.step,
            error: p.error.is_some(),
        })
        .collect();
    tx.commit().await?;
    frame.signed_in(&operator.operator.display_name).render(
        &state,
        "operator.html",
        "operator-title",
        minijinja::context! {
            tenants => tenants,
            journal => journal,
            unfinished => unfinished,
            done => query.fait,
            refused => query.refus,
        },
    )
}

async fn list_tenants(
    State(state): State<AppState>,
    _operator: CurrentOperator,
    locale: ordo_web::RequestLocale,
) -> Result<Json<Vec<TenantRow>>, AppError> {
    tenant_rows(&state, locale.0).await.map(Json)
}
