//! The operator agency's service: it creates and oversees administrations. It sees
//! tenants' metadata (code, names, status), never their mail: no handler here takes
//! a tenant-scoped transaction except provisioning, which writes the first rows.
//! Exports read an administration whole, but only from `ordo tenant export` on the
//! platform's machines, never through the console or the API.

mod console;
mod creation;
pub mod deletion;
pub mod export;
mod provision;
pub mod seal;
mod suspension;
pub mod usage;

pub use console::routes;
pub use provision::{
    AdminAccount, Begun, CreationRequest, NewAdministration, Onboarding, Placement, Progress,
    ProvisionError, Step, UnitPlan, create_administration, create_operator, unobserved,
};
pub use suspension::{Standing, StandingRefusal, change_standing};
