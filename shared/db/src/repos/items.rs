use chrono::{DateTime, NaiveDate, Utc};
use ordo_domain::{Channel, Confidentiality, ItemStatus, Registration, TenantId};
use sea_orm::{
    ActiveValue::Set, Condition, DatabaseTransaction, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, prelude::*,
};
use uuid::Uuid;

use crate::{
    DbError, JournalEvent,
    entities::{item_links, item_recipients, item_versions, mail_items, portal_filings},
    repos::journal::JournalRepo,
};

/// A mail item as stored: a draft (no number yet) or a registration.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRecord {
    pub id: Uuid,
    pub register_id: Uuid,
    pub status: ItemStatus,
    pub year: Option<i32>,
    pub sequence: Option<u64>,
    pub number: Option<String>,
    /// The fields as they stand now, after any correction.
    pub content: Registration,
    pub sender_id: Option<Uuid>,
    /// The recipients' directory entries, in the order typed.
    pub recipient_ids: Vec<Uuid>,
    pub received_at: DateTime<Utc>,
    pub registered_at: Option<DateTime<Utc>>,
    pub registered_by: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    /// 1 as registered, then one more per correction.
    pub version: u32,
    pub created_by: Option<Uuid>,
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl ItemRecord {
    pub fn confidentiality(&self) -> Confidentiality {
        self.content.confidentiality
    }
}

/// The fields of an item with the directory entries its parties resolved to.
#[derive(Debug, Clone)]
pub struct ItemContent {
    pub registration: Registration,
    pub sender_id: Option<Uuid>,
    pub recipient_ids: Vec<Uuid>,
}

/// What the dashboard needs of a registered item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
    pub registered_at: DateTime<Utc>,
    pub channel: String,
    pub nature: String,
}

/// The number a registration was given, and when the item falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenNumber {
    pub year: i32,
    pub sequence: u64,
    pub number: String,
    pub due_on: Option<NaiveDate>,
}

/// One version of a registered item, for its history.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemVersion {
    pub version: u32,
    /// The fields of that version, as JSON.
    pub fields: serde_json::Value,
    pub reason: Option<String>,
    pub author_id: Uuid,
    pub at: DateTime<Utc>,
}

/// How one item relates to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    RepliesTo,
    FollowsUp,
    DuplicateOf,
}

impl LinkKind {
    pub const ALL: [Self; 3] = [Self::RepliesTo, Self::FollowsUp, Self::DuplicateOf];

    pub fn code(self) -> &'static str {
        match self {
            Self::RepliesTo => "replies_to",
            Self::FollowsUp => "follows_up",
            Self::DuplicateOf => "duplicate_of",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == raw.trim())
    }
}

/// A link seen from one item: outgoing (this item replies to…) or incoming
/// (…is replied to by this other item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLink {
    pub kind: LinkKind,
    pub other: Uuid,
    pub outgoing: bool,
}

/// What a year's register may be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    /// Words found in the subject, sender, recipient, number or keywords.
    pub text: Option<String>,
    pub status: Option<ItemStatus>,
    pub nature: Option<String>,
}

/// An administration's mail items. Built only by `TenantTx::items`.
#[derive(Debug)]
pub struct ItemRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
    /// The transaction's journal, for acts journaled in the statement that does them.
    journal: JournalRepo<'t>,
}

impl<'t> ItemRepo<'t> {
    pub(crate) fn new(
        tx: &'t DatabaseTransaction,
        tenant: TenantId,
        journal: JournalRepo<'t>,
    ) -> Self {
        Self {
            tx,
            tenant,
            journal,
        }
    }

    fn content_row(content: ItemContent, row: &mut mail_items::ActiveModel) {
        let r = content.registration;
        row.subject = Set(r.subject);
        row.nature = Set(r.nature);
        row.channel = Set(r.channel.code().to_owned());
        row.priority = Set(r.priority);
        row.confidentiality = Set(r.confidentiality.code().to_owned());
        row.sender = Set(r.sender);
        row.sender_id = Set(content.sender_id);
        row.recipient = Set(r.recipient);
        row.letter_date = Set(r.letter_date);
        row.keywords = Set(r.keywords);
        row.paper_location = Set(r.paper_location);
    }

