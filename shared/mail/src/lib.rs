//! Sending e-mail. One interface, two transports:
//!
//! - [`SmtpMailer`]: an SMTP server (`smtp://host:25`, `smtp://host:587?tls=required`,
//!   `smtps://user:password@host`), for `ordo serve`;
//! - [`EmlDirectory`]: one `.eml` file per message in a directory, for `ordo demo`,
//!   which must reach no outside service. Any mail client opens them.
//!
//! Callers do not send directly from a request: e-mails are side effects and go
//! through the transactional outbox (built with the dispatch capability), whose
//! worker calls [`Mailer::send`] and retries on failure.

use std::path::PathBuf;

mod letterhead;
pub use letterhead::Letterhead;

use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
pub use lettre::{
    Message,
    message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType},
};
use secrecy::{ExposeSecret, SecretString};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid SMTP URL (mail.smtp_url): {0}")]
    InvalidUrl(String),
    /// The server refused or could not be reached; the outbox retries these.
    #[error("sending failed: {0}")]
    Send(String),
}

/// Where e-mails go.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync + std::fmt::Debug {
    async fn send(&self, message: Message) -> Result<(), MailError>;
}

/// E-mails sent through an SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password: never printed.
        f.debug_struct("SmtpMailer").finish_non_exhaustive()
    }
}

impl SmtpMailer {
    pub fn from_url(url: &SecretString) -> Result<Self, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|e| MailError::InvalidUrl(e.to_string()))?
            .build();
        Ok(Self { transport })
    }

    /// Whether the server answers, for operators checking their settings.
    pub async fn test_connection(&self) -> Result<bool, MailError> {
        self.transport
            .test_connection()
            .await
            .map_err(|e| MailError::Send(e.to_string()))
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| MailError::Send(e.to_string()))
    }
}

/// E-mails written as `.eml` files into a directory instead of being sent.
#[derive(Debug)]
pub struct EmlDirectory {
    directory: PathBuf,
    transport: AsyncFileTransport<Tokio1Executor>,
}

impl EmlDirectory {
    pub fn new(directory: impl Into<PathBuf>) -> std::io::Result<Self> {
        let directory = directory.into();
        std::fs::create_dir_all(&directory)?;
        Ok(Self {
            transport: AsyncFileTransport::new(&directory),
            directory,
        })
    }

    pub fn directory(&self) -> &std::path::Path {
        &self.directory
    }
}

#[async_trait::async_trait]
impl Mailer for EmlDirectory {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        let id = self
            .transport
            .send(message)
            .await
            .map_err(|e| MailError::Send(e.to_string()))?;
        tracing::info!(file = %self.directory.join(format!("{id}.eml")).display(), "e-mail written instead of sent (demo)");
        Ok(())
    }
}

/// The platform's outgoing mail: a transport and the sender address messages carry.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub transport: std::sync::Arc<dyn Mailer>,
    pub from: Mailbox,
}
