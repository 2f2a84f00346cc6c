//! The directory of administrations that accept electronic mail, shared by the
//! platform: found by code or by name in any of its three languages.

use ordo_db::{DirectoryEntry, PlatformTx};
use ordo_domain::TenantStatus;

/// An administration mail can be sent to now: in the directory, and active.
pub async fn reachable(
    tx: &PlatformTx,
    code: &str,
) -> Result<Option<DirectoryEntry>, ordo_db::DbError> {
    let Some(entry) = tx.directory().find(code).await? else {
        return Ok(None);
    };
    let active = tx
        .tenants()
        .find_by_id(entry.tenant_id)
        .await?
        .is_some_and(|t| t.status == TenantStatus::Active);
    Ok(active.then_some(entry))
}

/// The entries whose code or name (fr, ar, en) holds `query`, ignoring case;
/// every entry for an empty query.
pub fn search<'e>(entries: &'e [DirectoryEntry], query: &str) -> Vec<&'e DirectoryEntry> {
    let wanted = query.trim().to_lowercase();
    entries
        .iter()
        .filter(|e| {
            wanted.is_empty()
                || e.code.to_lowercase().contains(&wanted)
                || e.name.fr.to_lowercase().contains(&wanted)
                || e.name.ar.to_lowercase().contains(&wanted)
                || e.name.en.to_lowercase().contains(&wanted)
        })
        .collect()
}
