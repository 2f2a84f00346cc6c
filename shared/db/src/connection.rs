use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use ordo_domain::TenantId;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::{
    DbError,
    repos::{
        calendar::CalendarRepo, correspondents::CorrespondentRepo, dispatches::DispatchRepo,
        documents::DocumentRepo, identity::IdentityProviderRepo, items::ItemRepo,
        journal::JournalRepo, notes::NoteRepo, operators::OperatorRepo, outbox::OutboxRepo,
        password_resets::PasswordResetRepo, registers::RegisterRepo, reminders::ReminderRepo,
        sessions::SessionRepo, tenants::TenantRepo, tokens::TokenRepo, units::UnitRepo,
        users::UserRepo, vocabulary::VocabularyRepo,
    },
    sealer::JournalSealer,
    settings_cache::{RegistrationSettings, SettingsCache, SettingsWrites},
};

/// Which database engine is behind the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// The shared connection pool. It hands out units of work, never raw connections.
#[derive(Debug, Clone)]
pub struct Database {
    conn: DatabaseConnection,
    /// PostgreSQL only: seals the journals after commits (see `crate::sealer`).
    sealer: Option<JournalSealer>,
    /// Token holders, registration settings and directory entries found by name,
    /// kept in this replica (see `crate::settings_cache`).
    settings: Arc<SettingsCache>,
    /// SQLite only: the one connection of the writing transactions (see
    /// `Database::connect`).
    writer: Option<DatabaseConnection>,
    /// SQLite only: the turns of the administrations' writing transactions
    /// (`tenant_write`), committed in groups on the writers' connection. Platform
    /// writes (`platform_write`: sessions, sign-in counters, the outbox's claims,
    /// the operator's work) take that connection between two groups.
    group: Option<crate::group_commit::GroupCommit>,
}

/// How long a SQLite writer waits for the lock (held by another process) or, in
/// this process, for its turn on the writers' connection.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A pool of `max_connections` to `url`; on SQLite in WAL, so readers proceed beside
/// the writer. Public for the benchmarks, whose direct database work must run with
/// the settings Ordo runs with.
pub fn connect_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // A connection is checked with a ping only when it has sat idle long enough
        // to have been dropped by the server or a proxy: pinging on every checkout
        // would add a round trip to each transaction.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .foreign_keys(true)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
        });
    }
    options
}

/// Pool figures for the metrics endpoint.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

