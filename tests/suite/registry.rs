//! The bureau d'ordre: legal numbering, the journal, isolation, permissions.

use chrono::TimeZone as _;
use ordo_db::Backend as DbBackend;
use ordo_domain::{RegistrationForm, journal::ChainBreak};
use ordo_registry::registration::{Refused, Submission, register_mail};
use ordo_tests::{Backend, ManualClock, Storage, TestApp, csrf_token};
use sea_orm::ConnectionTrait;

fn letter(subject: &str) -> RegistrationForm {
    RegistrationForm {
        subject: subject.to_owned(),
        nature: "letter".to_owned(),
        channel: "post".to_owned(),
        priority: "normal".to_owned(),
        confidentiality: "normal".to_owned(),
        sender: "Société minière de Boké".to_owned(),
        ..RegistrationForm::default()
    }
}

async fn register_letter(app: &TestApp, subject: &str) -> ordo_db::ItemRecord {
    let current = app.current_user("MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await;
    let settings = app.registration_settings("MMG").await;
    match register_mail(
        &app.state,
        &current,
        &settings,
        register.id,
        Submission {
            form: letter(subject),
            key: None,
            ..Submission::default()
        },
        "127.0.0.1",
    )
    .await
    {
        Ok(registered) => registered.item,
        Err(Refused::Invalid(errors)) => panic!("refused: {errors:?}"),
        Err(Refused::Failed(err)) => panic!("failed: {err}"),
    }
}

async fn verify_journal(app: &TestApp, code: &str) -> Result<u64, ChainBreak> {
    let current = app.current_user(code, "admin").await;
    app.state
        .db
        .verify_journal(current.tenant.id)
        .await
        .expect("read")
}

/// Registrations racing on one register get exactly 1..N: unique, gapless.
async fn concurrent_registrations_are_numbered_without_gaps(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let current = app.current_user("MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await;
    let settings = app.registration_settings("MMG").await;
    let racers = 24u64;
    let tasks: Vec<_> = (0..racers)
        .map(|i| {
            let (state, current, settings) = (app.state.clone(), current.clone(), settings.clone());
            tokio::spawn(async move {
                match register_mail(
                    &state,
                    &current,
                    &settings,
                    register.id,
                    Submission {
                        form: letter(&format!("Lettre {i}")),
                        key: None,
                        ..Submission::default()
                    },
                    "127.0.0.1",
                )
                .await
                {
                    Ok(registered) => registered.item.sequence.expect("numbered"),
                    Err(Refused::Invalid(e)) => panic!("{e:?}"),
                    Err(Refused::Failed(e)) => panic!("{e}"),
                }
            })
        })
        .collect();
    let mut sequences = Vec::new();
    for task in tasks {
        sequences.push(task.await.expect("task"));
    }
    sequences.sort_unstable();
    assert_eq!(sequences, (1..=racers).collect::<Vec<_>>());
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(DISTINCT number) FROM mail_items")
            .await,
        i64::try_from(racers).expect("fits")
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT max(last_sequence) FROM register_counters")
            .await,
        i64::try_from(racers).expect("fits")
    );
    // One journal entry per registration, on top of the creation entry, all chained.
    assert_eq!(verify_journal(&app, "MMG").await, Ok(racers + 1));
}

/// On SQLite this process's writing transactions take turns in the order they
/// asked: none begins while another holds the turn, and one that ends without a
/// commit hands the turn on (a turn kept would stop every writer for 30 s).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writers_take_turns_in_the_order_they_ask() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let tenant = app.current_user("MMG", "secretariat").await.tenant.id;
    let first = app
        .state
        .db
        .tenant_write(tenant)
        .await
        .expect("first writer");
    let began = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut waiting = Vec::new();
    for name in ["second", "third"] {
        let (db, began) = (app.state.db.clone(), began.clone());
        waiting.push(tokio::spawn(async move {
            let tx = db.tenant_write(tenant).await.expect(name);
            began.lock().expect("list").push(name);
            tx.commit().await.expect("commit");
        }));
        // Time for it to get in line before the next one asks.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    assert!(
        began.lock().expect("list").is_empty(),
        "a writer began while the first held its turn"
    );
    drop(first);
    for writer in waiting {
        writer.await.expect("writer");
    }
    assert_eq!(*began.lock().expect("list"), ["second", "third"]);
}

