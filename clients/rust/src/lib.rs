//! License checks for the Maximus desktop apps (Simpl'Résultat, Simpl'Liste): the whole desktop half of
//! licensing, so the app only wires it to its windows.
//!
//! - [`LicenseManager`] keeps the key, lease, JWKS and offline counters in a [`Store`] ([`FileStore`]),
//!   and answers [`LicenseManager::check`] with a [`Status`]: allow or block, why, the tier, when to check
//!   again, and a [`Message`] in French and English;
//! - [`protocol`] builds every request and reads every answer without I/O; a [`Transport`] sends them
//!   (the app's own HTTP client, or [`UreqTransport`] with the default feature `ureq`);
//! - [`verify_key`] and [`verify_lease`] verify the service's Ed25519 tokens offline against a [`Jwks`];
//! - [`OfflinePolicy`] decides from the lease, the clock, the use time and the last server answer;
//! - [`machine_id`] derives the id sent to `activate`.
//!
//! Times are Unix seconds everywhere (`u64`); every state, answer and error is `Serialize + Deserialize`.
#![deny(unsafe_code)]
#![deny(missing_docs)]

mod client;
pub mod dpop;
mod jwks;
mod key;
mod lease;
mod machine;
mod manager;
mod messages;
mod policy;
pub mod protocol;
mod seal;
mod store;
mod time;
mod token;
mod transport;

pub use client::Client;
pub use jwks::{Jwks, JwksError};
pub use key::{verify_key, Expect, KeyError, License, Product, Tier, LEEWAY_SECS};
pub use lease::{check_binding, verify_lease, Lease, LeaseError};
pub use machine::{machine_id, machine_id_from, MachineIdError};
pub use manager::{Access, Clock, Config, LicenseManager, ManagerError, Status};
pub use messages::{catalog_json, Describe, Lang, Message};
pub use policy::{BlockReason, Decision, OfflinePolicy, ServerAnswer, StoredState, ROLLBACK_TOLERANCE_SECS};
pub use protocol::{
    AccountLicense, AccountMachine, Activation, ApiError, CheckoutLicense, Interval, LicenseInfo, MachineInfo,
    ProblemCode, Seat, SubscriptionStatus, ValidateCode, Validation,
};
pub use store::{FileStore, MemoryStore, SavedState, Store, StoreError, Verdict};
pub use time::{format_rfc3339, parse_rfc3339, unix_now};
pub use token::TokenError;
#[cfg(feature = "ureq")]
pub use transport::UreqTransport;
pub use transport::{NoNetwork, Transport, TransportError};
