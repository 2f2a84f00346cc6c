//! `ordo tenant create|suspend|resume|list|show`: the operator agency's command-line
//! tools.

use std::sync::Arc;

use anyhow::Context;
use ordo_db::{Database, TenantRecord};
use ordo_domain::{Locale, SystemClock, TenantCode};
use ordo_operator::{CreationRequest, Onboarding, ProvisionError, Step};
use ordo_storage::DocumentStore;
use ordo_web::i18n::invalid_input_message;

/// What `ordo tenant create` was given: the console's request, and optionally a
/// first password (without one, the administrator is invited by e-mail).
#[derive(Debug, Clone)]
pub struct CreateRequest {
    pub request: CreationRequest,
    pub admin_password: Option<String>,
    /// Where the platform is reached, for the invitation's link.
    pub public_url: String,
}

/// Creates an administration, printing each step as it is reached; running it
/// again after a failure completes the creation.
pub async fn create(
    db: &Database,
    store: Arc<dyn DocumentStore>,
    create: CreateRequest,
) -> anyhow::Result<TenantRecord> {
    let clock = SystemClock;
    let onboarding = Onboarding {
        db,
        store: store.as_ref(),
        clock: &clock,
        public_url: &create.public_url,
        actor: "cli",
        origin: "cli",
    };
    let started = std::time::Instant::now();
    let progress = |step: Step| {
        print_progress(&format!(
            "[{}/{}] {:<40} {:>6.2} s",
            step.number(),
            Step::ALL.len(),
            step_label(step),
            started.elapsed().as_secs_f64()
        ));
    };
    let mut plan = match onboarding.check(&create.request).await {
        Ok(plan) => plan,
        Err(ProvisionError::Invalid(errors)) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| invalid_input_message(Locale::Fr, e))
                .collect();
            anyhow::bail!("la demande est refusée :\n  {}", lines.join("\n  "));
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(password) = create.admin_password {
        for account in &mut plan.accounts {
            account.password = Some(password.clone());
        }
    }
    onboarding
        .create(plan, &create.request, &progress)
        .await
        .context("la création s'est arrêtée ; relancez la même commande pour la terminer")
}

fn step_label(step: Step) -> &'static str {
    match step {
        Step::Checking => "vérification de la demande",
        Step::DocumentStore => "espace documentaire (S3)",
        Step::Seal => "cachet et certificat",
        Step::Records => "registres, natures, annuaire, invitation",
        Step::Done => "terminé",
    }
}

#[expect(
    clippy::print_stderr,
    reason = "progress of a command, beside its output"
)]
fn print_progress(line: &str) {
    eprintln!("{line}");
}

/// Draws the export's progress on the terminal: the documents' bytes copied.
struct ExportBar(indicatif::ProgressBar);

impl ordo_operator::export::ExportProgress for ExportBar {
    fn documents(&self, count: u64, bytes: u64) {
        self.0.set_length(bytes);
        self.0.set_position(0);
        self.0.set_message(format!("{count} documents"));
    }

    fn copied(&self, bytes: u64) {
        self.0.inc(bytes);
    }

    fn table(&self, name: &str, rows: u64) {
        self.0.set_message(format!("table {name} : {rows} lignes"));
    }
}

/// Exports the administration `code` as a bag in `folder`, with a progress bar.
pub async fn export(
    db: &Database,
    store: Arc<dyn DocumentStore>,
    code: &str,
    folder: &std::path::Path,
) -> anyhow::Result<ordo_operator::export::ExportReport> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let exporter = ordo_operator::export::Exporter {
        db,
        store: store.as_ref(),
        clock: &SystemClock,
        actor: "cli",
        origin: "cli",
    };
    let report = exporter.export(code, folder, &ExportBar(bar.clone())).await;
    bar.finish_and_clear();
    Ok(report?)
}

/// A step of a deletion; the confirmation works as the database's owner role.
#[derive(Debug)]
pub enum DeletionStep {
    Request,
    Cancel,
    Confirm(Database),
}

/// Runs a step of a deletion; what to tell the operator, the certificate after a
/// confirmation.
pub async fn delete(
    db: &Database,
    store: Arc<dyn DocumentStore>,
    code: &str,
    step: DeletionStep,
) -> anyhow::Result<String> {
    use ordo_operator::deletion::{self, DeletionRefusal};
    let clock = SystemClock;
    let refused = |refusal: DeletionRefusal| {
        anyhow::anyhow!(
            "{code} : {}",
            match refusal {
                DeletionRefusal::UnknownAdministration => "aucune administration ne porte ce code",
                DeletionRefusal::NotSuspended =>
                    "seule une administration suspendue peut être supprimée (ordo tenant suspend CODE)",
                DeletionRefusal::AlreadyRequested => "sa suppression est déjà demandée",
                DeletionRefusal::NotRequested =>
                    "aucune suppression n'est demandée (ordo tenant delete CODE --request)",
                DeletionRefusal::ExportFirst =>
                    "aucun export depuis la demande : exportez d'abord (ordo tenant export CODE)",
            }
        )
    };
    match step {
        DeletionStep::Request => {
            let request = deletion::request_deletion(db, &clock, "cli", code, "cli")
                .await?
                .map_err(refused)?;
            Ok(format!(
                "{} : suppression demandée le {}. Exportez (ordo tenant export {}), puis confirmez (ordo tenant delete {} --confirm).",
                request.code,
                request.requested_at.format("%d/%m/%Y %H:%M UTC"),
                request.code,
                request.code
            ))
        }
        DeletionStep::Cancel => {
            deletion::cancel_deletion(db, &clock, "cli", code, "cli")
                .await?
                .map_err(refused)?;
            Ok(format!(
                "{code} : demande de suppression annulée ; l'administration reste suspendue."
            ))
        }
        DeletionStep::Confirm(owner) => {
            let certificate =
                deletion::confirm_deletion(&owner, store.as_ref(), &clock, "cli", code, "cli")
                    .await?
                    .map_err(refused)?;
            Ok(serde_json::to_string_pretty(&certificate)?)
        }
    }
}