/// On SQLite the writers waiting in line share one `COMMIT`, each in a savepoint: one
/// that ends without committing undoes only its own writes (its number is given to
/// the next), and none is told it committed before the group's `COMMIT` is done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writers_in_one_group_commit_or_roll_back_on_their_own() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let tenant = app.current_user("MMG", "secretariat").await.tenant.id;
    let register = app.register("MMG", "ARR").await.id;
    let ended = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let first = app.state.db.tenant_write(tenant).await.expect("first");
    let taken = first.registers().next_sequence(register, 2030).await;
    assert_eq!(taken.expect("number"), 1);
    let mut waiting = Vec::new();
    for (name, commits) in [("refused", false), ("third", true)] {
        let (db, ended) = (app.state.db.clone(), ended.clone());
        waiting.push(tokio::spawn(async move {
            let tx = db.tenant_write(tenant).await.expect(name);
            let taken = tx.registers().next_sequence(register, 2030).await;
            let taken = taken.expect("number");
            if commits {
                ended.lock().expect("list").push(name);
                tx.commit().await.expect("commit");
            }
            taken
        }));
        // Time for it to get in line before the next one asks.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
    first.commit().await.expect("first commits with its group");
    ended.lock().expect("list").push("first told");
    let numbers: Vec<u64> = futures::future::try_join_all(waiting)
        .await
        .expect("writers");
    assert_eq!(numbers, [2, 2], "the refused one's number goes to the next");
    assert_eq!(
        *ended.lock().expect("list"),
        ["third", "first told"],
        "the first was told before the last of its group ended"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT last_sequence FROM register_counters WHERE year = 2030")
            .await,
        2
    );
}

/// On SQLite a transaction that has read cannot take the write lock while another
/// holds it (SQLite answers "busy" at once, without waiting): the item page, which
/// journals its view after reading, takes its turn to write before it reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_item_page_journals_its_view_while_another_writes() {
    let app = TestApp::spawn(Backend::Sqlite, Storage::Local).await;
    let item = register_letter(&app, "Vue pendant une écriture").await;
    let client = app.signed_in("MMG", "secretariat").await;
    let tenant = app.current_user("MMG", "secretariat").await.tenant.id;
    let register = app.register("MMG", "ARR").await.id;
    let writer = app.state.db.tenant_write(tenant).await.expect("writer");
    let taken = writer.registers().next_sequence(register, 2031).await;
    assert_eq!(taken.expect("number"), 1);
    let page = tokio::spawn(
        client
            .get(app.url(&format!("/courriers/{}", item.id)))
            .send(),
    );
    // Time for the page to ask to write while the lock is held.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    writer.commit().await.expect("commit");
    let page = page.await.expect("task").expect("GET");
    assert_eq!(
        page.status(),
        200,
        "{}",
        page.text().await.unwrap_or_default()
    );
    assert_eq!(
        app.db
            .owner_scalar(&format!(
                "SELECT count(*) FROM audit_entries WHERE action = 'item.viewed' AND object = 'item:{}'",
                item.id
            ))
            .await,
        1
    );
}

