//! Typed configuration for `ordo serve`: built-in defaults, then a TOML file, then
//! `ORDO_*` environment variables (`ORDO_DATABASE__URL` sets `database.url`). Every
//! secret can instead be read from a file named by the same key with `_file`
//! (`database.url_file`, `ORDO_STORAGE__S3__SECRET_KEY_FILE`), as Kubernetes mounts
//! them. Secrets are `SecretString`s: they never show in `Debug` output or logs.
//! See `docs/configuration.md`.

use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context;
use figment::{
    Figment,
    providers::{Env, Format, Toml},
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub storage: StorageSettings,
    pub mail: MailSettings,
    #[serde(default)]
    pub portal: PortalSettings,
    #[serde(default)]
    pub exchange: ExchangeSettings,
    pub log: LogSettings,
}

/// The exchange with other Ordo platforms (within one platform nothing needs
/// configuring).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ExchangeSettings {
    /// Where other platforms deliver envelopes and receipts, over HTTPS with mutual
    /// TLS (`host:port`); none: this platform takes none from others.
    pub listen: Option<SocketAddr>,
    /// This platform's certificate and key (PEM, from `ordo exchange certificate`),
    /// presented to the platforms it delivers to and to those that deliver to it.
    pub certificate: Option<PathBuf>,
    pub private_key: Option<PathBuf>,
    /// The authorities (PEM, one or more) of the platforms this one exchanges with.
    pub trusted_authorities: Option<PathBuf>,
    /// The wait after a first failed delivery; it doubles after each (at most 4 h).
    pub first_retry_seconds: u64,
    /// Attempts before a delivery is given up and the sender told `NotDelivered`.
    pub max_attempts: u32,
}

impl Default for ExchangeSettings {
    fn default() -> Self {
        let retry = ordo_domain::outbox::ExchangeRetry::default();
        Self {
            listen: None,
            certificate: None,
            private_key: None,
            trusted_authorities: None,
            first_retry_seconds: u64::try_from(retry.first_delay.num_seconds()).unwrap_or(30),
            max_attempts: retry.max_attempts,
        }
    }
}

impl ExchangeSettings {
    pub fn retry(&self) -> ordo_domain::outbox::ExchangeRetry {
        ordo_domain::outbox::ExchangeRetry {
            first_delay: chrono::Duration::seconds(
                i64::try_from(self.first_retry_seconds.max(1)).unwrap_or(30),
            ),
            max_attempts: self.max_attempts.max(1),
        }
    }

    /// This platform's TLS identity for the exchange, when configured; an error
    /// names the setting at fault.
    pub fn tls(&self) -> anyhow::Result<Option<ordo_exchange::tls::PlatformTls>> {
        let read = |path: &PathBuf, key: &str| {
            std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("exchange.{key}: cannot read {}: {e}", path.display()))
        };
        match (
            &self.certificate,
            &self.private_key,
            &self.trusted_authorities,
        ) {
            (None, None, None) => {
                anyhow::ensure!(
                    self.listen.is_none(),
                    "exchange.listen needs exchange.certificate, exchange.private_key and exchange.trusted_authorities"
                );
                Ok(None)
            }
            (Some(certificate), Some(key), Some(trusted)) => {
                Ok(Some(ordo_exchange::tls::PlatformTls {
                    certificate_pem: read(certificate, "certificate")?,
                    private_key_pem: read(key, "private_key")?,
                    trusted_authorities_pem: read(trusted, "trusted_authorities")?,
                }))
            }
            _ => anyhow::bail!(
                "exchange.certificate, exchange.private_key and exchange.trusted_authorities go together"
            ),
        }
    }
}

/// The public portal.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct PortalSettings {
    /// ClamAV's daemon (`host:port`): where set, every file filed on the portal is
    /// scanned before it is accepted, and refused when a signature matches.
    pub clamd: Option<String>,
    /// Filings per client address per hour.
    pub filings_per_address: u32,
    /// Filings per e-mail address per hour.
    pub filings_per_email: u32,
    /// Tracking and verification lookups per client address per ten minutes.
    pub lookups_per_address: u32,
}

