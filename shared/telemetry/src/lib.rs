//! Logs and metrics. Names are written down here, where they are declared, and in
//! `docs/telemetry.md`; metrics are labelled by route template, never by raw path,
//! so their cardinality stays bounded.

use std::time::Instant;

use axum::{extract::MatchedPath, extract::Request, middleware::Next, response::Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object a line, for `ordo serve` and log collectors.
    Json,
    /// Readable lines, for `ordo demo` and people at a terminal.
    Pretty,
}

/// Installs the global tracing subscriber. `RUST_LOG` overrides the default filter.
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("info,sqlx=warn,sea_orm=warn,aws=warn,hyper=warn,h2=warn")
    });
    let registry = tracing_subscriber::registry().with(filter);
    // A second call (tests start many apps in one process) keeps the first subscriber.
    let _ = match format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_target(false))
            .try_init(),
    };
}

/// The process's metrics. One instance per running app, served at `/metrics`.
#[derive(Debug, Clone)]
pub struct Metrics {
    registry: Registry,
    /// `http_requests_total{method, route, status}`: requests answered.
    pub http_requests: IntCounterVec,
    /// `http_request_duration_seconds{method, route, status}`: time to answer.
    pub http_duration: HistogramVec,
    /// `http_requests_in_flight`: requests being answered now.
    pub http_in_flight: IntGauge,
    /// `db_pool_connections`: connections open in the database pool.
    pub db_pool_size: IntGauge,
    /// `db_pool_idle_connections`: of those, idle ones.
    pub db_pool_idle: IntGauge,
    /// `tenants{status}`: administrations, by status.
    pub tenants: IntGaugeVec,
    /// `tenants_by_storage{band}`: administrations by the size of their documents.
    pub tenants_by_storage: IntGaugeVec,
    /// `storage_bytes`: documents kept, all administrations together.
    pub storage_bytes: IntGauge,
    /// `items_registered_this_month`: all administrations together.
    pub items_this_month: IntGauge,
    /// `active_users`: people who signed in within 30 days, all administrations.
    pub active_users: IntGauge,
    /// `tenants_at_quota`: administrations at or over one of their quotas.
    pub tenants_at_quota: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("ordo".to_owned()), None)?;
        let labels = &["method", "route", "status"];
        let http_requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered"),
            labels,
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer an HTTP request",
            )
            .buckets(vec![
                0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            labels,
        )?;
        let http_in_flight =
            IntGauge::new("http_requests_in_flight", "HTTP requests being answered")?;
        let db_pool_size = IntGauge::new(
            "db_pool_connections",
            "Connections open in the database pool",
        )?;
        let db_pool_idle = IntGauge::new(
            "db_pool_idle_connections",
            "Idle connections in the database pool",
        )?;
        // Usage across the platform, measured by the worker: a few series whatever
        // the number of administrations.
        let tenants = IntGaugeVec::new(
            Opts::new("tenants", "Administrations, by status"),
            &["status"],
        )?;
        let tenants_by_storage = IntGaugeVec::new(
            Opts::new(
                "tenants_by_storage",
                "Administrations, by the size of their documents",
            ),
            &["band"],
        )?;
        let storage_bytes = IntGauge::new("storage_bytes", "Documents kept, in bytes")?;
        let items_this_month = IntGauge::new(
            "items_registered_this_month",
            "Items registered since the first of the month",
        )?;
        let active_users = IntGauge::new(
            "active_users",
            "People who signed in within the last 30 days",
        )?;
        let tenants_at_quota = IntGauge::new(
            "tenants_at_quota",
            "Administrations at or over one of their quotas",
        )?;
        for gauge in [&tenants, &tenants_by_storage] {
            registry.register(Box::new(gauge.clone()))?;
        }
        for gauge in [
            &storage_bytes,
            &items_this_month,
            &active_users,
            &tenants_at_quota,
        ] {
            registry.register(Box::new(gauge.clone()))?;
        }
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(http_in_flight.clone()))?;
        registry.register(Box::new(db_pool_size.clone()))?;
        registry.register(Box::new(db_pool_idle.clone()))?;
        Ok(Self {
            registry,
            http_requests,
            http_duration,
            http_in_flight,
            db_pool_size,
            db_pool_idle,
            tenants,
            tenants_by_storage,
            storage_bytes,
            items_this_month,
            active_users,
            tenants_at_quota,
        })
    }

    /// The registry, for later capabilities to register their own metrics.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        if let Err(err) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %err, "encoding metrics failed");
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// Counts a request as in flight until dropped, so a request whose client went
/// away (its future dropped mid-way) is not counted forever.
struct InFlight(IntGauge);

impl InFlight {
    fn enter(gauge: &IntGauge) -> Self {
        gauge.inc();
        Self(gauge.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware that counts and times every request by its route template.
pub async fn track_http(metrics: Metrics, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let in_flight = InFlight::enter(&metrics.http_in_flight);
    let started = Instant::now();
    let response = next.run(request).await;
    drop(in_flight);
    let status = response.status().as_u16().to_string();
    let labels = [method.as_str(), route.as_str(), status.as_str()];
    metrics.http_requests.with_label_values(&labels).inc();
    metrics
        .http_duration
        .with_label_values(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}
