//! The exchange of official mail between administrations (*échange dématérialisé*).
//!
//! One mechanism serves every case: a unit of the same administration, another
//! administration on the platform, (later) one on another platform. Sending writes
//! the signed envelope and a delivery per recipient in the transaction that
//! records it ([`send`]); the worker carries each delivery ([`courier`]) to the
//! receiving side, which checks it and answers with a signed receipt
//! ([`receive`]); what the recipient does next (registers, returns) goes back as
//! another signed receipt through the same queue ([`arrival`], [`receipts`]).
//!
//! The envelope, receipts and signatures are those of `ordo-envelope`; their
//! schemas are in `shared/envelope/schemas/`.

pub mod api;
pub mod arrival;
pub mod courier;
pub mod directory;
pub mod pages;
pub mod receipts;
pub mod receive;
pub mod send;
pub mod tls;

use axum::{
    Router,
    routing::{get, post},
};
use ordo_web::AppState;

/// The largest envelope accepted: the total of its files as the manifest states
/// them. Larger ones are refused with `SizeLimit`.
pub const MAX_ENVELOPE_BYTES: u64 = 32 * 1024 * 1024;

/// Who issues the receipts the platform itself gives (an unknown addressee).
pub const PLATFORM_ISSUER: &str = "PLATFORM";

/// The endpoints other platforms deliver to, served on the exchange's own
/// listener over mutual TLS (`exchange.listen`) as well as on the main one.
pub fn platform_routes() -> Router<AppState> {
    // A transfer carries the files in base64: a third more than their size.
    let transfer_limit = usize::try_from(MAX_ENVELOPE_BYTES * 3 / 2).unwrap_or(usize::MAX);
    Router::new()
        .route(
            "/exchange/v1/{addressee}/envelopes",
            post(api::deliver_envelope).layer(axum::extract::DefaultBodyLimit::max(transfer_limit)),
        )
        .route("/exchange/v1/receipts", post(api::deliver_receipt))
}

/// Every route of the exchange on the main listener: the pages and the API, and
/// the platform endpoints (there the seal signatures are what is trusted; the
/// mutual-TLS listener adds the authentication of the platform that connects).
pub fn routes() -> Router<AppState> {
    platform_routes()
        .route("/api/v1/exchange/directory", get(api::directory))
        .route(
            "/api/v1/items/{id}/exchange",
            get(api::item_exchange).post(api::send_item),
        )
        .route("/api/v1/items/{id}/exchange/resend", post(api::resend))
        .route("/api/v1/items/{id}/exchange/return", post(api::return_item))
        .route(
            "/api/v1/exchange/envelopes/{id}/receipts/{receipt}",
            get(api::download_receipt),
        )
        .route(
            "/api/v1/exchange/envelopes/{id}",
            get(api::download_envelope),
        )
        .route("/courriers/{id}/echange", post(pages::send_form))
        .route("/courriers/{id}/echange/renvoyer", post(pages::resend_form))
        .route("/courriers/{id}/echange/retour", post(pages::return_form))
}
