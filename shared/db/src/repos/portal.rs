//! Filings made on the public portal, and the acknowledgments of receipt issued for
//! registered mail.

use chrono::{DateTime, Utc};
use ordo_domain::{
    TenantId,
    portal::{FilerKind, Filing, PublicCode},
};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect, prelude::*,
    sea_query::OnConflict,
};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{acknowledgments, portal_filings, portal_settings},
};

/// A filing as the portal keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingRecord {
    pub id: Uuid,
    pub item_id: Uuid,
    pub tracking_code: PublicCode,
    pub filer_kind: FilerKind,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub message: String,
    pub language: String,
    pub filed_at: DateTime<Utc>,
    pub rejected: Option<(DateTime<Utc>, String)>,
    /// The reply handed over through the portal, and when.
    pub reply: Option<(Uuid, DateTime<Utc>)>,
    /// When the filer confirmed their address (at once where no confirmation is
    /// asked); until then the filing is not in the queue.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A new filing, its draft item already inserted.
#[derive(Debug, Clone)]
pub struct NewFiling<'a> {
    pub id: Uuid,
    /// The SHA-256 of the confirmation link's token, when the filer must confirm.
    pub confirmation_hash: Option<&'a str>,
    pub item_id: Uuid,
    pub tracking_code: &'a PublicCode,
    pub submission_key: &'a str,
    pub filing: &'a Filing,
    pub language: &'a str,
    pub client_address: &'a str,
}

