//! The dispatch and processing part of an item's page: who it was sent to and where
//! each dispatch stands, the notes the reader may read, and the forms of the acts
//! the reader may do now. The acts themselves are handled by the dispatch service;
//! this only reads, and offers a form exactly when the domain's rules allow the act.

use std::collections::HashMap;

use ordo_db::{ItemRecord, TenantTx};
use ordo_domain::{
    ItemStatus, Locale, Role, TimeZone,
    dispatch::{DispatchStatus, Outcome, Purpose, Step, Target, handles, may_pass_on},
    organisation::is_within,
    permissions::Action,
};
use ordo_web::{AppError, CurrentUser};
use serde::Serialize;
use uuid::Uuid;

use crate::pages::local_time;

#[derive(Debug, Serialize)]
struct DispatchView {
    id: Uuid,
    purpose: &'static str,
    to: String,
    status: &'static str,
    outcome: Option<&'static str>,
    due_on: Option<String>,
    instructions: String,
    reason: Option<String>,
    by: String,
    at: String,
    passed_on_from: bool,
    can_accept: bool,
    can_return: bool,
    can_start: bool,
    can_close: bool,
    can_reopen: bool,
    can_pass_on: bool,
    can_acknowledge: bool,
}

#[derive(Debug, Serialize)]
struct TargetOption {
    key: String,
    label: String,
}

#[derive(Debug, Serialize)]
struct NoteView {
    author: String,
    at: String,
    visibility: &'static str,
    body: String,
}

/// Everything the item page shows and offers about dispatch and processing.
#[derive(Debug, Serialize)]
pub(crate) struct Panel {
    dispatches: Vec<DispatchView>,
    can_dispatch: bool,
    needs_responsible: bool,
    has_template: bool,
    targets: Vec<TargetOption>,
    pass_on_targets: Vec<TargetOption>,
    default_due_on: String,
    notes: Vec<NoteView>,
    following: bool,
    can_reply: bool,
    outcomes: Vec<&'static str>,
}

pub(crate) async fn panel(
    tx: &TenantTx,
    current: &CurrentUser,
    item: &ItemRecord,
    people: &[ordo_db::UserRecord],
    locale: Locale,
    zone: TimeZone,
) -> Result<Panel, AppError> {
    let me = current.user.id;
    let my_unit = current.user.unit_id;
    let head = current.has_role(Role::UnitHead);
    let registered = item.status == ItemStatus::Registered;
    let units = tx.units().list().await?;
    let unit_name: HashMap<Uuid, String> = units
        .iter()
        .map(|u| (u.id, u.name.get(locale).to_owned()))
        .collect();
    let person_name: HashMap<Uuid, String> = people
        .iter()
        .map(|p| (p.id, p.display_name.clone()))
        .collect();
    let name_of = |target: Target| match target {
        Target::Unit(id) => unit_name.get(&id).cloned().unwrap_or_default(),
        Target::Person(id) => person_name.get(&id).cloned().unwrap_or_default(),
    };

    let records = tx.dispatches().for_item(item.id).await?;
    let responsible = records
        .iter()
        .find(|d| d.purpose == Purpose::Action && DispatchStatus::HOLDING.contains(&d.status));
    let may_step = |target: Target, purpose: Purpose, status: DispatchStatus, step: Step| {
        registered && handles(target, me, my_unit, head) && step.apply(purpose, status).is_ok()
    };
    let dispatches = records
        .iter()
        .map(|d| {
            let can = |step| may_step(d.target, d.purpose, d.status, step);
            DispatchView {
                id: d.id,
                purpose: d.purpose.code(),
                to: name_of(d.target),
                status: d.status.code(),
                outcome: d.outcome.map(Outcome::code),
                due_on: d.due_on.map(|day| day.format("%d/%m/%Y").to_string()),
                instructions: d.instructions.clone(),
                reason: d.reason.clone(),
                by: person_name
                    .get(&d.dispatched_by)
                    .cloned()
                    .unwrap_or_default(),
                at: local_time(d.dispatched_at, zone),
                passed_on_from: d.parent_id.is_some(),
                can_accept: can(Step::Accept),
                can_return: can(Step::Return),
                can_start: can(Step::Start),
                can_close: can(Step::Close(Outcome::Answered)),
                can_reopen: registered
                    && d.status == DispatchStatus::Closed
                    && (handles(d.target, me, my_unit, head) || current.may(Action::DispatchMail)),
                can_pass_on: registered
                    && head
                    && d.purpose == Purpose::Action
                    && may_pass_on(d.status)
                    && handles(d.target, me, my_unit, head),
                can_acknowledge: can(Step::Acknowledge),
            }
        })
        .collect::<Vec<_>>();

    let can_dispatch = registered && current.may(Action::DispatchMail);
    let targets = if can_dispatch {
        units
            .iter()
            .map(|u| TargetOption {
                key: Target::Unit(u.id).key(),
                label: format!("{} — {}", u.code, u.name.get(locale)),
            })
            .chain(people.iter().map(|p| TargetOption {
                key: Target::Person(p.id).key(),
                label: person_label(p, &units),
            }))
            .collect()
    } else {
        Vec::new()
    };
    let pass_on_targets = match my_unit.filter(|_| dispatches.iter().any(|d| d.can_pass_on)) {
        Some(root) => {
            let parents: HashMap<Uuid, Option<Uuid>> =
                units.iter().map(|u| (u.id, u.parent_id)).collect();
            units
                .iter()
                .filter(|u| u.id != root && is_within(&parents, u.id, root))
                .map(|u| TargetOption {
                    key: Target::Unit(u.id).key(),
                    label: format!("{} — {}", u.code, u.name.get(locale)),
                })
                .chain(
                    people
                        .iter()
                        .filter(|p| p.unit_id.is_some_and(|u| is_within(&parents, u, root)))
                        .map(|p| TargetOption {
                            key: Target::Person(p.id).key(),
                            label: person_label(p, &units),
                        }),
                )
                .collect()
        }
        None => Vec::new(),
    };
    let has_template = can_dispatch
        && responsible.is_none()
        && tx
            .dispatches()
            .templates()
            .await?
            .iter()
            .any(|line| line.nature == item.content.nature && line.purpose == Purpose::Action);
    let notes = tx
        .notes()
        .for_item(item.id)
        .await?
        .into_iter()
        .filter(|n| {
            n.visibility.shows_to(
                n.author_id == me,
                n.unit_id.is_some() && n.unit_id == my_unit,
            )
        })
        .map(|n| NoteView {
            author: person_name.get(&n.author_id).cloned().unwrap_or_default(),
            at: local_time(n.created_at, zone),
            visibility: n.visibility.code(),
            body: n.body,
        })
        .collect();
    let following = tx.dispatches().is_following(item.id, me).await?;
    let can_reply = registered
        && (responsible
            .is_some_and(|d| d.status.is_open() && handles(d.target, me, my_unit, head))
            || current.may(Action::RegisterMail));
    Ok(Panel {
        dispatches,
        can_dispatch,
        needs_responsible: responsible.is_none(),
        has_template,
        targets,
        pass_on_targets,
        default_due_on: item
            .due_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        notes,
        following,
        can_reply,
        outcomes: Outcome::ALL.iter().map(|o| o.code()).collect(),
    })
}

fn person_label(person: &ordo_db::UserRecord, units: &[ordo_db::UnitRecord]) -> String {
    let unit = person
        .unit_id
        .and_then(|id| units.iter().find(|u| u.id == id))
        .map(|u| u.code.as_str())
        .unwrap_or_default();
    format!("{} ({unit})", person.display_name)
}
