//! The assembled application: every service's routes in one router, framed by the
//! same layers. From the outside in, a request meets:
//!
//! 1. request id (set if absent, echoed back),
//! 2. the trace span (method, route, request id, and the tenant once known),
//! 3. HTTP metrics by route template,
//! 4. security headers,
//! 5. language resolution,
//! 6. error rendering (problem+json for `/api`, a page for people),
//! 7. panic catching (a panic becomes an ordinary 500),
//! 8. the CSRF cookie,
//!
//! then the handler, which extracts who is asking (`CurrentUser`, `CurrentOperator`)
//! and calls the domain and repositories.

use std::{net::SocketAddr, time::Duration};

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::{HeaderName, Request, StatusCode},
    middleware::{from_fn, from_fn_with_state},
    response::IntoResponse,
    routing::get,
};
use ordo_web::{AppError, AppState, csrf, error, i18n, security};
use tower_http::{
    catch_panic::CatchPanicLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::TraceLayer,
};

/// Bodies above this are refused by every extractor. Document uploads set their own,
/// larger limit on their route.
const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Builds the whole application around `state`.
pub fn router(state: AppState) -> Router {
    let templates = state.templates.clone();
    let metrics = state.metrics.clone();
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .merge(ordo_web::auth::routes())
        .merge(ordo_web::oidc::routes())
        .merge(ordo_web::password_reset::routes())
        .merge(ordo_registry::routes())
        .merge(ordo_operator::routes())
        .merge(ordo_organisation::routes())
        .merge(ordo_dispatch::routes())
        .merge(ordo_statistics::routes())
        .merge(ordo_portal::routes())
        .merge(ordo_exchange::routes())
        .route("/langue/{tag}", get(i18n::choose_language))
        .route("/static/ordo.css", get(ordo_web::assets::stylesheet))
        .route("/static/ordo.js", get(ordo_web::assets::script))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
        .route("/api/openapi.json", get(openapi_json))
        .fallback(|| async { AppError::not_found() })
        .layer(from_fn_with_state(state.clone(), csrf::ensure_csrf_cookie))
        .layer(from_fn_with_state(
            state.clone(),
            ordo_web::client::resolve_client,
        ))
        // Inside the error policy and the security headers: a panic becomes a 500
        // rendered like any other error, with every header.
        .layer(CatchPanicLayer::new())
        .layer(from_fn(move |req, next| {
            error::render_errors(templates.clone(), req, next)
        }))
        .layer(from_fn_with_state(state.clone(), i18n::resolve_locale))
        .layer(from_fn(security::security_headers))
        .layer(from_fn(move |req, next| {
            ordo_telemetry::track_http(metrics.clone(), req, next)
        }))
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                let request_id = request
                    .extensions()
                    .get::<RequestId>()
                    .and_then(|id| id.header_value().to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                    request_id = %request_id,
                    tenant = tracing::field::Empty,
                )
            }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The OpenAPI 3.1 document of every `/api/v1` operation.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let mut document = PlatformApi::openapi();
    document.merge(ordo_registry::api::RegistryApi::openapi());
    document.merge(ordo_dispatch::api::DispatchApi::openapi());
    document
}

#[derive(Debug, utoipa::OpenApi)]
#[openapi(
    info(
        title = "Ordo",
        description = "Electronic registry (bureau d'ordre) of public administrations. \
                       Authenticate with `Authorization: Bearer <token>` (`ordo token create`). \
                       Errors are `application/problem+json` with a stable `code`.",
    ),
    modifiers(&BearerAuth)
)]
struct PlatformApi;

#[derive(Debug)]
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> impl IntoResponse {
    static DOCUMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        openapi()
            .to_pretty_json()
            .unwrap_or_else(|_| "{}".to_owned())
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// How long each readiness check may take: a probe must answer before its own timeout.
const READINESS_TIMEOUT: Duration = Duration::from_secs(3);

/// The process can serve: the database and the document store answer.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let timed_out = |_| "timed out".to_owned();
    let (database, storage) = tokio::join!(
        tokio::time::timeout(READINESS_TIMEOUT, state.db.ping()),
        tokio::time::timeout(READINESS_TIMEOUT, state.store.check()),
    );
    let database = database
        .map_err(timed_out)
        .and_then(|r| r.map_err(|e| e.to_string()));
    let storage = storage
        .map_err(timed_out)
        .and_then(|r| r.map_err(|e| e.to_string()));
    let ready = database.is_ok() && storage.is_ok();
    let describe = |r: &Result<(), String>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            "unavailable".to_owned()
        }
    };
    let body =
        serde_json::json!({ "database": describe(&database), "storage": describe(&storage) });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

