use chrono::{DateTime, Utc};
use ordo_domain::TenantId;
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::documents, repos::usage, settings_cache::SettingsWrites};

/// A document's place in its item: the letter itself, or an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentRole {
    Main,
    Attachment,
}

impl DocumentRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Main => "main",
            Self::Attachment => "attachment",
        }
    }

    fn parse(raw: &str) -> Result<Self, DbError> {
        match raw {
            "main" => Ok(Self::Main),
            "attachment" => Ok(Self::Attachment),
            other => Err(DbError::corrupt("documents", format!("role {other}"))),
        }
    }
}

/// A document stored for an item: its bytes are in the tenant's store under `object_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord {
    pub id: Uuid,
    pub item_id: Uuid,
    pub role: DocumentRole,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub object_key: String,
}

/// What is known of a document once its bytes are stored.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub role: DocumentRole,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub object_key: String,
}

/// Puts an item's main document before its attachments, keeping their order
/// otherwise: the order pages and the API show them in.
pub fn main_first(documents: &mut [DocumentRecord]) {
    documents.sort_by_key(|d| d.role != DocumentRole::Main);
}

/// An administration's documents. Built only by `TenantTx::documents`.
#[derive(Debug)]
pub struct DocumentRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    /// Where the quotas are kept, so a document is checked without a round trip.
    settings: &'t SettingsWrites,
}

impl<'t> DocumentRepo<'t> {
    pub(crate) fn new(
        tx: &'t DatabaseTransaction,
        tenant: TenantId,
        settings: &'t SettingsWrites,
    ) -> Self {
        Self {
            tx,
            tenant,
            settings,
        }
    }

    pub async fn insert(
        &self,
        item: Uuid,
        new: NewDocument,
        uploaded_by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<DocumentRecord, DbError> {
        let quotas = match self.settings.kept_registration(self.tenant) {
            Some(kept) => kept.quotas,
            None => usage::quotas_of(self.tx, self.tenant).await?,
        };
        usage::check_storage(self.tx, self.tenant, quotas, new.size).await?;
        let row = documents::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            item_id: Set(item),
            role: Set(new.role.code().to_owned()),
            file_name: Set(new.file_name),
            media_type: Set(new.media_type),
            size: Set(i64::try_from(new.size).map_err(|e| DbError::corrupt("documents", e))?),
            sha256: Set(new.sha256),
            object_key: Set(new.object_key),
            uploaded_by: Set(uploaded_by),
            uploaded_at: Set(now),
        };
        to_record(
            documents::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// An item's documents, the main one first.
    pub async fn for_item(&self, item: Uuid) -> Result<Vec<DocumentRecord>, DbError> {
        let mut found: Vec<DocumentRecord> = documents::Entity::find()
            .filter(documents::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(documents::Column::ItemId.eq(item))
            .order_by_asc(documents::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect::<Result<_, _>>()?;
        main_first(&mut found);
        Ok(found)
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<DocumentRecord>, DbError> {
        documents::Entity::find_by_id(id)
            .filter(documents::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }
}

fn to_record(row: documents::Model) -> Result<DocumentRecord, DbError> {
    Ok(DocumentRecord {
        id: row.id,
        item_id: row.item_id,
        role: DocumentRole::parse(&row.role)?,
        file_name: row.file_name,
        media_type: row.media_type,
        size: u64::try_from(row.size).map_err(|e| DbError::corrupt("documents", e))?,
        sha256: row.sha256,
        object_key: row.object_key,
    })
}
