use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    journal::{ChainBreak, EntryContent, GENESIS, StoredEntry, chain_hash, verify_chain},
};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, DbBackend, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder, QueryTrait, Statement, prelude::*, sea_query::OnConflict,
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

    /// Appends `event`, chained to the entry before it. The head row is written
    /// first, in one statement that creates it or advances it and returns the previous
    /// hash: that write locks it (PostgreSQL) or takes the write lock (SQLite), so
    /// appends of one tenant are serialised and the chain never forks.
    pub async fn append(&self, event: JournalEvent, at: DateTime<Utc>) -> Result<u64, DbError> {
        let tenant = self.tenant.as_uuid();
        let head = audit_heads::Entity::insert(audit_heads::ActiveModel {
            tenant_id: Set(tenant),
            last_sequence: Set(1),
            last_hash: Set(GENESIS.to_owned()),
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
        let sequence =
            u64::try_from(head.last_sequence).map_err(|e| DbError::corrupt("audit_heads", e))?;
        let details = event.details.to_string();
        let tenant_text = self.tenant.to_string();
        let content = EntryContent {
            tenant: &tenant_text,
            sequence,
            at,
            actor: &event.actor,
            action: event.action,
            object: &event.object,
            details: &details,
            origin: &event.origin,
        };
        let hash = chain_hash(&head.last_hash, &content);
        let entry = audit_entries::ActiveModel {
            tenant_id: Set(tenant),
            sequence: Set(head.last_sequence),
            at: Set(at),
            actor: Set(event.actor),
            action: Set(event.action.to_owned()),
            object: Set(event.object),
            details: Set(details),
            origin: Set(event.origin),
            previous_hash: Set(head.last_hash),
            hash: Set(hash.clone()),
        };
        let insert = audit_entries::Entity::insert(entry);
        if self.tx.get_database_backend() == DbBackend::Postgres {
            // One round trip for the entry and the head's new hash: the head row is
            // locked from the upsert above until commit, so every statement saved
            // here is time every other append of this tenant waits less.
            let insert = QueryTrait::build(&insert, DbBackend::Postgres);
            let next = insert.values.as_ref().map_or(0, |v| v.0.len()) + 1;
            let mut values = insert.values.map(|v| v.0).unwrap_or_default();
            values.push(tenant.into());
            let sql = format!(
                "WITH entry AS ({} RETURNING hash) \
                 UPDATE audit_heads SET last_hash = (SELECT hash FROM entry) WHERE tenant_id = ${next}",
                insert.sql
            );
            self.tx
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    values,
                ))
                .await?;
        } else {
            insert.exec_without_returning(self.tx).await?;
            audit_heads::Entity::update_many()
                .col_expr(audit_heads::Column::LastHash, Expr::value(hash))
                .filter(audit_heads::Column::TenantId.eq(tenant))
                .exec(self.tx)
                .await?;
        }
        Ok(sequence)
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