/// The year turns at midnight in the administration's zone, and numbering restarts.
async fn numbering_restarts_with_the_year(backend: Backend) {
    let clock = ManualClock::at(
        chrono::Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 59, 58)
            .single()
            .expect("instant"),
    );
    let app = TestApp::spawn_with_clock(backend, Storage::Local, clock.clone()).await;
    let last_of_2026 = register_letter(&app, "Veille du nouvel an").await;
    assert_eq!(last_of_2026.number.as_deref(), Some("MMG/ARR/2026/000001"));
    // Conakry is on UTC: one second after midnight is the new year there.
    clock.set(
        chrono::Utc
            .with_ymd_and_hms(2027, 1, 1, 0, 0, 1)
            .single()
            .expect("instant"),
    );
    assert_eq!(
        register_letter(&app, "Premier de l'an")
            .await
            .number
            .as_deref(),
        Some("MMG/ARR/2027/000001")
    );
    assert_eq!(
        register_letter(&app, "Deuxième de l'an")
            .await
            .number
            .as_deref(),
        Some("MMG/ARR/2027/000002")
    );
    // The registers page browses both years, latest first, and gives 2027's last
    // number; the year's page links the other year.
    let secretariat = app.signed_in("MMG", "secretariat").await;
    let register = last_of_2026.register_id;
    let registers_page = app.get_text(&secretariat, "/registres").await;
    let (at_2027, at_2026) = (
        registers_page.find(&format!("/registres/{register}/annees/2027")),
        registers_page.find(&format!("/registres/{register}/annees/2026")),
    );
    assert!(
        matches!((at_2027, at_2026), (Some(a), Some(b)) if a < b),
        "{registers_page}"
    );
    assert!(
        registers_page.contains("MMG&#x2f;ARR&#x2f;2027&#x2f;000002"),
        "{registers_page}"
    );
    let year_page = app
        .get_text(&secretariat, &format!("/registres/{register}/annees/2027"))
        .await;
    assert!(year_page.contains(&format!("/registres/{register}/annees/2026")));
}

/// A registration refused by the rules writes nothing and consumes no number.
async fn a_refused_registration_leaves_no_trace(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let current = app.current_user("MMG", "secretariat").await;
    let register = app.register("MMG", "ARR").await;
    let settings = app.registration_settings("MMG").await;
    let bad = RegistrationForm {
        subject: String::new(),
        ..letter("")
    };
    assert!(matches!(
        register_mail(
            &app.state,
            &current,
            &settings,
            register.id,
            Submission {
                form: bad,
                ..Submission::default()
            },
            "127.0.0.1"
        )
        .await,
        Err(Refused::Invalid(_))
    ));
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        0
    );
    assert_eq!(
        register_letter(&app, "Après un refus").await.sequence,
        Some(1),
        "no number was consumed"
    );
    // The same submission key twice registers once.
    let first = register_mail(
        &app.state,
        &current,
        &settings,
        register.id,
        Submission {
            form: letter("Double envoi"),
            key: Some("key-1".to_owned()),
            ..Submission::default()
        },
        "x",
    )
    .await;
    let again = register_mail(
        &app.state,
        &current,
        &settings,
        register.id,
        Submission {
            form: letter("Double envoi"),
            key: Some("key-1".to_owned()),
            ..Submission::default()
        },
        "x",
    )
    .await;
    let (Ok(first), Ok(again)) = (first, again) else {
        panic!("both answer")
    };
    assert_eq!(first.item.id, again.item.id);
    assert!(again.replayed);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        2
    );
}

/// An edited, deleted or reordered journal entry is named by the verifier.
async fn tampering_with_the_journal_is_detected(backend: Backend) {
    for (tampering, expected) in [
        (
            "UPDATE audit_entries SET details = '{}' WHERE sequence = 2 AND action = 'item.registered'",
            ChainBreak::WrongHash { sequence: 2 },
        ),
        (
            "DELETE FROM audit_entries WHERE sequence = 2 AND action = 'item.registered'",
            ChainBreak::OutOfSequence {
                expected: 2,
                found: 3,
            },
        ),
        (
            "DELETE FROM audit_entries WHERE sequence = 4 AND action = 'item.registered'",
            ChainBreak::Truncated {
                recorded: 4,
                found: 3,
            },
        ),
        (
            "UPDATE audit_entries SET sequence = -2 WHERE sequence = 2 AND action = 'item.registered'; \
             UPDATE audit_entries SET sequence = 2 WHERE sequence = 3 AND action = 'item.registered'; \
             UPDATE audit_entries SET sequence = 3 WHERE sequence = -2",
            ChainBreak::WrongLink { sequence: 2 },
        ),
    ] {
        let app = TestApp::spawn(backend, Storage::Local).await;
        for subject in ["Première", "Deuxième", "Troisième"] {
            register_letter(&app, subject).await;
        }
        assert_eq!(verify_journal(&app, "MMG").await, Ok(4));
        app.db
            .owner
            .connection()
            .execute_unprepared(tampering)
            .await
            .expect("tamper as the owner");
        assert_eq!(
            verify_journal(&app, "MMG").await,
            Err(expected),
            "{tampering}"
        );
        assert_eq!(
            verify_journal(&app, "MEF").await,
            Ok(1),
            "another tenant's journal is untouched"
        );
    }
}

