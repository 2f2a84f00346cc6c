//! `/parametres/courriels`: the administration's wording of the e-mails it sends
//! to filers and new users, per kind and language, for its administrator. Each
//! text is checked before it is kept (`ordo_domain::email_template`), shown with
//! sample values, and can go back to the catalog's text in one action.

use std::collections::BTreeMap;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_domain::{
    Direction, InvalidInput, Locale,
    email_template::{EmailKind, EmailTemplate},
    permissions::Action,
};
use ordo_registry::pages::local_time;
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, Frame,
    csrf::CsrfForm,
    i18n::{human_size, invalid_input_message, tr, tr_args},
    mail_texts::{default_template, value_of},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
struct TemplateRow {
    kind: &'static str,
    language: &'static str,
    /// When the administration changed it; none: the catalog's text.
    customised: Option<String>,
}

/// `GET /parametres/courriels`: every kind in every language, and which are the
/// administration's own.
pub(crate) async fn overview(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let own = tx.email_templates().all().await?;
    tx.commit().await?;
    let rows: Vec<TemplateRow> = EmailKind::ALL
        .into_iter()
        .flat_map(|kind| Locale::ALL.into_iter().map(move |locale| (kind, locale)))
        .map(|(kind, locale)| TemplateRow {
            kind: kind.code(),
            language: locale.tag(),
            customised: own
                .iter()
                .find(|t| t.kind == kind && t.language == locale)
                .map(|t| local_time(t.updated_at, current.tenant.time_zone)),
        })
        .collect();
    let page = frame.for_user(&current).render(
        &state,
        "mail_templates.html",
        "mail-settings-title",
        minijinja::context! { rows => rows },
    )?;
    Ok(page.into_response())
}

/// Which e-mail and which language an address names; anything else is not found.
fn chosen(kind: &str, language: &str) -> Result<(EmailKind, Locale), AppError> {
    let kind = EmailKind::parse(kind).ok_or_else(AppError::not_found)?;
    let language = language
        .parse::<Locale>()
        .map_err(|_| AppError::not_found())?;
    Ok((kind, language))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EditorQuery {
    /// `enregistre` or `defaut`: what was just done, to say so.
    fait: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct TemplateForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    /// Present when the administrator asks for the catalog's text back.
    reset: Option<String>,
}

/// What the editor shows: the text being edited, its errors, and a sample.
struct Editor<'a> {
    kind: EmailKind,
    language: Locale,
    subject: &'a str,
    body: &'a str,
    customised: bool,
    errors: &'a [InvalidInput],
    done: Option<&'a str>,
}

fn render_editor(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    editor: &Editor<'_>,
) -> Result<Response, AppError> {
    let messages: BTreeMap<&str, String> = editor
        .errors
        .iter()
        .map(|e| (e.field, invalid_input_message(frame.locale, e)))
        .collect();
    // The sample is shown only for a text that passes: it is what would be sent.
    let sample = EmailTemplate::parse(editor.kind, editor.subject, editor.body)
        .ok()
        .map(|template| {
            let values = sample_values(state, current, editor.language);
            let (subject, body) = template.render(|name| value_of(&values, name));
            minijinja::context! { subject => subject, body => body }
        });
    let placeholders: Vec<_> = editor
        .kind
        .placeholders()
        .iter()
        .map(|p| {
            minijinja::context! {
                name => p.name,
                required => p.required,
                meaning => tr(frame.locale, &format!("mail-placeholder-{}", p.name)),
            }
        })
        .collect();
    let context = minijinja::context! {
        kind => editor.kind.code(),
        language => editor.language.tag(),
        direction => match editor.language.direction() {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        },
        subject => editor.subject,
        body => editor.body,
        customised => editor.customised,
        placeholders => placeholders,
        sample => sample,
        errors => messages,
        done => editor.done,
    };
    let status = if editor.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = frame.for_user(current).render(
        state,
        "mail_template.html",
        "mail-settings-title",
        context,
    )?;
    Ok((status, page).into_response())
}

