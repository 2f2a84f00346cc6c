//! The forms of dispatch and processing, and the inbox page. Every form posts, then
//! redirects to the item (or the inbox) so a reload never repeats it; a refusal comes
//! back on the item page at its form, in the reader's language.

use axum::{
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::ItemRecord;
use ordo_domain::{InvalidInput, Locale, dispatch::Target};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, Page, csrf::CsrfForm};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    flow::{self, DispatchForm, PassOnForm, StepForm},
    inbox::{self, InboxKind, Sort, Viewer},
};
use ordo_registry::registration::Refused;

/// Back to the item page, with the first refusal named at its form.
fn refused_on_item(id: Uuid, errors: &[InvalidInput]) -> Response {
    let field = errors.first().map_or("step", |e| e.field);
    let reason = errors.first().map_or("unknown-value", |e| e.reason.code());
    Redirect::to(&format!(
        "/courriers/{id}?refus={field}&motif={reason}#imputation"
    ))
    .into_response()
}

fn outcome<T>(result: Result<T, Refused>, item: Uuid, anchor: &str) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/courriers/{item}#{anchor}")).into_response()),
        Err(Refused::Invalid(errors)) => Ok(refused_on_item(item, &errors)),
        Err(Refused::Failed(err)) => Err(err),
    }
}

/// `POST /courriers/{id}/imputer`. The form repeats `information` and `opinion` for
/// each unit or person chosen, so it is read as pairs.
pub(crate) async fn dispatch(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut form = DispatchForm::default();
    for (name, value) in pairs {
        match name.as_str() {
            "action" => form.action = value,
            "information" => form.information.push(value),
            "opinion" => form.opinion.push(value),
            "instructions" => form.instructions = value,
            "due_on" => form.due_on = value,
            _ => {}
        }
    }
    let result = flow::dispatch(&state, &current, id, &form, &origin).await;
    outcome(result, id, "imputation")
}

/// `POST /courriers/{id}/imputer-modele`: dispatches to the usual recipients of the
/// item's nature, in one click.
pub(crate) async fn dispatch_by_template(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let result = flow::dispatch_by_template(&state, &current, id, &origin).await;
    outcome(result, id, "imputation")
}

#[derive(Debug, Deserialize)]
pub(crate) struct DispatchPath {
    id: Uuid,
}

/// `POST /imputations/{id}/transmettre`: a unit head passes it on.
pub(crate) async fn pass_on(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(DispatchPath { id }): Path<DispatchPath>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<PassOnFormWithItem>,
) -> Result<Response, AppError> {
    let result = flow::pass_on(&state, &current, id, &form.fields, &origin).await;
    outcome(result, form.item, "imputation")
}

#[derive(Debug, Deserialize)]
pub(crate) struct PassOnFormWithItem {
    item: Uuid,
    #[serde(flatten)]
    fields: PassOnForm,
}

#[derive(Debug, Deserialize)]
pub(crate) struct StepFormWithItem {
    item: Uuid,
    #[serde(flatten)]
    fields: StepForm,
}