    fn new_row(
        &self,
        register: Uuid,
        content: ItemContent,
        by: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> mail_items::ActiveModel {
        let received_at = content.registration.received_at.unwrap_or(now);
        let mut row = mail_items::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            register_id: Set(register),
            status: Set(ItemStatus::Draft.code().to_owned()),
            year: Set(None),
            sequence: Set(None),
            number: Set(None),
            received_at: Set(received_at),
            registered_at: Set(None),
            registered_by: Set(None),
            cancel_reason: Set(None),
            submission_key: Set(None),
            created_at: Set(now),
            due_on: Set(None),
            version: Set(1),
            created_by: Set(by),
            cancelled_at: Set(None),
            cancelled_by: Set(None),
            ..Default::default()
        };
        Self::content_row(content, &mut row);
        row
    }

    fn registration_row(
        row: &mut mail_items::ActiveModel,
        number: GivenNumber,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        row.status = Set(ItemStatus::Registered.code().to_owned());
        row.year = Set(Some(number.year));
        row.sequence = Set(Some(
            i64::try_from(number.sequence).map_err(|e| DbError::corrupt("mail_items", e))?,
        ));
        row.number = Set(Some(number.number));
        row.due_on = Set(number.due_on);
        row.registered_at = Set(Some(now));
        row.registered_by = Set(Some(by));
        Ok(())
    }

