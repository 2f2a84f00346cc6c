//! `ordo`: one binary for the whole platform.

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use ordo::{app, audit, config::Settings, demo, migrate, tenant_cli, token_cli};
use ordo_db::Database;
use ordo_domain::{Clock, SystemClock};
use ordo_mail::{OutgoingMail, SmtpMailer};
use ordo_storage::{DocumentStore, LocalStore, S3Store};
use ordo_web::{AppState, CookiePolicy};
use secrecy::ExposeSecret;

#[derive(Debug, Parser)]
#[command(
    name = "ordo",
    version,
    about = "Ordo: electronic mail registry (bureau d'ordre) for public administrations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once at start-up; boxing would only obscure the arguments"
)]
enum Command {
    /// Runs the whole platform on this machine: SQLite, local disk, no outside service, seeded for trying.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Where the demo keeps its database and documents (kept across restarts).
        #[arg(long, default_value = ".ordo-demo")]
        data: PathBuf,
    },
    /// Runs in production from a configuration file and ORDO_* variables (PostgreSQL, S3, SMTP).
    Serve {
        #[arg(long, short, env = "ORDO_CONFIG")]
        config: Option<PathBuf>,
        /// Which part of the platform this process runs, for scaling each separately.
        #[arg(long, value_enum, default_value_t = Role::All)]
        role: Role,
    },
    /// Applies, reverts or lists the database migrations.
    Migrate {
        #[arg(long, short, env = "ORDO_CONFIG")]
        config: Option<PathBuf>,
        #[command(subcommand)]
        action: MigrateAction,
    },
    /// Checks an administration's audit journal: every entry chained to the one before.
    Audit {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Creates, lists and revokes bearer tokens for the API.
    Token {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Creates and inspects administrations (tenants), for the operator agency.
    Tenant {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(subcommand)]
        action: TenantAction,
    },
    /// Connects this platform to other Ordo platforms for the exchange of mail.
    Exchange {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(subcommand)]
        action: ExchangeAction,
    },
}

#[derive(Debug, Subcommand)]
enum ExchangeAction {
    /// Issues this platform's certificate for mutual TLS from its authority; writes
    /// certificate.pem, private-key.pem and authority.pem (for the other platforms'
    /// exchange.trusted_authorities).
    Certificate {
        /// The name or IP address other platforms reach this one at.
        #[arg(long)]
        host: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Replaces an administration's seal by one it provides (certificate and
    /// ECDSA P-256 private key, PEM); then export the directory to the other
    /// platforms again.
    ReplaceSeal {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        certificate: PathBuf,
        #[arg(long)]
        private_key: PathBuf,
    },
    /// Prints this platform's administrations and their seal certificates, as JSON,
    /// for another platform to import.
    ExportDirectory,
    /// Adds the administrations of another platform (a file written by its
    /// export-directory), reached at --url.
    ImportDirectory {
        file: PathBuf,
        /// Where that platform's exchange listens, e.g. https://ordo.other.example:8443.
        #[arg(long)]
        url: String,
    },
}

/// Which platform a command works on: a configured one, or a demo's data directory.
#[derive(Debug, Clone, clap::Args)]
struct PlatformArgs {
    #[arg(
        long,
        short,
        env = "ORDO_CONFIG",
        global = true,
        conflicts_with = "data"
    )]
    config: Option<PathBuf>,
    /// Works on the embedded demo's data directory instead of a configured platform.
    #[arg(long, global = true)]
    data: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Role {
    /// Web and worker in one process.
    All,
    /// HTTP only (pages, API, health, metrics).
    Web,
    /// Background work only.
    Worker,
}

