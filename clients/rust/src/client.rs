//! The protocol ([`Api`] + `read_*`) over a [`Transport`]: one call, one request, one answer. Every
//! error answer is problem+json; its `code` becomes a [`ProblemCode`](crate::ProblemCode). Nothing waits
//! out a `Retry-After`: it comes back in [`ApiError::Problem`] for the app to schedule.

use crate::dpop::{InstallKey, DPOP_HEADER};
use crate::jwks::Jwks;
use crate::key::{Product, Tier};
use crate::protocol::{
    self, AccountLicense, Activation, Api, ApiError, CheckoutLicense, Interval, MachineInfo, Request, Response,
    SubscriptionStatus, Validation,
};
use crate::transport::Transport;

/// A client of the service over a transport.
#[derive(Debug, Clone)]
pub struct Client<T> {
    api: Api,
    transport: T,
}

#[cfg(feature = "ureq")]
impl Client<crate::transport::UreqTransport> {
    /// A client of the service at `base_url` over the blocking `ureq` transport (15 s timeout).
    pub fn new(base_url: &str) -> Self {
        Client::with_transport(base_url, crate::transport::UreqTransport::new())
    }
}

impl<T: Transport> Client<T> {
    /// A client of the service at `base_url` (e.g. `https://api.maximus.example`) over `transport`.
    pub fn with_transport(base_url: &str, transport: T) -> Self {
        Client { api: Api::new(base_url), transport }
    }

    /// The request builders.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Sends one request. Every call goes through here, so a header every request needs (e.g. a proof
    /// of possession over the method and URL) is added in this one place.
    pub fn send(&self, request: Request) -> Result<Response, ApiError> {
        self.transport.send(&request).map_err(|e| ApiError::Transport { message: e.message })
    }

    /// `request` with a DPoP proof by `key` over its method and URL, issued at `now` (Unix seconds).
    pub fn prove(request: Request, key: &InstallKey, now: u64) -> Result<Request, ApiError> {
        let proof = key
            .proof(request.method.as_str(), &request.url, now)
            .map_err(|_| ApiError::Transport { message: "no system randomness for the proof".into() })?;
        Ok(request.with_header(DPOP_HEADER, &proof))
    }

    /// `POST /licenses/activate` with a proof by the install's `key`: the seat is bound to it.
    pub fn activate_bound(&self, key: &str, machine_id: &str, machine: &MachineInfo, install: &InstallKey, now: u64) -> Result<Activation, ApiError> {
        protocol::read_activation(&self.send(Self::prove(self.api.activate(key, machine_id, machine), install, now)?)?)
    }

    /// `POST /licenses/validate` with a proof by the install's `key`.
    pub fn validate_bound(&self, key: &str, machine_id: Option<&str>, install: &InstallKey, now: u64) -> Result<Validation, ApiError> {
        protocol::read_validation(&self.send(Self::prove(self.api.validate(key, machine_id), install, now)?)?)
    }

    /// `POST /licenses/deactivate` with a proof by the install's `key`.
    pub fn deactivate_bound(&self, key: &str, machine_id: &str, install: &InstallKey, now: u64) -> Result<(), ApiError> {
        protocol::read_done(&self.send(Self::prove(self.api.deactivate(key, machine_id), install, now)?)?)
    }

    /// `POST /licenses/activate`.
    pub fn activate(&self, key: &str, machine_id: &str, machine: &MachineInfo) -> Result<Activation, ApiError> {
        protocol::read_activation(&self.send(self.api.activate(key, machine_id, machine))?)
    }

    /// `POST /licenses/validate`; pass the machine id to get a lease.
    pub fn validate(&self, key: &str, machine_id: Option<&str>) -> Result<Validation, ApiError> {
        protocol::read_validation(&self.send(self.api.validate(key, machine_id))?)
    }

    /// `POST /licenses/deactivate`: frees this machine's seat (idempotent).
    pub fn deactivate(&self, key: &str, machine_id: &str) -> Result<(), ApiError> {
        protocol::read_done(&self.send(self.api.deactivate(key, machine_id))?)
    }

    /// `POST /licenses/recover`: the service emails the keys of `email`'s licenses, if it has any (`202`,
    /// the same answer either way).
    pub fn recover(&self, email: &str) -> Result<(), ApiError> {
        protocol::read_done(&self.send(self.api.recover(email))?)
    }

    /// `GET /.well-known/jwks.json`: the keys that verify keys and leases now.
    pub fn jwks(&self) -> Result<Jwks, ApiError> {
        protocol::read_jwks(&self.send(self.api.jwks())?)
    }

    /// `GET /subscriptions/status?product=` with the user's Logto access token.
    pub fn subscription_status(&self, logto_token: &str, product: Product) -> Result<SubscriptionStatus, ApiError> {
        protocol::read_subscription_status(&self.send(self.api.subscription_status(logto_token, product))?)
    }

    /// `GET /account/licenses`: every license of the signed-in user, with its machines.
    pub fn account_licenses(&self, logto_token: &str) -> Result<Vec<AccountLicense>, ApiError> {
        protocol::read_account_licenses(&self.send(self.api.account_licenses(logto_token))?)
    }

    /// `DELETE /account/licenses/{id}/machines/{machine_id}`: frees a seat without its key.
    pub fn free_machine(&self, logto_token: &str, license_id: &str, machine_id: &str) -> Result<(), ApiError> {
        protocol::read_done(&self.send(self.api.free_machine(logto_token, license_id, machine_id))?)
    }

    /// `POST /checkout/sessions`: the Stripe Checkout URL to open.
    pub fn checkout_url(&self, logto_token: &str, product: Product, tier: Tier, interval: Interval) -> Result<String, ApiError> {
        protocol::read_url(&self.send(self.api.checkout_session(logto_token, product, tier, interval))?)
    }

    /// `GET /checkout/sessions/{id}/license`: the key bought in that session (`404 not_ready` until issued).
    pub fn checkout_license(&self, logto_token: &str, session_id: &str) -> Result<CheckoutLicense, ApiError> {
        protocol::read_checkout_license(&self.send(self.api.checkout_license(logto_token, session_id))?)
    }

    /// `POST /billing/portal`: the Stripe customer portal URL to open.
    pub fn billing_portal_url(&self, logto_token: &str) -> Result<String, ApiError> {
        protocol::read_url(&self.send(self.api.billing_portal(logto_token))?)
    }
}
