//! Every key and lease of tests/vectors.json (written by the service's own signing code, see
//! `npm run vectors:rust`) gets the verdict the service's verifier gives it.

use maximus_license::{verify_key, verify_lease, Expect, Jwks, KeyError, LeaseError, Product};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("vectors.json")).expect("vectors.json is JSON")
}

fn setup(v: &Value) -> (Jwks, String, u64) {
    let jwks = Jwks::from_json(&v["jwks"].to_string()).expect("the JWKS loads");
    (jwks, v["issuer"].as_str().unwrap().to_owned(), v["now"].as_u64().unwrap())
}

fn expect_for(issuer: &str, case: &Value) -> Expect {
    Expect { issuer: issuer.to_owned(), product: Product::from_id(case["product"].as_str().unwrap()).unwrap() }
}

#[test]
fn keys_get_the_services_verdict() {
    let v = vectors();
    let (jwks, issuer, now) = setup(&v);
    let cases = v["keys"].as_array().unwrap();
    assert!(cases.len() > 15);
    for case in cases {
        let got = match verify_key(case["key"].as_str().unwrap(), &jwks, &expect_for(&issuer, case), now) {
            Ok(license) => {
                assert!(!license.id.is_empty() && license.expires_at > 0);
                "valid"
            }
            Err(KeyError::Expired(license)) => {
                assert!(license.expires_at < now, "{}: expired carries the authentic claims", case["name"]);
                "expired"
            }
            Err(e) => e.kind(),
        };
        assert_eq!(got, case["expect"].as_str().unwrap(), "key vector {:?}", case["name"]);
    }
}

#[test]
fn leases_get_the_services_verdict() {
    let v = vectors();
    let (jwks, issuer, now) = setup(&v);
    for case in v["leases"].as_array().unwrap() {
        let result = verify_lease(
            case["lease"].as_str().unwrap(),
            &jwks,
            &expect_for(&issuer, case),
            case["license_id"].as_str().unwrap(),
            case["machine_id"].as_str().unwrap(),
            now,
        );
        let got = match result {
            Ok(lease) => {
                assert_eq!(lease.machine_id, case["machine_id"].as_str().unwrap());
                "valid"
            }
            Err(LeaseError::Expired(_)) => "expired",
            Err(e) => e.kind(),
        };
        assert_eq!(got, case["expect"].as_str().unwrap(), "lease vector {:?}", case["name"]);
    }
}

#[test]
fn a_valid_key_reads_as_its_claims() {
    let v = vectors();
    let (jwks, issuer, now) = setup(&v);
    let case = v["keys"].as_array().unwrap().iter().find(|c| c["name"] == "SR premium with email and max_machines").unwrap();
    let license = verify_key(case["key"].as_str().unwrap(), &jwks, &expect_for(&issuer, case), now).unwrap();
    assert_eq!(license.id, "11111111-1111-4111-8111-111111111111");
    assert_eq!(license.tier, maximus_license::Tier::Premium);
    assert_eq!(license.email.as_deref(), Some("buyer@example.test"));
    assert_eq!(license.max_machines, Some(5));
}

#[test]
fn without_the_signing_key_in_the_jwks_nothing_verifies() {
    let v = vectors();
    let (_, issuer, now) = setup(&v);
    let empty = Jwks::from_json(r#"{"keys":[]}"#).unwrap();
    let case = &v["keys"][0];
    let err = verify_key(case["key"].as_str().unwrap(), &empty, &expect_for(&issuer, case), now).unwrap_err();
    assert_eq!(err.kind(), "unknown_kid");
}

#[test]
fn thumbprints_are_the_services() {
    let v = vectors();
    for case in v["thumbprints"].as_array().unwrap() {
        assert_eq!(maximus_license::dpop::thumbprint(case["jwk"]["x"].as_str().unwrap()), case["jkt"].as_str().unwrap(), "{}", case["name"]);
    }
}

/// RFC 8037 appendix A.1's private key, the install of the proof vectors.
fn rfc8037_install() -> maximus_license::dpop::InstallKey {
    let seed = base64::decode_config("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", base64::URL_SAFE_NO_PAD).unwrap();
    // PKCS#8 v1 of an Ed25519 seed (RFC 8410): a fixed 16-byte prefix, then the 32 bytes.
    let mut pkcs8 = hex::decode("302e020100300506032b657004220420").unwrap();
    pkcs8.extend_from_slice(&seed);
    maximus_license::dpop::InstallKey::from_pkcs8(&pkcs8).unwrap()
}

#[test]
fn the_crates_proof_is_the_services_valid_proof_byte_for_byte() {
    let v = vectors();
    let install = rfc8037_install();
    let valid: Vec<&Value> = v["proofs"].as_array().unwrap().iter().filter(|c| c["expect"] == "valid").collect();
    assert!(valid.len() >= 3);
    for case in valid {
        let proof = case["proof"].as_str().unwrap();
        let claims: Value = serde_json::from_slice(&base64::decode_config(proof.split('.').nth(1).unwrap(), base64::URL_SAFE_NO_PAD).unwrap()).unwrap();
        assert_eq!(install.thumbprint(), case["jkt"].as_str().unwrap());
        if claims["htu"] != case["url"] {
            continue; // a proof the service tolerates (htu with a query) but the crate never sends
        }
        let ours = install.proof_with_jti(case["method"].as_str().unwrap(), case["url"].as_str().unwrap(), claims["iat"].as_u64().unwrap(), claims["jti"].as_str().unwrap());
        assert_eq!(ours, proof, "proof vector {:?}", case["name"]);
    }
}

#[test]
fn bound_leases_are_refused_unless_bound_to_the_install() {
    let v = vectors();
    let (jwks, issuer, now) = setup(&v);
    for case in v["bound_leases"].as_array().unwrap() {
        let lease = verify_lease(case["lease"].as_str().unwrap(), &jwks, &expect_for(&issuer, case), case["license_id"].as_str().unwrap(), case["machine_id"].as_str().unwrap(), now).expect("authentic");
        let got = match maximus_license::check_binding(&lease, case["install_jkt"].as_str().unwrap()) {
            Ok(()) => "valid",
            Err(LeaseError::WrongKey) => "jkt",
            Err(e) => e.kind(),
        };
        assert_eq!(got, case["expect"].as_str().unwrap(), "bound lease vector {:?}", case["name"]);
    }
}
