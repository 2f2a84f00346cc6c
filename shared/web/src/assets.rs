//! Static assets, compiled into the binary and served with a long cache lifetime;
//! their URLs carry the version, so a new release is fetched at once.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

/// Changes with every release, so cached assets are refreshed.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

const STYLESHEET: &str = include_str!("../assets/ordo.css");
const SCRIPT: &str = include_str!("../assets/ordo.js");

pub async fn stylesheet() -> Response {
    immutable(STYLESHEET, "text/css; charset=utf-8")
}

/// Progressive enhancements (scan preview, directory search); pages work without it.
pub async fn script() -> Response {
    immutable(SCRIPT, "text/javascript; charset=utf-8")
}

fn immutable(body: &'static str, media_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
