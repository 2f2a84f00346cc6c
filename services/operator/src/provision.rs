//! Creating an administration in one step: its document bucket, its seal, its
//! tenant row with its bureau d'ordre, registers, natures, first accounts and
//! directory entry, and the invitation of its first administrator.
//!
//! The rows commit in one transaction, so a failure leaves no half-created
//! administration. What lives outside the database (the bucket) is made first,
//! under a tenant id recorded in `provisionings` before anything else: running the
//! creation again takes up that id and completes what the first attempt began.
//! Every attempt, done or refused, goes into the operator's journal.

use ordo_db::{
    Database, DirectoryEntry, JournalEvent, NewRegister, NewTenant, NewUnit, NewUser,
    OperatorEvent, OperatorRecord, TenantRecord, UnitKind,
};
use ordo_domain::{
    AdministrationLevel, Clock, InvalidInput, Languages, Locale, LocalizedName, Login,
    MailDirection, NumberFormat, Reason, Role, RoleSet, TenantCode, TenantId, TimeZone,
    calendar::WorkingCalendar, password,
};
use ordo_storage::DocumentStore;
use ordo_web::password_reset::{LinkKind, PasswordLink};
use serde::{Deserialize, Serialize};

use crate::seal;

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

/// The code of the central bureau d'ordre's unit in an administration created
/// from the console.
const CENTRAL_UNIT: &str = "SG";

/// A creation that took a step this recently is running, and nobody else may take
/// it up. Each step takes seconds; one whose process died can be taken up after this
/// (it then completes under the same tenant id).
const RUNNING_FOR_AT_MOST: chrono::Duration = chrono::Duration::minutes(2);

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
/// Without a password, the account is invited: an e-mail brings a link to choose one.
#[derive(Debug, Clone)]
pub struct AdminAccount {
    pub login: Login,
    pub display_name: String,
    pub email: Option<String>,
    pub password: Option<String>,
    pub roles: RoleSet,
    pub unit: Option<String>,
}

/// Where an administration stands and how it works.
#[derive(Debug, Clone)]
pub struct Placement {
    pub level: AdministrationLevel,
    pub parent_code: Option<TenantCode>,
    pub languages: Languages,
    /// A code of `ordo_domain::calendar::WEEKENDS`.
    pub weekend: String,
}

