//! Static assets, compiled into the binary and served with a long cache lifetime;
//! their URLs carry the version, so a new release is fetched at once.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

/// Changes with every release, so cached assets are refreshed.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

const STYLESHEET: &str = include_str!("../assets/ordo.css");

pub async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
