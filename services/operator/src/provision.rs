//! Creating an administration: its tenant row, its document space, its units and
//! first accounts, all committed together or not at all.

use ordo_db::{
    Database, JournalEvent, NewRegister, NewTenant, NewUnit, NewUser, OperatorRecord, TenantRecord,
    UnitKind,
};
use ordo_domain::{
    Clock, InvalidInput, Locale, LocalizedName, Login, MailDirection, NumberFormat, RoleSet,
    TenantCode, TimeZone, password,
};

/// The registers each bureau d'ordre starts with: (code, direction, names).
const DEFAULT_REGISTERS: &[(&str, MailDirection, &str, &str, &str)] = &[
    (
        "ARR",
        MailDirection::Incoming,
        "Courrier arrivée",
        "البريد الوارد",
        "Incoming mail",
    ),
    (
        "DEP",
        MailDirection::Outgoing,
        "Courrier départ",
        "البريد الصادر",
        "Outgoing mail",
    ),
];
use ordo_storage::DocumentStore;

/// A unit to create with the administration. `parent` is the code of a unit listed
/// before it.
#[derive(Debug, Clone)]
pub struct UnitPlan {
    pub code: String,
    pub parent: Option<String>,
    pub name: LocalizedName,
    pub kind: UnitKind,
    pub has_bureau_ordre: bool,
}

impl UnitPlan {
    /// The central bureau d'ordre every administration starts with.
    pub fn central_registry(code: &str) -> Result<Self, InvalidInput> {
        Ok(Self {
            code: code.to_owned(),
            parent: None,
            name: LocalizedName::parse(
                "Secrétariat général — Bureau d'ordre central",
                "الكتابة العامة — مكتب الضبط المركزي",
                "General Secretariat — Central registry",
            )?,
            kind: UnitKind::Central,
            has_bureau_ordre: true,
        })
    }
}

/// A first account of the administration. `unit` is the code of one of its units.
#[derive(Debug, Clone)]
pub struct AdminAccount {
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub password: String,
    pub roles: RoleSet,
    pub unit: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewAdministration {
    pub code: TenantCode,
    pub name: LocalizedName,
    pub time_zone: TimeZone,
    pub units: Vec<UnitPlan>,
    pub accounts: Vec<AdminAccount>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("an administration with code {0} already exists")]
    DuplicateCode(TenantCode),
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("unit {0} is named as a parent or home unit before it is defined")]
    UnknownUnit(String),
    #[error("preparing the document store failed: {0}")]
    Storage(#[from] ordo_storage::StoreError),
    #[error(transparent)]
    Database(#[from] ordo_db::DbError),
}

/// Creates an administration in one transaction. The document space is prepared
/// before the commit: if the store refuses, nothing is written.
pub async fn create_administration(
    db: &Database,
    store: &dyn DocumentStore,
    clock: &dyn Clock,
    plan: NewAdministration,
) -> Result<TenantRecord, ProvisionError> {
    let now = clock.now();
    // Hash passwords first: it is slow and needs no transaction open.
    let mut hashed = Vec::with_capacity(plan.accounts.len());
    for account in &plan.accounts {
        hashed.push(password::hash_password(&account.password)?);
    }

    let platform = db.platform().await?;
    if platform.tenants().find_by_code(&plan.code).await?.is_some() {
        return Err(ProvisionError::DuplicateCode(plan.code));
    }
    let new_tenant = NewTenant {
        code: plan.code.clone(),
        name: plan.name,
        time_zone: plan.time_zone,
    };
    let tenant = match platform.tenants().insert(new_tenant, now).await {
        Ok(tenant) => tenant,
        Err(ordo_db::DbError::Conflict(_)) => return Err(ProvisionError::DuplicateCode(plan.code)),
        Err(err) => return Err(err.into()),
    };
    let tx = platform.into_tenant(tenant.id).await?;

    let mut unit_ids = std::collections::HashMap::new();
    let mut registries = Vec::new();
    for unit in plan.units {
        let parent_id = match &unit.parent {
            Some(code) => Some(
                *unit_ids
                    .get(code)
                    .ok_or_else(|| ProvisionError::UnknownUnit(code.clone()))?,
            ),
            None => None,
        };
        let created = tx
            .units()
            .insert(
                NewUnit {
                    parent_id,
                    code: unit.code.clone(),
                    name: unit.name,
                    kind: unit.kind,
                    has_bureau_ordre: unit.has_bureau_ordre,
                },
                now,
            )
            .await?;
        if unit.has_bureau_ordre {
            registries.push((created.id, unit.code.clone(), unit.parent.is_none()));
        }
        unit_ids.insert(unit.code, created.id);
    }
    // Every bureau d'ordre starts with an incoming and an outgoing register, numbered
    // MMG/ARR/2026/000001 centrally and MMG/DR-BOKE/ARR/2026/000001 in an office.
    for (unit_id, unit_code, central) in registries {
        for (code, direction, fr, ar, en) in DEFAULT_REGISTERS {
            let prefix = if central {
                plan.code.to_string()
            } else {
                format!("{}/{unit_code}", plan.code)
            };
            let number_format =
                NumberFormat::parse(&format!("{prefix}/{code}/{{year}}/{{seq:6}}"))?;
            tx.registers()
                .insert(
                    NewRegister {
                        unit_id,
                        code: (*code).to_owned(),
                        direction: *direction,
                        name: LocalizedName::parse(fr, ar, en)?,
                        number_format,
                    },
                    now,
                )
                .await?;
        }
    }
    tx.vocabulary().seed_defaults().await?;
    for (account, password_hash) in plan.accounts.into_iter().zip(hashed) {
        let unit_id = match &account.unit {
            Some(code) => Some(
                *unit_ids
                    .get(code)
                    .ok_or_else(|| ProvisionError::UnknownUnit(code.clone()))?,
            ),
            None => None,
        };
        tx.users()
            .insert(
                NewUser {
                    unit_id,
                    login: account.login,
                    display_name: account.display_name,
                    email: account.email,
                    password_hash: Some(password_hash),
                    roles: account.roles,
                    locale: Locale::Fr,
                },
                now,
            )
            .await?;
    }

    tx.journal()
        .append(
            JournalEvent {
                actor: "system".to_owned(),
                action: "tenant.created",
                object: format!("tenant:{}", tenant.id),
                details: serde_json::json!({ "code": tenant.code.as_str(), "name": tenant.name.fr }),
                origin: "provisioning".to_owned(),
            },
            now,
        )
        .await?;
    store.prepare_tenant(tenant.id).await?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant.code, "administration created");
    Ok(tenant)
}

/// Creates an operator-agency account.
pub async fn create_operator(
    db: &Database,
    clock: &dyn Clock,
    login: &Login,
    display_name: &str,
    password: &str,
) -> Result<OperatorRecord, ProvisionError> {
    let hash = password::hash_password(password)?;
    let tx = db.platform().await?;
    let operator = tx
        .operators()
        .insert(login, display_name, &hash, clock.now())
        .await?;
    tx.commit().await?;
    Ok(operator)
}
