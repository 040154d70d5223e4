//! The public keys the app trusts: `GET /.well-known/jwks.json`, bundled at build time and refreshed online.

use serde::Deserialize;

/// The Ed25519 public keys of a JWKS, by `kid`. Keys of other types are skipped, not errors, so a JWKS
/// that one day also lists another key type still loads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<(String, [u8; 32])>,
}

/// The JWKS text is not a JSON object with a `keys` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwksError(pub String);

impl std::fmt::Display for JwksError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid JWKS: {}", self.0)
    }
}

impl std::error::Error for JwksError {}

#[derive(Deserialize)]
struct RawJwks {
    keys: Vec<RawJwk>,
}

#[derive(Deserialize)]
struct RawJwk {
    kty: Option<String>,
    crv: Option<String>,
    x: Option<String>,
    kid: Option<String>,
}

impl Jwks {
    /// Parses a JWKS document (`{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…}]}`).
    pub fn from_json(json: &str) -> Result<Jwks, JwksError> {
        let raw: RawJwks = serde_json::from_str(json).map_err(|e| JwksError(e.to_string()))?;
        let keys = raw
            .keys
            .into_iter()
            .filter(|k| k.kty.as_deref() == Some("OKP") && k.crv.as_deref() == Some("Ed25519"))
            .filter_map(|k| Some((k.kid?, decode_x(k.x.as_deref()?)?)))
            .collect();
        Ok(Jwks { keys })
    }

    /// The public key registered under `kid`.
    pub fn find(&self, kid: &str) -> Option<&[u8; 32]> {
        self.keys.iter().find(|(k, _)| k == kid).map(|(_, x)| x)
    }

    /// How many Ed25519 keys this JWKS holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when it holds no Ed25519 key (nothing will verify).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn decode_x(x: &str) -> Option<[u8; 32]> {
    let bytes = crate::token::b64url(x)?;
    bytes.try_into().ok()
}
