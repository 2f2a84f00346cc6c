//! `ordo tenant create|suspend|resume|list|show`: the operator agency's command-line
//! tools.

use std::sync::Arc;

use ordo_db::{Database, TenantRecord};
use ordo_domain::{Clock, LocalizedName, Login, Role, RoleSet, SystemClock, TenantCode, TimeZone};
use ordo_operator::{AdminAccount, NewAdministration, UnitPlan};
use ordo_storage::DocumentStore;

/// What `ordo tenant create` was given.
#[derive(Debug, Clone)]
pub struct CreateRequest {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub time_zone: String,
    pub admin_login: String,
    pub admin_name: String,
    pub admin_email: Option<String>,
    pub admin_password: String,
}

/// Creates an administration with its central bureau d'ordre and first administrator.
pub async fn create(
    db: &Database,
    store: Arc<dyn DocumentStore>,
    request: CreateRequest,
) -> anyhow::Result<TenantRecord> {
    let name = LocalizedName::parse(&request.name_fr, &request.name_ar, &request.name_en)?;
    let central = UnitPlan::central_registry("SG")?;
    let plan = NewAdministration {
        code: TenantCode::parse(&request.code)?,
        name,
        time_zone: TimeZone::parse(&request.time_zone)?,
        units: vec![central],
        accounts: vec![AdminAccount {
            login: Login::parse(&request.admin_login)?,
            display_name: request.admin_name,
            email: request.admin_email,
            password: request.admin_password,
            roles: RoleSet::new([Role::TenantAdmin]),
            unit: Some("SG".to_owned()),
        }],
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(ordo_operator::create_administration(db, store.as_ref(), clock.as_ref(), plan).await?)
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
