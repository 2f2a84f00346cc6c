//! Inboxes: what waits for a person or for their unit, box by box, with counts.
//! Each box is a query over dispatches (or items, for the bureau d'ordre's boxes);
//! the page and the API read the same [`Inbox`].

use std::collections::HashMap;

use chrono::NaiveDate;
use ordo_db::{DbError, DispatchRecord, InboxClause, ItemRecord, TenantTx};
use ordo_domain::{
    Role,
    dispatch::{DispatchStatus, Purpose, Target},
    organisation::is_within,
    permissions::Action,
};
use ordo_web::CurrentUser;
use uuid::Uuid;

/// How many rows a box shows; a search narrows the rest.
pub const BOX_LIMIT: u64 = 300;

/// One of a person's inboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxKind {
    /// Drafts waiting to be registered (the bureau d'ordre).
    ToRegister,
    /// Registered items nobody is responsible for yet (the bureau d'ordre), and
    /// items sent to the unit one heads.
    ToDispatch,
    /// Items one is responsible for.
    ToProcess,
    Information,
    Opinion,
    /// Items one is responsible for, past their due date.
    Overdue,
    /// Everything open in the part of the tree one heads.
    Unit,
    Followed,
}

impl InboxKind {
    pub const ALL: [Self; 8] = [
        Self::ToRegister,
        Self::ToDispatch,
        Self::ToProcess,
        Self::Information,
        Self::Opinion,
        Self::Overdue,
        Self::Unit,
        Self::Followed,
    ];

    /// The code in the API and in catalog keys.
    pub fn code(self) -> &'static str {
        match self {
            Self::ToRegister => "to_register",
            Self::ToDispatch => "to_dispatch",
            Self::ToProcess => "to_process",
            Self::Information => "information",
            Self::Opinion => "opinion",
            Self::Overdue => "overdue",
            Self::Unit => "unit",
            Self::Followed => "followed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw)
    }
}

/// Who is looking, as the inbox queries need it.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: Uuid,
    pub unit: Option<Uuid>,
    pub heads_unit: bool,
    pub registers: bool,
    pub dispatches: bool,
}

impl Viewer {
    pub fn of(current: &CurrentUser) -> Self {
        Self {
            id: current.user.id,
            unit: current.user.unit_id,
            heads_unit: current.has_role(Role::UnitHead) && current.user.unit_id.is_some(),
            registers: current.may(Action::RegisterMail),
            dispatches: current.may(Action::DispatchMail),
        }
    }

    /// The boxes this person has.
    pub fn kinds(&self) -> Vec<InboxKind> {
        InboxKind::ALL
            .into_iter()
            .filter(|kind| match kind {
                InboxKind::ToRegister => self.registers,
                InboxKind::ToDispatch => self.dispatches || self.heads_unit,
                InboxKind::Unit => self.heads_unit,
                _ => true,
            })
            .collect()
    }

    fn headed_unit(&self) -> Vec<Uuid> {
        self.unit.filter(|_| self.heads_unit).into_iter().collect()
    }
}

const OPEN: [DispatchStatus; 3] = [
    DispatchStatus::Sent,
    DispatchStatus::Accepted,
    DispatchStatus::InProgress,
];

/// The part of the tree a head sees in the unit box: their unit and those below,
/// and the people in them.
#[derive(Debug)]
pub struct Subtree {
    pub units: Vec<Uuid>,
    pub people: Vec<Uuid>,
}

impl Subtree {
    pub async fn load(tx: &TenantTx, root: Uuid) -> Result<Self, DbError> {
        let units = tx.units().list().await?;
        let parents: HashMap<Uuid, Option<Uuid>> =
            units.iter().map(|u| (u.id, u.parent_id)).collect();
        let inside: Vec<Uuid> = units
            .iter()
            .map(|u| u.id)
            .filter(|id| is_within(&parents, *id, root))
            .collect();
        let people = tx
            .users()
            .list()
            .await?
            .into_iter()
            .filter(|p| p.unit_id.is_some_and(|u| inside.contains(&u)))
            .map(|p| p.id)
            .collect();
        Ok(Self {
            units: inside,
            people,
        })
    }
}

