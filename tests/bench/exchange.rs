//! The exchange between two ministries on one platform, through a release `ordo
//! serve` (its worker delivering every 250 ms as in production) on PostgreSQL with
//! full durability and the S3 server:
//! - from "send" to the item in the recipient's queue (the arrival committed with
//!   its draft and documents), p50 and p99;
//! - from the recipient's registration to the `Registered` receipt taken in at the
//!   sender, p50 and p99;
//! - envelopes per second, each with a 1 MB letter, sent in a burst.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use ordo_db::Database;
use ordo_domain::SystemClock;
use serde_json::{Value, json};

use crate::{
    Row,
    portal::{letter, percentile, text},
    registry::{fresh_database, serve},
    row,
};

const ROUNDS: usize = 40;
const BURST: usize = 100;

pub async fn run(ordo: &Path, pg_admin_url: &str, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let (owner, app_url) = fresh_database(pg_admin_url, "ordo_bench_exchange").await?;
    let app = Database::connect(&app_url, 2).await?;
    let seed_store = ordo_storage::LocalStore::new(work.path().join("seed"));
    ordo::demo::seed_if_empty(&app, &seed_store, &SystemClock).await?;
    let s3 = ordo_storage::S3Settings {
        bucket_prefix: format!("exch{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
        ..ordo_tests::s3_settings()
    };
    let server = serve(ordo, &app_url, work.path(), Some(&s3))?;
    let base = server.1.clone();
    let mines = bearer(&ordo::token_cli::create(&app, "MMG", "secretariat", "bench").await?);
    let finances = bearer(&ordo::token_cli::create(&app, "MEF", "secretariat", "bench").await?);
    let register = outgoing_register(&mines, &base).await?;
    let letter = letter();

    // 1 and 2: one envelope at a time.
    let mut to_queue = Vec::new();
    let mut to_registered = Vec::new();
    for round in 0..ROUNDS {
        let item = outgoing(&mines, &base, &register, &letter, round).await?;
        let begun = Instant::now();
        let envelope = send(&mines, &base, &item).await?;
        let arrived = wait_for(
            &owner,
            &format!(
                "SELECT item_id::text FROM exchange_arrivals WHERE envelope_id = '{envelope}'"
            ),
        )
        .await?;
        to_queue.push(begun.elapsed());
        // The sender's Accepted is taken in right after: wait for it, so the next
        // measurement starts from a quiet worker.
        wait_for(&owner, &format!(
            "SELECT status FROM exchange_recipients WHERE envelope_id = '{envelope}' AND status = 'accepted'"
        ))
        .await?;
        let begun = Instant::now();
        let answer = finances
            .post(format!("{base}/api/v1/items/{arrived}/registration"))
            .json(&json!({ "subject": "Rapport", "sender": "Ministère des Mines" }))
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "registration: {}",
            answer.status()
        );
        wait_for(&owner, &format!(
            "SELECT status FROM exchange_recipients WHERE envelope_id = '{envelope}' AND status = 'registered'"
        ))
        .await?;
        to_registered.push(begun.elapsed());
    }
    to_queue.sort();
    to_registered.sort();
    rows.push(row(
        "exchange: send → in the recipient's queue, 1 MB letter, same platform (p50 / p99)",
        format!(
            "{:.2} / {:.2} s",
            percentile(&to_queue, 50).as_secs_f64(),
            percentile(&to_queue, 99).as_secs_f64()
        ),
        "p99 < 2 s",
        Some(percentile(&to_queue, 99) < Duration::from_secs(2)),
    ));
    rows.push(row(
        "exchange: registration → Registered receipt at the sender (p50 / p99)",
        format!(
            "{:.2} / {:.2} s",
            percentile(&to_registered, 50).as_secs_f64(),
            percentile(&to_registered, 99).as_secs_f64()
        ),
        "p99 < 2 s",
        Some(percentile(&to_registered, 99) < Duration::from_secs(2)),
    ));

    // 3. A burst: BURST registered letters sent one after another, delivered by the
    // worker as fast as it goes.
    let mut items = Vec::with_capacity(BURST);
    for round in 0..BURST {
        items.push(outgoing(&mines, &base, &register, &letter, ROUNDS + round).await?);
    }
    let before: i64 = text(&owner, "SELECT count(*)::text FROM exchange_arrivals")
        .await?
        .parse()?;
    let begun = Instant::now();
    for item in &items {
        send(&mines, &base, item).await?;
    }
    let target = before + i64::try_from(BURST)?;
    loop {
        let now: i64 = text(&owner, "SELECT count(*)::text FROM exchange_arrivals")
            .await?
            .parse()?;
        if now >= target {
            break;
        }
        anyhow::ensure!(
            begun.elapsed() < Duration::from_secs(300),
            "burst not delivered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = BURST as f64 / begun.elapsed().as_secs_f64();
    rows.push(row(
        &format!("exchange: {BURST} envelopes with a 1 MB letter, sent then delivered"),
        format!("{rate:.1} /s"),
        ">= 10 /s",
        Some(rate >= 10.0),
    ));
    drop(server);
    Ok(())
}

fn bearer(token: &str) -> reqwest::Client {
    ordo_tests::bearer_client(token)
}

async fn outgoing_register(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let registers: Value = client
        .get(format!("{base}/api/v1/registers"))
        .send()
        .await?
        .json()
        .await?;
    Ok(registers
        .as_array()
        .and_then(|all| all.iter().find(|r| r["code"] == "DEP"))
        .and_then(|r| r["id"].as_str())
        .ok_or_else(|| anyhow::anyhow!("no DEP register"))?
        .to_owned())
}

/// A registered outgoing letter with its 1 MB PDF.
async fn outgoing(
    client: &reqwest::Client,
    base: &str,
    register: &str,
    letter: &[u8],
    round: usize,
) -> anyhow::Result<String> {
    let item: Value = client
        .post(format!("{base}/api/v1/registers/{register}/items"))
        .json(&json!({ "subject": format!("Rapport {round}"), "sender": "Secrétariat général", "recipient": "MEF" }))
        .send()
        .await?
        .json()
        .await?;
    let id = item["id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("registration: {item}"))?
        .to_owned();
    let upload = client
        .post(format!(
            "{base}/api/v1/items/{id}/documents?file_name=rapport.pdf"
        ))
        .header("content-type", "application/pdf")
        .body(letter.to_vec())
        .send()
        .await?;
    anyhow::ensure!(upload.status().is_success(), "upload: {}", upload.status());
    Ok(id)
}

async fn send(client: &reqwest::Client, base: &str, item: &str) -> anyhow::Result<String> {
    let sent: Value = client
        .post(format!("{base}/api/v1/items/{item}/exchange"))
        .json(&json!({ "recipients": [{ "organisation": "MEF" }] }))
        .send()
        .await?
        .json()
        .await?;
    Ok(sent["envelope_id"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("send: {sent}"))?
        .to_owned())
}

/// Polls `sql` every 5 ms until it returns a row; its text.
async fn wait_for(owner: &Database, sql: &str) -> anyhow::Result<String> {
    let begun = Instant::now();
    loop {
        if let Ok(found) = text(owner, sql).await {
            return Ok(found);
        }
        anyhow::ensure!(
            begun.elapsed() < Duration::from_secs(30),
            "waited 30 s: {sql}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
