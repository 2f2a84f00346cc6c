//! Support for the integration suite. Every test gets its own database (a SQLite
//! file, or a PostgreSQL database cloned from a migrated template) and its own
//! server on port 0. The real services come from `tests/run.sh`, which exports:
//!
//! - `ORDO_TEST_PG_URL`: a superuser URL of the throw-away PostgreSQL cluster;
//! - `ORDO_TEST_S3_ENDPOINT`, `_ACCESS_KEY`, `_SECRET_KEY`, `_REGION`: the Ceph gateway;
//! - `ORDO_TEST_WEBDRIVER`, `ORDO_TEST_CHROMIUM`: chromedriver and the browser.
//!
//! A test that needs a service which is not there fails and says to run `tests/run.sh`.

#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a failed set-up must stop the test loudly"
)]

pub mod browser;

use std::{net::SocketAddr, path::PathBuf, sync::Arc};

use ordo_db::Database;
use ordo_domain::{Clock, SystemClock};
use ordo_migrations::{Migrator, MigratorTrait};
use ordo_storage::{DocumentStore, LocalStore, S3Settings, S3Store};
use ordo_web::{AppState, CookiePolicy};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use tokio::sync::{Mutex, OnceCell};

/// The password of the application's login role in the test cluster.
const APP_LOGIN: &str = "ordo_web";

pub fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the suite with tests/run.sh, which starts the real services")
    })
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of this test's own.
#[derive(Debug)]
pub struct TestDb {
    pub backend: Backend,
    /// The application's connection: on PostgreSQL a login role that owns no table.
    pub app: Database,
    /// The owner's connection, for checking state behind the application's back.
    pub owner: Database,
    /// Where the application connects: another replica connects there too.
    app_url: String,
    _dir: Option<tempfile::TempDir>,
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static CLONE_LOCK: Mutex<()> = Mutex::const_new(());

fn pg_url(database: &str, user: &str) -> String {
    let admin = required_env("ORDO_TEST_PG_URL");
    let (base, _) = admin
        .rsplit_once('/')
        .expect("ORDO_TEST_PG_URL ends with /database");
    let rest = base.strip_prefix("postgres://").expect("a postgres:// URL");
    let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("postgres://{user}@{host}/{database}")
}

/// Runs one statement on the cluster's `postgres` database as the superuser.
async fn pg_admin(sql: &str) {
    let admin = Database::connect(&required_env("ORDO_TEST_PG_URL"), 1)
        .await
        .expect("connect as superuser");
    admin
        .connection()
        .execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    admin.connection().clone().close().await.expect("close");
}

/// An empty PostgreSQL database owned by a role that is neither superuser nor
/// BYPASSRLS, as on managed PostgreSQL (it may create roles): that owner's
/// connection, and a superuser's on the same database.
pub async fn postgres_under_plain_owner() -> (Database, Database) {
    const OWNER: &str = "ordo_plain_owner";
    let name = format!("ordo_plain_{}", uuid::Uuid::new_v4().simple());
    pg_admin(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') THEN
             CREATE ROLE {OWNER} LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE;
           END IF;
         END $$;"
    ))
    .await;
    pg_admin(&format!("CREATE DATABASE {name} OWNER {OWNER}")).await;
    let owner = Database::connect(&pg_url(&name, OWNER), 2)
        .await
        .expect("connect as the plain owner");
    let superuser = Database::connect(&pg_url(&name, "postgres"), 1)
        .await
        .expect("connect as superuser");
    (owner, superuser)
}

