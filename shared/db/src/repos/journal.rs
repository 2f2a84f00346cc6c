use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    journal::{
        ChainBreak, EntryContent, GENESIS, StoredEntry, around_sequence, chain_hash, verify_chain,
    },
};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, DbBackend, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, Statement, prelude::*, sea_query::OnConflict,
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
    pub sequence: u64,
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
}

impl<'t> JournalRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Appends `event`, chained to the entry before it. The head row is written first:
    /// that write locks it (PostgreSQL) or takes the write lock (SQLite) until commit,
    /// so appends of one tenant are serialised and the chain never forks.
    pub async fn append(&self, event: JournalEvent, at: DateTime<Utc>) -> Result<u64, DbError> {
        let details = event.details.to_string();
        let tenant = self.tenant.to_string();
        let content = EntryContent {
            tenant: &tenant,
            sequence: 1,
            at,
            actor: &event.actor,
            action: event.action,
            object: &event.object,
            details: &details,
            origin: &event.origin,
        };
        if self.tx.get_database_backend() == DbBackend::Postgres {
            self.append_in_one_statement(&content).await
        } else {
            self.append_in_steps(content).await
        }
    }

    /// PostgreSQL: advancing the head, hashing the entry and inserting it are one
    /// statement. Every other append of the tenant waits on the head from that
    /// statement to the commit, so the head is held for one round trip, not three.
    /// The database completes the canonical form (`journal::around_sequence`) with the
    /// previous hash and the sequence it finds in the head, and hashes it with its own
    /// `sha256`; `ordo audit verify` recomputes every hash in Rust.
    async fn append_in_one_statement(&self, content: &EntryContent<'_>) -> Result<u64, DbError> {
        let around = around_sequence(content);
        let first_hash = chain_hash(GENESIS, content);
        // The hash of the entry after `$previous`, whose sequence is `$sequence`.
        let hashed = |previous: &str, sequence: &str| {
            format!(
                "encode(sha256(int8send(octet_length({previous})::bigint) || convert_to({previous}, 'UTF8') \
                 || $5 || int8send(octet_length(({sequence})::text)::bigint) || convert_to(({sequence})::text, 'UTF8') \
                 || $6), 'hex')"
            )
        };
        let sql = format!(
            "WITH head AS ( \
               INSERT INTO audit_heads AS head (tenant_id, last_sequence, previous_hash, last_hash) \
               VALUES ($1, 1, $2, $3) \
               ON CONFLICT (tenant_id) DO UPDATE SET \
                 last_sequence = head.last_sequence + 1, \
                 previous_hash = head.last_hash, \
                 last_hash = {} \
               RETURNING last_sequence, previous_hash, last_hash) \
             INSERT INTO audit_entries \
               (tenant_id, sequence, at, actor, action, object, details, origin, previous_hash, hash) \
             SELECT $1, last_sequence, $4, $7, $8, $9, $10, $11, previous_hash, last_hash FROM head \
             RETURNING sequence",
            hashed("head.last_hash", "head.last_sequence + 1")
        );
        let row = self
            .tx
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                [
                    self.tenant.as_uuid().into(),
                    GENESIS.into(),
                    first_hash.into(),
                    content.at.into(),
                    around.before.into(),
                    around.after.into(),
                    content.actor.into(),
                    content.action.into(),
                    content.object.into(),
                    content.details.into(),
                    content.origin.into(),
                ],
            ))
            .await?
            .ok_or_else(|| DbError::corrupt("audit_entries", "the append returned no entry"))?;
        let sequence: i64 = row.try_get("", "sequence")?;
        u64::try_from(sequence).map_err(|e| DbError::corrupt("audit_entries", e))
    }

    /// SQLite (one writer at a time): the head is advanced, the entry hashed here and
    /// inserted, then the head given the entry's hash.
    async fn append_in_steps(&self, mut content: EntryContent<'_>) -> Result<u64, DbError> {
        let tenant = self.tenant.as_uuid();
        // Until the last step, `last_hash` is still the previous entry's.
        let head = audit_heads::Entity::insert(audit_heads::ActiveModel {
            tenant_id: Set(tenant),
            last_sequence: Set(1),
            last_hash: Set(GENESIS.to_owned()),
            previous_hash: Set(None),
        })
        .on_conflict(
            OnConflict::column(audit_heads::Column::TenantId)
                .value(
                    audit_heads::Column::LastSequence,
                    Expr::col((audit_heads::Entity, audit_heads::Column::LastSequence)).add(1),
                )
                .to_owned(),
        )
        .exec_with_returning(self.tx)
        .await?;
        content.sequence =
            u64::try_from(head.last_sequence).map_err(|e| DbError::corrupt("audit_heads", e))?;
        let hash = chain_hash(&head.last_hash, &content);
        audit_entries::Entity::insert(audit_entries::ActiveModel {
            tenant_id: Set(tenant),
            sequence: Set(head.last_sequence),
            at: Set(content.at),
            actor: Set(content.actor.to_owned()),
            action: Set(content.action.to_owned()),
            object: Set(content.object.to_owned()),
            details: Set(content.details.to_owned()),
            origin: Set(content.origin.to_owned()),
            previous_hash: Set(head.last_hash.clone()),
            hash: Set(hash.clone()),
        })
        .exec_without_returning(self.tx)
        .await?;
        audit_heads::Entity::update_many()
            .col_expr(
                audit_heads::Column::PreviousHash,
                Expr::value(head.last_hash),
            )
            .col_expr(audit_heads::Column::LastHash, Expr::value(hash))
            .filter(audit_heads::Column::TenantId.eq(tenant))
            .exec(self.tx)
            .await?;
        Ok(content.sequence)
    }

    /// The entries about one object, oldest first: an item's timeline.
    pub async fn entries_about(&self, object: &str) -> Result<Vec<JournalEntry>, DbError> {
        audit_entries::Entity::find()
            .filter(audit_entries::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(audit_entries::Column::Object.eq(object))
            .order_by_asc(audit_entries::Column::Sequence)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_entry)
            .collect()
    }

    /// Walks the whole journal and checks its chain: the number of entries when it
    /// holds, or the first entry that breaks it.
    pub async fn verify(&self) -> Result<Result<u64, ChainBreak>, DbError> {
        let rows = audit_entries::Entity::find()
            .filter(audit_entries::Column::TenantId.eq(self.tenant.as_uuid()))
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

fn to_entry(row: audit_entries::Model) -> Result<JournalEntry, DbError> {
    Ok(JournalEntry {
        sequence: u64::try_from(row.sequence).map_err(|e| DbError::corrupt("audit_entries", e))?,
        at: row.at,
        actor: row.actor,
        action: row.action,
        object: row.object,
        details: row.details,
        origin: row.origin,
    })
}
