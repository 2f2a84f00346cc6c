use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    journal::{ChainBreak, EntryContent, GENESIS, StoredEntry, chain_hash, verify_chain},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    DatabaseTransaction, DbBackend, EntityTrait, ExprTrait, FromQueryResult, IntoActiveModel,
    Iterable, QueryFilter, QueryOrder, QueryResult, QuerySelect, QueryTrait, Statement,
    StatementBuilder,
    prelude::*,
    sea_query::{CommonTableExpression, InsertStatement, OnConflict, Query},
};

use crate::{
    DbError,
    entities::{audit_entries, audit_heads},
};

/// Something that happened, to be written in the journal.
#[derive(Debug, Clone)]
pub struct JournalEvent {
    /// Who: `user:<login>`, `operator:<login>`, `system`.
    pub actor: String,
    /// What, as a stable dotted code: `item.registered`, `item.viewed`…
    pub action: &'static str,
    /// On what: `item:<uuid>`, `register:<uuid>`…
    pub object: String,
    /// The facts worth keeping, as JSON.
    pub details: serde_json::Value,
    /// From where: the client address, or `cli`.
    pub origin: String,
}

/// A journal entry as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    /// Its place in the chain; `None` for the moment between its commit and its seal
    /// (PostgreSQL, see `crate::sealer`).
    pub sequence: Option<u64>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub details: String,
    pub origin: String,
}

/// An administration's audit journal: append-only, hash-chained. Built only by
/// `TenantTx::journal`, so an entry commits with the change it records.
#[derive(Debug)]
pub struct JournalRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    /// The transaction's flag: set once an entry is written, so its commit asks for
    /// the journal to be sealed.
    journaled: &'t AtomicBool,
}

impl<'t> JournalRepo<'t> {
    pub(crate) fn new(
        tx: &'t DatabaseTransaction,
        tenant: TenantId,
        journaled: &'t AtomicBool,
    ) -> Self {
        Self {
            tx,
            tenant,
            journaled,
        }
    }

    /// Appends `event`; it commits with the transaction or not at all.
    ///
    /// On PostgreSQL the entry is inserted alone and sealed (numbered and chained) just
    /// after the commit, by `crate::sealer`: the transaction holds no journal-wide
    /// lock, so an administration's registrations on different registers commit side
    /// by side. On SQLite, where one transaction writes at a time anyway, the entry is
    /// chained at once.
    pub async fn append(&self, event: JournalEvent, at: DateTime<Utc>) -> Result<(), DbError> {
        if self.tx.get_database_backend() == DbBackend::Postgres {
            self.journaled.store(true, Ordering::Relaxed);
            return self.insert_to_be_sealed(event, at).await;
        }
        self.chain_on_sqlite(&event, at, None).await?;
        Ok(())
    }

    /// Inserts `row` and appends `event`, which records it; both commit with the
    /// transaction or not at all. For a registration, whose register counter stays
    /// locked from the number's taking to the commit (on SQLite, the whole database),
    /// they go in as few round trips as they can: on PostgreSQL one statement (the
    /// entry in a data-modifying `WITH`), on SQLite two batches (`chain_on_sqlite`).
    pub async fn insert_journaled<A>(
        &self,
        row: A,
        event: JournalEvent,
        at: DateTime<Utc>,
    ) -> Result<<A::Entity as EntityTrait>::Model, DbError>
    where
        A: ActiveModelTrait + Send,
        <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    {
        let backend = self.tx.get_database_backend();
        let mut insert = A::Entity::insert(row).into_query();
        insert.returning(
            Query::returning().exprs(
                <A::Entity as EntityTrait>::Column::iter()
                    .map(|c| c.select_as(c.into_returning_expr(backend))),
            ),
        );
        let inserted = if backend == DbBackend::Postgres {
            let entry = CommonTableExpression::new()
                .query(self.entry_insert(event, at)?)
                .table_name("journaled")
                .to_owned();
            insert.with_cte(entry);
            self.journaled.store(true, Ordering::Relaxed);
            self.tx.query_one_raw(backend.build(&insert)).await?
        } else {
            self.chain_on_sqlite(&event, at, Some(insert)).await?
        };
        let inserted = inserted.ok_or_else(|| DbError::corrupt("journaled row", "not returned"))?;
        Ok(<A::Entity as EntityTrait>::Model::from_query_result(
            &inserted, "",
        )?)
    }

