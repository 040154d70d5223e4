//! The whole desktop half of licensing: [`LicenseManager`] keeps the key, the lease, the JWKS and the
//! offline counters in a [`Store`], decides with [`OfflinePolicy`], and goes online only when due.
//! The app calls [`LicenseManager::check`] at start and on a timer, and shows the [`Status`].

use crate::client::Client;
use crate::dpop::InstallKey;
use crate::jwks::Jwks;
use crate::key::{verify_key, Expect, KeyError, License, Tier};
use crate::lease::{check_binding, verify_lease, Lease, LeaseError};
use crate::messages::{Describe, Message};
use crate::policy::{BlockReason, Decision, OfflinePolicy, ServerAnswer, StoredState, ROLLBACK_TOLERANCE_SECS};
use crate::protocol::{AccountLicense, ApiError, CheckoutLicense, Interval, MachineInfo, SubscriptionStatus};
use crate::store::{SavedState, Store, StoreError, Verdict};
use crate::time::unix_now;
use crate::token::TokenError;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const DAY: u64 = 86_400;

/// What the manager needs to know about the app and the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The service, e.g. `https://api.maximus.example`.
    pub base_url: String,
    /// The issuer and the app's product.
    pub expect: Expect,
    /// This machine's id ([`crate::machine_id`] with the app's salt).
    pub machine_id: String,
    /// What `activate` records about the machine.
    pub machine: MachineInfo,
    /// The offline rules.
    pub policy: OfflinePolicy,
    /// The keys trusted before the first online answer ([`Jwks::bundled`]).
    pub bundled_jwks: Jwks,
}

impl Config {
    /// The defaults: the bundled JWKS, the default policy, no machine details.
    pub fn new(base_url: &str, expect: Expect, machine_id: &str) -> Config {
        Config {
            base_url: base_url.to_owned(),
            expect,
            machine_id: machine_id.to_owned(),
            machine: MachineInfo::default(),
            policy: OfflinePolicy::default(),
            bundled_jwks: Jwks::bundled(),
        }
    }
}

/// The time a call sees: the wall clock, and the monotonic time the app ran since the previous call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// The wall clock, Unix seconds (the user may have changed it).
    pub now: u64,
    /// Seconds of monotonic time since the previous call (`Instant`, which the user cannot change).
    pub elapsed: u64,
}

/// May the app run?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// Run, with [`Status::tier`].
    Allow,
    /// Stop premium use, and say [`Status::reason`].
    Block,
}

/// What [`LicenseManager::check`] and the other calls answer: the decision, why, and when to check next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// Allow or block.
    pub decision: Access,
    /// Why it blocks (`None` when it allows).
    pub reason: Option<BlockReason>,
    /// The tier to unlock (`None` when it blocks).
    pub tier: Option<Tier>,
    /// The license id, when a key is stored.
    pub license_id: Option<String>,
    /// When this decision runs out at the latest (allow), Unix seconds.
    pub allowed_until: Option<u64>,
    /// When to call [`LicenseManager::check`] again, Unix seconds; `None`: nothing to check (no key).
    pub next_check_at: Option<u64>,
    /// The server's `Retry-After` (seconds), when it asked to wait.
    pub retry_after: Option<u64>,
    /// True when the server answered during this call.
    pub online: bool,
    /// What to tell the user.
    pub message: Message,
}

/// A call that could not complete. The stored state is unchanged, except the use time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ManagerError {
    /// The service said no, or could not be reached (for `activate`, `deactivate`, the account calls).
    Api {
        /// The answer.
        error: ApiError,
    },
    /// The key the user entered is not a license key of this app.
    Key {
        /// Why.
        error: KeyError,
    },
    /// The service sent a lease that does not verify.
    Lease {
        /// Why.
        error: LeaseError,
    },
    /// The store could not be read or written.
    Store {
        /// Why.
        error: StoreError,
    },
    /// No key is stored (deactivate before activate).
    NotActivated,
}

impl std::fmt::Display for ManagerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ManagerError::Api { error } => error.fmt(f),
            ManagerError::Key { error } => error.fmt(f),
            ManagerError::Lease { error } => error.fmt(f),
            ManagerError::Store { error } => error.fmt(f),
            ManagerError::NotActivated => write!(f, "no license key is stored"),
        }
    }
}

impl std::error::Error for ManagerError {}

