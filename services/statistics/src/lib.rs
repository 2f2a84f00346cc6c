//! The dashboard: where mail waits. Volumes by day, week and month, by channel,
//! nature and unit; processing times (received → registered → dispatched → closed)
//! as median and 90th percentile per unit; the overdue backlog by age. For the
//! whole administration, or for the part of the tree a unit head heads. Charts are
//! drawn on the server (SVG, no script), with their tables beside them, and the
//! same figures download as CSV.
//!
//! A year of an administration is read in two range queries (its registrations and
//! its dispatches for action, both indexed by tenant and date) and one for the
//! backlog; the figures are computed here, the same on PostgreSQL and SQLite.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::{
    Router,
    extract::{Query, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use ordo_db::{DbError, DispatchRecord, TenantTx, UnitRecord, UserRecord};
use ordo_domain::{
    Locale, Role,
    dispatch::{DispatchStatus, Target},
    organisation::is_within,
    permissions::Action,
    statistics::{OverdueAge, month_of, percentile, week_of},
};
use ordo_web::{AppError, AppState, CurrentUser, Frame, Page, i18n::tr};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod chart;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistiques", get(page))
        .route("/statistiques/export.csv", get(export))
}

/// A label and a count.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    pub label: String,
    pub value: u64,
}

/// Median and 90th percentile of one step, in minutes, over `count` items.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
pub struct Spread {
    pub count: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl Spread {
    fn of(mut minutes: Vec<i64>) -> Self {
        Self {
            count: minutes.len(),
            median: percentile(&mut minutes, 50),
            p90: percentile(&mut minutes, 90),
        }
    }
}

/// Processing times of one unit.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct UnitTimes {
    pub unit: String,
    pub registration: Spread,
    pub dispatch: Spread,
    pub closing: Spread,
}

/// Every figure of the dashboard.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: u64,
    pub by_day: Vec<Count>,
    pub by_week: Vec<Count>,
    pub by_month: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_nature: Vec<Count>,
    pub by_unit: Vec<Count>,
    pub times: Vec<UnitTimes>,
    pub backlog: Vec<Count>,
    pub backlog_by_unit: Vec<Count>,
}

/// Which part of the administration the dashboard covers.
#[derive(Debug, Clone)]
pub enum Scope {
    Administration,
    /// A unit and the units below it.
    Units(HashSet<Uuid>),
}

struct Tree {
    units: Vec<UnitRecord>,
    people: Vec<UserRecord>,
}

impl Tree {
    /// The unit a dispatch puts an item in: the unit named, or the person's.
    fn unit_of(&self, target: Target) -> Option<Uuid> {
        match target {
            Target::Unit(id) => Some(id),
            Target::Person(id) => self.people.iter().find(|p| p.id == id)?.unit_id,
        }
    }

    fn name(&self, unit: Option<Uuid>, locale: Locale) -> String {
        unit.and_then(|id| self.units.iter().find(|u| u.id == id))
            .map_or_else(
                || tr(locale, "stats-not-dispatched"),
                |u| format!("{} — {}", u.code, u.name.get(locale)),
            )
    }
}

fn counts<K: Ord>(map: BTreeMap<K, u64>, label: impl Fn(&K) -> String) -> Vec<Count> {
    map.iter()
        .map(|(key, value)| Count {
            label: label(key),
            value: *value,
        })
        .collect()
}

fn minutes(from: DateTime<Utc>, to: DateTime<Utc>) -> Option<i64> {
    let span = (to - from).num_minutes();
    (span >= 0).then_some(span)
}

