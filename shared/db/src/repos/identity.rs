use chrono::{DateTime, Utc};
use ordo_domain::{TenantId, identity::RoleMapping};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, prelude::*,
    sea_query::OnConflict,
};

use crate::{DbError, entities::identity_providers};

/// An administration's OpenID Connect provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityProvider {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub login_claim: String,
    pub roles_claim: String,
    pub role_mapping: RoleMapping,
}

/// The identity provider of the transaction's administration. Built only by
/// `TenantTx::identity_provider`.
#[derive(Debug)]
pub struct IdentityProviderRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: TenantId,
}

impl<'t> IdentityProviderRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: TenantId) -> Self {
        Self { tx, tenant }
    }

    pub async fn get(&self) -> Result<Option<IdentityProvider>, DbError> {
        identity_providers::Entity::find()
            .filter(identity_providers::Column::TenantId.eq(self.tenant.as_uuid()))
            .one(self.tx)
            .await?
            .map(|row| {
                Ok(IdentityProvider {
                    role_mapping: RoleMapping::parse(&row.role_mapping)
                        .map_err(|e| DbError::corrupt("identity_providers", e))?,
                    issuer: row.issuer,
                    client_id: row.client_id,
                    client_secret: row.client_secret,
                    login_claim: row.login_claim,
                    roles_claim: row.roles_claim,
                })
            })
            .transpose()
    }

    /// Sets the provider, replacing any earlier one.
    pub async fn set(
        &self,
        provider: &IdentityProvider,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        identity_providers::Entity::insert(identity_providers::ActiveModel {
            tenant_id: Set(self.tenant.as_uuid()),
            issuer: Set(provider.issuer.clone()),
            client_id: Set(provider.client_id.clone()),
            client_secret: Set(provider.client_secret.clone()),
            login_claim: Set(provider.login_claim.clone()),
            roles_claim: Set(provider.roles_claim.clone()),
            role_mapping: Set(provider.role_mapping.to_text()),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(identity_providers::Column::TenantId)
                .update_columns([
                    identity_providers::Column::Issuer,
                    identity_providers::Column::ClientId,
                    identity_providers::Column::ClientSecret,
                    identity_providers::Column::LoginClaim,
                    identity_providers::Column::RolesClaim,
                    identity_providers::Column::RoleMapping,
                    identity_providers::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(self.tx)
        .await?;
        Ok(())
    }

    /// Removes the provider: people sign in with local passwords only.
    pub async fn remove(&self) -> Result<(), DbError> {
        identity_providers::Entity::delete_many()
            .filter(identity_providers::Column::TenantId.eq(self.tenant.as_uuid()))
            .exec(self.tx)
            .await?;
        Ok(())
    }
}
