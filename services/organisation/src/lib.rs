//! An administration's organisation, for its administrator: the tree of units
//! (directorates, services, decentralised offices; some with a bureau d'ordre) and
//! the people in them with their roles. A new person gets a welcome e-mail (through
//! the outbox) with a link to choose a password.

use std::collections::HashMap;

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use ordo_db::{NewUnit, NewUser, TenantTx, UnitKind};
use ordo_domain::{
    InvalidInput, Locale, LocalizedName, Login, Reason, Role, RoleSet,
    organisation::would_create_cycle, parse_code, parse_email, permissions::Action,
};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, Frame,
    csrf::CsrfForm,
    i18n,
    password_reset::{LinkKind, PasswordLink},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod identity;
mod import;

/// Besides letters and digits, a unit code may hold dashes (`DR-BOKE`).
pub(crate) const UNIT_CODE_EXTRA: &[char] = &['-'];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisation", get(page))
        .route(
            "/organisation/import",
            post(import::import).layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route(
            "/organisation/identite",
            get(identity::page).post(identity::save),
        )
        .route("/organisation/unites", post(add_unit))
        .route("/organisation/annuaire", post(publish_units))
        .route("/organisation/unites/{id}", post(update_unit))
        .route("/organisation/personnes", post(add_person))
        .route("/organisation/personnes/{id}", post(update_person))
}

#[derive(Debug, Serialize)]
struct UnitView {
    id: Uuid,
    parent_id: Option<Uuid>,
    depth: usize,
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    name: String,
    kind: &'static str,
    bureau: bool,
}

#[derive(Debug, Serialize)]
struct PersonView {
    id: Uuid,
    login: String,
    display_name: String,
    email: String,
    unit_id: Option<Uuid>,
    roles: Vec<&'static str>,
}