/// `POST /imputations/{id}/etape`: accept, return, start, close, reopen, acknowledge.
pub(crate) async fn step(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(DispatchPath { id }): Path<DispatchPath>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<StepFormWithItem>,
) -> Result<Response, AppError> {
    let result = flow::step(&state, &current, id, &form.fields, &origin).await;
    outcome(result, form.item, "imputation")
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoteForm {
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    body: String,
}

/// `POST /courriers/{id}/notes`.
pub(crate) async fn add_note(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<NoteForm>,
) -> Result<Response, AppError> {
    let result = flow::add_note(&state, &current, id, &form.visibility, &form.body, &origin).await;
    outcome(result, id, "notes")
}

#[derive(Debug, Deserialize)]
pub(crate) struct FollowForm {
    #[serde(default)]
    follow: String,
}

/// `POST /courriers/{id}/suivre`: `follow=1` to follow, anything else to stop.
pub(crate) async fn follow(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    CsrfForm(form): CsrfForm<FollowForm>,
) -> Result<Response, AppError> {
    flow::follow(&state, &current, id, form.follow == "1").await?;
    Ok(Redirect::to(&format!("/courriers/{id}")).into_response())
}

/// `POST /courriers/{id}/reponse`: drafts the reply and opens it.
pub(crate) async fn reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    match flow::reply(&state, &current, id, &origin).await {
        Ok(draft) => {
            Ok(Redirect::to(&format!("/courriers/{}?reponse=1", draft.id)).into_response())
        }
        Err(Refused::Invalid(errors)) => Ok(refused_on_item(id, &errors)),
        Err(Refused::Failed(err)) => Err(err),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InboxQuery {
    #[serde(default)]
    boite: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    tri: String,
}

#[derive(Debug, Serialize)]
struct BoxView {
    code: &'static str,
    count: u64,
    current: bool,
}

#[derive(Debug, Serialize)]
struct RowView {
    id: Uuid,
    number: String,
    subject: String,
    sender: String,
    received_on: String,
    due_on: Option<String>,
    overdue: bool,
    purpose: Option<&'static str>,
    status: Option<&'static str>,
    to: Option<String>,
    draft: bool,
}

fn row_view(
    row: &inbox::InboxRow,
    today: chrono::NaiveDate,
    zone: ordo_domain::TimeZone,
    names: &crate::directory::Directory,
    locale: Locale,
) -> RowView {
    let item: &ItemRecord = &row.item;
    let due = row.due_on();
    let open = row.dispatch.as_ref().is_none_or(|d| d.status.is_open());
    RowView {
        id: item.id,
        number: item.number.clone().unwrap_or_default(),
        subject: item.content.subject.clone(),
        sender: item.content.sender.clone(),
        received_on: item
            .received_at
            .with_timezone(&zone.tz())
            .format("%d/%m/%Y")
            .to_string(),
        due_on: due.map(|d| d.format("%d/%m/%Y").to_string()),
        overdue: open && due.is_some_and(|d| d < today),
        purpose: row.dispatch.as_ref().map(|d| d.purpose.code()),
        status: row.dispatch.as_ref().map(|d| d.status.code()),
        to: row.target().map(|t: Target| names.name(t, locale)),
        draft: item.status == ordo_domain::ItemStatus::Draft,
    }
}

/// `GET /corbeille`: the person's boxes with their counts, and one box open.
pub(crate) async fn inbox_page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Query(query): Query<InboxQuery>,
) -> Result<Page, AppError> {
    let viewer = Viewer::of(&current);
    let zone = current.tenant.time_zone;
    let today = state.clock.now().with_timezone(&zone.tz()).date_naive();
    let wanted = InboxKind::parse(&query.boite).unwrap_or_else(|| {
        viewer
            .kinds()
            .into_iter()
            .next()
            .unwrap_or(InboxKind::ToProcess)
    });
    let sort = Sort::parse(&query.tri);
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let inbox = inbox::read(&tx, &viewer, wanted, today, &query.q, sort).await?;
    let names = crate::directory::Directory::load(&tx).await?;
    tx.commit().await?;
    let locale = frame.locale;
    let boxes: Vec<BoxView> = inbox
        .counts
        .iter()
        .map(|(kind, count)| BoxView {
            code: kind.code(),
            count: *count,
            current: *kind == inbox.kind,
        })
        .collect();
    let rows: Vec<RowView> = inbox
        .rows
        .iter()
        .map(|row| row_view(row, today, zone, &names, locale))
        .collect();
    let context = minijinja::context! {
        boxes => boxes,
        open_box => inbox.kind.code(),
        rows => rows,
        limit => inbox::BOX_LIMIT,
        q => query.q,
        tri => match sort { Sort::Due => "echeance", Sort::Received => "reception", Sort::Number => "numero" },
    };
    frame
        .for_user(&current)
        .render(&state, "inbox.html", "inbox-title", context)
}
