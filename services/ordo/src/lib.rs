//! The `ordo` command's library: configuration, the assembled application, the
//! embedded demo and the command-line actions. `main.rs` only parses arguments.

pub mod app;
pub mod audit;
pub mod config;
pub mod demo;
mod demo_mail;
pub mod exchange_cli;
pub mod migrate;
pub mod outbox;
pub mod tenant_cli;
pub mod token_cli;