    /// Stores an item registered at once (no draft before it) under its number, with
    /// the journal entry `journaled_as` gives for its id, in as few round trips as
    /// the database allows (`JournalRepo::insert_journaled`).
    #[expect(
        clippy::too_many_arguments,
        reason = "a registration's facts, each its own column"
    )]
    pub async fn insert_registered(
        &self,
        register: Uuid,
        content: ItemContent,
        number: GivenNumber,
        registered_by: Uuid,
        submission_key: Option<&str>,
        now: DateTime<Utc>,
        journaled_as: impl FnOnce(Uuid) -> JournalEvent,
    ) -> Result<ItemRecord, DbError> {
        let recipients = content.recipient_ids.clone();
        let mut row = self.new_row(register, content, Some(registered_by), now);
        Self::registration_row(&mut row, number, registered_by, now)?;
        row.submission_key = Set(submission_key.map(str::to_owned));
        let event = journaled_as(*row.id.as_ref());
        let mut item = to_record(self.journal.insert_journaled(row, event, now).await?)?;
        self.set_recipients(item.id, 1, &recipients).await?;
        item.recipient_ids = recipients;
        Ok(item)
    }

    /// Stores a draft: an item without a number, to be completed and registered. A
    /// draft keeps its parties as typed; they are resolved in the directory when it
    /// is registered.
    pub async fn insert_draft(
        &self,
        register: Uuid,
        content: ItemContent,
        created_by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<ItemRecord, DbError> {
        let row = self.new_row(register, content, Some(created_by), now);
        to_record(
            mail_items::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// Inserts a draft that nobody in the administration wrote: mail filed on the
    /// public portal, waiting to be registered.
    pub async fn insert_filed_draft(
        &self,
        register: Uuid,
        content: ItemContent,
        now: DateTime<Utc>,
    ) -> Result<ItemRecord, DbError> {
        let row = self.new_row(register, content, None, now);
        to_record(
            mail_items::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// Records the recipients of `version` of an item, in order. Lists are never
    /// replaced: each version has its own, so the history keeps every earlier one.
    async fn set_recipients(
        &self,
        item: Uuid,
        version: u32,
        recipients: &[Uuid],
    ) -> Result<(), DbError> {
        let tenant = self.tenant.as_uuid();
        let version = i32::try_from(version).map_err(|e| DbError::corrupt("item_recipients", e))?;
        if recipients.is_empty() {
            return Ok(());
        }
        let rows = recipients
            .iter()
            .enumerate()
            .map(|(position, correspondent)| {
                Ok(item_recipients::ActiveModel {
                    tenant_id: Set(tenant),
                    item_id: Set(item),
                    version: Set(version),
                    position: Set(i32::try_from(position)
                        .map_err(|e| DbError::corrupt("item_recipients", e))?),
                    correspondent_id: Set(*correspondent),
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        item_recipients::Entity::insert_many(rows)
            .exec_without_returning(self.tx)
            .await?;
        Ok(())
    }

    /// Fills in the recipients of `items`, in one query.
    async fn with_recipients(
        &self,
        mut items: Vec<ItemRecord>,
    ) -> Result<Vec<ItemRecord>, DbError> {
        if items.is_empty() {
            return Ok(items);
        }
        let rows = item_recipients::Entity::find()
            .filter(item_recipients::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_recipients::Column::ItemId.is_in(items.iter().map(|i| i.id)))
            .order_by_asc(item_recipients::Column::ItemId)
            .order_by_asc(item_recipients::Column::Version)
            .order_by_asc(item_recipients::Column::Position)
            .all(self.tx)
            .await?;
        let versions: std::collections::HashMap<Uuid, u32> =
            items.iter().map(|i| (i.id, i.version)).collect();
        let mut by_item: std::collections::HashMap<Uuid, Vec<Uuid>> =
            std::collections::HashMap::new();
        for row in rows {
            // Only the list of the item's current version.
            if u32::try_from(row.version).ok() == versions.get(&row.item_id).copied() {
                by_item
                    .entry(row.item_id)
                    .or_default()
                    .push(row.correspondent_id);
            }
        }
        for item in &mut items {
            item.recipient_ids = by_item.remove(&item.id).unwrap_or_default();
        }
        Ok(items)
    }

    async fn one_with_recipients(
        &self,
        item: Option<ItemRecord>,
    ) -> Result<Option<ItemRecord>, DbError> {
        match item {
            Some(item) => Ok(self.with_recipients(vec![item]).await?.pop()),
            None => Ok(None),
        }
    }

    fn draft_scope(&self, id: Uuid) -> Condition {
        Condition::all()
            .add(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .add(mail_items::Column::Id.eq(id))
            .add(mail_items::Column::Status.eq(ItemStatus::Draft.code()))
    }

    fn changes(content: ItemContent, now: DateTime<Utc>) -> mail_items::ActiveModel {
        let mut row = mail_items::ActiveModel {
            received_at: Set(content.registration.received_at.unwrap_or(now)),
            ..Default::default()
        };
        Self::content_row(content, &mut row);
        row
    }

    /// Saves a draft's fields; `false` when it is no longer a draft.
    pub async fn update_draft(
        &self,
        id: Uuid,
        content: ItemContent,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = mail_items::Entity::update_many()
            .set(Self::changes(content, now))
            .filter(self.draft_scope(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Registers a draft under its number with its final fields; `None` when it is
    /// no longer a draft (registered meanwhile by someone else).
    pub async fn register_draft(
        &self,
        id: Uuid,
        content: ItemContent,
        number: GivenNumber,
        registered_by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Option<ItemRecord>, DbError> {
        let recipients = content.recipient_ids.clone();
        let mut row = Self::changes(content, now);
        Self::registration_row(&mut row, number, registered_by, now)?;
        let result = mail_items::Entity::update_many()
            .set(row)
            .filter(self.draft_scope(id))
            .exec(self.tx)
            .await?;
        if result.rows_affected != 1 {
            return Ok(None);
        }
        self.set_recipients(id, 1, &recipients).await?;
        self.find(id).await
    }

    /// Replaces a registered item's fields by their corrected version `version`.
    /// The database refuses any other change of a registered item.
    pub async fn correct(
        &self,
        id: Uuid,
        content: ItemContent,
        version: u32,
        due_on: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let recipients = content.recipient_ids.clone();
        let mut row = Self::changes(content, now);
        row.version = Set(i32::try_from(version).map_err(|e| DbError::corrupt("mail_items", e))?);
        row.due_on = Set(due_on);
        let result = mail_items::Entity::update_many()
            .set(row)
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::Id.eq(id))
            .filter(mail_items::Column::Status.eq(ItemStatus::Registered.code()))
            .filter(mail_items::Column::Version.eq(version - 1))
            .exec(self.tx)
            .await?;
        if result.rows_affected != 1 {
            return Ok(false);
        }
        self.set_recipients(id, version, &recipients).await?;
        Ok(true)
    }

    /// Cancels a registration: the number stays taken, with the reason; `false` when
    /// the item is not a live registration.
    pub async fn cancel(
        &self,
        id: Uuid,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        self.set_aside(id, ItemStatus::Registered, reason, by, now)
            .await
    }

    /// Sets a draft aside without a number (mail filed online and rejected as spam):
    /// it leaves the queue and stays, with the reason, for the record.
    pub async fn cancel_draft(
        &self,
        id: Uuid,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        self.set_aside(id, ItemStatus::Draft, reason, by, now).await
    }

    /// Marks the item cancelled with the reason, if it is still `from`.
    async fn set_aside(
        &self,
        id: Uuid,
        from: ItemStatus,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = mail_items::Entity::update_many()
            .col_expr(
                mail_items::Column::Status,
                Expr::value(ItemStatus::Cancelled.code()),
            )
            .col_expr(mail_items::Column::CancelReason, Expr::value(reason))
            .col_expr(mail_items::Column::CancelledAt, Expr::value(now))
            .col_expr(mail_items::Column::CancelledBy, Expr::value(by))
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::Id.eq(id))
            .filter(mail_items::Column::Status.eq(from.code()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Records a version of an item (its fields as JSON).
    pub async fn add_version(&self, item: Uuid, version: ItemVersion) -> Result<(), DbError> {
        item_versions::Entity::insert(item_versions::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            item_id: Set(item),
            version: Set(
                i32::try_from(version.version).map_err(|e| DbError::corrupt("item_versions", e))?
            ),
            fields: Set(version.fields.to_string()),
            reason: Set(version.reason),
            author_id: Set(version.author_id),
            at: Set(version.at),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// An item's recorded versions, oldest first.
    pub async fn versions(&self, item: Uuid) -> Result<Vec<ItemVersion>, DbError> {
        item_versions::Entity::find()
            .filter(item_versions::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(item_versions::Column::ItemId.eq(item))
            .order_by_asc(item_versions::Column::Version)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| {
                let corrupt = |e: String| DbError::corrupt("item_versions", e);
                Ok(ItemVersion {
                    version: u32::try_from(row.version).map_err(|e| corrupt(e.to_string()))?,
                    fields: serde_json::from_str(&row.fields)
                        .map_err(|e| corrupt(e.to_string()))?,
                    reason: row.reason,
                    author_id: row.author_id,
                    at: row.at,
                })
            })
            .collect()
    }

    /// Links `from` to `to`; `false` when that link already exists.
    pub async fn link(
        &self,
        from: Uuid,
        to: Uuid,
        kind: LinkKind,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let inserted = item_links::Entity::insert(item_links::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            from_item: Set(from),
            to_item: Set(to),
            kind: Set(kind.code().to_owned()),
            created_by: Set(by),
            created_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await;
        match inserted {
            Ok(_) => Ok(true),
            Err(err) => match DbError::from(err) {
                DbError::Conflict(_) => Ok(false),
                other => Err(other),
            },
        }
    }

    /// The links from and to an item.
    pub async fn links(&self, item: Uuid) -> Result<Vec<ItemLink>, DbError> {
        let rows = item_links::Entity::find()
            .filter(item_links::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(
                Condition::any()
                    .add(item_links::Column::FromItem.eq(item))
                    .add(item_links::Column::ToItem.eq(item)),
            )
            .order_by_asc(item_links::Column::CreatedAt)
            .all(self.tx)
            .await?;
        rows.into_iter()
            .map(|row| {
                let kind = LinkKind::parse(&row.kind)
                    .ok_or_else(|| DbError::corrupt("item_links", &row.kind))?;
                let outgoing = row.from_item == item;
                Ok(ItemLink {
                    kind,
                    other: if outgoing { row.to_item } else { row.from_item },
                    outgoing,
                })
            })
            .collect()
    }

    /// The item registered under a submission key, if any.
    pub async fn find_by_submission(&self, key: &str) -> Result<Option<ItemRecord>, DbError> {
        let found = mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::SubmissionKey.eq(key))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()?;
        self.one_with_recipients(found).await
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<ItemRecord>, DbError> {
        let found = mail_items::Entity::find_by_id(id)
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()?;
        self.one_with_recipients(found).await
    }

    /// The item that bears this registration number, in any register.
    pub async fn find_by_number(&self, number: &str) -> Result<Option<ItemRecord>, DbError> {
        let found = mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::Number.eq(number.trim()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()?;
        self.one_with_recipients(found).await
    }

    /// The drafts of a register, oldest first: a pile of scans is completed in the
    /// order it was scanned.
    pub async fn drafts(&self, register: Uuid) -> Result<Vec<ItemRecord>, DbError> {
        mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::RegisterId.eq(register))
            .filter(mail_items::Column::Status.eq(ItemStatus::Draft.code()))
            .filter(confirmed_if_filed(self.tenant))
            .order_by_asc(mail_items::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect::<Result<Vec<_>, _>>()
    }

    /// The items of a register for one year that pass `filter`, latest number first;
    /// all of them when `limit` is `None`.
    pub async fn list_for_year(
        &self,
        register: Uuid,
        year: i32,
        filter: &ItemFilter,
        limit: Option<u64>,
    ) -> Result<Vec<ItemRecord>, DbError> {
        let mut query = mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::RegisterId.eq(register))
            .filter(mail_items::Column::Year.eq(year));
        if let Some(status) = filter.status {
            query = query.filter(mail_items::Column::Status.eq(status.code()));
        }
        if let Some(nature) = &filter.nature {
            query = query.filter(mail_items::Column::Nature.eq(nature.as_str()));
        }
        for word in filter
            .text
            .iter()
            .flat_map(|t| t.split_whitespace())
            .take(8)
        {
            // Case-insensitive on both databases: LOWER() on the column and the word.
            let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
            let like = |column: mail_items::Column| {
                Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(column)))
                    .like(sea_orm::sea_query::LikeExpr::new(pattern.clone()).escape('\\'))
            };
            query = query.filter(
                Condition::any()
                    .add(like(mail_items::Column::Subject))
                    .add(like(mail_items::Column::Sender))
                    .add(like(mail_items::Column::Recipient))
                    .add(like(mail_items::Column::Number))
                    .add(like(mail_items::Column::Keywords)),
            );
        }
        let items = query
            .order_by_desc(mail_items::Column::Sequence)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect::<Result<Vec<_>, _>>()?;
        self.with_recipients(items).await
    }

    /// Items by id, of this administration only, in no particular order.
    pub async fn find_many(&self, ids: &[Uuid]) -> Result<Vec<ItemRecord>, DbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::Id.is_in(ids.iter().copied()))
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    /// Registered incoming and internal items that nobody is responsible for: never
    /// dispatched, or sent back to the bureau d'ordre. Oldest first, at most `limit`.
    pub async fn awaiting_dispatch(&self, limit: u64) -> Result<Vec<ItemRecord>, DbError> {
        mail_items::Entity::find()
            .filter(awaiting_dispatch(self.tenant))
            .order_by_asc(mail_items::Column::RegisteredAt)
            .limit(limit)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    pub async fn count_awaiting_dispatch(&self) -> Result<u64, DbError> {
        Ok(mail_items::Entity::find()
            .filter(awaiting_dispatch(self.tenant))
            .count(self.tx)
            .await?)
    }

    /// The items registered in `[from, to)` (cancelled ones too: they were received),
    /// with only what the dashboard counts.
    pub async fn facts_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ItemFacts>, DbError> {
        /// (id, received, registered, channel, nature)
        type Row = (Uuid, DateTime<Utc>, Option<DateTime<Utc>>, String, String);
        let rows: Vec<Row> = mail_items::Entity::find()
            .select_only()
            .column(mail_items::Column::Id)
            .column(mail_items::Column::ReceivedAt)
            .column(mail_items::Column::RegisteredAt)
            .column(mail_items::Column::Channel)
            .column(mail_items::Column::Nature)
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::RegisteredAt.gte(from))
            .filter(mail_items::Column::RegisteredAt.lt(to))
            .into_tuple()
            .all(self.tx)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, received_at, registered_at, channel, nature)| {
                Some(ItemFacts {
                    id,
                    received_at,
                    registered_at: registered_at?,
                    channel,
                    nature,
                })
            })
            .collect())
    }

    /// How many drafts wait to be registered, in all the administration's registers.
    pub async fn count_drafts(&self) -> Result<u64, DbError> {
        Ok(mail_items::Entity::find()
            .filter(mail_items::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(mail_items::Column::Status.eq(ItemStatus::Draft.code()))
            .filter(confirmed_if_filed(self.tenant))
            .count(self.tx)
            .await?)
    }
}

/// Registered items of incoming and internal registers with no dispatch holding their
/// responsibility (the codes are those of `DispatchStatus::HOLDING`).
fn awaiting_dispatch(tenant: TenantId) -> Condition {
    Condition::all()
        .add(mail_items::Column::TenantId.eq(tenant.as_uuid()))
        .add(mail_items::Column::Status.eq(ItemStatus::Registered.code()))
        .add(Expr::cust(
            "register_id IN (SELECT r.id FROM registers r
               WHERE r.tenant_id = mail_items.tenant_id AND r.direction <> 'outgoing')",
        ))
        .add(Expr::cust(
            "NOT EXISTS (SELECT 1 FROM dispatches d
               WHERE d.tenant_id = mail_items.tenant_id AND d.item_id = mail_items.id
                 AND d.purpose = 'action'
                 AND d.status IN ('sent', 'accepted', 'in_progress', 'closed'))",
        ))
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Drafts that count: any but mail filed on the portal whose filer has not yet
/// confirmed their address (it waits outside the queue until they do).
fn confirmed_if_filed(tenant: TenantId) -> Condition {
    use sea_orm::sea_query::Query;
    Condition::all().add(
        Expr::col((mail_items::Entity, mail_items::Column::Id)).not_in_subquery(
            Query::select()
                .column(portal_filings::Column::ItemId)
                .from(portal_filings::Entity)
                .and_where(Expr::col(portal_filings::Column::TenantId).eq(tenant.as_uuid()))
                .and_where(Expr::col(portal_filings::Column::ConfirmedAt).is_null())
                .to_owned(),
        ),
    )
}

fn to_record(row: mail_items::Model) -> Result<ItemRecord, DbError> {
    let corrupt = |e: &dyn std::fmt::Display| DbError::corrupt("mail_items", e);
    Ok(ItemRecord {
        id: row.id,
        register_id: row.register_id,
        status: ItemStatus::parse(&row.status).map_err(|e| corrupt(&e))?,
        year: row.year,
        sequence: row
            .sequence
            .map(u64::try_from)
            .transpose()
            .map_err(|e| corrupt(&e))?,
        number: row.number,
        content: Registration {
            subject: row.subject,
            nature: row.nature,
            channel: Channel::parse(&row.channel).map_err(|e| corrupt(&e))?,
            priority: row.priority,
            confidentiality: Confidentiality::parse(&row.confidentiality)
                .map_err(|e| corrupt(&e))?,
            sender: row.sender,
            recipient: row.recipient,
            letter_date: row.letter_date,
            received_at: Some(row.received_at),
            keywords: row.keywords,
            paper_location: row.paper_location,
        },
        sender_id: row.sender_id,
        recipient_ids: Vec::new(),
        received_at: row.received_at,
        registered_at: row.registered_at,
        registered_by: row.registered_by,
        due_on: row.due_on,
        version: u32::try_from(row.version).map_err(|e| corrupt(&e))?,
        created_by: row.created_by,
        cancel_reason: row.cancel_reason,
        cancelled_at: row.cancelled_at,
    })
}