/// Another administration cannot read, list or register into MMG's registers.
async fn another_tenant_cannot_reach_the_registers(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let item = register_letter(&app, "Confidentiel défense").await;
    let mmg_register = app.register("MMG", "ARR").await;

    let mef = app.client();
    assert_eq!(
        app.sign_in(&mef, "MEF", "secretariat", ordo::demo::DEMO_PASSWORD)
            .await
            .status(),
        303
    );
    let status = |path: String| {
        let mef = mef.clone();
        let url = app.url(&path);
        async move { mef.get(url).send().await.expect("GET").status().as_u16() }
    };
    assert_eq!(status(format!("/courriers/{}", item.id)).await, 404);
    assert_eq!(
        status(format!("/registres/{}/annees/2026", mmg_register.id)).await,
        404
    );
    assert_eq!(
        status(format!("/registres/{}/nouveau", mmg_register.id)).await,
        404
    );
    let token = csrf_token(&app.get_text(&mef, "/registres").await);
    let forged = mef
        .post(app.url(&format!("/registres/{}/nouveau", mmg_register.id)))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", token)
                .text("sender", "Intrus")
                .text("subject", "Courrier glissé")
                .text("nature", "letter")
                .text("channel", "post")
                .text("priority", "normal")
                .text("confidentiality", "normal"),
        )
        .send()
        .await
        .expect("POST");
    assert_eq!(forged.status(), 404);
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        1,
        "nothing registered"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT max(last_sequence) FROM register_counters")
            .await,
        1,
        "no number consumed"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'item.viewed'")
            .await,
        0,
        "a refused look is not a view"
    );
    let listing = app.get_text(&mef, "/registres").await;
    assert!(!listing.contains(&mmg_register.id.to_string()));
}

/// Each role gets what it needs: agents do not browse the register, auditors do not register.
async fn roles_decide_who_registers_and_who_reads(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let register = app.register("MMG", "ARR").await;
    let settings = app.registration_settings("MMG").await;
    let agent = app.signed_in("MMG", "agent.mines").await;
    assert_eq!(
        agent
            .get(app.url("/registres"))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    let auditor = app.signed_in("MMG", "auditeur").await;
    assert_eq!(
        auditor
            .get(app.url("/registres"))
            .send()
            .await
            .expect("GET")
            .status(),
        200
    );
    assert_eq!(
        auditor
            .get(app.url(&format!("/registres/{}/nouveau", register.id)))
            .send()
            .await
            .expect("GET")
            .status(),
        403
    );
    let current = app.current_user("MMG", "auditeur").await;
    assert!(matches!(
        register_mail(
            &app.state,
            &current,
            &settings,
            register.id,
            Submission {
                form: letter("Pas pour moi"),
                ..Submission::default()
            },
            "x"
        )
        .await,
        Err(Refused::Failed(_))
    ));
    assert_eq!(
        app.db.owner_scalar("SELECT count(*) FROM mail_items").await,
        0
    );
}

on_both_databases!(
    concurrent_registrations_are_numbered_without_gaps,
    numbering_restarts_with_the_year,
    a_refused_registration_leaves_no_trace,
    tampering_with_the_journal_is_detected,
    another_tenant_cannot_reach_the_registers,
    roles_decide_who_registers_and_who_reads,
    a_revoked_token_stops_on_every_replica,
    replicas_apply_a_new_number_format,
    replicas_find_directory_entries_as_they_are_now,
    an_entry_added_then_undone_is_never_kept,
);

/// The application role may add to the journal, never change or remove an entry.
#[tokio::test]
async fn postgres_journal_is_append_only_for_the_application() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    assert_eq!(app.state.db.backend(), DbBackend::Postgres);
    register_letter(&app, "Trace").await;
    for statement in [
        "UPDATE audit_entries SET details = '{}'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
        // Nor may it give an entry its place in the chain, or move the head: only the
        // database's sealing function does (migration 19).
        "INSERT INTO audit_entries (tenant_id, sequence, at, actor, action, object, details, origin, previous_hash, hash) \
         VALUES ('00000000-0000-0000-0000-000000000000', 99, now(), 'user:x', 'item.viewed', 'item:x', '{}', 'x', '', '')",
        "UPDATE audit_heads SET last_sequence = 0",
        "INSERT INTO audit_heads (tenant_id, last_sequence, last_hash) VALUES ('00000000-0000-0000-0000-000000000000', 0, '')",
    ] {
        let refused = app
            .state
            .db
            .connection()
            .execute_unprepared(statement)
            .await;
        let message = refused.expect_err("refused").to_string();
        assert!(
            message.contains("permission denied"),
            "{statement}: {message}"
        );
    }
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries")
            .await,
        3
    );
}

