//! `ordo-bench`: measures the foundation's costly capabilities and prints each figure
//! beside the limit it is held to. Run through `tests/bench.sh`, which starts the S3
//! server and builds the release binaries. Figures go to `docs/benchmarks.md`.
//!
//!   ordo-bench all --ordo target/release/ordo     every measurement below
//!   ordo-bench registry-sqlite --ordo target/release/ordo  registrations on SQLite alone
//!   ordo-bench dispatch --ordo target/release/ordo  inboxes and the dashboard at scale
//!   ordo-bench portal --ordo target/release/ordo    the public portal
//!   ordo-bench operator --ordo target/release/ordo  creating, 1,000 administrations, exporting
//!   ordo-bench exchange --ordo target/release/ordo  envelopes between two ministries
//!   ordo-bench store-once FILE                    (internal) stores FILE, prints peak RSS
//!
//! With `ORDO_BENCH_PG_URL` (a superuser URL), it also measures registrations through
//! the HTTP API against pgbench on that server.

#![expect(
    clippy::expect_used,
    clippy::print_stdout,
    reason = "a benchmark tool: output is its purpose"
)]

mod dispatch;
mod exchange;
mod operator;
mod portal;
mod registry;

use std::{
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use ordo_domain::TenantId;
use ordo_storage::{DocumentStore, S3Store};

const MIB: u64 = 1024 * 1024;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("store-once") => store_once(Path::new(args.get(1).expect("FILE"))).await,
        Some("all") => all(ordo_arg(&args)).await,
        Some("registry") => {
            // Registration throughput alone, for working on it.
            let mut rows = Vec::new();
            registry::run(ordo_arg(&args), &pg_url(), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        Some("registry-sqlite") => {
            // The embedded database's part of it alone (no PostgreSQL, no S3).
            let mut rows = Vec::new();
            registry::run_sqlite(ordo_arg(&args), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        Some("portal") => {
            // The public portal alone.
            let mut rows = Vec::new();
            portal::run(ordo_arg(&args), &pg_url(), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        Some("operator") => {
            // Creating, a thousand administrations, exporting.
            let mut rows = Vec::new();
            operator::run(ordo_arg(&args), &pg_url(), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        Some("exchange") => {
            // The exchange between two ministries alone.
            let mut rows = Vec::new();
            exchange::run(ordo_arg(&args), &pg_url(), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        Some("dispatch") => {
            // Inboxes and the dashboard alone.
            let mut rows = Vec::new();
            dispatch::run(ordo_arg(&args), &pg_url(), &mut rows).await?;
            print_rows(rows);
            Ok(())
        }
        _ => {
            eprintln!(
                "usage: ordo-bench all --ordo PATH | registry --ordo PATH | registry-sqlite --ordo PATH | dispatch --ordo PATH | portal --ordo PATH | operator --ordo PATH | exchange --ordo PATH | store-once FILE"
            );
            std::process::exit(2);
        }
    }
}

/// The `ordo` binary named by `--ordo PATH`.
fn ordo_arg(args: &[String]) -> &Path {
    let path = args
        .iter()
        .position(|a| a == "--ordo")
        .and_then(|i| args.get(i + 1))
        .expect("--ordo PATH");
    Path::new(path)
}

/// The PostgreSQL cluster to measure on (a superuser URL).
fn pg_url() -> String {
    std::env::var("ORDO_BENCH_PG_URL").expect("ORDO_BENCH_PG_URL")
}

struct Row {
    what: String,
    measured: String,
    limit: String,
    verdict: &'static str,
}

fn row(what: &str, measured: String, limit: &str, ok: Option<bool>) -> Row {
    let verdict = match ok {
        Some(true) => "ok",
        Some(false) => "MISSED",
        None => "",
    };
    Row {
        what: what.to_owned(),
        measured,
        limit: limit.to_owned(),
        verdict,
    }
}

async fn all(ordo: &Path) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let mut rows = Vec::new();
    println!("machine: {}", machine());

    // 1. Upload throughput: the storage layer against `aws s3 cp`, same file, same server.
    let size_mib = 512;
    let file = work.path().join("upload.bin");
    write_random_file(&file, size_mib * MIB)?;
    let store = S3Store::new(&ordo_tests::s3_settings());
    let tenant = TenantId::generate();
    store.prepare_tenant(tenant).await?;
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for round in 0..3 {
        let started = Instant::now();
        let mut reader = tokio::fs::File::open(&file).await?;
        store
            .put(tenant, &mut reader, "application/octet-stream")
            .await?;
        ours.push(mb_per_s(size_mib * MIB, started.elapsed()));
        let started = Instant::now();
        aws_cp(&file, &store.bucket_name(tenant), &format!("aws/{round}"))?;
        theirs.push(mb_per_s(size_mib * MIB, started.elapsed()));
    }
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    rows.push(row(
        &format!("S3 upload, {size_mib} MiB, ordo storage layer"),
        format!("{ours:.0} MB/s"),
        "",
        None,
    ));
    rows.push(row(
        &format!("S3 upload, {size_mib} MiB, aws s3 cp"),
        format!("{theirs:.0} MB/s"),
        "",
        None,
    ));
    let ratio = ours / theirs;
    rows.push(row(
        "  ratio ordo / aws s3 cp (median of 3)",
        format!("{ratio:.2}"),
        ">= 0.80",
        Some(ratio >= 0.8),
    ));

    // 2. Peak memory while storing a 1 GiB file, in a process of its own.
    let big = work.path().join("one-gib.bin");
    write_random_file(&big, 1024 * MIB)?;
    let output = Command::new(std::env::current_exe()?)
        .arg("store-once")
        .arg(&big)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "store-once failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8(output.stdout)?;
    let peak_kib: u64 = field(&report, "peak_rss_kib").parse()?;
    let seconds: f64 = field(&report, "seconds").parse()?;
    let peak = peak_kib as f64 / 1024.0;
    rows.push(row(
        "peak RSS while storing a 1 GiB file",
        format!("{peak:.1} MiB"),
        "< 64 MiB",
        Some(peak < 64.0),
    ));
    rows.push(row(
        "  (its upload rate)",
        format!("{:.0} MB/s", 1024.0 * 1.048_576 / seconds),
        "",
        None,
    ));
    drop(std::fs::remove_file(&big));

    // 3. The demo: start-up to ready, first start (seeding) and restart, and idle memory.
    let data = work.path().join("demo");
    let (first, _) = demo_start(ordo, &data)?;
    let (restart, idle_kib) = demo_start(ordo, &data)?;
    let idle = idle_kib as f64 / 1024.0;
    rows.push(row(
        "ordo demo start-up to ready, first start (seeds)",
        format!("{:.0} ms", ms(first)),
        "< 1000 ms",
        Some(first < Duration::from_secs(1)),
    ));
    rows.push(row(
        "ordo demo start-up to ready, restart",
        format!("{:.0} ms", ms(restart)),
        "< 1000 ms",
        Some(restart < Duration::from_secs(1)),
    ));
    rows.push(row(
        "ordo demo idle resident memory",
        format!("{idle:.1} MiB"),
        "< 50 MiB",
        Some(idle < 50.0),
    ));

    // 4. Registration throughput, when a PostgreSQL cluster is given (tests/bench.sh).
    if let Ok(pg) = std::env::var("ORDO_BENCH_PG_URL") {
        registry::run(ordo, &pg, &mut rows).await?;
        // 5. Inboxes and the dashboard at scale.
        dispatch::run(ordo, &pg, &mut rows).await?;
        // 6. The public portal.
        portal::run(ordo, &pg, &mut rows).await?;
        // 7. The operator agency: creating, a thousand administrations, exporting.
        operator::run(ordo, &pg, &mut rows).await?;
        // 8. The exchange between two ministries.
        exchange::run(ordo, &pg, &mut rows).await?;
    }

    print_rows(rows);
    Ok(())
}

fn print_rows(rows: Vec<Row>) {
    println!();
    println!(
        "{:<64} {:>12} {:>10}  verdict",
        "measure", "measured", "limit"
    );
    for r in rows {
        println!(
            "{:<64} {:>12} {:>10}  {}",
            r.what, r.measured, r.limit, r.verdict
        );
    }
}

/// Stores FILE through the storage layer and prints the process's peak RSS.
async fn store_once(file: &Path) -> anyhow::Result<()> {
    let store = S3Store::new(&ordo_tests::s3_settings());
    let tenant = TenantId::generate();
    store.prepare_tenant(tenant).await?;
    let started = Instant::now();
    let mut reader = tokio::fs::File::open(file).await?;
    let stored = store
        .put(tenant, &mut reader, "application/octet-stream")
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        stored.size == std::fs::metadata(file)?.len(),
        "short upload"
    );
    println!("seconds={seconds}");
    println!("peak_rss_kib={}", status_kib("self", "VmHWM")?);
    Ok(())
}

/// Starts `ordo demo`, times it to a ready `/readyz`, reads its RSS after 3 s idle, stops it.
fn demo_start(ordo: &Path, data: &Path) -> anyhow::Result<(Duration, u64)> {
    let started = Instant::now();
    let mut child = Command::new(ordo)
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let stdout = child.stdout.take().expect("stdout");
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        if let Some(found) = line?.trim().strip_prefix("→ ") {
            url = Some(found.trim_end_matches('/').to_owned());
            break;
        }
    }
    let url = url.expect("the demo prints its URL");
    let address = url.trim_start_matches("http://").to_owned();
    loop {
        if readyz(&address) {
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(30),
            "demo not ready after 30 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let ready = started.elapsed();
    std::thread::sleep(Duration::from_secs(3));
    let rss = status_kib(&child.id().to_string(), "VmRSS")?;
    child.kill()?;
    child.wait()?;
    Ok((ready, rss))
}

/// A minimal HTTP/1.1 GET of /readyz: no client library in the measured path.
fn readyz(address: &str) -> bool {
    use std::io::Read;
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let request = format!("GET /readyz HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    stream.read_to_string(&mut response).is_ok() && response.starts_with("HTTP/1.1 200")
}

fn aws_cp(file: &Path, bucket: &str, key: &str) -> anyhow::Result<()> {
    let status = Command::new("aws")
        .args([
            "s3",
            "cp",
            "--quiet",
            "--endpoint-url",
            &ordo_tests::required_env("ORDO_TEST_S3_ENDPOINT"),
        ])
        .arg(file)
        .arg(format!("s3://{bucket}/{key}"))
        .env(
            "AWS_ACCESS_KEY_ID",
            ordo_tests::required_env("ORDO_TEST_S3_ACCESS_KEY"),
        )
        .env(
            "AWS_SECRET_ACCESS_KEY",
            ordo_tests::required_env("ORDO_TEST_S3_SECRET_KEY"),
        )
        .env(
            "AWS_DEFAULT_REGION",
            ordo_tests::required_env("ORDO_TEST_S3_REGION"),
        )
        .env("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
        .env("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
        .status()?;
    anyhow::ensure!(status.success(), "aws s3 cp failed");
    Ok(())
}

fn write_random_file(path: &PathBuf, size: u64) -> anyhow::Result<()> {
    use rand::RngCore;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut chunk = vec![0u8; MIB as usize];
    let mut rng = rand::rng();
    for _ in 0..size / MIB {
        rng.fill_bytes(&mut chunk);
        file.write_all(&chunk)?;
    }
    file.flush()?;
    Ok(())
}

fn status_kib(pid: &str, key: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with(key))
        .ok_or_else(|| anyhow::anyhow!("{key} not in /proc/{pid}/status"))?;
    Ok(line.split_whitespace().nth(1).unwrap_or("0").parse()?)
}

fn field<'a>(report: &'a str, key: &str) -> &'a str {
    report
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or("0")
}

fn mb_per_s(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / 1e6 / took.as_secs_f64()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let memory = status_kib_meminfo()
        .map(|k| format!("{:.0} GiB", k as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {memory}")
}

fn status_kib_meminfo() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    info.lines()
        .find(|l| l.starts_with("MemTotal"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}
