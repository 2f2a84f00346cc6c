//! The operator agency's costly operations, on PostgreSQL with full durability and
//! the real S3 server:
//! - creating an administration end to end (request checked, bucket with
//!   versioning and object lock, seal, rows, invitation queued);
//! - registration latency through the API of two release `ordo serve`, one on a
//!   platform holding one administration and one on a platform of a thousand,
//!   asked in turn (goal: no measurable growth);
//! - exporting an administration of 10,000 items with a 100 KB scan each, by
//!   `ordo tenant export` in a process of its own: throughput and peak memory.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use ordo_db::Database;
use ordo_domain::SystemClock;
use ordo_operator::{CreationRequest, Onboarding, unobserved};
use ordo_storage::{DocumentStore, S3Store};
use sea_orm::ConnectionTrait;

use crate::{
    Row,
    registry::{configured, document, fresh_database, serve},
    row,
};

const CREATIONS: usize = 10;
const TENANTS: usize = 1_000;
/// Registrations per platform in a round, and rounds: each round's ratio shows
/// how much the figure moves from one minute to the next.
const REGISTRATIONS: usize = 200;
const ROUNDS: usize = 5;
const WARM_UP: usize = 20;
const EXPORT_ITEMS: usize = 10_000;
const PUTS_IN_FLIGHT: usize = 16;

fn request(code: &str) -> CreationRequest {
    CreationRequest {
        code: code.to_owned(),
        name_fr: format!("Administration {code}"),
        time_zone: "Africa/Conakry".to_owned(),
        admin_login: "chef".to_owned(),
        admin_name: format!("Chef {code}"),
        admin_email: format!("chef@{}.bench.ordo", code.to_lowercase()),
        ..CreationRequest::default()
    }
}

fn onboarding<'a>(db: &'a Database, store: &'a dyn DocumentStore) -> Onboarding<'a> {
    Onboarding {
        db,
        store,
        clock: &SystemClock,
        public_url: "http://ordo.bench",
        actor: "bench",
        origin: "bench",
    }
}