/// On PostgreSQL a transaction writes its entry unsealed, and the database seals it
/// right after the commit, unasked: gapless and chained.
#[tokio::test]
async fn postgres_journal_seals_itself_after_each_commit() {
    let app = TestApp::spawn(Backend::Postgres, Storage::Local).await;
    let subjects: Vec<String> = (1..=12).map(|i| format!("Lettre {i}")).collect();
    futures::future::join_all(subjects.iter().map(|s| register_letter(&app, s))).await;
    let unsealed = "SELECT count(*) FROM audit_entries WHERE sequence IS NULL";
    // A bound on waiting, not a measure of speed: sealing follows each commit within
    // milliseconds, and the sweep within a second.
    for _ in 0..600 {
        if app.db.owner_scalar(unsealed).await == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        app.db.owner_scalar(unsealed).await,
        0,
        "still unsealed after 30 s"
    );
    let entries = app
        .db
        .owner_scalar(
            "SELECT count(*) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MMG'",
        )
        .await;
    let last = app
        .db
        .owner_scalar(
            "SELECT max(sequence) FROM audit_entries a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'MMG'",
        )
        .await;
    assert!(entries >= 12, "{entries}");
    assert_eq!(last, entries, "the sequence has no gap");
    assert_eq!(
        verify_journal(&app, "MMG").await,
        Ok(u64::try_from(entries).expect("count"))
    );
}

/// The slip to stamp on the paper original, and the year's register as CSV: both for
/// the administration's own people only; the export is journalled.
async fn slip_and_csv_export(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let item = register_letter(&app, "=HYPERLINK(\"http://evil.example\")").await;
    let number = item.number.clone().expect("numbered");
    let year = item.year.expect("year");
    let secretariat = app.signed_in("MMG", "secretariat").await;
    let slip = app
        .get_text(&secretariat, &format!("/courriers/{}/bordereau", item.id))
        .await;
    assert!(
        slip.contains(&number.replace('/', "&#x2f;")),
        "the number is on the slip"
    );
    assert!(slip.contains("<svg") && slip.contains("Ministère des Mines et de la Géologie"));

    // The registers page gives the last number handed out this year, the other
    // registers the first to come.
    let registers_page = app.get_text(&secretariat, "/registres").await;
    let shown = |label: &str, number: &str| {
        format!(
            "{label} <code dir=\"ltr\">{}</code>",
            number.replace('/', "&#x2f;")
        )
    };
    assert!(
        registers_page.contains(&shown("dernier numéro attribué :", &number)),
        "{registers_page}"
    );
    assert!(
        registers_page.contains(&shown(
            "premier numéro à venir :",
            &format!("MMG/DEP/{year}/000001")
        )),
        "{registers_page}"
    );

    // The year's register is named in the browser's tab as in its heading.
    let register_page = app
        .get_text(
            &secretariat,
            &format!("/registres/{}/annees/{year}", item.register_id),
        )
        .await;
    assert!(
        register_page.contains(&format!("<title>Courrier arrivée · {year} · Ordo</title>")),
        "{register_page}"
    );

    let csv_path = format!("/registres/{}/annees/{year}/export.csv", item.register_id);
    let response = secretariat
        .get(app.url(&csv_path))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let body = response.bytes().await.expect("body");
    assert!(
        body.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a byte-order mark for spreadsheets"
    );
    let text = String::from_utf8(body[3..].to_vec()).expect("UTF-8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some(
            "numero,enregistre_le,expediteur,destinataire,objet,nature,canal,priorite,statut,version,echeance,motif_annulation"
        )
    );
    let row = lines.next().expect("one row");
    assert!(
        row.starts_with(&number) && row.contains("Société minière de Boké"),
        "{row}"
    );
    assert!(
        row.contains("\"'=HYPERLINK("),
        "a formula is neutralised: {row}"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'register.exported'")
            .await,
        1
    );

    let mef = app.signed_in("MEF", "secretariat").await;
    assert_eq!(
        mef.get(app.url(&csv_path))
            .send()
            .await
            .expect("GET")
            .status(),
        404
    );
    assert_eq!(
        mef.get(app.url(&format!("/courriers/{}/bordereau", item.id)))
            .send()
            .await
            .expect("GET")
            .status(),
        404
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM audit_entries WHERE action = 'register.exported'")
            .await,
        1
    );
}

