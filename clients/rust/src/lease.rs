//! Leases: the signed "this machine may work offline until `exp`" (docs/verifying-licenses.md, rules 1–3, 5).

use crate::jwks::Jwks;
use crate::key::{Expect, Product, Tier, LEEWAY_SECS};
use crate::token::{self, string_claim, time_claim, TokenError};
use serde::{Deserialize, Serialize};

/// The claims of an authentic lease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    /// License id (`sub`).
    pub license_id: String,
    /// Product (`aud`).
    pub product: Product,
    /// The machine it is bound to (`machine`).
    pub machine_id: String,
    /// Tier of the license when it was issued.
    pub tier: Tier,
    /// Issued at, Unix seconds, by the server's clock: the last time the server said "valid".
    pub issued_at: u64,
    /// The app may work offline until then, Unix seconds.
    pub expires_at: u64,
    /// The thumbprint of the key the seat is bound to (`cnf.jkt`, RFC 9449); `None`: an unbound seat.
    #[serde(default)]
    pub jkt: Option<String>,
}

/// Why a lease was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeaseError {
    /// The JWT failed a signature or claim check.
    Token(TokenError),
    /// Issued to another machine.
    WrongMachine,
    /// Issued for another license than the stored key's.
    WrongLicense,
    /// Bound (`cnf.jkt`) to another key than this install's.
    WrongKey,
    /// Authentic and ours, but past `exp`: go online.
    Expired(Lease),
}

impl LeaseError {
    /// A short, stable name for the failure (the `expect` strings of `tests/vectors.json`).
    pub fn kind(&self) -> &'static str {
        match self {
            LeaseError::Token(e) => e.kind(),
            LeaseError::WrongMachine => "machine",
            LeaseError::WrongLicense => "license",
            LeaseError::WrongKey => "key_binding",
            LeaseError::Expired(_) => "expired",
        }
    }
}

impl std::fmt::Display for LeaseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LeaseError::Token(e) => write!(f, "invalid lease: {e}"),
            LeaseError::WrongMachine => write!(f, "lease issued to another machine"),
            LeaseError::WrongLicense => write!(f, "lease issued for another license"),
            LeaseError::WrongKey => write!(f, "lease bound to another install's key"),
            LeaseError::Expired(l) => write!(f, "lease expired at {} (Unix time)", l.expires_at),
        }
    }
}

impl std::error::Error for LeaseError {}

impl From<TokenError> for LeaseError {
    fn from(e: TokenError) -> Self {
        LeaseError::Token(e)
    }
}

/// Checks that a lease is bound (`cnf.jkt`) to the install key with thumbprint `install_jkt`: what an
/// activation with a proof must answer. An unbound lease is refused too (a service that dropped the proof).
pub fn check_binding(lease: &Lease, install_jkt: &str) -> Result<(), LeaseError> {
    if lease.jkt.as_deref() == Some(install_jkt) {
        Ok(())
    } else {
        Err(LeaseError::WrongKey)
    }
}

/// Verifies a lease offline as of `now` (Unix seconds): EdDSA signature by a key of `jwks`, `typ`
/// `lease+jwt`, issuer, audience = the app's product, every claim, bound to `license_id` and `machine_id`,
/// then `exp` (with [`LEEWAY_SECS`]).
pub fn verify_lease(
    lease: &str,
    jwks: &Jwks,
    expect: &Expect,
    license_id: &str,
    machine_id: &str,
    now: u64,
) -> Result<Lease, LeaseError> {
    let claims = token::verify_jwt(lease.trim(), jwks, "lease+jwt", &expect.issuer, expect.product.id())?;
    let lease = Lease {
        license_id: string_claim(&claims, "sub")?,
        product: expect.product,
        machine_id: string_claim(&claims, "machine")?,
        tier: Tier::from_claim(&string_claim(&claims, "tier")?).ok_or_else(|| TokenError::Claims("tier".into()))?,
        issued_at: time_claim(&claims, "iat")?,
        expires_at: time_claim(&claims, "exp")?,
        jkt: match claims.get("cnf") {
            None => None,
            Some(cnf) => Some(cnf.get("jkt").and_then(|j| j.as_str()).ok_or_else(|| TokenError::Claims("cnf".into()))?.to_owned()),
        },
    };
    if lease.machine_id != machine_id {
        return Err(LeaseError::WrongMachine);
    }
    if lease.license_id != license_id {
        return Err(LeaseError::WrongLicense);
    }
    if now > lease.expires_at.saturating_add(LEEWAY_SECS) {
        return Err(LeaseError::Expired(lease));
    }
    Ok(lease)
}
