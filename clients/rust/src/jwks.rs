//! The public keys the app trusts: `GET /.well-known/jwks.json`, bundled at build time and refreshed online.
//!
//! The bundled set is the file named by `MAXIMUS_BUNDLED_JWKS` when the crate is built (the app's release
//! build points it at the production `/.well-known/jwks.json`), else `jwks/bundled.json` (no keys: the
//! first check fetches them). A key or lease naming a `kid` the set lacks makes the manager fetch it once.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The Ed25519 public keys of a JWKS, by `kid`. Keys of other types are skipped, not errors, so a JWKS
/// that one day also lists another key type still loads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jwks {
    keys: Vec<(String, [u8; 32])>,
}

/// The JWKS text is not a JSON object with a `keys` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// The JWKS bundled at build time (see the module's documentation).
    pub fn bundled() -> Jwks {
        Jwks::from_json(include_str!(concat!(env!("OUT_DIR"), "/bundled-jwks.json"))).unwrap_or_default()
    }

    /// The key ids, in order.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(kid, _)| kid.as_str())
    }

    /// Parses a JWKS document (`{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…}]}`).
    pub fn from_json(json: &str) -> Result<Jwks, JwksError> {
        let raw: RawJwks = serde_json::from_str(json).map_err(|e| JwksError(e.to_string()))?;
        Ok(Jwks::from_raw(raw))
    }

    fn from_raw(raw: RawJwks) -> Jwks {
        let keys = raw
            .keys
            .into_iter()
            .filter(|k| k.kty.as_deref() == Some("OKP") && k.crv.as_deref() == Some("Ed25519"))
            .filter_map(|k| Some((k.kid?, decode_x(k.x.as_deref()?)?)))
            .collect();
        Jwks { keys }
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

/// Serializes as a JWKS document, the shape [`Jwks::from_json`] reads.
impl Serialize for Jwks {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let keys: Vec<_> = self
            .keys
            .iter()
            .map(|(kid, x)| {
                serde_json::json!({
                    "kty": "OKP", "crv": "Ed25519", "kid": kid, "alg": "EdDSA", "use": "sig",
                    "x": base64::encode_config(x, base64::URL_SAFE_NO_PAD),
                })
            })
            .collect();
        serde_json::json!({ "keys": keys }).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Jwks {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RawJwks::deserialize(d).map(Jwks::from_raw)
    }
}

fn decode_x(x: &str) -> Option<[u8; 32]> {
    let bytes = crate::token::b64url(x)?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwks_serializes_as_the_document_it_was_read_from() {
        let text = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"FDjTyKkg8WJ1wJtaYWQttrVZ1wUAzBnbyx3EOCvmums","kid":"dev"},{"kty":"EC","crv":"P-256","kid":"other"}]}"#;
        let jwks = Jwks::from_json(text).unwrap();
        assert_eq!(jwks.kids().collect::<Vec<_>>(), ["dev"]);
        let again: Jwks = serde_json::from_str(&serde_json::to_string(&jwks).unwrap()).unwrap();
        assert_eq!(again, jwks);
    }

    #[test]
    fn the_bundled_jwks_is_a_jwks() {
        let text = include_str!(concat!(env!("OUT_DIR"), "/bundled-jwks.json"));
        assert!(Jwks::from_json(text).is_ok(), "MAXIMUS_BUNDLED_JWKS or jwks/bundled.json is not a JWKS: {text}");
    }
}
