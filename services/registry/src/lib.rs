//! The bureau d'ordre service: pages and API for an administration's people. Every
//! handler here takes a `CurrentUser`, so it only ever sees its own tenant's rows.

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    routing::{get, post},
};
use ordo_web::{AppError, AppState, CurrentUser, Frame, Page};
use serde::Serialize;
use uuid::Uuid;

pub mod acknowledgment;
mod amend;
pub mod api;
mod capture;
mod directory;
pub mod documents;
mod exports;
mod item_panel;
pub mod pages;
pub mod registration;
mod settings;

pub fn routes() -> Router<AppState> {
    // A form with its scan and attachments; each file is also held to its own limit.
    let uploads = || {
        DefaultBodyLimit::max(
            usize::try_from(documents::MAX_REGISTRATION_BYTES).unwrap_or(usize::MAX),
        )
    };
    Router::new()
        .route("/accueil", get(home))
        .route("/registres", get(pages::registers))
        .route(
            "/registres/{register}/nouveau",
            get(capture::new_item_form)
                .post(capture::register_item)
                .layer(uploads()),
        )
        .route("/registres/{register}/brouillons", get(capture::drafts))
        .route(
            "/registres/{register}/lot",
            post(capture::batch_upload).layer(uploads()),
        )
        .route(
            "/courriers/{id}/completer",
            get(capture::complete_form)
                .post(capture::complete_draft)
                .layer(uploads()),
        )
        .route(
            "/courriers/{id}/corriger",
            get(amend::correction_form).post(amend::correct),
        )
        .route("/courriers/{id}/annuler", post(amend::cancel))
        .route(
            "/courriers/{id}/accuse.pdf",
            get(acknowledgment::acknowledgment_pdf),
        )
        .route(
            "/courriers/{id}/accuse",
            post(acknowledgment::send_acknowledgment),
        )
        .route(
            "/courriers/{id}/reponse-portail",
            post(acknowledgment::publish_reply),
        )
        .route(
            "/courriers/{id}/rejeter-depot",
            post(acknowledgment::reject_filing),
        )
        .route("/courriers/{id}/liens", post(amend::link))
        .route(
            "/correspondants",
            get(directory::directory).post(directory::add_entry),
        )
        .route("/correspondants/{id}", post(directory::update_entry))
        .route("/parametres", get(settings::settings))
        .route("/parametres/termes", post(settings::save_term))
        .route("/parametres/documents", post(settings::save_limit))
        .route("/parametres/calendrier", post(settings::save_weekend))
        .route("/parametres/rappels", post(settings::save_reminders))
        .route("/parametres/jours-feries", post(settings::add_holiday))
        .route(
            "/parametres/jours-feries/retirer",
            post(settings::remove_holiday),
        )
        .route("/parametres/registres", post(settings::add_register))
        .route(
            "/parametres/registres/{id}",
            post(settings::update_register),
        )
        .route("/documents/{id}", get(documents::serve_document))
        .route("/api/v1/registers", get(api::list_registers))
        .route(
            "/api/v1/registers/{register}/items",
            post(api::register_item),
        )
        .route(
            "/api/v1/registers/{register}/drafts",
            post(api::create_draft),
        )
        .route(
            "/api/v1/registers/{register}/years/{year}/items",
            get(api::list_items),
        )
        .route("/api/v1/items/{id}", get(api::get_item))
        .route("/api/v1/items/{id}/registration", post(api::register_draft))
        .route(
            "/api/v1/items/{id}/documents",
            post(api::upload_document).layer(DefaultBodyLimit::max(
                usize::try_from(settings::CEILING_MIB * 1024 * 1024).unwrap_or(usize::MAX),
            )),
        )
        .route("/api/v1/items/{id}/corrections", post(api::correct_item))
        .route("/api/v1/items/{id}/cancellation", post(api::cancel_item))
        .route("/api/v1/items/{id}/links", post(api::link_item))
        .route("/api/v1/items/{id}/versions", get(api::item_versions))
        .route(
            "/api/v1/correspondents",
            get(api::list_correspondents).post(api::add_correspondent),
        )
        .route("/api/v1/vocabulary", get(api::vocabulary))
        .route(
            "/registres/{register}/annees/{year}",
            get(pages::register_year),
        )
        .route("/courriers/{id}", get(pages::item))
        .route("/courriers/{id}/bordereau", get(exports::slip))
        .route(
            "/registres/{register}/annees/{year}/export.csv",
            get(exports::register_csv),
        )
        .route("/api/v1/me", get(me))
        .route("/api/v1/units", get(units))
}

#[derive(Debug, Serialize)]
struct UnitView {
    id: Uuid,
    parent_id: Option<Uuid>,
    code: String,
    name: String,
    kind: &'static str,
    bureau: bool,
}

async fn unit_views(
    state: &AppState,
    current: &CurrentUser,
    locale: ordo_domain::Locale,
) -> Result<Vec<UnitView>, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let units = tx.units().list().await?;
    tx.commit().await?;
    Ok(units
        .into_iter()
        .map(|unit| UnitView {
            id: unit.id,
            parent_id: unit.parent_id,
            code: unit.code,
            name: unit.name.get(locale).to_owned(),
            kind: unit.kind.as_str(),
            bureau: unit.has_bureau_ordre,
        })
        .collect())
}

async fn home(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Page, AppError> {
    let units = unit_views(&state, &current, frame.locale).await?;
    let roles: Vec<&str> = current.user.roles.iter().map(|r| r.as_str()).collect();
    let context = minijinja::context! {
        user_name => current.user.display_name,
        tenant_name => current.tenant.name.get(frame.locale),
        tenant_code => current.tenant.code.as_str(),
        roles => roles,
        units => units,
        can_configure => current.may(ordo_domain::permissions::Action::ConfigureRegistry),
    };
    frame
        .for_user(&current)
        .render(&state, "home.html", "home-title", context)
}

#[derive(Debug, Serialize)]
struct MeView {
    login: String,
    display_name: String,
    roles: Vec<&'static str>,
    tenant: TenantView,
}

#[derive(Debug, Serialize)]
struct TenantView {
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    time_zone: &'static str,
}

async fn me(current: CurrentUser) -> Json<MeView> {
    Json(MeView {
        login: current.user.login.to_string(),
        display_name: current.user.display_name,
        roles: current.user.roles.iter().map(|r| r.as_str()).collect(),
        tenant: TenantView {
            code: current.tenant.code.to_string(),
            name_fr: current.tenant.name.fr,
            name_ar: current.tenant.name.ar,
            name_en: current.tenant.name.en,
            time_zone: current.tenant.time_zone.name(),
        },
    })
}

async fn units(
    State(state): State<AppState>,
    current: CurrentUser,
    locale: ordo_web::RequestLocale,
) -> Result<Json<Vec<UnitView>>, AppError> {
    unit_views(&state, &current, locale.0).await.map(Json)
}