impl Database {
    /// Connects to `postgres://…` or `sqlite://…?mode=rwc`.
    ///
    /// SQLite takes one writer at a time. Left to SQLite, writers that find the lock
    /// taken poll for it, sleeping up to 100 ms between tries: the lock often sits
    /// free while they sleep, and an unlucky writer waits for many turns in a row
    /// (half a second at the 99th percentile with 32 writers). So on SQLite the
    /// writing transactions of this process (`tenant_write`, `platform_write`) share
    /// one connection of their own, which its pool hands out first come first served:
    /// a writer waits in line, then begins, and never waits behind readers for a
    /// connection while others wait for it. SQLite's own busy timeout still covers
    /// writers from other processes (the command line beside a running server).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbError> {
        let conn = sea_orm::Database::connect(connect_options(url, max_connections)).await?;
        let postgres = conn.get_database_backend() == DbBackend::Postgres;
        let sealer = postgres.then(|| JournalSealer::start(conn.clone()));
        let settings = if postgres {
            SettingsCache::listening_to(url)
        } else {
            SettingsCache::counting_in(conn.clone())
        };
        let writer = if postgres {
            None
        } else {
            let mut options = connect_options(url, 1);
            // As long as SQLite's own busy timeout: a writer waits no longer in line
            // than it would have for the lock.
            options.acquire_timeout(SQLITE_BUSY_TIMEOUT);
            Some(sea_orm::Database::connect(options).await?)
        };
        let group = writer.clone().map(crate::group_commit::GroupCommit::start);
        Ok(Self {
            conn,
            sealer,
            settings,
            writer,
            group,
        })
    }

    pub fn backend(&self) -> Backend {
        match self.conn.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// The raw connection, for migrations and administrative tooling only.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub async fn ping(&self) -> Result<(), DbError> {
        self.conn.ping().await.map_err(DbError::from)
    }

    pub fn pool_stats(&self) -> PoolStats {
        match self.backend() {
            Backend::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                PoolStats {
                    size: pool.size(),
                    idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                }
            }
            Backend::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                PoolStats {
                    size: pool.size(),
                    idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
                }
            }
        }
    }

    /// Refuses to run the application as a role that row-level security would not
    /// hold: a superuser, a role with BYPASSRLS, or the owner of a table. Such a
    /// connection would silently see every tenant's rows.
    pub async fn check_application_role(&self) -> Result<(), DbError> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_user::text AS role,
                        (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) AS privileged,
                        (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned",
            ))
            .await?
            .ok_or_else(|| DbError::UnsafeRole("the role check returned nothing".to_owned()))?;
        let role: String = row.try_get("", "role")?;
        let privileged: bool = row.try_get("", "privileged")?;
        let owned: i64 = row.try_get("", "owned")?;
        if privileged || owned > 0 {
            return Err(DbError::UnsafeRole(format!(
                "database.url connects as {role}, which {} row-level security; connect as a member of ordo_app that owns no table",
                if privileged {
                    "bypasses"
                } else {
                    "owns tables and so weakens"
                }
            )));
        }
        Ok(())
    }

    /// The administration and the person behind one of its live API tokens: as this
    /// replica kept them (see `crate::settings_cache`), else read in two statements
    /// and no transaction (both rows are read once, whole; nothing is written).
    /// Unknown and revoked tokens are never kept: each is read again.
    pub async fn api_token_principal(
        &self,
        tenant: TenantId,
        token_hash: &str,
    ) -> Result<Option<(crate::TenantRecord, crate::UserRecord)>, DbError> {
        let cache = &self.settings;
        if let Some(kept) = cache.token_owner(tenant, token_hash) {
            return Ok(Some(kept));
        }
        let ticket = cache.ticket();
        let Some(user) =
            crate::repos::tokens::live_token_owner(&self.conn, tenant, token_hash).await?
        else {
            return Ok(None);
        };
        let Some(administration) = crate::repos::tenants::find_by_id(&self.conn, tenant).await?
        else {
            return Ok(None);
        };
        if let Some(ticket) = ticket {
            cache.keep_token_owner(
                ticket,
                tenant,
                token_hash,
                (administration.clone(), user.clone()),
            );
        }
        Ok(Some((administration, user)))
    }

    /// What registering an item reads of an administration's settings, for a check
    /// made before the registration's own transaction (a form's fields against the
    /// vocabulary): as this replica kept them, with no round trip, else read in a
    /// transaction of its own (`TenantTx::registration_settings`).
    pub async fn registration_settings(
        &self,
        tenant: TenantId,
    ) -> Result<Arc<RegistrationSettings>, DbError> {
        if let Some(kept) = self.settings.registration(tenant) {
            return Ok(kept);
        }
        let tx = self.tenant_read(tenant).await?;
        let settings = tx.registration_settings().await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// Opens a transaction bound to one administration that only reads: on
    /// PostgreSQL any write in it is refused (see `Access::Read`). A unit of work that
    /// writes, even after reading, is a `tenant_write`.
    pub async fn tenant_read(&self, tenant: TenantId) -> Result<TenantTx, DbError> {
        let tx = self.conn.begin().await?;
        set_tenant(&tx, tenant, Access::Read).await?;
        Ok(TenantTx::new(
            tx,
            tenant,
            self.sealer.clone(),
            self.settings_writes(),
        ))
    }

    /// Seals every entry of the administration's journal committed so far, waiting
    /// for another session sealing it at the same moment (see `crate::sealer`; on
    /// SQLite every entry is sealed as it is written). Returns how many it sealed.
    pub async fn seal_journal(&self, tenant: TenantId) -> Result<u64, DbError> {
        match self.backend() {
            Backend::Postgres => {
                crate::sealer::seal(&self.conn, tenant, crate::sealer::OtherSealer::WaitFor).await
            }
            Backend::Sqlite => Ok(0),
        }
    }

    /// Seals the administration's journal, then checks its whole chain in one
    /// snapshot: the number of entries, or the first entry that breaks it.
    pub async fn verify_journal(
        &self,
        tenant: TenantId,
    ) -> Result<Result<u64, ordo_domain::journal::ChainBreak>, DbError> {
        self.seal_journal(tenant).await?;
        // The entries and the head are read in one snapshot, so a seal committing
        // between the two reads cannot look like a truncation.
        let tx = self.tenant_snapshot(tenant).await?;
        let outcome = tx.journal().verify().await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Opens a transaction bound to one administration in which every read sees the
    /// same snapshot (PostgreSQL's repeatable read; a SQLite read transaction always
    /// does): for reads that must agree with each other, as an export's or a journal
    /// check's. Read-only on PostgreSQL, as a `tenant_read`.
    pub async fn tenant_snapshot(&self, tenant: TenantId) -> Result<TenantTx, DbError> {
        let isolation = (self.backend() == Backend::Postgres)
            .then_some(sea_orm::IsolationLevel::RepeatableRead);
        let tx = self.conn.begin_with_config(isolation, None).await?;
        set_tenant(&tx, tenant, Access::Read).await?;
        // Without the settings cache: its ticket only guards reads whose snapshot is
        // taken after it, and this snapshot was taken at the transaction's first
        // statement; what this transaction reads must agree with that snapshot anyway.
        Ok(TenantTx::new(
            tx,
            tenant,
            self.sealer.clone(),
            SettingsWrites::new(None),
        ))
    }

    /// Opens a transaction bound to one administration that will write: on SQLite it
    /// takes the write lock at once, so it may read before it writes without ever
    /// failing to upgrade its lock (PostgreSQL locks rows as they are written), as a
    /// turn in a group commit (`crate::group_commit`).
    pub async fn tenant_write(&self, tenant: TenantId) -> Result<TenantTx, DbError> {
        let (tx, member) = match &self.group {
            Some(group) => {
                let turn = group.turn().await?;
                (turn.tx, Some(turn.member))
            }
            None => (self.begin_write().await?, None),
        };
        set_tenant(&tx, tenant, Access::ReadWrite).await?;
        let mut tx = TenantTx::new(tx, tenant, self.sealer.clone(), self.settings_writes());
        tx.member = member;
        Ok(tx)
    }

    /// Opens a transaction over the platform tables that will write: on SQLite it
    /// takes the write lock at once (see `tenant_write`).
    pub async fn platform_write(&self) -> Result<PlatformTx, DbError> {
        Ok(PlatformTx {
            tx: self.begin_write().await?,
            sealer: self.sealer.clone(),
            settings_writes: self.settings_writes(),
        })
    }

    /// Opens a transaction over the platform tables that only reads; one that writes
    /// is a `platform_write`. Unlike `tenant_read`, PostgreSQL is not told it is
    /// read-only: with no tenant to set there is no statement to carry it, and a
    /// statement of its own would add a round trip to every signed-in page (the
    /// session is looked up in one of these).
    pub async fn platform(&self) -> Result<PlatformTx, DbError> {
        Ok(PlatformTx {
            tx: self.conn.begin().await?,
            sealer: self.sealer.clone(),
            settings_writes: self.settings_writes(),
        })
    }

    fn settings_writes(&self) -> SettingsWrites {
        SettingsWrites::new(Some(self.settings.clone()))
    }

    /// Begins a writing transaction: on SQLite on the writers' connection, once its
    /// turn comes (see `connect`), holding the write lock from the start.
    async fn begin_write(&self) -> Result<DatabaseTransaction, DbError> {
        Ok(self
            .writer
            .as_ref()
            .unwrap_or(&self.conn)
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?)
    }
}

/// A unit of work inside one administration. Dropping it without `commit` rolls back.
#[derive(Debug)]
pub struct TenantTx {
    tx: DatabaseTransaction,
    tenant: TenantId,
    sealer: Option<JournalSealer>,
    /// Set by the journal when it writes an entry: the commit then nudges the sealer.
    journaled: AtomicBool,
    /// Set by the repositories that write kept settings: this replica forgets them
    /// when the transaction ends.
    settings_writes: SettingsWrites,
    /// SQLite: its turn in a group commit. Last: fields drop in order, so a dropped
    /// transaction's savepoint is rolled back before the next turn begins.
    member: Option<crate::group_commit::Member>,
}

impl TenantTx {
    fn new(
        tx: DatabaseTransaction,
        tenant: TenantId,
        sealer: Option<JournalSealer>,
        settings_writes: SettingsWrites,
    ) -> Self {
        Self {
            tx,
            tenant,
            sealer,
            journaled: AtomicBool::new(false),
            settings_writes,
            member: None,
        }
    }

    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    pub fn units(&self) -> UnitRepo<'_> {
        UnitRepo::new(&self.tx, self.tenant)
    }

    pub fn users(&self) -> UserRepo<'_> {
        UserRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn registers(&self) -> RegisterRepo<'_> {
        RegisterRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn items(&self) -> ItemRepo<'_> {
        ItemRepo::new(&self.tx, self.tenant, self.journal())
    }

    pub fn dispatches(&self) -> DispatchRepo<'_> {
        DispatchRepo::new(&self.tx, self.tenant)
    }

    pub fn identity_provider(&self) -> IdentityProviderRepo<'_> {
        IdentityProviderRepo::new(&self.tx, self.tenant)
    }

    pub fn reminders(&self) -> ReminderRepo<'_> {
        ReminderRepo::new(&self.tx, self.tenant)
    }

    pub fn notes(&self) -> NoteRepo<'_> {
        NoteRepo::new(&self.tx, self.tenant)
    }

    pub fn filings(&self) -> crate::repos::portal::FilingRepo<'_> {
        crate::repos::portal::FilingRepo::new(&self.tx, self.tenant)
    }

    pub fn acknowledgments(&self) -> crate::repos::portal::AcknowledgmentRepo<'_> {
        crate::repos::portal::AcknowledgmentRepo::new(&self.tx, self.tenant)
    }

    pub fn email_templates(&self) -> crate::repos::email_templates::EmailTemplateRepo<'_> {
        crate::repos::email_templates::EmailTemplateRepo::new(&self.tx, self.tenant)
    }

    pub fn portal_settings(&self) -> crate::repos::portal::PortalSettingsRepo<'_> {
        crate::repos::portal::PortalSettingsRepo::new(&self.tx, self.tenant)
    }

    pub fn documents(&self) -> DocumentRepo<'_> {
        DocumentRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn tokens(&self) -> TokenRepo<'_> {
        TokenRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn correspondents(&self) -> CorrespondentRepo<'_> {
        CorrespondentRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn vocabulary(&self) -> VocabularyRepo<'_> {
        VocabularyRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    pub fn calendar(&self) -> CalendarRepo<'_> {
        CalendarRepo::new(&self.tx, self.tenant, &self.settings_writes)
    }

    /// The outbox, enqueueing for this administration: what is enqueued leaves only
    /// if this transaction commits.
    pub fn outbox(&self) -> OutboxRepo<'_> {
        OutboxRepo::new(&self.tx, Some(self.tenant))
    }

    pub fn password_resets(&self) -> PasswordResetRepo<'_> {
        PasswordResetRepo::new(&self.tx, self.tenant)
    }

    /// Removes everything the administration has (its deletion, confirmed).
    pub fn purge(&self) -> crate::repos::offboarding::PurgeRepo<'_> {
        crate::repos::offboarding::PurgeRepo::new(&self.tx, self.tenant)
    }

    /// Requests to delete an administration.
    pub fn deletion_requests(&self) -> crate::repos::offboarding::DeletionRequestRepo<'_> {
        crate::repos::offboarding::DeletionRequestRepo::new(&self.tx)
    }

    /// What the administration uses, measured now.
    pub fn usage(&self) -> crate::repos::usage::TenantUsageRepo<'_> {
        crate::repos::usage::TenantUsageRepo::new(&self.tx, self.tenant)
    }

    /// Everything the administration has, table by table, for an export.
    pub fn export(&self) -> crate::repos::export::ExportRepo<'_> {
        crate::repos::export::ExportRepo::new(&self.tx, self.tenant)
    }

    /// What the administration sent and received through the exchange.
    pub fn exchange(&self) -> crate::repos::exchange::ExchangeRepo<'_> {
        crate::repos::exchange::ExchangeRepo::new(&self.tx, self.tenant)
    }

    /// The administration's seal.
    pub fn seal(&self) -> crate::repos::onboarding::SealRepo<'_> {
        crate::repos::onboarding::SealRepo::new(&self.tx, self.tenant)
    }

    /// The directory of administrations, written with the tenant's first rows.
    pub fn directory(&self) -> crate::repos::onboarding::DirectoryRepo<'_> {
        crate::repos::onboarding::DirectoryRepo::new(&self.tx)
    }

    /// The operator agency's journal, written with the tenant's first rows.
    pub fn operator_journal(&self) -> crate::repos::operator_journal::OperatorJournalRepo<'_> {
        crate::repos::operator_journal::OperatorJournalRepo::new(&self.tx)
    }

    /// The record of this administration's creation.
    pub fn provisionings(&self) -> crate::repos::onboarding::ProvisioningRepo<'_> {
        crate::repos::onboarding::ProvisioningRepo::new(&self.tx)
    }

    pub fn journal(&self) -> JournalRepo<'_> {
        JournalRepo::new(&self.tx, self.tenant, &self.journaled)
    }

    /// What registering an item reads of the administration's settings: as this
    /// replica kept them (see `crate::settings_cache`), else read in this transaction
    /// (and kept, unless this transaction changed them itself).
    pub async fn registration_settings(&self) -> Result<Arc<RegistrationSettings>, DbError> {
        if let Some(kept) = self.settings_writes.kept_registration(self.tenant) {
            return Ok(kept);
        }
        let cache = self.settings_writes.cache().map(Arc::as_ref);
        let ticket = cache.and_then(SettingsCache::ticket);
        let settings = Arc::new(RegistrationSettings {
            registers: self.registers().list().await?,
            vocabulary: self.vocabulary().load().await?,
            holidays: self
                .calendar()
                .holidays()
                .await?
                .into_iter()
                .map(|h| h.day)
                .collect(),
            quotas: crate::repos::usage::quotas_of(&self.tx, self.tenant).await?,
        });
        if let (Some(cache), Some(ticket)) = (cache, ticket)
            && !self.settings_writes.wrote()
        {
            cache.keep_registration(ticket, self.tenant, settings.clone());
        }
        Ok(settings)
    }

    /// This administration's own platform record (name, zone, status), read in the
    /// same transaction so a request resolves its principal in one round of queries.
    pub async fn own_tenant(&self) -> Result<Option<crate::TenantRecord>, DbError> {
        TenantRepo::new(&self.tx, &self.settings_writes)
            .find_by_id(self.tenant)
            .await
    }

    /// Ends every session of one of this administration's people (after a password
    /// change: whoever knew the old one is signed out).
    pub async fn end_sessions_of(&self, user: uuid::Uuid) -> Result<u64, DbError> {
        SessionRepo::new(&self.tx)
            .delete_for_account(self.tenant, user)
            .await
    }

    /// Sets this administration's own document size limit (its settings page).
    pub async fn set_document_limit(&self, bytes: u64) -> Result<(), DbError> {
        TenantRepo::new(&self.tx, &self.settings_writes)
            .set_document_limit(self.tenant, bytes)
            .await
    }

    pub async fn commit(self) -> Result<(), DbError> {
        self.tx.commit().await?;
        if let Some(member) = self.member
            && let Err(failed) = member.committed().await
        {
            // The group is undone, and a turn of it may have kept what it read of an
            // earlier turn's writes (a directory entry added: additions are not
            // heard).
            if let Some(cache) = self.settings_writes.cache() {
                cache.forget_all();
            }
            return Err(failed);
        }
        if self.journaled.load(Ordering::Relaxed)
            && let Some(sealer) = &self.sealer
        {
            sealer.nudge(self.tenant);
        }
        Ok(())
    }
}

