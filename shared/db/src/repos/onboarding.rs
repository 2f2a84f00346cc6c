//! What creating an administration keeps beside its tenant row: the record of the
//! creation itself (so a half-done one can be completed), the platform's
//! certificate authority, each administration's seal, and the directory of
//! administrations.

use chrono::{DateTime, Utc};
use ordo_domain::{AdministrationLevel, LocalizedName, TenantCode, TenantId};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use crate::{
    DbError,
    entities::{
        directory_entries, directory_units, platform_authority, provisionings, tenant_seals,
    },
};

/// A creation as recorded: the request, how far it went, why it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisioningRecord {
    pub code: String,
    pub tenant_id: TenantId,
    /// The request as given, as JSON, without any password.
    pub request: String,
    /// The step reached (see `ordo_operator::Step`).
    pub step: String,
    pub error: Option<String>,
    pub actor: String,
    /// The outbox message inviting the first administrator.
    pub invitation_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

fn to_provisioning(row: provisionings::Model) -> ProvisioningRecord {
    ProvisioningRecord {
        code: row.code,
        tenant_id: TenantId::new(row.tenant_id),
        request: row.request,
        step: row.step,
        error: row.error,
        actor: row.actor,
        invitation_id: row.invitation_id,
        started_at: row.started_at,
        updated_at: row.updated_at,
        finished_at: row.finished_at,
    }
}

/// Built only by `PlatformTx::provisionings`.
#[derive(Debug)]
pub struct ProvisioningRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> ProvisioningRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn find(&self, code: &TenantCode) -> Result<Option<ProvisioningRecord>, DbError> {
        Ok(provisionings::Entity::find_by_id(code.as_str().to_owned())
            .one(self.tx)
            .await?
            .map(to_provisioning))
    }

    /// Starts recording a creation for `code`, or takes up the unfinished one
    /// already recorded (keeping its tenant id, with the new request), and returns
    /// the record as it now stands. A recorded creation that has not failed and took
    /// a step after `running_if_after` is taken to be running: it is left alone, and
    /// the answer is `None`. The record is the claim: on PostgreSQL a concurrent
    /// `begin` waits for this one's commit, then finds it running.
    pub async fn begin(
        &self,
        code: &TenantCode,
        request: &str,
        actor: &str,
        now: DateTime<Utc>,
        running_if_after: DateTime<Utc>,
    ) -> Result<Option<ProvisioningRecord>, DbError> {
        use provisionings::Column;
        let taken = provisionings::Entity::insert(provisionings::ActiveModel {
            code: Set(code.as_str().to_owned()),
            tenant_id: Set(TenantId::generate().as_uuid()),
            request: Set(request.to_owned()),
            step: Set("checking".to_owned()),
            error: Set(None),
            actor: Set(actor.to_owned()),
            invitation_id: Set(None),
            started_at: Set(now),
            updated_at: Set(now),
            finished_at: Set(None),
        })
        .on_conflict(
            OnConflict::column(Column::Code)
                // Begun again after a failure: running, no longer failed.
                .update_columns([
                    Column::Request,
                    Column::Error,
                    Column::Actor,
                    Column::UpdatedAt,
                ])
                .action_and_where(
                    Expr::col((provisionings::Entity, Column::Error))
                        .is_not_null()
                        .or(Expr::col((provisionings::Entity, Column::UpdatedAt))
                            .lte(running_if_after)),
                )
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        if taken == 0 {
            return Ok(None);
        }
        self.find(code)
            .await?
            .ok_or_else(|| DbError::corrupt("provisionings", "row vanished after insert"))
            .map(Some)
    }

    /// Records the step reached; clears any earlier failure.
    pub async fn reached(
        &self,
        code: &TenantCode,
        step: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        provisionings::Entity::update_many()
            .col_expr(provisionings::Column::Step, step.into())
            .col_expr(provisionings::Column::Error, Option::<String>::None.into())
            .col_expr(provisionings::Column::UpdatedAt, now.into())
            .filter(provisionings::Column::Code.eq(code.as_str()))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Records why the creation stopped at its present step. A finished creation
    /// keeps its record as it is: a late failure of another attempt at the same
    /// code is not its own.
    pub async fn failed(
        &self,
        code: &TenantCode,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        provisionings::Entity::update_many()
            .col_expr(provisionings::Column::Error, Some(error.to_owned()).into())
            .col_expr(provisionings::Column::UpdatedAt, now.into())
            .filter(provisionings::Column::Code.eq(code.as_str()))
            .filter(provisionings::Column::FinishedAt.is_null())
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Marks the creation done, with the invitation sent, if any.
    pub async fn finished(
        &self,
        code: &TenantCode,
        invitation: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        provisionings::Entity::update_many()
            .col_expr(provisionings::Column::Step, "done".into())
            .col_expr(provisionings::Column::Error, Option::<String>::None.into())
            .col_expr(provisionings::Column::InvitationId, invitation.into())
            .col_expr(provisionings::Column::UpdatedAt, now.into())
            .col_expr(provisionings::Column::FinishedAt, Some(now).into())
            .filter(provisionings::Column::Code.eq(code.as_str()))
            .exec(self.tx)
            .await?;
        Ok(())
    }

    /// Creations not finished, oldest first: the console offers to complete them.
    pub async fn unfinished(&self) -> Result<Vec<ProvisioningRecord>, DbError> {
        Ok(provisionings::Entity::find()
            .filter(provisionings::Column::FinishedAt.is_null())
            .order_by_asc(provisionings::Column::StartedAt)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_provisioning)
            .collect())
    }
}

/// A certificate and its private key, both PEM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMaterial {
    pub certificate_pem: String,
    pub private_key_pem: String,
}

