//! Quotas and usage across the platform. The worker measures each administration
//! (counts and sums in its own transaction) into `tenant_usage`; the dashboard, the
//! API and the metrics read those counts. The metrics aggregate across
//! administrations (totals, and how many fall in each size band): a thousand
//! administrations make a handful of series, not a thousand.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use chrono::{Datelike, TimeZone as _};
use ordo_db::{Database, OperatorEvent, Quotas, TenantRecord, UsageRecord};
use ordo_domain::{Clock, InvalidInput, Reason, TenantCode};
use ordo_web::{AppError, AppState, ClientAddress, CurrentOperator, ErrorKind, csrf::CsrfForm};
use serde::Deserialize;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Measures every administration now and keeps the counts; returns how many.
pub async fn measure_all(db: &Database, clock: &dyn Clock) -> Result<usize, ordo_db::DbError> {
    let now = clock.now();
    let tx = db.platform().await?;
    let tenants = tx.tenants().list().await?;
    tx.commit().await?;
    let mut measured = Vec::with_capacity(tenants.len());
    for tenant in &tenants {
        // "This month" as the administration's calendar has it.
        let local = now.with_timezone(&tenant.time_zone.tz());
        let month_start = tenant
            .time_zone
            .tz()
            .with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
            .earliest()
            .map_or(now, |start| start.with_timezone(&chrono::Utc));
        let tx = db.tenant_read(tenant.id).await?;
        let usage = tx
            .usage()
            .measure(month_start, now - chrono::Duration::days(30))
            .await?;
        tx.commit().await?;
        measured.push(UsageRecord {
            tenant: tenant.id,
            measured_at: now,
            usage,
        });
    }
    let tx = db.platform_write().await?;
    for record in &measured {
        tx.usage().keep(*record).await?;
    }
    tx.commit().await?;
    Ok(measured.len())
}

/// Sets an administration's quotas (`None`: no limit); journalled.
pub async fn set_quotas(
    db: &Database,
    clock: &dyn Clock,
    actor: &str,
    code: &str,
    quotas: Quotas,
    origin: &str,
) -> Result<Option<TenantRecord>, ordo_db::DbError> {
    let tx = db.platform_write().await?;
    let tenant = match TenantCode::parse(code) {
        Ok(code) => tx.tenants().find_by_code(&code).await?,
        Err(_) => None,
    };
    if let Some(tenant) = &tenant {
        tx.tenants().set_quotas(tenant.id, quotas).await?;
    }
    tx.operator_journal()
        .append(
            OperatorEvent {
                actor: actor.to_owned(),
                action: "tenant.quotas-set",
                tenant_code: Some(code.trim().to_uppercase()),
                refused: tenant
                    .is_none()
                    .then(|| "unknown-administration".to_owned()),
                details: serde_json::json!({
                    "storage_bytes": quotas.storage_bytes,
                    "users": quotas.users,
                }),
                origin: origin.to_owned(),
            },
            clock.now(),
        )
        .await?;
    tx.commit().await?;
    Ok(tenant.map(|tenant| TenantRecord { quotas, ..tenant }))
}

/// Reads quotas as people type them: storage in gibibytes (decimals allowed),
/// people as a whole number; empty is no limit.
pub fn parse_quotas(storage_gib: &str, users: &str) -> Result<Quotas, Vec<InvalidInput>> {
    let mut errors = Vec::new();
    let storage_bytes = match storage_gib.trim().replace(',', ".") {
        text if text.is_empty() => None,
        text => match text.parse::<f64>() {
            Ok(gib) if gib > 0.0 && gib < 1.0e6 => Some((gib * GIB).round() as u64),
            _ => {
                errors.push(InvalidInput::new("storage_gib", Reason::UnknownValue));
                None
            }
        },
    };
    let users = match users.trim() {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(count) if count > 0 => Some(count),
            _ => {
                errors.push(InvalidInput::new("users", Reason::UnknownValue));
                None
            }
        },
    };
    if errors.is_empty() {
        Ok(Quotas {
            storage_bytes,
            users,
        })
    } else {
        Err(errors)
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct QuotaForm {
    #[serde(default)]
    storage_gib: String,
    #[serde(default)]
    users: String,
}

/// `POST /operateur/administrations/{code}/quotas`.
pub(crate) async fn quotas_from_console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<QuotaForm>,
) -> Result<Response, AppError> {
    let Ok(quotas) = parse_quotas(&form.storage_gib, &form.users) else {
        return Ok(Redirect::to("/operateur?refus=invalid-quota").into_response());
    };
    let actor = format!("operator:{}", operator.operator.login);
    let notice = match set_quotas(
        &state.db,
        state.clock.as_ref(),
        &actor,
        &code,
        quotas,
        &origin,
    )
    .await?
    {
        Some(_) => "fait=quotas",
        None => "refus=unknown-administration",
    };
    Ok(Redirect::to(&format!("/operateur?{notice}")).into_response())
}

