//! Table mappings, generated in shape: one module a table, no behaviour. Repositories
//! turn these rows into records and domain types.

pub(crate) mod operator_accounts;
pub(crate) mod org_units;
pub(crate) mod sessions;
pub(crate) mod tenants;
pub(crate) mod users;