impl Default for Placement {
    fn default() -> Self {
        Self {
            level: AdministrationLevel::Central,
            parent_code: None,
            languages: Languages::all(),
            weekend: "sat,sun".to_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewAdministration {
    pub code: TenantCode,
    pub name: LocalizedName,
    pub time_zone: TimeZone,
    pub placement: Placement,
    pub units: Vec<UnitPlan>,
    pub accounts: Vec<AdminAccount>,
}

/// A creation as people ask for it (console form, API body, command line), before
/// it is checked. It is kept with the creation's record, so it never holds a
/// password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreationRequest {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    /// `central` or `decentralised`.
    pub level: String,
    /// The parent body's code, for a decentralised office.
    pub parent: String,
    pub time_zone: String,
    /// A code of `ordo_domain::calendar::WEEKENDS`; Saturday and Sunday if empty.
    pub weekend: String,
    /// Tags separated by commas (`fr,ar,en`); all three if empty.
    pub languages: String,
    pub admin_login: String,
    pub admin_name: String,
    pub admin_email: String,
}

impl CreationRequest {
    /// Checks the request on its own (not against the platform: see
    /// [`Onboarding::check`]) and lists every field in error.
    pub fn plan(&self) -> Result<NewAdministration, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let mut keep = Collect(&mut errors);
        let code = keep.ok(TenantCode::parse(&self.code));
        let name = keep.ok(LocalizedName::parse(
            &self.name_fr,
            &self.name_ar,
            &self.name_en,
        ));
        let time_zone = keep.ok(TimeZone::parse(&self.time_zone));
        let level = keep.ok(AdministrationLevel::parse(
            if self.level.trim().is_empty() {
                "central"
            } else {
                &self.level
            },
        ));
        let parent_code = if self.parent.trim().is_empty() {
            Some(None)
        } else {
            keep.ok(
                TenantCode::parse(&self.parent).map_err(|e| InvalidInput::new("parent", e.reason))
            )
            .map(Some)
        };
        let weekend = if self.weekend.trim().is_empty() {
            "sat,sun".to_owned()
        } else {
            self.weekend.trim().to_owned()
        };
        let weekend_known = keep.ok(WorkingCalendar::new(&weekend, []).map(drop));
        let languages = if self.languages.trim().is_empty() {
            Some(Languages::all())
        } else {
            keep.ok(Languages::parse(&self.languages))
        };
        let login = keep
            .ok(Login::parse(&self.admin_login)
                .map_err(|e| InvalidInput::new("admin_login", e.reason)));
        let display_name = self.admin_name.trim().to_owned();
        if display_name.is_empty() {
            keep.0
                .push(InvalidInput::new("admin_name", Reason::Required));
        }
        let email = keep.ok(ordo_domain::parse_email(&self.admin_email)
            .map_err(|e| InvalidInput::new("admin_email", e.reason))
            .and_then(|email| email.ok_or(InvalidInput::new("admin_email", Reason::Required))));
        if level == Some(AdministrationLevel::Decentralised) && parent_code == Some(None) {
            keep.0.push(InvalidInput::new("parent", Reason::Required));
        }
        let central = keep.ok(UnitPlan::central_registry(CENTRAL_UNIT));
        match (
            code,
            name,
            time_zone,
            level,
            parent_code,
            languages,
            weekend_known,
            login,
            email,
            central,
        ) {
            (
                Some(code),
                Some(name),
                Some(time_zone),
                Some(level),
                Some(parent_code),
                Some(languages),
                Some(()),
                Some(login),
                Some(email),
                Some(central),
            ) if errors.is_empty() => Ok(NewAdministration {
                code,
                name,
                time_zone,
                placement: Placement {
                    level,
                    parent_code,
                    languages,
                    weekend,
                },
                units: vec![central],
                accounts: vec![AdminAccount {
                    login,
                    display_name,
                    email: Some(email),
                    password: None,
                    roles: RoleSet::new([Role::TenantAdmin]),
                    unit: Some(CENTRAL_UNIT.to_owned()),
                }],
            }),
            _ => Err(errors),
        }
    }
}

/// Gathers every error of a request instead of stopping at the first.
struct Collect<'e>(&'e mut Vec<InvalidInput>);

impl Collect<'_> {
    fn ok<T>(&mut self, result: Result<T, InvalidInput>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
}

/// The steps of a creation, in order, as the console and the command show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// The request checked against the platform; first passwords hashed.
    Checking,
    /// The bucket made, with versioning and object lock where the server has them.
    DocumentStore,
    /// The seal's key made and certified by the platform's authority.
    Seal,
    /// The tenant, its bureau d'ordre, registers, natures, accounts, directory
    /// entry and invitation, in one transaction.
    Records,
    Done,
}

impl Step {
    pub const ALL: [Self; 5] = [
        Self::Checking,
        Self::DocumentStore,
        Self::Seal,
        Self::Records,
        Self::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Checking => "checking",
            Self::DocumentStore => "document-store",
            Self::Seal => "seal",
            Self::Records => "records",
            Self::Done => "done",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|step| step.code() == code)
    }

    /// Its place, from 1.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// Told of each step as a creation reaches it (the command prints them; the
/// console reads them back from the creation's record).
pub trait Progress: Send + Sync {
    fn reached(&self, step: Step);
}

impl<F: Fn(Step) + Send + Sync> Progress for F {
    fn reached(&self, step: Step) {
        self(step);
    }
}

/// For callers that only want the outcome.
pub fn unobserved(_: Step) {}

