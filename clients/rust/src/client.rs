//! A blocking client of maximus-api for the desktop app (ureq). Every error answer is problem+json; its
//! `code` becomes a [`ProblemCode`], so the app matches on variants instead of strings.

use crate::jwks::Jwks;
use crate::key::Product;
use crate::policy::ServerAnswer;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// The `code` of a problem+json answer (docs/API.md; `src/errors.ts` is the closed list).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemCode {
    /// 400 `malformed_json`.
    MalformedJson,
    /// 400 `invalid_signature` (Stripe webhooks).
    InvalidSignature,
    /// 401 `unauthorized` (internal API key).
    Unauthorized,
    /// 401 `invalid_token` (Logto token missing, invalid or expired).
    InvalidToken,
    /// 401 `invalid_license`: the key is not one of this service's.
    InvalidLicense,
    /// 403 `license_revoked`.
    LicenseRevoked,
    /// 403 `license_suspended`.
    LicenseSuspended,
    /// 403 `license_expired`.
    LicenseExpired,
    /// 404 `not_found`.
    NotFound,
    /// 404 `no_subscription`.
    NoSubscription,
    /// 404 `not_ready`.
    NotReady,
    /// 405 `method_not_allowed`.
    MethodNotAllowed,
    /// 409 `activation_limit_reached`: every seat is taken (`limit` says how many).
    ActivationLimitReached,
    /// 409 `conflict`.
    Conflict,
    /// 413 `payload_too_large`.
    PayloadTooLarge,
    /// 415 `unsupported_media_type`.
    UnsupportedMediaType,
    /// 422 `validation_failed`.
    ValidationFailed,
    /// 429 `rate_limited`: wait `Retry-After`.
    RateLimited,
    /// 429 `deactivation_limit_reached`: this license moved too many machines lately; wait `Retry-After`.
    DeactivationLimitReached,
    /// 500 `internal_error`.
    InternalError,
    /// 502 `bad_gateway`.
    BadGateway,
    /// 503 `unavailable`.
    Unavailable,
    /// 503 `misconfigured`: the service is missing configuration.
    Misconfigured,
    /// A code this version of the crate does not know yet.
    Other(String),
}

impl ProblemCode {
    /// The variant of a `code` string.
    pub fn from_code(code: &str) -> ProblemCode {
        match code {
            "malformed_json" => ProblemCode::MalformedJson,
            "invalid_signature" => ProblemCode::InvalidSignature,
            "unauthorized" => ProblemCode::Unauthorized,
            "invalid_token" => ProblemCode::InvalidToken,
            "invalid_license" => ProblemCode::InvalidLicense,
            "license_revoked" => ProblemCode::LicenseRevoked,
            "license_suspended" => ProblemCode::LicenseSuspended,
            "license_expired" => ProblemCode::LicenseExpired,
            "not_found" => ProblemCode::NotFound,
            "no_subscription" => ProblemCode::NoSubscription,
            "not_ready" => ProblemCode::NotReady,
            "method_not_allowed" => ProblemCode::MethodNotAllowed,
            "activation_limit_reached" => ProblemCode::ActivationLimitReached,
            "conflict" => ProblemCode::Conflict,
            "payload_too_large" => ProblemCode::PayloadTooLarge,
            "unsupported_media_type" => ProblemCode::UnsupportedMediaType,
            "validation_failed" => ProblemCode::ValidationFailed,
            "rate_limited" => ProblemCode::RateLimited,
            "deactivation_limit_reached" => ProblemCode::DeactivationLimitReached,
            "internal_error" => ProblemCode::InternalError,
            "bad_gateway" => ProblemCode::BadGateway,
            "unavailable" => ProblemCode::Unavailable,
            "misconfigured" => ProblemCode::Misconfigured,
            other => ProblemCode::Other(other.to_owned()),
        }
    }
}

