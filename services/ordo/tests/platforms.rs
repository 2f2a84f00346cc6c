//! Two Ordo platforms exchange mail: two `ordo serve` processes, each with its own
//! PostgreSQL database and document store, on loopback, over mutual TLS with
//! certificates from their own authorities (`ordo exchange certificate`), each
//! holding the other's administrations (`ordo exchange export-directory` /
//! `import-directory`). An envelope goes from one to the other and is registered
//! there; the sender learns the number. The receiving platform is killed during a
//! send and restarted: the envelope arrives once, checked in both databases. Down
//! for longer than the retries: the sender is told `NotDelivered`, sends again, and
//! it arrives once. A client without a certificate is refused at the handshake.

#![expect(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::{
    process::{Child, Command},
    time::Duration,
};

use serde_json::{Value, json};

const LETTER: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn required_env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the suite with tests/run.sh"))
}

fn pg_url(user: &str, database: &str) -> String {
    let admin = required_env("ORDO_TEST_PG_URL");
    let host = admin
        .trim_start_matches("postgres://")
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("host");
    format!("postgres://{user}@{host}/{database}")
}

async fn pg(url: &str, sql: &str) {
    use sea_orm::ConnectionTrait;
    let db = ordo_db::Database::connect(url, 1).await.expect("connect");
    db.connection().execute_unprepared(sql).await.expect(sql);
}

async fn scalar(url: &str, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = ordo_db::Database::connect(url, 1).await.expect("connect");
    let row = db
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            sql,
        ))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

async fn text(url: &str, sql: &str) -> String {
    use sea_orm::ConnectionTrait;
    let db = ordo_db::Database::connect(url, 1).await.expect("connect");
    let row = db
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            sql,
        ))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get_by_index::<String>(0).expect("text")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// One platform: its database, its files, its ports, its administration.
struct Platform {
    code: &'static str,
    owner_url: String,
    env: Vec<(String, String)>,
    dir: tempfile::TempDir,
    base: String,
    exchange_url: String,
    token: String,
    serving: Option<Running>,
}

impl Platform {
    /// Migrates a new database, creates the administration `code` and issues the
    /// platform's certificate.
    async fn new(code: &'static str, name: &str) -> Self {
        let database = format!("ordo_platform_{}", uuid::Uuid::new_v4().simple());
        pg(
            &required_env("ORDO_TEST_PG_URL"),
            &format!("CREATE DATABASE {database}"),
        )
        .await;
        let owner_url = pg_url("postgres", &database);
        assert!(
            ordo(
                &["migrate", "up"],
                &[("ORDO_DATABASE__URL".to_owned(), owner_url.clone())]
            )
            .status
            .success()
        );
        pg(
            &required_env("ORDO_TEST_PG_URL"),
            "DO $$ BEGIN
               CREATE ROLE ordo_web LOGIN IN ROLE ordo_app;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$;",
        )
        .await;
        let dir = tempfile::tempdir().expect("dir");
        let (port, exchange_port) = (free_port(), free_port());
        let certificates = dir.path().join("certificates");
        let env: Vec<(String, String)> = [
            ("ORDO_DATABASE__URL", pg_url("ordo_web", &database)),
            ("ORDO_SERVER__LISTEN", format!("127.0.0.1:{port}")),
            ("ORDO_SERVER__SECURE_COOKIES", "false".to_owned()),
            ("ORDO_STORAGE__KIND", "local".to_owned()),
            (
                "ORDO_STORAGE__LOCAL_ROOT",
                dir.path().join("documents").display().to_string(),
            ),
            ("ORDO_MAIL__SMTP_URL", required_env("ORDO_TEST_SMTP_URL")),
            (
                "ORDO_EXCHANGE__LISTEN",
                format!("127.0.0.1:{exchange_port}"),
            ),
            (
                "ORDO_EXCHANGE__CERTIFICATE",
                certificates.join("certificate.pem").display().to_string(),
            ),
            (
                "ORDO_EXCHANGE__PRIVATE_KEY",
                certificates.join("private-key.pem").display().to_string(),
            ),
            (
                "ORDO_EXCHANGE__TRUSTED_AUTHORITIES",
                dir.path().join("trusted.pem").display().to_string(),
            ),
            // Retries in seconds, not minutes, so the test sees them run out.
            ("ORDO_EXCHANGE__FIRST_RETRY_SECONDS", "1".to_owned()),
            ("ORDO_EXCHANGE__MAX_ATTEMPTS", "4".to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let created = ordo(
            &[
                "tenant",
                "create",
                "--code",
                code,
                "--name-fr",
                name,
                "--admin-email",
                &format!("admin@{}.example.org", code.to_lowercase()),
                "--admin-password",
                "un mot de passe sûr",
            ],
            &env,
        );
        assert!(
            created.status.success(),
            "{}",
            String::from_utf8_lossy(&created.stderr)
        );
        let issued = ordo(
            &[
                "exchange",
                "certificate",
                "--host",
                "127.0.0.1",
                "--out",
                &certificates.display().to_string(),
            ],
            &env,
        );
        assert!(
            issued.status.success(),
            "{}",
            String::from_utf8_lossy(&issued.stderr)
        );
        let token = ordo(
            &["token", "create", "--tenant", code, "--user", "admin"],
            &env,
        );
        assert!(token.status.success());
        Self {
            code,
            owner_url,
            env,
            dir,
            base: format!("http://127.0.0.1:{port}"),
            exchange_url: format!("https://127.0.0.1:{exchange_port}"),
            token: String::from_utf8_lossy(&token.stdout).trim().to_owned(),
            serving: None,
        }
    }

    fn authority(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("certificates/authority.pem"))
            .expect("authority")
    }

    /// Trusts its own authority and `other`'s, and imports `other`'s directory.
    fn connect_to(&self, other: &Self) {
        std::fs::write(
            self.dir.path().join("trusted.pem"),
            format!("{}{}", self.authority(), other.authority()),
        )
        .expect("trusted");
        let exported = ordo(&["exchange", "export-directory"], &other.env);
        assert!(exported.status.success());
        let file = self.dir.path().join(format!("{}.json", other.code));
        std::fs::write(&file, &exported.stdout).expect("write");
        let imported = ordo(
            &[
                "exchange",
                "import-directory",
                &file.display().to_string(),
                "--url",
                &other.exchange_url,
            ],
            &self.env,
        );
        assert!(
            imported.status.success(),
            "{}",
            String::from_utf8_lossy(&imported.stderr)
        );
    }

    async fn start(&mut self) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ordo"));
        // Its log is kept beside its files, for a failure to be read.
        let log = std::fs::File::create(self.dir.path().join("serve.log")).expect("log");
        command
            .arg("serve")
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        for (key, value) in &self.env {
            command.env(key, value);
        }
        self.serving = Some(Running(command.spawn().expect("serve starts")));
        for _ in 0..150 {
            if reqwest::get(format!("{}/readyz", self.base))
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} does not become ready", self.code);
    }

