use ordo_domain::{LocalizedName, TenantId, Term, Vocabulary};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    FromQueryResult, Statement, sea_query::OnConflict,
};

use crate::{
    DbError,
    entities::{mail_natures, mail_priorities},
    settings_cache::SettingsWrites,
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
    settings_writes: &'t SettingsWrites,
}

/// A row of either term table, tagged with its list (0: natures, 1: priorities).
#[derive(Debug, FromQueryResult)]
struct TermRow {
    list: i32,
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    processing_days: Option<i32>,
}

/// Both term tables have the same shape; this macro writes the upsert once for each.
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

    /// Both lists, in one query: every registration reads them.
    pub async fn load(&self) -> Result<Vocabulary, DbError> {
        let backend = self.tx.get_database_backend();
        let tenant = if backend == DbBackend::Postgres {
            "$1"
        } else {
            "?1"
        };
        let columns = "code, name_fr, name_ar, name_en, processing_days, position";
        let sql = format!(
            "SELECT 0 AS list, {columns} FROM mail_natures WHERE tenant_id = {tenant} \
             UNION ALL \
             SELECT 1 AS list, {columns} FROM mail_priorities WHERE tenant_id = {tenant} \
             ORDER BY list, position, code"
        );
        let rows = TermRow::find_by_statement(Statement::from_sql_and_values(
            backend,
            sql,
            [self.tenant.as_uuid().into()],
        ))
        .all(self.tx)
        .await?;
        let mut vocabulary = Vocabulary::default();
        for row in rows {
            let term = Term {
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
                    .map_err(|e| DbError::corrupt("mail_natures", e))?,
            };
            if row.list == 0 {
                vocabulary.natures.push(term);
            } else {
                vocabulary.priorities.push(term);
            }
        }
        Ok(vocabulary)
    }

    /// Adds a term at the end of its list, or renames and retimes an existing one
    /// (its code, used by stored items, never changes).
    pub async fn save(&self, list: TermList, term: Term) -> Result<(), DbError> {
        self.settings_writes.note();
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
        self.settings_writes.note();
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
