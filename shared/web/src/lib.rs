//! Web glue shared by every Ordo service: the application state, the one error
//! policy, languages, templates, sign-in sessions, CSRF protection, security
//! headers and static assets. Services add routes; this crate decides how every
//! request is framed.

pub mod assets;
pub mod auth;
pub mod client;
pub mod csrf;
pub mod error;
pub mod i18n;
pub mod mail_texts;
pub mod oidc;
pub mod password_reset;
pub mod security;
pub mod session;
mod state;
pub mod templates;

pub use client::ClientAddress;
pub use error::{AppError, ErrorKind, Refused};
pub use i18n::RequestLocale;
pub use session::{CurrentOperator, CurrentUser};
pub use state::{AppState, CookiePolicy, ExchangeLink};
pub use templates::{Frame, Page};