/// Built only by `PlatformTx::authority`.
#[derive(Debug)]
pub struct AuthorityRepo<'t> {
    tx: &'t DatabaseTransaction,
}

/// The platform has one authority; its row has this id.
const AUTHORITY_ROW: i32 = 1;

impl<'t> AuthorityRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn get(&self) -> Result<Option<KeyMaterial>, DbError> {
        Ok(platform_authority::Entity::find_by_id(AUTHORITY_ROW)
            .one(self.tx)
            .await?
            .map(|row| KeyMaterial {
                certificate_pem: row.certificate_pem,
                private_key_pem: row.private_key_pem,
            }))
    }

    /// Keeps `made` as the platform's authority unless one exists already (two
    /// replicas making one at once): returns the one kept.
    pub async fn get_or_keep(
        &self,
        made: KeyMaterial,
        now: DateTime<Utc>,
    ) -> Result<KeyMaterial, DbError> {
        platform_authority::Entity::insert(platform_authority::ActiveModel {
            id: Set(AUTHORITY_ROW),
            certificate_pem: Set(made.certificate_pem),
            private_key_pem: Set(made.private_key_pem),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(platform_authority::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        self.get()
            .await?
            .ok_or_else(|| DbError::corrupt("platform_authority", "row vanished after insert"))
    }
}

/// An administration as the directory shows it to every other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub tenant_id: TenantId,
    pub code: String,
    pub name: LocalizedName,
    pub level: AdministrationLevel,
    pub parent_code: Option<String>,
    pub certificate_pem: String,
}

/// A unit an administration shows in the directory: mail may be addressed to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryUnit {
    pub code: String,
    pub name: LocalizedName,
}

/// Built only by `PlatformTx::directory`.
#[derive(Debug)]
pub struct DirectoryRepo<'t> {
    tx: &'t DatabaseTransaction,
}

