use chrono::{DateTime, Utc};
use ordo_domain::{TenantId, dispatch::NoteVisibility};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::item_notes};

/// A note written on an item: an annotation, an internal remark, an opinion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub id: Uuid,
    pub item_id: Uuid,
    pub author_id: Uuid,
    /// The author's unit when writing.
    pub unit_id: Option<Uuid>,
    pub visibility: NoteVisibility,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A note to write.
#[derive(Debug, Clone)]
pub struct NewNote {
    pub item_id: Uuid,
    pub author_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub visibility: NoteVisibility,
    pub body: String,
}

/// Notes on an administration's items: written once, never changed. Built only by
/// `TenantTx::notes`.
#[derive(Debug)]
pub struct NoteRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> NoteRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn add(&self, note: NewNote, now: DateTime<Utc>) -> Result<Uuid, DbError> {
        let id = Uuid::now_v7();
        item_notes::Entity::insert(item_notes::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(id),
            item_id: Set(note.item_id),
            author_id: Set(note.author_id),
            unit_id: Set(note.unit_id),
            visibility: Set(note.visibility.code().to_owned()),
            body: Set(note.body),
            created_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(id)
    }

    /// Every note on an item, oldest first; the caller keeps those the reader may see.
    pub async fn for_item(&self, item: Uuid) -> Result<Vec<NoteRecord>, DbError> {
        item_notes::Entity::find()
            .filter(item_notes::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_notes::Column::ItemId.eq(item))
            .order_by_asc(item_notes::Column::CreatedAt)
            .order_by_asc(item_notes::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| {
                Ok(NoteRecord {
                    visibility: NoteVisibility::parse(&row.visibility)
                        .map_err(|e| DbError::corrupt("item_notes", e))?,
                    id: row.id,
                    item_id: row.item_id,
                    author_id: row.author_id,
                    unit_id: row.unit_id,
                    body: row.body,
                    created_at: row.created_at,
                })
            })
            .collect()
    }
}