impl Default for PortalSettings {
    fn default() -> Self {
        let limits = ordo_domain::portal::PortalLimits::default();
        Self {
            clamd: None,
            filings_per_address: limits.filings_per_address.max,
            filings_per_email: limits.filings_per_email.max,
            lookups_per_address: limits.lookups_per_address.max,
        }
    }
}

impl PortalSettings {
    pub fn limits(&self) -> ordo_domain::portal::PortalLimits {
        ordo_domain::portal::PortalLimits::with_maxima(
            self.filings_per_address,
            self.filings_per_email,
            self.lookups_per_address,
        )
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    /// `smtp://host:25`, `smtp://user:password@host:587?tls=required`, `smtps://host`.
    pub smtp_url: Option<SecretString>,
    pub smtp_url_file: Option<PathBuf>,
    /// The sender of every message, e.g. `Ordo <ne-pas-repondre@ordo.gov.example>`.
    pub from: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServerSettings {
    pub listen: SocketAddr,
    /// `Secure` cookies: keep on in production (HTTPS); off only for plain-HTTP tests.
    pub secure_cookies: bool,
    /// The address people reach Ordo at; links in e-mails are built on it.
    pub public_url: String,
    /// The load balancers' and proxies' networks (`10.0.0.0/8`): behind them, the
    /// client is read from `X-Forwarded-For` (the journal's origin, the portal's
    /// rate limits). Empty: the connection's own address.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
}

impl ServerSettings {
    /// The trusted proxies' networks; an entry that is not one is named.
    pub fn trusted_proxies(&self) -> anyhow::Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .map(|net| {
                net.trim().parse().map_err(|_| {
                    anyhow::anyhow!(
                        "server.trusted_proxies: {net:?} is not a network (e.g. 10.0.0.0/8)"
                    )
                })
            })
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    /// The application's connection: a role that owns no table (row-level security).
    pub url: Option<SecretString>,
    pub url_file: Option<PathBuf>,
    /// The migration connection: the role that owns the tables. Defaults to `url`.
    pub migration_url: Option<SecretString>,
    pub migration_url_file: Option<PathBuf>,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    S3,
    Local,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StorageSettings {
    pub kind: StorageKind,
    pub local_root: PathBuf,
    pub s3: S3Config,
}

#[derive(Debug, Clone, Deserialize)]
pub struct S3Config {
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key: Option<SecretString>,
    pub access_key_file: Option<PathBuf>,
    pub secret_key: Option<SecretString>,
    pub secret_key_file: Option<PathBuf>,
    pub bucket_prefix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    pub format: LogFormat,
}

/// The defaults, as a TOML document so `docs/configuration.md` can show them as is.
pub const DEFAULTS: &str = r#"
[server]
listen = "0.0.0.0:8080"
secure_cookies = true
public_url = "http://localhost:8080"

[database]
max_connections = 20

[storage]
kind = "s3"
local_root = "/var/lib/ordo/documents"

[storage.s3]
region = "us-east-1"
bucket_prefix = "ordo"

[mail]
from = "Ordo <ne-pas-repondre@ordo.invalid>"

[log]
format = "json"
"#;

impl Settings {
    /// Loads the settings; an error names the faulty key.
    pub fn load(file: Option<&std::path::Path>) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Toml::string(DEFAULTS));
        if let Some(path) = file {
            anyhow::ensure!(
                path.exists(),
                "configuration file {} does not exist",
                path.display()
            );
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("ORDO_").split("__"));
        let settings: Self = figment
            .extract()
            .map_err(|err| anyhow::anyhow!(describe(&err)))?;
        Ok(settings)
    }

    /// For tests and the demo: settings from a TOML string over the defaults.
    pub fn from_toml(text: &str) -> anyhow::Result<Self> {
        Figment::from(Toml::string(DEFAULTS))
            .merge(Toml::string(text))
            .extract()
            .map_err(|err| anyhow::anyhow!(describe(&err)))
    }

    pub fn database_url(&self) -> anyhow::Result<SecretString> {
        secret(
            "database.url",
            self.database.url.as_ref(),
            self.database.url_file.as_ref(),
        )?
        .context(
            "database.url (or database.url_file) is required: e.g. postgres://ordo_web@db/ordo",
        )
    }

    pub fn migration_url(&self) -> anyhow::Result<SecretString> {
        match secret(
            "database.migration_url",
            self.database.migration_url.as_ref(),
            self.database.migration_url_file.as_ref(),
        )? {
            Some(url) => Ok(url),
            None => self.database_url(),
        }
    }

    pub fn smtp_url(&self) -> anyhow::Result<SecretString> {
        secret(
            "mail.smtp_url",
            self.mail.smtp_url.as_ref(),
            self.mail.smtp_url_file.as_ref(),
        )?
        .context(
            "mail.smtp_url (or mail.smtp_url_file) is required: e.g. smtp://mail.gov.example:25",
        )
    }

    pub fn mail_from(&self) -> anyhow::Result<ordo_mail::Mailbox> {
        self.mail.from.parse().map_err(|e| {
            anyhow::anyhow!("mail.from: not an e-mail address with an optional name ({e})")
        })
    }

    pub fn s3_settings(&self) -> anyhow::Result<ordo_storage::S3Settings> {
        use secrecy::ExposeSecret;
        let s3 = &self.storage.s3;
        let endpoint = s3
            .endpoint
            .clone()
            .context("storage.s3.endpoint is required when storage.kind = \"s3\"")?;
        let access_key = secret(
            "storage.s3.access_key",
            s3.access_key.as_ref(),
            s3.access_key_file.as_ref(),
        )?
        .context("storage.s3.access_key (or storage.s3.access_key_file) is required")?;
        let secret_key = secret(
            "storage.s3.secret_key",
            s3.secret_key.as_ref(),
            s3.secret_key_file.as_ref(),
        )?
        .context("storage.s3.secret_key (or storage.s3.secret_key_file) is required")?;
        Ok(ordo_storage::S3Settings {
            endpoint,
            region: s3.region.clone(),
            access_key: access_key.expose_secret().to_owned(),
            secret_key,
            bucket_prefix: s3.bucket_prefix.clone(),
        })
    }
}

fn describe(err: &figment::Error) -> String {
    let mut out = String::from("invalid configuration");
    for e in err.clone() {
        let key = if e.path.is_empty() {
            "(top level)".to_owned()
        } else {
            e.path.join(".")
        };
        out.push_str(&format!("\n  {key}: {}", e.kind));
    }
    out
}

/// A secret given directly, or read from the file named by `<key>_file`.
fn secret(
    key: &str,
    value: Option<&SecretString>,
    file: Option<&PathBuf>,
) -> anyhow::Result<Option<SecretString>> {
    match (value, file) {
        (Some(_), Some(_)) => anyhow::bail!("{key} and {key}_file are both set: keep one"),
        (Some(value), None) => Ok(Some(value.clone())),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("{key}_file: cannot read {}", path.display()))?;
            Ok(Some(SecretString::from(
                text.trim_end_matches(['\n', '\r']).to_owned(),
            )))
        }
        (None, None) => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_a_bad_value_names_its_key() {
        let settings = Settings::from_toml("").expect("defaults are valid");
        assert_eq!(settings.server.listen.port(), 8080);
        assert_eq!(settings.storage.kind, StorageKind::S3);
        let err =
            Settings::from_toml("[server]\nlisten = \"not an address\"").expect_err("must fail");
        assert!(err.to_string().contains("server.listen"), "{err}");
        let err = Settings::from_toml("[storage]\nkind = \"floppy\"").expect_err("must fail");
        assert!(err.to_string().contains("storage.kind"), "{err}");
    }

    #[test]
    fn secrets_come_from_files_and_never_print() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db-url");
        std::fs::write(&path, "postgres://ordo_web:s3cret@db/ordo\n").expect("write");
        let settings = Settings::from_toml(&format!(
            "[database]\nurl_file = {:?}",
            path.display().to_string()
        ))
        .expect("valid");
        let url = settings.database_url().expect("read from file");
        assert_eq!(
            secrecy::ExposeSecret::expose_secret(&url),
            "postgres://ordo_web:s3cret@db/ordo"
        );
        assert!(!format!("{settings:?}").contains("s3cret"));
        let missing = Settings::from_toml("")
            .expect("valid")
            .database_url()
            .expect_err("required");
        assert!(missing.to_string().contains("database.url"));
    }
}
