use chrono::NaiveDate;
use ordo_domain::{TenantId, deadlines::ReminderKind};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, sea_query::OnConflict};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{digests_sent, dispatch_reminders},
};

/// What reminders and digests were sent. Recording and sending happen in one
/// transaction: whoever records first sends, any other replica finds it recorded.
/// Built only by `TenantTx::reminders`.
#[derive(Debug)]
pub struct ReminderRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> ReminderRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Records that this reminder about a dispatch goes out; false if it already did.
    pub async fn record(
        &self,
        dispatch: Uuid,
        kind: ReminderKind,
        today: NaiveDate,
    ) -> Result<bool, DbError> {
        let inserted = dispatch_reminders::Entity::insert(dispatch_reminders::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            dispatch_id: Set(dispatch),
            kind: Set(kind.code().to_owned()),
            sent_on: Set(today),
        })
        .on_conflict(
            OnConflict::columns([
                dispatch_reminders::Column::TenantId,
                dispatch_reminders::Column::DispatchId,
                dispatch_reminders::Column::Kind,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(inserted == 1)
    }

    /// Records that a person's digest of `day` goes out; false if it already did.
    pub async fn record_digest(&self, person: Uuid, day: NaiveDate) -> Result<bool, DbError> {
        let inserted = digests_sent::Entity::insert(digests_sent::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            user_id: Set(person),
            day: Set(day),
        })
        .on_conflict(
            OnConflict::columns([
                digests_sent::Column::TenantId,
                digests_sent::Column::UserId,
                digests_sent::Column::Day,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(inserted == 1)
    }
}
