use chrono::{DateTime, NaiveDate, Utc};
use ordo_domain::{Channel, Confidentiality, ItemStatus, Nature, Priority, Registration, TenantId};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::mail_items};

/// A mail item as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRecord {
    pub id: Uuid,
    pub register_id: Uuid,
    pub status: ItemStatus,
    pub year: Option<i32>,
    pub sequence: Option<u64>,
    pub number: Option<String>,
    pub subject: String,
    pub nature: Nature,
    pub channel: Channel,
    pub priority: Priority,
    pub confidentiality: Confidentiality,
    pub sender: String,
    pub recipient: String,
    pub letter_date: Option<NaiveDate>,
    pub received_at: DateTime<Utc>,
    pub registered_at: Option<DateTime<Utc>>,
    pub registered_by: Option<Uuid>,
    pub keywords: String,
    pub paper_location: String,
}

/// The number a registration was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenNumber {
    pub year: i32,
    pub sequence: u64,
    pub number: String,
}

/// An administration's mail items. Built only by `TenantTx::items`.
#[derive(Debug)]
pub struct ItemRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> ItemRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Stores a registered item under the number it was given.
    pub async fn insert_registered(
        &self,
        register: Uuid,
        registration: Registration,
        number: GivenNumber,
        registered_by: Uuid,
        submission_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<ItemRecord, DbError> {
        let row = mail_items::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            register_id: Set(register),
            status: Set(ItemStatus::Registered.code().to_owned()),
            year: Set(Some(number.year)),
            sequence: Set(Some(
                i64::try_from(number.sequence).map_err(|e| DbError::corrupt("mail_items", e))?,
            )),
            number: Set(Some(number.number)),
            subject: Set(registration.subject),
            nature: Set(registration.nature.code().to_owned()),
            channel: Set(registration.channel.code().to_owned()),
            priority: Set(registration.priority.code().to_owned()),
            confidentiality: Set(registration.confidentiality.code().to_owned()),
            sender: Set(registration.sender),
            recipient: Set(registration.recipient),
            letter_date: Set(registration.letter_date),
            received_at: Set(now),
            registered_at: Set(Some(now)),
            registered_by: Set(Some(registered_by)),
            keywords: Set(registration.keywords),
            paper_location: Set(registration.paper_location),
            cancel_reason: Set(None),
            submission_key: Set(submission_key.map(str::to_owned)),
            created_at: Set(now),
        };
        to_record(
            mail_items::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// The item registered under a submission key, if any.
    pub async fn find_by_submission(&self, key: &str) -> Result<Option<ItemRecord>, DbError> {
        mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::SubmissionKey.eq(key))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<ItemRecord>, DbError> {
        mail_items::Entity::find_by_id(id)
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// The items of a register for one year, latest number first; all of them when
    /// `limit` is `None`.
    pub async fn list_for_year(
        &self,
        register: Uuid,
        year: i32,
        limit: Option<u64>,
    ) -> Result<Vec<ItemRecord>, DbError> {
        mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::RegisterId.eq(register))
            .filter(mail_items::Column::Year.eq(year))
            .order_by_desc(mail_items::Column::Sequence)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// The years in which a register has items, latest first.
    pub async fn years(&self, register: Uuid) -> Result<Vec<i32>, DbError> {
        let years: Vec<Option<i32>> = mail_items::Entity::find()
            .select_only()
            .column(mail_items::Column::Year)
            .distinct()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::RegisterId.eq(register))
            .filter(mail_items::Column::Year.is_not_null())
            .order_by_desc(mail_items::Column::Year)
            .into_tuple()
            .all(self.tx)
            .await?;
        Ok(years.into_iter().flatten().collect())
    }
}

fn to_record(row: mail_items::Model) -> Result<ItemRecord, DbError> {
    let corrupt = |e| DbError::corrupt("mail_items", e);
    Ok(ItemRecord {
        id: row.id,
        register_id: row.register_id,
        status: ItemStatus::parse(&row.status).map_err(corrupt)?,
        year: row.year,
        sequence: row
            .sequence
            .map(u64::try_from)
            .transpose()
            .map_err(|e| DbError::corrupt("mail_items", e))?,
        number: row.number,
        subject: row.subject,
        nature: Nature::parse(&row.nature).map_err(corrupt)?,
        channel: Channel::parse(&row.channel).map_err(corrupt)?,
        priority: Priority::parse(&row.priority).map_err(corrupt)?,
        confidentiality: Confidentiality::parse(&row.confidentiality).map_err(corrupt)?,
        sender: row.sender,
        recipient: row.recipient,
        letter_date: row.letter_date,
        received_at: row.received_at,
        registered_at: row.registered_at,
        registered_by: row.registered_by,
        keywords: row.keywords,
        paper_location: row.paper_location,
    })
}
