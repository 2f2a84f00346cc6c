//! Repositories: one per table family. Tenant repositories are built by
//! [`crate::TenantTx`] with its tenant and name it in every query, so the SQLite
//! embedded default is isolated by the same code that PostgreSQL's row-level security
//! backs up.

pub mod calendar;
pub mod correspondents;
pub mod dispatches;
pub mod documents;
pub mod email_templates;
pub mod exchange;
pub mod export;
pub mod identity;
pub mod items;
pub mod journal;
pub mod notes;
pub mod offboarding;
pub mod onboarding;
pub mod operator_journal;
pub mod operators;
pub mod outbox;
pub mod password_resets;
pub mod portal;
pub mod rate_counters;
pub mod registers;
pub mod reminders;
pub mod sessions;
pub mod tenants;
pub mod tokens;
pub mod units;
pub mod usage;
pub mod users;
pub mod vocabulary;