    /// PostgreSQL: the entry's content only. The application role may not write a
    /// sequence or a hash: only the database's sealing function does.
    async fn insert_to_be_sealed(
        &self,
        event: JournalEvent,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        self.tx.execute(&self.entry_insert(event, at)?).await?;
        Ok(())
    }

    /// The insert of an entry's content, to be sealed after commit (PostgreSQL).
    fn entry_insert(
        &self,
        event: JournalEvent,
        at: DateTime<Utc>,
    ) -> Result<InsertStatement, DbError> {
        use audit_entries::Column;
        Ok(Query::insert()
            .into_table(audit_entries::Entity)
            .columns([
                Column::TenantId,
                Column::At,
                Column::Actor,
                Column::Action,
                Column::Object,
                Column::Details,
                Column::Origin,
            ])
            .values([
                self.tenant.as_uuid().into(),
                at.into(),
                event.actor.into(),
                event.action.into(),
                event.object.into(),
                event.details.to_string().into(),
                event.origin.into(),
            ])
            .map_err(|e| DbError::corrupt("audit_entries", e))?
            .to_owned())
    }

    /// SQLite (one writer at a time): chains `event` after the head's entry, in two
    /// batches of statements, each one round trip to SQLite's thread:
    /// 1. `row`, when given (the row the entry records, returned), then the head
    ///    advanced and returned: its sequence and the hash to chain after;
    /// 2. the entry, hashed here, and the head given its hash.
    ///
    /// Each round trip (a hand-over to the connection's thread and back) took about
    /// 50 µs on the bench machine under load, while every other writer waits for the
    /// lock: one statement each, a registration held it a third longer. A failed
    /// `row` stops its batch before the head moves.
    async fn chain_on_sqlite(
        &self,
        event: &JournalEvent,
        at: DateTime<Utc>,
        row: Option<InsertStatement>,
    ) -> Result<Option<QueryResult>, DbError> {
        use audit_heads::Column as Head;
        let tenant = self.tenant.as_uuid();
        let (tenant_text, details) = (self.tenant.to_string(), event.details.to_string());
        let mut content = EntryContent {
            tenant: &tenant_text,
            sequence: 1,
            at,
            actor: &event.actor,
            action: event.action,
            object: &event.object,
            details: &details,
            origin: &event.origin,
        };
        let mut advance = audit_heads::Entity::insert(audit_heads::ActiveModel {
            tenant_id: Set(tenant),
            last_sequence: Set(1),
            last_hash: Set(GENESIS.to_owned()),
            previous_hash: Set(None),
        })
        .on_conflict(
            OnConflict::column(Head::TenantId)
                .value(
                    Head::LastSequence,
                    Expr::col((audit_heads::Entity, Head::LastSequence)).add(1),
                )
                .to_owned(),
        )
        .into_query();
        // Until the second batch, `last_hash` is still the previous entry's.
        advance.returning(Query::returning().columns([Head::LastSequence, Head::LastHash]));
        let has_row = row.is_some();
        let mut returned = self
            .tx
            .query_all_raw(sqlite_batch(
                row.iter()
                    .chain([&advance])
                    .map(|s| s as &dyn StatementBuilder),
            ))
            .await?
            .into_iter();
        let inserted = if has_row { returned.next() } else { None };
        let head = returned
            .next()
            .ok_or_else(|| DbError::corrupt("audit_heads", "the head was not returned"))?;
        let sequence: i64 = head.try_get("", "last_sequence")?;
        let previous_hash: String = head.try_get("", "last_hash")?;
        content.sequence =
            u64::try_from(sequence).map_err(|e| DbError::corrupt("audit_heads", e))?;
        let hash = chain_hash(&previous_hash, &content);
        let entry = audit_entries::Entity::insert(audit_entries::ActiveModel {
            tenant_id: Set(tenant),
            sequence: Set(sequence),
            at: Set(content.at),
            actor: Set(content.actor.to_owned()),
            action: Set(content.action.to_owned()),
            object: Set(content.object.to_owned()),
            details: Set(content.details.to_owned()),
            origin: Set(content.origin.to_owned()),
            previous_hash: Set(previous_hash.clone()),
            hash: Set(hash.clone()),
        })
        .into_query();
        let head_hash = audit_heads::Entity::update_many()
            .col_expr(Head::PreviousHash, Expr::value(previous_hash))
            .col_expr(Head::LastHash, Expr::value(hash))
            .filter(Head::TenantId.eq(tenant))
            .into_query();
        let statements: [&dyn StatementBuilder; 2] = [&entry, &head_hash];
        self.tx.execute_raw(sqlite_batch(statements)).await?;
        Ok(inserted)
    }