#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    #[error("an administration with code {0} already exists")]
    DuplicateCode(TenantCode),
    #[error("the request is invalid ({} field(s))", .0.len())]
    Invalid(Vec<InvalidInput>),
    #[error("unit {0} is named as a parent or home unit before it is defined")]
    UnknownUnit(String),
    #[error("the S3 server refused the administration's bucket: {0}")]
    Storage(#[from] ordo_storage::StoreError),
    #[error("the seal could not be made: {0}")]
    Seal(#[from] rcgen::Error),
    #[error(transparent)]
    Database(#[from] ordo_db::DbError),
}

impl From<InvalidInput> for ProvisionError {
    fn from(invalid: InvalidInput) -> Self {
        Self::Invalid(vec![invalid])
    }
}

impl ProvisionError {
    /// A stable code for the operator's journal and the console.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DuplicateCode(_) => "code-taken",
            Self::Invalid(_) => "invalid",
            Self::UnknownUnit(_) => "unknown-unit",
            Self::Storage(_) => "document-store-refused",
            Self::Seal(_) => "seal-failed",
            Self::Database(_) => "database-failed",
        }
    }
}

/// A creation whose record is written, with its accounts' passwords hashed: what
/// [`Onboarding::complete`] takes to finish it.
pub struct Begun {
    tenant_id: TenantId,
    hashed: Vec<Option<String>>,
}

impl std::fmt::Debug for Begun {
    /// Without the password hashes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Begun")
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

/// Who creates administrations, with what, from where.
#[derive(Clone, Copy)]
pub struct Onboarding<'a> {
    pub db: &'a Database,
    pub store: &'a dyn DocumentStore,
    pub clock: &'a dyn Clock,
    /// Where people reach the platform, for the invitation's link.
    pub public_url: &'a str,
    /// `operator:<login>`, `cli` or `system`.
    pub actor: &'a str,
    pub origin: &'a str,
}

impl std::fmt::Debug for Onboarding<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Onboarding")
            .field("actor", &self.actor)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

