//! The exchange between two ministries on one platform, through a release `ordo
//! serve` (its worker delivering every 250 ms as in production) on PostgreSQL with
//! full durability and the S3 server:
//! - from "send" to the item in the recipient's queue (the arrival committed with
//!   its draft and documents), p50 and p99;
//! - from the recipient's registration to the `Registered` receipt taken in at the
//!   sender, p50 and p99;
//! - envelopes per second, each with a 1 MB letter, sent in a burst;
//! - the same between two platforms: two `ordo serve` processes with their own
//!   databases and buckets, over mutual TLS on loopback.

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

    let sender = Side {
        api: &mines,
        base: &base,
        owner: &owner,
        code: "MMG",
    };
    let receiver = Side {
        api: &finances,
        base: &base,
        owner: &owner,
        code: "MEF",
    };
    measure(&sender, &receiver, "same platform", rows).await?;
    drop(server);
    cross_platform(ordo, pg_admin_url, rows).await
}

/// One of two platforms: its database, its files, its addresses, its token.
struct Peer {
    code: &'static str,
    owner: Database,
    app_url: String,
    s3: ordo_storage::S3Settings,
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

fn run_ordo(
    ordo: &Path,
    (dir, app_url, s3): (&Path, &str, &ordo_storage::S3Settings),
    args: &[&str],
) -> anyhow::Result<String> {
    let output = configured(ordo, app_url, dir, Some(s3))
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
        let s3 = ordo_storage::S3Settings {
            bucket_prefix: format!("x{}", &uuid::Uuid::new_v4().simple().to_string()[..8]),
            ..ordo_tests::s3_settings()
        };
        let name = format!("Ministère {code}");
        let here = (dir, app_url.as_str(), &s3);
        run_ordo(
            ordo,
            here,
            &[
                "tenant",
                "create",
                "--code",
                code,
                "--name-fr",
                &name,
                "--admin-email",
                "admin@example.org",
                "--admin-password",
                "un mot de passe sûr",
            ],
        )?;
        let certificates = dir.join("certificates").display().to_string();
        run_ordo(
            ordo,
            here,
            &[
                "exchange",
                "certificate",
                "--host",
                "127.0.0.1",
                "--out",
                &certificates,
            ],
        )?;
        let token = run_ordo(
            ordo,
            here,
            &["token", "create", "--tenant", code, "--user", "admin"],
        )?;
        Ok(Self {
            code,
            owner,
            app_url,
            s3,
            dir: dir.to_path_buf(),
            port: free_port()?,
            exchange_port: free_port()?,
            token,
        })
    }

    fn here(&self) -> (&Path, &str, &ordo_storage::S3Settings) {
        (&self.dir, &self.app_url, &self.s3)
    }

    /// Trusts `other`'s authority beside its own and imports its directory.
    fn connect_to(&self, ordo: &Path, other: &Self) -> anyhow::Result<()> {
        let authority =
            |peer: &Self| std::fs::read_to_string(peer.dir.join("certificates/authority.pem"));
        std::fs::write(
            self.dir.join("trusted.pem"),
            format!("{}{}", authority(self)?, authority(other)?),
        )?;
        let exported = run_ordo(ordo, other.here(), &["exchange", "export-directory"])?;
        let file = self.dir.join("other.json");
        std::fs::write(&file, exported)?;
        let url = format!("https://127.0.0.1:{}", other.exchange_port);
        run_ordo(
            ordo,
            self.here(),
            &[
                "exchange",
                "import-directory",
                &file.display().to_string(),
                "--url",
                &url,
            ],
        )?;
        Ok(())
    }