    /// The entries about one object, oldest first, sealed or not: an item's timeline.
    pub async fn entries_about(&self, object: &str) -> Result<Vec<JournalEntry>, DbError> {
        audit_entries::Entity::find()
            .select_only()
            .columns([
                audit_entries::Column::Sequence,
                audit_entries::Column::At,
                audit_entries::Column::Actor,
                audit_entries::Column::Action,
                audit_entries::Column::Object,
                audit_entries::Column::Details,
                audit_entries::Column::Origin,
            ])
            .filter(audit_entries::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(audit_entries::Column::Object.eq(object))
            .order_by_asc(audit_entries::Column::At)
            .order_by_asc(audit_entries::Column::Sequence)
            .into_model::<TimelineRow>()
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_entry)
            .collect()
    }

    /// Walks the sealed journal and checks its chain: the number of entries when it
    /// holds, or the first entry that breaks it. `Database::verify_journal` seals
    /// first and reads in one snapshot.
    pub(crate) async fn verify(&self) -> Result<Result<u64, ChainBreak>, DbError> {
        let rows = audit_entries::Entity::find()
            .filter(audit_entries::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(audit_entries::Column::Sequence.is_not_null())
            .order_by_asc(audit_entries::Column::Sequence)
            .all(self.tx)
            .await?;
        let tenant = self.tenant.to_string();
        let stored = rows.iter().map(|row| StoredEntry {
            content: EntryContent {
                tenant: &tenant,
                // A negative sequence cannot be stored by Ordo: it reads as out of order.
                sequence: u64::try_from(row.sequence).unwrap_or(u64::MAX),
                at: row.at,
                actor: &row.actor,
                action: &row.action,
                object: &row.object,
                details: &row.details,
                origin: &row.origin,
            },
            previous_hash: &row.previous_hash,
            hash: &row.hash,
        });
        let outcome = verify_chain(stored);
        let Ok(found) = outcome else {
            return Ok(outcome);
        };
        // The chain cannot see entries removed from its end; the head can.
        let head = audit_heads::Entity::find_by_id(self.tenant.as_uuid())
            .one(self.tx)
            .await?;
        let (recorded, recorded_hash) =
            head.map_or((0, GENESIS.to_owned()), |h| (h.last_sequence, h.last_hash));
        let last_hash = rows.last().map_or(GENESIS, |row| row.hash.as_str());
        let recorded = u64::try_from(recorded).unwrap_or(u64::MAX);
        if recorded != found || recorded_hash != last_hash {
            return Ok(Err(ChainBreak::Truncated { recorded, found }));
        }
        Ok(Ok(found))
    }
}

/// `statements` as one SQLite statement list: run in order by one call, each with
/// its own values (SQLite binds a list's `?` in turn), stopping at the first error.
fn sqlite_batch<'s>(statements: impl IntoIterator<Item = &'s dyn StatementBuilder>) -> Statement {
    let mut batch = Statement::from_string(DbBackend::Sqlite, String::new());
    let mut values = Vec::new();
    for statement in statements {
        let built = statement.build(&DbBackend::Sqlite);
        batch.sql.push_str(&built.sql);
        batch.sql.push_str(";\n");
        values.extend(built.values.map(|v| v.0).unwrap_or_default());
    }
    batch.values = Some(sea_orm::sea_query::Values(values));
    batch
}

/// An entry as a timeline reads it: the sequence is missing until it is sealed.
#[derive(Debug, FromQueryResult)]
struct TimelineRow {
    sequence: Option<i64>,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    object: String,
    details: String,
    origin: String,
}

fn to_entry(row: TimelineRow) -> Result<JournalEntry, DbError> {
    Ok(JournalEntry {
        sequence: row
            .sequence
            .map(u64::try_from)
            .transpose()
            .map_err(|e| DbError::corrupt("audit_entries", e))?,
        at: row.at,
        actor: row.actor,
        action: row.action,
        object: row.object,
        details: row.details,
        origin: row.origin,
    })
}
