//! Keeps, in each replica, what nearly every request reads and almost nothing
//! writes: who holds an API token (the person and their administration), what a
//! registration reads of its administration's settings (registers, vocabulary,
//! holidays, and the quotas its documents are checked against), and the directory
//! entry a sender's typed name finds. Reading these took six of the twelve round
//! trips of an API registration; on a busy machine each round trip costs both the
//! server and PostgreSQL a socket write, a read and a context switch, most of their
//! CPU.
//!
//! Of the directory, only entries found are kept, and only changes to existing
//! entries are heard (migration 23): an entry added never changes which entry a name
//! finds first, the oldest.
//!
//! PostgreSQL says when to forget: a statement trigger on each table read here
//! (migration 20) notifies channel `ordo_settings`, delivered when the writing
//! transaction commits to every replica listening, which then forgets everything it
//! kept. A transaction of this replica that wrote one of those tables forgets at its
//! end as well (`SettingsWrites`), so the next request here never waits for the
//! notification. A value read while a change commits is not kept: each read takes a
//! `Ticket` (the cache's generation) before it starts and keeps its result only if no
//! notification came meanwhile. While the listening connection is down the cache is
//! not used at all, and it is emptied when it comes back. Entries also expire after a
//! minute, should a change ever bypass the triggers. The listening connection is
//! opened at the first read that could be kept (a `Database` that only migrates or
//! administers never opens it) and closed as soon as the cache is dropped.
//!
//! SQLite has no notifications, and the command line writes its file from other
//! processes. There a row trigger on each of those tables counts the changes in
//! `settings_changes` (migration 22); the cache reads that counter every
//! `COUNTER_EVERY` and forgets everything when it moved. A change made by another
//! process is thus seen within that interval, one made by this process at once
//! (`SettingsWrites`). While the counter cannot be read the cache is not used.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, OnceLock, Weak,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::NaiveDate;
use ordo_domain::{TenantId, Vocabulary, calendar::WorkingCalendar};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, Statement, sqlx::postgres::PgListener,
};
use tokio::sync::oneshot;
use uuid::Uuid;

use crate::{CorrespondentRecord, DbError, Quotas, RegisterRecord, TenantRecord, UserRecord};

/// The channel migration 20's triggers notify.
const CHANNEL: &str = "ordo_settings";

/// How long an entry is trusted without a notification.
const KEEP_FOR: Duration = Duration::from_secs(60);

/// How long to wait before listening again after the connection was lost.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// How many directory entries a replica keeps at most: past that it forgets them all
/// and starts again, so a stream of new names cannot grow it without end.
const MAX_NAMES_KEPT: usize = 10_000;

/// How often, on SQLite, the change counter is read: the longest a change made by
/// another process (the command line) goes unseen.
const COUNTER_EVERY: Duration = Duration::from_millis(200);

/// What registering an item reads of its administration's settings.
#[derive(Debug, Clone)]
pub struct RegistrationSettings {
    pub registers: Vec<RegisterRecord>,
    pub vocabulary: Vocabulary,
    pub holidays: Vec<NaiveDate>,
    /// The administration's quotas: each stored document is checked against them.
    pub quotas: Quotas,
}

impl RegistrationSettings {
    pub fn register(&self, id: Uuid) -> Option<&RegisterRecord> {
        self.registers.iter().find(|r| r.id == id)
    }

    /// The calendar processing times are counted on, with the administration's
    /// weekend (`TenantRecord::weekend`).
    pub fn calendar(&self, weekend: &str) -> Result<WorkingCalendar, DbError> {
        WorkingCalendar::new(weekend, self.holidays.iter().copied())
            .map_err(|e| DbError::corrupt("tenants", e))
    }
}

/// The person behind an API token, with their administration.
pub(crate) type TokenOwner = (TenantRecord, UserRecord);

pub(crate) struct SettingsCache {
    /// Raised by every change notified or written here; a read keeps its result
    /// only under the generation it started in.
    generation: AtomicU64,
    /// Whether the notifications are being received: if not, nothing is kept.
    listening: AtomicBool,
    kept: Mutex<Kept>,
    /// Where changes are heard of, and this cache as the listening task holds it.
    source: Source,
    me: Weak<SettingsCache>,
    /// Set when the listening task starts; dropped with the cache, which stops it.
    stop_listening: OnceLock<oneshot::Sender<()>>,
}

#[derive(Debug, Default)]
struct Kept {
    token_owners: HashMap<(TenantId, String), Entry<TokenOwner>>,
    registration: HashMap<TenantId, Entry<Arc<RegistrationSettings>>>,
    /// By match key (see `repos::correspondents`).
    directory: HashMap<(TenantId, String), Entry<CorrespondentRecord>>,
}

