//! Against a running maximus-api (`MAXIMUS_API_URL`, e.g. `npm run dev`): generate → activate → validate →
//! the lease verifies offline → deactivate, and a Stripe refund (`npm run stripe:send`) seen by validate.
//! Skipped, with a note, when MAXIMUS_API_URL is not set. `.ci/rust.sh` starts a server and sets it.

use maximus_license::{
    verify_key, verify_lease, ApiError, BlockReason, Client, Decision, Expect, MachineInfo, OfflinePolicy,
    ProblemCode, Product, StoredState, ValidateCode, unix_now,
};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn service() -> Option<String> {
    let url = std::env::var("MAXIMUS_API_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("note: MAXIMUS_API_URL is not set; skipping the tests against a running maximus-api");
    }
    url
}

fn expect() -> Expect {
    let issuer = std::env::var("MAXIMUS_ISSUER").unwrap_or_else(|_| "https://api.maximus.example".into());
    Expect { issuer, product: Product::SimplResultat }
}

fn unique(tag: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{tag}-{nanos:x}-{}", std::process::id())
}

/// `POST /licenses/generate` with the internal key of .dev.vars.example (MAXIMUS_INTERNAL_KEY overrides).
fn generate(url: &str, email: &str) -> Value {
    let internal = std::env::var("MAXIMUS_INTERNAL_KEY").unwrap_or_else(|_| "dev-only-internal-key".into());
    let body = json!({ "email": email, "product": "simpl-resultat", "tier": "premium", "duration_days": 30 });
    let response = ureq::post(&format!("{url}/licenses/generate"))
        .set("authorization", &format!("Bearer {internal}"))
        .set("content-type", "application/json")
        .send_string(&body.to_string())
        .expect("generate answers 201");
    assert_eq!(response.status(), 201);
    serde_json::from_str(&response.into_string().unwrap()).unwrap()
}

#[test]
fn generate_activate_validate_lease_offline_then_deactivate() {
    let url = match service() {
        Some(url) => url,
        None => return,
    };
    let client = Client::new(&url);
    let jwks = client.jwks().expect("the JWKS loads");
    let generated = generate(&url, &format!("{}@example.test", unique("rust")));
    let key = generated["key"].as_str().unwrap();

    let license = verify_key(key, &jwks, &expect(), unix_now()).expect("a generated key verifies offline");
    assert_eq!(license.id, generated["id"].as_str().unwrap());

    let machine = format!("{:0>32}", unique("m"));
    let info = MachineInfo { name: Some("ci".into()), platform: Some("linux".into()), app_version: Some("1.0.0".into()) };
    let activation = client.activate(key, &machine, &info).expect("activate");
    assert_eq!(activation.activation.machine_id, machine);
    let lease = verify_lease(&activation.lease, &jwks, &expect(), &license.id, &machine, unix_now())
        .expect("the lease verifies offline");
    assert!(lease.expires_at > unix_now());
    assert!(verify_lease(&activation.lease, &jwks, &expect(), &license.id, "another-machine-000000", unix_now()).is_err());

    let validation = client.validate(&activation.key, Some(&machine)).expect("validate");
    assert_eq!(validation.code, ValidateCode::Valid);
    let fresh = validation.lease.clone().expect("a fresh lease");
    let fresh = verify_lease(&fresh, &jwks, &expect(), &license.id, &machine, unix_now()).unwrap();
    let state = StoredState::new(Some(fresh));
    assert!(matches!(OfflinePolicy::default().decide(&state, unix_now(), Some(validation.answer())), Decision::Allow { .. }));

    client.deactivate(key, &machine).expect("deactivate");
    let after = client.validate(key, Some(&machine)).expect("validate after deactivate");
    assert_eq!(after.code, ValidateCode::NotActivated);
    assert!(after.lease.is_none());
}