async fn metrics_text(State(state): State<AppState>) -> impl IntoResponse {
    if let Err(err) = ordo_operator::usage::refresh_metrics(&state).await {
        tracing::warn!(error = %err, "usage metrics not refreshed");
    }
    let pool = state.db.pool_stats();
    state.metrics.db_pool_size.set(i64::from(pool.size));
    state.metrics.db_pool_idle.set(i64::from(pool.idle));
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
}

/// Serves `router` on `listener` until SIGINT or SIGTERM, then drains requests.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> anyhow::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = interrupt => {}, () = terminate => {} }
    tracing::info!("shutting down");
}

/// The worker role's periodic housekeeping (today: expired sessions). Later
/// capabilities add the outbox here. A failed round is logged and the next one runs:
/// a database restart must not stop the worker for good.
pub async fn run_worker(state: AppState, every: Duration) {
    // The outbox is looked at often (an e-mail leaves within seconds); the session
    // purge every `every`.
    let mut outbox = tokio::time::interval(OUTBOX_EVERY);
    let mut exchange = tokio::time::interval(EXCHANGE_EVERY);
    let mut purge = tokio::time::interval(every);
    let mut deadlines = tokio::time::interval(DEADLINES_EVERY);
    let mut usage = tokio::time::interval(USAGE_EVERY);
    loop {
        tokio::select! {
            _ = deadlines.tick() => {
                match ordo_dispatch::deadlines::send_due(&state).await {
                    Ok(report) if report != Default::default() => {
                        tracing::info!(?report, "reminders, escalations and digests queued");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "deadline round failed; retrying next round"),
                }
            }
            _ = outbox.tick() => {
                // A full round means more is waiting (a burst of filings): go on at
                // once rather than at the next tick, within a bound so the other
                // duties still get their turn.
                for _ in 0..OUTBOX_ROUNDS_PER_TICK {
                    match crate::outbox::deliver_due(&state).await {
                        Ok(report) if report.was_full() => {}
                        Ok(_) => break,
                        Err(err) => {
                            tracing::warn!(error = %err, "outbox round failed; retrying next round");
                            break;
                        }
                    }
                }
            }
            _ = exchange.tick() => {
                for _ in 0..OUTBOX_ROUNDS_PER_TICK {
                    match ordo_exchange::courier::deliver_due(&state).await {
                        Ok(report) if report.was_full() => {}
                        Ok(_) => break,
                        Err(err) => {
                            tracing::warn!(error = %err, "exchange round failed; retrying next round");
                            break;
                        }
                    }
                }
            }
            _ = usage.tick() => {
                if let Err(err) = ordo_operator::usage::measure_all(&state.db, state.clock.as_ref()).await {
                    tracing::warn!(error = %err, "usage measurement failed; retrying next round");
                }
            }
            _ = purge.tick() => {
                if let Err(err) = purge_sessions(&state).await {
                    tracing::warn!(error = %err, "session purge failed; retrying next round");
                }
            }
            () = shutdown_signal() => return,
        }
    }
}

/// How often the worker looks for reminders, escalations and digests to send (each
/// is recorded once per dispatch or person and day, so rounds can be frequent).
const DEADLINES_EVERY: Duration = Duration::from_secs(60);

/// How often the worker measures every administration's usage for the operator's
/// dashboard and the metrics (counts and sums, one short transaction each).
const USAGE_EVERY: Duration = Duration::from_secs(300);

/// How often the worker looks for e-mails to deliver: an acknowledgment leaves
/// within about this long of its registration. Looking is one indexed query on
/// `(status, next_attempt_at)`, cheap enough to run twice a second.
const OUTBOX_EVERY: Duration = Duration::from_millis(500);

/// How often the worker looks for envelopes and receipts to deliver to other
/// administrations: one indexed query on `(status, next_attempt_at)`.
const EXCHANGE_EVERY: Duration = Duration::from_millis(250);

/// How many full rounds of the outbox one tick may run (ten messages each).
const OUTBOX_ROUNDS_PER_TICK: usize = 30;

async fn purge_sessions(state: &AppState) -> Result<(), ordo_db::DbError> {
    let tx = state.db.platform_write().await?;
    let purged = tx.sessions().purge_expired(state.clock.now()).await?;
    tx.commit().await?;
    if purged > 0 {
        tracing::info!(purged, "expired sessions removed");
    }
    Ok(())
}
