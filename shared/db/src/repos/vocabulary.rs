use ordo_domain::{LocalizedName, TenantId, Term, Vocabulary};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
    sea_query::OnConflict,
};

use crate::{
    DbError,
    entities::{mail_natures, mail_priorities},
};

/// Which list of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermList {
    Natures,
    Priorities,
}

/// An administration's natures and priorities. Built only by `TenantTx::vocabulary`.
#[derive(Debug)]
pub struct VocabularyRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

/// Both term tables have the same shape; this macro writes the query once for each.
macro_rules! term_rows {
    ($entity:ident, $self:ident) => {
        $entity::Entity::find()
            .filter($entity::Column::TenantId.eq($self.tenant.as_uuid()))
            .order_by_asc($entity::Column::Position)
            .order_by_asc($entity::Column::Code)
            .all($self.tx)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Term {
                    code: row.code,
                    name: LocalizedName {
                        fr: row.name_fr,
                        ar: row.name_ar,
                        en: row.name_en,
                    },
                    processing_days: row
                        .processing_days
                        .map(u16::try_from)
                        .transpose()
                        .map_err(|e| DbError::corrupt(stringify!($entity), e))?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?
    };
}

macro_rules! save_term {
    ($entity:ident, $self:ident, $term:ident, $position:ident) => {
        $entity::Entity::insert($entity::ActiveModel {
            tenant_id: Set($self.tenant.as_uuid()),
            code: Set($term.code),
            name_fr: Set($term.name.fr),
            name_ar: Set($term.name.ar),
            name_en: Set($term.name.en),
            processing_days: Set($term.processing_days.map(i32::from)),
            position: Set($position),
        })
        .on_conflict(
            OnConflict::columns([$entity::Column::TenantId, $entity::Column::Code])
                .update_columns([
                    $entity::Column::NameFr,
                    $entity::Column::NameAr,
                    $entity::Column::NameEn,
                    $entity::Column::ProcessingDays,
                ])
                .to_owned(),
        )
        .exec_without_returning($self.tx)
        .await?
    };
}

impl<'t> VocabularyRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn load(&self) -> Result<Vocabulary, DbError> {
        Ok(Vocabulary {
            natures: term_rows!(mail_natures, self),
            priorities: term_rows!(mail_priorities, self),
        })
    }

    /// Adds a term at the end of its list, or renames and retimes an existing one
    /// (its code, used by stored items, never changes).
    pub async fn save(&self, list: TermList, term: Term) -> Result<(), DbError> {
        let current = self.load().await?;
        let position = i32::try_from(match list {
            TermList::Natures => current.natures.len(),
            TermList::Priorities => current.priorities.len(),
        })
        .map_err(|e| DbError::corrupt("vocabulary", e))?
            + 1;
        match list {
            TermList::Natures => save_term!(mail_natures, self, term, position),
            TermList::Priorities => save_term!(mail_priorities, self, term, position),
        };
        Ok(())
    }

    /// Gives a new administration the default lists.
    pub async fn seed_defaults(&self) -> Result<(), DbError> {
        let defaults = Vocabulary::defaults();
        for term in defaults.natures {
            self.save(TermList::Natures, term).await?;
        }
        for term in defaults.priorities {
            self.save(TermList::Priorities, term).await?;
        }
        Ok(())
    }
}
