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
//! Should the group's `COMMIT` fail (on I/O errors; the lock is already held, and
//! Ordo defers no foreign key, the other cause, which the tests use to make one fail),
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

    /// Gets in line at once, and gives what waits for the turn: turns are handed out
    /// in the order of the calls, whenever each wait is first polled.
    pub(crate) fn turn(&self) -> impl Future<Output = Result<Turn, DbError>> + use<> {
        let (asker, turn) = oneshot::channel();
        let in_line = self.askers.send(asker);
        async move {
            in_line.map_err(|_| failed("the writers' line has stopped"))?;
            // On timeout the asker is dropped: a turn handed to it later is dropped too.
            tokio::time::timeout(TURN_TIMEOUT, turn)
                .await
                .map_err(|_| failed("no turn to write within 30 s"))?
                .map_err(|_| failed("the writers' line has stopped"))?
                .map_err(failed)
        }
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

#[cfg(test)]
mod tests {
    //! The group's promises on a real SQLite file, with the writers' connection made
    //! as `Database::connect` makes it.

    use sea_orm::{ConnectionTrait, DatabaseConnection};

    use super::{GroupCommit, Turn};

    /// The writers' connection to a new database with a table each test writes, and
    /// one whose foreign key a turn can break until the group's `COMMIT`.
    async fn writers(dir: &tempfile::TempDir) -> DatabaseConnection {
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("group.sqlite").display()
        );
        let writer = sea_orm::Database::connect(crate::connection::connect_options(&url, 1))
            .await
            .expect("connect");
        writer
            .execute_unprepared(
                "CREATE TABLE written (writer TEXT NOT NULL);
                 CREATE TABLE parent (id INTEGER PRIMARY KEY);
                 CREATE TABLE child (id INTEGER PRIMARY KEY,
                                     parent_id INTEGER NOT NULL REFERENCES parent (id));",
            )
            .await
            .expect("schema");
        writer
    }

    async fn write(turn: &Turn, writer: &str) {
        turn.tx
            .execute_unprepared(&format!("INSERT INTO written VALUES ('{writer}')"))
            .await
            .expect("insert");
    }

    /// Ends a turn as `TenantTx::commit` does: its savepoint released, then the
    /// group's outcome.
    async fn commit(turn: Turn) -> Result<(), crate::DbError> {
        turn.tx.commit().await.expect("release");
        turn.member.committed().await
    }

    async fn written(writer: &DatabaseConnection) -> Vec<String> {
        writer
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT writer FROM written ORDER BY rowid",
            ))
            .await
            .expect("select")
            .iter()
            .map(|row| row.try_get::<String>("", "writer").expect("writer"))
            .collect()
    }

    /// When the group's `COMMIT` fails, every turn of the group is told so and
    /// nothing of any is kept; the next group begins on a clean connection.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failed_commit_is_told_to_every_turn_and_keeps_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let writer = writers(&dir).await;
        let group = GroupCommit::start(writer.clone());
        let first = group.turn().await.expect("turn");
        // A foreign key checked only at the outermost `COMMIT`: the savepoint's
        // release passes, the group's `COMMIT` fails. SQLite's other reason to fail a
        // `COMMIT`, an I/O error, cannot be made on purpose.
        first
            .tx
            .execute_unprepared("PRAGMA defer_foreign_keys = ON; INSERT INTO child VALUES (1, 99);")
            .await
            .expect("deferred");
        write(&first, "first").await;
        let in_line = group.turn();
        let second = tokio::spawn(async move {
            let turn = in_line.await.expect("turn");
            write(&turn, "second").await;
            commit(turn).await
        });
        let first = commit(first).await.expect_err("the group's COMMIT fails");
        assert!(first.to_string().contains("FOREIGN KEY"), "{first}");
        let second = second.await.expect("task");
        assert!(
            second.is_err(),
            "a turn of a failed group must not be told it committed"
        );
        assert_eq!(written(&writer).await, Vec::<String>::new());

        let next = group.turn().await.expect("a turn after the failed group");
        write(&next, "next").await;
        commit(next).await.expect("the next group commits");
        assert_eq!(written(&writer).await, ["next"]);
        let children = writer
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT count(*) AS n FROM child",
            ))
            .await
            .expect("count")
            .expect("row")
            .try_get::<i64>("", "n")
            .expect("n");
        assert_eq!(children, 0);
    }

    /// A writer that gives up while waiting in line, or is cancelled during its turn
    /// (a request whose client went away), is skipped or rolled back; the turns after
    /// it go on in the same group.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn writers_cancelled_in_line_or_in_their_turn_leave_the_group_going() {
        let dir = tempfile::tempdir().expect("dir");
        let writer = writers(&dir).await;
        let group = GroupCommit::start(writer.clone());
        let first = group.turn().await.expect("turn");
        write(&first, "first").await;

        // Each writer is in line before the next one: `turn()` queues at the call.
        let in_line = group.turn();
        let gave_up = tokio::spawn(async move {
            let turn = in_line.await.expect("turn");
            write(&turn, "gave up").await;
            commit(turn).await
        });
        gave_up.abort();
        let (cancelled_writing, cancel) = tokio::sync::oneshot::channel::<()>();
        let in_line = group.turn();
        let cancelled = tokio::spawn(async move {
            let turn = in_line.await.expect("turn");
            write(&turn, "cancelled").await;
            let _ = cancelled_writing.send(());
            std::future::pending::<()>().await;
            drop(turn);
        });
        let in_line = group.turn();
        let last = tokio::spawn(async move {
            let turn = in_line.await.expect("turn");
            write(&turn, "last").await;
            commit(turn).await
        });

        let first = tokio::spawn(commit(first));
        cancel.await.expect("the cancelled writer had its turn");
        cancelled.abort();
        last.await.expect("task").expect("the last one commits");
        first.await.expect("task").expect("the first one commits");
        assert!(gave_up.await.expect_err("aborted").is_cancelled());
        assert_eq!(written(&writer).await, ["first", "last"]);
    }
}