#[derive(Debug, Subcommand)]
enum MigrateAction {
    /// Applies every pending migration.
    Up,
    /// Reverts migrations (the last one by default).
    Down {
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// Lists migrations and whether each is applied.
    Status,
}

#[derive(Debug, Subcommand)]
enum TokenAction {
    /// Creates a token acting as a user; prints it once (it is not stored).
    Create {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        user: String,
        /// What the token is for, e.g. "scanner of the central secretariat".
        #[arg(long, default_value = "integration")]
        name: String,
    },
    /// Lists an administration's tokens.
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revokes a token: it stops working at once.
    Revoke {
        #[arg(long)]
        tenant: String,
        id: uuid::Uuid,
    },
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Verifies the hash chain of an administration's journal; names the first broken entry.
    Verify {
        /// The administration's code, e.g. MMG.
        #[arg(long)]
        tenant: String,
    },
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once at start-up; boxing would only obscure the arguments"
)]
enum TenantAction {
    /// Creates an administration in one step (bucket, seal, bureau d'ordre, registers,
    /// natures, directory entry) and invites its first administrator by e-mail.
    /// Run again after a failure, it completes the creation.
    Create {
        /// Short code, e.g. MMG (letters, digits, hyphens).
        #[arg(long)]
        code: String,
        #[arg(long)]
        name_fr: String,
        #[arg(long, default_value = "")]
        name_ar: String,
        #[arg(long, default_value = "")]
        name_en: String,
        /// central or decentralised.
        #[arg(long, default_value = "central")]
        level: String,
        /// The parent body's code, for a decentralised office.
        #[arg(long, default_value = "")]
        parent: String,
        /// IANA time zone, e.g. Africa/Conakry.
        #[arg(long, default_value = "Africa/Conakry")]
        time_zone: String,
        /// The weekend: sat,sun, fri,sat, fri,sun, sun or fri.
        #[arg(long, default_value = "sat,sun")]
        weekend: String,
        /// The languages it works in, e.g. fr,ar.
        #[arg(long, default_value = "fr,ar,en")]
        languages: String,
        #[arg(long, default_value = "admin")]
        admin_login: String,
        #[arg(long, default_value = "Administrateur")]
        admin_name: String,
        /// Where the invitation is sent.
        #[arg(long)]
        admin_email: String,
        /// A first password instead of the invitation (at least 10 characters).
        #[arg(long, env = "ORDO_ADMIN_PASSWORD")]
        admin_password: Option<String>,
    },
    /// Exports everything an administration has as a BagIt bag (SHA-512 manifests):
    /// its tables as JSON Lines and its documents, checked against their SHA-256.
    Export {
        code: String,
        /// The folder the bag is written in (as CODE-YYYYMMDDTHHMMSSZ).
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Deletes an administration in two steps: --request (it must be suspended), then,
    /// after `ordo tenant export`, --confirm (as the database's owner role,
    /// `database.migration_url`), which prints the certificate of deletion.
    Delete {
        code: String,
        #[arg(long, group = "step")]
        request: bool,
        #[arg(long, group = "step")]
        cancel: bool,
        #[arg(long, group = "step")]
        confirm: bool,
    },
    /// Sets an administration's quotas; an empty value is no limit.
    Quota {
        code: String,
        /// Storage in gibibytes, e.g. 2 or 0.5.
        #[arg(long, default_value = "")]
        storage_gib: String,
        /// Accounts.
        #[arg(long, default_value = "")]
        users: String,
    },
    /// Measures every administration's usage now and prints it.
    Usage,
    /// Suspends an administration: sign-ins refused, portal closed, data kept.
    Suspend { code: String },
    /// Resumes a suspended administration.
    Resume { code: String },
    /// Lists administrations.
    List,
    /// Shows one administration.
    Show { code: String },
}

/// Many small allocations per request: mimalloc serves them from per-thread pages
/// where glibc's allocator took a sixth of the server's CPU (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ordo: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Demo { listen, data } => {
            ordo_telemetry::init_logging(ordo_telemetry::LogFormat::Pretty);
            demo::run(listen, &data).await
        }
        Command::Serve { config, role } => {
            let settings = Settings::load(config.as_deref())?;
            init_logging(&settings);
            serve(settings, role).await
        }
        Command::Migrate { config, action } => {
            let settings = Settings::load(config.as_deref())?;
            init_logging(&settings);
            let db = Database::connect(settings.migration_url()?.expose_secret(), 2).await?;
            match action {
                MigrateAction::Up => migrate::up(&db).await?,
                MigrateAction::Down { steps } => migrate::down(&db, Some(steps)).await?,
                MigrateAction::Status => {
                    for (name, applied) in migrate::status(&db).await? {
                        print_line(&format!(
                            "{} {name}",
                            if applied { "applied" } else { "pending" }
                        ));
                    }
                }
            }
            Ok(())
        }
        Command::Audit {
            platform,
            action: AuditAction::Verify { tenant },
        } => {
            let (db, _, _) = open_platform(platform).await?;
            let verdict = audit::verify(&db, &tenant).await?;
            print_line(&verdict.describe());
            if verdict.is_intact() {
                Ok(())
            } else {
                Err(anyhow::anyhow!(
                    "the journal of {tenant} has been tampered with"
                ))
            }
        }
        Command::Token { platform, action } => {
            let (db, _, _) = open_platform(platform).await?;
            match action {
                TokenAction::Create { tenant, user, name } => {
                    print_line(&token_cli::create(&db, &tenant, &user, &name).await?)
                }
                TokenAction::List { tenant } => {
                    for token in token_cli::list(&db, &tenant).await? {
                        print_line(&token_cli::describe(&token));
                    }
                }
                TokenAction::Revoke { tenant, id } => token_cli::revoke(&db, &tenant, id).await?,
            }
            Ok(())
        }
        Command::Exchange { platform, action } => {
            let (db, _, _) = open_platform(platform).await?;
            match action {
                ExchangeAction::Certificate { host, out } => {
                    ordo::exchange_cli::certificate(&db, &SystemClock, &host, &out).await?;
                    print_line(&format!(
                        "certificate for {host} written to {}",
                        out.display()
                    ));
                }
                ExchangeAction::ReplaceSeal {
                    tenant,
                    certificate,
                    private_key,
                } => {
                    let read = |path: &PathBuf| {
                        std::fs::read_to_string(path)
                            .with_context(|| format!("cannot read {}", path.display()))
                    };
                    ordo::exchange_cli::replace_seal(
                        &db,
                        &SystemClock,
                        &tenant,
                        &read(&certificate)?,
                        &read(&private_key)?,
                    )
                    .await?;
                    print_line(&format!("{tenant}: seal replaced"));
                }
                ExchangeAction::ExportDirectory => {
                    print_line(&ordo::exchange_cli::export_directory(&db).await?);
                }
                ExchangeAction::ImportDirectory { file, url } => {
                    let json = std::fs::read_to_string(&file)
                        .with_context(|| format!("cannot read {}", file.display()))?;
                    let count =
                        ordo::exchange_cli::import_directory(&db, &SystemClock, &json, &url)
                            .await?;
                    print_line(&format!(
                        "{count} administrations of {url} in the directory"
                    ));
                }
            }
            Ok(())
        }
        Command::Tenant { platform, action } => {
            let (db, store, public_url) = open_platform(platform.clone()).await?;
            match action {
                TenantAction::Delete {
                    code,
                    request,
                    cancel,
                    confirm,
                } => {
                    let step = match (request, cancel, confirm) {
                        (true, _, _) => tenant_cli::DeletionStep::Request,
                        (_, true, _) => tenant_cli::DeletionStep::Cancel,
                        (_, _, true) => {
                            tenant_cli::DeletionStep::Confirm(open_owner(platform).await?)
                        }
                        _ => anyhow::bail!("say which step: --request, --cancel or --confirm"),
                    };
                    print_line(&tenant_cli::delete(&db, store, &code, step).await?);
                }
                TenantAction::Create {
                    code,
                    name_fr,
                    name_ar,
                    name_en,
                    level,
                    parent,
                    time_zone,
                    weekend,
                    languages,
                    admin_login,
                    admin_name,
                    admin_email,
                    admin_password,
                } => {
                    let request = tenant_cli::CreateRequest {
                        request: ordo_operator::CreationRequest {
                            code,
                            name_fr,
                            name_ar,
                            name_en,
                            level,
                            parent,
                            time_zone,
                            weekend,
                            languages,
                            admin_login,
                            admin_name,
                            admin_email,
                        },
                        admin_password,
                        public_url,
                    };
                    let tenant = tenant_cli::create(&db, store, request).await?;
                    print_line(&tenant_cli::describe(&tenant));
                }
                TenantAction::Export { code, out } => {
                    let report = tenant_cli::export(&db, store, &code, &out).await?;
                    print_line(&format!(
                        "{}\n{} fichiers, {} octets ({} lignes de tables, {} documents)\nSHA-512 du tagmanifest : {}",
                        report.bag.display(),
                        report.files,
                        report.bytes,
                        report.rows,
                        report.documents,
                        report.tag_manifest_sha512
                    ));
                }
                TenantAction::Quota {
                    code,
                    storage_gib,
                    users,
                } => print_line(&tenant_cli::quota(&db, &code, &storage_gib, &users).await?),
                TenantAction::Usage => {
                    for line in tenant_cli::usage(&db).await? {
                        print_line(&line);
                    }
                }
                TenantAction::Suspend { code } => {
                    let tenant = tenant_cli::change_standing(
                        &db,
                        store,
                        &code,
                        ordo_operator::Standing::Suspend,
                    )
                    .await?;
                    print_line(&tenant_cli::describe(&tenant));
                }
                TenantAction::Resume { code } => {
                    let tenant = tenant_cli::change_standing(
                        &db,
                        store,
                        &code,
                        ordo_operator::Standing::Resume,
                    )
                    .await?;
                    print_line(&tenant_cli::describe(&tenant));
                }
                TenantAction::List => {
                    for tenant in tenant_cli::list(&db).await? {
                        print_line(&tenant_cli::describe(&tenant));
                    }
                }
                TenantAction::Show { code } => {
                    print_line(&tenant_cli::describe(&tenant_cli::show(&db, &code).await?))
                }
            }
            Ok(())
        }
    }
}

