//! Inboxes and the dashboard at scale, through the HTTP API and pages of a release
//! `ordo serve` on PostgreSQL with full durability:
//! - a unit holding 100,000 items of which 5,000 are open: the agent's inbox (API
//!   and page) and the head's unit box;
//! - the dashboard of one ministry's year (50 letters a day), alone, then beside 99
//!   other such ministries in the same database.
//!
//! The data is written in bulk with SQL (as an import would), not through the API:
//! what is measured is reading it.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use ordo_db::Database;
use ordo_domain::{Clock, LocalizedName, Login, Role, RoleSet, SystemClock, TenantCode, TimeZone};
use ordo_operator::{AdminAccount, NewAdministration, UnitPlan, create_administration};
use sea_orm::ConnectionTrait;

use crate::{
    Row,
    registry::{fresh_database, serve},
    row,
};

const UNIT_ITEMS: u64 = 100_000;
const OPEN_EVERY: u64 = 20;
const MINISTRIES: usize = 100;
const LETTERS_A_DAY: u64 = 50;
const ROUNDS: usize = 100;

pub async fn run(ordo: &Path, pg_admin_url: &str, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let (owner, app_url) = fresh_database(pg_admin_url, "ordo_bench_dispatch").await?;
    let app = Database::connect(&app_url, 2).await?;
    let store = ordo_storage::LocalStore::new(work.path().join("documents"));
    ordo::demo::seed_if_empty(&app, &store, &SystemClock).await?;

    // 1. A unit holding 100,000 items, 5,000 of them open, all the agent's.
    let started = Instant::now();
    fill(
        &owner,
        "MMG",
        UNIT_ITEMS,
        "agent.mines",
        "secretariat",
        "365 * (g::float / $count)",
    )
    .await?;
    println!(
        "  (inbox data: {UNIT_ITEMS} items written in {:.0} s)",
        started.elapsed().as_secs_f64()
    );
    let agent = ordo::token_cli::create(&app, "MMG", "agent.mines", "bench").await?;
    let head = ordo::token_cli::create(&app, "MMG", "chef.mines", "bench").await?;
    let server = serve(ordo, &app_url, work.path(), None)?;
    let limit_ms = 500.0;
    for (what, token, path) in [
        (
            "inbox API, agent, 5,000 open of 100,000",
            &agent,
            "/api/v1/inbox?box=to_process",
        ),
        (
            "inbox page, agent, 5,000 open of 100,000",
            &agent,
            "/corbeille?boite=to_process",
        ),
        (
            "unit box page, head of the unit",
            &head,
            "/corbeille?boite=unit",
        ),
    ] {
        let (p50, p99) = latency(&server.1, token, path, ROUNDS).await?;
        push(rows, what, p50, p99, limit_ms);
    }

    // 2. The dashboard of one ministry's year, alone, then among 100.
    let yearly = 365 * LETTERS_A_DAY;
    let ministry = |i: usize| format!("M{i:03}");
    provision(&app, &ministry(0)).await?;
    fill(
        &owner,
        &ministry(0),
        yearly,
        "chef",
        "chef",
        "365 * (g::float / $count)",
    )
    .await?;
    let token = ordo::token_cli::create(&app, &ministry(0), "chef", "bench").await?;
    let (p50, p99) = latency(&server.1, &token, "/statistiques", ROUNDS / 4).await?;
    push(
        rows,
        "dashboard, one ministry's year (18,250 items)",
        p50,
        p99,
        1000.0,
    );
    let started = Instant::now();
    for i in 1..MINISTRIES {
        provision(&app, &ministry(i)).await?;
        fill(
            &owner,
            &ministry(i),
            yearly,
            "chef",
            "chef",
            "365 * (g::float / $count)",
        )
        .await?;
    }
    owner.connection().execute_unprepared("ANALYZE").await?;
    println!(
        "  (dashboard data: {} ministries × {yearly} items written in {:.0} s)",
        MINISTRIES - 1,
        started.elapsed().as_secs_f64()
    );
    let (p50, p99) = latency(&server.1, &token, "/statistiques", ROUNDS / 4).await?;
    push(
        rows,
        "dashboard, the same ministry among 100 (1.8 M items)",
        p50,
        p99,
        1000.0,
    );
    let (p50, p99) = latency(&server.1, &token, "/statistiques/export.csv", ROUNDS / 4).await?;
    push(rows, "dashboard CSV, among 100", p50, p99, 1000.0);
    drop(server);
    Ok(())
}

fn push(rows: &mut Vec<Row>, what: &str, p50: f64, p99: f64, limit_ms: f64) {
    rows.push(row(
        what,
        format!("p50 {p50:.0} ms, p99 {p99:.0} ms"),
        &format!("p99 <= {limit_ms:.0} ms"),
        Some(p99 <= limit_ms),
    ));
}

