//! Dispatch (imputation) and processing, through the API and the pages: the bureau
//! d'ordre dispatches, the unit head passes on, the agent accepts, works, drafts the
//! reply and closes; returns, reopenings, notes, inboxes; bad input changes nothing;
//! confidentiality limits who sees; another administration reaches none of it; the
//! e-mail of a dispatch is read back from the real SMTP server.

use ordo_tests::{Backend, Storage, TestApp, csrf_token, required_env};
use serde_json::{Value, json};

use crate::outbox::{delivered, worker};

async fn unit_key(app: &TestApp, administration: &str, code: &str) -> String {
    format!("unit:{}", app.unit(administration, code).await.id)
}

pub(crate) async fn person_key(app: &TestApp, administration: &str, login: &str) -> String {
    format!(
        "person:{}",
        app.current_user(administration, login).await.user.id
    )
}

pub(crate) async fn post(client: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let response = client.post(url).json(&body).send().await.expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn get(client: &reqwest::Client, url: String) -> (u16, Value) {
    let response = client.get(url).send().await.expect("GET");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Registers an incoming item through the API; returns its id and number.
pub(crate) async fn register(
    app: &TestApp,
    client: &reqwest::Client,
    subject: &str,
    confidentiality: &str,
) -> (String, String) {
    let register = app.register("MMG", "ARR").await;
    let (status, item) = post(
        client,
        app.url(&format!("/api/v1/registers/{}/items", register.id)),
        json!({
            "subject": subject,
            "sender": "Société minière de Boké",
            "confidentiality": confidentiality,
        }),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    (
        item["id"].as_str().expect("id").to_owned(),
        item["number"].as_str().expect("number").to_owned(),
    )
}

fn field_reason(problem: &Value) -> (String, String) {
    let first = &problem["errors"][0];
    (
        first["field"].as_str().unwrap_or_default().to_owned(),
        first["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.db.owner_scalar(sql).await
}

fn box_count(inbox: &Value, code: &str) -> i64 {
    inbox["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .find(|c| c["code"] == code)
        .map_or(-1, |c| c["count"].as_i64().unwrap_or(-1))
}

fn box_holds(inbox: &Value, item: &str) -> bool {
    inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|i| i["item_id"] == item)
}

async fn from_registration_to_closing(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let head = app.api_client("MMG", "chef.mines").await;
    let agent = app.api_client("MMG", "agent.mines").await;
    let auditor = app.api_client("MMG", "auditeur").await;
    let dnm = unit_key(&app, "MMG", "DNM").await;
    let dng = unit_key(&app, "MMG", "DNG").await;
    let mef_budget = unit_key(&app, "MEF", "DB").await;
    let agent_key = person_key(&app, "MMG", "agent.mines").await;

    let (item, _number) = register(
        &app,
        &secretariat,
        "Demande de permis d'exploitation",
        "normal",
    )
    .await;
    let (_, waiting) = get(&secretariat, app.url("/api/v1/inbox?box=to_dispatch")).await;
    assert!(
        box_holds(&waiting, &item),
        "registered, it waits to be dispatched"
    );
    // Not dispatched yet: the agent does not see it.
    assert_eq!(
        get(&agent, app.url(&format!("/api/v1/items/{item}")))
            .await
            .0,
        404
    );

    // Bad input changes nothing.
    let dispatches = app.url(&format!("/api/v1/items/{item}/dispatches"));
    let (status, problem) = post(
        &secretariat,
        dispatches.clone(),
        json!({ "action": dnm, "due_on": "2000-01-01" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_reason(&problem),
        ("due_on".to_owned(), "before-registration".to_owned())
    );
    let (status, problem) = post(
        &secretariat,
        dispatches.clone(),
        json!({ "action": mef_budget }),
    )
    .await;
    assert_eq!(status, 422, "another administration's unit is unknown here");
    assert_eq!(
        field_reason(&problem),
        ("action".to_owned(), "unknown-value".to_owned())
    );
    let (status, _) = post(
        &secretariat,
        dispatches.clone(),
        json!({ "information": [dng] }),
    )
    .await;
    assert_eq!(status, 422, "someone must be responsible");
    assert_eq!(
        post(&auditor, dispatches.clone(), json!({ "action": dnm }))
            .await
            .0,
        403
    );
    assert_eq!(count(&app, "SELECT count(*) FROM dispatches").await, 0);

    // The bureau d'ordre dispatches: DNM for action, DNG for information.
    let (status, written) = post(
        &secretariat,
        dispatches.clone(),
        json!({ "action": dnm, "information": [dng], "instructions": "Instruire sous huitaine" }),
    )
    .await;
    assert_eq!(status, 201, "{written}");
    let unit_dispatch = written[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(written[0]["purpose"], "action");
    assert_eq!(written[1]["purpose"], "information");
    // Exactly one responsible.
    let (status, problem) = post(&secretariat, dispatches.clone(), json!({ "action": dng })).await;
    assert_eq!(
        (status, field_reason(&problem).1.as_str()),
        (422, "not-now")
    );

    // The head sees it to dispatch; an agent of the unit may read it (normal item).
    let (_, head_box) = get(&head, app.url("/api/v1/inbox?box=to_dispatch")).await;
    assert!(box_holds(&head_box, &item));
    assert_eq!(box_count(&head_box, "to_dispatch"), 1);
    assert_eq!(
        get(&agent, app.url(&format!("/api/v1/items/{item}")))
            .await
            .0,
        200
    );
    // Only the head acts on the unit's dispatch.
    let steps = |id: &str| app.url(&format!("/api/v1/dispatches/{id}/steps"));
    let pass_on = app.url(&format!("/api/v1/dispatches/{unit_dispatch}/pass-on"));
    assert_eq!(
        post(&agent, steps(&unit_dispatch), json!({ "step": "accept" }))
            .await
            .0,
        403
    );
    assert_eq!(
        post(&agent, pass_on.clone(), json!({ "to": agent_key }))
            .await
            .0,
        403
    );
    // The head passes on within the unit only.
    let (status, problem) = post(&head, pass_on.clone(), json!({ "to": dng })).await;
    assert_eq!(
        (status, field_reason(&problem).1.as_str()),
        (422, "outside-unit")
    );
    let (status, child) = post(
        &head,
        pass_on.clone(),
        json!({ "to": agent_key, "instructions": "Préparer la réponse" }),
    )
    .await;
    assert_eq!(status, 201, "{child}");
    let agent_dispatch = child["id"].as_str().expect("id").to_owned();
    assert_eq!(child["parent_id"], unit_dispatch.as_str());

    // The agent has it to process, accepts, starts, drafts the reply, closes.
    let (_, agent_box) = get(&agent, app.url("/api/v1/inbox?box=to_process")).await;
    assert!(box_holds(&agent_box, &item));
    let (status, problem) = post(&agent, steps(&agent_dispatch), json!({ "step": "close" })).await;
    assert_eq!(
        (status, field_reason(&problem).0.as_str()),
        (422, "outcome")
    );
    for step in ["accept", "start"] {
        let (status, moved) = post(&agent, steps(&agent_dispatch), json!({ "step": step })).await;
        assert_eq!(status, 200, "{step}: {moved}");
    }
    assert_eq!(
        post(&agent, steps(&agent_dispatch), json!({ "step": "accept" }))
            .await
            .0,
        422,
        "accepting twice is refused"
    );
    let (status, reply) = post(
        &agent,
        app.url(&format!("/api/v1/items/{item}/reply")),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{reply}");
    assert_eq!(reply["recipient"], "Société minière de Boké");
    let reply_id = reply["id"].as_str().expect("id");
    let (_, drafted) = get(&secretariat, app.url(&format!("/api/v1/items/{reply_id}"))).await;
    assert_eq!(drafted["status"], "draft");
    assert!(
        drafted["links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["kind"] == "replies_to"
                && l["outgoing"] == true
                && l["other"] == item.as_str()),
        "{drafted}"
    );
    let (status, closed) = post(
        &agent,
        steps(&agent_dispatch),
        json!({ "step": "close", "outcome": "answered" }),
    )
    .await;
    assert_eq!((status, closed["status"].as_str()), (200, Some("closed")));
    assert_eq!(closed["outcome"], "answered");
    // Reopened by the bureau d'ordre, with a reason.
    let (status, problem) = post(
        &secretariat,
        steps(&agent_dispatch),
        json!({ "step": "reopen", "reason": "?" }),
    )
    .await;
    assert_eq!((status, field_reason(&problem).0.as_str()), (422, "reason"));
    let (status, reopened) = post(
        &secretariat,
        steps(&agent_dispatch),
        json!({ "step": "reopen", "reason": "Pièce manquante signalée" }),
    )
    .await;
    assert_eq!(
        (status, reopened["status"].as_str()),
        (200, Some("in_progress"))
    );
    assert_eq!(
        post(
            &agent,
            steps(&agent_dispatch),
            json!({ "step": "close", "outcome": "filed" })
        )
        .await
        .0,
        200
    );

    // Notes reach whom their author chose.
    let notes = app.url(&format!("/api/v1/items/{item}/notes"));
    for (visibility, body) in [("private", "Pense-bête personnel"), ("unit", "Pour la DNM")] {
        assert_eq!(
            post(
                &agent,
                notes.clone(),
                json!({ "visibility": visibility, "body": body })
            )
            .await
            .0,
            201
        );
    }
    assert_eq!(
        post(
            &agent,
            notes.clone(),
            json!({ "visibility": "unit", "body": "  " })
        )
        .await
        .0,
        422
    );
    let (_, seen_by_head) = get(&head, notes.clone()).await;
    let bodies: Vec<&str> = seen_by_head
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["body"].as_str())
        .collect();
    assert_eq!(bodies, ["Pour la DNM"]);

    // Every act is in the journal.
    for action in [
        "item.dispatched",
        "item.passed_on",
        "item.accepted",
        "item.started",
        "item.reply_drafted",
        "item.closed",
        "item.reopened",
        "item.noted",
    ] {
        assert!(
            count(
                &app,
                &format!("SELECT count(*) FROM audit_entries WHERE action = '{action}'")
            )
            .await
                >= 1,
            "{action} is journalled"
        );
    }

    // Another administration reaches none of it, and changes nothing.
    let other = app.api_client("MEF", "secretariat").await;
    let before = count(&app, "SELECT count(*) FROM dispatches").await;
    assert_eq!(get(&other, dispatches.clone()).await.0, 404);
    assert_eq!(
        post(&other, dispatches.clone(), json!({ "information": [dng] }))
            .await
            .0,
        404
    );
    assert_eq!(
        post(
            &other,
            steps(&agent_dispatch),
            json!({ "step": "reopen", "reason": "Par erreur, vraiment" })
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(&other, pass_on, json!({ "to": agent_key })).await.0,
        404
    );
    assert_eq!(get(&other, notes.clone()).await.0, 404);
    assert_eq!(
        post(
            &other,
            notes,
            json!({ "visibility": "all", "body": "intrus" })
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(
            &other,
            app.url(&format!("/api/v1/items/{item}/reply")),
            json!({})
        )
        .await
        .0,
        404
    );
    let (_, other_box) = get(&other, app.url("/api/v1/inbox?box=to_dispatch")).await;
    assert!(!box_holds(&other_box, &item));
    assert_eq!(count(&app, "SELECT count(*) FROM dispatches").await, before);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM item_notes WHERE body = 'intrus'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM dispatches WHERE status = 'closed'"
        )
        .await,
        1,
        "the intruder's reopening changed nothing"
    );
}

async fn returns_and_confidentiality(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let head = app.api_client("MMG", "chef.mines").await;
    let agent = app.api_client("MMG", "agent.mines").await;
    let dnm = unit_key(&app, "MMG", "DNM").await;
    let agent_key = person_key(&app, "MMG", "agent.mines").await;

    // Returned with a reason, the item waits for the bureau d'ordre again.
    let (item, _) = register(&app, &secretariat, "Courrier mal orienté", "normal").await;
    let (_, written) = post(
        &secretariat,
        app.url(&format!("/api/v1/items/{item}/dispatches")),
        json!({ "action": agent_key }),
    )
    .await;
    let dispatch = written[0]["id"].as_str().expect("id").to_owned();
    let steps = app.url(&format!("/api/v1/dispatches/{dispatch}/steps"));
    let (status, problem) = post(&agent, steps.clone(), json!({ "step": "return" })).await;
    assert_eq!((status, field_reason(&problem).0.as_str()), (422, "reason"));
    let (status, returned) = post(
        &agent,
        steps,
        json!({ "step": "return", "reason": "Relève de la Géologie" }),
    )
    .await;
    assert_eq!(
        (status, returned["status"].as_str()),
        (200, Some("returned"))
    );
    let (_, waiting) = get(&secretariat, app.url("/api/v1/inbox?box=to_dispatch")).await;
    assert!(box_holds(&waiting, &item), "back with the bureau d'ordre");
    // It can be dispatched again.
    assert_eq!(
        post(
            &secretariat,
            app.url(&format!("/api/v1/items/{item}/dispatches")),
            json!({ "action": dnm }),
        )
        .await
        .0,
        201
    );

    // A secret item goes to people by name only, and only they see it.
    let (secret, _) = register(&app, &secretariat, "Dossier contentieux", "secret").await;
    let secret_dispatches = app.url(&format!("/api/v1/items/{secret}/dispatches"));
    let (status, problem) = post(
        &secretariat,
        secret_dispatches.clone(),
        json!({ "action": dnm }),
    )
    .await;
    assert_eq!(
        (status, field_reason(&problem).1.as_str()),
        (422, "named-only")
    );
    assert_eq!(
        post(
            &secretariat,
            secret_dispatches,
            json!({ "action": agent_key })
        )
        .await
        .0,
        201
    );
    assert_eq!(
        get(&agent, app.url(&format!("/api/v1/items/{secret}")))
            .await
            .0,
        200
    );
    assert_eq!(
        get(&head, app.url(&format!("/api/v1/items/{secret}")))
            .await
            .0,
        404,
        "the head of the agent's unit is not named"
    );
    let auditor = app.api_client("MMG", "auditeur").await;
    assert_eq!(
        get(&auditor, app.url(&format!("/api/v1/items/{secret}")))
            .await
            .0,
        404
    );

    // A confidential item sent to a unit: its head sees it, its agents do not.
    let (confidential, _) = register(&app, &secretariat, "Note réservée", "confidential").await;
    assert_eq!(
        post(
            &secretariat,
            app.url(&format!("/api/v1/items/{confidential}/dispatches")),
            json!({ "action": dnm }),
        )
        .await
        .0,
        201
    );
    let item = |id: &str| app.url(&format!("/api/v1/items/{id}"));
    assert_eq!(get(&head, item(&confidential)).await.0, 200);
    assert_eq!(get(&agent, item(&confidential)).await.0, 404);
    assert_eq!(get(&auditor, item(&confidential)).await.0, 404);
}

/// Every dispatch and processing page form, posted from another administration's
/// session: not found, and nothing written. A dispatch template naming another
/// administration's unit is refused.
async fn no_form_reaches_another_administration(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let (item, _) = register(&app, &secretariat, "Courrier du ministère voisin", "normal").await;
    let agent_key = person_key(&app, "MMG", "agent.mines").await;
    let (_, written) = post(
        &secretariat,
        app.url(&format!("/api/v1/items/{item}/dispatches")),
        json!({ "action": agent_key }),
    )
    .await;
    let dispatch = written[0]["id"].as_str().expect("id").to_owned();
    let shared = &app;
    let before = |table: &'static str| async move {
        count(shared, &format!("SELECT count(*) FROM {table}")).await
    };
    let counts = (
        before("dispatches").await,
        before("item_followers").await,
        before("mail_items").await,
        before("dispatch_templates").await,
    );

    let intruder = app.signed_in("MEF", "admin").await;
    let page = app.get_text(&intruder, "/parametres/imputation").await;
    let token = csrf_token(&page);
    for (path, form) in [
        (format!("/courriers/{item}/imputer-modele"), vec![]),
        (format!("/courriers/{item}/suivre"), vec![("follow", "1")]),
        (format!("/courriers/{item}/reponse"), vec![]),
        (
            format!("/imputations/{dispatch}/transmettre"),
            vec![("item", item.as_str()), ("to", agent_key.as_str())],
        ),
        (
            format!("/imputations/{dispatch}/etape"),
            vec![
                ("item", item.as_str()),
                ("step", "close"),
                ("outcome", "filed"),
            ],
        ),
    ] {
        let mut form = form;
        form.push(("csrf", token.as_str()));
        let answer = intruder
            .post(app.url(&path))
            .form(&form)
            .send()
            .await
            .expect("POST");
        assert_eq!(answer.status(), 404, "{path}");
    }
    // A template naming MMG's unit, set from MEF: refused.
    let dnm = unit_key(&app, "MMG", "DNM").await;
    let refused = intruder
        .post(app.url("/parametres/imputation"))
        .form(&[
            ("csrf", token.as_str()),
            ("nature", "request"),
            ("action", dnm.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
    assert_eq!(
        (
            before("dispatches").await,
            before("item_followers").await,
            before("mail_items").await,
            before("dispatch_templates").await,
        ),
        counts,
        "nothing written"
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM dispatches WHERE status = 'sent'"
        )
        .await,
        1,
        "the dispatch is untouched"
    );
}

/// The page forms: a refusal comes back in French at the dispatch form; the e-mail
/// telling the responsible person is delivered by the real SMTP server; another
/// administration's session cannot post to the item.
async fn dispatch_through_the_pages(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    // A subject of its own: the SMTP server's maildir is shared by every test.
    let subject = format!("Lettre du gouverneur {}", uuid::Uuid::now_v7().simple());
    let (item, number) = register(&app, &secretariat, &subject, "normal").await;
    let agent_key = person_key(&app, "MMG", "agent.mines").await;

    let client = app.signed_in("MMG", "secretariat").await;
    let page = app.get_text(&client, &format!("/courriers/{item}")).await;
    assert!(page.contains("Imputation et traitement"), "{page}");
    let token = csrf_token(&page);
    let send = |form: Vec<(&'static str, String)>| {
        client
            .post(app.url(&format!("/courriers/{item}/imputer")))
            .form(&form)
            .send()
    };
    let refused = send(vec![
        ("csrf", token.clone()),
        ("action", agent_key.clone()),
        ("due_on", "2001-01-01".to_owned()),
    ])
    .await
    .expect("POST");
    assert_eq!(refused.status(), 303);
    let location = refused.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    let page = app.get_text(&client, &location).await;
    assert!(
        page.contains("l&#x27;échéance ne peut pas précéder l&#x27;enregistrement"),
        "{page}"
    );
    assert_eq!(count(&app, "SELECT count(*) FROM dispatches").await, 0);

    // Another administration's session: not found, nothing written.
    let other = app.signed_in("MEF", "secretariat").await;
    let other_page = app.get_text(&other, "/corbeille").await;
    assert!(other_page.contains("Ma corbeille"), "{other_page}");
    let other_token = csrf_token(&other_page);
    let intrusion = other
        .post(app.url(&format!("/courriers/{item}/imputer")))
        .form(&[
            ("csrf", other_token.as_str()),
            ("action", agent_key.as_str()),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(intrusion.status(), 404);
    let note = other
        .post(app.url(&format!("/courriers/{item}/notes")))
        .form(&[
            ("csrf", other_token.as_str()),
            ("visibility", "all"),
            ("body", "intrus"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(note.status(), 404);
    assert_eq!(count(&app, "SELECT count(*) FROM dispatches").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM item_notes").await, 0);

    // Dispatched through the form (information repeated): the agent is told by e-mail.
    let dng = unit_key(&app, "MMG", "DNG").await;
    let cab = unit_key(&app, "MMG", "CAB").await;
    let done = send(vec![
        ("csrf", token.clone()),
        ("action", agent_key.clone()),
        ("information", dng),
        ("information", cab),
        ("instructions", "Réponse sous dix jours".to_owned()),
        ("due_on", String::new()),
    ])
    .await
    .expect("POST");
    assert_eq!(done.status(), 303);
    assert_eq!(count(&app, "SELECT count(*) FROM dispatches").await, 3);
    let page = app.get_text(&client, &format!("/courriers/{item}")).await;
    assert!(
        page.contains("Pour traitement") && page.contains("Mamadou Diallo"),
        "{page}"
    );

    let worker = worker(&app, &required_env("ORDO_TEST_SMTP_URL"));
    let report = ordo::outbox::deliver_due(&worker).await.expect("delivery");
    assert!(report.sent >= 1);
    // Quoted-printable may fold long lines: undone before reading.
    let messages: Vec<String> = delivered("agent.mines@mmg.demo.ordo")
        .into_iter()
        .map(|m| m.replace("=\r\n", "").replace("=\n", ""))
        .filter(|m| m.contains(&subject))
        .collect();
    assert_eq!(messages.len(), 1, "one e-mail to the agent");
    assert!(messages[0].contains(&number), "it names the number");

    // The agent's inbox page lists it, with its count.
    let agent = app.signed_in("MMG", "agent.mines").await;
    let inbox = app.get_text(&agent, "/corbeille?boite=to_process").await;
    assert!(
        inbox.contains(&format!("/courriers/{item}")) && inbox.contains("À traiter"),
        "{inbox}"
    );
}

on_both_databases!(
    from_registration_to_closing,
    returns_and_confidentiality,
    dispatch_through_the_pages,
    no_form_reaches_another_administration
);

mod in_the_browser {
    use fantoccini::{Client, Locator};
    use ordo_tests::{Backend, Storage, TestApp, browser};

    use crate::demo_in_browser::{wait_for_heading, wait_for_url};

    async fn signed_in(app: &TestApp, login: &str) -> Client {
        let client = browser::open("fr").await;
        client.goto(&app.url("/connexion")).await.expect("open");
        browser::sign_in(&client, "MMG", login, ordo::demo::DEMO_PASSWORD).await;
        client
    }

    async fn click(client: &Client, css: &str) {
        client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    async fn page_contains(client: &Client, text: &str) -> bool {
        for _ in 0..300 {
            if client.source().await.is_ok_and(|s| s.contains(text)) {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    /// Registered by the bureau d'ordre, dispatched to the Mines directorate, passed
    /// on by its head to an agent, who accepts it, drafts the reply and closes it:
    /// each person finds it in their inbox, in Chromium, without typing a URL.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_item_goes_from_the_bureau_d_ordre_to_the_agent_who_answers_it() {
        let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
        let register = app.register("MMG", "ARR").await;
        let dnm = super::unit_key(&app, "MMG", "DNM").await;
        let agent_key = super::person_key(&app, "MMG", "agent.mines").await;

        let secretariat = signed_in(&app, "secretariat").await;
        secretariat
            .goto(&app.url(&format!("/registres/{}/nouveau", register.id)))
            .await
            .expect("form");
        secretariat
            .find(Locator::Id("sender"))
            .await
            .expect("sender")
            .send_keys("Société minière de Boké")
            .await
            .expect("type");
        let subject = secretariat
            .find(Locator::Id("subject"))
            .await
            .expect("subject");
        subject
            .send_keys("Demande d'extension de concession")
            .await
            .expect("type");
        subject
            .send_keys("\u{E007}")
            .await
            .expect("Enter registers");
        wait_for_heading(&secretariat, "MMG/ARR/").await;
        let item_url = secretariat.current_url().await.expect("url");
        let item_path = item_url.path().to_owned();
        secretariat
            .find(Locator::Id("dispatch-action"))
            .await
            .expect("dispatch form")
            .select_by_value(&dnm)
            .await
            .expect("choose DNM");
        click(&secretariat, "form[action$='/imputer'] button[type=submit]").await;
        assert!(page_contains(&secretariat, "Transmis").await, "dispatched");
        secretariat.close().await.expect("close");

        // The head finds it to dispatch, and passes it on to the agent.
        let head = signed_in(&app, "chef.mines").await;
        click(&head, "a[href='/corbeille']").await;
        wait_for_heading(&head, "Ma corbeille").await;
        click(&head, &format!("a[href='{item_path}']")).await;
        wait_for_heading(&head, "MMG/ARR/").await;
        head.find(Locator::Css("select[name=to]"))
            .await
            .expect("pass-on form")
            .select_by_value(&agent_key)
            .await
            .expect("choose the agent");
        click(&head, "form[action$='/transmettre'] button[type=submit]").await;
        assert!(page_contains(&head, "Réimputé").await, "passed on");
        head.close().await.expect("close");

        // The agent finds it to process, accepts, drafts the reply, closes.
        let agent = signed_in(&app, "agent.mines").await;
        click(&agent, "a[href='/corbeille']").await;
        wait_for_heading(&agent, "Ma corbeille").await;
        click(&agent, &format!("a[href='{item_path}']")).await;
        wait_for_heading(&agent, "MMG/ARR/").await;
        click(&agent, "button[value=accept]").await;
        assert!(page_contains(&agent, "Accepté").await, "accepted");
        click(&agent, "form[action$='/reponse'] button").await;
        wait_for_url(&agent, "reponse=1").await;
        assert!(page_contains(&agent, "Brouillon de réponse créé").await);
        assert!(
            page_contains(&agent, "Réponse : Demande d").await,
            "the reply's subject"
        );
        agent
            .goto(item_url.as_str())
            .await
            .expect("back to the item");
        wait_for_heading(&agent, "MMG/ARR/").await;
        click(
            &agent,
            "form[action$='/etape'] select[name=outcome] + button",
        )
        .await;
        assert!(page_contains(&agent, "Clôturé").await, "closed");
        assert!(
            page_contains(&agent, "Réponse faite").await,
            "with its outcome"
        );
        agent.close().await.expect("close");

        for action in [
            "item.dispatched",
            "item.passed_on",
            "item.accepted",
            "item.reply_drafted",
            "item.closed",
        ] {
            assert_eq!(
                app.db
                    .owner_scalar(&format!(
                        "SELECT count(*) FROM audit_entries WHERE action = '{action}'"
                    ))
                    .await,
                1,
                "{action}"
            );
        }
    }
}

/// With the clock moved day by day: a reminder before the due date, one after, the
/// unit head told after the delay, a digest each morning; each once, however many
/// rounds run; none once the item is closed. E-mails read back from the real server.
async fn reminders_and_escalation_with_a_moved_clock(backend: Backend) {
    use chrono::TimeZone as _;
    let at = |day: u32| {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, day, 8, 0, 0)
            .single()
            .expect("a day")
    };
    let clock = ordo_tests::ManualClock::at(at(16));
    let app = TestApp::spawn_with_clock(backend, Storage::Local, clock.clone()).await;
    let secretariat = app.api_client("MMG", "secretariat").await;
    let agent = app.api_client("MMG", "agent.mines").await;
    let subject = format!("Relance du cadastre {}", uuid::Uuid::now_v7().simple());
    let (item, number) = register(&app, &secretariat, &subject, "normal").await;
    let agent_key = person_key(&app, "MMG", "agent.mines").await;
    let (status, written) = post(
        &secretariat,
        app.url(&format!("/api/v1/items/{item}/dispatches")),
        json!({ "action": agent_key, "due_on": "2026-11-20" }),
    )
    .await;
    assert_eq!(status, 201, "{written}");
    let dispatch = written[0]["id"].as_str().expect("id").to_owned();
    let round = || async {
        ordo_dispatch::deadlines::send_due(&app.state)
            .await
            .expect("round")
    };
    let report = |reminders, escalations, digests| ordo_dispatch::deadlines::RoundReport {
        reminders,
        escalations,
        digests,
    };

    assert_eq!(
        round().await,
        report(0, 0, 0),
        "four days ahead: nothing yet"
    );
    clock.set(at(18));
    assert_eq!(
        round().await,
        report(1, 0, 1),
        "two days ahead: reminded, and the digest"
    );
    assert_eq!(round().await, report(0, 0, 0), "each goes once");
    clock.set(at(21));
    assert_eq!(round().await, report(1, 0, 1), "the day after: overdue");
    clock.set(at(23));
    assert_eq!(
        round().await,
        report(0, 1, 1),
        "three days late: the head is told"
    );
    assert_eq!(round().await, report(0, 0, 0));
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM audit_entries WHERE action = 'item.escalated'"
        )
        .await,
        1
    );

    let worker = worker(&app, &required_env("ORDO_TEST_SMTP_URL"));
    ordo::outbox::deliver_due(&worker).await.expect("delivery");
    let unfold = |m: String| m.replace("=\r\n", "").replace("=\n", "");
    let to_head: Vec<String> = delivered("chef.mines@mmg.demo.ordo")
        .into_iter()
        .map(unfold)
        .filter(|m| m.contains(&subject))
        .collect();
    assert_eq!(to_head.len(), 1, "one escalation to the head of DNM");
    assert!(to_head[0].contains(&number));
    let to_agent = delivered("agent.mines@mmg.demo.ordo")
        .into_iter()
        .map(unfold)
        .filter(|m| m.contains(&subject))
        .count();
    assert_eq!(
        to_agent,
        1 + 2 + 3,
        "the dispatch, two reminders and three digests"
    );

    // Closed, it is reminded of no more.
    let (status, _) = post(
        &agent,
        app.url(&format!("/api/v1/dispatches/{dispatch}/steps")),
        json!({ "step": "close", "outcome": "answered" }),
    )
    .await;
    assert_eq!(status, 200);
    clock.set(at(24));
    assert_eq!(round().await, report(0, 0, 0));
}

on_both_databases!(reminders_and_escalation_with_a_moved_clock);
