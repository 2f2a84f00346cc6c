//! Deleting an administration, in two steps. The operator requests it (the
//! administration must be suspended, so nothing new arrives); then, once an export
//! has been made after the request, `ordo tenant delete CODE --confirm` removes
//! its documents (every version) and every row it has, and leaves a certificate of
//! deletion in the operator's journal. The confirmation runs as the database's
//! owner role: the application role cannot remove journal rows, by design.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::{Database, OperatorEvent, TenantRecord, repos::offboarding::DeletionRequest};
use ordo_domain::{Clock, TenantCode, TenantStatus};
use ordo_storage::DocumentStore;
use ordo_web::{AppError, AppState, ClientAddress, CurrentOperator, ErrorKind, csrf::CsrfForm};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why a step of a deletion was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionRefusal {
    UnknownAdministration,
    /// Only a suspended administration may be deleted: nothing new arrives.
    NotSuspended,
    AlreadyRequested,
    NotRequested,
    /// No export since the request: the administration's data would be lost.
    ExportFirst,
}

impl DeletionRefusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::UnknownAdministration => "unknown-administration",
            Self::NotSuspended => "not-suspended-for-deletion",
            Self::AlreadyRequested => "deletion-already-requested",
            Self::NotRequested => "deletion-not-requested",
            Self::ExportFirst => "export-first",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeletionError {
    #[error("removing the documents failed: {0}")]
    Storage(#[from] ordo_storage::StoreError),
    #[error(transparent)]
    Database(#[from] ordo_db::DbError),
}

/// What a confirmed deletion leaves: enough to prove what was deleted, when, on
/// whose request, after which export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletionCertificate {
    pub code: String,
    pub name: String,
    pub tenant_id: String,
    pub requested_by: String,
    pub requested_at: String,
    pub confirmed_by: String,
    pub deleted_at: String,
    /// The export made after the request, as its journal entry recorded it.
    pub export: serde_json::Value,
    pub rows_removed: BTreeMap<String, u64>,
    pub objects_removed: u64,
    /// SHA-256 of this certificate's other fields as JSON: quoted when handing it over.
    pub fingerprint: String,
}

fn event(
    actor: &str,
    action: &'static str,
    code: &str,
    refusal: Option<DeletionRefusal>,
    origin: &str,
) -> OperatorEvent {
    OperatorEvent {
        actor: actor.to_owned(),
        action,
        tenant_code: Some(code.trim().to_uppercase()),
        refused: refusal.map(|r| r.code().to_owned()),
        details: serde_json::json!({}),
        origin: origin.to_owned(),
    }
}

async fn find(
    tx: &ordo_db::PlatformTx,
    code: &str,
) -> Result<Option<TenantRecord>, ordo_db::DbError> {
    match TenantCode::parse(code) {
        Ok(code) => tx.tenants().find_by_code(&code).await,
        Err(_) => Ok(None),
    }
}

/// First step: records the request, if the administration is suspended.
pub async fn request_deletion(
    db: &Database,
    clock: &dyn Clock,
    actor: &str,
    code: &str,
    origin: &str,
) -> Result<Result<DeletionRequest, DeletionRefusal>, ordo_db::DbError> {
    let now = clock.now();
    let tx = db.platform_write().await?;
    let outcome = match find(&tx, code).await? {
        None => Err(DeletionRefusal::UnknownAdministration),
        Some(tenant) if tenant.status != TenantStatus::Suspended => {
            Err(DeletionRefusal::NotSuspended)
        }
        Some(tenant) => {
            if tx
                .deletion_requests()
                .request(tenant.id, tenant.code.as_str(), actor, now)
                .await?
            {
                Ok(DeletionRequest {
                    tenant_id: tenant.id,
                    code: tenant.code.to_string(),
                    requested_by: actor.to_owned(),
                    requested_at: now,
                })
            } else {
                Err(DeletionRefusal::AlreadyRequested)
            }
        }
    };
    tx.operator_journal()
        .append(
            event(
                actor,
                "tenant.deletion-requested",
                code,
                outcome.as_ref().err().copied(),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Withdraws a request: the administration stays, suspended.
pub async fn cancel_deletion(
    db: &Database,
    clock: &dyn Clock,
    actor: &str,
    code: &str,
    origin: &str,
) -> Result<Result<(), DeletionRefusal>, ordo_db::DbError> {
    let now = clock.now();
    let tx = db.platform_write().await?;
    let outcome = match find(&tx, code).await? {
        None => Err(DeletionRefusal::UnknownAdministration),
        Some(tenant) => {
            if tx.deletion_requests().cancel(tenant.id).await? {
                Ok(())
            } else {
                Err(DeletionRefusal::NotRequested)
            }
        }
    };
    tx.operator_journal()
        .append(
            event(
                actor,
                "tenant.deletion-cancelled",
                code,
                outcome.err(),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Second step: removes the administration's documents and rows, if a request
/// waits and an export was made since. `owner` is a connection as the database's
/// owner role.
pub async fn confirm_deletion(
    owner: &Database,
    store: &dyn DocumentStore,
    clock: &dyn Clock,
    actor: &str,
    code: &str,
    origin: &str,
) -> Result<Result<DeletionCertificate, DeletionRefusal>, DeletionError> {
    let now = clock.now();
    let tx = owner.platform_write().await?;
    let checked = match find(&tx, code).await? {
        None => Err(DeletionRefusal::UnknownAdministration),
        Some(tenant) => match tx.deletion_requests().find(tenant.id).await? {
            None => Err(DeletionRefusal::NotRequested),
            Some(request) => {
                match tx
                    .operator_journal()
                    .last_done("tenant.exported", tenant.code.as_str())
                    .await?
                {
                    Some(export) if export.at >= request.requested_at => {
                        Ok((tenant, request, export))
                    }
                    _ => Err(DeletionRefusal::ExportFirst),
                }
            }
        },
    };
    let (tenant, request, export) = match checked {
        Ok(found) => found,
        Err(refusal) => {
            tx.operator_journal()
                .append(
                    event(actor, "tenant.deleted", code, Some(refusal), origin),
                    now,
                )
                .await?;
            tx.commit().await?;
            return Ok(Err(refusal));
        }
    };
    tx.commit().await?;

    // The documents first: should this fail, the rows remain and the
    // confirmation can simply be run again.
    let objects_removed = store.remove_tenant(tenant.id).await?;

    let tx = owner.tenant_write(tenant.id).await?;
    let rows_removed: BTreeMap<String, u64> = tx
        .purge()
        .everything()
        .await?
        .into_iter()
        .map(|(table, rows)| (table.to_owned(), rows))
        .collect();
    let mut certificate = DeletionCertificate {
        code: tenant.code.to_string(),
        name: tenant.name.fr.clone(),
        tenant_id: tenant.id.to_string(),
        requested_by: request.requested_by,
        requested_at: request.requested_at.to_rfc3339(),
        confirmed_by: actor.to_owned(),
        deleted_at: now.to_rfc3339(),
        export: serde_json::from_str(&export.details).unwrap_or(serde_json::Value::Null),
        rows_removed,
        objects_removed,
        fingerprint: String::new(),
    };
    let body = serde_json::to_vec(&certificate).unwrap_or_default();
    certificate.fingerprint = hex::encode(Sha256::digest(&body));
    tx.operator_journal()
        .append(
            OperatorEvent {
                actor: actor.to_owned(),
                action: "tenant.deleted",
                tenant_code: Some(tenant.code.to_string()),
                refused: None,
                details: serde_json::to_value(&certificate).unwrap_or_default(),
                origin: origin.to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(tenant = %tenant.code, objects_removed, "administration deleted");
    Ok(Ok(certificate))
}

/// `POST /operateur/administrations/{code}/suppression` and
/// `…/suppression/annuler`: from the console, back to it with what happened.
pub(crate) async fn request_from_console(
    state: State<AppState>,
    operator: CurrentOperator,
    path: Path<String>,
    origin: ClientAddress,
    form: CsrfForm<crate::suspension::NoFields>,
) -> Result<Response, AppError> {
    from_console(state, operator, path, origin, form, true).await
}

pub(crate) async fn cancel_from_console(
    state: State<AppState>,
    operator: CurrentOperator,
    path: Path<String>,
    origin: ClientAddress,
    form: CsrfForm<crate::suspension::NoFields>,
) -> Result<Response, AppError> {
    from_console(state, operator, path, origin, form, false).await
}

async fn from_console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<crate::suspension::NoFields>,
    request: bool,
) -> Result<Response, AppError> {
    let actor = format!("operator:{}", operator.operator.login);
    let clock = state.clock.as_ref();
    let outcome = if request {
        request_deletion(&state.db, clock, &actor, &code, &origin)
            .await?
            .map(drop)
    } else {
        cancel_deletion(&state.db, clock, &actor, &code, &origin).await?
    };
    let notice = match (outcome, request) {
        (Ok(()), true) => "fait=suppression-demandee".to_owned(),
        (Ok(()), false) => "fait=suppression-annulee".to_owned(),
        (Err(refusal), _) => format!("refus={}", refusal.code()),
    };
    Ok(Redirect::to(&format!("/operateur?{notice}")).into_response())
}

/// `POST /api/v1/operator/tenants/{code}/deletion-request` (201), and `DELETE` on
/// it to withdraw the request (204).
pub(crate) async fn request_through_api(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    let actor = format!("operator:{}", operator.operator.login);
    match request_deletion(&state.db, state.clock.as_ref(), &actor, &code, &origin).await? {
        Ok(request) => Ok((
            StatusCode::CREATED,
            Json(serde_json::json!({
                "code": request.code,
                "requested_at": request.requested_at.to_rfc3339(),
                "next": "export, then confirm with `ordo tenant delete CODE --confirm`",
            })),
        )
            .into_response()),
        Err(refusal) => Err(refused(refusal)),
    }
}

pub(crate) async fn cancel_through_api(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    let actor = format!("operator:{}", operator.operator.login);
    match cancel_deletion(&state.db, state.clock.as_ref(), &actor, &code, &origin).await? {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(refusal) => Err(refused(refusal)),
    }
}

fn refused(refusal: DeletionRefusal) -> AppError {
    match refusal {
        DeletionRefusal::UnknownAdministration => AppError::not_found(),
        other => AppError::new(ErrorKind::Conflict).with_detail(other.code()),
    }
}
