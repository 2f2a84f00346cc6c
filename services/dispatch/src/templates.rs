//! Dispatch templates: for each nature of mail, the unit usually responsible and the
//! units usually informed or consulted. The administrator sets them here; on an
//! item of that nature the bureau d'ordre then dispatches in one click.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::TemplateLine;
use ordo_domain::{
    InvalidInput, Reason,
    dispatch::{Purpose, Target, parse_text},
    permissions::Action,
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, Page, csrf::CsrfForm, i18n};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Serialize)]
struct UnitOption {
    key: String,
    name: String,
}

#[derive(Debug, Serialize)]
struct NatureTemplate {
    code: String,
    name: String,
    action: String,
    information: Vec<String>,
    instructions: String,
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    errors: &[InvalidInput],
    saved: bool,
) -> Result<Page, AppError> {
    let locale = frame.locale;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let vocabulary = tx.vocabulary().load().await?;
    let units = tx.units().list().await?;
    let lines = tx.dispatches().templates().await?;
    tx.commit().await?;
    let natures: Vec<NatureTemplate> = vocabulary
        .natures
        .iter()
        .map(|nature| {
            let of = |purpose: Purpose| {
                lines
                    .iter()
                    .filter(move |l| l.nature == nature.code && l.purpose == purpose)
            };
            NatureTemplate {
                code: nature.code.clone(),
                name: nature.name.get(locale).to_owned(),
                action: of(Purpose::Action)
                    .next()
                    .map(|l| Target::Unit(l.unit_id).key())
                    .unwrap_or_default(),
                information: of(Purpose::Information)
                    .map(|l| Target::Unit(l.unit_id).key())
                    .collect(),
                instructions: of(Purpose::Action)
                    .next()
                    .map(|l| l.instructions.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let units: Vec<UnitOption> = units
        .iter()
        .map(|u| UnitOption {
            key: Target::Unit(u.id).key(),
            name: format!("{} — {}", u.code, u.name.get(locale)),
        })
        .collect();
    let messages: Vec<String> = errors
        .iter()
        .map(|e| i18n::invalid_input_message(locale, e))
        .collect();
    let context = minijinja::context! {
        natures => natures,
        units => units,
        errors => messages,
        saved => saved,
    };
    frame
        .for_user(current)
        .render(state, "dispatch_templates.html", "templates-title", context)
}

#[derive(Debug, serde::Deserialize, Default)]
pub(crate) struct SavedQuery {
    enregistre: Option<String>,
}

/// `GET /parametres/imputation`.
pub(crate) async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Page, AppError> {
    current.require(Action::ConfigureRegistry)?;
    render(&state, &current, frame, &[], query.enregistre.is_some()).await
}

async fn refuse(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let page = render(state, current, frame, errors, false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// A nature's template lines from the form's pairs: `action` (one unit),
/// `information` (repeated), `instructions`.
fn parse_lines(pairs: &[(String, String)]) -> Result<(String, Vec<TemplateLine>), InvalidInput> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let nature = field("nature");
    let unit_of = |field: &'static str, raw: &str| match Target::parse(raw) {
        Some(Target::Unit(id)) => Ok(id),
        _ => Err(InvalidInput::new(field, Reason::UnknownValue)),
    };
    let instructions = parse_text("instructions", &field("instructions"), false)?;
    let mut lines: Vec<TemplateLine> = Vec::new();
    let action = field("action");
    if !action.trim().is_empty() {
        lines.push(TemplateLine {
            nature: nature.clone(),
            unit_id: unit_of("action", &action)?,
            purpose: Purpose::Action,
            instructions,
        });
    }
    for (_, raw) in pairs.iter().filter(|(n, _)| n == "information") {
        let unit_id = unit_of("information", raw)?;
        if !lines.iter().any(|l| l.unit_id == unit_id) {
            lines.push(TemplateLine {
                nature: nature.clone(),
                unit_id,
                purpose: Purpose::Information,
                instructions: String::new(),
            });
        }
    }
    Ok((nature, lines))
}

/// `POST /parametres/imputation`: one nature's usual recipients, replaced whole.
pub(crate) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let (nature, lines) = match parse_lines(&pairs) {
        Ok(parsed) => parsed,
        Err(invalid) => return refuse(&state, &current, frame, &[invalid]).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let vocabulary = tx.vocabulary().load().await?;
    let known_units: Vec<Uuid> = tx.units().list().await?.iter().map(|u| u.id).collect();
    let mut errors = Vec::new();
    if !vocabulary.natures.iter().any(|n| n.code == nature) {
        errors.push(InvalidInput::new("nature", Reason::UnknownValue));
    }
    if lines.iter().any(|l| !known_units.contains(&l.unit_id)) {
        errors.push(InvalidInput::new("information", Reason::UnknownValue));
    }
    if !errors.is_empty() {
        drop(tx);
        return refuse(&state, &current, frame, &errors).await;
    }
    tx.dispatches().set_template(&nature, &lines).await?;
    tx.journal()
        .append(
            current.event(
                "settings.dispatch_template",
                format!("nature:{nature}"),
                serde_json::json!({
                    "lines": lines.iter().map(|l| serde_json::json!({
                        "unit": l.unit_id,
                        "purpose": l.purpose.code(),
                    })).collect::<Vec<_>>(),
                }),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/parametres/imputation?enregistre=1").into_response())
}
