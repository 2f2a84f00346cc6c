//! The `ordo` binary itself, as a person runs it.

#![expect(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `ordo demo` on port 0 and returns the base URL it prints.
fn start_demo(data: &std::path::Path) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ordo demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let (found, url) = std::sync::mpsc::channel();
    // Keep reading stdout for the life of the process, as a terminal would.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.trim().strip_prefix("→ ") {
                let _ = found.send(url.trim_end_matches('/').to_owned());
            }
        }
    });
    let url = url
        .recv_timeout(Duration::from_secs(60))
        .expect("ordo demo prints its URL within a minute");
    (running, url)
}

#[tokio::test]
async fn demo_serves_from_an_empty_directory_and_keeps_its_data() {
    let data = tempfile::tempdir().expect("dir");
    let (demo, url) = start_demo(data.path());
    let ready = reqwest::get(format!("{url}/readyz"))
        .await
        .expect("GET /readyz");
    assert_eq!(ready.status(), 200);
    let login = reqwest::get(format!("{url}/connexion"))
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(login.contains("Connexion"));
    drop(demo);
    assert!(data.path().join("ordo.sqlite").exists());

    // The operator's command sees the seeded administrations in the same directory.
    let listed = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["tenant", "list", "--data"])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(listed.status.success());
    let text = String::from_utf8(listed.stdout).expect("utf-8");
    assert!(text.contains("MMG") && text.contains("MEF"), "{text}");

    // The export command writes a bag that bagit.py accepts, and says where.
    let bags = tempfile::tempdir().expect("dir");
    let exported = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["tenant", "export", "MMG", "--out"])
        .arg(bags.path())
        .arg("--data")
        .arg(data.path())
        .output()
        .expect("run");
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let said = String::from_utf8_lossy(&exported.stdout);
    let bag = said.lines().next().expect("the bag's path").to_owned();
    assert!(said.contains("SHA-512 du tagmanifest"), "{said}");
    let validated = Command::new(required_env("ORDO_TEST_PYTHON"))
        .arg(required_env("ORDO_TEST_BAGIT"))
        .args(["--validate", &bag])
        .output()
        .expect("bagit.py");
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );

    let created = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args([
            "tenant",
            "create",
            "--code",
            "mtp",
            "--name-fr",
            "Ministère des Travaux publics",
            "--admin-email",
            "admin@mtp.example.org",
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(data.path())
        .output()
        .expect("run");
    let progress = String::from_utf8_lossy(&created.stderr);
    assert!(created.status.success(), "{progress}");
    // Each step shown as it is reached.
    for step in ["[2/5] espace documentaire", "[3/5] cachet", "[5/5] terminé"] {
        assert!(progress.contains(step), "{progress}");
    }
    let duplicate = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args([
            "tenant",
            "create",
            "--code",
            "MTP",
            "--name-fr",
            "Encore",
            "--admin-email",
            "admin@mtp.example.org",
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(!duplicate.status.success());
    assert!(
        String::from_utf8_lossy(&duplicate.stderr)
            .contains("une administration porte déjà ce code")
    );

    // Deleted in two steps: asked, refused until exported, then confirmed with a
    // certificate.
    let ordo_here = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ordo"))
            .args(args)
            .arg("--data")
            .arg(data.path())
            .output()
            .expect("run")
    };
    let bags_path = bags.path().display().to_string();
    assert!(ordo_here(&["tenant", "suspend", "MTP"]).status.success());
    let requested = ordo_here(&["tenant", "delete", "MTP", "--request"]);
    assert!(requested.status.success());
    assert!(String::from_utf8_lossy(&requested.stdout).contains("suppression demandée"));
    let early = ordo_here(&["tenant", "delete", "MTP", "--confirm"]);
    assert!(!early.status.success());
    assert!(String::from_utf8_lossy(&early.stderr).contains("exportez d'abord"));
    assert!(
        ordo_here(&["tenant", "export", "MTP", "--out", &bags_path])
            .status
            .success()
    );
    let confirmed = ordo_here(&["tenant", "delete", "MTP", "--confirm"]);
    let certificate = String::from_utf8_lossy(&confirmed.stdout);
    assert!(
        confirmed.status.success(),
        "{}",
        String::from_utf8_lossy(&confirmed.stderr)
    );
    assert!(certificate.contains("\"fingerprint\""), "{certificate}");
    assert!(!String::from_utf8_lossy(&ordo_here(&["tenant", "list"]).stdout).contains("MTP"));

    // Restarted, the demo keeps everything and does not seed again.
    let (_demo, url) = start_demo(data.path());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let page = client
        .get(format!("{url}/connexion"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert!(page.contains("csrf"));
    let shown = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["tenant", "show", "MMG", "--data"])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Ministère des Mines"));
}

#[test]
fn bad_configuration_names_the_faulty_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["serve"])
        .env("ORDO_SERVER__LISTEN", "not-an-address")
        .output()
        .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("server.listen"), "{stderr}");

    let output = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args(["serve"])
        .env_remove("ORDO_DATABASE__URL")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&output.stderr).contains("database.url"));

    let output = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args([
            "tenant",
            "create",
            "--code",
            "X",
            "--name-fr",
            "Ministère",
            "--admin-email",
            "admin@x.example.org",
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(tempfile::tempdir().expect("dir").path())
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Code"));
}

/// The environment of the services `tests/run.sh` started, or a clear failure.
fn required_env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the suite with tests/run.sh"))
}