fn percentile(times: &mut [Duration], p: usize) -> f64 {
    times.sort();
    times
        .get((p * times.len()).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or(Duration::ZERO)
        .as_secs_f64()
        * 1000.0
}

pub async fn run(ordo: &Path, pg_admin_url: &str, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let s3 = ordo_storage::S3Settings {
        bucket_prefix: format!("op{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        ..ordo_tests::s3_settings()
    };
    let store = S3Store::new(&s3);

    // 1. Creating an administration, end to end, on the real S3 server.
    let (owner, app_url) = fresh_database(pg_admin_url, "ordo_bench_operator").await?;
    let app = Database::connect(&app_url, 4).await?;
    let mut times = Vec::with_capacity(CREATIONS);
    for i in 0..CREATIONS {
        let started = Instant::now();
        onboarding(&app, &store)
            .create_from(&request(&format!("C{i:03}")), &unobserved)
            .await?;
        times.push(started.elapsed());
    }
    let (p50, max) = (percentile(&mut times, 50), percentile(&mut times, 100));
    rows.push(row(
        "create an administration, end to end (PostgreSQL + S3)",
        format!("p50 {:.2} s, max {:.2} s", p50 / 1000.0, max / 1000.0),
        "<= 60 s",
        Some(max <= 60_000.0),
    ));

    // 2. Registration latency on a platform of one administration and on one of a
    //    thousand, both running at once and asked in turn, so that whatever else
    //    the machine does falls on both alike.
    let started = Instant::now();
    let local = ordo_storage::LocalStore::new(work.path().join("many"));
    for i in CREATIONS..TENANTS {
        onboarding(&app, &local)
            .create_from(&request(&format!("T{i:04}")), &unobserved)
            .await?;
    }
    owner.connection().execute_unprepared("ANALYZE").await?;
    println!(
        "  ({} more administrations created in {:.0} s)",
        TENANTS - CREATIONS,
        started.elapsed().as_secs_f64()
    );
    let (alone_owner, alone_url) =
        fresh_database(pg_admin_url, "ordo_bench_operator_alone").await?;
    let alone_app = Database::connect(&alone_url, 2).await?;
    onboarding(
        &alone_app,
        &ordo_storage::LocalStore::new(work.path().join("alone")),
    )
    .create_from(&request("C000"), &unobserved)
    .await?;
    alone_owner
        .connection()
        .execute_unprepared("ANALYZE")
        .await?;
    let among = Platform::start(ordo, &app, &app_url, &work.path().join("among")).await?;
    let alone = Platform::start(ordo, &alone_app, &alone_url, &work.path().join("alone")).await?;
    let client = reqwest::Client::new();
    for n in 0..WARM_UP {
        alone.register(&client, n).await?;
        among.register(&client, n).await?;
    }
    let (mut alone_times, mut among_times) = (Vec::new(), Vec::new());
    let mut round_ratios = Vec::new();
    for round in 0..ROUNDS {
        let (mut alone_round, mut among_round) = (Vec::new(), Vec::new());
        for n in 0..REGISTRATIONS {
            // Each pair in turn starts with the other platform.
            let alone_first = (round * REGISTRATIONS + n).is_multiple_of(2);
            for first in [alone_first, !alone_first] {
                let (platform, times) = if first {
                    (&alone, &mut alone_round)
                } else {
                    (&among, &mut among_round)
                };
                let started = Instant::now();
                platform.register(&client, n).await?;
                times.push(started.elapsed());
            }
        }
        round_ratios.push(percentile(&mut among_round, 50) / percentile(&mut alone_round, 50));
        alone_times.extend(alone_round);
        among_times.extend(among_round);
    }
    let samples = ROUNDS * REGISTRATIONS;
    let (alone_p50, alone_p99) = (
        percentile(&mut alone_times, 50),
        percentile(&mut alone_times, 99),
    );
    let (among_p50, among_p99) = (
        percentile(&mut among_times, 50),
        percentile(&mut among_times, 99),
    );
    rows.push(row(
        &format!("registration, API, platform of 1 administration ({samples}, interleaved)"),
        format!("p50 {alone_p50:.1} ms, p99 {alone_p99:.1} ms"),
        "",
        None,
    ));
    rows.push(row(
        &format!("registration, API, platform of {TENANTS} ({samples}, interleaved)"),
        format!("p50 {among_p50:.1} ms, p99 {among_p99:.1} ms"),
        "",
        None,
    ));
    let growth = among_p50 / alone_p50;
    round_ratios.sort_by(f64::total_cmp);
    rows.push(row(
        &format!("  p50 growth, {TENANTS} administrations / 1"),
        format!(
            "{growth:.2} (rounds of {REGISTRATIONS}: {:.2} to {:.2})",
            round_ratios.first().copied().unwrap_or_default(),
            round_ratios.last().copied().unwrap_or_default()
        ),
        "<= 1.20",
        Some(growth <= 1.2),
    ));
    drop((alone, among));

    // 3. Exporting 10,000 items with a 100 KB scan each.
    let started = Instant::now();
    let bytes = fill_for_export(&owner, &app, &s3, "C001").await?;
    println!(
        "  (export data: {EXPORT_ITEMS} items and scans written in {:.0} s)",
        started.elapsed().as_secs_f64()
    );
    let bags = work.path().join("bags");
    std::fs::create_dir_all(&bags)?;
    let started = Instant::now();
    let mut child = configured(ordo, &app_url, work.path(), Some(&s3))
        .args(["tenant", "export", "C001", "--out"])
        .arg(&bags)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    // VmHWM is the peak so far: the last reading before the process ends is its peak.
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(kib) = crate::status_kib(&child.id().to_string(), "VmHWM") {
            peak_kib = kib;
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    anyhow::ensure!(status.success(), "ordo tenant export failed");
    let throughput = crate::mb_per_s(bytes, took);
    rows.push(row(
        &format!("export, {EXPORT_ITEMS} items + 100 KB scans, bag with SHA-512"),
        format!("{throughput:.0} MB/s ({:.0} s)", took.as_secs_f64()),
        ">= 20 MB/s",
        Some(throughput >= 20.0),
    ));
    let peak_mib = peak_kib as f64 / 1024.0;
    rows.push(row(
        "  peak memory of the export process (VmHWM)",
        format!("{peak_mib:.0} MiB"),
        "<= 100 MiB",
        Some(peak_mib <= 100.0),
    ));
    Ok(())
}

/// A release `ordo serve` on its own database, and what registering in C000's
/// incoming register through its API takes.
struct Platform {
    _server: crate::registry::Server,
    url: String,
    token: String,
    register: String,
}

impl Platform {
    async fn start(ordo: &Path, db: &Database, app_url: &str, dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let token = ordo::token_cli::create(db, "C000", "chef", "bench").await?;
        let (server, url) = serve(ordo, app_url, dir, None)?;
        let registers: serde_json::Value = reqwest::Client::new()
            .get(format!("{url}/api/v1/registers"))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        let register = registers
            .as_array()
            .and_then(|all| all.iter().find(|r| r["direction"] == "incoming"))
            .and_then(|r| r["id"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no incoming register: {registers}"))?;
        Ok(Self {
            _server: server,
            url,
            token,
            register,
        })
    }

    async fn register(&self, client: &reqwest::Client, n: usize) -> anyhow::Result<()> {
        let response = client
            .post(format!(
                "{}/api/v1/registers/{}/items",
                self.url, self.register
            ))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({
                "subject": format!("Courrier de mesure n° {n}"),
                "sender": "Direction régionale de Boké",
                "letter_date": "2026-01-05",
            }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "registration: {}",
            response.status()
        );
        response.bytes().await?;
        Ok(())
    }
}

/// Writes EXPORT_ITEMS registered items in the administration `code`, each with a
/// 100 KB scan stored in S3 (PUTS_IN_FLIGHT at a time); returns the scans' bytes.
async fn fill_for_export(
    owner: &Database,
    app: &Database,
    s3: &ordo_storage::S3Settings,
    code: &str,
) -> anyhow::Result<u64> {
    let tx = app.platform().await?;
    let tenant = tx
        .tenants()
        .find_by_code(&ordo_domain::TenantCode::parse(code)?)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no {code}"))?;
    tx.commit().await?;
    let scan = std::sync::Arc::new(document());
    let mut stored = Vec::with_capacity(EXPORT_ITEMS);
    let mut in_flight = tokio::task::JoinSet::new();
    let store = std::sync::Arc::new(S3Store::new(s3));
    for _ in 0..EXPORT_ITEMS {
        if in_flight.len() >= PUTS_IN_FLIGHT
            && let Some(done) = in_flight.join_next().await
        {
            stored.push(done??);
        }
        let (store, scan) = (store.clone(), scan.clone());
        in_flight.spawn(async move {
            let mut body: &[u8] = &scan;
            store.put(tenant.id, &mut body, "application/pdf").await
        });
    }
    while let Some(done) = in_flight.join_next().await {
        stored.push(done??);
    }
    let now = ordo_domain::Clock::now(&SystemClock).to_rfc3339();
    owner
        .connection()
        .execute_unprepared(&format!(
            "WITH t AS (SELECT id FROM tenants WHERE code = '{code}'),
                  r AS (SELECT r.id FROM registers r, t WHERE r.tenant_id = t.id AND r.direction = 'incoming' ORDER BY r.code LIMIT 1),
                  b AS (SELECT u.id FROM users u, t WHERE u.tenant_id = t.id AND u.login = 'chef')
             INSERT INTO mail_items (tenant_id, id, register_id, status, year, sequence, number, subject,
                 nature, channel, priority, confidentiality, sender, recipient, received_at,
                 registered_at, registered_by, keywords, paper_location, created_at, version, created_by)
             SELECT t.id, gen_random_uuid(), r.id, 'registered', 2000, g, '{code}/EXPORT/' || g,
                 'Courrier exporté n° ' || g, 'other', 'post', 'normal', 'normal',
                 'Expéditeur ' || (g % 500), '', TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', b.id, '', '',
                 TIMESTAMPTZ '{now}', 1, b.id
             FROM generate_series(1, {EXPORT_ITEMS}) g, t, r, b"
        ))
        .await?;
    for (chunk_index, chunk) in stored.chunks(1_000).enumerate() {
        let values: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, object)| {
                format!(
                    "({}, '{}', '{}', {})",
                    chunk_index * 1_000 + i + 1,
                    object.key,
                    object.sha256,
                    object.size
                )
            })
            .collect();
        owner
            .connection()
            .execute_unprepared(&format!(
                "WITH t AS (SELECT id FROM tenants WHERE code = '{code}'),
                      b AS (SELECT u.id FROM users u, t WHERE u.tenant_id = t.id AND u.login = 'chef'),
                      v(seq, object_key, sha256, size) AS (VALUES {})
                 INSERT INTO documents (tenant_id, id, item_id, role, file_name, media_type, size,
                     sha256, object_key, uploaded_by, uploaded_at)
                 SELECT t.id, gen_random_uuid(), i.id, 'main', 'scan-' || v.seq || '.pdf',
                     'application/pdf', v.size, v.sha256, v.object_key, b.id, TIMESTAMPTZ '{now}'
                 FROM v, t, b, mail_items i
                 WHERE i.tenant_id = t.id AND i.year = 2000 AND i.sequence = v.seq",
                values.join(", ")
            ))
            .await?;
    }
    owner.connection().execute_unprepared("ANALYZE").await?;
    Ok(stored.iter().map(|s| s.size).sum::<u64>())
}
