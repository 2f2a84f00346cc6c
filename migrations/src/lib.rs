//! Ordo's schema, as ordered migrations that run on PostgreSQL and SQLite alike.
//!
//! Conventions (see `migrations/README.md`): every tenant-owned table has a
//! `tenant_id` column and is put under row-level security on PostgreSQL by
//! [`tenancy::isolate_tenant_table`]; every migration can be reverted; changes are
//! made expand-then-contract so a rolling upgrade never breaks running replicas.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261121_000001_platform;
mod m20261121_000002_organisation;
mod m20261121_000003_registry;
mod m20261121_000004_documents;
mod m20261121_000005_api_tokens;
mod m20261121_000006_capture;
mod m20261121_000007_outbox;
mod m20261121_000008_calendar;
mod m20261121_000009_dispatch;
mod m20261121_000010_deadlines;
mod m20261121_000011_identity;
mod m20261121_000012_statistics;
mod m20261121_000013_portal;
mod m20261121_000014_operator_journal;
mod m20261121_000015_onboarding;
mod m20261122_000016_exchange;
mod m20261122_000017_email_templates;
mod m20261204_000018_fewer_round_trips;
mod m20261204_000019_journal_sealing;
mod m20261204_000020_settings_changes;
mod m20261204_000021_storage_totals;
mod m20261205_000022_sqlite_settings_changes;
mod m20261205_000023_directory_changes;
pub mod tenancy;

/// The application's migrations, in the order they apply.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_platform::Migration),
            Box::new(m20261121_000002_organisation::Migration),
            Box::new(m20261121_000003_registry::Migration),
            Box::new(m20261121_000004_documents::Migration),
            Box::new(m20261121_000005_api_tokens::Migration),
            Box::new(m20261121_000006_capture::Migration),
            Box::new(m20261121_000007_outbox::Migration),
            Box::new(m20261121_000008_calendar::Migration),
            Box::new(m20261121_000009_dispatch::Migration),
            Box::new(m20261121_000010_deadlines::Migration),
            Box::new(m20261121_000011_identity::Migration),
            Box::new(m20261121_000012_statistics::Migration),
            Box::new(m20261121_000013_portal::Migration),
            Box::new(m20261121_000014_operator_journal::Migration),
            Box::new(m20261121_000015_onboarding::Migration),
            Box::new(m20261122_000016_exchange::Migration),
            Box::new(m20261122_000017_email_templates::Migration),
            Box::new(m20261204_000018_fewer_round_trips::Migration),
            Box::new(m20261204_000019_journal_sealing::Migration),
            Box::new(m20261204_000020_settings_changes::Migration),
            Box::new(m20261204_000021_storage_totals::Migration),
            Box::new(m20261205_000022_sqlite_settings_changes::Migration),
            Box::new(m20261205_000023_directory_changes::Migration),
        ]
    }
}