/// Built only by `TenantTx::filings`.
#[derive(Debug)]
pub struct FilingRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> FilingRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn insert(
        &self,
        new: NewFiling<'_>,
        now: DateTime<Utc>,
    ) -> Result<FilingRecord, DbError> {
        let row = portal_filings::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(new.id),
            item_id: Set(new.item_id),
            tracking_code: Set(new.tracking_code.as_str().to_owned()),
            submission_key: Set(new.submission_key.to_owned()),
            filer_kind: Set(new.filing.filer_kind.code().to_owned()),
            filer_name: Set(new.filing.name.clone()),
            filer_email: Set(new.filing.email.clone()),
            filer_phone: Set(new.filing.phone.clone()),
            filer_address: Set(new.filing.address.clone()),
            message: Set(new.filing.message.clone()),
            language: Set(new.language.to_owned()),
            client_address: Set(new.client_address.to_owned()),
            filed_at: Set(now),
            rejected_at: Set(None),
            rejection_reason: Set(None),
            reply_item_id: Set(None),
            reply_published_at: Set(None),
            confirmed_at: Set(new.confirmation_hash.is_none().then_some(now)),
            confirmation_hash: Set(new.confirmation_hash.map(str::to_owned)),
        };
        to_filing(
            portal_filings::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    fn scoped(&self) -> Select<portal_filings::Entity> {
        portal_filings::Entity::find()
            .filter(portal_filings::Column::TenantId.eq(self.tenant.as_uuid()))
    }

    /// The filing a submission key made, for a repeated tap on "send".
    pub async fn by_submission_key(&self, key: &str) -> Result<Option<FilingRecord>, DbError> {
        self.scoped()
            .filter(portal_filings::Column::SubmissionKey.eq(key))
            .one(self.tx)
            .await?
            .map(to_filing)
            .transpose()
    }

    /// The filing a tracking code names, when `email` is the filer's (compared
    /// without regard to case).
    pub async fn by_code_and_email(
        &self,
        code: &PublicCode,
        email: &str,
    ) -> Result<Option<FilingRecord>, DbError> {
        let found = self
            .scoped()
            .filter(portal_filings::Column::TrackingCode.eq(code.as_str()))
            .one(self.tx)
            .await?
            .map(to_filing)
            .transpose()?;
        Ok(found.filter(|f| f.email.eq_ignore_ascii_case(email.trim())))
    }

    pub async fn for_item(&self, item: Uuid) -> Result<Option<FilingRecord>, DbError> {
        self.scoped()
            .filter(portal_filings::Column::ItemId.eq(item))
            .one(self.tx)
            .await?
            .map(to_filing)
            .transpose()
    }

    /// Confirms the filing whose link token hashes to `hash`; the filing, or none
    /// (unknown token). Confirming twice is harmless.
    pub async fn confirm(
        &self,
        hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<FilingRecord>, DbError> {
        portal_filings::Entity::update_many()
            .col_expr(portal_filings::Column::ConfirmedAt, Expr::value(now))
            .filter(portal_filings::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(portal_filings::Column::ConfirmationHash.eq(hash))
            .filter(portal_filings::Column::ConfirmedAt.is_null())
            .exec(self.tx)
            .await?;
        self.scoped()
            .filter(portal_filings::Column::ConfirmationHash.eq(hash))
            .one(self.tx)
            .await?
            .map(to_filing)
            .transpose()
    }

    /// Hands the registered reply `reply` over to the filer; false if a reply
    /// already was.
    pub async fn publish_reply(
        &self,
        id: Uuid,
        reply: Uuid,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = portal_filings::Entity::update_many()
            .col_expr(portal_filings::Column::ReplyItemId, Expr::value(reply))
            .col_expr(portal_filings::Column::ReplyPublishedAt, Expr::value(now))
            .filter(portal_filings::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(portal_filings::Column::Id.eq(id))
            .filter(portal_filings::Column::ReplyItemId.is_null())
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Marks a filing rejected (spam, abuse) with the reason the filer is told;
    /// false if it already was.
    pub async fn reject(
        &self,
        id: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let result = portal_filings::Entity::update_many()
            .col_expr(portal_filings::Column::RejectedAt, Expr::value(now))
            .col_expr(portal_filings::Column::RejectionReason, Expr::value(reason))
            .filter(portal_filings::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(portal_filings::Column::Id.eq(id))
            .filter(portal_filings::Column::RejectedAt.is_null())
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

fn to_filing(row: portal_filings::Model) -> Result<FilingRecord, DbError> {
    let corrupt = |e: &dyn std::fmt::Display| DbError::corrupt("portal_filings", e);
    Ok(FilingRecord {
        id: row.id,
        item_id: row.item_id,
        tracking_code: PublicCode::parse(&row.tracking_code).map_err(|e| corrupt(&e))?,
        filer_kind: FilerKind::parse(&row.filer_kind).map_err(|e| corrupt(&e))?,
        name: row.filer_name,
        email: row.filer_email,
        phone: row.filer_phone,
        address: row.filer_address,
        message: row.message,
        language: row.language,
        filed_at: row.filed_at,
        rejected: row.rejected_at.zip(row.rejection_reason),
        reply: row.reply_item_id.zip(row.reply_published_at),
        confirmed_at: row.confirmed_at,
    })
}

/// An acknowledgment of receipt as issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcknowledgmentRecord {
    pub id: Uuid,
    pub item_id: Uuid,
    pub verification_code: PublicCode,
    pub issued_at: DateTime<Utc>,
    /// What the receipt states, as issued (a JSON document).
    pub content: serde_json::Value,
}

/// Built only by `TenantTx::acknowledgments`.
#[derive(Debug)]
pub struct AcknowledgmentRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> AcknowledgmentRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Records an acknowledgment; an item has one, so a second is a conflict.
    pub async fn insert(
        &self,
        item: Uuid,
        code: &PublicCode,
        content: &serde_json::Value,
        now: DateTime<Utc>,
    ) -> Result<AcknowledgmentRecord, DbError> {
        let row = acknowledgments::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            item_id: Set(item),
            verification_code: Set(code.as_str().to_owned()),
            issued_at: Set(now),
            content: Set(content.to_string()),
        };
        to_acknowledgment(
            acknowledgments::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    fn scoped(&self) -> Select<acknowledgments::Entity> {
        acknowledgments::Entity::find()
            .filter(acknowledgments::Column::TenantId.eq(self.tenant.as_uuid()))
    }

    pub async fn for_item(&self, item: Uuid) -> Result<Option<AcknowledgmentRecord>, DbError> {
        self.scoped()
            .filter(acknowledgments::Column::ItemId.eq(item))
            .one(self.tx)
            .await?
            .map(to_acknowledgment)
            .transpose()
    }

    pub async fn by_code(
        &self,
        code: &PublicCode,
    ) -> Result<Option<AcknowledgmentRecord>, DbError> {
        self.scoped()
            .filter(acknowledgments::Column::VerificationCode.eq(code.as_str()))
            .one(self.tx)
            .await?
            .map(to_acknowledgment)
            .transpose()
    }
}

fn to_acknowledgment(row: acknowledgments::Model) -> Result<AcknowledgmentRecord, DbError> {
    let corrupt = |e: &dyn std::fmt::Display| DbError::corrupt("acknowledgments", e);
    Ok(AcknowledgmentRecord {
        id: row.id,
        item_id: row.item_id,
        verification_code: PublicCode::parse(&row.verification_code).map_err(|e| corrupt(&e))?,
        issued_at: row.issued_at,
        content: serde_json::from_str(&row.content).map_err(|e| corrupt(&e))?,
    })
}

/// An administration's portal settings and acknowledgment template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PortalSettingsRecord {
    /// Filers confirm their e-mail address before a filing counts.
    pub confirm_email: bool,
    /// A paragraph printed on the acknowledgment under its title (empty: none).
    pub ack_wording: String,
    /// The signature block printed at the foot of the acknowledgment.
    pub ack_signature: String,
    /// The administration's logo (PNG or JPEG) and its media type.
    pub logo: Option<(Vec<u8>, String)>,
    /// Its colour on the portal, `#rrggbb` (checked by `ordo_domain::BrandColour`).
    pub brand_colour: Option<String>,
}

impl PortalSettingsRecord {
    /// The colour its portal, receipts and e-mails wear: its own, or the platform's.
    pub fn colour(&self) -> ordo_domain::BrandColour {
        self.brand_colour
            .as_deref()
            .and_then(|c| ordo_domain::BrandColour::parse(c).ok())
            .unwrap_or_else(ordo_domain::BrandColour::platform_default)
    }
}

/// Built only by `TenantTx::portal_settings`.
#[derive(Debug)]
pub struct PortalSettingsRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> PortalSettingsRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// The settings; the defaults when none were saved.
    pub async fn get(&self) -> Result<PortalSettingsRecord, DbError> {
        let row = portal_settings::Entity::find_by_id(self.tenant.as_uuid())
            .one(self.tx)
            .await?;
        Ok(
            row.map_or_else(PortalSettingsRecord::default, |row| PortalSettingsRecord {
                confirm_email: row.confirm_email,
                ack_wording: row.ack_wording,
                ack_signature: row.ack_signature,
                logo: row.logo.zip(row.logo_type),
                brand_colour: row.brand_colour,
            }),
        )
    }

    /// The portal's colour and whether it has a logo, without reading the logo.
    pub async fn branding(&self) -> Result<(Option<String>, bool), DbError> {
        let row: Option<(Option<String>, Option<String>)> =
            portal_settings::Entity::find_by_id(self.tenant.as_uuid())
                .select_only()
                .column(portal_settings::Column::BrandColour)
                .column(portal_settings::Column::LogoType)
                .into_tuple()
                .one(self.tx)
                .await?;
        Ok(row.map_or((None, false), |(colour, logo)| (colour, logo.is_some())))
    }

    /// Saves the settings (the logo too: `None` removes it).
    pub async fn set(
        &self,
        settings: &PortalSettingsRecord,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (logo, logo_type) = match &settings.logo {
            Some((bytes, media_type)) => (Some(bytes.clone()), Some(media_type.clone())),
            None => (None, None),
        };
        portal_settings::Entity::insert(portal_settings::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            confirm_email: Set(settings.confirm_email),
            ack_wording: Set(settings.ack_wording.clone()),
            ack_signature: Set(settings.ack_signature.clone()),
            logo: Set(logo),
            logo_type: Set(logo_type),
            updated_at: Set(now),
            brand_colour: Set(settings.brand_colour.clone()),
        })
        .on_conflict(
            OnConflict::column(portal_settings::Column::TenantId)
                .update_columns([
                    portal_settings::Column::ConfirmEmail,
                    portal_settings::Column::AckWording,
                    portal_settings::Column::AckSignature,
                    portal_settings::Column::Logo,
                    portal_settings::Column::LogoType,
                    portal_settings::Column::UpdatedAt,
                    portal_settings::Column::BrandColour,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }
}