#[test]
fn bad_requests_come_back_as_typed_problems() {
    let url = match service() {
        Some(url) => url,
        None => return,
    };
    let client = Client::new(&url);
    let forged = "SR-BASE-eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln";
    match client.activate(forged, "machine-0123456789abcdef", &MachineInfo::default()) {
        Err(ApiError::Problem { status: 401, code: ProblemCode::InvalidLicense, .. }) => {}
        other => panic!("a forged key: {other:?}"),
    }
    match client.deactivate(forged, "short") {
        Err(ApiError::Problem { status: 422, code: ProblemCode::ValidationFailed, .. }) => {}
        other => panic!("a short machine id: {other:?}"),
    }
    assert_eq!(client.validate(forged, None).unwrap().code, ValidateCode::Invalid);
    assert!(matches!(Client::new("http://127.0.0.1:9").validate(forged, None), Err(ApiError::Transport { .. })));
}

/// The real refund path: a purchase and a full refund played by `npm run stripe:send` against the server.
#[test]
fn a_stripe_refund_revokes_and_validate_says_so() {
    let url = match service() {
        Some(url) => url,
        None => return,
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if !repo.join("scripts/stripe-send.mjs").exists() {
        eprintln!("note: scripts/stripe-send.mjs not found; skipping the refund test");
        return;
    }
    let stripe_send = |args: &[&str]| -> String {
        let out = Command::new("npm")
            .current_dir(&repo)
            .args(["run", "-s", "stripe:send", "--"])
            .args(args)
            .args(["--url", &url])
            .output()
            .expect("npm runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "stripe:send {args:?} failed: {text}{}", String::from_utf8_lossy(&out.stderr));
        text
    };
    let email = format!("{}@example.test", unique("rust-refund"));
    let purchase = stripe_send(&["purchase", "--email", &email]);
    let key = purchase
        .lines()
        .find_map(|l| l.strip_prefix("key: "))
        .expect("stripe:send purchase prints the key")
        .trim()
        .to_owned();

    let client = Client::new(&url);
    let jwks = client.jwks().unwrap();
    let license = verify_key(&key, &jwks, &expect(), unix_now()).expect("the purchased key verifies offline");
    let machine = format!("{:0>32}", unique("r"));
    let activation = client.activate(&key, &machine, &MachineInfo::default()).expect("activate");
    let lease = verify_lease(&activation.lease, &jwks, &expect(), &license.id, &machine, unix_now()).unwrap();

    stripe_send(&["refund"]);
    let validation = client.validate(&key, Some(&machine)).expect("validate");
    assert_eq!(validation.code, ValidateCode::Revoked);
    assert!(validation.lease.is_none() && validation.key.is_none());
    // The still-unexpired lease does not outvote the server.
    let state = StoredState::new(Some(lease));
    assert_eq!(
        OfflinePolicy::default().decide(&state, unix_now(), Some(validation.answer())),
        Decision::Block(BlockReason::Revoked)
    );
    match client.activate(&key, &machine, &MachineInfo::default()) {
        Err(ApiError::Problem { status: 403, code: ProblemCode::LicenseRevoked, .. }) => {}
        other => panic!("activate after the refund: {other:?}"),
    }
}

/// A lost key: `recover` is accepted (202) for a buyer and for an address that bought nothing alike; the
/// buyer's recovery email shows up in the server's log (`.ci/rust.sh` keeps it as `$DEV_DATA_DIR/dev.log`).
#[test]
fn recover_is_accepted_alike_and_emails_the_buyer() {
    let url = match service() {
        Some(url) => url,
        None => return,
    };
    let client = Client::new(&url);
    let email = format!("{}@example.test", unique("rust-recover"));
    let generated = generate(&url, &email);
    client.recover(&format!("  {}  ", email.to_uppercase())).expect("recover answers 202 for a buyer");
    client.recover(&format!("{}@example.test", unique("nobody"))).expect("and 202 for an unknown address");
    match client.recover("not-an-address") {
        Err(ApiError::Problem { status: 422, code: ProblemCode::ValidationFailed, .. }) => {}
        other => panic!("a malformed address: {other:?}"),
    }

    let log = match std::env::var("DEV_DATA_DIR") {
        Ok(dir) if Path::new(&dir).join("dev.log").exists() => Path::new(&dir).join("dev.log"),
        _ => return eprintln!("note: no dev.log beside DEV_DATA_DIR; not checking the recovery email"),
    };
    let key = generated["key"].as_str().unwrap();
    for _ in 0..100 {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.lines().any(|l| l.contains("Your Maximus license keys") && l.contains(&email) && l.contains(key)) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no recovery email with the key for {email} in {}", log.display());
}