impl<'t> DirectoryRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction) -> Self {
        Self { tx }
    }

    pub async fn insert(&self, entry: DirectoryEntry, now: DateTime<Utc>) -> Result<(), DbError> {
        directory_entries::Entity::insert(directory_entries::ActiveModel {
            tenant_id: Set(entry.tenant_id.as_uuid()),
            code: Set(entry.code),
            name_fr: Set(entry.name.fr),
            name_ar: Set(entry.name.ar),
            name_en: Set(entry.name.en),
            level: Set(entry.level.as_str().to_owned()),
            parent_code: Set(entry.parent_code),
            certificate_pem: Set(entry.certificate_pem),
            created_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    pub async fn find(&self, code: &str) -> Result<Option<DirectoryEntry>, DbError> {
        directory_entries::Entity::find()
            .filter(directory_entries::Column::Code.eq(code))
            .one(self.tx)
            .await?
            .map(to_entry)
            .transpose()
    }

    pub async fn list(&self) -> Result<Vec<DirectoryEntry>, DbError> {
        directory_entries::Entity::find()
            .order_by_asc(directory_entries::Column::Code)
            .all(self.tx)
            .await?
            .into_iter()
            .map(to_entry)
            .collect()
    }

    /// Replaces the units `tenant` shows in the directory.
    pub async fn publish_units(
        &self,
        tenant: TenantId,
        units: Vec<DirectoryUnit>,
    ) -> Result<(), DbError> {
        directory_units::Entity::delete_many()
            .filter(directory_units::Column::TenantId.eq(tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        if units.is_empty() {
            return Ok(());
        }
        directory_units::Entity::insert_many(units.into_iter().map(|unit| {
            directory_units::ActiveModel {
                tenant_id: Set(tenant.as_uuid()),
                code: Set(unit.code),
                name_fr: Set(unit.name.fr),
                name_ar: Set(unit.name.ar),
                name_en: Set(unit.name.en),
            }
        }))
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// The units shown in the directory: every administration's, or one's.
    pub async fn units(
        &self,
        tenant: Option<TenantId>,
    ) -> Result<Vec<(TenantId, DirectoryUnit)>, DbError> {
        let mut query = directory_units::Entity::find();
        if let Some(tenant) = tenant {
            query = query.filter(directory_units::Column::TenantId.eq(tenant.as_uuid()));
        }
        Ok(query
            .order_by_asc(directory_units::Column::TenantId)
            .order_by_asc(directory_units::Column::Code)
            .all(self.tx)
            .await?
            .into_iter()
            .map(|row| {
                (
                    TenantId::new(row.tenant_id),
                    DirectoryUnit {
                        code: row.code,
                        name: LocalizedName {
                            fr: row.name_fr,
                            ar: row.name_ar,
                            en: row.name_en,
                        },
                    },
                )
            })
            .collect())
    }

    /// The certificate that checks an administration's seal, after it changed.
    pub async fn set_certificate(&self, tenant: TenantId, pem: &str) -> Result<bool, DbError> {
        let result = directory_entries::Entity::update_many()
            .col_expr(
                directory_entries::Column::CertificatePem,
                Expr::value(pem.to_owned()),
            )
            .filter(directory_entries::Column::TenantId.eq(tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Takes an administration out of the directory (when it is deleted).
    pub async fn remove(&self, tenant: TenantId) -> Result<(), DbError> {
        directory_entries::Entity::delete_by_id(tenant.as_uuid())
            .exec(self.tx)
            .await?;
        Ok(())
    }
}

fn to_entry(row: directory_entries::Model) -> Result<DirectoryEntry, DbError> {
    Ok(DirectoryEntry {
        tenant_id: TenantId::new(row.tenant_id),
        code: row.code,
        name: LocalizedName {
            fr: row.name_fr,
            ar: row.name_ar,
            en: row.name_en,
        },
        level: AdministrationLevel::parse(&row.level)
            .map_err(|e| DbError::corrupt("directory_entries", e))?,
        parent_code: row.parent_code,
        certificate_pem: row.certificate_pem,
    })
}

/// Built only by `TenantTx::seal`: the administration's own seal.
#[derive(Debug)]
pub struct SealRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> SealRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn insert(&self, seal: KeyMaterial, now: DateTime<Utc>) -> Result<(), DbError> {
        tenant_seals::Entity::insert(tenant_seals::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            certificate_pem: Set(seal.certificate_pem),
            private_key_pem: Set(seal.private_key_pem),
            created_at: Set(now),
        })
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// Puts a seal in place of the one the administration had (one it provides).
    pub async fn replace(&self, seal: KeyMaterial, now: DateTime<Utc>) -> Result<bool, DbError> {
        let result = tenant_seals::Entity::update_many()
            .col_expr(
                tenant_seals::Column::CertificatePem,
                Expr::value(seal.certificate_pem),
            )
            .col_expr(
                tenant_seals::Column::PrivateKeyPem,
                Expr::value(seal.private_key_pem),
            )
            .col_expr(tenant_seals::Column::CreatedAt, Expr::value(now))
            .filter(tenant_seals::Column::TenantId.eq(self.tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(result.rows_affected == 1)
    }

    pub async fn get(&self) -> Result<Option<KeyMaterial>, DbError> {
        Ok(tenant_seals::Entity::find_by_id(self.tenant.as_uuid())
            .one(self.tx)
            .await?
            .map(|row| KeyMaterial {
                certificate_pem: row.certificate_pem,
                private_key_pem: row.private_key_pem,
            }))
    }
}
