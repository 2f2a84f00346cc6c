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
    /// Dispatch a registered item from the bureau d'ordre (the first *imputation*).
    DispatchMail,
    /// Read the dashboard: the whole administration's, or a unit head's own part.
    ViewStatistics,
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
        Action::DispatchMail => any(&[Role::BureauOrdre, Role::TenantAdmin]),
        Action::ViewStatistics => any(&[
            Role::TenantAdmin,
            Role::BureauOrdre,
            Role::Auditor,
            Role::UnitHead,
        ]),
    }
}

/// How close a person stands to an item through its dispatches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// No dispatch of the item names the person or their unit.
    None,
    /// A dispatch names the person's unit.
    UnitMember,
    /// A dispatch names the unit the person heads.
    UnitHead,
    /// A dispatch names the person.
    Named,
}

/// Whether a person may see an item (and its documents), from their roles and their
/// reach. The register's readers see by confidentiality ([`may_see`]); others see what
/// was dispatched to them: a normal item by anyone of the unit it was sent to, a
/// confidential one by the person named or the unit's head, a secret one by the
/// person named only.
pub fn may_see_item(roles: &RoleSet, confidentiality: Confidentiality, reach: Reach) -> bool {
    may_see(roles, confidentiality)
        || match confidentiality {
            Confidentiality::Normal => reach >= Reach::UnitMember,
            Confidentiality::Confidential => reach >= Reach::UnitHead,
            Confidentiality::Secret => reach == Reach::Named,
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
        assert!(allows(&secretariat, Action::DispatchMail));
        assert!(!allows(&agent, Action::DispatchMail));
    }

    #[test]
    fn a_dispatch_opens_an_item_as_far_as_its_confidentiality_allows() {
        let agent = RoleSet::new([Role::Agent]);
        let head = RoleSet::new([Role::UnitHead]);
        let normal = Confidentiality::Normal;
        let confidential = Confidentiality::Confidential;
        let secret = Confidentiality::Secret;
        assert!(!may_see_item(&agent, normal, Reach::None));
        assert!(may_see_item(&agent, normal, Reach::UnitMember));
        assert!(!may_see_item(&agent, confidential, Reach::UnitMember));
        assert!(may_see_item(&head, confidential, Reach::UnitHead));
        assert!(!may_see_item(&head, secret, Reach::UnitHead));
        assert!(may_see_item(&agent, secret, Reach::Named));
        let auditor = RoleSet::new([Role::Auditor]);
        assert!(!may_see_item(&auditor, secret, Reach::None));
    }
}
