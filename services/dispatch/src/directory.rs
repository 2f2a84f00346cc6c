//! An administration's units and people, read once per act: who a dispatch reaches,
//! who hears of its delay, and the names the pages and e-mails show.

use std::collections::HashMap;

use ordo_db::{DbError, TenantTx, UnitRecord, UserRecord};
use ordo_domain::{Locale, Role, dispatch::Target};
use uuid::Uuid;

#[derive(Debug)]
pub struct Directory {
    pub units: Vec<UnitRecord>,
    pub people: Vec<UserRecord>,
}

impl Directory {
    pub async fn load(tx: &TenantTx) -> Result<Self, DbError> {
        Ok(Self {
            units: tx.units().list().await?,
            people: tx.users().list().await?,
        })
    }

    pub fn parents(&self) -> HashMap<Uuid, Option<Uuid>> {
        self.units.iter().map(|u| (u.id, u.parent_id)).collect()
    }

    /// Whether the target is a unit or a person of this administration.
    pub fn knows(&self, target: Target) -> bool {
        match target {
            Target::Unit(id) => self.units.iter().any(|u| u.id == id),
            Target::Person(id) => self.people.iter().any(|p| p.id == id),
        }
    }

    /// The unit a target is in: the unit itself, or the person's.
    pub fn unit_of(&self, target: Target) -> Option<Uuid> {
        match target {
            Target::Unit(id) => Some(id),
            Target::Person(id) => self.people.iter().find(|p| p.id == id)?.unit_id,
        }
    }

    /// Who handles a dispatch to `target`, and is told of it: the person, or the
    /// heads of the unit.
    pub fn reached_by(&self, target: Target) -> Vec<&UserRecord> {
        self.people
            .iter()
            .filter(|p| match target {
                Target::Person(id) => p.id == id,
                Target::Unit(id) => p.unit_id == Some(id) && p.roles.contains(Role::UnitHead),
            })
            .collect()
    }

    /// Who is told of a delay: the heads of the unit the dispatch is in, or, when the
    /// handler heads it (or it was sent to the unit), the heads of the unit above.
    pub fn escalation_heads(&self, target: Target) -> Vec<&UserRecord> {
        let handler = match target {
            Target::Person(id) => Some(id),
            Target::Unit(_) => None,
        };
        let heads_of = |unit: Uuid| -> Vec<&UserRecord> {
            self.people
                .iter()
                .filter(|p| {
                    p.unit_id == Some(unit)
                        && p.roles.contains(Role::UnitHead)
                        && Some(p.id) != handler
                })
                .collect()
        };
        let Some(unit) = self.unit_of(target) else {
            return Vec::new();
        };
        let here = if handler.is_some() {
            heads_of(unit)
        } else {
            Vec::new()
        };
        if !here.is_empty() {
            return here;
        }
        self.units
            .iter()
            .find(|u| u.id == unit)
            .and_then(|u| u.parent_id)
            .map(heads_of)
            .unwrap_or_default()
    }

    pub fn name(&self, target: Target, locale: Locale) -> String {
        match target {
            Target::Unit(id) => self
                .units
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.name.get(locale).to_owned()),
            Target::Person(id) => self
                .people
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.display_name.clone()),
        }
        .unwrap_or_default()
    }
}
