//! The directory of administrations that accept electronic mail: those of this
//! platform (`directory_entries`, made at their creation) and those of other
//! platforms (`remote_administrations`, added by the operator with their
//! platform's address and certificate). Found by code or by name in any of the
//! three languages.

use ordo_db::{DirectoryEntry, DirectoryUnit, PlatformTx, RemoteAdministration};
use ordo_domain::{LocalizedName, TenantStatus};

/// An administration the exchange can reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counterpart {
    /// On this platform: its envelopes are received in-process.
    Local(DirectoryEntry),
    /// On another platform, reached over HTTPS with mutual TLS.
    Remote(RemoteAdministration),
}

impl Counterpart {
    pub fn code(&self) -> &str {
        match self {
            Self::Local(entry) => &entry.code,
            Self::Remote(entry) => &entry.code,
        }
    }

    pub fn name(&self) -> &LocalizedName {
        match self {
            Self::Local(entry) => &entry.name,
            Self::Remote(entry) => &entry.name,
        }
    }

    /// The certificate that checks its seal.
    pub fn certificate_pem(&self) -> &str {
        match self {
            Self::Local(entry) => &entry.certificate_pem,
            Self::Remote(entry) => &entry.certificate_pem,
        }
    }

    pub fn level(&self) -> ordo_domain::AdministrationLevel {
        match self {
            Self::Local(entry) => entry.level,
            Self::Remote(entry) => entry.level,
        }
    }
}

/// The administration with `code`, here or elsewhere.
pub async fn find(tx: &PlatformTx, code: &str) -> Result<Option<Counterpart>, ordo_db::DbError> {
    if let Some(entry) = tx.directory().find(code).await? {
        return Ok(Some(Counterpart::Local(entry)));
    }
    Ok(tx
        .remote_administrations()
        .find(code)
        .await?
        .map(Counterpart::Remote))
}

/// An administration of this platform that takes mail now: in the directory, and
/// active (a suspended one's senders are told so).
pub async fn local_reachable(
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

/// An administration mail can be sent to now: an active one of this platform, or
/// one of another platform (which answers for itself).
pub async fn reachable(
    tx: &PlatformTx,
    code: &str,
) -> Result<Option<Counterpart>, ordo_db::DbError> {
    if let Some(entry) = local_reachable(tx, code).await? {
        return Ok(Some(Counterpart::Local(entry)));
    }
    if tx.directory().find(code).await?.is_some() {
        return Ok(None);
    }
    Ok(tx
        .remote_administrations()
        .find(code)
        .await?
        .map(Counterpart::Remote))
}

/// Every administration of the directory, this platform's first.
pub async fn all(tx: &PlatformTx) -> Result<Vec<Counterpart>, ordo_db::DbError> {
    let mut entries: Vec<Counterpart> = tx
        .directory()
        .list()
        .await?
        .into_iter()
        .map(Counterpart::Local)
        .collect();
    entries.extend(
        tx.remote_administrations()
            .list()
            .await?
            .into_iter()
            .map(Counterpart::Remote),
    );
    Ok(entries)
}

/// The units each administration of this platform shows, by its code.
pub async fn units(
    tx: &PlatformTx,
) -> Result<std::collections::HashMap<String, Vec<DirectoryUnit>>, ordo_db::DbError> {
    let codes: std::collections::HashMap<_, _> = tx
        .directory()
        .list()
        .await?
        .into_iter()
        .map(|e| (e.tenant_id, e.code))
        .collect();
    let mut units: std::collections::HashMap<String, Vec<DirectoryUnit>> =
        std::collections::HashMap::new();
    for (tenant, unit) in tx.directory().units(None).await? {
        if let Some(code) = codes.get(&tenant) {
            units.entry(code.clone()).or_default().push(unit);
        }
    }
    Ok(units)
}

/// The entries whose code or name (fr, ar, en) holds `query`, ignoring case;
/// every entry for an empty query.
pub fn search<'e>(entries: &'e [Counterpart], query: &str) -> Vec<&'e Counterpart> {
    let wanted = query.trim().to_lowercase();
    entries
        .iter()
        .filter(|e| {
            let name = e.name();
            wanted.is_empty()
                || e.code().to_lowercase().contains(&wanted)
                || name.fr.to_lowercase().contains(&wanted)
                || name.ar.to_lowercase().contains(&wanted)
                || name.en.to_lowercase().contains(&wanted)
        })
        .collect()
}