/// Values that look like the real ones, in the e-mail's language.
fn sample_values(
    state: &AppState,
    current: &CurrentUser,
    locale: Locale,
) -> Vec<(&'static str, String)> {
    let tenant = &current.tenant;
    let now = state.clock.now();
    let tracking = format!(
        "{}/depot/{}/suivi?code=ABCD-2345",
        state.public_url,
        tenant.code.as_str()
    );
    let link = |name: &'static str, url: &str| {
        tr_args(locale, name, vec![("link".into(), url.to_owned().into())])
    };
    vec![
        ("administration", tenant.name.get(locale).to_owned()),
        ("name", tr(locale, "mail-sample-name")),
        ("subject", tr(locale, "mail-sample-subject")),
        ("date", local_time(now, tenant.time_zone)),
        ("code", "ABCD-2345".to_owned()),
        (
            "files",
            format!("lettre.pdf · {}", human_size(120_000, locale)),
        ),
        (
            "confirm",
            link(
                "deposit-mail-confirm",
                &format!(
                    "{}/depot/{}/confirmer?jeton=…",
                    state.public_url,
                    tenant.code.as_str()
                ),
            ),
        ),
        ("link", tracking.clone()),
        (
            "number",
            format!("{}/ARR/{}/000123", tenant.code.as_str(), now.format("%Y")),
        ),
        (
            "verify",
            format!(
                "{}/verifier/{}/ABCD-2345",
                state.public_url,
                tenant.code.as_str()
            ),
        ),
        ("tracking", link("ack-mail-tracking", &tracking)),
        ("reason", tr(locale, "mail-sample-reason")),
        ("login", current.user.login.as_str().to_owned()),
    ]
}

/// `GET /parametres/courriels/{kind}/{language}`: the text in force, to edit.
pub(crate) async fn editor(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path((kind, language)): Path<(String, String)>,
    Query(query): Query<EditorQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let (kind, language) = chosen(&kind, &language)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let own = tx.email_templates().get(kind, language).await?;
    tx.commit().await?;
    let customised = own.is_some();
    let (subject, body) =
        own.map_or_else(|| default_template(kind, language), |t| (t.subject, t.body));
    render_editor(
        &state,
        &current,
        frame,
        &Editor {
            kind,
            language,
            subject: &subject,
            body: &body,
            customised,
            errors: &[],
            done: query.fait.as_deref(),
        },
    )
}

/// `POST /parametres/courriels/{kind}/{language}`: keeps a checked text, or goes
/// back to the catalog's (`reset`). Either is journalled.
pub(crate) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    Path((kind, language)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<TemplateForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let (kind, language) = chosen(&kind, &language)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let details = if form.reset.is_some() {
        tx.email_templates().reset(kind, language).await?;
        serde_json::json!({ "kind": kind.code(), "language": language.tag(), "reset": true })
    } else {
        match EmailTemplate::parse(kind, &form.subject, &form.body) {
            Ok(template) => {
                tx.email_templates()
                    .set(kind, language, template.subject(), template.body(), now)
                    .await?;
                serde_json::json!({
                    "kind": kind.code(),
                    "language": language.tag(),
                    "subject": template.subject(),
                    "body": template.body(),
                })
            }
            Err(errors) => {
                let customised = tx.email_templates().get(kind, language).await?.is_some();
                drop(tx);
                return render_editor(
                    &state,
                    &current,
                    frame,
                    &Editor {
                        kind,
                        language,
                        subject: &form.subject,
                        body: &form.body,
                        customised,
                        errors: &errors,
                        done: None,
                    },
                );
            }
        }
    };
    let done = if form.reset.is_some() {
        "defaut"
    } else {
        "enregistre"
    };
    tx.journal()
        .append(
            current.event(
                "settings.email_template",
                format!("tenant:{}", current.tenant.id),
                details,
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/parametres/courriels/{}/{}?fait={done}",
        kind.code(),
        language.tag()
    ))
    .into_response())
}