    fn serve(&self, ordo: &Path) -> anyhow::Result<Server> {
        let certificates = self.dir.join("certificates");
        let address = format!("127.0.0.1:{}", self.port);
        let child = configured(ordo, &self.app_url, &self.dir, Some(&self.s3))
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
    let sender = Side {
        api: &api_a,
        base: &base_a,
        owner: &sender.owner,
        code: sender.code,
    };
    let receiver = Side {
        api: &api_b,
        base: &base_b,
        owner: &receiver.owner,
        code: receiver.code,
    };
    measure(&sender, &receiver, "across platforms, mutual TLS", rows).await?;
    Ok(())
}

/// One side of a measurement: how to reach it, its database (to see arrivals and
/// receipts as they commit), its directory code.
struct Side<'a> {
    api: &'a reqwest::Client,
    base: &'a str,
    owner: &'a Database,
    code: &'a str,
}

/// ROUNDS envelopes one at a time (send → in the queue; registration → Registered
/// at the sender), then a BURST sent one after another and delivered by the
/// worker as fast as it goes; each figure beside its limit.
async fn measure(
    sender: &Side<'_>,
    receiver: &Side<'_>,
    setting: &str,
    rows: &mut Vec<Row>,
) -> anyhow::Result<()> {
    let register = outgoing_register(sender.api, sender.base).await?;
    let letter = letter();
    let arrivals = "SELECT count(*)::text FROM exchange_arrivals";
    let before: i64 = text(receiver.owner, arrivals).await?.parse()?;
    let mut to_queue = Vec::new();
    let mut to_registered = Vec::new();
    for round in 0..ROUNDS {
        let item = outgoing(sender.api, sender.base, &register, &letter, round).await?;
        let begun = Instant::now();
        let envelope = send_to(sender.api, sender.base, &item, receiver.code).await?;
        let arrived = wait_for(
            receiver.owner,
            &format!(
                "SELECT item_id::text FROM exchange_arrivals WHERE envelope_id = '{envelope}'"
            ),
        )
        .await?;
        to_queue.push(begun.elapsed());
        // The sender's Accepted is taken in right after: wait for it, so the next
        // measurement starts from a quiet worker.
        let standing = |status: &str| {
            format!(
                "SELECT status FROM exchange_recipients WHERE envelope_id = '{envelope}' AND status = '{status}'"
            )
        };
        wait_for(sender.owner, &standing("accepted")).await?;
        let begun = Instant::now();
        let answer = receiver
            .api
            .post(format!(
                "{}/api/v1/items/{arrived}/registration",
                receiver.base
            ))
            .json(&json!({ "subject": "Rapport", "sender": sender.code }))
            .send()
            .await?;
        anyhow::ensure!(
            answer.status().is_success(),
            "registration: {}",
            answer.status()
        );
        wait_for(sender.owner, &standing("registered")).await?;
        to_registered.push(begun.elapsed());
    }
    to_queue.sort();
    to_registered.sort();
    for (what, times) in [
        ("send → in the recipient's queue, 1 MB letter", &to_queue),
        (
            "registration → Registered receipt at the sender",
            &to_registered,
        ),
    ] {
        rows.push(row(
            &format!("exchange: {what}, {setting} (p50 / p99)"),
            format!(
                "{:.2} / {:.2} s",
                percentile(times, 50).as_secs_f64(),
                percentile(times, 99).as_secs_f64()
            ),
            "p99 < 2 s",
            Some(percentile(times, 99) < Duration::from_secs(2)),
        ));
    }

    let mut items = Vec::with_capacity(BURST);
    for round in 0..BURST {
        items.push(outgoing(sender.api, sender.base, &register, &letter, ROUNDS + round).await?);
    }
    let begun = Instant::now();
    for item in &items {
        send_to(sender.api, sender.base, item, receiver.code).await?;
    }
    let target = before + i64::try_from(ROUNDS + BURST)?;
    while text(receiver.owner, arrivals).await?.parse::<i64>()? < target {
        anyhow::ensure!(
            begun.elapsed() < Duration::from_secs(300),
            "burst not delivered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let rate = BURST as f64 / begun.elapsed().as_secs_f64();
    rows.push(row(
        &format!("exchange: {BURST} envelopes with a 1 MB letter, sent then delivered, {setting}"),
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
