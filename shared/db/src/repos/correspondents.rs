use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    correspondent::{CorrespondentKind, NewCorrespondent, match_key, probably_same},
};
use sea_orm::{
    ActiveValue::Set, Condition, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::correspondents, settings_cache::SettingsWrites};

/// An entry of the correspondents directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrespondentRecord {
    pub id: Uuid,
    pub kind: Option<CorrespondentKind>,
    pub name: String,
    pub email: Option<String>,
    pub address: Option<String>,
    /// Another entry that looked like this one when it was added.
    pub possible_duplicate_of: Option<Uuid>,
}

/// An administration's correspondents directory. Built only by
/// `TenantTx::correspondents`.
#[derive(Debug)]
pub struct CorrespondentRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    /// Entries found by name are kept by the replica (see `crate::settings_cache`).
    settings_writes: &'t SettingsWrites,
}

/// How many entries a search returns: enough to pick from while typing.
pub const SEARCH_LIMIT: u64 = 20;

impl<'t> CorrespondentRepo<'t> {
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

    /// Adds an entry, flagged as a possible duplicate when an existing one's name is
    /// nearly the same.
    pub async fn insert(
        &self,
        new: NewCorrespondent,
        now: DateTime<Utc>,
    ) -> Result<CorrespondentRecord, DbError> {
        let key = match_key(&new.name);
        let lookalike = self.lookalike(&key).await?;
        self.settings_writes.note_directory_entry_added();
        let row = correspondents::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            kind: Set(new.kind.map(|k| k.code().to_owned())),
            name: Set(new.name),
            match_key: Set(key),
            email: Set(new.email),
            address: Set(new.address),
            possible_duplicate_of: Set(lookalike),
            created_at: Set(now),
        };
        to_record(
            correspondents::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// The entry a name typed at registration stands for: the one with the same match
    /// key (the oldest, should there be several), or a new entry (kind unknown) when
    /// there is none. An entry found is kept by the replica, which looks it up again
    /// only once an entry was changed anywhere (see `crate::settings_cache`).
    pub async fn resolve_name(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Result<CorrespondentRecord, DbError> {
        let key = match_key(name);
        if let Some(kept) = self.settings_writes.kept_correspondent(self.tenant, &key) {
            return Ok(kept);
        }
        let cache = self.settings_writes.cache();
        let ticket = cache.and_then(|cache| cache.ticket());
        let existing = correspondents::Entity::find()
            .filter(correspondents::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(correspondents::Column::MatchKey.eq(&key))
            .order_by_asc(correspondents::Column::Id)
            .one(self.tx)
            .await?;
        match existing {
            Some(row) => {
                let found = to_record(row)?;
                if let (Some(cache), Some(ticket)) = (cache, ticket)
                    && self.settings_writes.may_keep_directory_entries()
                {
                    cache.keep_correspondent_named(ticket, self.tenant, &key, found.clone());
                }
                Ok(found)
            }
            None => {
                self.insert(
                    NewCorrespondent {
                        name: name.trim().to_owned(),
                        kind: None,
                        email: None,
                        address: None,
                    },
                    now,
                )
                .await
            }
        }
    }

    /// An existing entry whose name is nearly `key`. Compares against entries that
    /// share a word with it, so the directory is never read whole.
    async fn lookalike(&self, key: &str) -> Result<Option<Uuid>, DbError> {
        let mut shares_a_word = Condition::any();
        for word in key.split(' ').filter(|w| w.len() >= 3).take(6) {
            shares_a_word = shares_a_word.add(correspondents::Column::MatchKey.contains(word));
        }
        let candidates: Vec<(Uuid, String)> = correspondents::Entity::find()
            .select_only()
            .column(correspondents::Column::Id)
            .column(correspondents::Column::MatchKey)
            .filter(correspondents::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(shares_a_word)
            .order_by_asc(correspondents::Column::Id)
            .limit(200)
            .into_tuple()
            .all(self.tx)
            .await?;
        Ok(candidates
            .into_iter()
            .find(|(_, other)| probably_same(key, other))
            .map(|(id, _)| id))
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<CorrespondentRecord>, DbError> {
        correspondents::Entity::find_by_id(id)
            .filter(correspondents::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// Entries whose name contains every word typed (accents and case ignored),
    /// alphabetical; the first ones when nothing is typed.
    pub async fn search(
        &self,
        typed: &str,
        limit: u64,
    ) -> Result<Vec<CorrespondentRecord>, DbError> {
        let mut query = correspondents::Entity::find()
            .filter(correspondents::Column::TenantId.eq(self.tenant.as_uuid()));
        for word in match_key(typed)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(6)
        {
            query = query.filter(correspondents::Column::MatchKey.contains(word));
        }
        query
            .order_by_asc(correspondents::Column::Name)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// Classifies an entry and completes its details.
    pub async fn update(&self, id: Uuid, details: NewCorrespondent) -> Result<bool, DbError> {
        self.settings_writes.note();
        let result = correspondents::Entity::update_many()
            .col_expr(
                correspondents::Column::Kind,
                Expr::value(details.kind.map(|k| k.code())),
            )
            .col_expr(
                correspondents::Column::Name,
                Expr::value(details.name.clone()),
            )
            .col_expr(
                correspondents::Column::MatchKey,
                Expr::value(match_key(&details.name)),
            )
            .col_expr(correspondents::Column::Email, Expr::value(details.email))
            .col_expr(
                correspondents::Column::Address,
                Expr::value(details.address),
            )
            .filter(correspondents::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(correspondents::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

fn to_record(row: correspondents::Model) -> Result<CorrespondentRecord, DbError> {
    Ok(CorrespondentRecord {
        id: row.id,
        kind: CorrespondentKind::parse(row.kind.as_deref().unwrap_or_default())
            .map_err(|e| DbError::corrupt("correspondents", e))?,
        name: row.name,
        email: row.email,
        address: row.address,
        possible_duplicate_of: row.possible_duplicate_of,
    })
}