impl Onboarding<'_> {
    /// Checks a request, against the platform too (a code taken, an unknown parent
    /// body): every problem at once. A refusal is journalled.
    pub async fn check(
        &self,
        request: &CreationRequest,
    ) -> Result<NewAdministration, ProvisionError> {
        let mut errors = match request.plan() {
            Ok(plan) => match self.check_against_platform(&plan).await? {
                problems if problems.is_empty() => return Ok(plan),
                problems => problems,
            },
            Err(errors) => errors,
        };
        errors.sort_by_key(|e| e.field);
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        let codes: Vec<&str> = errors.iter().map(|e| e.reason.code()).collect();
        self.journal(
            &request.code,
            Some("invalid"),
            serde_json::json!({ "fields": fields, "reasons": codes }),
        )
        .await?;
        Err(ProvisionError::Invalid(errors))
    }

    async fn check_against_platform(
        &self,
        plan: &NewAdministration,
    ) -> Result<Vec<InvalidInput>, ordo_db::DbError> {
        let tx = self.db.platform().await?;
        let mut problems = Vec::new();
        if tx.tenants().find_by_code(&plan.code).await?.is_some() {
            problems.push(InvalidInput::new("code", Reason::CodeTaken));
        }
        if let Some(parent) = &plan.placement.parent_code
            && tx.tenants().find_by_code(parent).await?.is_none()
        {
            problems.push(InvalidInput::new("parent", Reason::UnknownAdministration));
        }
        tx.commit().await?;
        Ok(problems)
    }

    /// Checks and creates, from a request: what the console, the API and the
    /// command do. Running it again after a failure completes the creation.
    pub async fn create_from(
        &self,
        request: &CreationRequest,
        progress: &dyn Progress,
    ) -> Result<TenantRecord, ProvisionError> {
        // `begin` reports the checking step; reporting it here too showed it twice.
        let plan = self.check(request).await?;
        self.create(plan, request, progress).await
    }

    /// Creates the administration `plan` describes (`request` is what is kept of
    /// it in the creation's record).
    pub async fn create(
        &self,
        plan: NewAdministration,
        request: &CreationRequest,
        progress: &dyn Progress,
    ) -> Result<TenantRecord, ProvisionError> {
        let begun = self.begin(&plan, request, progress).await?;
        self.complete(plan, begun, progress).await
    }

    /// Hashes the passwords given (a password refused leaves nothing behind), then
    /// writes the creation's record, from which its progress is shown. The console
    /// does this before it goes to the progress page, and completes the creation in
    /// the background: the page then always finds the record.
    pub async fn begin(
        &self,
        plan: &NewAdministration,
        request: &CreationRequest,
        progress: &dyn Progress,
    ) -> Result<Begun, ProvisionError> {
        progress.reached(Step::Checking);
        // Hashed outside any transaction: it is slow.
        let mut hashed = Vec::with_capacity(plan.accounts.len());
        for account in &plan.accounts {
            hashed.push(match &account.password {
                Some(password) => Some(password::hash_password(password)?),
                None => None,
            });
        }
        let outcome = self.write_record(plan, request).await;
        let tenant_id = self.recorded(&plan.code, outcome).await?;
        Ok(Begun { tenant_id, hashed })
    }

    /// Runs a begun creation to its end.
    pub async fn complete(
        &self,
        plan: NewAdministration,
        begun: Begun,
        progress: &dyn Progress,
    ) -> Result<TenantRecord, ProvisionError> {
        let code = plan.code.clone();
        let outcome = self.run(plan, begun, progress).await;
        if let Ok(tenant) = &outcome {
            tracing::info!(tenant = %tenant.code, "administration created");
        }
        self.recorded(&code, outcome).await
    }

    /// Passes `outcome` on, after keeping a failure in the creation's record and
    /// the operator's journal.
    async fn recorded<T>(
        &self,
        code: &TenantCode,
        outcome: Result<T, ProvisionError>,
    ) -> Result<T, ProvisionError> {
        if let Err(err) = &outcome {
            tracing::warn!(tenant = %code, error = %err, "creation of an administration stopped");
            if !matches!(err, ProvisionError::Invalid(_)) {
                let now = self.clock.now();
                let tx = self.db.platform_write().await?;
                tx.provisionings()
                    .failed(code, &err.to_string(), now)
                    .await?;
                tx.commit().await?;
                self.journal(
                    code.as_str(),
                    Some(err.code()),
                    serde_json::json!({ "error": err.to_string() }),
                )
                .await?;
            }
        }
        outcome
    }

    async fn write_record(
        &self,
        plan: &NewAdministration,
        request: &CreationRequest,
    ) -> Result<TenantId, ProvisionError> {
        // A struct of strings always serialises.
        let request_json = serde_json::to_string(request).unwrap_or_default();
        let tx = self.db.platform_write().await?;
        // Checked again: another creation of this code may have finished since.
        if tx.tenants().find_by_code(&plan.code).await?.is_some() {
            drop(tx);
            return Err(self.refused_code(&plan.code, Reason::CodeTaken).await?);
        }
        let now = self.clock.now();
        let record = tx
            .provisionings()
            .begin(
                &plan.code,
                &request_json,
                self.actor,
                now,
                now - RUNNING_FOR_AT_MOST,
            )
            .await?;
        tx.commit().await?;
        match record {
            Some(record) => Ok(record.tenant_id),
            None => Err(self
                .refused_code(&plan.code, Reason::CreationUnderWay)
                .await?),
        }
    }

    /// Refuses the code of a request as `check` would have, had it known: journalled
    /// as a refused request, and not as a failure, since the creation's record is
    /// someone else's.
    async fn refused_code(
        &self,
        code: &TenantCode,
        reason: Reason,
    ) -> Result<ProvisionError, ordo_db::DbError> {
        self.journal(
            code.as_str(),
            Some("invalid"),
            serde_json::json!({ "fields": ["code"], "reasons": [reason.code()] }),
        )
        .await?;
        Ok(ProvisionError::Invalid(vec![InvalidInput::new(
            "code", reason,
        )]))
    }

    async fn run(
        &self,
        plan: NewAdministration,
        Begun { tenant_id, hashed }: Begun,
        progress: &dyn Progress,
    ) -> Result<TenantRecord, ProvisionError> {
        self.reach(&plan.code, Step::DocumentStore, progress)
            .await?;
        self.store.prepare_tenant(tenant_id).await?;

        self.reach(&plan.code, Step::Seal, progress).await?;
        let now = self.clock.now();
        let tx = self.db.platform_write().await?;
        let authority = match tx.authority().get().await? {
            Some(authority) => authority,
            None => {
                tx.authority()
                    .get_or_keep(seal::make_authority(now)?, now)
                    .await?
            }
        };
        tx.commit().await?;
        let seal = seal::make_seal(&authority, &plan.code, &plan.name, now)?;

        self.reach(&plan.code, Step::Records, progress).await?;
        let tenant = self.write_records(tenant_id, plan, hashed, seal).await?;
        progress.reached(Step::Done);
        Ok(tenant)
    }

    async fn reach(
        &self,
        code: &TenantCode,
        step: Step,
        progress: &dyn Progress,
    ) -> Result<(), ordo_db::DbError> {
        progress.reached(step);
        let tx = self.db.platform_write().await?;
        tx.provisionings()
            .reached(code, step.code(), self.clock.now())
            .await?;
        tx.commit().await
    }

    /// Every row of the new administration, in one transaction.
    async fn write_records(
        &self,
        tenant_id: TenantId,
        plan: NewAdministration,
        hashed: Vec<Option<String>>,
        seal: ordo_db::KeyMaterial,
    ) -> Result<TenantRecord, ProvisionError> {
        let now = self.clock.now();
        let platform = self.db.platform_write().await?;
        let new_tenant = NewTenant {
            id: tenant_id,
            code: plan.code.clone(),
            name: plan.name.clone(),
            time_zone: plan.time_zone,
            level: plan.placement.level,
            parent_code: plan.placement.parent_code.clone(),
            languages: plan.placement.languages.clone(),
            weekend: plan.placement.weekend.clone(),
        };
        let tenant = match platform.tenants().insert(new_tenant, now).await {
            Ok(tenant) => tenant,
            Err(ordo_db::DbError::Conflict(_)) => {
                return Err(ProvisionError::DuplicateCode(plan.code));
            }
            Err(err) => return Err(err.into()),
        };
        let tx = platform.into_tenant(tenant.id).await?;

        let mut unit_ids = std::collections::HashMap::new();
        let mut registries = Vec::new();
        // An office with a bureau d'ordre of its own is shown in the directory from
        // the start, so mail can be addressed to it; the administrator may change it.
        let mut in_directory = Vec::new();
        for unit in plan.units {
            if unit.has_bureau_ordre && unit.parent.is_some() {
                in_directory.push(ordo_db::DirectoryUnit {
                    code: unit.code.clone(),
                    name: unit.name.clone(),
                });
            }
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
        // Every bureau d'ordre starts with an incoming and an outgoing register,
        // numbered MMG/ARR/2026/000001 centrally and MMG/DR-BOKE/ARR/2026/000001 in
        // an office.
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

        let mut invitation = None;
        let mut invited = Vec::new();
        for (account, password_hash) in plan.accounts.into_iter().zip(hashed) {
            let unit_id = match &account.unit {
                Some(code) => Some(
                    *unit_ids
                        .get(code)
                        .ok_or_else(|| ProvisionError::UnknownUnit(code.clone()))?,
                ),
                None => None,
            };
            let locale = plan
                .placement
                .languages
                .as_slice()
                .first()
                .copied()
                .unwrap_or(Locale::Fr);
            let user = tx
                .users()
                .insert(
                    NewUser {
                        unit_id,
                        login: account.login,
                        display_name: account.display_name,
                        email: account.email.clone(),
                        password_hash: password_hash.clone(),
                        roles: account.roles,
                        locale,
                    },
                    now,
                )
                .await?;
            if password_hash.is_none()
                && let Some(email) = &account.email
            {
                let link = PasswordLink {
                    kind: LinkKind::Welcome,
                    locale,
                };
                let message = link
                    .enqueue(self.public_url, &tx, &tenant, &user, email, now)
                    .await?;
                invitation.get_or_insert(message);
                invited.push(user.login.as_str().to_owned());
            }
        }

        tx.seal().insert(seal.clone(), now).await?;
        tx.directory()
            .insert(
                DirectoryEntry {
                    tenant_id: tenant.id,
                    code: tenant.code.to_string(),
                    name: tenant.name.clone(),
                    level: tenant.level,
                    parent_code: tenant.parent_code.as_ref().map(ToString::to_string),
                    certificate_pem: seal.certificate_pem,
                },
                now,
            )
            .await?;
        tx.directory()
            .publish_units(tenant.id, in_directory)
            .await?;
        tx.journal()
            .append(
                JournalEvent {
                    actor: self.actor.to_owned(),
                    action: "tenant.created",
                    object: format!("tenant:{}", tenant.id),
                    details: serde_json::json!({
                        "code": tenant.code.as_str(),
                        "name": tenant.name.fr,
                        "invited": invited,
                    }),
                    origin: self.origin.to_owned(),
                },
                now,
            )
            .await?;
        tx.provisionings()
            .finished(&tenant.code, invitation, now)
            .await?;
        tx.operator_journal()
            .append(
                OperatorEvent {
                    actor: self.actor.to_owned(),
                    action: "tenant.created",
                    tenant_code: Some(tenant.code.to_string()),
                    refused: None,
                    details: serde_json::json!({
                        "level": tenant.level.as_str(),
                        "parent": tenant.parent_code.as_ref().map(ToString::to_string),
                        "invited": invited,
                    }),
                    origin: self.origin.to_owned(),
                },
                now,
            )
            .await?;
        tx.commit().await?;
        Ok(tenant)
    }

    async fn journal(
        &self,
        code: &str,
        refused: Option<&str>,
        details: serde_json::Value,
    ) -> Result<(), ordo_db::DbError> {
        let tx = self.db.platform_write().await?;
        tx.operator_journal()
            .append(
                OperatorEvent {
                    actor: self.actor.to_owned(),
                    action: "tenant.created",
                    tenant_code: Some(code.trim().to_uppercase()).filter(|c| !c.is_empty()),
                    refused: refused.map(str::to_owned),
                    details,
                    origin: self.origin.to_owned(),
                },
                self.clock.now(),
            )
            .await?;
        tx.commit().await
    }
}

/// Creates an administration from a plan made in code (the demo, benchmarks), on
/// behalf of the platform itself.
pub async fn create_administration(
    db: &Database,
    store: &dyn DocumentStore,
    clock: &dyn Clock,
    plan: NewAdministration,
) -> Result<TenantRecord, ProvisionError> {
    let request = CreationRequest {
        code: plan.code.to_string(),
        name_fr: plan.name.fr.clone(),
        name_ar: plan.name.ar.clone(),
        name_en: plan.name.en.clone(),
        time_zone: plan.time_zone.name().to_owned(),
        ..CreationRequest::default()
    };
    Onboarding {
        db,
        store,
        clock,
        public_url: "",
        actor: "system",
        origin: "provisioning",
    }
    .create(plan, &request, &unobserved)
    .await
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
    let tx = db.platform_write().await?;
    let operator = tx
        .operators()
        .insert(login, display_name, &hash, clock.now())
        .await?;
    tx.commit().await?;
    Ok(operator)
}
