//! Table mappings, generated in shape: one module a table, no behaviour. Repositories
//! turn these rows into records and domain types.

pub(crate) mod acknowledgments;
pub(crate) mod api_tokens;
pub(crate) mod audit_entries;
pub(crate) mod audit_heads;
pub(crate) mod correspondents;
pub(crate) mod digests_sent;
pub(crate) mod dispatch_reminders;
pub(crate) mod dispatch_templates;
pub(crate) mod dispatches;
pub(crate) mod documents;
pub(crate) mod identity_providers;
pub(crate) mod item_followers;
pub(crate) mod item_links;
pub(crate) mod item_notes;
pub(crate) mod item_recipients;
pub(crate) mod item_versions;
pub(crate) mod mail_items;
pub(crate) mod mail_natures;
pub(crate) mod mail_priorities;
pub(crate) mod operator_accounts;
pub(crate) mod operator_journal;
pub(crate) mod org_units;
pub(crate) mod outbox_messages;
pub(crate) mod password_resets;
pub(crate) mod portal_filings;
pub(crate) mod portal_settings;
pub(crate) mod rate_counters;
pub(crate) mod register_counters;
pub(crate) mod registers;
pub(crate) mod sessions;
pub(crate) mod tenant_holidays;
pub(crate) mod tenants;
pub(crate) mod users;
