//! Ordo's domain vocabulary: types and rules that know no HTTP, no SQL and no clock.
//!
//! Values are parsed at the edge into these types, so an invalid tenant code,
//! login or locale cannot be constructed further in.

mod account;
pub mod calendar;
mod clock;
pub mod correspondent;
pub mod deadlines;
pub mod dispatch;
pub mod email_template;
pub mod identity;
pub mod journal;
mod locale;
mod mail;
mod numbering;
pub mod organisation;
pub mod outbox;
pub mod password;
pub mod permissions;
pub mod portal;
pub mod statistics;
mod tenant;
mod validation;
mod vocabulary;

pub use account::{LockoutPolicy, Login, Role, RoleSet};
pub use clock::{Clock, SystemClock};
pub use locale::{Direction, Locale};
pub use mail::{
    Channel, Confidentiality, ItemStatus, MAX_RECIPIENTS, MailDirection, Registration,
    RegistrationForm, check_reason, parse_local_minute,
};
pub use numbering::{NumberFormat, registration_year};
pub use tenant::{
    AdministrationLevel, BrandColour, Languages, LocalizedName, TenantCode, TenantId, TenantStatus,
    TimeZone,
};
pub use validation::{InvalidInput, Reason, parse_code, parse_email};
pub use vocabulary::{MAX_PROCESSING_DAYS, Term, Vocabulary};