impl Describe for ManagerError {
    fn message(&self) -> Message {
        match self {
            ManagerError::Api { error } => error.message(),
            ManagerError::Key { error } => error.message(),
            ManagerError::Lease { error } => error.message(),
            ManagerError::Store { error } => error.message(),
            ManagerError::NotActivated => BlockReason::NotActivated.message(),
        }
    }
}

impl From<ApiError> for ManagerError {
    fn from(error: ApiError) -> Self {
        ManagerError::Api { error }
    }
}

impl From<StoreError> for ManagerError {
    fn from(error: StoreError) -> Self {
        ManagerError::Store { error }
    }
}

struct Session {
    last_tick: Option<Instant>,
    // The first check of a run goes online (each start, docs/verifying-licenses.md); later ones when due.
    checked_online: bool,
}

/// The license manager of one app install. `Send + Sync` when its store and transport are: share it
/// (e.g. as Tauri state) and call it from any thread; calls are serialized inside.
pub struct LicenseManager<S, T> {
    config: Config,
    store: S,
    client: Client<T>,
    session: Mutex<Session>,
}

/// How one call may use the JWKS: fetched at most once, and only when a token names an unknown `kid`.
struct Keys {
    jwks: Jwks,
    may_fetch: bool,
    fetched: bool,
}

fn unknown_kid<T>(result: &Result<T, KeyError>) -> bool {
    matches!(result, Err(KeyError::Token(TokenError::UnknownKid(_))))
}

fn unknown_kid_lease<T>(result: &Result<T, LeaseError>) -> bool {
    matches!(result, Err(LeaseError::Token(TokenError::UnknownKid(_))))
}

