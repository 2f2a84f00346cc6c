//! Who may do what: decided here, in one place, from a person's roles. Handlers ask
//! `allows(roles, action)`; none compares role names itself.

use crate::{Confidentiality, Role, RoleSet};

/// Something a person of an administration asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Register incoming, outgoing or internal mail.
    RegisterMail,
    /// Browse a register and open its items.
    ViewRegister,
    /// Read the audit journal and verify its chain.
    ReadJournal,
    /// Correct a registered item (a new version with a reason) or cancel its
    /// registration (the number stays taken, with the reason).
    AmendRegistration,
    /// Add and classify correspondents in the directory.
    ManageDirectory,
    /// Set the administration's natures, priorities, processing times and limits.
    ConfigureRegistry,
    /// Manage the administration's units and people.
    ManageOrganisation,
}

/// Whether `roles` allow `action`.
pub fn allows(roles: &RoleSet, action: Action) -> bool {
    let any = |wanted: &[Role]| wanted.iter().any(|role| roles.contains(*role));
    match action {
        Action::RegisterMail => any(&[Role::BureauOrdre, Role::TenantAdmin]),
        Action::ViewRegister => any(&[Role::BureauOrdre, Role::TenantAdmin, Role::Auditor]),
        Action::ReadJournal => any(&[Role::Auditor, Role::TenantAdmin]),
        Action::AmendRegistration | Action::ManageDirectory => {
            any(&[Role::BureauOrdre, Role::TenantAdmin])
        }
        Action::ConfigureRegistry | Action::ManageOrganisation => any(&[Role::TenantAdmin]),
    }
}

/// Whether `roles` may see an item of this confidentiality in the register. Until
/// dispatch brings per-item access, confidential and secret items are shown to the
/// bureau d'ordre and the administrator only.
pub fn may_see(roles: &RoleSet, confidentiality: Confidentiality) -> bool {
    match confidentiality {
        Confidentiality::Normal => allows(roles, Action::ViewRegister),
        Confidentiality::Confidential | Confidentiality::Secret => {
            roles.contains(Role::BureauOrdre) || roles.contains(Role::TenantAdmin)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_what_it_needs_only() {
        let secretariat = RoleSet::new([Role::BureauOrdre]);
        let auditor = RoleSet::new([Role::Auditor]);
        let agent = RoleSet::new([Role::Agent]);
        assert!(allows(&secretariat, Action::RegisterMail));
        assert!(!allows(&auditor, Action::RegisterMail));
        assert!(allows(&auditor, Action::ReadJournal) && allows(&auditor, Action::ViewRegister));
        assert!(!allows(&agent, Action::ViewRegister));
        assert!(!allows(&secretariat, Action::ReadJournal));
        assert!(allows(&secretariat, Action::AmendRegistration));
        assert!(!allows(&auditor, Action::AmendRegistration));
        assert!(!allows(&secretariat, Action::ConfigureRegistry));
        assert!(may_see(&auditor, Confidentiality::Normal));
        assert!(!may_see(&auditor, Confidentiality::Secret));
        assert!(may_see(&secretariat, Confidentiality::Secret));
    }
}
