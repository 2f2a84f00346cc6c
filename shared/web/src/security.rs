//! Security headers on every response: a strict content security policy (no inline
//! script or style, no framing), no MIME sniffing, no referrer leaks across sites.

use axum::{extract::Request, http::HeaderValue, middleware::Next, response::Response};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
                   frame-src 'self' blob:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set("content-security-policy", CSP);
    set("x-frame-options", "DENY");
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set(
        "permissions-policy",
        "camera=(self), geolocation=(), microphone=()",
    );
    // Pages are personal (names, CSRF tokens): never kept by a shared cache.
    let is_page = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_page {
        headers
            .entry("cache-control")
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}
