//! `ordo demo`: the whole platform in one process on SQLite and local disk, with no
//! outside service, seeded on first start so a person can try it at once.

use std::{net::SocketAddr, path::Path, sync::Arc};

use anyhow::Context;
use ordo_db::{Database, UnitKind};
use ordo_domain::{Clock, LocalizedName, Login, Role, RoleSet, SystemClock, TenantCode, TimeZone};
use ordo_mail::{EmlDirectory, OutgoingMail};
use ordo_operator::{AdminAccount, NewAdministration, UnitPlan};
use ordo_storage::{DocumentStore, LocalStore};
use ordo_web::{AppState, CookiePolicy};

/// The password of every demo account. Printed at start; for trying Ordo only.
pub const DEMO_PASSWORD: &str = "ordo-demo-2026";
/// The sender of the demo's e-mails (written under `<data>/mail/`, never sent).
pub const DEMO_SENDER: &str = "\"Ordo (démonstration)\" <ne-pas-repondre@demo.ordo.invalid>";
/// The operator agency's demo login (leave "administration" empty to use it).
pub const DEMO_OPERATOR: &str = "operateur";

/// Opens (creating if needed) the demo's database and document store under `data`.
/// Where `ordo demo` listens unless told otherwise: links in e-mails that commands
/// send on the demo's data point there.
pub const DEFAULT_URL: &str = "http://127.0.0.1:8080";

pub async fn open(data: &Path) -> anyhow::Result<(Database, Arc<dyn DocumentStore>)> {
    std::fs::create_dir_all(data)
        .with_context(|| format!("cannot create the data directory {}", data.display()))?;
    let url = format!("sqlite://{}?mode=rwc", data.join("ordo.sqlite").display());
    let db = Database::connect(&url, 8).await?;
    crate::migrate::up(&db).await?;
    let store: Arc<dyn DocumentStore> = Arc::new(LocalStore::new(data.join("documents")));
    store.check().await?;
    Ok((db, store))
}

/// The application state of the demo, seeded on first start. Returns whether it
/// seeded now.
pub async fn prepare(data: &Path) -> anyhow::Result<(AppState, bool)> {
    // No outside service: e-mails become .eml files a person can open.
    let mail = OutgoingMail {
        transport: Arc::new(
            EmlDirectory::new(data.join("mail"))
                .context("cannot create the demo's mail directory")?,
        ),
        from: DEMO_SENDER.parse().context("the demo's sender address")?,
    };
    let (db, store) = open(data).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let seeded = seed_if_empty(&db, store.as_ref(), clock.as_ref()).await?;
    let metrics = ordo_telemetry::Metrics::new()?;
    // Plain http://localhost: Secure cookies would not come back from every client.
    let state = AppState::new(
        db,
        store,
        mail,
        clock,
        metrics,
        CookiePolicy { secure: false },
    );
    if seeded {
        crate::demo_mail::seed(&state).await?;
    }
    Ok((state, seeded))
}

/// Runs the demo until interrupted.
pub async fn run(listen: SocketAddr, data: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (state, seeded) = prepare(data).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}: is another program using it? try --listen 127.0.0.1:8081"))?;
    let address = listener.local_addr()?;
    let state = state.with_public_url(&format!("http://{address}"));
    print_banner(address, data, seeded, started.elapsed());
    let worker = tokio::spawn(crate::app::run_worker(
        state.clone(),
        std::time::Duration::from_secs(600),
    ));
    crate::app::serve(listener, crate::app::router(state)).await?;
    worker.abort();
    Ok(())
}