/// `POST /operateur/usage`: measures every administration now.
pub(crate) async fn measure_from_console(
    State(state): State<AppState>,
    _operator: CurrentOperator,
    CsrfForm(_): CsrfForm<crate::suspension::NoFields>,
) -> Result<Response, AppError> {
    measure_all(&state.db, state.clock.as_ref()).await?;
    Ok(Redirect::to("/operateur?fait=mesure").into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct QuotaBody {
    storage_bytes: Option<u64>,
    users: Option<u32>,
}

/// `PUT /api/v1/operator/tenants/{code}/quotas` with `{storage_bytes, users}`
/// (`null`: no limit).
pub(crate) async fn quotas_through_api(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    Json(body): Json<QuotaBody>,
) -> Result<Response, AppError> {
    if body.storage_bytes == Some(0) || body.users == Some(0) {
        return Err(AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            if body.users == Some(0) {
                "users"
            } else {
                "storage_bytes"
            },
            Reason::UnknownValue,
        ))));
    }
    let quotas = Quotas {
        storage_bytes: body.storage_bytes,
        users: body.users,
    };
    let actor = format!("operator:{}", operator.operator.login);
    match set_quotas(
        &state.db,
        state.clock.as_ref(),
        &actor,
        &code,
        quotas,
        &origin,
    )
    .await?
    {
        Some(tenant) => Ok(Json(serde_json::json!({
            "code": tenant.code.as_str(),
            "quotas": { "storage_bytes": quotas.storage_bytes, "users": quotas.users },
        }))
        .into_response()),
        None => Err(AppError::not_found()),
    }
}

/// Size bands for the metric `ordo_tenants_by_storage{band}`.
const BANDS: &[(&str, u64)] = &[
    ("under_100mib", 100 * 1024 * 1024),
    ("under_1gib", 1024 * 1024 * 1024),
    ("under_10gib", 10 * 1024 * 1024 * 1024),
    ("under_100gib", 100 * 1024 * 1024 * 1024),
    ("over_100gib", u64::MAX),
];

/// Sets the platform's usage metrics from the last measurements: totals and
/// counts of administrations, never one series per administration.
pub async fn refresh_metrics(state: &AppState) -> Result<(), ordo_db::DbError> {
    let tx = state.db.platform().await?;
    let tenants = tx.tenants().list().await?;
    let usage = tx.usage().all().await?;
    tx.commit().await?;
    let metrics = &state.metrics;
    let by_tenant: std::collections::HashMap<_, _> =
        usage.iter().map(|r| (r.tenant, r.usage)).collect();
    let mut bands = vec![0i64; BANDS.len()];
    let (mut storage, mut items, mut active, mut over) = (0u64, 0u64, 0u64, 0i64);
    let (mut live, mut suspended) = (0i64, 0i64);
    for tenant in &tenants {
        match tenant.status {
            ordo_domain::TenantStatus::Active => live += 1,
            ordo_domain::TenantStatus::Suspended => suspended += 1,
        }
        let Some(used) = by_tenant.get(&tenant.id) else {
            continue;
        };
        storage += used.storage_bytes;
        items += used.items_this_month;
        active += used.active_users;
        if let Some(band) = BANDS
            .iter()
            .position(|(_, limit)| used.storage_bytes < *limit)
        {
            bands[band] += 1;
        }
        let over_storage = tenant
            .quotas
            .storage_bytes
            .is_some_and(|limit| used.storage_bytes >= limit);
        let over_users = tenant
            .quotas
            .users
            .is_some_and(|limit| used.users >= u64::from(limit));
        if over_storage || over_users {
            over += 1;
        }
    }
    let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    metrics.tenants.with_label_values(&["active"]).set(live);
    metrics
        .tenants
        .with_label_values(&["suspended"])
        .set(suspended);
    metrics.storage_bytes.set(clamp(storage));
    metrics.items_this_month.set(clamp(items));
    metrics.active_users.set(clamp(active));
    metrics.tenants_at_quota.set(over);
    for ((band, _), count) in BANDS.iter().zip(bands) {
        metrics
            .tenants_by_storage
            .with_label_values(&[band])
            .set(count);
    }
    Ok(())
}
