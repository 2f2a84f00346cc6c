//! Static assets, compiled into the binary and served with a long cache lifetime;
//! their URLs carry a fingerprint of their content, so a change is fetched at once.

use std::sync::LazyLock;

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../assets/ordo.css");
const SCRIPT: &str = include_str!("../assets/ordo.js");

/// Part of the assets' URLs: the fingerprint of their content, so a browser that
/// cached them for a year fetches them again as soon as either changes, and only
/// then (a release's version number would keep stale ones when it was not bumped).
pub static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::new()
        .chain_update(STYLESHEET)
        .chain_update(SCRIPT)
        .finalize();
    hex::encode(&digest[..6])
});

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
