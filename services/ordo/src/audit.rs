//! `ordo audit verify --tenant CODE`: walks an administration's journal and checks
//! that every entry is chained to the one before it.

use ordo_db::Database;
use ordo_domain::{TenantCode, journal::ChainBreak};

/// What the verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub tenant: TenantCode,
    pub outcome: Result<u64, ChainBreak>,
}

impl Verdict {
    pub fn is_intact(&self) -> bool {
        self.outcome.is_ok()
    }

    /// One line for the operator or the auditor.
    pub fn describe(&self) -> String {
        match &self.outcome {
            Ok(1) => format!("journal of {}: intact, 1 entry", self.tenant),
            Ok(count) => format!("journal of {}: intact, {count} entries", self.tenant),
            Err(ChainBreak::OutOfSequence { expected, found }) => format!(
                "journal of {}: BROKEN at entry {expected}: found entry {found} instead (an entry was deleted, inserted or moved)",
                self.tenant
            ),
            Err(ChainBreak::WrongLink { sequence }) => format!(
                "journal of {}: BROKEN at entry {sequence}: it does not link to the entry before it (entries were removed and renumbered)",
                self.tenant
            ),
            Err(ChainBreak::Truncated { recorded, found }) => format!(
                "journal of {}: BROKEN after entry {found}: the journal recorded {recorded} entries (the last ones were removed)",
                self.tenant
            ),
            Err(ChainBreak::WrongHash { sequence }) => format!(
                "journal of {}: BROKEN at entry {sequence}: its content no longer matches its hash (it was edited)",
                self.tenant
            ),
        }
    }
}

pub async fn verify(db: &Database, code: &str) -> anyhow::Result<Verdict> {
    let code = TenantCode::parse(code)?;
    let platform = db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    let tenant = tenant.ok_or_else(|| anyhow::anyhow!("no administration has the code {code}"))?;
    let outcome = db.verify_journal(tenant.id).await?;
    Ok(Verdict {
        tenant: code,
        outcome,
    })
}