/// Creates the migrated template once per test process, and the login role the
/// application uses: a member of `ordo_app`, owning nothing.
async fn template() -> &'static str {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("ordo_template_{}", std::process::id());
            pg_admin(&format!("CREATE DATABASE {name}")).await;
            let owner = Database::connect(&pg_url(&name, "postgres"), 1)
                .await
                .expect("connect to template");
            Migrator::up(owner.connection(), None)
                .await
                .expect("migrate template");
            owner
                .connection()
                .execute_unprepared(&format!(
                    "DO $$ BEGIN
                       IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_LOGIN}') THEN
                         CREATE ROLE {APP_LOGIN} LOGIN IN ROLE {role};
                       END IF;
                     END $$;",
                    role = ordo_migrations::tenancy::APP_ROLE
                ))
                .await
                .expect("create the application login role");
            owner
                .connection()
                .clone()
                .close()
                .await
                .expect("close template");
            name
        })
        .await
}

impl TestDb {
    /// A fresh, migrated database.
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("ordo.sqlite").display()
                );
                let app = Database::connect(&url, 4).await.expect("open SQLite");
                Migrator::up(app.connection(), None)
                    .await
                    .expect("migrate SQLite");
                Self {
                    backend,
                    owner: app.clone(),
                    app,
                    app_url: url,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let template = template().await;
                let name = format!("ordo_test_{}", uuid::Uuid::new_v4().simple());
                {
                    // PostgreSQL copies a template for one CREATE DATABASE at a time.
                    let _guard = CLONE_LOCK.lock().await;
                    pg_admin(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
                }
                let owner = Database::connect(&pg_url(&name, "postgres"), 2)
                    .await
                    .expect("connect as owner");
                let app_url = pg_url(&name, APP_LOGIN);
                let app = Database::connect(&app_url, 8)
                    .await
                    .expect("connect as application");
                Self {
                    backend,
                    app,
                    owner,
                    app_url,
                    _dir: None,
                }
            }
        }
    }

    /// An empty database, not migrated (for migration tests).
    pub async fn empty(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("ordo.sqlite").display()
                );
                // One connection: a migration's schema change is then seen by the next
                // statement, never hidden behind another pooled connection's snapshot.
                let app = Database::connect(&url, 1).await.expect("open SQLite");
                Self {
                    backend,
                    owner: app.clone(),
                    app,
                    app_url: url,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let name = format!("ordo_empty_{}", uuid::Uuid::new_v4().simple());
                pg_admin(&format!("CREATE DATABASE {name}")).await;
                let owner_url = pg_url(&name, "postgres");
                let owner = Database::connect(&owner_url, 2)
                    .await
                    .expect("connect as owner");
                Self {
                    backend,
                    app: owner.clone(),
                    owner,
                    app_url: owner_url,
                    _dir: None,
                }
            }
        }
    }

    /// Runs a query as the owner and returns the first column of the first row.
    pub async fn owner_scalar(&self, sql: &str) -> i64 {
        scalar(&self.owner, sql).await
    }

    /// Another replica of the application: a pool of its own on the same database.
    pub async fn replica(&self) -> Database {
        Database::connect(&self.app_url, 4)
            .await
            .expect("connect another replica")
    }

    /// Runs a query as the application, outside any tenant context.
    pub async fn app_scalar(&self, sql: &str) -> i64 {
        scalar(&self.app, sql).await
    }
}

impl TestDb {
    /// Runs a query as the owner and returns the first column of the first row as text.
    pub async fn owner_text(&self, sql: &str) -> String {
        let backend = match self.owner.backend() {
            ordo_db::Backend::Postgres => DbBackend::Postgres,
            ordo_db::Backend::Sqlite => DbBackend::Sqlite,
        };
        let row = self
            .owner
            .connection()
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .expect("one row");
        row.try_get_by_index::<String>(0)
            .or_else(|_| {
                row.try_get_by_index::<uuid::Uuid>(0)
                    .map(|id| id.to_string())
            })
            .expect("a text")
    }
}

