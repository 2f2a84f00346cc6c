//! The dashboard, with the clock moved: volumes, the unit responsible, processing
//! times and the overdue backlog, on the page and in the CSV; a unit head sees their
//! part only; an agent none; another administration none of it.

use chrono::TimeZone as _;
use ordo_tests::{Backend, ManualClock, Storage, TestApp};
use serde_json::json;

async fn csv(app: &TestApp, client: &reqwest::Client) -> Vec<String> {
    let response = client
        .get(app.url("/statistiques/export.csv"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
    response
        .text()
        .await
        .expect("csv")
        .lines()
        .map(str::to_owned)
        .collect()
}

async fn dashboard_with_a_moved_clock(backend: Backend) {
    let at = |day: u32, hour: u32| {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
            .single()
            .expect("a time")
    };
    let clock = ManualClock::at(at(2, 9));
    let app = TestApp::spawn_with_clock(backend, Storage::Local, clock.clone()).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let agent = app.api_client("MMG", "agent.mines").await;
    let register = app.register("MMG", "ARR").await;
    let mut items = Vec::new();
    for subject in [
        "Premier courrier",
        "Deuxième courrier",
        "Troisième courrier",
    ] {
        let item: serde_json::Value = secretariat
            .post(app.url(&format!("/api/v1/registers/{}/items", register.id)))
            .json(&json!({ "subject": subject, "sender": "Préfecture de Boké" }))
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("json");
        items.push(item["id"].as_str().expect("id").to_owned());
    }
    let agent_key = format!(
        "person:{}",
        app.current_user("MMG", "agent.mines").await.user.id
    );
    let dnm = format!("unit:{}", app.unit("MMG", "DNM").await.id);
    let dispatch = |item: &str, to: &str, due: &str| {
        secretariat
            .post(app.url(&format!("/api/v1/items/{item}/dispatches")))
            .json(&json!({ "action": to, "due_on": due }))
            .send()
    };
    let first: serde_json::Value = dispatch(&items[0], &agent_key, "2026-11-04")
        .await
        .expect("POST")
        .json()
        .await
        .expect("json");
    assert_eq!(
        dispatch(&items[1], &dnm, "2026-11-05")
            .await
            .expect("POST")
            .status(),
        201
    );
    clock.set(at(3, 10));
    let closed = agent
        .post(app.url(&format!(
            "/api/v1/dispatches/{}/steps",
            first[0]["id"].as_str().expect("id")
        )))
        .json(&json!({ "step": "close", "outcome": "answered" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(closed.status(), 200);
    clock.set(at(10, 9));

    let admin = app.api_client("MMG", "admin").await;
    let page = admin
        .get(app.url("/statistiques"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("page");
    assert!(page.contains("3 courriers enregistrés"), "{page}");
    assert!(page.contains("<svg"), "charts drawn on the server");
    let lines = csv(&app, &admin).await;
    let has = |line: &str| lines.iter().any(|l| l == line);
    assert!(has("month,\"11/2026\",3,,"), "{lines:?}");
    assert!(
        has("unit,\"DNM — Direction nationale des Mines\",2,,"),
        "{lines:?}"
    );
    assert!(has("unit,\"Non imputé\",1,,"), "{lines:?}");
    assert!(has("overdue_age,\"1 à 7 jours\",1,,"), "{lines:?}");
    // Dispatched on the 2nd at 09:00, closed on the 3rd at 10:00: 25 hours.
    assert!(
        has("dispatched_to_closed,\"DNM — Direction nationale des Mines\",1,1500,1500"),
        "{lines:?}"
    );

    // The head of DNM sees DNM only; an agent has no dashboard.
    let head = app.api_client("MMG", "chef.mines").await;
    let lines = csv(&app, &head).await;
    assert!(
        lines
            .iter()
            .any(|l| l == "unit,\"DNM — Direction nationale des Mines\",2,,")
    );
    assert!(!lines.iter().any(|l| l.contains("Non imputé")), "{lines:?}");
    assert_eq!(
        agent
            .get(app.url("/statistiques"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    // Another administration: none of MMG's mail.
    let other = app.api_client("MEF", "admin").await;
    let lines = csv(&app, &other).await;
    assert!(!lines.iter().any(|l| l.starts_with("month,")), "{lines:?}");
    assert!(lines.iter().any(|l| l == "overdue_age,\"1 à 7 jours\",0,,"));
}

on_both_databases!(dashboard_with_a_moved_clock);
