//! The manager's life without a network: a fake service behind the `Transport` seam signs real Ed25519
//! keys and leases (the crate's own verifier checks them), answers validate as told, and counts requests.
//! Each "run" builds a new manager over the same FileStore folder, as an app restart would.

use maximus_license::protocol::{Request, Response};
use maximus_license::{
    Access, ApiError, BlockReason, Clock, Config, Describe, Expect, FileStore, Jwks, KeyError, Lang, LicenseManager,
    ManagerError, MemoryStore, ProblemCode, Product, SavedState, Status, Store, Tier, Transport, TransportError,
};
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

const ISSUER: &str = "https://api.maximus.example";
const MACHINE: &str = "machine-0123456789abcdef";
const LICENSE: &str = "lic_manager_test";
const T0: u64 = 1_800_000_000;
const HOUR: u64 = 3_600;
const DAY: u64 = 86_400;

fn b64(bytes: &[u8]) -> String {
    base64::encode_config(bytes, base64::URL_SAFE_NO_PAD)
}

/// How the fake answers `validate`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Valid,
    Revoked,
    Down,
    RateLimited(u64),
    SeatsTaken,
}

struct Fake {
    /// The server's clock (its `iat`s), independent of the clock the app sees.
    server_now: u64,
    mode: Mode,
    /// The kid that signs now; the JWKS lists every kid in `published`.
    signing: String,
    published: Vec<String>,
    requests: Vec<String>,
    /// The thumbprint the seat is bound to (set by an activation with a valid proof).
    bound: Option<String>,
    /// A lease bound to this thumbprint instead of the seat's (a wrong or hostile answer).
    lease_jkt: Option<String>,
    /// Every proof received: (method, path, its claims, its key's thumbprint).
    proofs: Vec<(String, String, Value, String)>,
}

/// RFC 7638 for an Ed25519 JWK, written out here so the crate's own code is not what checks it.
fn jkt_of(x: &str) -> String {
    use sha2::Digest;
    b64(&sha2::Sha256::digest(format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#).as_bytes()))
}

/// Checks a DPoP proof as the service does (RFC 9449 §4.3, but the clock): its key's thumbprint and claims.
fn check_proof(request: &Request) -> Option<(Value, String)> {
    let proof = request.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("dpop")).map(|(_, v)| v.clone())?;
    let parts: Vec<&str> = proof.split('.').collect();
    let decode = |s: &str| base64::decode_config(s, base64::URL_SAFE_NO_PAD).unwrap();
    let header: Value = serde_json::from_slice(&decode(parts[0])).unwrap();
    assert_eq!((header["typ"].as_str(), header["alg"].as_str()), (Some("dpop+jwt"), Some("EdDSA")));
    assert_eq!(header["jwk"].as_object().unwrap().len(), 3, "kty, crv, x: no private key");
    let x = header["jwk"]["x"].as_str().unwrap();
    let public = ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, decode(x));
    public.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &decode(parts[2])).ok()?;
    let claims: Value = serde_json::from_slice(&decode(parts[1])).unwrap();
    let htu = request.url.split(['?', '#'].as_ref()).next().unwrap();
    (claims["htm"] == request.method.as_str() && claims["htu"] == htu).then(|| (claims, jkt_of(x)))
}

#[derive(Clone)]
struct Service(Arc<Mutex<Fake>>);

fn pair(kid: &str) -> Ed25519KeyPair {
    let mut seed = [7u8; 32];
    for (i, b) in kid.bytes().enumerate() {
        seed[i % 32] ^= b;
    }
    Ed25519KeyPair::from_seed_unchecked(&seed).unwrap()
}

