//! Sign-in through an administration's own identity provider (OpenID Connect): its
//! settings, and how the groups or roles its tokens carry map to Ordo's roles.

use crate::{InvalidInput, Reason, Role, RoleSet};

/// One line of a mapping: people with this group (or role) in the provider's claim
/// get these Ordo roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRule {
    pub group: String,
    pub roles: RoleSet,
}

/// How the provider's groups map to Ordo roles, written one rule a line:
/// `group = role, role`. Lines starting with `#` are comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMapping {
    pub rules: Vec<RoleRule>,
}

impl RoleMapping {
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        let refused = || InvalidInput::new("role_mapping", Reason::UnknownValue);
        let mut rules = Vec::new();
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (group, roles) = line.split_once('=').ok_or_else(refused)?;
            let group = group.trim();
            let roles = roles
                .split(',')
                .map(|r| r.trim().parse::<Role>().map_err(|_| refused()))
                .collect::<Result<Vec<_>, _>>()?;
            if group.is_empty() || roles.is_empty() {
                return Err(refused());
            }
            rules.push(RoleRule {
                group: group.to_owned(),
                roles: RoleSet::new(roles),
            });
        }
        if rules.is_empty() {
            return Err(InvalidInput::new("role_mapping", Reason::Required));
        }
        Ok(Self { rules })
    }

    /// The mapping as the settings form shows it.
    pub fn to_text(&self) -> String {
        self.rules
            .iter()
            .map(|rule| {
                let roles: Vec<&str> = rule.roles.iter().map(Role::as_str).collect();
                format!("{} = {}", rule.group, roles.join(", "))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The roles of a person whose claim holds `groups`: those of every rule that
    /// matches. Empty when none does: the person may not sign in.
    pub fn roles_for(&self, groups: &[String]) -> RoleSet {
        RoleSet::new(
            self.rules
                .iter()
                .filter(|rule| groups.iter().any(|g| g == &rule.group))
                .flat_map(|rule| rule.roles.iter()),
        )
    }
}

/// An issuer: an `https://` URL, or `http://` on loopback (tests, the demo).
pub fn parse_issuer(raw: &str) -> Result<String, InvalidInput> {
    let issuer = raw.trim().trim_end_matches('/');
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| issuer.starts_with(prefix));
    if (issuer.starts_with("https://") && issuer.len() > "https://".len()) || loopback {
        Ok(issuer.to_owned())
    } else {
        Err(InvalidInput::new("issuer", Reason::UnknownValue))
    }
}

/// A claim's name: letters, digits, `_`, `-`, `.`, `:` and `/` (URIs name claims too).
pub fn parse_claim_name(field: &'static str, raw: &str) -> Result<String, InvalidInput> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(InvalidInput::new(field, Reason::Required));
    }
    if name.len() > 200
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c))
    {
        return Err(InvalidInput::new(field, Reason::BadCharacters));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_map_to_roles_and_unknown_groups_to_none() {
        let mapping = RoleMapping::parse(
            "# the ministry's directory groups\nmmg-chefs = unit_head, agent\nmmg-agents = agent\nmmg-courrier = bureau_ordre",
        )
        .unwrap_or_default();
        assert_eq!(mapping.rules.len(), 3);
        let roles = mapping.roles_for(&["mmg-agents".to_owned(), "mmg-courrier".to_owned()]);
        assert!(roles.contains(Role::Agent) && roles.contains(Role::BureauOrdre));
        assert!(!roles.contains(Role::UnitHead));
        assert!(mapping.roles_for(&["public".to_owned()]).is_empty());
        assert_eq!(RoleMapping::parse(&mapping.to_text()), Ok(mapping));
    }

    #[test]
    fn a_bad_mapping_or_issuer_is_refused() {
        assert!(RoleMapping::parse("mmg-chefs = emperor").is_err());
        assert!(RoleMapping::parse("no equals sign").is_err());
        assert!(RoleMapping::parse("\n# only comments\n").is_err());
        assert!(parse_issuer("http://idp.example.org").is_err());
        assert!(parse_issuer("https://idp.gouv.gn/realms/mmg/").is_ok());
        assert!(parse_issuer("http://127.0.0.1:8443").is_ok());
        assert!(parse_claim_name("roles_claim", "groups").is_ok());
        assert!(parse_claim_name("roles_claim", "gro ups").is_err());
    }
}
