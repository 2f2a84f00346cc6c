//! Persistence: the database connection, tenant-scoped transactions, and the
//! repositories that are only reachable through them.
//!
//! Two kinds of unit of work exist:
//! - [`TenantTx`]: a transaction bound to one administration. On PostgreSQL it sets
//!   `ordo.tenant_id` so row-level security applies; on both databases every
//!   repository query also names the tenant. Tenant-owned tables are only reachable
//!   from here.
//! - [`PlatformTx`]: a transaction over the platform tables (the tenants themselves,
//!   operator accounts, sessions), which belong to no tenant.

mod connection;
mod entities;
mod error;
mod group_commit;
pub mod repos;
mod sealer;
mod settings_cache;

pub use connection::{Backend, Database, PlatformTx, PoolStats, TenantTx, connect_options};
pub use error::{DbError, Quota};
pub use repos::{
    calendar::Holiday,
    correspondents::CorrespondentRecord,
    dispatches::{DispatchRecord, InboxClause, NewDispatch, StatusChange, TemplateLine},
    documents::{DocumentRecord, DocumentRole, NewDocument, main_first},
    exchange::{
        Arrival, DeliveryKind, QueuedDelivery, ReceiptDirection, RecipientStanding,
        RemoteAdministration, Retry, SentEnvelope, StoredReceipt,
    },
    identity::IdentityProvider,
    items::{
        GivenNumber, ItemContent, ItemFacts, ItemFilter, ItemLink, ItemRecord, ItemVersion,
        LinkKind,
    },
    journal::{JournalEntry, JournalEvent},
    notes::{NewNote, NoteRecord},
    onboarding::{DirectoryEntry, DirectoryUnit, KeyMaterial, ProvisioningRecord},
    operator_journal::{OperatorEntry, OperatorEvent},
    operators::OperatorRecord,
    outbox::{Attachment, Delivery, MessageStanding, OutboxMessage, OutgoingEmail},
    portal::{AcknowledgmentRecord, FilingRecord, NewFiling, PortalSettingsRecord},
    registers::{NewRegister, RegisterRecord, YearNumbering},
    sessions::{PrincipalKind, SessionRecord},
    tenants::{NewTenant, TenantRecord},
    tokens::TokenRecord,
    units::{NewUnit, UnitKind, UnitRecord},
    usage::{Quotas, Usage, UsageRecord},
    users::{NewUser, UserRecord},
    vocabulary::TermList,
};
pub use settings_cache::RegistrationSettings;