fn sign(kid: &str, typ: &str, claims: Value) -> String {
    let header = b64(json!({ "alg": "EdDSA", "typ": typ, "kid": kid }).to_string().as_bytes());
    let payload = b64(claims.to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let signature = b64(pair(kid).sign(input.as_bytes()).as_ref());
    format!("{input}.{signature}")
}

impl Service {
    fn new() -> Service {
        Service(Arc::new(Mutex::new(Fake {
            server_now: T0,
            mode: Mode::Valid,
            signing: "k1".into(),
            published: vec!["k1".into()],
            requests: vec![],
            bound: None,
            lease_jkt: None,
            proofs: vec![],
        })))
    }

    fn set(&self, f: impl FnOnce(&mut Fake)) {
        f(&mut self.0.lock().unwrap());
    }

    fn requests(&self) -> Vec<String> {
        self.0.lock().unwrap().requests.clone()
    }

    fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.ends_with(path)).count()
    }

    fn key(&self, product: &str, prefix: &str) -> String {
        let f = self.0.lock().unwrap();
        let claims = json!({ "iss": ISSUER, "sub": LICENSE, "aud": product, "tier": "premium", "iat": f.server_now,
            "exp": f.server_now + 30 * DAY, "jti": format!("jti-{}", f.server_now) });
        format!("{prefix}-PREMIUM-{}", sign(&f.signing, "JWT", claims))
    }

    fn lease(f: &Fake) -> String {
        let mut claims = json!({ "iss": ISSUER, "sub": LICENSE, "aud": "simpl-resultat", "machine": MACHINE, "tier": "premium",
            "iat": f.server_now, "exp": f.server_now + 7 * DAY });
        if let Some(jkt) = f.lease_jkt.as_ref().or(f.bound.as_ref()) {
            claims["cnf"] = json!({ "jkt": jkt });
        }
        sign(&f.signing, "lease+jwt", claims)
    }

    fn answer(&self, request: &Request) -> Result<Response, TransportError> {
        let mut f = self.0.lock().unwrap();
        let path = request.url.trim_start_matches("https://api.test").to_owned();
        f.requests.push(format!("{} {path}", request.method.as_str()));
        let ok = |body: Value| Ok(Response { status: 200, headers: vec![], body: body.to_string() });
        let problem = |status: u16, code: &str, extra: Value| {
            let mut body = json!({ "type": "about:blank", "title": code, "status": status, "detail": code, "code": code });
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            Ok(Response { status, headers: vec![], body: body.to_string() })
        };
        if f.mode == Mode::Down {
            return Err(TransportError { message: "connection refused".into() });
        }
        let license = json!({ "id": LICENSE, "product": "simpl-resultat", "tier": "premium", "status": "active",
            "expires_at": "2027-01-15T08:00:00Z" });
        let proof = check_proof(request);
        if let Some((claims, jkt)) = &proof {
            f.proofs.push((request.method.as_str().to_owned(), path.clone(), claims.clone(), jkt.clone()));
        }
        let proof_jkt = proof.map(|(_, jkt)| jkt);
        if path == "/licenses/activate" && proof_jkt.is_some() && f.mode != Mode::SeatsTaken {
            f.bound = proof_jkt.clone();
        }
        let holds_seat = f.bound.is_none() || f.bound == proof_jkt;
        match path.as_str() {
            "/licenses/validate" if !holds_seat => ok(json!({ "valid": false, "code": "invalid_proof", "license": license })),
            "/licenses/deactivate" if !holds_seat => problem(401, "invalid_proof", json!({})),
            "/.well-known/jwks.json" => {
                let keys: Vec<Value> = f
                    .published
                    .iter()
                    .map(|kid| json!({ "kty": "OKP", "crv": "Ed25519", "kid": kid, "x": b64(pair(kid).public_key().as_ref()) }))
                    .collect();
                ok(json!({ "keys": keys }))
            }
            "/licenses/activate" if f.mode == Mode::SeatsTaken => problem(409, "activation_limit_reached", json!({ "limit": 3 })),
            "/licenses/activate" => ok(json!({ "license": license, "lease": Service::lease(&f), "key": request_key(request),
                "activation": { "machine_id": MACHINE, "activated_at": "2026-12-01T00:00:00Z" } })),
            "/licenses/validate" => match f.mode {
                Mode::Valid => ok(json!({ "valid": true, "code": "valid", "license": license, "lease": Service::lease(&f),
                    "key": request_key(request) })),
                Mode::Revoked => ok(json!({ "valid": false, "code": "revoked", "license": license })),
                Mode::SeatsTaken => ok(json!({ "valid": false, "code": "machine_limit", "license": license })),
                Mode::RateLimited(secs) => {
                    let mut r = problem(429, "rate_limited", json!({})).unwrap();
                    r.headers.push(("Retry-After".into(), secs.to_string()));
                    Ok(r)
                }
                Mode::Down => unreachable!(),
            },
            "/licenses/deactivate" => ok(json!({ "deactivated": true })),
            other => problem(404, "not_found", json!({ "path": other })),
        }
    }
}