/// `postgres://user@host:port/database` on the test cluster.
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

async fn pg_admin(sql: &str) {
    use sea_orm::ConnectionTrait;
    let admin = ordo_db::Database::connect(&required_env("ORDO_TEST_PG_URL"), 1)
        .await
        .expect("connect");
    admin.connection().execute_unprepared(sql).await.expect(sql);
}

fn ordo(args: &[&str], env: &[(&str, String)]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ordo"));
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run ordo")
}

/// What an operator does in production: migrate as the owner, serve as the
/// application role, against PostgreSQL, the S3 server and SMTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_then_serve_on_postgres_s3_and_smtp() {
    let database = format!("ordo_serve_{}", uuid::Uuid::new_v4().simple());
    pg_admin(&format!("CREATE DATABASE {database}")).await;
    let owner = pg_url("postgres", &database);

    let migrate_env = [
        ("ORDO_DATABASE__URL", owner.clone()),
        ("ORDO_LOG__FORMAT", "pretty".to_owned()),
    ];
    let status = ordo(&["migrate", "status"], &migrate_env);
    assert!(String::from_utf8_lossy(&status.stdout).contains("pending m20261121_000001_platform"));
    assert!(ordo(&["migrate", "up"], &migrate_env).status.success());
    let status = ordo(&["migrate", "status"], &migrate_env);
    assert!(
        !String::from_utf8_lossy(&status.stdout).contains("pending"),
        "all applied"
    );
    pg_admin(
        "DO $$ BEGIN
           CREATE ROLE ordo_web LOGIN IN ROLE ordo_app;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END $$;",
    )
    .await;

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    let common = |database_url: String| {
        vec![
            ("ORDO_DATABASE__URL", database_url),
            ("ORDO_SERVER__LISTEN", address.to_string()),
            ("ORDO_SERVER__SECURE_COOKIES", "false".to_owned()),
            ("ORDO_STORAGE__KIND", "s3".to_owned()),
            (
                "ORDO_STORAGE__S3__ENDPOINT",
                required_env("ORDO_TEST_S3_ENDPOINT"),
            ),
            (
                "ORDO_STORAGE__S3__REGION",
                required_env("ORDO_TEST_S3_REGION"),
            ),
            (
                "ORDO_STORAGE__S3__ACCESS_KEY",
                required_env("ORDO_TEST_S3_ACCESS_KEY"),
            ),
            (
                "ORDO_STORAGE__S3__SECRET_KEY",
                required_env("ORDO_TEST_S3_SECRET_KEY"),
            ),
            (
                "ORDO_STORAGE__S3__BUCKET_PREFIX",
                format!("s{}", &uuid::Uuid::new_v4().simple().to_string()[..10]),
            ),
            ("ORDO_MAIL__SMTP_URL", required_env("ORDO_TEST_SMTP_URL")),
        ]
    };

    // As the owner, row-level security would not hold: serve refuses to start.
    let refused = ordo(&["serve"], &common(owner.clone()));
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("row-level security"));

    // As the application role, it serves; its logs are JSON lines.
    let app_env = common(pg_url("ordo_web", &database));
    let mut command = Command::new(env!("CARGO_BIN_EXE_ordo"));
    command
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (key, value) in &app_env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let _serve = Running(child);
    let base = format!("http://{address}");
    let mut ready = false;
    for _ in 0..100 {
        if let Ok(response) = reqwest::get(format!("{base}/readyz")).await {
            ready = response.status() == 200;
            if ready {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "ordo serve becomes ready on PostgreSQL and S3");

    let created = ordo(
        &[
            "tenant",
            "create",
            "--code",
            "MTP",
            "--name-fr",
            "Ministère des Travaux publics",
            "--admin-email",
            "admin@mtp.example.org",
            "--admin-password",
            "un mot de passe sûr",
        ],
        &app_env,
    );
    let progress = String::from_utf8_lossy(&created.stderr);
    assert!(created.status.success(), "{progress}");
    // Each step shown as it is reached.
    for step in ["[2/5] espace documentaire", "[3/5] cachet", "[5/5] terminé"] {
        assert!(progress.contains(step), "{progress}");
    }
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client
        .get(format!("{base}/connexion"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let marker = r#"name="csrf" value=""#;
    let token = page[page.find(marker).expect("csrf field") + marker.len()..]
        .split('"')
        .next()
        .expect("token")
        .to_owned();
    let signed_in = client
        .post(format!("{base}/connexion"))
        .form(&[
            ("csrf", token.as_str()),
            ("administration", "MTP"),
            ("login", "admin"),
            ("password", "un mot de passe sûr"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(
        signed_in.status(),
        303,
        "the new administration's administrator signs in"
    );

    let first_line = BufReader::new(stdout)
        .lines()
        .next()
        .expect("a log line")
        .expect("utf-8");
    let log: serde_json::Value = serde_json::from_str(&first_line).expect("logs are JSON lines");
    assert!(
        log.get("level").is_some() && log.get("timestamp").is_some(),
        "{first_line}"
    );
}

/// `ordo audit verify` says "intact" for an untouched journal and names the entry
/// someone edited directly in the database.
#[tokio::test]
async fn audit_verify_names_the_first_tampered_entry() {
    use sea_orm::ConnectionTrait;
    let data = tempfile::tempdir().expect("dir");
    let (_state, _) = ordo::demo::prepare(data.path()).await.expect("demo data");
    let verify = || {
        Command::new(env!("CARGO_BIN_EXE_ordo"))
            .args(["audit", "verify", "--tenant", "MMG", "--data"])
            .arg(data.path())
            .output()
            .expect("run")
    };
    let intact = verify();
    assert!(intact.status.success());
    let report = String::from_utf8_lossy(&intact.stdout).into_owned();
    assert!(
        report.contains("journal of MMG: intact, 8 entries"),
        "the demo's tenant creation, three registrations, a dispatch, \
         two drafts and a filing on the portal: {report}"
    );

    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("ordo.sqlite").display()
    );
    let db = ordo_db::Database::connect(&url, 1)
        .await
        .expect("open the file");
    db.connection()
        .execute_unprepared("UPDATE audit_entries SET actor = 'someone else' WHERE sequence = 1")
        .await
        .expect("tamper");
    let broken = verify();
    assert!(
        !broken.status.success(),
        "a broken journal fails the command"
    );
    let report = String::from_utf8_lossy(&broken.stdout).into_owned();
    assert!(
        report.contains("BROKEN at entry 1") && report.contains("edited"),
        "{report}"
    );
}

/// `ordo tenant suspend|resume` on the demo's data: done once, refused twice with a
/// clear message, and both in the operator's journal.
#[tokio::test]
async fn tenant_suspend_and_resume_from_the_command_line() {
    use sea_orm::ConnectionTrait;
    let data = tempfile::tempdir().expect("dir");
    let (state, _) = ordo::demo::prepare(data.path()).await.expect("demo data");
    let dir = data.path().display().to_string();
    let run = |action: &str| ordo(&["tenant", action, "MMG", "--data", &dir], &[]);
    let suspended = run("suspend");
    assert!(suspended.status.success(), "{suspended:?}");
    assert!(String::from_utf8_lossy(&suspended.stdout).contains("suspended"));
    let twice = run("suspend");
    assert!(!twice.status.success());
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("already suspended"),
        "{twice:?}"
    );
    let resumed = run("resume");
    assert!(resumed.status.success(), "{resumed:?}");
    let row = state
        .db
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "SELECT count(*) FROM operator_journal WHERE actor = 'cli'",
        ))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(row.try_get_by_index::<i64>(0).expect("count"), 3);
}
