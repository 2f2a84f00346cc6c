//! Creating an administration from the console and the API. The console checks
//! the form at once (every error beside its field), then runs the creation in the
//! background and shows its progress on a page that refreshes itself, without
//! JavaScript; the API runs it to the end and answers with the outcome.

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::{MessageStanding, ProvisioningRecord};
use ordo_domain::{InvalidInput, TenantCode};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentOperator, ErrorKind, Frame, csrf::CsrfForm,
    i18n::invalid_input_message,
};
use serde::Serialize;

use crate::provision::{CreationRequest, NewAdministration, Onboarding, ProvisionError, Step};

fn onboarding<'a>(state: &'a AppState, actor: &'a str, origin: &'a str) -> Onboarding<'a> {
    Onboarding {
        db: &state.db,
        store: state.store.as_ref(),
        clock: state.clock.as_ref(),
        public_url: &state.public_url,
        actor,
        origin,
    }
}

fn actor_of(operator: &CurrentOperator) -> String {
    format!("operator:{}", operator.operator.login)
}

fn render_form(
    state: &AppState,
    operator: &CurrentOperator,
    frame: Frame,
    request: &CreationRequest,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let messages: BTreeMap<&str, String> = errors
        .iter()
        .map(|e| (e.field, invalid_input_message(frame.locale, e)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = frame.signed_in(&operator.operator.display_name).render(
        state,
        "operator_create.html",
        "operator-create-title",
        minijinja::context! {
            request => request,
            errors => messages,
            weekends => ordo_domain::calendar::WEEKENDS.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
        },
    )?;
    Ok((status, page).into_response())
}

/// `GET /operateur/administrations/nouvelle`.
pub(crate) async fn form(
    State(state): State<AppState>,
    operator: CurrentOperator,
    frame: Frame,
) -> Result<Response, AppError> {
    let request = CreationRequest {
        time_zone: "Africa/Conakry".to_owned(),
        level: "central".to_owned(),
        weekend: "sat,sun".to_owned(),
        languages: "fr,ar,en".to_owned(),
        admin_login: "admin".to_owned(),
        ..CreationRequest::default()
    };
    render_form(&state, &operator, frame, &request, &[])
}

/// Begins a checked creation, then completes it in the background; its record,
/// written before this returns, shows how far it went.
async fn start_creation(
    state: &AppState,
    actor: String,
    origin: String,
    plan: NewAdministration,
    request: &CreationRequest,
) -> Result<(), ProvisionError> {
    let begun = onboarding(state, &actor, &origin)
        .begin(&plan, request, &crate::provision::unobserved)
        .await?;
    let state = state.clone();
    tokio::spawn(async move {
        // Its outcome, failure included, is in the creation's record and the
        // operator's journal, which the progress page reads.
        let _outcome = onboarding(&state, &actor, &origin)
            .complete(plan, begun, &crate::provision::unobserved)
            .await;
    });
    Ok(())
}

/// `POST /operateur/administrations`: checks the form, starts the creation and
/// goes to its progress page.
pub(crate) async fn create_from_console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(request): CsrfForm<CreationRequest>,
) -> Result<Response, AppError> {
    let actor = actor_of(&operator);
    match onboarding(&state, &actor, &origin).check(&request).await {
        Ok(plan) => {
            let code = plan.code.to_string();
            start_creation(&state, actor, origin, plan, &request)
                .await
                .map_err(provision_error)?;
            Ok(
                Redirect::to(&format!("/operateur/administrations/{code}/creation"))
                    .into_response(),
            )
        }
        Err(ProvisionError::Invalid(errors)) => {
            render_form(&state, &operator, frame, &request, &errors)
        }
        Err(err) => Err(provision_error(err)),
    }
}

/// `POST /operateur/administrations/{code}/creation`: takes up a creation that
/// stopped, with the request it was given.
pub(crate) async fn resume_from_console(
    State(state): State<AppState>,
    operator: CurrentOperator,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<crate::suspension::NoFields>,
) -> Result<Response, AppError> {
    let record = record_of(&state, &code).await?;
    if record.finished_at.is_some() {
        return Ok(Redirect::to(&format!(
            "/operateur/administrations/{}/creation",
            record.code
        ))
        .into_response());
    }
    let request: CreationRequest = serde_json::from_str(&record.request)
        .map_err(|e| AppError::internal(format!("a creation's request is unreadable: {e}")))?;
    let actor = actor_of(&operator);
    match onboarding(&state, &actor, &origin).check(&request).await {
        Ok(plan) => {
            start_creation(&state, actor, origin, plan, &request)
                .await
                .map_err(provision_error)?;
            Ok(Redirect::to(&format!(
                "/operateur/administrations/{}/creation",
                record.code
            ))
            .into_response())
        }
        Err(err) => Err(provision_error(err)),
    }
}

async fn record_of(state: &AppState, code: &str) -> Result<ProvisioningRecord, AppError> {
    let code = TenantCode::parse(code).map_err(|_| AppError::not_found())?;
    let tx = state.db.platform().await?;
    let record = tx.provisionings().find(&code).await?;
    tx.commit().await?;
    record.ok_or_else(AppError::not_found)
}

#[derive(Debug, Serialize)]
struct StepRow {
    code: &'static str,
    /// `done`, `running`, `failed` or `waiting`.
    state: &'static str,
}

/// Where a creation stands, for the page and the API.
#[derive(Debug, Serialize)]
pub(crate) struct CreationView {
    code: String,
    steps: Vec<StepRow>,
    done_steps: usize,
    total_steps: usize,
    finished: bool,
    failed: bool,
    /// The step it stopped at, when it failed.
    failed_step: Option<&'static str>,
    error: Option<String>,
    /// `waiting`, `retrying`, `sent` or `given-up`, once the rows are written.
    invitation: Option<&'static str>,
    invitation_error: Option<String>,
    invitation_attempts: u32,
    started_iso: String,
    seconds: i64,
}

async fn view_of(state: &AppState, record: ProvisioningRecord) -> Result<CreationView, AppError> {
    let reached = Step::parse(&record.step).unwrap_or(Step::Checking);
    let finished = record.finished_at.is_some();
    let failed = !finished && record.error.is_some();
    let steps: Vec<StepRow> = Step::ALL
        .into_iter()
        .filter(|step| *step != Step::Done)
        .map(|step| StepRow {
            code: step.code(),
            state: if finished || step < reached {
                "done"
            } else if step == reached {
                if failed { "failed" } else { "running" }
            } else {
                "waiting"
            },
        })
        .collect();
    let (invitation, invitation_error, invitation_attempts) = match record.invitation_id {
        None => (None, None, 0),
        Some(id) => {
            let tx = state.db.platform().await?;
            let standing = tx.outbox().standing(id).await?;
            tx.commit().await?;
            match standing {
                None | Some(MessageStanding::Waiting) => (Some("waiting"), None, 0),
                Some(MessageStanding::Retrying {
                    attempts, error, ..
                }) => (Some("retrying"), Some(error), attempts),
                Some(MessageStanding::Sent(_)) => (Some("sent"), None, 0),
                Some(MessageStanding::GivenUp(error)) => (Some("given-up"), Some(error), 0),
            }
        }
    };
    let end = record.finished_at.unwrap_or(record.updated_at);
    Ok(CreationView {
        code: record.code,
        done_steps: steps.iter().filter(|s| s.state == "done").count(),
        total_steps: steps.len(),
        steps,
        finished,
        failed,
        failed_step: failed.then_some(reached.code()),
        error: if failed { record.error } else { None },
        invitation,
        invitation_error,
        invitation_attempts,
        started_iso: record.started_at.to_rfc3339(),
        seconds: (end - record.started_at).num_seconds(),
    })
}

/// `GET /operateur/administrations/{code}/creation`: the creation's progress,
/// refreshed every second while it runs.
pub(crate) async fn progress_page(
    State(state): State<AppState>,
    operator: CurrentOperator,
    frame: Frame,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let record = record_of(&state, &code).await?;
    let view = view_of(&state, record).await?;
    let refresh = (!view.finished && !view.failed) || view.invitation == Some("waiting");
    let page = frame.signed_in(&operator.operator.display_name).render(
        &state,
        "operator_creation.html",
        "operator-creation-title",
        minijinja::context! { creation => view, refresh => refresh },
    )?;
    Ok(page.into_response())
}

/// `POST /api/v1/operator/tenants`: creates an administration and answers once it
/// exists (201), or with what stopped it; posting the same request again after a
/// failure completes the creation.
pub(crate) async fn create_through_api(
    State(state): State<AppState>,
    operator: CurrentOperator,
    ClientAddress(origin): ClientAddress,
    Json(request): Json<CreationRequest>,
) -> Result<Response, AppError> {
    let actor = actor_of(&operator);
    let tenant = onboarding(&state, &actor, &origin)
        .create_from(&request, &crate::provision::unobserved)
        .await
        .map_err(provision_error)?;
    let view = view_of(&state, record_of(&state, tenant.code.as_str()).await?).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/operator/tenants/{}/creation", tenant.code),
        )],
        Json(serde_json::json!({
            "code": tenant.code.as_str(),
            "status": tenant.status.as_str(),
            "creation": view,
        })),
    )
        .into_response())
}

/// `GET /api/v1/operator/tenants/{code}/creation`.
pub(crate) async fn creation_through_api(
    State(state): State<AppState>,
    _operator: CurrentOperator,
    Path(code): Path<String>,
) -> Result<Json<CreationView>, AppError> {
    let record = record_of(&state, &code).await?;
    Ok(Json(view_of(&state, record).await?))
}

/// The one place a creation's failure becomes an HTTP answer.
fn provision_error(err: ProvisionError) -> AppError {
    match err {
        ProvisionError::Invalid(errors) => AppError::new(ErrorKind::InvalidFields(errors)),
        ProvisionError::DuplicateCode(_) => {
            AppError::new(ErrorKind::Conflict).with_detail("code-taken")
        }
        ProvisionError::Storage(err) => AppError::from(err),
        ProvisionError::Database(err) => AppError::from(err),
        other => AppError::internal(other),
    }
}
