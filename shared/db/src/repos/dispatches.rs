use chrono::{DateTime, NaiveDate, Utc};
use ordo_domain::{
    TenantId,
    dispatch::{DispatchStatus, Outcome, Purpose, Target},
    permissions::Reach,
};
use sea_orm::{
    ActiveValue::Set, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, prelude::*, sea_query::OnConflict,
};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{dispatch_templates, dispatches, item_followers},
};

/// A dispatch as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchRecord {
    pub id: Uuid,
    pub item_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub purpose: Purpose,
    pub target: Target,
    pub instructions: String,
    pub due_on: Option<NaiveDate>,
    pub status: DispatchStatus,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
    pub dispatched_by: Uuid,
    pub dispatched_at: DateTime<Utc>,
    pub updated_by: Uuid,
    pub updated_at: DateTime<Utc>,
}

/// A dispatch to write.
#[derive(Debug, Clone)]
pub struct NewDispatch {
    pub item_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub purpose: Purpose,
    pub target: Target,
    pub instructions: String,
    pub due_on: Option<NaiveDate>,
}

/// A status change, applied only if the dispatch is still in `from`: two people
/// acting at once cannot both move it.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub from: DispatchStatus,
    pub to: DispatchStatus,
    pub outcome: Option<Outcome>,
    pub reason: Option<String>,
}

/// One part of an inbox: dispatches for these purposes, in these statuses, sent to
/// any of these people or units, and, when set, due before a day.
#[derive(Debug, Clone, Default)]
pub struct InboxClause {
    pub purposes: Vec<Purpose>,
    pub statuses: Vec<DispatchStatus>,
    pub people: Vec<Uuid>,
    pub units: Vec<Uuid>,
    pub due_before: Option<NaiveDate>,
}

impl InboxClause {
    fn condition(&self) -> Condition {
        let mut whom = Condition::any();
        if !self.people.is_empty() {
            whom = whom.add(dispatches::Column::UserId.is_in(self.people.clone()));
        }
        if !self.units.is_empty() {
            whom = whom.add(dispatches::Column::UnitId.is_in(self.units.clone()));
        }
        let mut condition = Condition::all()
            .add(dispatches::Column::Purpose.is_in(self.purposes.iter().map(|p| p.code())))
            .add(dispatches::Column::Status.is_in(self.statuses.iter().map(|s| s.code())))
            // No one named: nothing matches (an empty `any` would match everything).
            .add(if self.people.is_empty() && self.units.is_empty() {
                Condition::all().add(Expr::cust("1 = 0"))
            } else {
                whom
            });
        if let Some(day) = self.due_before {
            condition = condition.add(dispatches::Column::DueOn.lt(day));
        }
        condition
    }
}

/// A usual recipient of a nature's mail: one click dispatches to all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateLine {
    pub nature: String,
    pub unit_id: Uuid,
    pub purpose: Purpose,
    pub instructions: String,
}