#[derive(Debug)]
struct Entry<T> {
    value: T,
    kept_at: Instant,
}

/// Without the URL, which holds the database password.
impl std::fmt::Debug for SettingsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SettingsCache")
            .field("generation", &self.generation)
            .field("listening", &self.listening)
            .finish_non_exhaustive()
    }
}

/// Where a cache hears that what it keeps changed.
enum Source {
    /// PostgreSQL: notifications, on a connection of its own to this URL.
    Notifications(String),
    /// SQLite: the change counter, read through this pool.
    Counter(DatabaseConnection),
}

/// Taken before a read whose result may be kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket(u64);

impl SettingsCache {
    /// A cache for the PostgreSQL database at `url`, where it will listen for
    /// changes (on a connection of its own, outside the pool) from its first read.
    pub(crate) fn listening_to(url: &str) -> Arc<Self> {
        Self::hearing_from(Source::Notifications(url.to_owned()))
    }

    /// A cache for the SQLite database behind `pool`, whose change counter it will
    /// read from its first read on.
    pub(crate) fn counting_in(pool: DatabaseConnection) -> Arc<Self> {
        Self::hearing_from(Source::Counter(pool))
    }

    fn hearing_from(source: Source) -> Arc<Self> {
        Arc::new_cyclic(|me| Self {
            generation: AtomicU64::new(0),
            listening: AtomicBool::new(false),
            kept: Mutex::default(),
            source,
            me: me.clone(),
            stop_listening: OnceLock::new(),
        })
    }

    /// A ticket for a read about to start, or `None` while changes are not heard
    /// (the result must not be kept then; the first call starts listening).
    pub(crate) fn ticket(&self) -> Option<Ticket> {
        self.stop_listening.get_or_init(|| {
            let (stop, stopped) = oneshot::channel();
            match &self.source {
                Source::Notifications(url) => {
                    tokio::spawn(listen(url.clone(), self.me.clone(), stopped));
                }
                Source::Counter(pool) => {
                    tokio::spawn(watch_counter(pool.clone(), self.me.clone(), stopped));
                }
            }
            stop
        });
        self.listening
            .load(Ordering::Acquire)
            .then(|| Ticket(self.generation.load(Ordering::Acquire)))
    }

    pub(crate) fn token_owner(&self, tenant: TenantId, token_hash: &str) -> Option<TokenOwner> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        fresh(kept.token_owners.get(&(tenant, token_hash.to_owned())))
    }

    pub(crate) fn keep_token_owner(
        &self,
        ticket: Ticket,
        tenant: TenantId,
        token_hash: &str,
        owner: TokenOwner,
    ) {
        self.keep(ticket, |kept| {
            kept.token_owners
                .insert((tenant, token_hash.to_owned()), Entry::now(owner));
        });
    }

    pub(crate) fn registration(&self, tenant: TenantId) -> Option<Arc<RegistrationSettings>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        fresh(kept.registration.get(&tenant))
    }

    pub(crate) fn keep_registration(
        &self,
        ticket: Ticket,
        tenant: TenantId,
        settings: Arc<RegistrationSettings>,
    ) {
        self.keep(ticket, |kept| {
            kept.registration.insert(tenant, Entry::now(settings));
        });
    }

    pub(crate) fn correspondent_named(
        &self,
        tenant: TenantId,
        match_key: &str,
    ) -> Option<CorrespondentRecord> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        fresh(kept.directory.get(&(tenant, match_key.to_owned())))
    }

    pub(crate) fn keep_correspondent_named(
        &self,
        ticket: Ticket,
        tenant: TenantId,
        match_key: &str,
        entry: CorrespondentRecord,
    ) {
        self.keep(ticket, |kept| {
            if kept.directory.len() >= MAX_NAMES_KEPT {
                kept.directory.clear();
            }
            kept.directory
                .insert((tenant, match_key.to_owned()), Entry::now(entry));
        });
    }

    /// Forgets everything, and refuses what reads already under way would keep.
    pub(crate) fn forget_all(&self) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        *kept = Kept::default();
    }

    /// Runs `insert` if nothing changed since `ticket` was taken. The generation is
    /// compared under the lock `forget_all` raises it under, so a change cannot slip
    /// between the comparison and the insert.
    fn keep(&self, ticket: Ticket, insert: impl FnOnce(&mut Kept)) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) == ticket.0 {
            insert(&mut kept);
        }
    }

    fn set_listening(&self, listening: bool) {
        // Emptied on both edges: what was kept before a loss may have changed unheard.
        self.forget_all();
        self.listening.store(listening, Ordering::Release);
    }
}