#[expect(clippy::print_stdout, reason = "command output")]
fn print_line(line: &str) {
    println!("{line}");
}

/// The database and store of the demo's data directory, or of a configured platform.
/// The platform's database as its owner role (`database.migration_url`), for what
/// the application role may not do; the demo's own database with `--data`.
async fn open_owner(platform: PlatformArgs) -> anyhow::Result<Database> {
    match platform.data {
        Some(data) => Ok(demo::open(&data).await?.0),
        None => {
            let settings = Settings::load(platform.config.as_deref())?;
            Ok(Database::connect(settings.migration_url()?.expose_secret(), 2).await?)
        }
    }
}

/// Also where people reach it, for links in e-mails.
async fn open_platform(
    platform: PlatformArgs,
) -> anyhow::Result<(Database, Arc<dyn DocumentStore>, String)> {
    match platform.data {
        Some(data) => {
            let (db, store) = demo::open(&data).await?;
            Ok((db, store, demo::DEFAULT_URL.to_owned()))
        }
        None => {
            let settings = Settings::load(platform.config.as_deref())?;
            let db = Database::connect(settings.database_url()?.expose_secret(), 2).await?;
            let store = open_store(&settings)?;
            Ok((db, store, settings.server.public_url))
        }
    }
}

fn init_logging(settings: &Settings) {
    ordo_telemetry::init_logging(match settings.log.format {
        ordo::config::LogFormat::Json => ordo_telemetry::LogFormat::Json,
        ordo::config::LogFormat::Pretty => ordo_telemetry::LogFormat::Pretty,
    });
}

fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn DocumentStore>> {
    Ok(match settings.storage.kind {
        ordo::config::StorageKind::S3 => Arc::new(S3Store::new(&settings.s3_settings()?)),
        ordo::config::StorageKind::Local => {
            Arc::new(LocalStore::new(settings.storage.local_root.clone()))
        }
    })
}

async fn serve(settings: Settings, role: Role) -> anyhow::Result<()> {
    let db = Database::connect(
        settings.database_url()?.expose_secret(),
        settings.database.max_connections,
    )
    .await
    .context("database.url: cannot connect")?;
    db.check_application_role().await?;
    let store = open_store(&settings)?;
    let mail = OutgoingMail {
        transport: Arc::new(SmtpMailer::from_url(&settings.smtp_url()?)?),
        from: settings.mail_from()?,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let metrics = ordo_telemetry::Metrics::new()?;
    let state = AppState::new(
        db,
        store,
        mail,
        clock,
        metrics,
        CookiePolicy {
            secure: settings.server.secure_cookies,
        },
    )
    .with_public_url(&settings.server.public_url);
    let mut state = match &settings.portal.clamd {
        Some(address) => state.with_antivirus(address),
        None => state,
    };
    state.portal_limits = settings.portal.limits();
    state.exchange.retry = settings.exchange.retry();
    let platform_tls = settings.exchange.tls()?;
    if let Some(tls) = &platform_tls {
        state.exchange.client = Some(tls.client()?);
    }
    state.trusted_proxies = settings.server.trusted_proxies()?.into();
    if settings.server.public_url.contains("localhost") {
        tracing::warn!(
            public_url = %settings.server.public_url,
            "server.public_url is a local address: links in e-mails will not work for anyone else"
        );
    }
    let worker = matches!(role, Role::All | Role::Worker).then(|| {
        tokio::spawn(app::run_worker(
            state.clone(),
            std::time::Duration::from_secs(600),
        ))
    });
    if matches!(role, Role::All | Role::Web) {
        let listener = tokio::net::TcpListener::bind(settings.server.listen)
            .await
            .with_context(|| {
                format!("server.listen: cannot listen on {}", settings.server.listen)
            })?;
        if let (Some(address), Some(tls)) = (settings.exchange.listen, &platform_tls) {
            let exchange = tokio::net::TcpListener::bind(address)
                .await
                .with_context(|| format!("exchange.listen: cannot listen on {address}"))?;
            tracing::info!(%address, "serving other platforms (mutual TLS)");
            tokio::spawn(ordo_exchange::tls::serve(
                exchange,
                tls.server_config()?,
                ordo_exchange::platform_routes().with_state(state.clone()),
            ));
        }
        tracing::info!(address = %settings.server.listen, "serving");
        app::serve(listener, app::router(state)).await?;
    } else if let Some(worker) = worker {
        worker.await?;
    }
    Ok(())
}
