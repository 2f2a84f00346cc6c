//! Suspending and resuming an administration. A suspended administration keeps all
//! its data; its people cannot sign in (they are told why), its sessions and tokens
//! stop working, and its public filing page is closed with an explanation. Every
//! attempt, done or refused, goes into the operator's journal.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::{Database, OperatorEvent, TenantRecord};
use ordo_domain::{Clock, TenantCode, TenantStatus};
use ordo_web::{AppError, AppState, ClientAddress, CurrentOperator, ErrorKind, csrf::CsrfForm};
use serde::Deserialize;

/// What an operator asks of an administration's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Suspend,
    Resume,
}

impl Standing {
    fn action(self) -> &'static str {
        match self {
            Self::Suspend => "tenant.suspended",
            Self::Resume => "tenant.resumed",
        }
    }

    /// The status it moves from, and to.
    fn change(self) -> (TenantStatus, TenantStatus) {
        match self {
            Self::Suspend => (TenantStatus::Active, TenantStatus::Suspended),
            Self::Resume => (TenantStatus::Suspended, TenantStatus::Active),
        }
    }
}

/// Why a change of standing was refused, for the person who asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandingRefusal {
    UnknownAdministration,
    AlreadySuspended,
    NotSuspended,
    /// Its deletion is requested: withdraw the request first.
    DeletionRequested,
}

impl StandingRefusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownAdministration => "unknown-administration",
            Self::AlreadySuspended => "already-suspended",
            Self::NotSuspended => "not-suspended",
            Self::DeletionRequested => "deletion-requested",
        }
    }
}

/// Suspends or resumes the administration `code`, on behalf of `actor` (from
/// `origin`); the journal records the attempt whatever its outcome.
pub async fn change_standing(
    db: &Database,
    clock: &dyn Clock,
    actor: &str,
    code: &str,
    standing: Standing,
    origin: &str,
) -> Result<Result<TenantRecord, StandingRefusal>, ordo_db::DbError> {
    let now = clock.now();
    let tx = db.platform_write().await?;
    let tenant = match TenantCode::parse(code) {
        Ok(code) => tx.tenants().find_by_code(&code).await?,
        Err(_) => None,
    };
    let (from, to) = standing.change();
    let deletion_requested = match (&tenant, standing) {
        (Some(tenant), Standing::Resume) => tx.deletion_requests().find(tenant.id).await?.is_some(),
        _ => false,
    };
    let refusal = match &tenant {
        None => Some(StandingRefusal::UnknownAdministration),
        Some(_) if deletion_requested => Some(StandingRefusal::DeletionRequested),
        Some(tenant) if !tx.tenants().set_status(tenant.id, from, to).await? => {
            Some(match standing {
                Standing::Suspend => StandingRefusal::AlreadySuspended,
                Standing::Resume => StandingRefusal::NotSuspended,
            })
        }
        Some(_) => None,
    };
    tx.operator_journal()
        .append(
            OperatorEvent {
                actor: actor.to_owned(),
                action: standing.action(),
                tenant_code: Some(code.trim().to_uppercase()),
                refused: refusal.map(|r| r.code().to_owned()),
                details: serde_json::json!({}),
                origin: origin.to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    match (refusal, tenant) {
        (Some(refusal), _) => Ok(Err(refusal)),
        (None, Some(tenant)) => {
            tracing::info!(tenant = %tenant.code, action = standing.action(), "standing changed");
            Ok(Ok(TenantRecord {
                status: to,
                ..tenant
            }))
        }
        // A change is only made to an administration found.
        (None, None) => Ok(Err(StandingRefusal::UnknownAdministration)),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoFields {}

fn standing_of(path: &str) -> Result<Standing, AppError> {
    match path {
        "suspendre" | "suspend" => Ok(Standing::Suspend),
        "reprendre" | "resume" => Ok(Standing::Resume),
        _ => Err(AppError::not_found()),
    }
}

/// `POST /operateur/administrations/{code}/{suspendre|reprendre}`: from the
/// console; back to it with what happened.
pub(crate) async fn change_from_console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path((code, action)): Path<(String, String)>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let standing = standing_of(&action)?;
    let actor = format!("operator:{}", operator.operator.login);
    let outcome = change_standing(
        &state.db,
        state.clock.as_ref(),
        &actor,
        &code,
        standing,
        &origin,
    )
    .await?;
    let notice = match outcome {
        Ok(_) => format!("fait={action}"),
        Err(refusal) => format!("refus={}", refusal.code()),
    };
    Ok(Redirect::to(&format!("/operateur?{notice}")).into_response())
}

/// `POST /api/v1/operator/tenants/{code}/{suspend|resume}`.
pub(crate) async fn change_through_api(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path((code, action)): Path<(String, String)>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    let standing = standing_of(&action)?;
    let actor = format!("operator:{}", operator.operator.login);
    match change_standing(
        &state.db,
        state.clock.as_ref(),
        &actor,
        &code,
        standing,
        &origin,
    )
    .await?
    {
        Ok(tenant) => Ok(Json(serde_json::json!({
            "code": tenant.code.as_str(),
            "status": tenant.status.as_str(),
        }))
        .into_response()),
        Err(StandingRefusal::UnknownAdministration) => Err(AppError::not_found()),
        Err(refusal) => Err(AppError::new(ErrorKind::Conflict).with_detail(refusal.code())),
    }
}