impl<T> Entry<T> {
    fn now(value: T) -> Self {
        Self {
            value,
            kept_at: Instant::now(),
        }
    }
}

fn fresh<T: Clone>(entry: Option<&Entry<T>>) -> Option<T> {
    entry
        .filter(|e| e.kept_at.elapsed() < KEEP_FOR)
        .map(|e| e.value.clone())
}

/// Receives the notifications until the cache is dropped (`stopped` then resolves),
/// connecting again after a loss. Each new connection empties the cache once it
/// listens: whatever changed while no one heard is forgotten.
async fn listen(url: String, cache: Weak<SettingsCache>, mut stopped: oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            () = listen_once(&url, &cache) => {}
        }
        with_cache(&cache, |c| c.set_listening(false));
        tokio::select! {
            _ = &mut stopped => return,
            () = tokio::time::sleep(RETRY_AFTER) => {}
        }
    }
}

/// One listening connection, until it is lost.
async fn listen_once(url: &str, cache: &Weak<SettingsCache>) {
    let mut listener = match PgListener::connect(url).await {
        Ok(listener) => listener,
        Err(err) => {
            tracing::warn!(error = %err, "cannot connect to listen for settings changes");
            return;
        }
    };
    if let Err(err) = listener.listen(CHANNEL).await {
        tracing::warn!(error = %err, "cannot listen for settings changes");
        return;
    }
    with_cache(cache, |c| c.set_listening(true));
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                tracing::debug!(table = notification.payload(), "settings changed");
                with_cache(cache, SettingsCache::forget_all);
            }
            Ok(None) => {
                tracing::warn!("lost the connection listening for settings changes");
                return;
            }
            Err(err) => {
                tracing::warn!(error = %err, "listening for settings changes failed");
                return;
            }
        }
    }
}

/// Reads SQLite's change counter every `COUNTER_EVERY` until the cache is dropped:
/// the cache is used from the first read on, and emptied each time the counter
/// moved. A failed read stops its use until a read succeeds again.
async fn watch_counter(
    pool: DatabaseConnection,
    cache: Weak<SettingsCache>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut every = tokio::time::interval(COUNTER_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seen = None;
    loop {
        tokio::select! {
            _ = &mut stopped => return,
            _ = every.tick() => {}
        }
        match changes_counted(&pool).await {
            Ok(count) if seen != Some(count) => {
                // The first read, or a change: forget everything, keep from now on.
                with_cache(&cache, |c| c.set_listening(true));
                seen = Some(count);
            }
            Ok(_) => {}
            Err(err) => {
                if seen.take().is_some() {
                    tracing::warn!(error = %err, "cannot read the settings change counter");
                    with_cache(&cache, |c| c.set_listening(false));
                }
            }
        }
    }
}

/// The number of changes migration 22's triggers counted.
async fn changes_counted(pool: &DatabaseConnection) -> Result<i64, DbError> {
    let row = pool
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT changes FROM settings_changes",
        ))
        .await?
        .ok_or_else(|| DbError::corrupt("settings_changes", "no row"))?;
    Ok(row.try_get("", "changes")?)
}

fn with_cache(cache: &Weak<SettingsCache>, act: impl FnOnce(&SettingsCache)) {
    if let Some(alive) = cache.upgrade() {
        act(&alive);
    }
}

/// Notes that a transaction wrote what the cache keeps, and makes this replica forget
/// it when the transaction ends, committed or rolled back (another replica learns it
/// from the notification).
#[derive(Debug, Default)]
pub(crate) struct SettingsWrites {
    cache: Option<Arc<SettingsCache>>,
    wrote: AtomicBool,
    /// Set when this transaction added a directory entry: it then keeps none of the
    /// entries it finds, which might be its own, undone should it roll back.
    added_directory_entry: AtomicBool,
}

impl SettingsWrites {
    pub(crate) fn new(cache: Option<Arc<SettingsCache>>) -> Self {
        Self {
            cache,
            wrote: AtomicBool::new(false),
            added_directory_entry: AtomicBool::new(false),
        }
    }

    /// Called by each repository method that writes a kept table.
    pub(crate) fn note(&self) {
        self.wrote.store(true, Ordering::Relaxed);
    }

    pub(crate) fn wrote(&self) -> bool {
        self.wrote.load(Ordering::Relaxed)
    }