/// A ministry with one central bureau d'ordre and its head, `chef`.
async fn provision(db: &Database, code: &str) -> anyhow::Result<()> {
    let store = ordo_storage::LocalStore::new(std::env::temp_dir().join("ordo-bench-docs"));
    create_administration(
        db,
        &store,
        &SystemClock,
        NewAdministration {
            code: TenantCode::parse(code)?,
            name: LocalizedName::parse(&format!("Ministère {code}"), "", "")?,
            time_zone: TimeZone::parse("Africa/Conakry")?,
            placement: ordo_operator::Placement::default(),
            units: vec![UnitPlan::central_registry("SG")?],
            accounts: vec![AdminAccount {
                login: Login::parse("chef")?,
                display_name: format!("Chef {code}"),
                email: None,
                password: Some("un mot de passe de banc".to_owned()),
                roles: RoleSet::new([Role::TenantAdmin, Role::UnitHead]),
                unit: Some("SG".to_owned()),
            }],
        },
    )
    .await?;
    Ok(())
}

/// Writes `count` registered items in the administration's first incoming register,
/// over the past year (`days_ago` in terms of the series `g` and `$count`), each
/// dispatched for action to `handler`; one in OPEN_EVERY still open (its due date
/// five days after registration, so most are overdue), the others closed.
async fn fill(
    owner: &Database,
    code: &str,
    count: u64,
    handler: &str,
    registrar: &str,
    days_ago: &str,
) -> anyhow::Result<()> {
    let days_ago = days_ago.replace("$count", &count.to_string());
    let now = SystemClock.now();
    let sql = format!(
        "WITH t AS (SELECT id FROM tenants WHERE code = '{code}'),
              r AS (SELECT r.id FROM registers r, t WHERE r.tenant_id = t.id AND r.direction = 'incoming' ORDER BY r.code LIMIT 1),
              h AS (SELECT u.id FROM users u, t WHERE u.tenant_id = t.id AND u.login = '{handler}'),
              b AS (SELECT u.id FROM users u, t WHERE u.tenant_id = t.id AND u.login = '{registrar}')
         INSERT INTO mail_items (tenant_id, id, register_id, status, year, sequence, number, subject,
             nature, channel, priority, confidentiality, sender, recipient, received_at,
             registered_at, registered_by, keywords, paper_location, created_at, version, created_by)
         SELECT t.id, gen_random_uuid(), r.id, 'registered', 2000, g, '{code}/BENCH/' || g,
             'Courrier de charge n° ' || g, 'other', CASE WHEN g % 3 = 0 THEN 'email' ELSE 'post' END,
             'normal', 'normal', 'Expéditeur ' || (g % 500), '',
             TIMESTAMPTZ '{now}' - ({days_ago}) * INTERVAL '1 day' - INTERVAL '2 hours',
             TIMESTAMPTZ '{now}' - ({days_ago}) * INTERVAL '1 day', b.id, '', '', TIMESTAMPTZ '{now}', 1, b.id
         FROM generate_series(1, {count}) g, t, r, b;
         WITH t AS (SELECT id FROM tenants WHERE code = '{code}'),
              h AS (SELECT u.id FROM users u, t WHERE u.tenant_id = t.id AND u.login = '{handler}')
         INSERT INTO dispatches (tenant_id, id, item_id, parent_id, purpose, unit_id, user_id,
             instructions, due_on, status, outcome, reason, dispatched_by, dispatched_at,
             updated_by, updated_at)
         SELECT i.tenant_id, gen_random_uuid(), i.id, NULL, 'action', NULL, h.id, '',
             (i.registered_at + INTERVAL '5 days')::date,
             CASE WHEN i.sequence % {OPEN_EVERY} = 0 THEN 'in_progress' ELSE 'closed' END,
             CASE WHEN i.sequence % {OPEN_EVERY} = 0 THEN NULL ELSE 'answered' END, NULL,
             i.registered_by, i.registered_at + INTERVAL '1 hour', h.id,
             i.registered_at + INTERVAL '3 days'
         FROM mail_items i, h, t WHERE i.tenant_id = t.id AND i.year = 2000;
         ANALYZE mail_items; ANALYZE dispatches;",
        now = now.to_rfc3339(),
    );
    owner.connection().execute_unprepared(&sql).await?;
    Ok(())
}

/// p50 and p99 of `rounds` sequential GETs of `path`, after a few to warm up.
async fn latency(base: &str, token: &str, path: &str, rounds: usize) -> anyhow::Result<(f64, f64)> {
    let client = reqwest::Client::new();
    let get = || async {
        let response = client
            .get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.bytes().await?;
        Ok::<(), anyhow::Error>(())
    };
    for _ in 0..3 {
        get().await?;
    }
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        get().await?;
        times.push(started.elapsed());
    }
    times.sort();
    let at = |p: usize| {
        times
            .get((p * times.len()).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or(Duration::ZERO)
            .as_secs_f64()
            * 1000.0
    };
    Ok((at(50), at(99)))
}
