//! Where a request comes from, for the audit journal and the public pages' rate
//! limits. Behind a load balancer the connection comes from the balancer: when the
//! operator names its addresses (`server.trusted_proxies`), the client is read from
//! `X-Forwarded-For` instead, trusting only what those proxies appended.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State},
    middleware::Next,
    response::Response,
};
use http::request::Parts;
use ipnet::IpNet;

/// The client's address as the server saw it, or `unknown` when the server was not
/// started with connection info: recording where an action came from must never be
/// what makes the action fail.
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(resolved) = parts.extensions.get::<ClientAddress>() {
            return Ok(resolved.clone());
        }
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
        Ok(Self(address))
    }
}

/// The client of a request whose connection came from `peer`: the peer itself,
/// unless it is a trusted proxy; then the rightmost address of `X-Forwarded-For`
/// that is not a trusted proxy. Entries further left were written by the client
/// and may be forged; an unreadable entry stops the walk at the last one trusted.
pub fn client_of(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    let hops = forwarded_for.unwrap_or_default().rsplit(',');
    for hop in hops {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// Middleware: resolves the client address once per request, through the trusted
/// proxies of `AppState::trusted_proxies`.
pub async fn resolve_client(
    State(state): State<crate::AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if !state.trusted_proxies.is_empty()
        && let Some(peer) = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
    {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        let client = client_of(peer, forwarded, &state.trusted_proxies);
        request
            .extensions_mut()
            .insert(ClientAddress(client.to_string()));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| n.parse().ok()).collect()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        assert_eq!(
            client_of(ip("203.0.113.7"), Some("198.51.100.1"), &[]),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn behind_the_balancer_the_forwarded_client_counts() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            client_of(ip("10.0.0.5"), Some("198.51.100.1"), &trusted),
            ip("198.51.100.1")
        );
        // Two proxies of ours in a row: the client is before them.
        assert_eq!(
            client_of(ip("10.0.0.5"), Some("198.51.100.1, 10.0.3.2"), &trusted),
            ip("198.51.100.1")
        );
    }

    #[test]
    fn what_the_client_wrote_itself_is_not_believed() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client claims to be 1.2.3.4; the balancer appended its real address.
        assert_eq!(
            client_of(ip("10.0.0.5"), Some("1.2.3.4, 198.51.100.1"), &trusted),
            ip("198.51.100.1")
        );
        // A direct connection from outside cannot pretend at all.
        assert_eq!(
            client_of(ip("198.51.100.9"), Some("1.2.3.4"), &trusted),
            ip("198.51.100.9")
        );
        // Garbage stops the walk at the last trusted hop.
        assert_eq!(
            client_of(ip("10.0.0.5"), Some("nonsense"), &trusted),
            ip("10.0.0.5")
        );
    }
}