/// Sets quotas; says what they now are.
pub async fn quota(
    db: &Database,
    code: &str,
    storage_gib: &str,
    users: &str,
) -> anyhow::Result<String> {
    let quotas = ordo_operator::usage::parse_quotas(storage_gib, users).map_err(|errors| {
        anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| invalid_input_message(Locale::Fr, e))
                .collect::<Vec<_>>()
                .join(" ")
        )
    })?;
    let tenant = ordo_operator::usage::set_quotas(db, &SystemClock, "cli", code, quotas, "cli")
        .await?
        .ok_or_else(|| anyhow::anyhow!("{code} : aucune administration ne porte ce code"))?;
    let limit = |value: Option<String>| value.unwrap_or_else(|| "sans limite".to_owned());
    Ok(format!(
        "{} : stockage {}, comptes {}",
        tenant.code,
        limit(
            quotas
                .storage_bytes
                .map(|b| ordo_web::i18n::human_size(b, Locale::Fr))
        ),
        limit(quotas.users.map(|u| u.to_string())),
    ))
}

/// Measures every administration now; one line each.
pub async fn usage(db: &Database) -> anyhow::Result<Vec<String>> {
    ordo_operator::usage::measure_all(db, &SystemClock).await?;
    let tx = db.platform().await?;
    let tenants = tx.tenants().list().await?;
    let usage: std::collections::HashMap<_, _> = tx
        .usage()
        .all()
        .await?
        .into_iter()
        .map(|r| (r.tenant, r.usage))
        .collect();
    tx.commit().await?;
    Ok(tenants
        .iter()
        .map(|tenant| {
            let used = usage.get(&tenant.id).copied().unwrap_or_default();
            format!(
                "{:<16} {:>10} {:>6} documents {:>5} comptes {:>5} actifs {:>7} courriers ce mois",
                tenant.code,
                ordo_web::i18n::human_size(used.storage_bytes, Locale::Fr),
                used.documents,
                used.users,
                used.active_users,
                used.items_this_month
            )
        })
        .collect())
}

/// Suspends or resumes an administration; the operator's journal records it (the
/// actor `cli`, from this machine).
pub async fn change_standing(
    db: &Database,
    _store: Arc<dyn DocumentStore>,
    code: &str,
    standing: ordo_operator::Standing,
) -> anyhow::Result<TenantRecord> {
    match ordo_operator::change_standing(db, &SystemClock, "cli", code, standing, "cli").await? {
        Ok(tenant) => Ok(tenant),
        Err(refusal) => Err(anyhow::anyhow!(
            "{code}: {}",
            match refusal {
                ordo_operator::StandingRefusal::UnknownAdministration =>
                    "no administration has this code",
                ordo_operator::StandingRefusal::AlreadySuspended =>
                    "already suspended: nothing changed",
                ordo_operator::StandingRefusal::NotSuspended => "not suspended: nothing changed",
                ordo_operator::StandingRefusal::DeletionRequested =>
                    "its deletion is requested: withdraw the request first (ordo tenant delete CODE --cancel)",
            }
        )),
    }
}

pub async fn list(db: &Database) -> anyhow::Result<Vec<TenantRecord>> {
    let tx = db.platform().await?;
    let tenants = tx.tenants().list().await?;
    tx.commit().await?;
    Ok(tenants)
}

pub async fn show(db: &Database, code: &str) -> anyhow::Result<TenantRecord> {
    let code = TenantCode::parse(code)?;
    let tx = db.platform().await?;
    let tenant = tx.tenants().find_by_code(&code).await?;
    tx.commit().await?;
    tenant.ok_or_else(|| anyhow::anyhow!("no administration has the code {code}"))
}

/// One line per administration, for the terminal.
pub fn describe(tenant: &TenantRecord) -> String {
    format!(
        "{:<16} {:<9} {:<20} {}  (créée le {})",
        tenant.code,
        tenant.status.as_str(),
        tenant.time_zone.name(),
        tenant.name.fr,
        tenant
            .created_at
            .with_timezone(&tenant.time_zone.tz())
            .format("%d/%m/%Y %H:%M"),
    )
}