/// The dispatch queries of a box; `None` for the boxes that are not about dispatches.
fn clauses(
    kind: InboxKind,
    viewer: &Viewer,
    today: NaiveDate,
    subtree: Option<&Subtree>,
) -> Option<Vec<InboxClause>> {
    let me = vec![viewer.id];
    let clause = |purposes: &[Purpose], statuses: &[DispatchStatus], people, units| InboxClause {
        purposes: purposes.to_vec(),
        statuses: statuses.to_vec(),
        people,
        units,
        due_before: None,
    };
    let action = &[Purpose::Action];
    Some(match kind {
        InboxKind::ToRegister | InboxKind::Followed => return None,
        InboxKind::ToDispatch => vec![clause(
            action,
            &[DispatchStatus::Sent],
            Vec::new(),
            viewer.headed_unit(),
        )],
        InboxKind::ToProcess => vec![
            clause(action, &OPEN, me, Vec::new()),
            clause(
                action,
                &[DispatchStatus::Accepted, DispatchStatus::InProgress],
                Vec::new(),
                viewer.headed_unit(),
            ),
        ],
        InboxKind::Information => vec![clause(
            &[Purpose::Information],
            &[DispatchStatus::Sent],
            me,
            viewer.unit.into_iter().collect(),
        )],
        InboxKind::Opinion => vec![clause(
            &[Purpose::Opinion],
            &[DispatchStatus::Sent],
            me,
            viewer.headed_unit(),
        )],
        InboxKind::Overdue => vec![InboxClause {
            due_before: Some(today),
            ..clause(action, &OPEN, me, viewer.headed_unit())
        }],
        InboxKind::Unit => {
            let subtree = subtree?;
            vec![clause(
                action,
                &OPEN,
                subtree.people.clone(),
                subtree.units.clone(),
            )]
        }
    })
}

/// A row of a box: an item, and the dispatch that put it there (if any).
#[derive(Debug, Clone)]
pub struct InboxRow {
    pub item: ItemRecord,
    pub dispatch: Option<DispatchRecord>,
}

impl InboxRow {
    /// The day it is due: the dispatch's, else the item's.
    pub fn due_on(&self) -> Option<NaiveDate> {
        self.dispatch
            .as_ref()
            .and_then(|d| d.due_on)
            .or(self.item.due_on)
    }

    pub fn target(&self) -> Option<Target> {
        self.dispatch.as_ref().map(|d| d.target)
    }
}

/// How a box is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Soonest due first (undated last).
    #[default]
    Due,
    /// Latest received first.
    Received,
    /// Latest number first.
    Number,
}

impl Sort {
    pub fn parse(raw: &str) -> Self {
        match raw {
            "reception" | "received" => Self::Received,
            "numero" | "number" => Self::Number,
            _ => Self::Due,
        }
    }
}

/// A person's inboxes: the count of each, and the rows of the one open.
#[derive(Debug)]
pub struct Inbox {
    pub counts: Vec<(InboxKind, u64)>,
    pub kind: InboxKind,
    pub rows: Vec<InboxRow>,
}

