//! The checks keys and leases share: compact JWT, EdDSA only, `typ`, `kid`, signature, `iss`, `aud`.

use crate::jwks::Jwks;
use ring::signature::{UnparsedPublicKey, ED25519};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Why a JWT (inside a key, or a lease) was rejected before any key- or lease-specific rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenError {
    /// Not three base64url parts, or a header/payload that is not a JSON object.
    Malformed,
    /// The header's `alg` is not `EdDSA` (e.g. `none`, `HS256`); the token's header never picks the algorithm.
    Algorithm(String),
    /// The header's `typ` is not the expected one (a lease passed off as a key, or the reverse).
    Type(Option<String>),
    /// No `kid`, or a `kid` the JWKS does not list (refresh the JWKS once if online).
    UnknownKid(Option<String>),
    /// The signature does not verify with the key named by `kid`.
    Signature,
    /// `iss` is not the expected issuer.
    Issuer,
    /// `aud` is not the expected product.
    Audience,
    /// A required claim is missing or has the wrong type; names the claim.
    Claims(String),
}

impl TokenError {
    /// A short, stable name for the failure (the `expect` strings of `tests/vectors.json`).
    pub fn kind(&self) -> &'static str {
        match self {
            TokenError::Malformed => "format",
            TokenError::Algorithm(_) => "algorithm",
            TokenError::Type(_) => "type",
            TokenError::UnknownKid(_) => "unknown_kid",
            TokenError::Signature => "signature",
            TokenError::Issuer => "issuer",
            TokenError::Audience => "audience",
            TokenError::Claims(_) => "claims",
        }
    }
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Malformed => write!(f, "not a well-formed JWT"),
            TokenError::Algorithm(alg) => write!(f, "algorithm {alg:?} is not accepted (EdDSA only)"),
            TokenError::Type(typ) => write!(f, "unexpected token type {typ:?}"),
            TokenError::UnknownKid(kid) => write!(f, "signing key {kid:?} is not in the JWKS"),
            TokenError::Signature => write!(f, "signature does not verify"),
            TokenError::Issuer => write!(f, "wrong issuer"),
            TokenError::Audience => write!(f, "issued for another product"),
            TokenError::Claims(name) => write!(f, "claim {name:?} missing or malformed"),
        }
    }
}

impl std::error::Error for TokenError {}

pub(crate) fn b64url(s: &str) -> Option<Vec<u8>> {
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return None;
    }
    base64::decode_config(s, base64::URL_SAFE_NO_PAD).ok()
}

fn json_object(part: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = b64url(part).ok_or(TokenError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(TokenError::Malformed),
    }
}

/// Verifies everything but `exp` and the token-specific claims; returns the authentic payload.
pub(crate) fn verify_jwt(
    jwt: &str,
    jwks: &Jwks,
    typ: &str,
    issuer: &str,
    audience: &str,
) -> Result<Map<String, Value>, TokenError> {
    let mut parts = jwt.split('.');
    let (header_b64, payload, signature) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => (h, p, s),
        _ => return Err(TokenError::Malformed),
    };
    let header = json_object(header_b64)?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or_default();
    if alg != "EdDSA" {
        return Err(TokenError::Algorithm(alg.to_owned()));
    }
    let found_typ = header.get("typ").and_then(Value::as_str);
    if found_typ != Some(typ) {
        return Err(TokenError::Type(found_typ.map(str::to_owned)));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let public_key = kid
        .and_then(|kid| jwks.find(kid))
        .ok_or_else(|| TokenError::UnknownKid(kid.map(str::to_owned)))?;
    let signature = b64url(signature).ok_or(TokenError::Signature)?;
    // The signature covers `<header>.<payload>` exactly as sent.
    let signing_input = &jwt[..header_b64.len() + 1 + payload.len()];
    UnparsedPublicKey::new(&ED25519, public_key)
        .verify(signing_input.as_bytes(), &signature)
        .map_err(|_| TokenError::Signature)?;

    let claims = json_object(payload)?;
    if claims.get("iss").and_then(Value::as_str) != Some(issuer) {
        return Err(if claims.contains_key("iss") { TokenError::Issuer } else { TokenError::Claims("iss".into()) });
    }
    if claims.get("aud").and_then(Value::as_str) != Some(audience) {
        return Err(if claims.contains_key("aud") { TokenError::Audience } else { TokenError::Claims("aud".into()) });
    }
    Ok(claims)
}

pub(crate) fn string_claim(claims: &Map<String, Value>, name: &'static str) -> Result<String, TokenError> {
    match claims.get(name).and_then(Value::as_str) {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        _ => Err(TokenError::Claims(name.into())),
    }
}

pub(crate) fn time_claim(claims: &Map<String, Value>, name: &'static str) -> Result<u64, TokenError> {
    claims.get(name).and_then(Value::as_u64).ok_or_else(|| TokenError::Claims(name.into()))
}
