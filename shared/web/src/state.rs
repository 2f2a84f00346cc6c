use std::sync::Arc;

use ordo_db::Database;
use ordo_domain::Clock;
use ordo_mail::OutgoingMail;
use ordo_storage::DocumentStore;
use ordo_telemetry::Metrics;

use crate::templates::Templates;

/// How cookies are set: `Secure` in production behind HTTPS; off only for the
/// embedded demo on plain `http://localhost`.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// The cookie's name: with the `__Host-` prefix when secure, so the browser only
    /// accepts it from this exact host over HTTPS and a sibling domain cannot plant one.
    pub fn name(self, base: &str) -> String {
        if self.secure {
            format!("__Host-{base}")
        } else {
            base.to_owned()
        }
    }
}

/// What every handler can reach. Cheap to clone: everything inside is shared.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Database,
    pub store: Arc<dyn DocumentStore>,
    pub mail: OutgoingMail,
    pub clock: Arc<dyn Clock>,
    pub templates: Arc<Templates>,
    pub metrics: Metrics,
    pub cookies: CookiePolicy,
    /// The address people reach Ordo at (`server.public_url`): links in e-mails
    /// are built on it, never on a request's `Host` header.
    pub public_url: String,
    /// ClamAV's daemon, where configured (`portal.clamd`): files filed on the public
    /// portal are scanned before they are accepted.
    pub antivirus: Option<Arc<ordo_storage::antivirus::Clamd>>,
    /// How often the public portal may be used from one address or e-mail.
    pub portal_limits: ordo_domain::portal::PortalLimits,
    /// The load balancers and proxies whose `X-Forwarded-For` is believed
    /// (`server.trusted_proxies`); none by default.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// How envelopes reach other platforms, and how failed deliveries are retried.
    pub exchange: ExchangeLink,
}

/// The exchange's link to other platforms: an HTTPS client presenting this
/// platform's certificate (mutual TLS), when configured (`exchange.*`), and the
/// retry policy.
#[derive(Debug, Clone, Default)]
pub struct ExchangeLink {
    pub client: Option<reqwest::Client>,
    pub retry: ordo_domain::outbox::ExchangeRetry,
}

impl AppState {
    pub fn new(
        db: Database,
        store: Arc<dyn DocumentStore>,
        mail: OutgoingMail,
        clock: Arc<dyn Clock>,
        metrics: Metrics,
        cookies: CookiePolicy,
    ) -> Self {
        Self {
            db,
            store,
            mail,
            clock,
            templates: Arc::new(Templates::new()),
            metrics,
            cookies,
            public_url: "http://localhost:8080".to_owned(),
            antivirus: None,
            portal_limits: ordo_domain::portal::PortalLimits::default(),
            trusted_proxies: Arc::from(Vec::new()),
            exchange: ExchangeLink::default(),
        }
    }

    /// The same state, reached at `url` (no trailing slash).
    pub fn with_public_url(mut self, url: &str) -> Self {
        url.trim_end_matches('/').clone_into(&mut self.public_url);
        self
    }

    /// Scans the files filed on the portal with the clamd daemon at `address`.
    pub fn with_antivirus(mut self, address: &str) -> Self {
        self.antivirus = Some(Arc::new(ordo_storage::antivirus::Clamd::new(address)));
        self
    }
}
