//! Everything an administration has, table by table, as JSON objects: what an
//! export writes. Secrets are left out (password hashes, the identity provider's
//! client secret, the seal's private key) and so are tables that only serve the
//! platform's working (API token hashes, password-reset links).

use sea_orm::{
    DatabaseTransaction, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Alias, Expr, ExprTrait},
};

use crate::{DbError, entities::*};

/// The tables an export holds, in the order it writes them, and the fields of each
/// it leaves out.
pub const EXPORTED_TABLES: &[(&str, &[&str])] = &[
    ("org_units", &[]),
    ("users", &["password_hash"]),
    ("identity_providers", &["client_secret"]),
    ("tenant_holidays", &[]),
    ("mail_natures", &[]),
    ("mail_priorities", &[]),
    ("registers", &[]),
    ("register_counters", &[]),
    ("correspondents", &[]),
    ("mail_items", &[]),
    ("item_versions", &[]),
    ("item_recipients", &[]),
    ("item_links", &[]),
    ("item_followers", &[]),
    ("item_notes", &[]),
    ("documents", &[]),
    ("dispatches", &[]),
    ("dispatch_templates", &[]),
    ("dispatch_reminders", &[]),
    ("digests_sent", &[]),
    ("portal_settings", &[]),
    ("email_templates", &[]),
    ("portal_filings", &[]),
    ("acknowledgments", &[]),
    ("tenant_seals", &["private_key_pem"]),
    ("exchange_envelopes", &[]),
    ("exchange_recipients", &[]),
    ("exchange_arrivals", &[]),
    ("exchange_receipts", &[]),
    ("audit_heads", &[]),
    ("audit_entries", &[]),
];

/// Built only by `TenantTx::export`.
#[derive(Debug)]
pub struct ExportRepo<'t> {
    tx: &'t DatabaseTransaction,
    tenant: ordo_domain::TenantId,
}

impl<'t> ExportRepo<'t> {
    pub(crate) fn new(tx: &'t DatabaseTransaction, tenant: ordo_domain::TenantId) -> Self {
        Self { tx, tenant }
    }

    /// Rows `offset..offset + limit` of `table` (one of [`EXPORTED_TABLES`]), in
    /// primary-key order, without the fields an export leaves out.
    pub async fn page(
        &self,
        table: &str,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<serde_json::Value>, DbError> {
        let rows = match table {
            "org_units" => self.rows::<org_units::Entity>(offset, limit).await,
            "users" => self.rows::<users::Entity>(offset, limit).await,
            "identity_providers" => self.rows::<identity_providers::Entity>(offset, limit).await,
            "tenant_holidays" => self.rows::<tenant_holidays::Entity>(offset, limit).await,
            "mail_natures" => self.rows::<mail_natures::Entity>(offset, limit).await,
            "mail_priorities" => self.rows::<mail_priorities::Entity>(offset, limit).await,
            "registers" => self.rows::<registers::Entity>(offset, limit).await,
            "register_counters" => self.rows::<register_counters::Entity>(offset, limit).await,
            "correspondents" => self.rows::<correspondents::Entity>(offset, limit).await,
            "mail_items" => self.rows::<mail_items::Entity>(offset, limit).await,
            "item_versions" => self.rows::<item_versions::Entity>(offset, limit).await,
            "item_recipients" => self.rows::<item_recipients::Entity>(offset, limit).await,
            "item_links" => self.rows::<item_links::Entity>(offset, limit).await,
            "item_followers" => self.rows::<item_followers::Entity>(offset, limit).await,
            "item_notes" => self.rows::<item_notes::Entity>(offset, limit).await,
            "documents" => self.rows::<documents::Entity>(offset, limit).await,
            "dispatches" => self.rows::<dispatches::Entity>(offset, limit).await,
            "dispatch_templates" => self.rows::<dispatch_templates::Entity>(offset, limit).await,
            "dispatch_reminders" => self.rows::<dispatch_reminders::Entity>(offset, limit).await,
            "digests_sent" => self.rows::<digests_sent::Entity>(offset, limit).await,
            "portal_settings" => self.rows::<portal_settings::Entity>(offset, limit).await,
            "email_templates" => self.rows::<email_templates::Entity>(offset, limit).await,
            "portal_filings" => self.rows::<portal_filings::Entity>(offset, limit).await,
            "acknowledgments" => self.rows::<acknowledgments::Entity>(offset, limit).await,
            "tenant_seals" => self.rows::<tenant_seals::Entity>(offset, limit).await,
            "exchange_envelopes" => self.rows::<exchange_envelopes::Entity>(offset, limit).await,
            "exchange_recipients" => {
                self.rows::<exchange_recipients::Entity>(offset, limit)
                    .await
            }
            "exchange_arrivals" => self.rows::<exchange_arrivals::Entity>(offset, limit).await,
            "exchange_receipts" => self.rows::<exchange_receipts::Entity>(offset, limit).await,
            "audit_heads" => self.rows::<audit_heads::Entity>(offset, limit).await,
            "audit_entries" => self.rows::<audit_entries::Entity>(offset, limit).await,
            other => return Err(DbError::corrupt("export", format!("no table {other}"))),
        }?;
        let left_out = EXPORTED_TABLES
            .iter()
            .find(|(name, _)| *name == table)
            .map(|(_, fields)| *fields)
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(|mut row| {
                if let Some(object) = row.as_object_mut() {
                    for field in left_out {
                        object.remove(*field);
                    }
                }
                row
            })
            .collect())
    }

    async fn rows<E: EntityTrait>(
        &self,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<serde_json::Value>, DbError> {
        // Row-level security already keeps other tenants out on PostgreSQL; the
        // filter says so for SQLite too.
        let mut query = E::find().filter(
            Expr::col(Alias::new("tenant_id")).eq(sea_orm::Value::from(self.tenant.as_uuid())),
        );
        for key in E::PrimaryKey::iter() {
            query = query.order_by_asc(key.into_column());
        }
        Ok(query
            .offset(offset)
            .limit(limit)
            .into_json()
            .all(self.tx)
            .await?)
    }
}
