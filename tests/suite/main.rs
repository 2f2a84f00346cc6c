//! Ordo's integration suite: one binary, every test against real services started by
//! `tests/run.sh`. Tests that touch a database run on SQLite and on PostgreSQL.

#![expect(clippy::expect_used, clippy::panic, reason = "tests fail loudly")]

/// Declares `name::sqlite` and `name::postgres` tests running `name(backend)`.
macro_rules! on_both_databases {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(ordo_tests::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(ordo_tests::Backend::Postgres).await;
            }
        }
    )+};
}

mod api;
mod capture;
mod demo_in_browser;
mod dispatch;
mod documents;
mod exchange;
mod mail;
mod mail_settings;
mod migrations;
mod offboarding;
mod oidc;
mod onboarding;
mod operator;
mod organisation;
mod outbox;
mod portal;
mod quotas;
mod registry;
mod statistics;
mod storage;
mod tenancy;
mod web;
