//! Rules of an administration's tree of units.

use std::collections::HashMap;

use uuid::Uuid;

/// Whether putting `unit` under `new_parent` would make a unit its own ancestor.
/// `parents` maps every unit to its parent.
pub fn would_create_cycle(
    parents: &HashMap<Uuid, Option<Uuid>>,
    unit: Uuid,
    new_parent: Option<Uuid>,
) -> bool {
    let mut next = new_parent;
    // A tree cannot be deeper than its number of units; a longer walk is a cycle.
    for _ in 0..=parents.len() {
        match next {
            None => return false,
            Some(ancestor) if ancestor == unit => return true,
            Some(ancestor) => next = parents.get(&ancestor).copied().flatten(),
        }
    }
    true
}

/// Whether `unit` is `ancestor` or lies below it. `parents` maps every unit to its
/// parent.
pub fn is_within(parents: &HashMap<Uuid, Option<Uuid>>, unit: Uuid, ancestor: Uuid) -> bool {
    let mut next = Some(unit);
    for _ in 0..=parents.len() {
        match next {
            None => return false,
            Some(current) if current == ancestor => return true,
            Some(current) => next = parents.get(&current).copied().flatten(),
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_never_goes_under_itself() {
        let (sg, dnm, service) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let parents = HashMap::from([(sg, None), (dnm, Some(sg)), (service, Some(dnm))]);
        assert!(would_create_cycle(&parents, sg, Some(service)));
        assert!(would_create_cycle(&parents, dnm, Some(dnm)));
        assert!(!would_create_cycle(&parents, service, Some(sg)));
        assert!(!would_create_cycle(&parents, dnm, None));
        assert!(is_within(&parents, service, sg) && is_within(&parents, dnm, dnm));
        assert!(!is_within(&parents, sg, dnm));
    }
}
