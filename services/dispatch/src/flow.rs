//! The acts of dispatch and processing, shared by the pages and the API. Each checks
//! who may do it, applies the domain's rules, and writes the change, its journal
//! entry and its e-mails (through the outbox) in one transaction: all or nothing.

use crate::directory::Directory;
use chrono::{DateTime, NaiveDate, Utc};
use ordo_db::{
    DbError, DispatchRecord, ItemRecord, NewDispatch, NewNote, OutgoingEmail, StatusChange,
    TemplateLine, TenantTx,
};
use ordo_domain::{
    Confidentiality, InvalidInput, ItemStatus, Reason, Role, check_reason,
    dispatch::{
        DispatchStatus, NoteVisibility, Purpose, Step, Target, check_due_date, handles,
        may_pass_on, parse_text,
    },
    organisation::is_within,
    permissions::Action,
};
use ordo_registry::registration::{Refused, draft_reply, visible_item};
use ordo_web::{
    AppError, AppState, CurrentUser, ErrorKind,
    i18n::{tr, tr_args},
};
use serde::Deserialize;
use uuid::Uuid;

/// A dispatch as typed in a form or sent to the API: targets as `unit:<id>` or
/// `person:<id>`, the due date as `YYYY-MM-DD` (empty: the item's own due date).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct DispatchForm {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub information: Vec<String>,
    #[serde(default)]
    pub opinion: Vec<String>,
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub due_on: String,
}

/// A unit head passing a dispatch on down the tree.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PassOnForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub instructions: String,
    #[serde(default)]
    pub due_on: String,
}

/// A step on a dispatch: accept, return (with a reason), start, close (with an
/// outcome), reopen (with a reason), acknowledge (an opinion with its text).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub opinion: String,
}

fn parse_target(field: &'static str, raw: &str) -> Result<Option<Target>, InvalidInput> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    Target::parse(raw)
        .map(Some)
        .ok_or_else(|| InvalidInput::new(field, Reason::UnknownValue))
}

/// A due date typed as `YYYY-MM-DD` (a date field) or `DD/MM/YYYY`; empty is none.
fn parse_due_on(raw: &str) -> Result<Option<NaiveDate>, InvalidInput> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| InvalidInput::new("due_on", Reason::NotADate))
}

/// The day an item was registered, in the administration's time zone.
fn registered_on(item: &ItemRecord, current: &CurrentUser) -> NaiveDate {
    item.registered_at
        .unwrap_or(item.received_at)
        .with_timezone(&current.tenant.time_zone.tz())
        .date_naive()
}

fn conflict_is_not_now(err: DbError, field: &'static str) -> Refused {
    match err {
        DbError::Conflict(_) => InvalidInput::new(field, Reason::NotNow).into(),
        other => other.into(),
    }
}

/// Checks that a target exists and may receive this item: a secret item goes to
/// people by name only.
fn check_target(
    directory: &Directory,
    item: &ItemRecord,
    field: &'static str,
    target: Target,
) -> Result<(), InvalidInput> {
    if !directory.knows(target) {
        return Err(InvalidInput::new(field, Reason::UnknownValue));
    }
    if item.confidentiality() == Confidentiality::Secret && matches!(target, Target::Unit(_)) {
        return Err(InvalidInput::new(field, Reason::NamedOnly));
    }
    Ok(())
}