/// Whether a transaction bound to an administration may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Reads only. PostgreSQL refuses any write in it, so a write that belongs in a
    /// `tenant_write` fails in every test that reaches it, on the first try. On
    /// SQLite the same write would fail only when another connection holds the write
    /// lock at that moment (a transaction that has read cannot take it then): the
    /// code is shared, so PostgreSQL's refusal keeps SQLite's transactions right too.
    Read,
    ReadWrite,
}

async fn set_tenant(
    tx: &DatabaseTransaction,
    tenant: TenantId,
    access: Access,
) -> Result<(), DbError> {
    if tx.get_database_backend() == DbBackend::Postgres {
        // `true`: the settings are local to this transaction, so a pooled connection
        // never carries one request's tenant into the next. Read-only is set in the
        // same statement as the tenant, so it costs no round trip of its own.
        let sql = match access {
            Access::Read => {
                "SELECT set_config('ordo.tenant_id', $1, true), \
                        set_config('transaction_read_only', 'on', true)"
            }
            Access::ReadWrite => "SELECT set_config('ordo.tenant_id', $1, true)",
        };
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [tenant.to_string().into()],
        ))
        .await?;
    }
    Ok(())
}

/// A unit of work over the platform tables.
#[derive(Debug)]
pub struct PlatformTx {
    tx: DatabaseTransaction,
    /// Handed on by `into_tenant`.
    sealer: Option<JournalSealer>,
    /// Handed on by `into_tenant`.
    settings_writes: SettingsWrites,
}