on_both_databases!(slip_and_csv_export);

/// A replica keeps the directory entry a sender's typed name finds. An entry renamed
/// anywhere is forgotten, on another replica as soon as it hears of it, and the old
/// name then makes an entry of its own. The triggers are what tells it: a change made
/// with them disabled is not seen, which shows the entry is served as kept rather
/// than looked up each time.
async fn replicas_find_directory_entries_as_they_are_now(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let other_replica = app.db.replica().await;
    let tenant = app.current_user("MMG", "admin").await.tenant.id;
    let sender = |item: ordo_db::ItemRecord| item.sender_id.expect("a sender");
    let first = sender(register_letter(&app, "Première").await);
    assert_eq!(sender(register_letter(&app, "Deuxième").await), first);

    // Renamed through another replica.
    let tx = other_replica.tenant_write(tenant).await.expect("tx");
    let renamed = ordo_domain::correspondent::NewCorrespondent {
        name: "Compagnie des bauxites".to_owned(),
        kind: None,
        email: None,
        address: None,
    };
    assert!(
        tx.correspondents()
            .update(first, renamed)
            .await
            .expect("rename")
    );
    tx.commit().await.expect("commit");
    assert!(
        eventually(|| async { sender(register_letter(&app, "Après").await) != first }).await,
        "the typed name still found the renamed entry 30 s later"
    );
    let second = sender(register_letter(&app, "Encore").await);
    assert_ne!(second, first);

    // Behind disabled triggers: this replica goes on with the entry it kept (after a
    // moment, for the notifications above to have all arrived).
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(sender(register_letter(&app, "Gardé avant").await), second);
    let key = ordo_domain::correspondent::match_key("Société minière de Boké");
    let unheard_change = format!(
        "UPDATE correspondents SET name = 'Ailleurs', match_key = 'ailleurs' WHERE match_key = '{key}';"
    );
    change_unheard(&app, backend, "correspondents", &unheard_change).await;
    assert_eq!(sender(register_letter(&app, "Gardé").await), second);
    let owner = app.db.owner.connection();
    // Any change heard makes it look the name up again: it finds nothing now, and
    // makes a new entry.
    owner
        .execute_unprepared("UPDATE tenants SET name_en = name_en || '.' WHERE code = 'MMG'")
        .await
        .expect("a change heard");
    assert!(
        eventually(|| async { sender(register_letter(&app, "Relu").await) != second }).await,
        "the kept entry 30 s after a change was notified"
    );
}