/// Runs a query and returns the first column of the first row.
pub async fn scalar(db: &Database, sql: &str) -> i64 {
    let backend = match db.backend() {
        ordo_db::Backend::Postgres => DbBackend::Postgres,
        ordo_db::Backend::Sqlite => DbBackend::Sqlite,
    };
    let row = db
        .connection()
        .query_one_raw(Statement::from_string(backend, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .expect("one row");
    row.try_get_by_index::<i64>(0).expect("an integer")
}

/// The S3 settings of the test gateway, with a bucket prefix of this test's own.
pub fn s3_settings() -> S3Settings {
    S3Settings {
        endpoint: required_env("ORDO_TEST_S3_ENDPOINT"),
        region: required_env("ORDO_TEST_S3_REGION"),
        access_key: required_env("ORDO_TEST_S3_ACCESS_KEY"),
        secret_key: required_env("ORDO_TEST_S3_SECRET_KEY").into(),
        bucket_prefix: format!("t{}", &uuid::Uuid::new_v4().simple().to_string()[..12]),
    }
}

/// Where a test app keeps documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Local,
    S3,
}

/// A running application with its own database, store and port.
#[derive(Debug)]
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub db: TestDb,
    pub data_dir: PathBuf,
    _data: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// Starts the whole application, seeded with the demo administrations.
    pub async fn spawn(backend: Backend, storage: Storage) -> Self {
        Self::spawn_with_clock(backend, storage, Arc::new(SystemClock)).await
    }

    /// The same, with time taken from `clock` (a [`ManualClock`] moves it).
    pub async fn spawn_with_clock(
        backend: Backend,
        storage: Storage,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self::spawn_configured(backend, storage, clock, |state| state).await
    }

    /// The same, with the state adjusted by `configure` before it serves (an
    /// antivirus, say).
    pub async fn spawn_configured(
        backend: Backend,
        storage: Storage,
        clock: Arc<dyn Clock>,
        configure: impl FnOnce(AppState) -> AppState,
    ) -> Self {
        let db = TestDb::new(backend).await;
        let data = tempfile::tempdir().expect("temp dir");
        let store: Arc<dyn DocumentStore> = match storage {
            Storage::Local => Arc::new(LocalStore::new(data.path().join("documents"))),
            Storage::S3 => Arc::new(S3Store::new(&s3_settings())),
        };
        ordo::demo::seed_if_empty(&db.app, store.as_ref(), clock.as_ref())
            .await
            .expect("seed");
        let metrics = ordo_telemetry::Metrics::new().expect("metrics");
        let state = AppState::new(
            db.app.clone(),
            store,
            eml_mail(&data.path().join("mail")),
            clock,
            metrics,
            CookiePolicy { secure: false },
        );
        Self::serve(configure(state), db, data).await
    }

    async fn serve(state: AppState, db: TestDb, data: tempfile::TempDir) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let address: SocketAddr = listener.local_addr().expect("address");
        let state = state.with_public_url(&format!("http://{address}"));
        let router = ordo::app::router(state.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            base: format!("http://{address}"),
            state,
            db,
            data_dir: data.path().to_path_buf(),
            _data: data,
            server,
        }
    }

    /// An HTTP client with its own cookie jar, that does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// An API client holding a bearer token of `login` in `administration`.
    pub async fn api_client(&self, administration: &str, login: &str) -> reqwest::Client {
        let token = ordo::token_cli::create(&self.state.db, administration, login, "tests")
            .await
            .expect("token");
        bearer_client(&token)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET path` with `client`; the body as text.
    pub async fn get_text(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response
            .text()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// `GET path` with `client`; the body as JSON.
    pub async fn get_json(&self, client: &reqwest::Client, path: &str) -> serde_json::Value {
        let response = client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        response
            .json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// A signed-in person of an administration, as the pages see them.
    pub async fn current_user(&self, administration: &str, login: &str) -> ordo_web::CurrentUser {
        let code = ordo_domain::TenantCode::parse(administration).expect("code");
        let platform = self.state.db.platform().await.expect("tx");
        let tenant = platform
            .tenants()
            .find_by_code(&code)
            .await
            .expect("query")
            .expect("tenant");
        platform.commit().await.expect("commit");
        let tx = self.state.db.tenant_read(tenant.id).await.expect("tx");
        let user = tx
            .users()
            .find_by_login(&ordo_domain::Login::parse(login).expect("login"))
            .await
            .expect("query")
            .expect("user");
        tx.commit().await.expect("commit");
        ordo_web::CurrentUser { tenant, user }
    }

    /// What `read` finds in an administration's data, read as its admin.
    async fn read_as_admin<T>(
        &self,
        administration: &str,
        read: impl AsyncFnOnce(&ordo_db::TenantTx) -> T,
    ) -> T {
        let current = self.current_user(administration, "admin").await;
        let tx = self
            .state
            .db
            .tenant_read(current.tenant.id)
            .await
            .expect("tx");
        let found = read(&tx).await;
        tx.commit().await.expect("commit");
        found
    }

    /// The first register of `code` in an administration (ARR: incoming).
    pub async fn register(&self, administration: &str, code: &str) -> ordo_db::RegisterRecord {
        self.read_as_admin(administration, async |tx| {
            let registers = tx.registers().list().await.expect("registers");
            registers
                .into_iter()
                .find(|r| r.code == code)
                .expect("register")
        })
        .await
    }

    /// The unit of `code` in an administration's organisation chart.
    pub async fn unit(&self, administration: &str, code: &str) -> ordo_db::UnitRecord {
        self.read_as_admin(administration, async |tx| {
            let units = tx.units().list().await.expect("units");
            units.into_iter().find(|u| u.code == code).expect("unit")
        })
        .await
    }

    /// The settings a registration in an administration is checked against.
    pub async fn registration_settings(
        &self,
        administration: &str,
    ) -> Arc<ordo_db::RegistrationSettings> {
        let current = self.current_user(administration, "admin").await;
        self.state
            .db
            .registration_settings(current.tenant.id)
            .await
            .expect("settings")
    }

    /// A new client signed in as one of the seeded accounts (they share the demo
    /// password), through the real form.
    pub async fn signed_in(&self, administration: &str, login: &str) -> reqwest::Client {
        let client = self.client();
        let response = self
            .sign_in(&client, administration, login, ordo::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(
            response.status(),
            303,
            "{login} of {administration} signs in"
        );
        client
    }

    /// Signs `client` in through the real form (CSRF token included); returns the
    /// response to the form post.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        administration: &str,
        login: &str,
        password: &str,
    ) -> reqwest::Response {
        let page = client
            .get(self.url("/connexion"))
            .send()
            .await
            .expect("GET /connexion")
            .text()
            .await
            .expect("body");
        let token = csrf_token(&page);
        client
            .post(self.url("/connexion"))
            .form(&[
                ("csrf", token.as_str()),
                ("administration", administration),
                ("login", login),
                ("password", password),
                ("retour", "/"),
            ])
            .send()
            .await
            .expect("POST /connexion")
    }
}

/// A clock that shows the time it is set to.
#[derive(Debug)]
pub struct ManualClock(std::sync::Mutex<chrono::DateTime<chrono::Utc>>);

impl ManualClock {
    pub fn at(time: chrono::DateTime<chrono::Utc>) -> Arc<Self> {
        Arc::new(Self(std::sync::Mutex::new(time)))
    }

    pub fn set(&self, time: chrono::DateTime<chrono::Utc>) {
        *self.0.lock().expect("clock") = time;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().expect("clock")
    }
}

/// Outgoing mail written as `.eml` files into `directory`.
pub fn eml_mail(directory: &std::path::Path) -> ordo_mail::OutgoingMail {
    ordo_mail::OutgoingMail {
        transport: Arc::new(ordo_mail::EmlDirectory::new(directory).expect("mail directory")),
        from: "\"Ordo (tests)\" <ne-pas-repondre@tests.ordo.invalid>"
            .parse()
            .expect("sender"),
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_token(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("a form with a csrf field") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// A client sending `token` as its bearer token on every request.
pub fn bearer_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client")
}
