use chrono::{DateTime, Utc};
use ordo_domain::{LocalizedName, MailDirection, NumberFormat, TenantId};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, QueryOrder,
    prelude::*, sea_query::OnConflict,
};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{register_counters, registers},
    settings_cache::SettingsWrites,
};

/// How far a register's numbering went in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearNumbering {
    pub register_id: Uuid,
    pub year: i32,
    pub last_sequence: u64,
}

/// A numbering sequence of a bureau d'ordre, e.g. the incoming mail register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRecord {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub code: String,
    pub direction: MailDirection,
    pub name: LocalizedName,
    pub number_format: NumberFormat,
}

#[derive(Debug, Clone)]
pub struct NewRegister {
    pub unit_id: Uuid,
    pub code: String,
    pub direction: MailDirection,
    pub name: LocalizedName,
    pub number_format: NumberFormat,
}

/// An administration's registers. Built only by `TenantTx::registers`.
#[derive(Debug)]
pub struct RegisterRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    settings_writes: &'t SettingsWrites,
}

impl<'t> RegisterRepo<'t> {
    pub(crate) fn new(
        tx: &'t DatabaseTransaction,
        tenant: TenantId,
        settings_writes: &'t SettingsWrites,
    ) -> Self {
        Self {
            tx,
            tenant,
            settings_writes,
        }
    }

    pub async fn insert(
        &self,
        new: NewRegister,
        now: DateTime<Utc>,
    ) -> Result<RegisterRecord, DbError> {
        self.settings_writes.note();
        let row = registers::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            unit_id: Set(new.unit_id),
            code: Set(new.code),
            direction: Set(new.direction.code().to_owned()),
            name_fr: Set(new.name.fr),
            name_ar: Set(new.name.ar),
            name_en: Set(new.name.en),
            number_format: Set(new.number_format.as_str().to_owned()),
            created_at: Set(now),
        };
        to_record(
            registers::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    pub async fn list(&self) -> Result<Vec<RegisterRecord>, DbError> {
        registers::Entity::find()
            .filter(registers::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(registers::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<RegisterRecord>, DbError> {
        registers::Entity::find_by_id(id)
            .filter(registers::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// Renames a register and sets its number format for the numbers still to give;
    /// numbers already given keep their text.
    pub async fn update(
        &self,
        id: Uuid,
        name: LocalizedName,
        number_format: &NumberFormat,
    ) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = registers::Entity::update_many()
            .col_expr(registers::Column::NameFr, Expr::value(name.fr))
            .col_expr(registers::Column::NameAr, Expr::value(name.ar))
            .col_expr(registers::Column::NameEn, Expr::value(name.en))
            .col_expr(
                registers::Column::NumberFormat,
                Expr::value(number_format.as_str()),
            )
            .filter(registers::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(registers::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Every year in which the tenant's registers gave numbers, latest first, with
    /// the last number given. Read from the counters, a row per register and year:
    /// the items themselves would be a scan of every number ever given.
    pub async fn numbering(&self) -> Result<Vec<YearNumbering>, DbError> {
        register_counters::Entity::find()
            .filter(register_counters::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_desc(register_counters::Column::Year)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|counter| {
                Ok(YearNumbering {
                    register_id: counter.register_id,
                    year: counter.year,
                    last_sequence: u64::try_from(counter.last_sequence)
                        .map_err(|e| DbError::corrupt("register_counters", e))?,
                })
            })
            .collect()
    }

    /// Hands out the next sequence of `register` for `year`: 1, 2, 3… with no gap.
    ///
    /// One statement: the year's first registration inserts the counter at 1, every
    /// later one increments it, and the new value comes back. Call it first in a
    /// registration's transaction: as a write, it takes SQLite's write lock before
    /// anything is read, and on PostgreSQL it keeps the counter row locked until the
    /// transaction ends, so concurrent registrations on one register queue up, and a
    /// registration that rolls back gives its number back.
    pub async fn next_sequence(&self, register: Uuid, year: i32) -> Result<u64, DbError> {
        let first_of_year = register_counters::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            register_id: Set(register),
            year: Set(year),
            last_sequence: Set(1),
        };
        let counter = register_counters::Entity::insert(first_of_year)
            .on_conflict(
                OnConflict::columns([
                    register_counters::Column::RegisterId,
                    register_counters::Column::Year,
                ])
                .value(
                    register_counters::Column::LastSequence,
                    Expr::col((
                        register_counters::Entity,
                        register_counters::Column::LastSequence,
                    ))
                    .add(1),
                )
                .to_owned(),
            )
            .exec_with_returning(self.tx)
            .await?;
        u64::try_from(counter.last_sequence).map_err(|e| DbError::corrupt("register_counters", e))
    }
}

fn to_record(row: registers::Model) -> Result<RegisterRecord, DbError> {
    let corrupt = |e| DbError::corrupt("registers", e);
    Ok(RegisterRecord {
        id: row.id,
        unit_id: row.unit_id,
        code: row.code,
        direction: MailDirection::parse(&row.direction).map_err(corrupt)?,
        name: LocalizedName {
            fr: row.name_fr,
            ar: row.name_ar,
            en: row.name_en,
        },
        number_format: NumberFormat::parse(&row.number_format).map_err(corrupt)?,
    })
}
