//! Seals the journals on PostgreSQL: gives the entries that transactions wrote their
//! place in the hash chain, shortly after they commit.
//!
//! A transaction that journals something only inserts the entry (see
//! `repos::journal`); holding the journal's head until commit would let an
//! administration commit one transaction per disk flush. The sealer then calls
//! `ordo_seal_journal` (migration 19), which takes the head, hashes and numbers every
//! entry waiting, oldest first, and commits them in one flush.
//!
//! Each `Database` runs one sealer task. It is nudged after every commit that
//! journaled something, so entries are sealed within milliseconds, and sweeps every
//! journal once a second, which catches entries whose nudge went to a sealer that found
//! the head held by another replica's. `ordo audit verify` and the export seal before
//! they read.

use std::{collections::BTreeSet, time::Duration};

use ordo_domain::TenantId;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::mpsc;

use crate::DbError;

/// How many entries one call seals at most: one transaction's worth, so a backlog
/// (after an outage) is sealed in steps that each commit.
const BATCH: i32 = 1_000;

/// How often every journal is swept for entries no nudge sealed.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// The handle that commits nudge; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct JournalSealer {
    nudges: mpsc::UnboundedSender<TenantId>,
}

impl JournalSealer {
    /// Starts the sealing task over `conn`. It ends when the last handle is dropped.
    pub(crate) fn start(conn: DatabaseConnection) -> Self {
        let (nudges, mut due) = mpsc::unbounded_channel::<TenantId>();
        tokio::spawn(async move {
            let mut sweep =
                tokio::time::interval_at(tokio::time::Instant::now() + SWEEP_EVERY, SWEEP_EVERY);
            sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    nudged = due.recv() => {
                        let Some(first) = nudged else { return };
                        // Everything nudged meanwhile is sealed in the same round: under
                        // load, one call seals many transactions' entries.
                        let mut tenants = BTreeSet::from([first]);
                        while let Ok(more) = due.try_recv() {
                            tenants.insert(more);
                        }
                        for tenant in tenants {
                            if let Err(err) = seal(&conn, tenant, OtherSealer::LeaveTo).await {
                                tracing::warn!(error = %err, %tenant, "sealing the journal failed; the sweep will retry");
                            }
                        }
                    }
                    _ = sweep.tick() => match seal_all(&conn).await {
                        Ok(_) => {}
                        // A replica that starts before the migrations ran, or a
                        // process that connects to run them, sweeps before the
                        // sealing functions exist.
                        Err(err) if err.is_undefined_function() => {
                            tracing::debug!(error = %err, "journals not sealable yet");
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, "sweeping the journals failed; retrying next second");
                        }
                    },
                }
            }
        });
        Self { nudges }
    }

    /// Asks for `tenant`'s journal to be sealed soon.
    pub(crate) fn nudge(&self, tenant: TenantId) {
        // The task only stops once every handle is gone, so this cannot fail while
        // `self` exists.
        let _ = self.nudges.send(tenant);
    }
}

/// What to do when another session is sealing the same journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtherSealer {
    /// Leave the entries to it and return at once: after a commit.
    LeaveTo,
    /// Wait for it, then seal what is left: before reading the whole journal.
    WaitFor,
}

/// Seals every entry of `tenant` committed when it is called (see [`OtherSealer`]);
/// returns how many it sealed itself.
pub(crate) async fn seal(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    other: OtherSealer,
) -> Result<u64, DbError> {
    let mut sealed = 0;
    loop {
        let batch = call(
            conn,
            "SELECT ordo_seal_journal($1, $2, $3)::bigint AS sealed",
            vec![
                tenant.as_uuid().into(),
                BATCH.into(),
                (other == OtherSealer::WaitFor).into(),
            ],
        )
        .await?;
        sealed += batch;
        if batch < u64::from(BATCH.unsigned_abs()) {
            return Ok(sealed);
        }
    }
}

/// Seals the waiting entries of every administration.
async fn seal_all(conn: &DatabaseConnection) -> Result<u64, DbError> {
    call(
        conn,
        "SELECT ordo_seal_journals($1) AS sealed",
        vec![BATCH.into()],
    )
    .await
}

async fn call(
    conn: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<u64, DbError> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?
        .ok_or_else(|| DbError::corrupt("audit_entries", "sealing returned nothing"))?;
    let sealed: i64 = row.try_get("", "sealed")?;
    u64::try_from(sealed).map_err(|e| DbError::corrupt("audit_entries", e))
}
