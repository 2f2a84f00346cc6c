//! The public portal through a release `ordo serve` on PostgreSQL with full
//! durability and the S3 server, as a citizen reaches it:
//! - the bytes of the filing page (HTML, stylesheet, script);
//! - filings per second, each carrying a 1 MB letter, CLIENTS at a time, and the
//!   server's peak memory meanwhile;
//! - from the registration of a filing to its acknowledgment accepted by the SMTP
//!   server (PDF rendered at registration, delivered by the worker's outbox round,
//!   every 2 s as in production): p50 and p99.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use ordo_db::Database;
use ordo_domain::SystemClock;
use sea_orm::{ConnectionTrait, Statement};

use crate::{
    Row,
    registry::{fresh_database, serve},
    row,
};

const CLIENTS: usize = 8;
const SECONDS: u64 = 20;
const LETTER_BYTES: usize = 1024 * 1024;
const ACK_ROUNDS: usize = 40;

pub async fn run(ordo: &Path, pg_admin_url: &str, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let (owner, app_url) = fresh_database(pg_admin_url, "ordo_bench_portal").await?;
    let app = Database::connect(&app_url, 2).await?;
    let seed_store = ordo_storage::LocalStore::new(work.path().join("seed"));
    ordo::demo::seed_if_empty(&app, &seed_store, &SystemClock).await?;
    let s3 = ordo_storage::S3Settings {
        bucket_prefix: format!("portal{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        ..ordo_tests::s3_settings()
    };
    let server = serve(ordo, &app_url, work.path(), Some(&s3))?;
    let base = server.1.clone();

    // 1. What a phone downloads before any attachment.
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let html = client
        .get(format!("{base}/depot/MMG"))
        .send()
        .await?
        .bytes()
        .await?;
    let css = client
        .get(format!("{base}/static/ordo.css"))
        .send()
        .await?
        .bytes()
        .await?;
    let js = client
        .get(format!("{base}/static/ordo.js"))
        .send()
        .await?
        .bytes()
        .await?;
    let total = html.len() + css.len() + js.len();
    rows.push(row(
        "portal: filing page, HTML + CSS + script (uncompressed)",
        format!("{:.1} KB", total as f64 / 1024.0),
        "< 50 KB",
        Some(total < 50 * 1024),
    ));
    println!(
        "  (filing page: HTML {} B, CSS {} B, script {} B)",
        html.len(),
        css.len(),
        js.len()
    );

    // 2. Filings with a 1 MB letter, CLIENTS at a time.
    let letter = letter();
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client_index in 0..CLIENTS {
        let (base, letter) = (base.clone(), letter.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().cookie_store(true).build()?;
            let mut times = Vec::new();
            let mut n = 0;
            while Instant::now() < deadline {
                let begun = Instant::now();
                file(
                    &client,
                    &base,
                    &format!("bench{client_index}-{n}@example.org"),
                    letter.clone(),
                )
                .await?;
                times.push(begun.elapsed());
                n += 1;
            }
            Ok::<_, anyhow::Error>(times)
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await??);
    }
    let elapsed = started.elapsed();
    times.sort();
    let rate = times.len() as f64 / elapsed.as_secs_f64();
    rows.push(row(
        &format!("portal: filings with a 1 MB letter, {CLIENTS} clients, PostgreSQL + S3"),
        format!("{rate:.1} /s"),
        ">= 10 /s",
        Some(rate >= 10.0),
    ));
    rows.push(row(
        "  latency of one filing (p50 / p99)",
        format!(
            "{:.0} / {:.0} ms",
            crate::ms(percentile(&times, 50)),
            crate::ms(percentile(&times, 99))
        ),
        "",
        None,
    ));
    let peak_kib = crate::status_kib(&server.0.pid().to_string(), "VmHWM")?;
    rows.push(row(
        "  server peak memory (VmHWM) after the filings",
        format!("{:.0} MiB", peak_kib as f64 / 1024.0),
        "< 512 MiB",
        Some(peak_kib < 512 * 1024),
    ));

    // The burst's deposit e-mails leave through the outbox: how long until the last.
    let burst_end = Instant::now();
    loop {
        let pending = text(
            &owner,
            "SELECT count(*)::text FROM outbox_messages WHERE status = 'pending'",
        )
        .await?;
        if pending == "0" {
            break;
        }
        anyhow::ensure!(
            burst_end.elapsed() < Duration::from_secs(600),
            "the outbox did not drain in 10 minutes ({pending} left)"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    rows.push(row(
        &format!(
            "  deposit e-mails of the {} filings all accepted by SMTP after the burst",
            times.len()
        ),
        format!("{:.1} s", burst_end.elapsed().as_secs_f64()),
        "",
        None,
    ));

    // 3. Registration → acknowledgment accepted by the SMTP server.
    let maildir = std::path::PathBuf::from(std::env::var("ORDO_TEST_MAILDIR")?).join("new");
    let token = ordo::token_cli::create(&app, "MMG", "secretariat", "bench").await?;
    let api = reqwest::Client::new();
    let mut latencies = Vec::new();
    for round in 0..ACK_ROUNDS {
        let email = format!(
            "accuse{round}-{}@example.org",
            uuid::Uuid::new_v4().simple()
        );
        file(&client, &base, &email, b"%PDF-1.4\n%%EOF\n".to_vec()).await?;
        let item = text(
            &owner,
            &format!("SELECT item_id::text FROM portal_filings WHERE filer_email = '{email}'"),
        )
        .await?;
        let before = maildir_count(&maildir);
        let begun = Instant::now();
        let response = api
            .post(format!("{base}/api/v1/items/{item}/registration"))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "subject": "Demande", "sender": "Bench" }))
            .send()
            .await?;
        anyhow::ensure!(
            response.status().is_success(),
            "registration: {}",
            response.status()
        );
        // The deposit e-mail of this filing may still be on its way: wait for the
        // message that carries the PDF.
        loop {
            if maildir_holds_pdf_for(&maildir, &email) {
                break;
            }
            anyhow::ensure!(
                begun.elapsed() < Duration::from_secs(30),
                "no acknowledgment after 30 s ({} messages before)",
                before
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        latencies.push(begun.elapsed());
    }
    latencies.sort();
    let (p50, p99) = (percentile(&latencies, 50), percentile(&latencies, 99));
    rows.push(row(
        "portal: registration → acknowledgment accepted by SMTP (p50 / p99)",
        format!("{:.2} / {:.2} s", p50.as_secs_f64(), p99.as_secs_f64()),
        "< 5 s",
        Some(p99 < Duration::from_secs(5)),
    ));
    Ok(())
}

/// One filing through the form: the page (for its CSRF token), then the form.
async fn file(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    letter: Vec<u8>,
) -> anyhow::Result<()> {
    let page = client
        .get(format!("{base}/depot/MMG"))
        .send()
        .await?
        .text()
        .await?;
    let token = ordo_tests::csrf_token(&page);
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .text("cle", uuid::Uuid::new_v4().simple().to_string())
        .text("website", "")
        .text("filer_kind", "person")
        .text("name", "Citoyen de test")
        .text("email", email.to_owned())
        .text("subject", "Demande déposée en ligne")
        .part(
            "letter",
            reqwest::multipart::Part::bytes(letter)
                .file_name("lettre.pdf")
                .mime_str("application/pdf")?,
        );
    let response = client
        .post(format!("{base}/depot/MMG"))
        .multipart(form)
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "filing: {}",
        response.status()
    );
    response.bytes().await?;
    Ok(())
}

/// A PDF-looking letter of LETTER_BYTES, incompressible as a scan is.
pub(crate) fn letter() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    while bytes.len() < LETTER_BYTES {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(LETTER_BYTES);
    bytes
}

pub(crate) fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted
        .get((p * sorted.len()).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or(Duration::ZERO)
}

pub(crate) async fn text(db: &Database, sql: &str) -> anyhow::Result<String> {
    let row = db
        .connection()
        .query_one_raw(Statement::from_string(sea_orm::DbBackend::Postgres, sql))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no row: {sql}"))?;
    Ok(row.try_get_by_index::<String>(0)?)
}

fn maildir_count(maildir: &Path) -> usize {
    std::fs::read_dir(maildir).map(|d| d.count()).unwrap_or(0)
}

fn maildir_holds_pdf_for(maildir: &Path, email: &str) -> bool {
    std::fs::read_dir(maildir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .any(|m| m.contains(email) && m.contains("application/pdf"))
}
