//! Deadlines: reminders before and after the due date to the one responsible,
//! escalation to the head of their unit after the delay the administration sets,
//! and each morning a digest per person of what is overdue or due soon. A worker
//! runs [`send_due`] every minute on every replica; each reminder is recorded with
//! its e-mail in one transaction, so it goes once, and never is lost.

use std::collections::{BTreeMap, HashMap};

use crate::directory::Directory;
use chrono::{NaiveDate, Timelike};
use ordo_db::{
    DbError, DispatchRecord, ItemRecord, JournalEvent, OutgoingEmail, TenantRecord, UserRecord,
};
use ordo_domain::{
    Confidentiality, TenantStatus,
    deadlines::{ReminderKind, reminders_due},
};
use ordo_web::{
    AppState,
    i18n::{tr, tr_args},
};
use uuid::Uuid;

/// From this hour (in the administration's time zone) the day's digests go out.
pub const DIGEST_HOUR: u32 = 7;

/// What one round sent.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RoundReport {
    pub reminders: u32,
    pub escalations: u32,
    pub digests: u32,
}

/// One round over every active administration.
pub async fn send_due(state: &AppState) -> Result<RoundReport, DbError> {
    let tx = state.db.platform().await?;
    let tenants = tx.tenants().list().await?;
    tx.commit().await?;
    let mut report = RoundReport::default();
    for tenant in tenants
        .into_iter()
        .filter(|t| t.status == TenantStatus::Active)
    {
        let sent = send_for(state, &tenant).await?;
        report.reminders += sent.reminders;
        report.escalations += sent.escalations;
        report.digests += sent.digests;
    }
    Ok(report)
}

async fn send_for(state: &AppState, tenant: &TenantRecord) -> Result<RoundReport, DbError> {
    let now = state.clock.now();
    let local = now.with_timezone(&tenant.time_zone.tz());
    let today = local.date_naive();
    let policy = tenant.reminders;
    let tx = state.db.tenant_write(tenant.id).await?;
    let open = tx.dispatches().open_due_by(policy.horizon(today)).await?;
    let mut report = RoundReport::default();
    if open.is_empty() {
        tx.commit().await?;
        return Ok(report);
    }
    let people = Directory::load(&tx).await?;
    let ids: Vec<Uuid> = open.iter().map(|d| d.item_id).collect();
    let items: HashMap<Uuid, ItemRecord> = tx
        .items()
        .find_many(&ids)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    // Per person, the items of their digest: (due date, line).
    let mut digests: BTreeMap<Uuid, Vec<(NaiveDate, Uuid)>> = BTreeMap::new();
    for dispatch in &open {
        let (Some(due_on), Some(item)) = (dispatch.due_on, items.get(&dispatch.item_id)) else {
            continue;
        };
        for handler in people.reached_by(dispatch.target) {
            digests
                .entry(handler.id)
                .or_default()
                .push((due_on, item.id));
        }
        for kind in reminders_due(due_on, today, policy) {
            if !tx.reminders().record(dispatch.id, kind, today).await? {
                continue;
            }
            let recipients = match kind {
                ReminderKind::Escalation => people.escalation_heads(dispatch.target),
                _ => people.reached_by(dispatch.target),
            };
            for person in recipients {
                enqueue_reminder(state, &tx, person, item, dispatch, kind, now).await?;
            }
            if kind == ReminderKind::Escalation {
                report.escalations += 1;
                tx.journal()
                    .append(
                        JournalEvent {
                            actor: "system:deadlines".to_owned(),
                            action: "item.escalated",
                            object: format!("item:{}", item.id),
                            details: serde_json::json!({
                                "number": item.number,
                                "dispatch": dispatch.id,
                                "due_on": due_on,
                            }),
                            origin: "worker".to_owned(),
                        },
                        now,
                    )
                    .await?;
            } else {
                report.reminders += 1;
            }
        }
    }
    if local.hour() >= DIGEST_HOUR {
        for (person_id, mut lines) in digests {
            let Some(person) = people.people.iter().find(|p| p.id == person_id) else {
                continue;
            };
            if person.email.is_none() || !tx.reminders().record_digest(person.id, today).await? {
                continue;
            }
            lines.sort();
            let body_lines: Vec<String> = lines
                .iter()
                .filter_map(|(due, item)| items.get(item).map(|i| (due, i)))
                .map(|(due, item)| {
                    let key = if *due < today {
                        "digest-line-overdue"
                    } else {
                        "digest-line-soon"
                    };
                    tr_args(
                        person.locale,
                        key,
                        vec![
                            (
                                "number".into(),
                                item.number.clone().unwrap_or_default().into(),
                            ),
                            ("subject".into(), shown_subject(item, person).into()),
                            ("due".into(), due.format("%d/%m/%Y").to_string().into()),
                        ],
                    )
                })
                .collect();
            let body = tr_args(
                person.locale,
                "digest-body",
                vec![
                    ("name".into(), person.display_name.clone().into()),
                    ("lines".into(), body_lines.join("\n").into()),
                    (
                        "link".into(),
                        format!("{}/corbeille", state.public_url).into(),
                    ),
                ],
            );
            enqueue(&tx, person, tr(person.locale, "digest-subject"), body, now).await?;
            report.digests += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}

/// The subject of an item as an e-mail may show it: confidential ones stay in Ordo.
fn shown_subject(item: &ItemRecord, person: &UserRecord) -> String {
    if item.confidentiality() == Confidentiality::Normal {
        item.content.subject.clone()
    } else {
        tr(person.locale, "dispatch-mail-confidential")
    }
}

async fn enqueue_reminder(
    state: &AppState,
    tx: &ordo_db::TenantTx,
    person: &UserRecord,
    item: &ItemRecord,
    dispatch: &DispatchRecord,
    kind: ReminderKind,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbError> {
    let locale = person.locale;
    let number = item.number.clone().unwrap_or_default();
    let due = dispatch
        .due_on
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default();
    let args = || {
        vec![
            ("name".into(), person.display_name.clone().into()),
            ("number".into(), number.clone().into()),
            ("subject".into(), shown_subject(item, person).into()),
            ("due".into(), due.clone().into()),
            (
                "link".into(),
                format!("{}/courriers/{}", state.public_url, item.id).into(),
            ),
        ]
    };
    let subject = tr_args(locale, &format!("reminder-{}-subject", kind.code()), args());
    let body = tr_args(locale, &format!("reminder-{}-body", kind.code()), args());
    enqueue(tx, person, subject, body, now).await
}

async fn enqueue(
    tx: &ordo_db::TenantTx,
    person: &UserRecord,
    subject: String,
    body: String,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbError> {
    let Some(address) = person.email.clone() else {
        return Ok(());
    };
    tx.outbox()
        .enqueue(
            OutgoingEmail {
                to: address,
                subject,
                body,
                expires_at: None,
                attachment: None,
                language: Some(person.locale),
            },
            now,
        )
        .await?;
    Ok(())
}