/// A directory entry a transaction added and then found again is not kept: that
/// transaction may still roll back, and a kept entry that no longer exists would be
/// given as the sender of every later registration of that name.
async fn an_entry_added_then_undone_is_never_kept(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let tenant = app.current_user("MMG", "admin").await.tenant.id;
    // The replica listens for changes from its first kept read on; a moment for that.
    register_letter(&app, "Avant").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let now = app.state.clock.now();
    let undone = {
        let tx = app.state.db.tenant_write(tenant).await.expect("tx");
        let added = tx
            .correspondents()
            .resolve_name("Cabinet Diallo", now)
            .await;
        let found = tx
            .correspondents()
            .resolve_name("Cabinet Diallo", now)
            .await;
        let added = added.expect("added").id;
        assert_eq!(found.expect("found").id, added);
        added
        // Dropped without a commit: rolled back.
    };
    let tx = app.state.db.tenant_write(tenant).await.expect("tx");
    let entry = tx
        .correspondents()
        .resolve_name("Cabinet Diallo", now)
        .await;
    tx.commit().await.expect("commit");
    assert_ne!(
        entry.expect("resolved").id,
        undone,
        "the entry of a rolled-back transaction was kept"
    );
    assert_eq!(
        app.db
            .owner_scalar("SELECT count(*) FROM correspondents WHERE name = 'Cabinet Diallo'")
            .await,
        1
    );
}

/// Runs `change`, an update of `table`, as the database's owner with the table's
/// trigger off: no replica hears of it.
async fn change_unheard(app: &TestApp, backend: Backend, table: &str, change: &str) {
    let sql = match backend {
        Backend::Postgres => format!(
            "ALTER TABLE {table} DISABLE TRIGGER {table}_settings_changed;
             {change}
             ALTER TABLE {table} ENABLE TRIGGER {table}_settings_changed"
        ),
        // SQLite cannot disable a trigger: it is dropped and made again.
        Backend::Sqlite => format!(
            "DROP TRIGGER {table}_settings_update;
             {change}
             CREATE TRIGGER {table}_settings_update AFTER UPDATE ON {table}
             BEGIN UPDATE settings_changes SET changes = changes + 1; END;"
        ),
    };
    app.db
        .owner
        .connection()
        .execute_unprepared(&sql)
        .await
        .expect("change unheard");
}

