use chrono::{DateTime, Utc};
use ordo_domain::{
    AdministrationLevel, Languages, LocalizedName, TenantCode, TenantId, TenantStatus, TimeZone,
    deadlines::ReminderPolicy,
};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};

use crate::{DbError, entities::tenants, settings_cache::SettingsWrites};

/// What an administration may store per document until its settings say otherwise.
pub const DEFAULT_MAX_DOCUMENT_BYTES: i64 = 50 * 1024 * 1024;

/// An administration as the platform knows it: metadata only, never its mail.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantRecord {
    pub id: TenantId,
    pub code: TenantCode,
    pub name: LocalizedName,
    pub time_zone: TimeZone,
    pub status: TenantStatus,
    /// The largest document this administration may store, in bytes.
    pub max_document_bytes: u64,
    /// Its weekend, as a code of `ordo_domain::calendar::WEEKENDS`.
    pub weekend: String,
    /// When people are reminded and their heads told of a delay.
    pub reminders: ReminderPolicy,
    pub created_at: DateTime<Utc>,
    pub level: AdministrationLevel,
    /// The body it belongs to, when it is a decentralised office.
    pub parent_code: Option<TenantCode>,
    pub languages: Languages,
    pub quotas: crate::Quotas,
}

#[derive(Debug, Clone)]
pub struct NewTenant {
    /// Chosen before the creation starts, so a retried creation finds what the
    /// first attempt made under this id (its document bucket).
    pub id: TenantId,
    pub code: TenantCode,
    pub name: LocalizedName,
    pub time_zone: TimeZone,
    pub level: AdministrationLevel,
    pub parent_code: Option<TenantCode>,
    pub languages: Languages,
    /// A code of `ordo_domain::calendar::WEEKENDS`.
    pub weekend: String,
}

#[derive(Debug)]
pub struct TenantRepo<'t> {
    tx: &'t DatabaseTransaction,
    settings_writes: &'t SettingsWrites,
}

impl<'t> TenantRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, settings_writes: &'t SettingsWrites) -> Self {
        Self {
            tx,
            settings_writes,
        }
    }

    pub async fn insert(
        &self,
        new: NewTenant,
        now: DateTime<Utc>,
    ) -> Result<TenantRecord, DbError> {
        self.settings_writes.note();
        let row = tenants::ActiveModel {
            id: Set(new.id.as_uuid()),
            code: Set(new.code.to_string()),
            name_fr: Set(new.name.fr),
            name_ar: Set(new.name.ar),
            name_en: Set(new.name.en),
            time_zone: Set(new.time_zone.name().to_owned()),
            status: Set(TenantStatus::Active.as_str().to_owned()),
            max_document_bytes: Set(DEFAULT_MAX_DOCUMENT_BYTES),
            weekend: Set(new.weekend),
            remind_before_days: Set(i32::from(ReminderPolicy::default().before_days)),
            escalate_after_days: Set(i32::from(ReminderPolicy::default().escalate_after_days)),
            created_at: Set(now),
            level: Set(new.level.as_str().to_owned()),
            parent_code: Set(new.parent_code.map(String::from)),
            languages: Set(new.languages.tags()),
            quota_storage_bytes: Set(None),
            quota_users: Set(None),
        };
        let model = tenants::Entity::insert(row)
            .exec_with_returning(self.tx)
            .await?;
        to_record(model)
    }

    pub async fn find_by_code(&self, code: &TenantCode) -> Result<Option<TenantRecord>, DbError> {
        tenants::Entity::find()
            .filter(tenants::Column::Code.eq(code.as_str()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    pub async fn find_by_id(&self, id: TenantId) -> Result<Option<TenantRecord>, DbError> {
        find_by_id(self.tx, id).await
    }

    /// Sets the largest document an administration may store.
    pub async fn set_document_limit(&self, id: TenantId, bytes: u64) -> Result<(), DbError> {
        self.settings_writes.note();
        let bytes = i64::try_from(bytes).map_err(|e| DbError::corrupt("tenants", e))?;
        tenants::Entity::update_many()
            .col_expr(tenants::Column::MaxDocumentBytes, Expr::value(bytes))
            .filter(tenants::Column::Id.eq(id.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Moves an administration from `from` to `to`; false when it was not `from`
    /// (suspending a suspended administration changes nothing).
    pub async fn set_status(
        &self,
        id: TenantId,
        from: TenantStatus,
        to: TenantStatus,
    ) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = tenants::Entity::update_many()
            .col_expr(tenants::Column::Status, Expr::value(to.as_str()))
            .filter(tenants::Column::Id.eq(id.as_uuid()))
            .filter(tenants::Column::Status.eq(from.as_str()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Sets the administration's quotas (`None`: no limit).
    pub async fn set_quotas(&self, id: TenantId, quotas: crate::Quotas) -> Result<bool, DbError> {
        self.settings_writes.note();
        let to_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        let to_i32 = |v: u32| i32::try_from(v).unwrap_or(i32::MAX);
        let result = tenants::Entity::update_many()
            .col_expr(
                tenants::Column::QuotaStorageBytes,
                quotas.storage_bytes.map(to_i64).into(),
            )
            .col_expr(tenants::Column::QuotaUsers, quotas.users.map(to_i32).into())
            .filter(tenants::Column::Id.eq(id.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn list(&self) -> Result<Vec<TenantRecord>, DbError> {
        tenants::Entity::find()
            .order_by_asc(tenants::Column::Code)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }
}

pub(crate) fn to_record(row: tenants::Model) -> Result<TenantRecord, DbError> {
    let corrupt = |e| DbError::corrupt("tenants", e);
    let corrupt_number = |e: std::num::TryFromIntError| DbError::corrupt("tenants", e);
    Ok(TenantRecord {
        id: TenantId::new(row.id),
        code: TenantCode::parse(&row.code).map_err(corrupt)?,
        name: LocalizedName {
            fr: row.name_fr,
            ar: row.name_ar,
            en: row.name_en,
        },
        time_zone: TimeZone::parse(&row.time_zone).map_err(corrupt)?,
        status: TenantStatus::parse(&row.status).map_err(corrupt)?,
        max_document_bytes: u64::try_from(row.max_document_bytes)
            .map_err(|e| DbError::corrupt("tenants", e))?,
        weekend: row.weekend,
        reminders: ReminderPolicy {
            before_days: u16::try_from(row.remind_before_days).map_err(corrupt_number)?,
            escalate_after_days: u16::try_from(row.escalate_after_days).map_err(corrupt_number)?,
        },
        created_at: row.created_at,
        level: AdministrationLevel::parse(&row.level).map_err(corrupt)?,
        parent_code: row
            .parent_code
            .as_deref()
            .map(TenantCode::parse)
            .transpose()
            .map_err(corrupt)?,
        languages: Languages::parse(&row.languages).map_err(corrupt)?,
        quotas: crate::Quotas {
            storage_bytes: row
                .quota_storage_bytes
                .map(u64::try_from)
                .transpose()
                .map_err(corrupt_number)?,
            users: row
                .quota_users
                .map(u32::try_from)
                .transpose()
                .map_err(corrupt_number)?,
        },
    })
}

/// One administration, in a transaction or outside one (a platform row: no tenant
/// setting is needed to read it).
pub(crate) async fn find_by_id(
    conn: &impl ConnectionTrait,
    id: TenantId,
) -> Result<Option<TenantRecord>, DbError> {
    tenants::Entity::find_by_id(id.as_uuid())
        .one(conn)
        .await?
        .map(to_record)
        .transpose()
}
