//! Between platforms, envelopes and receipts travel over HTTPS with mutual TLS:
//! each platform presents a certificate issued by its authority (`ordo exchange
//! certificate`), as a server to the platforms that deliver to it and as a client
//! when it delivers, and accepts only the certificates of the authorities it was
//! told to trust (`exchange.trusted_authorities`). On top of that, every envelope
//! and receipt is checked against the seal certificate its directory entry holds.

use std::{net::SocketAddr, sync::Arc};

use axum::Router;
use hyper_util::{rt::TokioIo, service::TowerToHyperService};
use rustls::{RootCertStore, ServerConfig, server::WebPkiClientVerifier};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

/// Why the exchange's TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{what}: {detail}")]
    Invalid { what: &'static str, detail: String },
}

fn invalid(what: &'static str, detail: impl std::fmt::Display) -> TlsError {
    TlsError::Invalid {
        what,
        detail: detail.to_string(),
    }
}

/// This platform's identity and whom it trusts, as PEM.
#[derive(Debug, Clone)]
pub struct PlatformTls {
    pub certificate_pem: String,
    pub private_key_pem: String,
    pub trusted_authorities_pem: String,
}

impl PlatformTls {
    fn roots(&self) -> Result<RootCertStore, TlsError> {
        let mut roots = RootCertStore::empty();
        for certificate in CertificateDer::pem_slice_iter(self.trusted_authorities_pem.as_bytes()) {
            roots
                .add(certificate.map_err(|e| invalid("exchange.trusted_authorities", e))?)
                .map_err(|e| invalid("exchange.trusted_authorities", e))?;
        }
        if roots.is_empty() {
            return Err(invalid(
                "exchange.trusted_authorities",
                "no certificate in the file",
            ));
        }
        Ok(roots)
    }

    /// The client that delivers to other platforms, presenting this platform's
    /// certificate and trusting only the given authorities.
    pub fn client(&self) -> Result<reqwest::Client, TlsError> {
        let identity = reqwest::Identity::from_pem(
            format!("{}\n{}", self.certificate_pem, self.private_key_pem).as_bytes(),
        )
        .map_err(|e| invalid("exchange.certificate", e))?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .identity(identity)
            .connect_timeout(std::time::Duration::from_secs(10))
            .timeout(std::time::Duration::from_secs(120));
        for certificate in
            reqwest::Certificate::from_pem_bundle(self.trusted_authorities_pem.as_bytes())
                .map_err(|e| invalid("exchange.trusted_authorities", e))?
        {
            builder = builder.add_root_certificate(certificate);
        }
        builder.build().map_err(|e| invalid("exchange", e))
    }

    /// The server side: this platform's certificate, and a client certificate
    /// required from every platform that connects.
    pub fn server_config(&self) -> Result<Arc<ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            WebPkiClientVerifier::builder_with_provider(Arc::new(self.roots()?), provider.clone())
                .build()
                .map_err(|e| invalid("exchange.trusted_authorities", e))?;
        let chain = CertificateDer::pem_slice_iter(self.certificate_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid("exchange.certificate", e))?;
        let key = PrivateKeyDer::from_pem_slice(self.private_key_pem.as_bytes())
            .map_err(|e| invalid("exchange.private_key", e))?;
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid("exchange", e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .map_err(|e| invalid("exchange.certificate", e))?;
        Ok(Arc::new(config))
    }
}

/// Serves `router` (the platform endpoints) on `listener` over mutual TLS until the
/// task is stopped. A connection whose certificate is refused is dropped before
/// any request is read.
pub async fn serve(listener: TcpListener, config: Arc<ServerConfig>, router: Router) {
    let acceptor = TlsAcceptor::from(config);
    loop {
        let (tcp, peer): (_, SocketAddr) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(%error, "exchange listener: accept failed");
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        tokio::spawn(async move {
            let stream = match acceptor.accept(tcp).await {
                Ok(stream) => stream,
                Err(error) => {
                    tracing::warn!(%peer, %error, "exchange connection refused at the TLS handshake");
                    return;
                }
            };
            let service = TowerToHyperService::new(router);
            if let Err(error) = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(%peer, %error, "exchange connection ended");
            }
        });
    }
}