fn request_key(request: &Request) -> String {
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap_or("{}")).unwrap();
    body["key"].as_str().unwrap_or_default().to_owned()
}

impl Transport for Service {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.answer(request)
    }
}

fn config() -> Config {
    let mut config = Config::new("https://api.test", Expect { issuer: ISSUER.into(), product: Product::SimplResultat }, MACHINE);
    config.bundled_jwks = Jwks::from_json(r#"{"keys":[]}"#).unwrap();
    config
}

fn state_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    std::env::temp_dir().join(format!("maximus-manager-{tag}-{}-{nanos}", std::process::id()))
}

/// One app run over the folder: a new manager, as after a restart.
fn run(service: &Service, dir: &PathBuf) -> LicenseManager<FileStore, Service> {
    LicenseManager::new(config(), FileStore::new(dir), service.clone())
}

fn at(now: u64, elapsed: u64) -> Clock {
    Clock { now, elapsed }
}

fn blocked(status: &Status) -> Option<BlockReason> {
    match status.decision {
        Access::Allow => None,
        Access::Block => Some(status.reason.expect("a block says why")),
    }
}

fn activated(tag: &str) -> (Service, PathBuf) {
    let service = Service::new();
    let dir = state_dir(tag);
    let key = service.key("simpl-resultat", "SR");
    let status = run(&service, &dir).activate_at(&format!("  {key}\n"), at(T0, 0)).expect("activate");
    assert_eq!((status.decision, status.tier, status.online), (Access::Allow, Some(Tier::Premium), true));
    (service, dir)
}