/// Polls `done` every 50 ms until it holds or 30 s pass: a bound on waiting for a
/// notification between replicas, not a measure of speed.
pub(crate) async fn eventually<F, Fut>(mut done: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    for _ in 0..600 {
        if done().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

async fn api_status(client: &reqwest::Client, app: &TestApp) -> u16 {
    client
        .get(app.url("/api/v1/registers"))
        .send()
        .await
        .expect("GET /api/v1/registers")
        .status()
        .as_u16()
}

/// A replica keeps who holds each API token; a revocation made anywhere stops the
/// token on every replica: at once on the one that revoked it, and as soon as the
/// others hear of it (PostgreSQL's notification, SQLite's change counter), whoever
/// wrote the change (here the database owner's SQL, bypassing the application). On
/// SQLite "another replica" is another process on the same file: the command line.
async fn a_revoked_token_stops_on_every_replica(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let other_replica = app.db.replica().await;

    // Revoked through this replica: refused at once, no waiting.
    let token = ordo::token_cli::create(&app.state.db, "MMG", "secretariat", "first")
        .await
        .expect("token");
    let client = ordo_tests::bearer_client(&token);
    assert_eq!(api_status(&client, &app).await, 200);
    let first = ordo::token_cli::list(&app.state.db, "MMG")
        .await
        .expect("list")
        .into_iter()
        .find(|t| t.name == "first")
        .expect("the token");
    ordo::token_cli::revoke(&app.state.db, "MMG", first.id)
        .await
        .expect("revoke");
    assert_eq!(api_status(&client, &app).await, 401);

    // Revoked through another replica.
    let token = ordo::token_cli::create(&app.state.db, "MMG", "secretariat", "second")
        .await
        .expect("token");
    let client = ordo_tests::bearer_client(&token);
    assert_eq!(api_status(&client, &app).await, 200);
    let second = ordo::token_cli::list(&other_replica, "MMG")
        .await
        .expect("list")
        .into_iter()
        .find(|t| t.name == "second")
        .expect("the token");
    ordo::token_cli::revoke(&other_replica, "MMG", second.id)
        .await
        .expect("revoke");
    assert!(
        eventually(|| async { api_status(&client, &app).await == 401 }).await,
        "still accepted 30 s after another replica revoked it"
    );

    // Revoked by SQL behind the application's back.
    let token = ordo::token_cli::create(&app.state.db, "MMG", "secretariat", "third")
        .await
        .expect("token");
    let client = ordo_tests::bearer_client(&token);
    assert_eq!(api_status(&client, &app).await, 200);
    let now = ordo_domain::Clock::now(&ordo_domain::SystemClock).to_rfc3339();
    app.db
        .owner
        .connection()
        .execute_unprepared(&format!(
            "UPDATE api_tokens SET revoked_at = '{now}' WHERE name = 'third'"
        ))
        .await
        .expect("revoke by SQL");
    assert!(
        eventually(|| async { api_status(&client, &app).await == 401 }).await,
        "still accepted 30 s after its revocation by SQL"
    );
}

/// A replica keeps what a registration reads of the settings (registers, vocabulary,
/// holidays): a new number format applies at once on the replica that set it and as
/// soon as the others hear of it. The triggers are what tells them: a change made
/// with them disabled is not seen, which shows the settings are served as kept
/// rather than read each time.
async fn replicas_apply_a_new_number_format(backend: Backend) {
    let app = TestApp::spawn(backend, Storage::Local).await;
    let other_replica = app.db.replica().await;
    let register = app.register("MMG", "ARR").await;
    let current = app.current_user("MMG", "admin").await;
    let set_format = |db: ordo_db::Database, format: &'static str| {
        let name = register.name.clone();
        async move {
            let tx = db.tenant_write(current.tenant.id).await.expect("tx");
            let format = ordo_domain::NumberFormat::parse(format).expect("format");
            assert!(
                tx.registers()
                    .update(register.id, name, &format)
                    .await
                    .expect("update")
            );
            tx.commit().await.expect("commit");
        }
    };
    let number = |item: ordo_db::ItemRecord| item.number.expect("numbered");
    assert!(number(register_letter(&app, "Avant").await).starts_with("MMG/ARR/"));

    // Set through this replica: the next registration has it.
    set_format(app.state.db.clone(), "MMG/ICI/{year}/{seq:6}").await;
    assert!(number(register_letter(&app, "Ici").await).starts_with("MMG/ICI/"));

    // Set through another replica.
    set_format(other_replica.clone(), "MMG/AUTRE/{year}/{seq:6}").await;
    assert!(
        eventually(|| async {
            number(register_letter(&app, "Ailleurs").await).starts_with("MMG/AUTRE/")
        })
        .await,
        "the old format 30 s after another replica changed it"
    );

    // Behind disabled triggers: this replica goes on with what it kept. (The API
    // client's token first, a change of kept settings too; then a moment, for the
    // notifications of the changes above to have all arrived; the registration
    // then keeps the settings it reads.)
    let api = app.api_client("MMG", "admin").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(number(register_letter(&app, "Gardé avant").await).starts_with("MMG/AUTRE/"));
    change_unheard(
        &app,
        backend,
        "registers",
        "UPDATE registers SET number_format = 'MMG/CACHE/{year}/{seq:6}' WHERE code = 'ARR';",
    )
    .await;
    let owner = app.db.owner.connection();
    assert!(number(register_letter(&app, "Gardé").await).starts_with("MMG/AUTRE/"));
    // The API's list of registers reads the same kept settings.
    let arr_format = || async {
        app.get_json(&api, "/api/v1/registers")
            .await
            .as_array()
            .expect("registers")
            .iter()
            .find(|r| r["code"] == "ARR")
            .expect("ARR")["number_format"]
            .as_str()
            .expect("format")
            .to_owned()
    };
    assert_eq!(arr_format().await, "MMG/AUTRE/{year}/{seq:6}");
    // Any change heard (here to the administration's record) makes it read them all
    // again.
    owner
        .execute_unprepared("UPDATE tenants SET name_en = name_en || '.' WHERE code = 'MMG'")
        .await
        .expect("a change heard");
    assert!(
        eventually(|| async {
            number(register_letter(&app, "Relu").await).starts_with("MMG/CACHE/")
        })
        .await,
        "the kept format 30 s after a change was notified"
    );
    assert_eq!(arr_format().await, "MMG/CACHE/{year}/{seq:6}");
}