/// Prints the URL and the demo accounts. Write errors are ignored: a closed terminal
/// or pipe must not stop the server.
fn print_banner(address: SocketAddr, data: &Path, seeded: bool, took: std::time::Duration) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let host = if address.ip().is_unspecified() {
        "localhost".to_owned()
    } else {
        address.ip().to_string()
    };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\n  Ordo est prêt · Ordo is ready · أوردو جاهز   ({} ms)",
        took.as_millis()
    );
    let _ = writeln!(text, "  → http://{host}:{}/", address.port());
    let _ = writeln!(
        text,
        "  Dépôt en ligne / public filing: http://{host}:{}/depot/MMG\n",
        address.port()
    );
    let _ = writeln!(
        text,
        "  Données / data: {}{}",
        data.display(),
        if seeded {
            " (démonstration créée)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        text,
        "  Mot de passe de tous les comptes / password of every account: {DEMO_PASSWORD}\n"
    );
    let _ = writeln!(text, "  Administration  Identifiant          Rôle");
    let _ = writeln!(
        text,
        "  (vide)          {DEMO_OPERATOR:<20} agence opératrice"
    );
    for (tenant, accounts) in demo_accounts() {
        for (login, _, roles, _) in accounts {
            let _ = writeln!(text, "  {tenant:<15} {login:<20} {roles}");
        }
    }
    let _ = writeln!(text, "\n  Ctrl+C pour arrêter · to stop");
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

type DemoAccount = (&'static str, &'static str, &'static str, &'static str);

/// (administration code, [(login, name, roles, unit code)]).
fn demo_accounts() -> Vec<(&'static str, Vec<DemoAccount>)> {
    vec![
        (
            "MMG",
            vec![
                ("admin", "Mariama Camara", "tenant_admin", "SG"),
                ("secretariat", "Ibrahima Sow", "bureau_ordre", "SG"),
                ("chef.mines", "Fatoumata Bah", "unit_head", "DNM"),
                ("agent.mines", "Mamadou Diallo", "agent", "DNM"),
                ("ministre", "Aïssatou Barry", "signatory", "CAB"),
                ("auditeur", "Sekou Keita", "auditor", "SG"),
                ("secretariat.boke", "Alpha Condé", "bureau_ordre", "DR-BOKE"),
            ],
        ),
        (
            "MEF",
            vec![
                ("admin", "Hawa Touré", "tenant_admin", "SG"),
                ("secretariat", "Ousmane Sylla", "bureau_ordre", "SG"),
                ("agent", "Kadiatou Soumah", "agent", "DB"),
            ],
        ),
    ]
}

fn name(fr: &str, ar: &str, en: &str) -> anyhow::Result<LocalizedName> {
    Ok(LocalizedName::parse(fr, ar, en)?)
}

fn unit(
    code: &str,
    parent: Option<&str>,
    name: LocalizedName,
    kind: UnitKind,
    bureau: bool,
) -> UnitPlan {
    UnitPlan {
        code: code.to_owned(),
        parent: parent.map(str::to_owned),
        name,
        kind,
        has_bureau_ordre: bureau,
    }
}

fn demo_plans() -> anyhow::Result<Vec<NewAdministration>> {
    let conakry = TimeZone::parse("Africa/Conakry")?;
    let mmg_units = vec![
        UnitPlan::central_registry("SG")?,
        unit(
            "CAB",
            Some("SG"),
            name("Cabinet du Ministre", "ديوان الوزير", "Minister's Office")?,
            UnitKind::Central,
            false,
        ),
        unit(
            "DNM",
            Some("SG"),
            name(
                "Direction nationale des Mines",
                "المديرية الوطنية للمناجم",
                "National Directorate of Mines",
            )?,
            UnitKind::Directorate,
            false,
        ),
        unit(
            "DNG",
            Some("SG"),
            name(
                "Direction nationale de la Géologie",
                "المديرية الوطنية للجيولوجيا",
                "National Directorate of Geology",
            )?,
            UnitKind::Directorate,
            false,
        ),
        unit(
            "DR-BOKE",
            Some("SG"),
            name(
                "Direction régionale des Mines de Boké",
                "المديرية الجهوية للمناجم بوكي",
                "Boké Regional Directorate of Mines",
            )?,
            UnitKind::Decentralised,
            true,
        ),
    ];
    let mef_units = vec![
        UnitPlan::central_registry("SG")?,
        unit(
            "DB",
            Some("SG"),
            name(
                "Direction nationale du Budget",
                "المديرية الوطنية للميزانية",
                "National Budget Directorate",
            )?,
            UnitKind::Directorate,
            false,
        ),
    ];
    let mut plans = Vec::new();
    for ((code, accounts), (tenant_name, units)) in demo_accounts().into_iter().zip([
        (
            name(
                "Ministère des Mines et de la Géologie",
                "وزارة المناجم والجيولوجيا",
                "Ministry of Mines and Geology",
            )?,
            mmg_units,
        ),
        (
            name(
                "Ministère de l'Économie et des Finances",
                "وزارة الاقتصاد والمالية",
                "Ministry of Economy and Finance",
            )?,
            mef_units,
        ),
    ]) {
        let accounts = accounts
            .into_iter()
            .map(|(login, display_name, roles, unit)| {
                Ok(AdminAccount {
                    login: Login::parse(login)?,
                    display_name: display_name.to_owned(),
                    email: Some(format!("{login}@{}.demo.ordo", code.to_lowercase())),
                    password: Some(DEMO_PASSWORD.to_owned()),
                    roles: RoleSet::new(
                        roles
                            .split(',')
                            .map(str::parse::<Role>)
                            .collect::<Result<Vec<_>, _>>()?,
                    ),
                    unit: Some(unit.to_owned()),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        plans.push(NewAdministration {
            code: TenantCode::parse(code)?,
            name: tenant_name,
            time_zone: conakry,
            placement: ordo_operator::Placement::default(),
            units,
            accounts,
        });
    }
    Ok(plans)
}

/// Seeds whatever part of the demo platform is missing: the operator account and
/// each demo administration. Each part is created in one transaction, so a crash
/// mid-way leaves whole parts only, and the next start completes the rest.
/// Returns whether anything was created.
pub async fn seed_if_empty(
    db: &Database,
    store: &dyn DocumentStore,
    clock: &dyn Clock,
) -> anyhow::Result<bool> {
    let operator = Login::parse(DEMO_OPERATOR)?;
    let tx = db.platform().await?;
    let has_operator = tx.operators().find_by_login(&operator).await?.is_some();
    let existing: Vec<TenantCode> = tx
        .tenants()
        .list()
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    tx.commit().await?;
    let mut created = false;
    if !has_operator {
        ordo_operator::create_operator(
            db,
            clock,
            &operator,
            "Agence opératrice (démo)",
            DEMO_PASSWORD,
        )
        .await?;
        created = true;
    }
    for plan in demo_plans()? {
        if !existing.contains(&plan.code) {
            ordo_operator::create_administration(db, store, clock, plan).await?;
            created = true;
        }
    }
    Ok(created)
}