impl PlatformTx {
    pub fn tenants(&self) -> TenantRepo<'_> {
        TenantRepo::new(&self.tx, &self.settings_writes)
    }

    pub fn operators(&self) -> OperatorRepo<'_> {
        OperatorRepo::new(&self.tx)
    }

    /// The operator agency's journal.
    pub fn operator_journal(&self) -> crate::repos::operator_journal::OperatorJournalRepo<'_> {
        crate::repos::operator_journal::OperatorJournalRepo::new(&self.tx)
    }

    pub fn sessions(&self) -> SessionRepo<'_> {
        SessionRepo::new(&self.tx)
    }

    /// The record of each creation of an administration.
    pub fn provisionings(&self) -> crate::repos::onboarding::ProvisioningRepo<'_> {
        crate::repos::onboarding::ProvisioningRepo::new(&self.tx)
    }

    /// Requests to delete an administration.
    pub fn deletion_requests(&self) -> crate::repos::offboarding::DeletionRequestRepo<'_> {
        crate::repos::offboarding::DeletionRequestRepo::new(&self.tx)
    }

    /// Every administration's measured usage.
    pub fn usage(&self) -> crate::repos::usage::UsageRepo<'_> {
        crate::repos::usage::UsageRepo::new(&self.tx)
    }

    /// The platform's certificate authority.
    pub fn authority(&self) -> crate::repos::onboarding::AuthorityRepo<'_> {
        crate::repos::onboarding::AuthorityRepo::new(&self.tx)
    }

    /// The directory of administrations.
    pub fn directory(&self) -> crate::repos::onboarding::DirectoryRepo<'_> {
        crate::repos::onboarding::DirectoryRepo::new(&self.tx)
    }

    /// The counters behind the public pages' rate limits.
    pub fn rate_counters(&self) -> crate::repos::rate_counters::RateCounterRepo<'_> {
        crate::repos::rate_counters::RateCounterRepo::new(&self.tx)
    }

    /// The administrations of other platforms this one exchanges with.
    pub fn remote_administrations(&self) -> crate::repos::exchange::RemoteAdministrationRepo<'_> {
        crate::repos::exchange::RemoteAdministrationRepo::new(&self.tx)
    }

    /// The exchange's deliveries as the worker sees them: every administration's.
    pub fn exchange_queue(&self) -> crate::repos::exchange::ExchangeQueueRepo<'_> {
        crate::repos::exchange::ExchangeQueueRepo::new(&self.tx)
    }

    /// The outbox as the worker sees it: every administration's messages.
    pub fn outbox(&self) -> OutboxRepo<'_> {
        OutboxRepo::new(&self.tx, None)
    }

    /// Continues this transaction inside one administration, so that creating a
    /// tenant and its first units and users commits all together or not at all.
    pub async fn into_tenant(self, tenant: TenantId) -> Result<TenantTx, DbError> {
        set_tenant(&self.tx, tenant, Access::ReadWrite).await?;
        Ok(TenantTx::new(
            self.tx,
            tenant,
            self.sealer,
            self.settings_writes,
        ))
    }

    pub async fn commit(self) -> Result<(), DbError> {
        self.tx.commit().await.map_err(DbError::from)
    }
}