/// Reads the counts of every box the viewer has and the rows of `kind`, filtered by
/// the words of `text` and sorted.
pub async fn read(
    tx: &TenantTx,
    viewer: &Viewer,
    kind: InboxKind,
    today: NaiveDate,
    text: &str,
    sort: Sort,
) -> Result<Inbox, DbError> {
    let subtree = match viewer.unit.filter(|_| viewer.heads_unit) {
        Some(unit) => Some(Subtree::load(tx, unit).await?),
        None => None,
    };
    let mut counts = Vec::new();
    for each in viewer.kinds() {
        let mut count = match clauses(each, viewer, today, subtree.as_ref()) {
            Some(clauses) => tx.dispatches().count(&clauses).await?,
            None if each == InboxKind::Followed => {
                tx.dispatches().count_followed(viewer.id).await?
            }
            None => 0,
        };
        count += match each {
            InboxKind::ToRegister => tx.items().count_drafts().await?,
            InboxKind::ToDispatch if viewer.dispatches => {
                tx.items().count_awaiting_dispatch().await?
            }
            _ => 0,
        };
        counts.push((each, count));
    }
    let kind = if viewer.kinds().contains(&kind) {
        kind
    } else {
        InboxKind::ToProcess
    };

    let mut rows = Vec::new();
    if let Some(clauses) = clauses(kind, viewer, today, subtree.as_ref()) {
        let dispatches = tx.dispatches().inbox(&clauses, BOX_LIMIT).await?;
        let ids: Vec<Uuid> = dispatches.iter().map(|d| d.item_id).collect();
        let items: HashMap<Uuid, ItemRecord> = tx
            .items()
            .find_many(&ids)
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        rows.extend(dispatches.into_iter().filter_map(|d| {
            items.get(&d.item_id).cloned().map(|item| InboxRow {
                item,
                dispatch: Some(d),
            })
        }));
    }
    match kind {
        InboxKind::ToDispatch if viewer.dispatches => {
            let waiting = tx.items().awaiting_dispatch(BOX_LIMIT).await?;
            rows.extend(waiting.into_iter().map(|item| InboxRow {
                item,
                dispatch: None,
            }));
        }
        InboxKind::ToRegister => {
            for register in tx.registers().list().await? {
                let drafts = tx.items().drafts(register.id).await?;
                rows.extend(drafts.into_iter().map(|item| InboxRow {
                    item,
                    dispatch: None,
                }));
            }
        }
        InboxKind::Followed => {
            let ids = tx.dispatches().followed(viewer.id, BOX_LIMIT).await?;
            let items = tx.items().find_many(&ids).await?;
            rows.extend(items.into_iter().map(|item| InboxRow {
                item,
                dispatch: None,
            }));
        }
        _ => {}
    }

    let words: Vec<String> = text
        .split_whitespace()
        .map(str::to_lowercase)
        .take(8)
        .collect();
    rows.retain(|row| {
        let c = &row.item.content;
        let haystack = format!(
            "{} {} {}",
            row.item.number.as_deref().unwrap_or_default(),
            c.subject,
            c.sender
        )
        .to_lowercase();
        words.iter().all(|w| haystack.contains(w.as_str()))
    });
    match sort {
        Sort::Due => rows.sort_by_key(|r| (r.due_on().is_none(), r.due_on(), r.item.received_at)),
        Sort::Received => rows.sort_by_key(|r| std::cmp::Reverse(r.item.received_at)),
        Sort::Number => rows
            .sort_by_key(|r| std::cmp::Reverse((r.item.year, r.item.sequence, r.item.received_at))),
    }
    Ok(Inbox { counts, kind, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(heads_unit: bool, dispatches: bool) -> Viewer {
        Viewer {
            id: Uuid::now_v7(),
            unit: Some(Uuid::now_v7()),
            heads_unit,
            registers: dispatches,
            dispatches,
        }
    }

    #[test]
    fn each_person_has_the_boxes_of_their_work() {
        let agent = viewer(false, false).kinds();
        assert!(!agent.contains(&InboxKind::ToDispatch) && !agent.contains(&InboxKind::Unit));
        assert!(agent.contains(&InboxKind::ToProcess) && agent.contains(&InboxKind::Overdue));
        let head = viewer(true, false).kinds();
        assert!(head.contains(&InboxKind::ToDispatch) && head.contains(&InboxKind::Unit));
        assert!(!head.contains(&InboxKind::ToRegister));
        let secretariat = viewer(false, true).kinds();
        assert!(secretariat.contains(&InboxKind::ToRegister));
    }

    #[test]
    fn an_agent_never_queries_a_unit_they_do_not_head() {
        let agent = viewer(false, false);
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
        let to_process = clauses(InboxKind::ToProcess, &agent, today, None).unwrap_or_default();
        assert!(to_process.iter().all(|c| c.units.is_empty()));
        let overdue = clauses(InboxKind::Overdue, &agent, today, None).unwrap_or_default();
        assert_eq!(overdue.first().and_then(|c| c.due_before), Some(today));
        assert!(clauses(InboxKind::Unit, &agent, today, None).is_none());
    }
}
