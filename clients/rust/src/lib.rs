//! License checks for the Maximus desktop apps (Simpl'Résultat, Simpl'Liste), the rules of
//! maximus-api's `docs/verifying-licenses.md`:
//!
//! - [`verify_key`] and [`verify_lease`] verify the service's Ed25519 tokens offline against a [`Jwks`];
//! - [`OfflinePolicy`] decides from the stored lease, the clock and the last server answer whether the app
//!   runs, must revalidate, or is blocked (and why);
//! - [`machine_id`] derives the id sent to `activate`;
//! - [`Client`] calls the service (activate, validate, deactivate, recover, subscription status, JWKS).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod client;
mod jwks;
mod key;
mod lease;
mod machine;
mod policy;
mod token;

pub use client::{
    Activation, ApiError, Client, LicenseInfo, MachineInfo, ProblemCode, Seat, SubscriptionStatus, ValidateCode,
    Validation,
};
pub use jwks::{Jwks, JwksError};
pub use key::{verify_key, Expect, KeyError, License, Product, Tier, LEEWAY_SECS};
pub use lease::{verify_lease, Lease, LeaseError};
pub use machine::{machine_id, machine_id_from, MachineIdError};
pub use policy::{BlockReason, Decision, OfflinePolicy, ServerAnswer, StoredState};
pub use token::TokenError;

/// Now, in Unix seconds (the `now` of the verifiers and the policy).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