/// Computes the dashboard of `[from, to]` (days, in the administration's zone) as
/// it stands `now`.
pub async fn compute(
    tx: &TenantTx,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
    now: DateTime<Utc>,
    zone: ordo_domain::TimeZone,
    locale: Locale,
) -> Result<Dashboard, DbError> {
    let tz = zone.tz();
    let start = from
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .map_or(now, |t| t.with_timezone(&Utc));
    let end = (to + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .map_or(now, |t| t.with_timezone(&Utc));
    let today = now.with_timezone(&tz).date_naive();
    let tree = Tree {
        units: tx.units().list().await?,
        people: tx.users().list().await?,
    };
    let items = tx.items().facts_between(start, end).await?;
    let actions = tx.dispatches().actions_since(start).await?;

    // Per item: when it was first dispatched, and who holds it now.
    let mut first_dispatch: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let mut holder: HashMap<Uuid, &DispatchRecord> = HashMap::new();
    for d in &actions {
        if d.parent_id.is_none() {
            first_dispatch
                .entry(d.item_id)
                .and_modify(|at| *at = (*at).min(d.dispatched_at))
                .or_insert(d.dispatched_at);
        }
        if DispatchStatus::HOLDING.contains(&d.status) {
            holder.insert(d.item_id, d);
        }
    }
    let unit_of_item = |item: Uuid| holder.get(&item).and_then(|d| tree.unit_of(d.target));
    let in_scope = |unit: Option<Uuid>| match scope {
        Scope::Administration => true,
        Scope::Units(units) => unit.is_some_and(|u| units.contains(&u)),
    };

    let mut by_day = BTreeMap::new();
    let mut by_week = BTreeMap::new();
    let mut by_month = BTreeMap::new();
    let mut by_channel = BTreeMap::new();
    let mut by_nature = BTreeMap::new();
    let mut by_unit: BTreeMap<String, u64> = BTreeMap::new();
    let mut steps: BTreeMap<String, [Vec<i64>; 3]> = BTreeMap::new();
    let recent = to - Duration::days(30);
    let mut total = 0;
    for item in &items {
        let unit = unit_of_item(item.id);
        if !in_scope(unit) {
            continue;
        }
        total += 1;
        let day = item.registered_at.with_timezone(&tz).date_naive();
        if day >= recent {
            *by_day.entry(day).or_insert(0) += 1;
        }
        *by_week.entry(week_of(day)).or_insert(0) += 1;
        *by_month.entry(month_of(day)).or_insert(0) += 1;
        *by_channel.entry(item.channel.clone()).or_insert(0) += 1;
        *by_nature.entry(item.nature.clone()).or_insert(0) += 1;
        let unit_name = tree.name(unit, locale);
        *by_unit.entry(unit_name.clone()).or_insert(0) += 1;
        let entry = steps.entry(unit_name).or_default();
        entry[0].extend(minutes(item.received_at, item.registered_at));
        if let Some(sent) = first_dispatch.get(&item.id) {
            entry[1].extend(minutes(item.registered_at, *sent));
            if let Some(closed) = holder
                .get(&item.id)
                .filter(|d| d.status == DispatchStatus::Closed)
            {
                entry[2].extend(minutes(*sent, closed.updated_at));
            }
        }
    }
    let times = steps
        .into_iter()
        .map(|(unit, [registration, dispatch, closing])| UnitTimes {
            unit,
            registration: Spread::of(registration),
            dispatch: Spread::of(dispatch),
            closing: Spread::of(closing),
        })
        .collect();

    // The backlog: open dispatches for action past their due date, however old.
    let mut backlog = BTreeMap::new();
    let mut backlog_by_unit: BTreeMap<String, u64> = BTreeMap::new();
    for d in tx
        .dispatches()
        .open_due_by(today - Duration::days(1))
        .await?
    {
        let unit = tree.unit_of(d.target);
        let Some(age) = d.due_on.and_then(|due| OverdueAge::of(due, today)) else {
            continue;
        };
        if !in_scope(unit) {
            continue;
        }
        *backlog.entry(age).or_insert(0) += 1;
        *backlog_by_unit.entry(tree.name(unit, locale)).or_insert(0) += 1;
    }
    let date = |d: &NaiveDate| d.format("%d/%m/%Y").to_string();
    let vocabulary = tx.vocabulary().load().await?;
    let nature_name = |code: &String| {
        vocabulary
            .natures
            .iter()
            .find(|n| &n.code == code)
            .map_or_else(|| code.clone(), |n| n.name.get(locale).to_owned())
    };
    Ok(Dashboard {
        from,
        to,
        total,
        by_day: counts(by_day, date),
        by_week: counts(by_week, date),
        by_month: counts(by_month, |d| d.format("%m/%Y").to_string()),
        by_channel: counts(by_channel, |c| tr(locale, &format!("channel-{c}"))),
        by_nature: counts(by_nature, nature_name),
        by_unit: counts(by_unit, String::clone),
        times,
        backlog: OverdueAge::ALL
            .iter()
            .map(|age| Count {
                label: tr(locale, &format!("stats-age-{}", age.code())),
                value: backlog.get(age).copied().unwrap_or(0),
            })
            .collect(),
        backlog_by_unit: counts(backlog_by_unit, String::clone),
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    du: String,
    #[serde(default)]
    au: String,
}

/// The scope and period a person asked for, within what they may see.
async fn scope_and_period(
    state: &AppState,
    tx: &TenantTx,
    current: &CurrentUser,
    query: &DashboardQuery,
) -> Result<(Scope, NaiveDate, NaiveDate), AppError> {
    current.require(Action::ViewStatistics)?;
    let whole = current.has_role(Role::TenantAdmin)
        || current.has_role(Role::BureauOrdre)
        || current.has_role(Role::Auditor);
    let scope = if whole {
        Scope::Administration
    } else {
        let root = current.user.unit_id.ok_or_else(|| {
            AppError::new(ordo_web::ErrorKind::Forbidden).with_detail("a unit head with no unit")
        })?;
        let units = tx.units().list().await?;
        let parents: HashMap<Uuid, Option<Uuid>> =
            units.iter().map(|u| (u.id, u.parent_id)).collect();
        Scope::Units(
            units
                .iter()
                .map(|u| u.id)
                .filter(|id| is_within(&parents, *id, root))
                .collect(),
        )
    };
    let today = state
        .clock
        .now()
        .with_timezone(&current.tenant.time_zone.tz())
        .date_naive();
    let parse = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
    let to = parse(&query.au).unwrap_or(today);
    let from = parse(&query.du)
        .filter(|from| *from <= to)
        .unwrap_or(to - Duration::days(364));
    Ok((scope, from, to))
}

/// `GET /statistiques`.
async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Query(query): Query<DashboardQuery>,
) -> Result<Page, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let (scope, from, to) = scope_and_period(&state, &tx, &current, &query).await?;
    let locale = frame.locale;
    let dashboard = compute(
        &tx,
        &scope,
        from,
        to,
        state.clock.now(),
        current.tenant.time_zone,
        locale,
    )
    .await?;
    tx.commit().await?;
    let context = minijinja::context! {
        d => dashboard,
        whole => matches!(scope, Scope::Administration),
        from_iso => from.format("%Y-%m-%d").to_string(),
        to_iso => to.format("%Y-%m-%d").to_string(),
        chart_month => chart::bars(&dashboard.by_month),
        chart_week => chart::bars(&dashboard.by_week),
        chart_day => chart::bars(&dashboard.by_day),
        chart_channel => chart::bars(&dashboard.by_channel),
        chart_nature => chart::bars(&dashboard.by_nature),
        chart_unit => chart::bars(&dashboard.by_unit),
        chart_backlog => chart::bars(&dashboard.backlog),
        times => dashboard.times.iter().map(|t| minijinja::context! {
            unit => t.unit,
            registration => shown(t.registration, locale),
            dispatch => shown(t.dispatch, locale),
            closing => shown(t.closing, locale),
        }).collect::<Vec<_>>(),
    };
    frame
        .for_user(&current)
        .render(&state, "statistics.html", "stats-title", context)
}

/// A spread as a person reads it: "3 h / 9 h (12)".
fn shown(spread: Spread, locale: Locale) -> String {
    match (spread.median, spread.p90) {
        (Some(median), Some(p90)) => format!(
            "{} / {} ({})",
            duration(median, locale),
            duration(p90, locale),
            spread.count
        ),
        _ => "—".to_owned(),
    }
}

/// Minutes as hours under two days, else days with one decimal, in the reader's
/// decimal mark.
fn duration(minutes: i64, locale: Locale) -> String {
    if minutes < 48 * 60 {
        let hours = minutes / 60;
        if hours == 0 {
            format!("{minutes}\u{a0}min")
        } else {
            format!("{hours}\u{a0}h")
        }
    } else {
        let tenths = minutes * 10 / (24 * 60);
        let mark = if locale == Locale::En { "." } else { "," };
        format!(
            "{}{mark}{}\u{a0}{}",
            tenths / 10,
            tenths % 10,
            tr(locale, "stats-days")
        )
    }
}

/// `GET /statistiques/export.csv`: the same figures, one per line.
async fn export(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Query(query): Query<DashboardQuery>,
) -> Result<impl IntoResponse, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let (scope, from, to) = scope_and_period(&state, &tx, &current, &query).await?;
    let d = compute(
        &tx,
        &scope,
        from,
        to,
        state.clock.now(),
        current.tenant.time_zone,
        frame.locale,
    )
    .await?;
    tx.commit().await?;
    let mut csv = String::from("section,label,value,median_minutes,p90_minutes\r\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (section, rows) in [
        ("day", &d.by_day),
        ("week", &d.by_week),
        ("month", &d.by_month),
        ("channel", &d.by_channel),
        ("nature", &d.by_nature),
        ("unit", &d.by_unit),
        ("overdue_age", &d.backlog),
        ("overdue_unit", &d.backlog_by_unit),
    ] {
        for row in rows {
            csv.push_str(&format!(
                "{section},{},{},,\r\n",
                quote(&row.label),
                row.value
            ));
        }
    }
    for t in &d.times {
        for (step, spread) in [
            ("received_to_registered", t.registration),
            ("registered_to_dispatched", t.dispatch),
            ("dispatched_to_closed", t.closing),
        ] {
            let cell = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            csv.push_str(&format!(
                "{step},{},{},{},{}\r\n",
                quote(&t.unit),
                spread.count,
                cell(spread.median),
                cell(spread.p90)
            ));
        }
    }
    let name = format!(
        "attachment; filename=\"statistiques-{}-{}.csv\"",
        from.format("%Y%m%d"),
        to.format("%Y%m%d")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        csv,
    ))
}