impl<S: Store, T: Transport> LicenseManager<S, T> {
    /// A manager over `store`, sending its requests with `transport`.
    pub fn new(config: Config, store: S, transport: T) -> Self {
        let client = Client::with_transport(&config.base_url, transport);
        LicenseManager { config, store, client, session: Mutex::new(Session { last_tick: None, checked_online: false }) }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The client (the same transport), for calls the manager does not wrap.
    pub fn client(&self) -> &Client<T> {
        &self.client
    }

    /// The saved state, as is (for a support screen; it holds the key).
    pub fn saved_state(&self) -> Result<SavedState, ManagerError> {
        Ok(self.store.load()?)
    }

    fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The clock now: the system's wall clock, and the monotonic time since the previous call.
    pub fn tick(&self) -> Clock {
        let mut session = self.session();
        let now = Instant::now();
        let elapsed = session.last_tick.map_or(0, |t| now.saturating_duration_since(t).as_secs());
        // Whole seconds only: the remainder counts toward the next call.
        session.last_tick = Some(session.last_tick.map_or(now, |t| t + Duration::from_secs(elapsed)));
        Clock { now: unix_now(), elapsed }
    }

    /// [`LicenseManager::check_at`] with [`LicenseManager::tick`].
    pub fn check(&self) -> Result<Status, ManagerError> {
        self.check_at(self.tick())
    }

    /// The call the app makes at start and on a timer (at [`Status::next_check_at`]): counts the use time,
    /// then decides offline, or online when due (the first check of a run, every 72 h, a clock or lease
    /// the policy doubts, a server block to re-ask). The server's answer, when it comes, wins.
    pub fn check_at(&self, clock: Clock) -> Result<Status, ManagerError> {
        let mut session = self.session();
        let mut s = self.load()?;
        let first_of_run = !session.checked_online;
        let status = self.decide(&mut s, clock, true, first_of_run);
        if status.is_ok() {
            session.checked_online = true;
        }
        self.store.save(&s)?;
        status
    }

    /// The decision without the network (e.g. to draw the UI before [`LicenseManager::check`] returns).
    pub fn status(&self) -> Result<Status, ManagerError> {
        self.status_at(self.tick())
    }

    /// [`LicenseManager::status`] at `clock`.
    pub fn status_at(&self, clock: Clock) -> Result<Status, ManagerError> {
        let _session = self.session();
        let mut s = self.load()?;
        let status = self.decide(&mut s, clock, false, false);
        self.store.save(&s)?;
        status
    }

    /// Activates this machine with `key` (as the user pasted it): verified offline first (format,
    /// product, signature), then `POST /licenses/activate`; the key, lease and counters are stored.
    pub fn activate(&self, key: &str) -> Result<Status, ManagerError> {
        self.activate_at(key, self.tick())
    }

    /// [`LicenseManager::activate`] at `clock`.
    pub fn activate_at(&self, key: &str, clock: Clock) -> Result<Status, ManagerError> {
        let mut session = self.session();
        let mut s = self.load()?;
        let mut keys = self.keys(&s, true);
        let key = key.trim();
        let license = match self.verify_key(&mut keys, key) {
            Ok(license) | Err(KeyError::Expired(license)) => license,
            Err(error) => return Err(ManagerError::Key { error }),
        };
        let install = self.install_key(&mut s)?;
        let activation = self.client.activate_bound(key, &self.config.machine_id, &self.config.machine, &install, clock.now)?;
        let jkt = install.thumbprint();
        let lease = match self.verify_lease(&mut keys, &activation.lease, &license.id, Some(&jkt), clock.now) {
            Ok(lease) | Err(LeaseError::Expired(lease)) => lease,
            Err(error) => return Err(ManagerError::Lease { error }),
        };
        check_binding(&lease, &jkt).map_err(|error| ManagerError::Lease { error })?;
        let mut fresh = SavedState {
            key: Some(activation.key),
            lease: Some(activation.lease),
            jwks: if keys.fetched { Some(keys.jwks) } else { s.jwks.take() },
            max_server_iat: s.max_server_iat,
            latest_seen: s.latest_seen,
            install_key: s.install_key.take(),
            ..SavedState::default()
        };
        let decision = self.apply_answer(&mut fresh, clock.now, ServerAnswer::Valid, Some(&lease));
        session.checked_online = true;
        self.store.save(&fresh)?;
        Ok(self.status_of(&fresh, clock.now, decision, Some(license.id), Some(&lease), true))
    }

    /// Frees this machine's seat (`POST /licenses/deactivate`) and forgets the key and lease. Fails, and
    /// keeps everything, when the service does not confirm (offline, `deactivation_limit_reached`).
    pub fn deactivate(&self) -> Result<Status, ManagerError> {
        self.deactivate_at(self.tick())
    }

    /// [`LicenseManager::deactivate`] at `clock`.
    pub fn deactivate_at(&self, clock: Clock) -> Result<Status, ManagerError> {
        let _session = self.session();
        let mut s = self.load()?;
        let key = s.key.clone().ok_or(ManagerError::NotActivated)?;
        let install = self.install_key(&mut s)?;
        self.client.deactivate_bound(&key, &self.config.machine_id, &install, clock.now)?;
        let forgotten = SavedState {
            jwks: s.jwks,
            install_key: s.install_key, // the install keeps its key: a later activation binds to it again
            max_server_iat: s.max_server_iat,
            latest_seen: s.latest_seen.max(clock.now),
            ..SavedState::default()
        };
        self.store.save(&forgotten)?;
        Ok(Self::no_key(true))
    }

    /// `POST /licenses/recover`: the service emails the keys bought with `email` (the same answer whether
    /// or not it bought anything).
    pub fn recover(&self, email: &str) -> Result<(), ManagerError> {
        Ok(self.client.recover(email.trim())?)
    }

    /// The subscription of the signed-in user for this app (`logto_token`: their access token).
    pub fn subscription_status(&self, logto_token: &str) -> Result<SubscriptionStatus, ManagerError> {
        Ok(self.client.subscription_status(logto_token, self.config.expect.product)?)
    }

    /// Every license of the signed-in user, with the machines holding its seats.
    pub fn licenses(&self, logto_token: &str) -> Result<Vec<AccountLicense>, ManagerError> {
        Ok(self.client.account_licenses(logto_token)?)
    }

    /// Frees a seat of one of the user's licenses without its key (a dead laptop).
    pub fn free_machine(&self, logto_token: &str, license_id: &str, machine_id: &str) -> Result<(), ManagerError> {
        Ok(self.client.free_machine(logto_token, license_id, machine_id)?)
    }

    /// The Stripe Checkout URL to open for this app at `tier`.
    pub fn checkout_url(&self, logto_token: &str, tier: Tier, interval: Interval) -> Result<String, ManagerError> {
        Ok(self.client.checkout_url(logto_token, self.config.expect.product, tier, interval)?)
    }

    /// The key bought in a checkout session, once issued (`not_ready` before): then [`LicenseManager::activate`] it.
    pub fn checkout_license(&self, logto_token: &str, session_id: &str) -> Result<CheckoutLicense, ManagerError> {
        Ok(self.client.checkout_license(logto_token, session_id)?)
    }

    /// The Stripe customer portal URL to open (invoices, card, cancel).
    pub fn billing_portal_url(&self, logto_token: &str) -> Result<String, ManagerError> {
        Ok(self.client.billing_portal_url(logto_token)?)
    }

    fn load(&self) -> Result<SavedState, ManagerError> {
        match self.store.load() {
            // A damaged file is no worse than a deleted one: start over (the key must be entered again).
            Err(StoreError::Corrupt { .. }) => Ok(SavedState::default()),
            other => Ok(other?),
        }
    }

    fn keys(&self, s: &SavedState, may_fetch: bool) -> Keys {
        Keys { jwks: s.jwks.clone().unwrap_or_else(|| self.config.bundled_jwks.clone()), may_fetch, fetched: false }
    }

    /// Refreshes the JWKS once per call, when a token names a `kid` it lacks (a key rotation).
    fn refresh(&self, keys: &mut Keys) -> bool {
        if !keys.may_fetch {
            return false;
        }
        keys.may_fetch = false;
        match self.client.jwks() {
            Ok(jwks) => {
                keys.jwks = jwks;
                keys.fetched = true;
                true
            }
            Err(_) => false,
        }
    }

    fn verify_key(&self, keys: &mut Keys, key: &str) -> Result<License, KeyError> {
        let result = verify_key(key, &keys.jwks, &self.config.expect, unix_now());
        if unknown_kid(&result) && self.refresh(keys) {
            return verify_key(key, &keys.jwks, &self.config.expect, unix_now());
        }
        result
    }

    /// Verifies a lease, and that a bound one (`cnf.jkt`) is bound to this install's key (`jkt`). An
    /// unbound lease passes here: a seat activated before this install had its key (an older crate,
    /// `SEAT_PROOF=optional`) validates unbound, and the service decides who holds it. An activation, sent
    /// with a proof, must come back bound (`check_binding`).
    fn verify_lease(&self, keys: &mut Keys, lease: &str, license_id: &str, jkt: Option<&str>, now: u64) -> Result<Lease, LeaseError> {
        let verify = |jwks: &Jwks| verify_lease(lease, jwks, &self.config.expect, license_id, &self.config.machine_id, now);
        let mut result = verify(&keys.jwks);
        if unknown_kid_lease(&result) && self.refresh(keys) {
            result = verify(&keys.jwks);
        }
        match &result {
            Ok(l) | Err(LeaseError::Expired(l)) if l.jkt.is_some() && l.jkt.as_deref() != jkt => Err(LeaseError::WrongKey),
            _ => result,
        }
    }

    /// The install's key, created (and saved, before any request names it) the first time it is needed.
    fn install_key(&self, s: &mut SavedState) -> Result<InstallKey, ManagerError> {
        let stored = s.install_key.as_deref().and_then(crate::seal::unseal);
        if let Some(key) = stored.and_then(|pkcs8| InstallKey::from_pkcs8(&pkcs8).ok()) {
            return Ok(key);
        }
        let no_randomness = || StoreError::Io { message: "no system randomness or key protection for the install key".into() };
        let key = InstallKey::generate().map_err(|_| no_randomness())?;
        s.install_key = Some(crate::seal::seal(key.pkcs8()).ok_or_else(no_randomness)?);
        self.store.save(s)?;
        Ok(key)
    }

    /// The thumbprint of the stored install key, if there is one (offline: never creates one).
    fn stored_jkt(s: &SavedState) -> Option<String> {
        let pkcs8 = crate::seal::unseal(s.install_key.as_deref()?)?;
        Some(InstallKey::from_pkcs8(&pkcs8).ok()?.thumbprint())
    }

    /// The stored lease, verified (an expired one too: the policy says what expiry means offline).
    fn stored_lease(&self, keys: &mut Keys, s: &SavedState, now: u64) -> (Option<String>, Option<Lease>) {
        let license_id = match s.key.as_deref().map(|k| self.verify_key(keys, k)) {
            Some(Ok(license)) | Some(Err(KeyError::Expired(license))) => Some(license.id),
            _ => None,
        };
        let lease = match (&license_id, &s.lease) {
            (Some(id), Some(text)) => match self.verify_lease(keys, text, id, Self::stored_jkt(s).as_deref(), now) {
                Ok(lease) | Err(LeaseError::Expired(lease)) => Some(lease),
                Err(_) => None,
            },
            _ => None,
        };
        (license_id, lease)
    }

    fn policy_state(s: &SavedState, lease: Option<&Lease>) -> StoredState {
        StoredState { lease: lease.cloned(), max_server_iat: s.max_server_iat, latest_seen: s.latest_seen, use_secs: s.use_secs }
    }

    fn recent_failure(&self, s: &SavedState, now: u64) -> Option<u64> {
        s.unreachable_at.filter(|at| now >= *at && now < at.saturating_add(self.config.policy.retry_unreachable_after))
    }

    /// The decision from what is stored: a server block stands until it is time to ask again.
    fn decide_offline(&self, s: &SavedState, lease: Option<&Lease>, now: u64) -> Decision {
        let failure = self.recent_failure(s, now);
        if let Some(Verdict { answer, at }) = s.verdict.filter(|v| is_block(v.answer)) {
            let ask_again = now >= at.saturating_add(self.config.policy.retry_unreachable_after)
                || now.saturating_add(ROLLBACK_TOLERANCE_SECS) < at;
            if !ask_again || failure.is_some() {
                return self.config.policy.decide(&Self::policy_state(s, lease), now, Some(answer));
            }
            return Decision::Revalidate;
        }
        self.config.policy.decide(&Self::policy_state(s, lease), now, failure.map(|at| ServerAnswer::Unreachable { at }))
    }

    fn decide(&self, s: &mut SavedState, clock: Clock, may_go_online: bool, first_of_run: bool) -> Result<Status, ManagerError> {
        if s.key.is_none() {
            return Ok(Self::no_key(false));
        }
        s.latest_seen = s.latest_seen.max(clock.now);
        s.use_secs = s.use_secs.saturating_add(clock.elapsed);
        let now = clock.now;
        let mut keys = self.keys(s, may_go_online);
        let (license_id, lease) = self.stored_lease(&mut keys, s, now);
        let offline = self.decide_offline(s, lease.as_ref(), now);
        let waiting = s.retry_not_before.map_or(false, |t| now < t);
        let due = offline == Decision::Revalidate || first_of_run;
        if !(may_go_online && due && !waiting) {
            keep_fetched(s, &keys);
            let decision = match offline {
                // Not asking now (no network allowed, or Retry-After): judge as if the attempt had failed.
                Decision::Revalidate => self.unreachable_decision(s, lease.as_ref(), now),
                other => other,
            };
            return Ok(self.status_of(s, now, decision, license_id, lease.as_ref(), false));
        }
        let key = s.key.clone().unwrap_or_default();
        let install = self.install_key(s)?;
        let jkt = install.thumbprint();
        match self.client.validate_bound(&key, Some(&self.config.machine_id), &install, now) {
            Ok(validation) => {
                let answer = validation.answer();
                if let Some(newest) = validation.key {
                    s.key = Some(newest);
                }
                let fresh = match (answer, validation.lease) {
                    (ServerAnswer::Valid, Some(text)) => {
                        let id = license_id.clone().or_else(|| validation.license.as_ref().map(|l| l.id.clone()));
                        match self.verify_lease(&mut keys, &text, id.as_deref().unwrap_or_default(), Some(&jkt), now) {
                            Ok(lease) | Err(LeaseError::Expired(lease)) => Some((text, lease)),
                            Err(error) => {
                                keep_fetched(s, &keys);
                                return Err(ManagerError::Lease { error });
                            }
                        }
                    }
                    _ => None,
                };
                keep_fetched(s, &keys);
                let (answer, lease) = match fresh {
                    Some((text, lease)) => {
                        s.lease = Some(text);
                        (ServerAnswer::Valid, Some(lease))
                    }
                    // "valid" without a lease (no seat here) cannot unlock an offline app.
                    None if answer == ServerAnswer::Valid => (ServerAnswer::NotActivated, None),
                    None => (answer, None),
                };
                let license_id = lease.as_ref().map(|l| l.license_id.clone()).or(license_id);
                let decision = self.apply_answer(s, now, answer, lease.as_ref());
                Ok(self.status_of(s, now, decision, license_id, lease.as_ref(), true))
            }
            Err(error) if error.is_unreachable() => {
                keep_fetched(s, &keys);
                s.unreachable_at = Some(now);
                s.retry_not_before = error.retry_after().map(|secs| now.saturating_add(secs));
                let decision = self.unreachable_decision(s, lease.as_ref(), now);
                Ok(self.status_of(s, now, decision, license_id, lease.as_ref(), false))
            }
            Err(error) => Err(error.into()),
        }
    }

    fn unreachable_decision(&self, s: &SavedState, lease: Option<&Lease>, now: u64) -> Decision {
        let answer = match s.verdict {
            Some(v) if is_block(v.answer) => v.answer,
            _ => ServerAnswer::Unreachable { at: s.unreachable_at.unwrap_or(now) },
        };
        match self.config.policy.decide(&Self::policy_state(s, lease), now, Some(answer)) {
            // The policy only asks again once the failure is old; this call could not ask.
            Decision::Revalidate => self.config.policy.decide(&Self::policy_state(s, lease), now, Some(ServerAnswer::Unreachable { at: now })),
            other => other,
        }
    }

    /// Records a server verdict: the counters start over, a block drops the lease (it no longer speaks
    /// for the license), and the decision is the server's.
    fn apply_answer(&self, s: &mut SavedState, now: u64, answer: ServerAnswer, lease: Option<&Lease>) -> Decision {
        let mut counters = Self::policy_state(s, lease);
        counters.record_online(now, lease.map_or(0, |l| l.issued_at));
        s.max_server_iat = counters.max_server_iat;
        s.latest_seen = counters.latest_seen;
        s.use_secs = counters.use_secs;
        s.verdict = Some(Verdict { answer, at: now });
        s.unreachable_at = None;
        s.retry_not_before = None;
        if answer != ServerAnswer::Valid {
            s.lease = None;
        }
        self.config.policy.decide(&counters, now, Some(answer))
    }

    fn no_key(online: bool) -> Status {
        Status {
            decision: Access::Block,
            reason: Some(BlockReason::NotActivated),
            tier: None,
            license_id: None,
            allowed_until: None,
            next_check_at: None,
            retry_after: None,
            online,
            message: BlockReason::NotActivated.message(),
        }
    }

    fn status_of(&self, s: &SavedState, now: u64, decision: Decision, license_id: Option<String>, lease: Option<&Lease>, online: bool) -> Status {
        let policy = &self.config.policy;
        let retry_at = [
            self.recent_failure(s, now).map(|at| at.saturating_add(policy.retry_unreachable_after)),
            s.retry_not_before,
            s.verdict.filter(|v| is_block(v.answer)).map(|v| v.at.saturating_add(policy.retry_unreachable_after)),
        ]
        .iter()
        .flatten()
        .copied()
        .max();
        let retry_after = s.retry_not_before.filter(|t| *t > now).map(|t| t - now);
        match decision {
            Decision::Allow { until } => {
                let lease_due = lease.map_or(now, |l| {
                    let effective_now = now.max(l.issued_at.saturating_add(s.use_secs));
                    now.saturating_add(l.issued_at.saturating_add(policy.revalidate_every).saturating_sub(effective_now))
                });
                let next = lease_due.max(retry_at.unwrap_or(0)).min(until).max(now);
                // Whole days, rounded, and never 0 while it still allows.
                let days_left = ((until.saturating_sub(now) + DAY / 2) / DAY).max(1);
                let code = if self.recent_failure(s, now).is_some() { "allow.offline" } else { "allow.active" };
                let message = Message { code: code.into(), params: [("days_left".to_owned(), days_left)].into_iter().collect() };
                Status {
                    decision: Access::Allow,
                    reason: None,
                    tier: lease.map(|l| l.tier),
                    license_id,
                    allowed_until: Some(until),
                    next_check_at: Some(next),
                    retry_after,
                    online,
                    message,
                }
            }
            Decision::Block(reason) => Status {
                decision: Access::Block,
                reason: Some(reason),
                tier: None,
                license_id,
                allowed_until: None,
                next_check_at: Some(retry_at.unwrap_or(now).max(now)),
                retry_after,
                online,
                message: reason.message(),
            },
            // `decide` resolves every Revalidate before it gets here; say so rather than allow.
            Decision::Revalidate => Status {
                decision: Access::Block,
                reason: Some(BlockReason::NoLease),
                tier: None,
                license_id,
                allowed_until: None,
                next_check_at: Some(now),
                retry_after,
                online,
                message: BlockReason::NoLease.message(),
            },
        }
    }
}

/// A JWKS fetched during the call replaces the stored one (it is the service's current set).
fn keep_fetched(s: &mut SavedState, keys: &Keys) {
    if keys.fetched {
        s.jwks = Some(keys.jwks.clone());
    }
}

fn is_block(answer: ServerAnswer) -> bool {
    !matches!(answer, ServerAnswer::Valid | ServerAnswer::Unreachable { .. })
}
