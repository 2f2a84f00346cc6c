use chrono::{DateTime, Utc};
use ordo_domain::{InvalidInput, LocalizedName, Reason, TenantId};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, prelude::*,
};
use uuid::Uuid;

use crate::{DbError, entities::org_units};

/// Where a unit sits in an administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// The central secretariat, cabinet, general secretariat.
    Central,
    Directorate,
    Service,
    /// A decentralised office (regional, prefectoral).
    Decentralised,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Directorate => "directorate",
            Self::Service => "service",
            Self::Decentralised => "decentralised",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "central" => Ok(Self::Central),
            "directorate" => Ok(Self::Directorate),
            "service" => Ok(Self::Service),
            "decentralised" => Ok(Self::Decentralised),
            _ => Err(InvalidInput::new("kind", Reason::UnknownValue)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitRecord {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: LocalizedName,
    pub kind: UnitKind,
    pub has_bureau_ordre: bool,
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: LocalizedName,
    pub kind: UnitKind,
    pub has_bureau_ordre: bool,
}

/// An administration's units. Built only by `TenantTx::units`.
#[derive(Debug)]
pub struct UnitRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> UnitRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn insert(&self, new: NewUnit, now: DateTime<Utc>) -> Result<UnitRecord, DbError> {
        let row = org_units::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            id: Set(Uuid::now_v7()),
            parent_id: Set(new.parent_id),
            code: Set(new.code),
            name_fr: Set(new.name.fr),
            name_ar: Set(new.name.ar),
            name_en: Set(new.name.en),
            kind: Set(new.kind.as_str().to_owned()),
            has_bureau_ordre: Set(new.has_bureau_ordre),
            created_at: Set(now),
        };
        to_record(
            org_units::Entity::insert(row)
                .exec_with_returning(self.tx)
                .await?,
        )
    }

    /// Every unit of the tenant, in creation order (parents before children).
    pub async fn list(&self) -> Result<Vec<UnitRecord>, DbError> {
        org_units::Entity::find()
            .filter(org_units::Column::TenantId.eq(self.tenant.as_uuid()))
            .order_by_asc(org_units::Column::Id)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_record)
            .collect()
    }

    pub async fn find(&self, id: Uuid) -> Result<Option<UnitRecord>, DbError> {
        org_units::Entity::find_by_id(id)
            .filter(org_units::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(to_record)
            .transpose()
    }

    /// Moves, renames and reclassifies a unit (its code stays: registers and numbers
    /// carry it).
    pub async fn update(
        &self,
        id: Uuid,
        parent_id: Option<Uuid>,
        name: LocalizedName,
        kind: UnitKind,
        has_bureau_ordre: bool,
    ) -> Result<bool, DbError> {
        let result = org_units::Entity::update_many()
            .col_expr(org_units::Column::ParentId, Expr::value(parent_id))
            .col_expr(org_units::Column::NameFr, Expr::value(name.fr))
            .col_expr(org_units::Column::NameAr, Expr::value(name.ar))
            .col_expr(org_units::Column::NameEn, Expr::value(name.en))
            .col_expr(org_units::Column::Kind, Expr::value(kind.as_str()))
            .col_expr(
                org_units::Column::HasBureauOrdre,
                Expr::value(has_bureau_ordre),
            )
            .filter(org_units::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(org_units::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn rename(&self, id: Uuid, name: LocalizedName) -> Result<bool, DbError> {
        let result = org_units::Entity::update_many()
            .col_expr(org_units::Column::NameFr, Expr::value(name.fr))
            .col_expr(org_units::Column::NameAr, Expr::value(name.ar))
            .col_expr(org_units::Column::NameEn, Expr::value(name.en))
            .filter(org_units::Column::TenantId.eq(self.tenant.as_uuid()))
            .filter(org_units::Column::Id.eq(id))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }
}

fn to_record(row: org_units::Model) -> Result<UnitRecord, DbError> {
    Ok(UnitRecord {
        id: row.id,
        parent_id: row.parent_id,
        code: row.code,
        name: LocalizedName {
            fr: row.name_fr,
            ar: row.name_ar,
            en: row.name_en,
        },
        kind: UnitKind::parse(&row.kind).map_err(|e| DbError::corrupt("org_units", e))?,
        has_bureau_ordre: row.has_bureau_ordre,
    })
}