    fn kill(&mut self) {
        self.serving = None;
    }

    fn api(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {}", self.token).parse().expect("header"),
        );
        reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("client")
    }

    /// Registers an outgoing letter with its PDF and sends it to `to`; returns the
    /// item and the envelope.
    async fn send_letter(&self, subject: &str, to: &str) -> (String, String) {
        let api = self.api();
        let registers: Value = api
            .get(format!("{}/api/v1/registers", self.base))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        let register = registers
            .as_array()
            .expect("registers")
            .iter()
            .find(|r| r["code"] == "DEP")
            .expect("DEP")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let item: Value = api
            .post(format!("{}/api/v1/registers/{register}/items", self.base))
            .json(&json!({ "subject": subject, "sender": "Secrétariat général", "recipient": to }))
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("json");
        let id = item["id"].as_str().expect("item").to_owned();
        let upload = api
            .post(format!(
                "{}/api/v1/items/{id}/documents?file_name=lettre.pdf",
                self.base
            ))
            .header("content-type", "application/pdf")
            .body(LETTER)
            .send()
            .await
            .expect("upload");
        assert_eq!(upload.status(), 201);
        let sent = api
            .post(format!("{}/api/v1/items/{id}/exchange", self.base))
            .json(&json!({ "recipients": [{ "organisation": to }] }))
            .send()
            .await
            .expect("send");
        assert_eq!(sent.status(), 201);
        let sent: Value = sent.json().await.expect("json");
        (
            id,
            sent["envelope_id"].as_str().expect("envelope").to_owned(),
        )
    }

    /// Where the item's first recipient stands, as the item page's API says.
    async fn standing(&self, item: &str) -> Value {
        let exchange: Value = self
            .api()
            .get(format!("{}/api/v1/items/{item}/exchange", self.base))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("json");
        exchange["sent"][0]["recipients"][0].clone()
    }

    /// Waits (60 s at most) until the item's recipient is `status`.
    async fn wait_for_status(&self, item: &str, status: &str) -> Value {
        for _ in 0..600 {
            let standing = self.standing(item).await;
            if standing["status"] == status {
                return standing;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let log = std::fs::read_to_string(self.dir.path().join("serve.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(20).collect();
        let errors = text(
            &self.owner_url,
            "SELECT coalesce(string_agg(last_error, ' | '), '') FROM exchange_queue",
        )
        .await;
        panic!(
            "{item} never reached {status}: {}\nlast errors: {errors}\n{}",
            self.standing(item).await,
            tail.join("\n")
        );
    }
}

fn ordo<K: AsRef<std::ffi::OsStr>>(args: &[&str], env: &[(K, String)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ordo"));
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run ordo")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_platforms_exchange_over_mutual_tls_exactly_once() {
    let mut sender = Platform::new("MINA", "Ministère de l'Agriculture").await;
    let mut receiver = Platform::new("MINB", "Ministère de la Pêche").await;
    sender.connect_to(&receiver);
    receiver.connect_to(&sender);
    sender.start().await;
    receiver.start().await;

    // 1. Sent, accepted, registered there; the sender learns the number.
    let (item, envelope) = sender.send_letter("Campagne agricole 2027", "MINB").await;
    sender.wait_for_status(&item, "accepted").await;
    let in_queue = |envelope: &str| {
        format!("SELECT count(*) FROM exchange_arrivals WHERE envelope_id = '{envelope}'")
    };
    assert_eq!(scalar(&receiver.owner_url, &in_queue(&envelope)).await, 1);
    let arrived = {
        use sea_orm::ConnectionTrait;
        let db = ordo_db::Database::connect(&receiver.owner_url, 1)
            .await
            .expect("connect");
        db.connection()
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!(
                    "SELECT item_id::text FROM exchange_arrivals WHERE envelope_id = '{envelope}'"
                ),
            ))
            .await
            .expect("query")
            .expect("row")
            .try_get_by_index::<String>(0)
            .expect("id")
    };
    let registered: Value = receiver
        .api()
        .post(format!(
            "{}/api/v1/items/{arrived}/registration",
            receiver.base
        ))
        .json(
            &json!({ "subject": "Campagne agricole 2027", "sender": "Ministère de l'Agriculture" }),
        )
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    let number = registered["number"].as_str().expect("number").to_owned();
    assert!(number.starts_with("MINB/ARR/"), "{number}");
    let standing = sender.wait_for_status(&item, "registered").await;
    assert_eq!(standing["their_number"], number.as_str());

    // 2. The receiving platform is down when the envelope leaves, then comes back:
    // delivered once.
    receiver.kill();
    let (item, envelope) = sender.send_letter("Subventions aux engrais", "MINB").await;
    let failed_once = format!(
        "SELECT count(*) FROM exchange_queue WHERE envelope_id = '{envelope}' AND attempts >= 1 AND last_error IS NOT NULL"
    );
    for _ in 0..100 {
        if scalar(&sender.owner_url, &failed_once).await == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        scalar(&sender.owner_url, &failed_once).await,
        1,
        "a failed attempt recorded"
    );
    receiver.start().await;
    sender.wait_for_status(&item, "accepted").await;
    assert_eq!(scalar(&receiver.owner_url, &in_queue(&envelope)).await, 1);
    assert_eq!(
        scalar(
            &sender.owner_url,
            &format!("SELECT count(*) FROM exchange_receipts WHERE envelope_id = '{envelope}' AND kind = 'Accepted'")
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            &sender.owner_url,
            &format!("SELECT count(*) FROM exchange_queue WHERE envelope_id = '{envelope}' AND status = 'done'")
        )
        .await,
        1
    );

    // 3. Down for longer than the retries: NotDelivered, then sent again and
    // delivered once.
    receiver.kill();
    let (item, envelope) = sender.send_letter("Recensement du cheptel", "MINB").await;
    let standing = sender.wait_for_status(&item, "not_delivered").await;
    assert!(
        standing["detail"]
            .as_str()
            .expect("detail")
            .contains("4 attempts"),
        "{standing}"
    );
    receiver.start().await;
    let resent = sender
        .api()
        .post(format!(
            "{}/api/v1/items/{item}/exchange/resend",
            sender.base
        ))
        .json(&json!({ "organisation": "MINB" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(resent.status(), 202);
    sender.wait_for_status(&item, "accepted").await;
    assert_eq!(scalar(&receiver.owner_url, &in_queue(&envelope)).await, 1);
    let kinds = format!(
        "SELECT count(DISTINCT kind) FROM exchange_receipts WHERE envelope_id = '{envelope}' AND kind IN ('NotDelivered', 'Accepted')"
    );
    assert_eq!(scalar(&sender.owner_url, &kinds).await, 2);

    // 4. Without a certificate, the exchange listener does not talk.
    let authority =
        reqwest::Certificate::from_pem(receiver.authority().as_bytes()).expect("authority");
    let anonymous = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(authority)
        .build()
        .expect("client");
    assert!(
        anonymous
            .post(format!(
                "{}/exchange/v1/MINB/envelopes",
                receiver.exchange_url
            ))
            .body("{}")
            .send()
            .await
            .is_err(),
        "refused at the handshake"
    );
    drop(sender);
    drop(receiver);
}