/// A call that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiError {
    /// The service answered with a problem.
    Problem {
        /// HTTP status.
        status: u16,
        /// The problem's `code`.
        code: ProblemCode,
        /// The problem's `detail`, safe to show.
        detail: String,
        /// `Retry-After`, in seconds, when the answer had one (429, 503).
        retry_after: Option<u64>,
        /// `limit` of `activation_limit_reached`: the machines allowed.
        limit: Option<u64>,
    },
    /// No answer (network, DNS, TLS, timeout): not a verdict, keep using the lease.
    Transport(String),
    /// An answer that is not what the API promises.
    Unexpected {
        /// HTTP status.
        status: u16,
        /// Why it could not be read.
        message: String,
    },
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Problem { status, code, detail, .. } => write!(f, "{status} {code:?}: {detail}"),
            ApiError::Transport(e) => write!(f, "service unreachable: {e}"),
            ApiError::Unexpected { status, message } => write!(f, "unexpected answer ({status}): {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A license as `activate` and `validate` show it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LicenseInfo {
    /// License id.
    pub id: String,
    /// Product id.
    pub product: String,
    /// `base` or `premium`.
    pub tier: String,
    /// Its standing now: `active`, `revoked`, `suspended`, `expired`.
    pub status: String,
    /// ISO 8601.
    pub expires_at: String,
}

/// The seat an activation holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Seat {
    /// The machine id sent.
    pub machine_id: String,
    /// ISO 8601.
    pub activated_at: String,
}

/// `200` of `POST /licenses/activate`: store `key` and `lease`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Activation {
    /// The license.
    pub license: LicenseInfo,
    /// This machine's seat.
    pub activation: Seat,
    /// The lease for this machine.
    pub lease: String,
    /// The newest key of this license (replaces the stored one).
    pub key: String,
}

/// `code` of `POST /licenses/validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidateCode {
    /// In good standing (and, with a machine id, activated there).
    Valid,
    /// Revoked (refund, support).
    Revoked,
    /// Suspended (open dispute).
    Suspended,
    /// Expired.
    Expired,
    /// Not a license of this service.
    Invalid,
    /// This machine holds no seat.
    NotActivated,
    /// Every seat is taken by other machines.
    MachineLimit,
    /// A code this version of the crate does not know yet.
    Other(String),
}

/// `200` of `POST /licenses/validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// The verdict.
    pub code: ValidateCode,
    /// The license, unless the key is invalid.
    pub license: Option<LicenseInfo>,
    /// A fresh lease, when valid and activated here: store it.
    pub lease: Option<String>,
    /// The newest key, while in good standing: store it.
    pub key: Option<String>,
}

impl Validation {
    /// The answer in the terms of [`crate::OfflinePolicy`].
    pub fn answer(&self) -> ServerAnswer {
        match self.code {
            ValidateCode::Valid => ServerAnswer::Valid,
            ValidateCode::Revoked => ServerAnswer::Revoked,
            ValidateCode::Suspended => ServerAnswer::Suspended,
            ValidateCode::Expired => ServerAnswer::Expired,
            ValidateCode::Invalid | ValidateCode::Other(_) => ServerAnswer::Invalid,
            ValidateCode::NotActivated => ServerAnswer::NotActivated,
            ValidateCode::MachineLimit => ServerAnswer::MachineLimit,
        }
    }
}

#[derive(Deserialize)]
struct RawValidation {
    code: String,
    license: Option<LicenseInfo>,
    lease: Option<String>,
    key: Option<String>,
}

/// `200` of `GET /subscriptions/status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SubscriptionStatus {
    /// `active`, `past_due`, `canceled` or `expired`.
    pub status: String,
    /// Product id.
    pub product: String,
    /// `base` or `premium`.
    pub tier: String,
    /// ISO 8601, when known.
    pub current_period_end: Option<String>,
    /// The subscription ends at the period end.
    pub cancel_at_period_end: bool,
    /// The license key of this subscription, once issued.
    pub license_key: Option<String>,
}