/// Units in tree order (each after its parent), with their depth.
fn tree(units: &[ordo_db::UnitRecord], locale: Locale) -> Vec<UnitView> {
    fn walk(
        units: &[ordo_db::UnitRecord],
        parent: Option<Uuid>,
        depth: usize,
        locale: Locale,
        out: &mut Vec<UnitView>,
    ) {
        for unit in units.iter().filter(|u| u.parent_id == parent) {
            out.push(UnitView {
                id: unit.id,
                parent_id: unit.parent_id,
                depth,
                code: unit.code.clone(),
                name_fr: unit.name.fr.clone(),
                name_ar: unit.name.ar.clone(),
                name_en: unit.name.en.clone(),
                name: unit.name.get(locale).to_owned(),
                kind: unit.kind.as_str(),
                bureau: unit.has_bureau_ordre,
            });
            if depth < units.len() {
                walk(units, Some(unit.id), depth + 1, locale, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(units, None, 0, locale, &mut out);
    out
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    render_with(state, current, frame, errors, None).await
}

async fn render_with(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    errors: &[InvalidInput],
    imported: Option<usize>,
) -> Result<Response, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let units = tx.units().list().await?;
    let people = tx.users().list().await?;
    let in_directory: Vec<String> = tx
        .directory()
        .units(Some(current.tenant.id))
        .await?
        .into_iter()
        .map(|(_, unit)| unit.code)
        .collect();
    tx.commit().await?;
    let people: Vec<PersonView> = people
        .into_iter()
        .map(|p| PersonView {
            id: p.id,
            login: p.login.as_str().to_owned(),
            display_name: p.display_name,
            email: p.email.unwrap_or_default(),
            unit_id: p.unit_id,
            roles: p.roles.iter().map(Role::as_str).collect(),
        })
        .collect();
    let messages: Vec<String> = errors
        .iter()
        .map(|e| i18n::invalid_input_message(frame.locale, e))
        .collect();
    let context = minijinja::context! {
        units => tree(&units, frame.locale),
        people => people,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        kinds => ["central", "directorate", "service", "decentralised"],
        errors => messages,
        imported => imported,
        in_directory => in_directory,
    };
    let page = frame.for_user(current).render(
        state,
        "organisation.html",
        "organisation-title",
        context,
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

/// `POST /organisation/annuaire`: the units shown in the platform's directory,
/// which other administrations may address mail to (the `unite` boxes ticked).
async fn publish_units(
    State(state): State<AppState>,
    current: CurrentUser,
    ClientAddress(origin): ClientAddress,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let ticked: Vec<&str> = fields
        .iter()
        .filter(|(name, _)| name == "unite")
        .map(|(_, code)| code.as_str())
        .collect();
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let shown: Vec<ordo_db::DirectoryUnit> = tx
        .units()
        .list()
        .await?
        .into_iter()
        .filter(|unit| ticked.contains(&unit.code.as_str()))
        .map(|unit| ordo_db::DirectoryUnit {
            code: unit.code,
            name: unit.name,
        })
        .collect();
    let codes: Vec<String> = shown.iter().map(|u| u.code.clone()).collect();
    tx.directory()
        .publish_units(current.tenant.id, shown)
        .await?;
    tx.journal()
        .append(
            current.event(
                "directory.units_shown",
                format!("tenant:{}", current.tenant.id),
                serde_json::json!({ "units": codes }),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation#annuaire").into_response())
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    /// Lines imported just before.
    importe: Option<usize>,
}

/// `GET /organisation`.
async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    axum::extract::Query(query): axum::extract::Query<PageQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    render_with(&state, &current, frame, &[], query.importe).await
}

#[derive(Debug, Default, Deserialize)]
struct UnitForm {
    #[serde(default)]
    parent: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_fr: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    kind: String,
    /// A checkbox: present when ticked.
    bureau: Option<String>,
}

/// The parent named in a form: none, or a unit of this administration.
async fn parent_of(
    tx: &TenantTx,
    raw: &str,
) -> Result<Result<Option<Uuid>, InvalidInput>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Ok(None));
    }
    let unknown = || InvalidInput::new("parent", Reason::UnknownValue);
    let Ok(id) = Uuid::parse_str(raw) else {
        return Ok(Err(unknown()));
    };
    Ok(match tx.units().find(id).await? {
        Some(unit) => Ok(Some(unit.id)),
        None => Err(unknown()),
    })
}

fn unit_fields(form: &UnitForm) -> Result<(LocalizedName, UnitKind), Vec<InvalidInput>> {
    let mut errors = Vec::new();
    let name = LocalizedName::parse(&form.name_fr, &form.name_ar, &form.name_en)
        .map_err(|e| errors.push(e))
        .ok();
    let kind = UnitKind::parse(form.kind.trim())
        .map_err(|e| errors.push(e))
        .ok();
    match (name, kind) {
        (Some(name), Some(kind)) if errors.is_empty() => Ok((name, kind)),
        _ => Err(errors),
    }
}

/// `POST /organisation/unites`: adds a unit under another (or at the top).
async fn add_unit(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let mut errors = Vec::new();
    let fields = unit_fields(&form).map_err(|e| errors.extend(e)).ok();
    let code = parse_code(&form.code, UNIT_CODE_EXTRA)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let parent = parent_of(&tx, &form.parent)
        .await?
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let Some((name, kind)) = fields.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&state, &current, frame, &errors).await;
    };
    let added = tx
        .units()
        .insert(
            NewUnit {
                parent_id: parent,
                code: code.clone(),
                name,
                kind,
                has_bureau_ordre: form.bureau.is_some(),
            },
            now,
        )
        .await;
    let added = match added {
        Ok(added) => added,
        Err(ordo_db::DbError::Conflict(_)) => {
            drop(tx);
            let taken = InvalidInput::new("code", Reason::AlreadyUsed);
            return render(&state, &current, frame, &[taken]).await;
        }
        Err(err) => return Err(err.into()),
    };
    let details = serde_json::json!({ "code": code, "parent": parent, "kind": kind.as_str() });
    tx.journal()
        .append(
            current.event("unit.added", format!("unit:{}", added.id), details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation").into_response())
}

/// `POST /organisation/unites/{id}`: moves, renames or reclassifies a unit; a move
/// under one of its own descendants is refused.
async fn update_unit(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<UnitForm>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let mut errors = Vec::new();
    let fields = unit_fields(&form).map_err(|e| errors.extend(e)).ok();
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let units = tx.units().list().await?;
    if !units.iter().any(|u| u.id == id) {
        return Err(AppError::not_found());
    }
    let parent = parent_of(&tx, &form.parent)
        .await?
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let parents: HashMap<Uuid, Option<Uuid>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    if would_create_cycle(&parents, id, parent) {
        errors.push(InvalidInput::new("parent", Reason::Cycle));
    }
    let Some((name, kind)) = fields.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&state, &current, frame, &errors).await;
    };
    tx.units()
        .update(id, parent, name, kind, form.bureau.is_some())
        .await?;
    let details = serde_json::json!({ "parent": parent, "kind": kind.as_str(), "bureau": form.bureau.is_some() });
    tx.journal()
        .append(
            current.event("unit.changed", format!("unit:{id}"), details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation").into_response())
}

#[derive(Debug, Default, Deserialize)]
struct PersonForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    unit: String,
    /// Role codes, comma-separated (the form's checkboxes are joined by the page).
    #[serde(default)]
    roles: Vec<String>,
}

/// A person's form, read as pairs: checkboxes repeat the `roles` name.
fn person_form(pairs: Vec<(String, String)>) -> PersonForm {
    let mut form = PersonForm::default();
    for (name, value) in pairs {
        match name.as_str() {
            "login" => form.login = value,
            "display_name" => form.display_name = value,
            "email" => form.email = value,
            "unit" => form.unit = value,
            "roles" => form.roles.push(value),
            _ => {}
        }
    }
    form
}

struct PersonFields {
    display_name: String,
    email: Option<String>,
    unit: Option<Uuid>,
    roles: RoleSet,
}

async fn person_fields(
    tx: &TenantTx,
    form: &PersonForm,
) -> Result<Result<PersonFields, Vec<InvalidInput>>, AppError> {
    let mut errors = Vec::new();
    let display_name = form.display_name.trim().to_owned();
    if display_name.chars().count() < 2 || display_name.chars().count() > 200 {
        errors.push(InvalidInput::new(
            "display_name",
            Reason::TooShort { min: 2 },
        ));
    }
    let email = parse_email(&form.email)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let unit = parent_of(tx, &form.unit)
        .await?
        .map_err(|_| errors.push(InvalidInput::new("unit", Reason::UnknownValue)))
        .ok()
        .flatten();
    let roles = RoleSet::from_chosen(form.roles.iter().map(String::as_str))
        .map_err(|e| errors.push(e))
        .ok();
    Ok(match roles {
        Some(roles) if errors.is_empty() => Ok(PersonFields {
            display_name,
            email,
            unit,
            roles,
        }),
        _ => Err(errors),
    })
}

/// `POST /organisation/personnes`: adds a person; with an address, they are sent a
/// link to choose their password.
async fn add_person(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let form = person_form(pairs);
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let login = Login::parse(&form.login);
    let fields = person_fields(&tx, &form).await?;
    let (login, fields) = match (login, fields) {
        (Ok(login), Ok(fields)) => (login, fields),
        (login, fields) => {
            drop(tx);
            let mut errors: Vec<InvalidInput> = login.err().into_iter().collect();
            errors.extend(fields.err().unwrap_or_default());
            return render(&state, &current, frame, &errors).await;
        }
    };
    let added = tx
        .users()
        .insert(
            NewUser {
                unit_id: fields.unit,
                login: login.clone(),
                display_name: fields.display_name,
                email: fields.email.clone(),
                password_hash: None,
                roles: fields.roles.clone(),
                locale: frame.locale,
            },
            now,
        )
        .await;
    let added = match added {
        Ok(added) => added,
        Err(ordo_db::DbError::Conflict(_)) => {
            drop(tx);
            let taken = InvalidInput::new("login", Reason::AlreadyUsed);
            return render(&state, &current, frame, &[taken]).await;
        }
        Err(err) => return Err(err.into()),
    };
    if let Some(email) = &fields.email {
        let welcome = PasswordLink {
            kind: LinkKind::Welcome,
            locale: frame.locale,
        };
        welcome
            .enqueue(&state.public_url, &tx, &current.tenant, &added, email, now)
            .await?;
    }
    let details = serde_json::json!({
        "login": login.as_str(),
        "roles": fields.roles.to_string(),
        "unit": fields.unit,
        "welcomed": fields.email.is_some(),
    });
    tx.journal()
        .append(
            current.event("user.added", format!("user:{}", added.id), details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation").into_response())
}

/// `POST /organisation/personnes/{id}`: changes a person's name, address, unit and
/// roles.
async fn update_person(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let form = person_form(pairs);
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let Some(before) = tx.users().find(id).await? else {
        return Err(AppError::not_found());
    };
    let fields = match person_fields(&tx, &form).await? {
        Ok(fields) => fields,
        Err(errors) => {
            drop(tx);
            return render(&state, &current, frame, &errors).await;
        }
    };
    if id == current.user.id && !fields.roles.contains(Role::TenantAdmin) {
        // An administration never loses its last way in by a slip of the mouse.
        drop(tx);
        let invalid = InvalidInput::new("roles", Reason::OwnAdministratorRole);
        return render(&state, &current, frame, &[invalid]).await;
    }
    tx.users()
        .update(
            id,
            &fields.display_name,
            fields.email.as_deref(),
            fields.unit,
            &fields.roles,
        )
        .await?;
    let details = serde_json::json!({
        "login": before.login.as_str(),
        "roles_before": before.roles.to_string(),
        "roles": fields.roles.to_string(),
        "unit": fields.unit,
    });
    tx.journal()
        .append(
            current.event("user.changed", format!("user:{id}"), details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation").into_response())
}
