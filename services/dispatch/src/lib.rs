//! Dispatch (*imputation*) and processing. Once registered, an item goes to the one
//! unit or person responsible for it, and to others for information or opinion; a
//! unit head passes it on down the tree; the one responsible accepts it or sends it
//! back, works on it, drafts the reply and closes it with an outcome. Inboxes show
//! each person what waits for them. The item page (in the registry) shows the
//! dispatches and offers these acts; they are handled here.

use axum::{
    Router,
    routing::{get, post},
};
use ordo_db::NoteRecord;
use ordo_web::{AppState, CurrentUser};

pub mod api;
pub mod deadlines;
pub mod directory;
pub mod flow;
pub mod inbox;
mod pages;
mod templates;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/corbeille", get(pages::inbox_page))
        .route("/courriers/{id}/imputer", post(pages::dispatch))
        .route(
            "/courriers/{id}/imputer-modele",
            post(pages::dispatch_by_template),
        )
        .route("/courriers/{id}/notes", post(pages::add_note))
        .route("/courriers/{id}/suivre", post(pages::follow))
        .route("/courriers/{id}/reponse", post(pages::reply))
        .route("/imputations/{id}/transmettre", post(pages::pass_on))
        .route("/imputations/{id}/etape", post(pages::step))
        .route(
            "/parametres/imputation",
            get(templates::page).post(templates::save),
        )
        .route(
            "/api/v1/items/{id}/dispatches",
            get(api::item_dispatches).post(api::dispatch_item),
        )
        .route("/api/v1/dispatches/{id}/pass-on", post(api::pass_on))
        .route("/api/v1/dispatches/{id}/steps", post(api::step))
        .route(
            "/api/v1/items/{id}/notes",
            get(api::item_notes).post(api::add_note),
        )
        .route("/api/v1/items/{id}/reply", post(api::draft_reply))
        .route("/api/v1/inbox", get(api::inbox))
}

/// Whether the caller may read a note: its author always, the people of the author's
/// unit for a unit note, everyone who sees the item for a note to all.
pub fn readable_by(note: &NoteRecord, current: &CurrentUser) -> bool {
    note.visibility.shows_to(
        note.author_id == current.user.id,
        note.unit_id.is_some() && note.unit_id == current.user.unit_id,
    )
}