/// Optional details `activate` records about the machine (shown to the user in support).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachineInfo {
    /// A name the user recognises, e.g. the host name.
    pub name: Option<String>,
    /// e.g. `macos-aarch64`.
    pub platform: Option<String>,
    /// The app's version.
    pub app_version: Option<String>,
}

/// The blocking client.
#[derive(Debug, Clone)]
pub struct Client {
    base_url: String,
    agent: ureq::Agent,
    max_retry_wait: Duration,
}

impl Client {
    /// A client of the service at `base_url` (e.g. `https://api.maximus.example`), with a 15 s timeout; it
    /// waits out a `Retry-After` of up to 10 s once (see [`Client::max_retry_wait`]).
    pub fn new(base_url: &str) -> Client {
        Client {
            base_url: base_url.trim_end_matches('/').to_owned(),
            agent: ureq::AgentBuilder::new().timeout(Duration::from_secs(15)).build(),
            max_retry_wait: Duration::from_secs(10),
        }
    }

    /// The longest `Retry-After` (429, 503) a call waits out before retrying once; a longer one is returned
    /// as the error, with its `retry_after`, for the app to schedule. `Duration::ZERO`: never wait.
    pub fn max_retry_wait(mut self, wait: Duration) -> Client {
        self.max_retry_wait = wait;
        self
    }

    /// `POST /licenses/activate`.
    pub fn activate(&self, key: &str, machine_id: &str, machine: &MachineInfo) -> Result<Activation, ApiError> {
        let body = json!({
            "key": key, "machine_id": machine_id,
            "machine_name": machine.name, "platform": machine.platform, "app_version": machine.app_version,
        });
        parse(self.send("POST", "/licenses/activate", Some(&body), None)?)
    }

    /// `POST /licenses/validate`; pass the machine id to get a lease.
    pub fn validate(&self, key: &str, machine_id: Option<&str>) -> Result<Validation, ApiError> {
        let mut body = json!({ "key": key });
        if let Some(id) = machine_id {
            body["machine_id"] = json!(id);
        }
        let raw: RawValidation = parse(self.send("POST", "/licenses/validate", Some(&body), None)?)?;
        let code = match raw.code.as_str() {
            "valid" => ValidateCode::Valid,
            "revoked" => ValidateCode::Revoked,
            "suspended" => ValidateCode::Suspended,
            "expired" => ValidateCode::Expired,
            "invalid" => ValidateCode::Invalid,
            "not_activated" => ValidateCode::NotActivated,
            "machine_limit" => ValidateCode::MachineLimit,
            other => ValidateCode::Other(other.to_owned()),
        };
        Ok(Validation { code, license: raw.license, lease: raw.lease, key: raw.key })
    }

    /// `POST /licenses/deactivate`: frees this machine's seat (idempotent).
    pub fn deactivate(&self, key: &str, machine_id: &str) -> Result<(), ApiError> {
        self.send("POST", "/licenses/deactivate", Some(&json!({ "key": key, "machine_id": machine_id })), None)?;
        Ok(())
    }

    /// `POST /licenses/recover`: the service emails the keys of `email`'s licenses, if it has any (`202`,
    /// the same answer either way).
    pub fn recover(&self, email: &str) -> Result<(), ApiError> {
        self.send("POST", "/licenses/recover", Some(&json!({ "email": email })), None)?;
        Ok(())
    }

    /// `GET /subscriptions/status?product=` with the user's Logto access token.
    pub fn subscription_status(&self, logto_token: &str, product: Product) -> Result<SubscriptionStatus, ApiError> {
        let path = format!("/subscriptions/status?product={}", product.id());
        parse(self.send("GET", &path, None, Some(logto_token))?)
    }