/// `POST` a dispatch from the bureau d'ordre: one unit or person for action (unless
/// someone already is responsible), others for information or opinion, with
/// instructions and a due date (by default the item's, counted on the calendar at
/// registration).
pub async fn dispatch(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    form: &DispatchForm,
    origin: &str,
) -> Result<Vec<DispatchRecord>, Refused> {
    current.require(Action::DispatchMail)?;
    let mut errors = Vec::new();
    let mut keep = |result: Result<Option<Target>, InvalidInput>| {
        result.map_err(|e| errors.push(e)).ok().flatten()
    };
    let action = keep(parse_target("action", &form.action));
    let information: Vec<Target> = form
        .information
        .iter()
        .filter_map(|raw| keep(parse_target("information", raw)))
        .collect();
    let opinion: Vec<Target> = form
        .opinion
        .iter()
        .filter_map(|raw| keep(parse_target("opinion", raw)))
        .collect();
    let instructions = parse_text("instructions", &form.instructions, false)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let due_on = parse_due_on(&form.due_on)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }

    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, item_id).await?;
    if item.status != ItemStatus::Registered {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    let due_on = due_on.or(item.due_on);
    check_due_date(due_on, registered_on(&item, current))?;
    let responsible = tx.dispatches().responsible(item.id).await?;
    match (action, &responsible) {
        (Some(_), Some(_)) => return Err(InvalidInput::new("action", Reason::NotNow).into()),
        (None, None) => return Err(InvalidInput::new("action", Reason::Required).into()),
        _ => {}
    }
    let directory = Directory::load(&tx).await?;
    let orders: Vec<(Purpose, &'static str, Target)> = action
        .map(|t| (Purpose::Action, "action", t))
        .into_iter()
        .chain(
            information
                .iter()
                .map(|t| (Purpose::Information, "information", *t)),
        )
        .chain(opinion.iter().map(|t| (Purpose::Opinion, "opinion", *t)))
        .collect();
    let errors: Vec<InvalidInput> = orders
        .iter()
        .filter_map(|(_, field, target)| check_target(&directory, &item, field, *target).err())
        .collect();
    if !errors.is_empty() {
        return Err(Refused::Invalid(errors));
    }

    let mut written = Vec::new();
    for (purpose, _, target) in &orders {
        let dispatch = tx
            .dispatches()
            .insert(
                NewDispatch {
                    item_id: item.id,
                    parent_id: None,
                    purpose: *purpose,
                    target: *target,
                    instructions: instructions.clone(),
                    due_on: (*purpose != Purpose::Information)
                        .then_some(due_on)
                        .flatten(),
                },
                current.user.id,
                now,
            )
            .await
            .map_err(|e| conflict_is_not_now(e, "action"))?;
        notify(state, &tx, &directory, &item, &dispatch, now).await?;
        written.push(dispatch);
    }
    let details = serde_json::json!({
        "number": item.number,
        "dispatches": written.iter().map(|d| serde_json::json!({
            "id": d.id,
            "purpose": d.purpose.code(),
            "to": d.target.key(),
        })).collect::<Vec<_>>(),
        "due_on": due_on,
    });
    tx.journal()
        .append(
            current.item_event("item.dispatched", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(written)
}

/// Dispatches an item to the usual recipients of its nature (the administration's
/// dispatch template): the common case in one click.
pub async fn dispatch_by_template(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    origin: &str,
) -> Result<Vec<DispatchRecord>, Refused> {
    current.require(Action::DispatchMail)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, current, item_id).await?;
    let lines: Vec<TemplateLine> = tx
        .dispatches()
        .templates()
        .await?
        .into_iter()
        .filter(|line| line.nature == item.content.nature)
        .collect();
    tx.commit().await?;
    if lines.is_empty() {
        return Err(InvalidInput::new("action", Reason::Required).into());
    }
    let units_for = |purpose: Purpose| {
        lines
            .iter()
            .filter(move |line| line.purpose == purpose)
            .map(|line| Target::Unit(line.unit_id).key())
    };
    let form = DispatchForm {
        action: units_for(Purpose::Action).next().unwrap_or_default(),
        information: units_for(Purpose::Information).collect(),
        opinion: units_for(Purpose::Opinion).collect(),
        instructions: lines
            .iter()
            .find(|line| line.purpose == Purpose::Action)
            .map(|line| line.instructions.clone())
            .unwrap_or_default(),
        due_on: String::new(),
    };
    dispatch(state, current, item_id, &form, origin).await
}

/// A dispatch of an item the caller may see, or 404.
async fn visible_dispatch(
    tx: &TenantTx,
    current: &CurrentUser,
    id: Uuid,
) -> Result<(DispatchRecord, ItemRecord), AppError> {
    let dispatch = tx
        .dispatches()
        .find(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let item = visible_item(tx, current, dispatch.item_id).await?;
    Ok((dispatch, item))
}

fn handled_by(dispatch: &DispatchRecord, current: &CurrentUser) -> bool {
    handles(
        dispatch.target,
        current.user.id,
        current.user.unit_id,
        current.has_role(Role::UnitHead),
    )
}

/// A unit head passes a dispatch for action on to a unit or person of their unit's
/// part of the tree; the new dispatch names the one it came from.
pub async fn pass_on(
    state: &AppState,
    current: &CurrentUser,
    dispatch_id: Uuid,
    form: &PassOnForm,
    origin: &str,
) -> Result<DispatchRecord, Refused> {
    let to = parse_target("target", &form.to)?
        .ok_or_else(|| InvalidInput::new("target", Reason::Required))?;
    let instructions = parse_text("instructions", &form.instructions, false)?;
    let due_on = parse_due_on(&form.due_on)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let (parent, item) = visible_dispatch(&tx, current, dispatch_id).await?;
    let head_unit = current
        .user
        .unit_id
        .filter(|_| current.has_role(Role::UnitHead));
    let Some(head_unit) = head_unit.filter(|_| handled_by(&parent, current)) else {
        return Err(AppError::new(ErrorKind::Forbidden).into());
    };
    if parent.purpose != Purpose::Action || !may_pass_on(parent.status) {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    let directory = Directory::load(&tx).await?;
    check_target(&directory, &item, "target", to)?;
    let parents = directory.parents();
    let within = directory
        .unit_of(to)
        .is_some_and(|unit| is_within(&parents, unit, head_unit));
    if !within || to == parent.target {
        return Err(InvalidInput::new("target", Reason::OutsideUnit).into());
    }
    let due_on = due_on.or(parent.due_on);
    check_due_date(due_on, registered_on(&item, current))?;

    let moved = tx
        .dispatches()
        .change_status(
            parent.id,
            StatusChange {
                from: parent.status,
                to: DispatchStatus::PassedOn,
                outcome: None,
                reason: None,
            },
            current.user.id,
            now,
        )
        .await?;
    if !moved {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    let child = tx
        .dispatches()
        .insert(
            NewDispatch {
                item_id: item.id,
                parent_id: Some(parent.id),
                purpose: Purpose::Action,
                target: to,
                instructions,
                due_on,
            },
            current.user.id,
            now,
        )
        .await
        .map_err(|e| conflict_is_not_now(e, "step"))?;
    notify(state, &tx, &directory, &item, &child, now).await?;
    let details = serde_json::json!({
        "number": item.number,
        "from": parent.id,
        "dispatch": child.id,
        "to": to.key(),
        "due_on": due_on,
    });
    tx.journal()
        .append(
            current.item_event("item.passed_on", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(child)
}

/// A step on a dispatch by the one who handles it (reopening is also open to the
/// bureau d'ordre). Returning gives the item back to whoever passed it on, or to the
/// bureau d'ordre; acknowledging an opinion keeps the opinion as a note for all.
pub async fn step(
    state: &AppState,
    current: &CurrentUser,
    dispatch_id: Uuid,
    form: &StepForm,
    origin: &str,
) -> Result<DispatchRecord, Refused> {
    let outcome = Some(form.outcome.as_str()).filter(|o| !o.trim().is_empty());
    let step = Step::parse(&form.step, outcome)?;
    let reason = if step.needs_reason() {
        Some(check_reason(&form.reason)?)
    } else {
        None
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let (dispatch, item) = visible_dispatch(&tx, current, dispatch_id).await?;
    let may = handled_by(&dispatch, current)
        || (step == Step::Reopen && current.may(Action::DispatchMail));
    if !may {
        return Err(AppError::new(ErrorKind::Forbidden).into());
    }
    if item.status != ItemStatus::Registered {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    let next = step.apply(dispatch.purpose, dispatch.status)?;
    let opinion = if step == Step::Acknowledge && dispatch.purpose == Purpose::Opinion {
        Some(parse_text("opinion_text", &form.opinion, true)?)
    } else {
        None
    };
    let outcome = match step {
        Step::Close(outcome) => Some(outcome),
        _ => None,
    };
    let changed = tx
        .dispatches()
        .change_status(
            dispatch.id,
            StatusChange {
                from: dispatch.status,
                to: next,
                outcome,
                reason: reason.clone(),
            },
            current.user.id,
            now,
        )
        .await
        .map_err(|e| conflict_is_not_now(e, "step"))?;
    if !changed {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    if step == Step::Return
        && let Some(parent_id) = dispatch.parent_id
    {
        // The head who passed it on has it back, to take it or pass it on again.
        tx.dispatches()
            .change_status(
                parent_id,
                StatusChange {
                    from: DispatchStatus::PassedOn,
                    to: DispatchStatus::Sent,
                    outcome: None,
                    reason: None,
                },
                current.user.id,
                now,
            )
            .await?;
    }
    if let Some(opinion) = opinion {
        tx.notes()
            .add(
                NewNote {
                    item_id: item.id,
                    author_id: current.user.id,
                    unit_id: current.user.unit_id,
                    visibility: NoteVisibility::All,
                    body: opinion,
                },
                now,
            )
            .await?;
    }
    let action = match step {
        Step::Accept => "item.accepted",
        Step::Return => "item.returned",
        Step::Start => "item.started",
        Step::Close(_) => "item.closed",
        Step::Reopen => "item.reopened",
        Step::Acknowledge => "item.acknowledged",
    };
    let details = serde_json::json!({
        "number": item.number,
        "dispatch": dispatch.id,
        "outcome": outcome.map(|o| o.code()),
        "reason": reason,
    });
    tx.journal()
        .append(current.item_event(action, item.id, details, origin), now)
        .await?;
    let updated = tx
        .dispatches()
        .find(dispatch.id)
        .await?
        .ok_or_else(|| AppError::internal("dispatch vanished"))?;
    tx.commit().await?;
    Ok(updated)
}

/// A note on an item by anyone who sees it, shown to whom its author chose.
pub async fn add_note(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    visibility: &str,
    body: &str,
    origin: &str,
) -> Result<Uuid, Refused> {
    let visibility = NoteVisibility::parse(visibility)?;
    let body = parse_text("body", body, true)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, item_id).await?;
    let id = tx
        .notes()
        .add(
            NewNote {
                item_id: item.id,
                author_id: current.user.id,
                unit_id: current.user.unit_id,
                visibility,
                body,
            },
            now,
        )
        .await?;
    let details = serde_json::json!({ "note": id, "visibility": visibility.code() });
    tx.journal()
        .append(
            current.item_event("item.noted", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// Starts or stops following an item the caller sees.
pub async fn follow(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    on: bool,
) -> Result<(), AppError> {
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, item_id).await?;
    if on {
        tx.dispatches()
            .follow(item.id, current.user.id, state.clock.now())
            .await?;
    } else {
        tx.dispatches().unfollow(item.id, current.user.id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Drafts the reply to an item, for the one responsible for it (or the bureau
/// d'ordre): an outgoing draft linked to it, which the bureau d'ordre registers when
/// it leaves.
pub async fn reply(
    state: &AppState,
    current: &CurrentUser,
    item_id: Uuid,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, item_id).await?;
    let responsible = tx.dispatches().responsible(item.id).await?;
    let handles_it = responsible
        .as_ref()
        .is_some_and(|d| d.status.is_open() && handled_by(d, current));
    if !handles_it && !current.may(Action::RegisterMail) {
        return Err(AppError::new(ErrorKind::Forbidden).into());
    }
    if item.status != ItemStatus::Registered {
        return Err(InvalidInput::new("step", Reason::NotNow).into());
    }
    let draft = draft_reply(&tx, current, &item, origin, now).await?;
    tx.commit().await?;
    Ok(draft)
}

/// E-mails the people a dispatch reaches (through the outbox, in this transaction):
/// the number, the purpose, the due date and a link; the subject only when the item
/// is not confidential.
async fn notify(
    state: &AppState,
    tx: &TenantTx,
    directory: &Directory,
    item: &ItemRecord,
    dispatch: &DispatchRecord,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let number = item.number.clone().unwrap_or_default();
    for person in directory.reached_by(dispatch.target) {
        let Some(address) = person.email.as_deref() else {
            continue;
        };
        let locale = person.locale;
        let arg = |name: &'static str, value: String| (name.into(), value.into());
        let subject_line = if item.confidentiality() == Confidentiality::Normal {
            item.content.subject.clone()
        } else {
            tr(locale, "dispatch-mail-confidential")
        };
        let due = dispatch
            .due_on
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| tr(locale, "dispatch-no-due-date"));
        let body = tr_args(
            locale,
            "dispatch-mail-body",
            vec![
                arg("name", person.display_name.clone()),
                arg("number", number.clone()),
                arg("subject", subject_line),
                arg(
                    "purpose",
                    tr(locale, &format!("purpose-{}", dispatch.purpose.code())),
                ),
                arg("due", due),
                arg("instructions", dispatch.instructions.clone()),
                arg("target", directory.name(dispatch.target, locale)),
                arg(
                    "link",
                    format!("{}/courriers/{}", state.public_url, item.id),
                ),
            ],
        );
        tx.outbox()
            .enqueue(
                OutgoingEmail {
                    to: address.to_owned(),
                    subject: tr_args(
                        locale,
                        "dispatch-mail-subject",
                        vec![
                            arg("number", number.clone()),
                            arg(
                                "purpose",
                                tr(locale, &format!("purpose-{}", dispatch.purpose.code())),
                            ),
                        ],
                    ),
                    body,
                    expires_at: None,
                    attachment: None,
                    language: Some(locale),
                },
                now,
            )
            .await?;
    }
    Ok(())
}
