use chrono::NaiveDate;
use ordo_domain::{TenantId, calendar::WorkingCalendar};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};

use crate::{
    DbError,
    entities::{tenant_holidays, tenants},
    settings_cache::SettingsWrites,
};

/// A public holiday of an administration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub day: NaiveDate,
    pub name: String,
}

/// An administration's working calendar. Built only by `TenantTx::calendar`.
#[derive(Debug)]
pub struct CalendarRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    settings_writes: &'t SettingsWrites,
}

impl<'t> CalendarRepo<'t> {
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

    pub async fn holidays(&self) -> Result<Vec<Holiday>, DbError> {
        Ok(tenant_holidays::Entity::find()
            .filter(tenant_holidays::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(tenant_holidays::Column::Day)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| Holiday {
                day: row.day,
                name: row.name,
            })
            .collect())
    }

    /// The calendar processing times are counted on, from the administration's
    /// weekend (`weekend`, from its record) and its holidays.
    pub async fn load(&self, weekend: &str) -> Result<WorkingCalendar, DbError> {
        let holidays = self.holidays().await?.into_iter().map(|h| h.day);
        WorkingCalendar::new(weekend, holidays).map_err(|e| DbError::corrupt("tenants", e))
    }

    pub async fn set_weekend(&self, weekend: &str) -> Result<(), DbError> {
        self.settings_writes.note();
        tenants::Entity::update_many()
            .col_expr(tenants::Column::Weekend, Expr::value(weekend))
            .filter(tenants::Column::Id.eq(self.tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Sets when reminders and escalations go.
    pub async fn set_reminder_policy(
        &self,
        policy: ordo_domain::deadlines::ReminderPolicy,
    ) -> Result<(), DbError> {
        self.settings_writes.note();
        tenants::Entity::update_many()
            .col_expr(
                tenants::Column::RemindBeforeDays,
                Expr::value(i32::from(policy.before_days)),
            )
            .col_expr(
                tenants::Column::EscalateAfterDays,
                Expr::value(i32::from(policy.escalate_after_days)),
            )
            .filter(tenants::Column::Id.eq(self.tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Adds a holiday, or renames the one on that day.
    pub async fn add_holiday(&self, holiday: Holiday) -> Result<(), DbError> {
        self.settings_writes.note();
        self.remove_holiday(holiday.day).await?;
        tenant_holidays::Entity::insert(tenant_holidays::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            day: Set(holiday.day),
            name: Set(holiday.name),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn remove_holiday(&self, day: NaiveDate) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = tenant_holidays::Entity::delete_many()
            .filter(tenant_holidays::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(tenant_holidays::Column::Day.eq(day))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }
}