    /// `GET /.well-known/jwks.json`: the keys that verify keys and leases now.
    pub fn jwks(&self) -> Result<Jwks, ApiError> {
        let (status, body) = self.send("GET", "/.well-known/jwks.json", None, None)?;
        Jwks::from_json(&body).map_err(|e| ApiError::Unexpected { status, message: e.to_string() })
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>, bearer: Option<&str>) -> Result<(u16, String), ApiError> {
        match self.send_once(method, path, body, bearer) {
            Err(ApiError::Problem { retry_after: Some(secs), status: 429 | 503, .. })
                if Duration::from_secs(secs) <= self.max_retry_wait =>
            {
                std::thread::sleep(Duration::from_secs(secs));
                self.send_once(method, path, body, bearer)
            }
            other => other,
        }
    }

    fn send_once(&self, method: &str, path: &str, body: Option<&Value>, bearer: Option<&str>) -> Result<(u16, String), ApiError> {
        let mut request = self.agent.request(method, &format!("{}{}", self.base_url, path)).set("accept", "application/json");
        if let Some(token) = bearer {
            request = request.set("authorization", &format!("Bearer {token}"));
        }
        let result = match body {
            Some(body) => request.set("content-type", "application/json").send_string(&body.to_string()),
            None => request.call(),
        };
        match result {
            Ok(response) => {
                let status = response.status();
                let text = response.into_string().map_err(|e| ApiError::Transport(e.to_string()))?;
                Ok((status, text))
            }
            Err(ureq::Error::Status(status, response)) => {
                let retry_after = response.header("retry-after").and_then(|v| v.trim().parse().ok());
                let text = response.into_string().unwrap_or_default();
                Err(problem(status, &text, retry_after))
            }
            Err(ureq::Error::Transport(e)) => Err(ApiError::Transport(e.to_string())),
        }
    }
}

/// Reads an error answer: problem+json becomes [`ApiError::Problem`], anything else `Unexpected`.
pub(crate) fn problem(status: u16, body: &str, retry_after: Option<u64>) -> ApiError {
    let value: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match value.get("code").and_then(Value::as_str) {
        Some(code) => ApiError::Problem {
            status,
            code: ProblemCode::from_code(code),
            detail: value.get("detail").and_then(Value::as_str).unwrap_or_default().to_owned(),
            retry_after,
            limit: value.get("limit").and_then(Value::as_u64),
        },
        None => ApiError::Unexpected { status, message: "not a problem+json answer".into() },
    }
}

fn parse<T: serde::de::DeserializeOwned>((status, body): (u16, String)) -> Result<T, ApiError> {
    serde_json::from_str(&body).map_err(|e| ApiError::Unexpected { status, message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_code_of_the_service_is_a_variant() {
        let codes = [
            "malformed_json", "invalid_signature", "unauthorized", "invalid_token", "invalid_license",
            "license_revoked", "license_suspended", "license_expired", "not_found", "no_subscription", "not_ready",
            "method_not_allowed", "activation_limit_reached", "conflict", "payload_too_large",
            "unsupported_media_type", "validation_failed", "rate_limited", "deactivation_limit_reached",
            "internal_error", "bad_gateway", "unavailable", "misconfigured",
        ];
        for code in codes {
            assert!(!matches!(ProblemCode::from_code(code), ProblemCode::Other(_)), "{code} has no variant");
        }
        assert_eq!(ProblemCode::from_code("brand_new"), ProblemCode::Other("brand_new".into()));
    }

    #[test]
    fn a_problem_keeps_its_code_detail_limit_and_retry_after() {
        let body = r#"{"type":"x","title":"t","status":409,"detail":"3 machines","code":"activation_limit_reached","limit":3}"#;
        assert_eq!(
            problem(409, body, None),
            ApiError::Problem {
                status: 409,
                code: ProblemCode::ActivationLimitReached,
                detail: "3 machines".into(),
                retry_after: None,
                limit: Some(3)
            }
        );
        let limited = problem(429, r#"{"code":"deactivation_limit_reached","detail":"later"}"#, Some(86_400));
        assert!(matches!(limited, ApiError::Problem { code: ProblemCode::DeactivationLimitReached, retry_after: Some(86_400), .. }));
        assert!(matches!(problem(502, "<html>", None), ApiError::Unexpected { status: 502, .. }));
    }
}
