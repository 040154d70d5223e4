//! The install's key and its proofs of possession (DPoP, RFC 9449): the seat this install activates is
//! bound to the RFC 7638 thumbprint of an Ed25519 key created here once, and every
//! activate/validate/deactivate carries a fresh proof signed with it, so a copied machine id alone no
//! longer holds the seat.

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The request header carrying the proof.
pub const DPOP_HEADER: &str = "DPoP";

fn b64(bytes: &[u8]) -> String {
    base64::encode_config(bytes, base64::URL_SAFE_NO_PAD)
}

/// RFC 7638 thumbprint of an Ed25519 public key (`x`, base64url): SHA-256 over the required members in
/// lexicographic order without spaces, base64url without padding.
pub fn thumbprint(x: &str) -> String {
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    b64(&Sha256::digest(canonical.as_bytes()))
}

/// `htu`: the URL without its query and fragment (RFC 9449 §4.2).
pub fn htu(url: &str) -> &str {
    let end = url.find(|c| c == '?' || c == '#').unwrap_or(url.len());
    &url[..end]
}

/// The install's Ed25519 key pair, kept as PKCS#8 by the store.
pub struct InstallKey {
    pair: Ed25519KeyPair,
    pkcs8: Vec<u8>,
}

/// The saved key could not be read back, or the system has no randomness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstallKeyError;

impl std::fmt::Debug for InstallKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "InstallKey({})", self.thumbprint()) // never the private key
    }
}

impl InstallKey {
    /// A new key pair from the system's randomness.
    pub fn generate() -> Result<InstallKey, InstallKeyError> {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).map_err(|_| InstallKeyError)?;
        InstallKey::from_pkcs8(pkcs8.as_ref())
    }

    /// The key saved earlier ([`InstallKey::pkcs8`]).
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<InstallKey, InstallKeyError> {
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8).map_err(|_| InstallKeyError)?;
        Ok(InstallKey { pair, pkcs8: pkcs8.to_vec() })
    }

    /// The PKCS#8 document to store (it holds the private key).
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The public key, base64url (`x` of the JWK).
    pub fn x(&self) -> String {
        b64(self.pair.public_key().as_ref())
    }

    /// The RFC 7638 thumbprint (`jkt`) the server binds the seat to.
    pub fn thumbprint(&self) -> String {
        thumbprint(&self.x())
    }

    /// A proof for one request: `htm` = `method`, `htu` = `url` without query and fragment, `iat` = `now`,
    /// a random 128-bit `jti`.
    pub fn proof(&self, method: &str, url: &str, now: u64) -> Result<String, InstallKeyError> {
        let mut jti = [0u8; 16];
        SystemRandom::new().fill(&mut jti).map_err(|_| InstallKeyError)?;
        Ok(self.proof_with_jti(method, url, now, &b64(&jti)))
    }

    /// [`InstallKey::proof`] with a given `jti` (tests).
    pub fn proof_with_jti(&self, method: &str, url: &str, now: u64, jti: &str) -> String {
        // Written out in the order of RFC 9449's examples (the service's own proofs, byte for byte).
        let text = |s: &str| Value::String(s.to_owned()).to_string();
        let header = format!(r#"{{"typ":"dpop+jwt","alg":"EdDSA","jwk":{{"kty":"OKP","crv":"Ed25519","x":"{}"}}}}"#, self.x());
        let claims = format!(r#"{{"jti":{},"htm":{},"htu":{},"iat":{now}}}"#, text(jti), text(method), text(htu(url)));
        let input = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
        let signature = self.pair.sign(input.as_bytes());
        format!("{input}.{}", b64(signature.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{UnparsedPublicKey, ED25519};
    use serde_json::json;

    fn part(token: &str, i: usize) -> Vec<u8> {
        base64::decode_config(token.split('.').nth(i).unwrap(), base64::URL_SAFE_NO_PAD).unwrap()
    }

    #[test]
    fn thumbprint_of_rfc_8037_appendix_a_3() {
        assert_eq!(thumbprint("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    #[test]
    fn a_proof_is_a_dpop_jwt_signed_by_the_install_key() {
        let key = InstallKey::generate().unwrap();
        let proof = key.proof("POST", "http://127.0.0.1:8787/licenses/validate?x=1#f", 1_800_000_000).unwrap();
        let header: Value = serde_json::from_slice(&part(&proof, 0)).unwrap();
        assert_eq!(header, json!({"typ":"dpop+jwt","alg":"EdDSA","jwk":{"kty":"OKP","crv":"Ed25519","x":key.x()}}));
        let claims: Value = serde_json::from_slice(&part(&proof, 1)).unwrap();
        assert_eq!(claims["htm"], "POST");
        assert_eq!(claims["htu"], "http://127.0.0.1:8787/licenses/validate");
        assert_eq!(claims["iat"], 1_800_000_000u64);
        assert_eq!(claims["jti"].as_str().unwrap().len(), 22);
        let input = proof.rsplitn(2, '.').nth(1).unwrap();
        let public = base64::decode_config(key.x(), base64::URL_SAFE_NO_PAD).unwrap();
        UnparsedPublicKey::new(&ED25519, public).verify(input.as_bytes(), &part(&proof, 2)).unwrap();
        // Every proof has its own jti.
        let other: Value = serde_json::from_slice(&part(&key.proof("POST", "http://h/p", 1).unwrap(), 1)).unwrap();
        assert_ne!(other["jti"], claims["jti"]);
    }

    #[test]
    fn the_stored_key_reads_back_as_the_same_key() {
        let key = InstallKey::generate().unwrap();
        let again = InstallKey::from_pkcs8(key.pkcs8()).unwrap();
        assert_eq!(again.thumbprint(), key.thumbprint());
        // ring's PKCS#8 v2 ends with the public key (.ci/rust.sh reads `x` from there).
        assert_eq!(b64(&key.pkcs8()[key.pkcs8().len() - 32..]), key.x());
        assert!(InstallKey::from_pkcs8(b"not a key").is_err());
        assert!(!format!("{key:?}").contains(&b64(key.pkcs8())));
    }
}
