//! The exchange between two ministries on one platform, through a release `ordo
//! serve` (its worker delivering every 250 ms as in production) on PostgreSQL with
//! full durability and the S3 server:
//! - from "send" to the item in the recipient's queue (the arrival committed with
//!   its draft and documents), p50 and p99;
//! - from the recipient's registration to the `Registered` receipt taken in at the
//!   sender, p50 and p99;
//! - envelopes per second, each with a 1 MB letter, sent in a burst;
//! - the same between two platforms: two `ordo serve` processes with their own
//!   databases and stores, over mutual TLS on loopback.

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
    registry::{Server, configured, fresh_database, serve},
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
    cross_platform(ordo, pg_admin_url, rows).await
}

/// One of two platforms: its database, its files, its addresses, its token.
struct Peer {
    code: &'static str,
    owner: Database,
    app_url: String,
    dir: std::path::PathBuf,
    port: u16,
    exchange_port: u16,
    token: String,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn run_ordo(ordo: &Path, peer_dir: &Path, app_url: &str, args: &[&str]) -> anyhow::Result<String> {
    let output = configured(ordo, app_url, peer_dir, None)
        .args(args)
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "ordo {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

impl Peer {
    async fn create(ordo: &Path, pg: &str, code: &'static str, dir: &Path) -> anyhow::Result<Self> {
        let (owner, app_url) =
            fresh_database(pg, &format!("ordo_bench_x{}", code.to_lowercase())).await?;
        std::fs::create_dir_all(dir)?;
        run_ordo(
            ordo,
            dir,
            &app_url,
            &[
                "tenant",
                "create",
                "--code",
                code,
                "--name-fr",
                &format!("Ministère {code}"),
                "--admin-email",
                "admin@example.org",
                "--admin-password",
                "un mot de passe sûr",
            ],
        )?;
        run_ordo(
            ordo,
            dir,
            &app_url,
            &[
                "exchange",
                "certificate",
                "--host",
                "127.0.0.1",
                "--out",
                &dir.join("certificates").display().to_string(),
            ],
        )?;
        let token = run_ordo(
            ordo,
            dir,
            &app_url,
            &["token", "create", "--tenant", code, "--user", "admin"],
        )?;
        Ok(Self {
            code,
            owner,
            app_url,
            dir: dir.to_path_buf(),
            port: free_port()?,
            exchange_port: free_port()?,
            token,
        })
    }

    /// Trusts `other`'s authority beside its own and imports its directory.
    fn connect_to(&self, ordo: &Path, other: &Self) -> anyhow::Result<()> {
        let authority =
            |peer: &Self| std::fs::read_to_string(peer.dir.join("certificates/authority.pem"));
        std::fs::write(
            self.dir.join("trusted.pem"),
            format!("{}{}", authority(self)?, authority(other)?),
        )?;
        let exported = run_ordo(
            ordo,
            &other.dir,
            &other.app_url,
            &["exchange", "export-directory"],
        )?;
        let file = self.dir.join("other.json");
        std::fs::write(&file, exported)?;
        run_ordo(
            ordo,
            &self.dir,
            &self.app_url,
            &[
                "exchange",
                "import-directory",
                &file.display().to_string(),
                "--url",
                &format!("https://127.0.0.1:{}", other.exchange_port),
            ],
        )?;
        Ok(())
    }

    fn serve(&self, ordo: &Path) -> anyhow::Result<Server> {
        let certificates = self.dir.join("certificates");
        let address = format!("127.0.0.1:{}", self.port);
        let child = configured(ordo, &self.app_url, &self.dir, None)
            .arg("serve")
            .env("ORDO_SERVER__LISTEN", &address)
            .env(
                "ORDO_EXCHANGE__LISTEN",
                format!("127.0.0.1:{}", self.exchange_port),
            )
            .env(
                "ORDO_EXCHANGE__CERTIFICATE",
                certificates.join("certificate.pem"),
            )
            .env(
                "ORDO_EXCHANGE__PRIVATE_KEY",
                certificates.join("private-key.pem"),
            )
            .env(
                "ORDO_EXCHANGE__TRUSTED_AUTHORITIES",
                self.dir.join("trusted.pem"),
            )
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        let server = Server(child);
        let started = Instant::now();
        while !crate::readyz(&address) {
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(30),
                "{} not ready",
                self.code
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(server)
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

async fn cross_platform(ordo: &Path, pg: &str, rows: &mut Vec<Row>) -> anyhow::Result<()> {
    let work = tempfile::tempdir()?;
    let sender = Peer::create(ordo, pg, "MINA", &work.path().join("a")).await?;
    let receiver = Peer::create(ordo, pg, "MINB", &work.path().join("b")).await?;
    sender.connect_to(ordo, &receiver)?;
    receiver.connect_to(ordo, &sender)?;
    let _a = sender.serve(ordo)?;
    let _b = receiver.serve(ordo)?;
    let (base_a, base_b) = (sender.base(), receiver.base());
    let api_a = bearer(&sender.token);
    let api_b = bearer(&receiver.token);
    let register = outgoing_register(&api_a, &base_a).await?;
    let letter = letter();

    let mut to_queue = Vec::new();
    let mut to_registered = Vec::new();
    for round in 0..ROUNDS {
        let item = outgoing(&api_a, &base_a, &register, &letter, round).await?;
        let begun = Instant::now();
        let envelope = send_to(&api_a, &base_a, &item, receiver.code).await?;
        let arrived = wait_for(
            &receiver.owner,
            &format!(
                "SELECT item_id::text FROM exchange_arrivals WHERE envelope_id = '{envelope}'"
            ),
        )
        .await?;
        to_queue.push(begun.elapsed());
        wait_for(&sender.owner, &format!(
            "SELECT status FROM exchange_recipients WHERE envelope_id = '{envelope}' AND status = 'accepted'"
        ))
        .await?;
        let begun = Instant::now();
        let answer = api_b
            .post(format!("{base_b}/api/v1/items/{arrived}/registration"))
            .json(&json!({ "subject": "Rapport", "sender": "Ministère MINA" }))
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "registration: {}",
            answer.status()
        );
        wait_for(&sender.owner, &format!(
            "SELECT status FROM exchange_recipients WHERE envelope_id = '{envelope}' AND status = 'registered'"
        ))
        .await?;
        to_registered.push(begun.elapsed());
    }
    to_queue.sort();
    to_registered.sort();
    rows.push(row(
        "exchange: send → in the recipient's queue, 1 MB letter, across platforms, mutual TLS (p50 / p99)",
        format!(
            "{:.2} / {:.2} s",
            percentile(&to_queue, 50).as_secs_f64(),
            percentile(&to_queue, 99).as_secs_f64()
        ),
        "p99 < 2 s",
        Some(percentile(&to_queue, 99) < Duration::from_secs(2)),
    ));
    rows.push(row(
        "exchange: registration → Registered receipt at the sender, across platforms (p50 / p99)",
        format!(
            "{:.2} / {:.2} s",
            percentile(&to_registered, 50).as_secs_f64(),
            percentile(&to_registered, 99).as_secs_f64()
        ),
        "p99 < 2 s",
        Some(percentile(&to_registered, 99) < Duration::from_secs(2)),
    ));

    let mut items = Vec::with_capacity(BURST);
    for round in 0..BURST {
        items.push(outgoing(&api_a, &base_a, &register, &letter, ROUNDS + round).await?);
    }
    let begun = Instant::now();
    for item in &items {
        send_to(&api_a, &base_a, item, receiver.code).await?;
    }
    loop {
        let now: i64 = text(
            &receiver.owner,
            "SELECT count(*)::text FROM exchange_arrivals",
        )
        .await?
        .parse()?;
        if now >= i64::try_from(ROUNDS + BURST)? {
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
        &format!(
            "exchange: {BURST} envelopes with a 1 MB letter across platforms, sent then delivered"
        ),
        format!("{rate:.1} /s"),
        ">= 10 /s",
        Some(rate >= 10.0),
    ));
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
    send_to(client, base, item, "MEF").await
}

async fn send_to(
    client: &reqwest::Client,
    base: &str,
    item: &str,
    to: &str,
) -> anyhow::Result<String> {
    let sent: Value = client
        .post(format!("{base}/api/v1/items/{item}/exchange"))
        .json(&json!({ "recipients": [{ "organisation": to }] }))
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
