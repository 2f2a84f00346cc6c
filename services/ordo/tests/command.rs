//! The `ordo` binary itself, as a person runs it.

#![expect(clippy::expect_used, reason = "tests fail loudly")]

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

    let created = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args([
            "tenant",
            "create",
            "--code",
            "mtp",
            "--name-fr",
            "Ministère des Travaux publics",
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let duplicate = Command::new(env!("CARGO_BIN_EXE_ordo"))
        .args([
            "tenant",
            "create",
            "--code",
            "MTP",
            "--name-fr",
            "Encore",
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));

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
        .args(["tenant", "show", "MTP", "--data"])
        .arg(data.path())
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Ministère des Travaux publics"));
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
            "--admin-password",
            "un mot de passe sûr",
            "--data",
        ])
        .arg(tempfile::tempdir().expect("dir").path())
        .output()
        .expect("run");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("code"));
}
