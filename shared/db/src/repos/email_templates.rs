//! An administration's own wording of the e-mails it sends, one row per kind and
//! language it changed. What is stored was checked by
//! `ordo_domain::email_template::EmailTemplate` when saved.

use chrono::{DateTime, Utc};
use ordo_domain::{Locale, TenantId, email_template::EmailKind};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, prelude::*,
    sea_query::OnConflict,
};

use crate::{DbError, entities::email_templates};

/// A saved template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailTemplateRecord {
    pub kind: EmailKind,
    pub language: Locale,
    pub subject: String,
    pub body: String,
    pub updated_at: DateTime<Utc>,
}

/// Built only by `TenantTx::email_templates`.
#[derive(Debug)]
pub struct EmailTemplateRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> EmailTemplateRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    /// The administration's text for this kind and language, if it wrote one.
    pub async fn get(
        &self,
        kind: EmailKind,
        language: Locale,
    ) -> Result<Option<EmailTemplateRecord>, DbError> {
        let row = email_templates::Entity::find_by_id((
            self.tenant.as_uuid(),
            kind.code().to_owned(),
            language.tag().to_owned(),
        ))
        .one(self.tx)
        .await?;
        Ok(row.and_then(record))
    }

    /// Every text the administration wrote.
    pub async fn all(&self) -> Result<Vec<EmailTemplateRecord>, DbError> {
        let rows = email_templates::Entity::find()
            .filter(email_templates::Column::TenantId.eq(self.tenant.as_uuid()))
            .all(self.tx)
            .await?;
        Ok(rows.into_iter().filter_map(record).collect())
    }

    /// Saves (or replaces) the text for this kind and language.
    pub async fn set(
        &self,
        kind: EmailKind,
        language: Locale,
        subject: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        email_templates::Entity::insert(email_templates::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            kind: Set(kind.code().to_owned()),
            language: Set(language.tag().to_owned()),
            subject: Set(subject.to_owned()),
            body: Set(body.to_owned()),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([
                email_templates::Column::TenantId,
                email_templates::Column::Kind,
                email_templates::Column::Language,
            ])
            .update_columns([
                email_templates::Column::Subject,
                email_templates::Column::Body,
                email_templates::Column::UpdatedAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// Goes back to the catalog's text; whether there was one of its own.
    pub async fn reset(&self, kind: EmailKind, language: Locale) -> Result<bool, DbError> {
        let deleted = email_templates::Entity::delete_many()
            .filter(email_templates::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(email_templates::Column::Kind.eq(kind.code()))
            .filter(email_templates::Column::Language.eq(language.tag()))
            .exec(self.tx)
            .await?;
        Ok(deleted.rows_affected > 0)
    }
}

/// A row of a kind or language this version no longer knows is left unused.
fn record(row: email_templates::Model) -> Option<EmailTemplateRecord> {
    Some(EmailTemplateRecord {
        kind: EmailKind::parse(&row.kind)?,
        language: row.language.parse().ok()?,
        subject: row.subject,
        body: row.body,
        updated_at: row.updated_at,
    })
}
