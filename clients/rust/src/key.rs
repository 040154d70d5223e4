//! License keys: `<SR|SL>-<BASE|PREMIUM>-<JWT>` (docs/verifying-licenses.md, rules 1–4).

use crate::jwks::Jwks;
use crate::token::{self, string_claim, time_claim, TokenError};
use serde::{Deserialize, Serialize};

/// Seconds of leeway on `exp`: the user's clock is not the server's.
pub const LEEWAY_SECS: u64 = 60;

/// The products this service sells licenses for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    /// `simpl-resultat`, key prefix `SR`.
    SimplResultat,
    /// `simpl-liste`, key prefix `SL`.
    SimplListe,
}

impl Product {
    /// The product id (`aud` of keys and leases).
    pub fn id(self) -> &'static str {
        match self {
            Product::SimplResultat => "simpl-resultat",
            Product::SimplListe => "simpl-liste",
        }
    }

    /// The key prefix (`SR`, `SL`).
    pub fn prefix(self) -> &'static str {
        match self {
            Product::SimplResultat => "SR",
            Product::SimplListe => "SL",
        }
    }

    /// The product of a product id.
    pub fn from_id(id: &str) -> Option<Product> {
        [Product::SimplResultat, Product::SimplListe].into_iter().find(|p| p.id() == id)
    }

    fn from_prefix(prefix: &str) -> Option<Product> {
        [Product::SimplResultat, Product::SimplListe].into_iter().find(|p| p.prefix() == prefix)
    }
}

/// A license tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// `base` (`BASE` in the key).
    Base,
    /// `premium` (`PREMIUM` in the key).
    Premium,
}

impl Tier {
    pub(crate) fn from_claim(s: &str) -> Option<Tier> {
        match s {
            "base" => Some(Tier::Base),
            "premium" => Some(Tier::Premium),
            _ => None,
        }
    }

    fn from_label(s: &str) -> Option<Tier> {
        match s {
            "BASE" => Some(Tier::Base),
            "PREMIUM" => Some(Tier::Premium),
            _ => None,
        }
    }
}

/// What the app expects of every token: this service's issuer and the app's own product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expect {
    /// `LICENSE_ISSUER` of the service, `https://api.maximus.example` in production.
    pub issuer: String,
    /// The app's product.
    pub product: Product,
}

/// The claims of an authentic license key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// License id (`sub`): what a lease is bound to.
    pub id: String,
    /// Product (`aud`).
    pub product: Product,
    /// Tier (`tier`), equal to the key's label.
    pub tier: Tier,
    /// Issued at, Unix seconds.
    pub issued_at: u64,
    /// Expires at, Unix seconds (the paid period plus the grace days).
    pub expires_at: u64,
    /// Token id (`jti`).
    pub token_id: String,
    /// The buyer's email, when the key carries it.
    pub email: Option<String>,
    /// This license's own machine limit, when it overrides the service's default.
    pub max_machines: Option<u64>,
}

/// Why a license key was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyError {
    /// Not `<SR|SL>-<BASE|PREMIUM>-<JWT>`: ask the user for the key again.
    Format,
    /// A well-formed key of another product.
    WrongProduct(Product),
    /// The JWT inside failed a signature or claim check.
    Token(TokenError),
    /// The key's label says one tier, its signed `tier` claim another.
    TierMismatch,
    /// Authentic, but past `exp`: not a forgery. Ask the server (a renewal gives a newer key).
    Expired(License),
}

impl KeyError {
    /// A short, stable name for the failure (the `expect` strings of `tests/vectors.json`).
    pub fn kind(&self) -> &'static str {
        match self {
            KeyError::Format => "format",
            KeyError::WrongProduct(_) => "product",
            KeyError::Token(e) => e.kind(),
            KeyError::TierMismatch => "tier",
            KeyError::Expired(_) => "expired",
        }
    }
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyError::Format => write!(f, "not a license key"),
            KeyError::WrongProduct(p) => write!(f, "a license key for {}", p.id()),
            KeyError::Token(e) => write!(f, "invalid license key: {e}"),
            KeyError::TierMismatch => write!(f, "invalid license key: its label and its tier disagree"),
            KeyError::Expired(l) => write!(f, "license key expired at {} (Unix time)", l.expires_at),
        }
    }
}

impl std::error::Error for KeyError {}

impl From<TokenError> for KeyError {
    fn from(e: TokenError) -> Self {
        KeyError::Token(e)
    }
}

/// Verifies a license key offline as of `now` (Unix seconds): format, product prefix, EdDSA signature by a
/// key of `jwks`, `typ` `JWT`, issuer, audience, every required claim, tier label = `tier` claim, then `exp`
/// (with [`LEEWAY_SECS`]).
pub fn verify_key(key: &str, jwks: &Jwks, expect: &Expect, now: u64) -> Result<License, KeyError> {
    let mut parts = key.trim().splitn(3, '-');
    let (prefix, label, jwt) = match (parts.next(), parts.next(), parts.next()) {
        (Some(p), Some(l), Some(j)) => (p, l, j),
        _ => return Err(KeyError::Format),
    };
    let product = Product::from_prefix(prefix).ok_or(KeyError::Format)?;
    let label = Tier::from_label(label).ok_or(KeyError::Format)?;
    let well_formed = jwt.split('.').count() == 3 && jwt.split('.').all(|p| !p.is_empty() && token::b64url(p).is_some());
    if !well_formed {
        return Err(KeyError::Format);
    }
    if product != expect.product {
        return Err(KeyError::WrongProduct(product));
    }
    let claims = token::verify_jwt(jwt, jwks, "JWT", &expect.issuer, product.id())?;
    let tier = Tier::from_claim(&string_claim(&claims, "tier")?).ok_or_else(|| TokenError::Claims("tier".into()))?;
    let license = License {
        id: string_claim(&claims, "sub")?,
        product,
        tier,
        issued_at: time_claim(&claims, "iat")?,
        expires_at: time_claim(&claims, "exp")?,
        token_id: string_claim(&claims, "jti")?,
        email: optional(&claims, "email", |v| v.as_str().map(str::to_owned))?,
        max_machines: optional(&claims, "max_machines", serde_json::Value::as_u64)?,
    };
    if license.tier != label {
        return Err(KeyError::TierMismatch);
    }
    if now > license.expires_at.saturating_add(LEEWAY_SECS) {
        return Err(KeyError::Expired(license));
    }
    Ok(license)
}

fn optional<T>(
    claims: &serde_json::Map<String, serde_json::Value>,
    name: &'static str,
    read: impl Fn(&serde_json::Value) -> Option<T>,
) -> Result<Option<T>, TokenError> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => read(v).map(Some).ok_or_else(|| TokenError::Claims(name.into())),
    }
}
