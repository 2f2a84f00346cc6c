//! The operator agency's journal (append-only: the application role may insert and
//! read it, nothing more).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::{DbError, entities::operator_journal};

/// An act of the operator agency, or an attempt it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorEvent {
    /// `operator:<login>` or `cli`.
    pub actor: String,
    /// e.g. `tenant.suspended`.
    pub action: &'static str,
    pub tenant_code: Option<String>,
    /// Done, or refused and why.
    pub refused: Option<String>,
    pub details: serde_json::Value,
    pub origin: String,
}

/// An entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorEntry {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub tenant_code: Option<String>,
    pub outcome: String,
    pub details: String,
}

/// Built only by `PlatformTx::operator_journal`.
#[derive(Debug)]
pub struct OperatorJournalRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> OperatorJournalRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn append(&self, event: OperatorEvent, now: DateTime<Utc>) -> Result<(), DbError> {
        let (outcome, details) = match &event.refused {
            None => ("done", event.details),
            Some(reason) => (
                "refused",
                serde_json::json!({ "reason": reason, "request": event.details }),
            ),
        };
        operator_journal::Entity::insert(operator_journal::ActiveModel {
            id: Set(Uuid::now_v7()),
            at: Set(now),
            actor: Set(event.actor),
            action: Set(event.action.to_owned()),
            tenant_code: Set(event.tenant_code),
            outcome: Set(outcome.to_owned()),
            details: Set(details.to_string()),
            origin: Set(event.origin),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// The latest entry of `action` done for the administration `code`.
    pub async fn last_done(
        &self,
        action: &str,
        code: &str,
    ) -> Result<Option<OperatorEntry>, DbError> {
        Ok(operator_journal::Entity::find()
            .filter(operator_journal::Column::Action.eq(action))
            .filter(operator_journal::Column::TenantCode.eq(code))
            .filter(operator_journal::Column::Outcome.eq("done"))
            .order_by_desc(operator_journal::Column::At)
            .order_by_desc(operator_journal::Column::Id)
            .one(self.tx)
            .await?
            .map(to_entry))
    }

    /// The latest `limit` entries, newest first.
    pub async fn recent(&self, limit: u64) -> Result<Vec<OperatorEntry>, DbError> {
        Ok(operator_journal::Entity::find()
            .order_by_desc(operator_journal::Column::At)
            .order_by_desc(operator_journal::Column::Id)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_entry)
            .collect())
    }
}

fn to_entry(row: operator_journal::Model) -> OperatorEntry {
    OperatorEntry {
        at: row.at,
        actor: row.actor,
        action: row.action,
        tenant_code: row.tenant_code,
        outcome: row.outcome,
        details: row.details,
    }
}
