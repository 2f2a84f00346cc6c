use std::{fmt, str::FromStr};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::validation::{InvalidInput, Reason, check_length};

/// What a person may do inside an administration. Permissions are decided from these
/// in one place (the web layer's `Principal`), never by scattered string compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    TenantAdmin,
    BureauOrdre,
    UnitHead,
    Agent,
    Signatory,
    Auditor,
}

impl Role {
    pub const ALL: [Self; 6] = [
        Self::TenantAdmin,
        Self::BureauOrdre,
        Self::UnitHead,
        Self::Agent,
        Self::Signatory,
        Self::Auditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::TenantAdmin => "tenant_admin",
            Self::BureauOrdre => "bureau_ordre",
            Self::UnitHead => "unit_head",
            Self::Agent => "agent",
            Self::Signatory => "signatory",
            Self::Auditor => "auditor",
        }
    }
}

impl FromStr for Role {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == s.trim())
            .ok_or(InvalidInput::new("roles", Reason::UnknownValue))
    }
}

/// A user's roles, stored as a comma-separated list so both databases hold it alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleSet(Vec<Role>);

impl RoleSet {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        let mut roles: Vec<Role> = roles.into_iter().collect();
        roles.sort_by_key(|role| Role::ALL.iter().position(|r| r == role));
        roles.dedup();
        Self(roles)
    }

    pub fn parse(stored: &str) -> Result<Self, InvalidInput> {
        stored
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(Self::new)
    }

    /// The roles ticked in a form or listed in a file: at least one, each known.
    pub fn from_chosen<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Self, InvalidInput> {
        let roles = codes
            .into_iter()
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Role>, _>>()?;
        if roles.is_empty() {
            return Err(InvalidInput::new("roles", Reason::Required));
        }
        Ok(Self::new(roles))
    }

    pub fn contains(&self, role: Role) -> bool {
        self.0.contains(&role)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = Role> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for RoleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joined: Vec<&str> = self.0.iter().map(|r| r.as_str()).collect();
        f.write_str(&joined.join(","))
    }
}

/// A sign-in name: lower-case letters, digits, `.`, `-` and `_`, 2 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Login(String);

impl Login {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let login = raw.trim().to_lowercase();
        check_length("login", &login, 2, 64)?;
        if !login
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
        {
            return Err(InvalidInput::new("login", Reason::BadCharacters));
        }
        Ok(Self(login))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Locks an account after repeated failed sign-ins, so passwords cannot be guessed
/// online. Time is passed in: the rule is tested without a clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lock_for: Duration::minutes(15),
        }
    }
}

impl LockoutPolicy {
    pub fn is_locked(&self, locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        locked_until.is_some_and(|until| until > now)
    }

    /// When the account unlocks, if `failures` consecutive failures lock it.
    pub fn lock_after(&self, failures: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        (failures >= self.max_failures).then(|| now + self.lock_for)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_storage() {
        let roles = RoleSet::new([Role::Agent, Role::TenantAdmin, Role::Agent]);
        assert_eq!(roles.to_string(), "tenant_admin,agent");
        assert_eq!(RoleSet::parse(&roles.to_string()), Ok(roles));
        assert!(RoleSet::parse("agent,wizard").is_err());
        assert_eq!(RoleSet::parse(""), Ok(RoleSet::default()));
    }

    #[test]
    fn logins_are_lower_cased_and_checked() {
        assert_eq!(
            Login::parse(" Awa.Diallo ").map(|l| l.to_string()),
            Ok("awa.diallo".to_owned())
        );
        assert!(Login::parse("a b").is_err());
        assert!(Login::parse("x").is_err());
    }

    #[test]
    fn fifth_failure_locks_for_fifteen_minutes() {
        let policy = LockoutPolicy::default();
        let now = DateTime::<Utc>::UNIX_EPOCH;
        for failures in 0..5 {
            assert_eq!(policy.lock_after(failures, now), None);
        }
        let lock = policy.lock_after(5, now);
        assert_eq!(lock, Some(now + Duration::minutes(15)));
        assert!(policy.is_locked(lock, now + Duration::minutes(14)));
        assert!(!policy.is_locked(lock, now + Duration::minutes(15)));
        assert!(!policy.is_locked(None, now));
    }
}
