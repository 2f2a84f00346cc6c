//! SQLite's group commit.
//!
//! SQLite lets one transaction write at a time, so registrations go through the
//! writers' connection one after the other, and the rate is one over the time each
//! holds it. Measured under load (docs/benchmarks.md, sixteenth session), a
//! registration's turn was ~220 µs of its own statements, ~165 µs of `COMMIT` and
//! ~200 µs of hand-over (sqlx returns a connection to its pool through a task that
//! pings it, then the next writer sends `BEGIN IMMEDIATE`).
//!
//! Here the writers waiting in line take their turns inside one outer transaction,
//! each in a savepoint of its own, and one `COMMIT` ends the group: its cost and the
//! hand-over are paid once for up to `MAX_GROUP` turns. What each turn promises is
//! unchanged:
//! - a turn that fails, or is dropped, rolls back its savepoint only: its writes
//!   (and the number it took) are gone, the others' stay;
//! - `TenantTx::commit` returns only once the group's `COMMIT` is done, and its error
//!   if that `COMMIT` fails (then every turn of the group is undone);
//! - turns are taken in the order they were asked for.
//!
//! Inside a group, a turn sees the writes of the turns before it, not yet committed.
//! Should the group's `COMMIT` fail (on I/O errors only: the lock is already held),
//! what was read of them is gone: the replica's kept settings and directory entries
//! are then forgotten (`TenantTx::commit`), but a turn that answered from such a read
//! without writing (an idempotent retry finding the first registration) has already
//! answered.

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{mpsc, oneshot, watch};

use crate::DbError;

/// At most this many turns share a `COMMIT`: a turn's answer waits for the others of
/// its group (32 clients in the bench: p99 fell from 31 to 24 ms).
const MAX_GROUP: usize = 32;

/// How long a writer waits for its turn, as long as SQLite would wait for its lock.
const TURN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

type Asker = oneshot::Sender<Result<Turn, String>>;

/// Hands out turns on the writers' connection: a task runs the groups, one after
/// the other, until the last copy of this is dropped.
#[derive(Debug, Clone)]
pub(crate) struct GroupCommit {
    askers: mpsc::UnboundedSender<Asker>,
}

/// A writer's turn: its savepoint, and its place in the group.
#[derive(Debug)]
pub(crate) struct Turn {
    pub(crate) tx: DatabaseTransaction,
    pub(crate) member: Member,
}

/// A turn's place in its group. Dropping it ends the turn.
#[derive(Debug)]
pub(crate) struct Member {
    ended: Option<oneshot::Sender<()>>,
    outcome: watch::Receiver<Option<Result<(), String>>>,
}

impl Member {
    /// Ends the turn, its savepoint released, and waits for the group's `COMMIT`.
    pub(crate) async fn committed(mut self) -> Result<(), DbError> {
        drop(self.ended.take());
        let outcome = self
            .outcome
            .wait_for(Option::is_some)
            .await
            .map_err(|_| failed("the group ended without committing"))?;
        match &*outcome {
            Some(Ok(())) => Ok(()),
            Some(Err(error)) => Err(failed(error)),
            None => Err(failed("the group ended without committing")),
        }
    }
}

fn failed(error: impl std::fmt::Display) -> DbError {
    DbError::Database(DbErr::Custom(format!("group commit: {error}")))
}

impl GroupCommit {
    pub(crate) fn start(writer: DatabaseConnection) -> Self {
        let (askers, mut waiting) = mpsc::unbounded_channel::<Asker>();
        tokio::spawn(async move {
            while let Some(first) = waiting.recv().await {
                run_group(&writer, first, &mut waiting).await;
            }
        });
        Self { askers }
    }

    /// Waits for a turn.
    pub(crate) async fn turn(&self) -> Result<Turn, DbError> {
        let (asker, turn) = oneshot::channel();
        self.askers
            .send(asker)
            .map_err(|_| failed("the writers' line has stopped"))?;
        // On timeout the asker is dropped: a turn handed to it later is dropped too.
        tokio::time::timeout(TURN_TIMEOUT, turn)
            .await
            .map_err(|_| failed("no turn to write within 30 s"))?
            .map_err(|_| failed("the writers' line has stopped"))?
            .map_err(failed)
    }
}

/// Runs one group: `BEGIN IMMEDIATE`, then a savepoint for `first` and for each
/// writer already waiting when the turn before it ends, then one `COMMIT`, whose
/// outcome every member is told.
async fn run_group(
    writer: &DatabaseConnection,
    first: Asker,
    waiting: &mut mpsc::UnboundedReceiver<Asker>,
) {
    let outer = match writer
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    {
        Ok(outer) => outer,
        Err(error) => {
            let _ = first.send(Err(error.to_string()));
            return;
        }
    };
    let (decide, outcome) = watch::channel(None);
    let mut next = Some(first);
    let mut members = 0;
    while let Some(asker) = next.take() {
        let savepoint = match outer.begin().await {
            Ok(savepoint) => savepoint,
            Err(error) => {
                let _ = asker.send(Err(error.to_string()));
                break;
            }
        };
        let (ended, end) = oneshot::channel();
        let turn = Turn {
            tx: savepoint,
            member: Member {
                ended: Some(ended),
                outcome: outcome.clone(),
            },
        };
        // A writer that left meanwhile drops its turn here: its savepoint rolls back.
        if asker.send(Ok(turn)).is_ok() {
            let _ = end.await;
        }
        members += 1;
        if members < MAX_GROUP {
            next = waiting.try_recv().ok();
        }
    }
    let committed = outer.commit().await.map_err(|e| e.to_string());
    let _ = decide.send(Some(committed));
}