/// Dispatches of an administration's items, who follows which item, and the
/// dispatch templates. Built only by `TenantTx::dispatches`.
#[derive(Debug)]
pub struct DispatchRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> DispatchRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Writes a dispatch. A second live dispatch for action on one item is refused
    /// by the database as a [`DbError::Conflict`].
    pub async fn insert(
        &self,
        new: NewDispatch,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<DispatchRecord, DbError> {
        let (unit_id, user_id) = match new.target {
            Target::Unit(id) => (Some(id), None),
            Target::Person(id) => (None, Some(id)),
        };
        let model = dispatches::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            item_id: Set(new.item_id),
            parent_id: Set(new.parent_id),
            purpose: Set(new.purpose.code().to_owned()),
            unit_id: Set(unit_id),
            user_id: Set(user_id),
            instructions: Set(new.instructions),
            due_on: Set(new.due_on),
            status: Set(DispatchStatus::Sent.code().to_owned()),
            outcome: Set(None),
            reason: Set(None),
            dispatched_by: Set(by),
            dispatched_at: Set(now),
            updated_by: Set(by),
            updated_at: Set(now),
        };
        let row = dispatches::Entity::insert(model)
            .exec_with_returning(self.tx)
            .await?;
        to_record(row)
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::Id.eq(id))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// An item's dispatches, first sent first.
    pub async fn for_item(&self, item: Uuid) -> Result<Vec<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::ItemId.eq(item))
            .order_by_asc(dispatches::Column::DispatchedAt)
            .order_by_asc(dispatches::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// The dispatch for action that holds an item's responsibility, if any.
    pub async fn responsible(&self, item: Uuid) -> Result<Option<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::ItemId.eq(item))
            .filter(dispatches::Column::Purpose.eq(Purpose::Action.code()))
            .filter(
                dispatches::Column::Status.is_in(DispatchStatus::HOLDING.iter().map(|s| s.code())),
            )
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// Moves a dispatch from `change.from` to `change.to`. Returns false, changing
    /// nothing, when it is no longer in `change.from`.
    pub async fn change_status(
        &self,
        id: Uuid,
        change: StatusChange,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let mut update = dispatches::Entity::update_many()
            .col_expr(dispatches::Column::Status, Expr::value(change.to.code()))
            .col_expr(dispatches::Column::UpdatedBy, Expr::value(by))
            .col_expr(dispatches::Column::UpdatedAt, Expr::value(now))
            .col_expr(
                dispatches::Column::Outcome,
                Expr::value(change.outcome.map(|o| o.code().to_owned())),
            );
        if let Some(reason) = change.reason {
            update = update.col_expr(dispatches::Column::Reason, Expr::value(reason));
        }
        let result = update
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::Id.eq(id))
            .filter(dispatches::Column::Status.eq(change.from.code()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Open dispatches for action due on `until` or before: what reminders may concern.
    pub async fn open_due_by(&self, until: NaiveDate) -> Result<Vec<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::Purpose.eq(Purpose::Action.code()))
            .filter(
                dispatches::Column::Status.is_in(
                    [
                        DispatchStatus::Sent,
                        DispatchStatus::Accepted,
                        DispatchStatus::InProgress,
                    ]
                    .iter()
                    .map(|s| s.code()),
                ),
            )
            .filter(dispatches::Column::DueOn.lte(until))
            .order_by_asc(dispatches::Column::DueOn)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// Dispatches for action sent since `since`, in any state: what the dashboard's
    /// processing times are computed from.
    pub async fn actions_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::Purpose.eq(Purpose::Action.code()))
            .filter(dispatches::Column::DispatchedAt.gte(since))
            .order_by_asc(dispatches::Column::DispatchedAt)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// How close a person stands to an item: named by one of its dispatches, heading
    /// a unit one names, in such a unit, or none of these.
    pub async fn reach(
        &self,
        item: Uuid,
        person: Uuid,
        unit: Option<Uuid>,
        heads_unit: bool,
    ) -> Result<Reach, DbError> {
        let mut whom = Condition::any().add(dispatches::Column::UserId.eq(person));
        if let Some(unit) = unit {
            whom = whom.add(dispatches::Column::UnitId.eq(unit));
        }
        let rows: Vec<(Option<Uuid>, Option<Uuid>)> = dispatches::Entity::find()
            .select_only()
            .column(dispatches::Column::UserId)
            .column(dispatches::Column::UnitId)
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatches::Column::ItemId.eq(item))
            .filter(whom)
            .into_tuple()
            .all(self.tx)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(user, _)| match user {
                Some(_) => Reach::Named,
                None if heads_unit => Reach::UnitHead,
                None => Reach::UnitMember,
            })
            .max()
            .unwrap_or(Reach::None))
    }

    /// The dispatches matching any of `clauses`, latest first, at most `limit`.
    pub async fn inbox(
        &self,
        clauses: &[InboxClause],
        limit: u64,
    ) -> Result<Vec<DispatchRecord>, DbError> {
        dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(any_of(clauses))
            .order_by_desc(dispatches::Column::DispatchedAt)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// How many dispatches match any of `clauses`.
    pub async fn count(&self, clauses: &[InboxClause]) -> Result<u64, DbError> {
        Ok(dispatches::Entity::find()
            .filter(dispatches::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(any_of(clauses))
            .count(self.tx)
            .await?)
    }

    /// Starts following an item (again: no error).
    pub async fn follow(
        &self,
        item: Uuid,
        person: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        item_followers::Entity::insert(item_followers::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            user_id: Set(person),
            item_id: Set(item),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                item_followers::Column::TenantId,
                item_followers::Column::UserId,
                item_followers::Column::ItemId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn unfollow(&self, item: Uuid, person: Uuid) -> Result<(), DbError> {
        item_followers::Entity::delete_many()
            .filter(item_followers::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_followers::Column::UserId.eq(person))
            .filter(item_followers::Column::ItemId.eq(item))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// The items a person follows, latest followed first.
    pub async fn followed(&self, person: Uuid, limit: u64) -> Result<Vec<Uuid>, DbError> {
        Ok(item_followers::Entity::find()
            .select_only()
            .column(item_followers::Column::ItemId)
            .filter(item_followers::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_followers::Column::UserId.eq(person))
            .order_by_desc(item_followers::Column::CreatedAt)
            .limit(limit)
            .into_tuple()
            .all(self.tx)
            .await?)
    }

    pub async fn count_followed(&self, person: Uuid) -> Result<u64, DbError> {
        Ok(item_followers::Entity::find()
            .filter(item_followers::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_followers::Column::UserId.eq(person))
            .count(self.tx)
            .await?)
    }

    pub async fn is_following(&self, item: Uuid, person: Uuid) -> Result<bool, DbError> {
        Ok(item_followers::Entity::find()
            .filter(item_followers::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_followers::Column::UserId.eq(person))
            .filter(item_followers::Column::ItemId.eq(item))
            .one(self.tx)
            .await?
            .is_some())
    }

    /// Every nature's usual recipients.
    pub async fn templates(&self) -> Result<Vec<TemplateLine>, DbError> {
        dispatch_templates::Entity::find()
            .filter(dispatch_templates::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(dispatch_templates::Column::Nature)
            .order_by_asc(dispatch_templates::Column::Purpose)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| {
                Ok(TemplateLine {
                    purpose: Purpose::parse(&row.purpose)
                        .map_err(|e| DbError::corrupt("dispatch_templates", e))?,
                    nature: row.nature,
                    unit_id: row.unit_id,
                    instructions: row.instructions,
                })
            })
            .collect()
    }

    /// Replaces a nature's usual recipients with `lines`.
    pub async fn set_template(&self, nature: &str, lines: &[TemplateLine]) -> Result<(), DbError> {
        dispatch_templates::Entity::delete_many()
            .filter(dispatch_templates::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(dispatch_templates::Column::Nature.eq(nature))
            .exec(self.tx)
            .await?;
        if lines.is_empty() {
            return Ok(());
        }
        dispatch_templates::Entity::insert_many(lines.iter().map(|line| {
            dispatch_templates::ActiveModel {
                tenant_id: Set(self.tenant.as_uuid()),
                nature: Set(nature.to_owned()),
                unit_id: Set(line.unit_id),
                purpose: Set(line.purpose.code().to_owned()),
                instructions: Set(line.instructions.clone()),
            }
        }))
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }
}

fn any_of(clauses: &[InboxClause]) -> Condition {
    clauses
        .iter()
        .fold(Condition::any().add(Expr::cust("1 = 0")), |any, clause| {
            any.add(clause.condition())
        })
}

fn to_record(row: dispatches::Model) -> Result<DispatchRecord, DbError> {
    let corrupt = |detail: String| DbError::corrupt("dispatches", detail);
    let target = match (row.unit_id, row.user_id) {
        (Some(unit), None) => Target::Unit(unit),
        (None, Some(user)) => Target::Person(user),
        _ => return Err(corrupt(format!("dispatch {} has no single target", row.id))),
    };
    Ok(DispatchRecord {
        id: row.id,
        item_id: row.item_id,
        parent_id: row.parent_id,
        purpose: Purpose::parse(&row.purpose).map_err(|e| corrupt(e.to_string()))?,
        target,
        instructions: row.instructions,
        due_on: row.due_on,
        status: DispatchStatus::parse(&row.status)
            .ok_or_else(|| corrupt(format!("status {}", row.status)))?,
        outcome: row
            .outcome
            .as_deref()
            .map(Outcome::parse)
            .transpose()
            .map_err(|e| corrupt(e.to_string()))?,
        reason: row.reason,
        dispatched_by: row.dispatched_by,
        dispatched_at: row.dispatched_at,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
    })
}