    /// Called when the directory gains an entry: additions are not heard, so
    /// nothing kept is forgotten, but this transaction keeps no entry from then on.
    pub(crate) fn note_directory_entry_added(&self) {
        self.added_directory_entry.store(true, Ordering::Relaxed);
    }

    /// Whether a directory entry this transaction found may be kept: only committed
    /// entries may, and this transaction's own are not yet.
    pub(crate) fn may_keep_directory_entries(&self) -> bool {
        !self.wrote() && !self.added_directory_entry.load(Ordering::Relaxed)
    }

    /// The administration's registration settings as this replica keeps them, unless
    /// this transaction changed them (it must then read its own writes).
    pub(crate) fn kept_registration(&self, tenant: TenantId) -> Option<Arc<RegistrationSettings>> {
        if self.wrote() {
            return None;
        }
        self.cache.as_deref()?.registration(tenant)
    }

    /// The directory entry `match_key` finds, as this replica keeps it, unless this
    /// transaction changed kept rows.
    pub(crate) fn kept_correspondent(
        &self,
        tenant: TenantId,
        match_key: &str,
    ) -> Option<CorrespondentRecord> {
        if self.wrote() {
            return None;
        }
        self.cache
            .as_deref()?
            .correspondent_named(tenant, match_key)
    }

    pub(crate) fn cache(&self) -> Option<&Arc<SettingsCache>> {
        self.cache.as_ref()
    }
}

impl Drop for SettingsWrites {
    fn drop(&mut self) {
        if *self.wrote.get_mut()
            && let Some(cache) = &self.cache
        {
            cache.forget_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Arc<RegistrationSettings> {
        Arc::new(RegistrationSettings {
            registers: Vec::new(),
            vocabulary: Vocabulary::defaults(),
            holidays: Vec::new(),
            quotas: Quotas::default(),
        })
    }

    /// A cache whose listening task is taken as started (these tests have no
    /// database), in the state `listening` says.
    fn cache(listening: bool) -> Arc<SettingsCache> {
        let cache = SettingsCache::listening_to("postgres://nowhere");
        let (stop, _) = oneshot::channel();
        cache.stop_listening.set(stop).expect("not started yet");
        cache.set_listening(listening);
        cache
    }

    fn listening() -> Arc<SettingsCache> {
        cache(true)
    }

    #[test]
    fn keeps_nothing_while_not_listening() {
        assert!(cache(false).ticket().is_none());
    }

    #[test]
    fn keeps_a_read_made_while_nothing_changed() {
        let cache = listening();
        let tenant = TenantId::new(Uuid::new_v4());
        let ticket = cache.ticket().expect("listening");
        cache.keep_registration(ticket, tenant, settings());
        assert!(cache.registration(tenant).is_some());
        assert!(cache.registration(TenantId::new(Uuid::new_v4())).is_none());
    }

    #[test]
    fn refuses_a_read_that_a_change_overtook() {
        let cache = listening();
        let tenant = TenantId::new(Uuid::new_v4());
        let ticket = cache.ticket().expect("listening");
        cache.forget_all();
        cache.keep_registration(ticket, tenant, settings());
        assert!(cache.registration(tenant).is_none());
    }

    #[test]
    fn a_change_forgets_everything_kept() {
        let cache = listening();
        let tenant = TenantId::new(Uuid::new_v4());
        cache.keep_registration(cache.ticket().expect("listening"), tenant, settings());
        cache.forget_all();
        assert!(cache.registration(tenant).is_none());
    }

    #[test]
    fn losing_the_notifications_forgets_and_stops_keeping() {
        let cache = listening();
        let tenant = TenantId::new(Uuid::new_v4());
        let ticket = cache.ticket().expect("listening");
        cache.keep_registration(ticket, tenant, settings());
        cache.set_listening(false);
        assert!(cache.registration(tenant).is_none());
        assert!(cache.ticket().is_none());
        cache.keep_registration(ticket, tenant, settings());
        assert!(cache.registration(tenant).is_none());
    }

    #[test]
    fn a_transaction_that_wrote_settings_forgets_them_when_it_ends() {
        let cache = listening();
        let tenant = TenantId::new(Uuid::new_v4());
        cache.keep_registration(cache.ticket().expect("listening"), tenant, settings());
        let read_only = SettingsWrites::new(Some(cache.clone()));
        drop(read_only);
        assert!(cache.registration(tenant).is_some());
        let writer = SettingsWrites::new(Some(cache.clone()));
        writer.note();
        drop(writer);
        assert!(cache.registration(tenant).is_none());
    }
}