#[test]
fn activate_stores_the_key_lease_and_fetched_jwks_then_checks_offline_until_due() {
    let (service, dir) = activated("activate");
    // The bundled JWKS is empty: the key's unknown kid fetched the JWKS once, and it is kept.
    assert_eq!(service.count("/.well-known/jwks.json"), 1);
    let saved = FileStore::new(&dir).load().unwrap();
    assert!(saved.key.is_some() && saved.lease.is_some());
    assert_eq!(saved.jwks.as_ref().map(|j| j.len()), Some(1));
    assert_eq!(saved.max_server_iat, T0);

    // The same run, an hour later: not due, no request.
    let manager = run(&service, &dir);
    let _ = manager.check_at(at(T0 + 60, 60)).unwrap(); // the first check of a run goes online
    let before = service.requests().len();
    let status = manager.check_at(at(T0 + HOUR, HOUR)).unwrap();
    assert_eq!((status.decision, status.online), (Access::Allow, false));
    assert_eq!(service.requests().len(), before, "not due: offline");
    assert_eq!(status.message.code, "allow.active");
    assert_eq!(status.next_check_at, Some(T0 + 72 * HOUR), "the 72 h revalidation, counted from the lease");
    // 72 h of use later it is due and goes online by itself.
    service.set(|f| f.server_now = T0 + 72 * HOUR);
    let status = manager.check_at(at(T0 + 72 * HOUR, 71 * HOUR)).unwrap();
    assert!(status.online, "due after 72 h");
    assert_eq!(FileStore::new(&dir).load().unwrap().use_secs, 0, "an answer resets the use time");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn offline_3_days_allows_8_blocks_and_the_server_brings_it_back() {
    let (service, dir) = activated("offline");
    service.set(|f| f.mode = Mode::Down);
    let three = run(&service, &dir).check_at(at(T0 + 3 * DAY, 3 * DAY)).unwrap();
    assert_eq!((three.decision, three.message.code.as_str()), (Access::Allow, "allow.offline"));
    assert_eq!(three.message.params["days_left"], 4);
    assert!(three.message.text(Lang::Fr).contains("4"), "{}", three.message.text(Lang::Fr));
    let eight = run(&service, &dir).check_at(at(T0 + 8 * DAY, 5 * DAY)).unwrap();
    assert_eq!(blocked(&eight), Some(BlockReason::OfflineTooLong));
    assert_eq!(eight.tier, None);
    // The network is back: the server's "valid" wins over the counters.
    service.set(|f| {
        f.mode = Mode::Valid;
        f.server_now = T0 + 8 * DAY;
    });
    let back = run(&service, &dir).check_at(at(T0 + 8 * DAY + 60, 60)).unwrap();
    assert_eq!((back.decision, back.online), (Access::Allow, true));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The issue's bug, through the manager: the clock held still, the network off, days of use pass.
#[test]
fn a_frozen_clock_blocks_by_the_8th_day_of_use() {
    let (service, dir) = activated("frozen");
    service.set(|f| f.mode = Mode::Down);
    let mut allowed = 0;
    for day in 1..=10 {
        let status = run(&service, &dir).check_at(at(T0 + 60, DAY)).unwrap();
        match blocked(&status) {
            None => allowed = day,
            Some(reason) => {
                assert_eq!(reason, BlockReason::OfflineTooLong, "day {day}");
                break;
            }
        }
    }
    assert_eq!(allowed, 7, "7 days of use allowed, the 8th blocks");
    assert_eq!(FileStore::new(&dir).load().unwrap().use_secs, 8 * DAY);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_clock_turned_back_blocks_until_the_next_online_answer() {
    let (service, dir) = activated("rollback");
    service.set(|f| f.mode = Mode::Down);
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + 2 * DAY, HOUR)).unwrap()), None);
    let back = run(&service, &dir).check_at(at(T0 + DAY, 60)).unwrap();
    assert_eq!(blocked(&back), Some(BlockReason::ClockRollback));
    assert_eq!(back.message.code, "block.clock_rollback");
    // Still blocked on the next start, and with the clock set forward again only within the tolerance.
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + DAY + HOUR, 60)).unwrap()), Some(BlockReason::ClockRollback));
    // Four minutes behind the latest time seen is not a rollback (NTP, time zones).
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + 2 * DAY - 240, 60)).unwrap()), None);
    // Back online at the turned-back time: the server's answer forgives the clock.
    service.set(|f| {
        f.mode = Mode::Valid;
        f.server_now = T0 + DAY;
    });
    let online = run(&service, &dir).check_at(at(T0 + DAY, 60)).unwrap();
    assert_eq!((online.decision, online.online), (Access::Allow, true));
    service.set(|f| f.mode = Mode::Down);
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + DAY + HOUR, HOUR)).unwrap()), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_revocation_wins_over_a_valid_lease_and_stays_offline() {
    let (service, dir) = activated("revoked");
    service.set(|f| f.mode = Mode::Revoked);
    let status = run(&service, &dir).check_at(at(T0 + HOUR, 60)).unwrap();
    assert_eq!(blocked(&status), Some(BlockReason::Revoked));
    assert!(status.online);
    assert_eq!(FileStore::new(&dir).load().unwrap().lease, None, "the lease no longer speaks for the license");
    // Offline afterwards it stays revoked (not "no lease"), and says when it will ask again.
    service.set(|f| f.mode = Mode::Down);
    let offline = run(&service, &dir).check_at(at(T0 + 2 * HOUR, 60)).unwrap();
    assert_eq!(blocked(&offline), Some(BlockReason::Revoked));
    assert!(offline.message.text(Lang::En).contains("revoked"));
    // Reinstated by support: the next online check allows again.
    service.set(|f| {
        f.mode = Mode::Valid;
        f.server_now = T0 + 3 * HOUR;
    });
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + 3 * HOUR, 60)).unwrap()), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn retry_after_is_returned_and_respected_without_sleeping() {
    let (service, dir) = activated("retry");
    service.set(|f| f.mode = Mode::RateLimited(600));
    let manager = run(&service, &dir);
    let status = manager.check_at(at(T0 + HOUR, 60)).unwrap();
    assert_eq!((status.decision, status.retry_after), (Access::Allow, Some(600)));
    assert!(status.next_check_at.unwrap() >= T0 + HOUR + 600);
    // Due (72 h later by use time) but inside the Retry-After window: no request.
    let before = service.count("/licenses/validate");
    let status = manager.check_at(at(T0 + HOUR + 300, 80 * HOUR)).unwrap();
    assert_eq!(service.count("/licenses/validate"), before, "Retry-After honoured");
    assert_eq!(status.retry_after, Some(300));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_rotated_signing_key_is_fetched_once() {
    let (service, dir) = activated("rotation");
    service.set(|f| {
        f.signing = "k2".into();
        f.published = vec!["k2".into(), "k1".into()];
        f.server_now = T0 + HOUR;
    });
    let status = run(&service, &dir).check_at(at(T0 + HOUR, 60)).unwrap();
    assert_eq!((status.decision, status.online), (Access::Allow, true));
    assert_eq!(service.count("/.well-known/jwks.json"), 2, "once at activation, once for k2");
    let saved = FileStore::new(&dir).load().unwrap();
    assert!(saved.jwks.unwrap().find("k2").is_some());
    // A lease naming a kid the service never published: one fetch, then it is not trusted.
    service.set(|f| {
        f.signing = "rogue".into();
        f.server_now = T0 + 2 * HOUR;
    });
    let err = run(&service, &dir).check_at(at(T0 + 2 * HOUR, 60)).unwrap_err();
    assert!(matches!(err, ManagerError::Lease { .. }), "{err:?}");
    assert_eq!(service.count("/.well-known/jwks.json"), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn activation_problems_come_back_typed_with_words() {
    let service = Service::new();
    let manager = LicenseManager::new(config(), MemoryStore::new(), service.clone());
    // Another app's key is refused before any request about it.
    let liste = service.key("simpl-liste", "SL");
    let err = manager.activate_at(&liste, at(T0, 0)).unwrap_err();
    assert!(matches!(err, ManagerError::Key { error: KeyError::WrongProduct(Product::SimplListe) }), "{err:?}");
    assert_eq!(service.count("/licenses/activate"), 0);
    assert_eq!(err.message().code, "error.key_wrong_product");
    let err = manager.activate_at("not a key", at(T0, 0)).unwrap_err();
    assert_eq!(err.message().code, "error.key_format");

    service.set(|f| f.mode = Mode::SeatsTaken);
    let err = manager.activate_at(&service.key("simpl-resultat", "SR"), at(T0, 0)).unwrap_err();
    match &err {
        ManagerError::Api { error: ApiError::Problem { code: ProblemCode::ActivationLimitReached, limit: Some(3), .. } } => {}
        other => panic!("{other:?}"),
    }
    assert!(err.message().text(Lang::Fr).contains("sur 3 ordinateurs"));
    assert_eq!(manager.saved_state().unwrap().key, None, "nothing stored");
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "api");
    assert_eq!(json["error"]["code"], "activation_limit_reached");
    assert_eq!(serde_json::from_value::<ManagerError>(json).unwrap(), err);
}

#[test]
fn a_seat_taken_elsewhere_blocks_with_machine_limit() {
    let (service, dir) = activated("seats");
    service.set(|f| f.mode = Mode::SeatsTaken);
    let status = run(&service, &dir).check_at(at(T0 + HOUR, 60)).unwrap();
    assert_eq!(blocked(&status), Some(BlockReason::MachineLimit));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn deactivate_forgets_the_license_only_once_the_service_confirms() {
    let (service, dir) = activated("deactivate");
    service.set(|f| f.mode = Mode::Down);
    let err = run(&service, &dir).deactivate_at(at(T0 + HOUR, 0)).unwrap_err();
    assert_eq!(err.message().code, "error.unreachable");
    assert!(FileStore::new(&dir).load().unwrap().key.is_some(), "kept while the seat is still taken");
    service.set(|f| f.mode = Mode::Valid);
    let status = run(&service, &dir).deactivate_at(at(T0 + HOUR, 0)).unwrap();
    assert_eq!((blocked(&status), status.next_check_at), (Some(BlockReason::NotActivated), None));
    let saved = FileStore::new(&dir).load().unwrap();
    assert_eq!((saved.key, saved.lease), (None, None));
    assert!(saved.jwks.is_some(), "the fetched keys stay");
    let err = run(&service, &dir).deactivate_at(at(T0 + HOUR, 0)).unwrap_err();
    assert_eq!(err, ManagerError::NotActivated);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_status_and_the_saved_state_serialize_for_the_web_view_and_back() {
    let (service, dir) = activated("serde");
    let status = run(&service, &dir).status_at(at(T0 + HOUR, 0)).unwrap();
    let json = serde_json::to_value(&status).unwrap();
    assert_eq!(json["decision"], "allow");
    assert_eq!(json["tier"], "premium");
    assert_eq!(json["reason"], Value::Null);
    assert_eq!(json["license_id"], LICENSE);
    assert_eq!(json["message"]["code"], "allow.active");
    assert!(json["next_check_at"].is_u64(), "Unix seconds: {json}");
    assert_eq!(serde_json::from_value::<Status>(json).unwrap(), status);
    let saved = FileStore::new(&dir).load().unwrap();
    let again: SavedState = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
    assert_eq!(again, saved);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn status_never_touches_the_network() {
    let (service, dir) = activated("status");
    let before = service.requests().len();
    let manager = run(&service, &dir);
    let status = manager.status_at(at(T0 + 80 * HOUR, 80 * HOUR)).unwrap();
    assert_eq!(status.decision, Access::Allow, "due, but status only reads");
    assert_eq!(service.requests().len(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_corrupt_state_file_starts_over_as_not_activated() {
    let (service, dir) = activated("corrupt");
    std::fs::write(FileStore::new(&dir).path(), "{ half a file").unwrap();
    let status = run(&service, &dir).check_at(at(T0 + HOUR, 0)).unwrap();
    assert_eq!(blocked(&status), Some(BlockReason::NotActivated));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_shared_manager_is_send_and_sync() {
    fn shared<T: Send + Sync>() {}
    shared::<LicenseManager<FileStore, Service>>();
}

#[test]
fn every_seat_call_carries_a_fresh_proof_by_the_install_key_and_the_lease_is_bound_to_it() {
    let (service, dir) = activated("dpop");
    let manager = run(&service, &dir);
    manager.check_at(at(T0 + 60, 60)).unwrap();
    manager.deactivate_at(at(T0 + 120, 60)).unwrap();
    let saved = FileStore::new(&dir).load().unwrap();
    let f = service.0.lock().unwrap();
    let calls: Vec<(&str, &str, u64)> = f.proofs.iter().map(|(m, p, c, _)| (m.as_str(), p.as_str(), c["iat"].as_u64().unwrap())).collect();
    assert_eq!(
        calls,
        [("POST", "/licenses/activate", T0), ("POST", "/licenses/validate", T0 + 60), ("POST", "/licenses/deactivate", T0 + 120)],
        "one proof per seat call, iat from the manager's clock"
    );
    let jkts: std::collections::HashSet<&String> = f.proofs.iter().map(|(_, _, _, jkt)| jkt).collect();
    assert_eq!(jkts.len(), 1, "one key for the install, across restarts");
    let jtis: std::collections::HashSet<&str> = f.proofs.iter().map(|(_, _, c, _)| c["jti"].as_str().unwrap()).collect();
    assert_eq!(jtis.len(), 3, "a new jti every time");
    assert_eq!(f.bound.as_ref(), jkts.into_iter().next(), "the seat was bound to the install's key");
    assert!(saved.install_key.is_some() && saved.key.is_none(), "deactivate forgets the license, keeps the install key");
    drop(f);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_copied_machine_id_with_another_key_does_not_hold_the_seat() {
    let (service, dir) = activated("copied");
    let original = FileStore::new(&dir).load().unwrap();
    // Another install: the same machine id, key and lease copied, but not the install key.
    let copy = state_dir("copied-other");
    FileStore::new(&copy).save(&SavedState { install_key: None, ..original }).unwrap();
    let status = run(&service, &copy).check_at(at(T0 + 60, 60)).unwrap();
    assert_eq!(blocked(&status), Some(BlockReason::InvalidProof));
    assert_eq!(status.message.code, "block.invalid_proof");
    assert!(FileStore::new(&copy).load().unwrap().lease.is_none(), "the copied lease is dropped");
    let err = run(&service, &copy).deactivate_at(at(T0 + 120, 60)).unwrap_err();
    assert!(matches!(&err, ManagerError::Api { error: ApiError::Problem { code: ProblemCode::InvalidProof, status: 401, .. } }), "{err:?}");
    assert_eq!(err.message().code, "error.invalid_proof");
    // The original install still holds its seat.
    assert_eq!(blocked(&run(&service, &dir).check_at(at(T0 + 180, 60)).unwrap()), None);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&copy).unwrap();
}

#[test]
fn a_lease_bound_to_another_key_is_refused_and_nothing_is_stored() {
    let service = Service::new();
    service.set(|f| f.lease_jkt = Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k".into()));
    let dir = state_dir("wrong-jkt");
    let key = service.key("simpl-resultat", "SR");
    let err = run(&service, &dir).activate_at(&key, at(T0, 0)).unwrap_err();
    assert!(matches!(&err, ManagerError::Lease { error: maximus_license::LeaseError::WrongKey }), "{err:?}");
    assert_eq!(err.message().code, "error.lease_wrong_key");
    let saved = FileStore::new(&dir).load().unwrap();
    assert!(saved.key.is_none() && saved.lease.is_none() && saved.install_key.is_some(), "the key was kept before the call");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_seat_activated_before_the_install_had_a_key_keeps_validating_but_a_new_activation_must_bind() {
    // A service that drops the proof answers unbound leases.
    let service = Service::new();
    let dir = state_dir("unbound");
    let key = service.key("simpl-resultat", "SR");
    let inner = service.clone();
    let unbinding = move |r: &Request| {
        let plain = Request { headers: r.headers.iter().filter(|(n, _)| !n.eq_ignore_ascii_case("dpop")).cloned().collect(), ..r.clone() };
        inner.answer(&plain)
    };
    let manager = LicenseManager::new(config(), FileStore::new(&dir), unbinding);
    let err = manager.activate_at(&key, at(T0, 0)).unwrap_err();
    assert!(matches!(&err, ManagerError::Lease { error: maximus_license::LeaseError::WrongKey }), "{err:?}");
    // An install activated by an older crate: key and unbound lease, no install key yet.
    let lease = Service::lease(&service.0.lock().unwrap());
    let old = SavedState { key: Some(key), lease: Some(lease), ..SavedState::default() };
    FileStore::new(&dir).save(&old).unwrap();
    assert_eq!(blocked(&manager.check_at(at(T0 + 60, 60)).unwrap()), None, "and online");
    assert!(FileStore::new(&dir).load().unwrap().install_key.is_some(), "the install key is created on the way");
    assert_eq!(blocked(&manager.status_at(at(T0 + 90, 30)).unwrap()), None, "its unbound lease works offline too");
    std::fs::remove_dir_all(&dir).unwrap();
}
