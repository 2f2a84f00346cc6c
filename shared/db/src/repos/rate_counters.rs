//! Counters behind the public pages' rate limits: one row per (what is counted, whose
//! hashed key, fixed window), incremented atomically so every replica counts into
//! the same row.

use chrono::{DateTime, Utc};
use ordo_domain::portal::RateLimit;
use sea_orm::{
    ActiveValue::Set,
    DatabaseTransaction, EntityTrait, QueryFilter,
    prelude::*,
    sea_query::{ExprTrait, OnConflict},
};
use sha2::{Digest, Sha256};

use crate::{DbError, entities::rate_counters};

/// Built only by `PlatformTx::rate_counters`.
#[derive(Debug)]
pub struct RateCounterRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> RateCounterRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    /// Counts one more hit of `key` under `limit`; true while within the limit.
    pub async fn hit(
        &self,
        limit: &RateLimit,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let key_hash = hex::encode(Sha256::digest(key.trim().to_lowercase().as_bytes()));
        let window_start = limit.window_start(now);
        rate_counters::Entity::insert(rate_counters::ActiveModel {
            bucket: Set(limit.bucket.to_owned()),
            key_hash: Set(key_hash.clone()),
            window_start: Set(window_start),
            hits: Set(1),
        })
        .on_conflict(
            OnConflict::columns([
                rate_counters::Column::Bucket,
                rate_counters::Column::KeyHash,
                rate_counters::Column::WindowStart,
            ])
            .value(
                rate_counters::Column::Hits,
                Expr::col((rate_counters::Entity, rate_counters::Column::Hits)).add(1),
            )
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        let hits = rate_counters::Entity::find()
            .filter(rate_counters::Column::Bucket.eq(limit.bucket))
            .filter(rate_counters::Column::KeyHash.eq(key_hash))
            .filter(rate_counters::Column::WindowStart.eq(window_start))
            .one(self.tx)
            .await?
            .map_or(0, |row| row.hits);
        Ok(u32::try_from(hits).unwrap_or(u32::MAX) <= limit.max)
    }

    /// Forgets windows that ended before `before`.
    pub async fn prune(&self, before: DateTime<Utc>) -> Result<u64, DbError> {
        let result = rate_counters::Entity::delete_many()
            .filter(rate_counters::Column::WindowStart.lt(before))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected)
    }
}
