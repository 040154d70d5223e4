//! The service's HTTP protocol without any I/O (sans-IO): [`Api`] builds each [`Request`] (method, URL,
//! headers, body) and the `read_*` functions parse each [`Response`]. The app sends requests with the
//! client it already has (Tauri's reqwest on the OS trust store, corporate proxies included), or with the
//! crate's blocking `ureq` transport (feature `ureq`). Nothing here sleeps: a `Retry-After` is returned.

use crate::jwks::Jwks;
use crate::key::{Product, Tier};
use crate::policy::ServerAnswer;
use crate::time::iso_or_secs;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};

/// An HTTP method the service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// `GET`, `POST`, `DELETE` (also what a DPoP proof's `htm` carries).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A request to send as is. Headers may be added before sending ([`Request::with_header`]), e.g. a
/// proof of possession computed over the method and URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute URL, query included.
    pub url: String,
    /// Header names (lower case) and values, in order.
    pub headers: Vec<(String, String)>,
    /// The JSON body, when there is one (`content-type: application/json` is then in `headers`).
    pub body: Option<String>,
}

impl Request {
    fn new(method: Method, url: String) -> Request {
        Request { method, url, headers: vec![("accept".into(), "application/json".into())], body: None }
    }

    /// The request with one more header (name stored in lower case).
    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    fn json(self, body: &Value) -> Request {
        let mut r = self.with_header("content-type", "application/json");
        r.body = Some(body.to_string());
        r
    }

    fn bearer(self, token: &str) -> Request {
        self.with_header("authorization", &format!("Bearer {token}"))
    }

    /// The value of a header of this request (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What came back: the status, the headers the parsers read (`retry-after`), the body as text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Header names and values (any case); only `retry-after` is read.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl Response {
    /// The value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `Retry-After` in seconds (the service sends delta-seconds).
    pub fn retry_after(&self) -> Option<u64> {
        self.header("retry-after").and_then(|v| v.trim().parse().ok())
    }
}

/// The `code` of a problem+json answer (docs/API.md; `src/errors.ts` is the closed list). Serializes as
/// the code string itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// 401 `invalid_proof`: the DPoP proof is missing or bad for this seat.
    InvalidProof,
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

const PROBLEM_CODES: [(&str, ProblemCode); 24] = [
    ("malformed_json", ProblemCode::MalformedJson),
    ("invalid_signature", ProblemCode::InvalidSignature),
    ("unauthorized", ProblemCode::Unauthorized),
    ("invalid_token", ProblemCode::InvalidToken),
    ("invalid_license", ProblemCode::InvalidLicense),
    ("license_revoked", ProblemCode::LicenseRevoked),
    ("license_suspended", ProblemCode::LicenseSuspended),
    ("license_expired", ProblemCode::LicenseExpired),
    ("not_found", ProblemCode::NotFound),
    ("no_subscription", ProblemCode::NoSubscription),
    ("not_ready", ProblemCode::NotReady),
    ("method_not_allowed", ProblemCode::MethodNotAllowed),
    ("invalid_proof", ProblemCode::InvalidProof),
    ("activation_limit_reached", ProblemCode::ActivationLimitReached),
    ("conflict", ProblemCode::Conflict),
    ("payload_too_large", ProblemCode::PayloadTooLarge),
    ("unsupported_media_type", ProblemCode::UnsupportedMediaType),
    ("validation_failed", ProblemCode::ValidationFailed),
    ("rate_limited", ProblemCode::RateLimited),
    ("deactivation_limit_reached", ProblemCode::DeactivationLimitReached),
    ("internal_error", ProblemCode::InternalError),
    ("bad_gateway", ProblemCode::BadGateway),
    ("unavailable", ProblemCode::Unavailable),
    ("misconfigured", ProblemCode::Misconfigured),
];

impl ProblemCode {
    /// The variant of a `code` string.
    pub fn from_code(code: &str) -> ProblemCode {
        PROBLEM_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| ProblemCode::Other(code.to_owned()), |(_, v)| v.clone())
    }

    /// The `code` string.
    pub fn as_code(&self) -> &str {
        match self {
            ProblemCode::Other(code) => code,
            known => PROBLEM_CODES.iter().find(|(_, v)| v == known).map_or("", |(c, _)| c),
        }
    }

    /// Every code this crate knows (for catalogs and tests).
    pub fn known() -> impl Iterator<Item = ProblemCode> {
        PROBLEM_CODES.iter().map(|(_, v)| v.clone())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_code())
    }
}

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ProblemCode::from_code(&String::deserialize(d)?))
    }
}

/// A call that did not succeed. Serializes as `{"kind":"problem","status":409,"code":"…",…}`,
/// `{"kind":"transport","message":"…"}` or `{"kind":"unexpected",…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApiError {
    /// The service answered with a problem.
    Problem {
        /// HTTP status.
        status: u16,
        /// The problem's `code`.
        code: ProblemCode,
        /// The problem's `detail`, safe to show (in English: show [`crate::Describe::message`] instead).
        detail: String,
        /// `Retry-After`, in seconds, when the answer had one (429, 503): when to try again.
        retry_after: Option<u64>,
        /// `limit` of `activation_limit_reached`: the machines allowed.
        limit: Option<u64>,
    },
    /// No answer (network, DNS, TLS, timeout): not a verdict, keep using the lease.
    Transport {
        /// What the transport said.
        message: String,
    },
    /// An answer that is not what the API promises.
    Unexpected {
        /// HTTP status.
        status: u16,
        /// Why it could not be read.
        message: String,
    },
}

impl ApiError {
    /// True when the service gave no verdict (no answer, 5xx, 429): the stored lease decides.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ApiError::Transport { .. } => true,
            ApiError::Problem { status, .. } | ApiError::Unexpected { status, .. } => *status == 429 || *status >= 500,
        }
    }

    /// `Retry-After` of the answer, in seconds.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Problem { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Problem { status, code, detail, .. } => write!(f, "{status} {}: {detail}", code.as_code()),
            ApiError::Transport { message } => write!(f, "service unreachable: {message}"),
            ApiError::Unexpected { status, message } => write!(f, "unexpected answer ({status}): {message}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A license as `activate` and `validate` show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseInfo {
    /// License id.
    pub id: String,
    /// Product.
    pub product: Product,
    /// Tier.
    pub tier: Tier,
    /// Its standing now: `active`, `revoked`, `suspended`, `expired`.
    pub status: String,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub expires_at: u64,
}

/// The seat an activation holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// The machine id sent.
    pub machine_id: String,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub activated_at: u64,
}

/// `200` of `POST /licenses/activate`: store `key` and `lease`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// `code` of `POST /licenses/validate`; serializes as the code string.
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
    /// The seat is bound to a key and the proof is missing or bad.
    InvalidProof,
    /// A code this version of the crate does not know yet.
    Other(String),
}

const VALIDATE_CODES: [(&str, ValidateCode); 8] = [
    ("valid", ValidateCode::Valid),
    ("revoked", ValidateCode::Revoked),
    ("suspended", ValidateCode::Suspended),
    ("expired", ValidateCode::Expired),
    ("invalid", ValidateCode::Invalid),
    ("not_activated", ValidateCode::NotActivated),
    ("machine_limit", ValidateCode::MachineLimit),
    ("invalid_proof", ValidateCode::InvalidProof),
];

impl ValidateCode {
    /// The variant of a `code` string.
    pub fn from_code(code: &str) -> ValidateCode {
        VALIDATE_CODES
            .iter()
            .find(|(c, _)| *c == code)
            .map_or_else(|| ValidateCode::Other(code.to_owned()), |(_, v)| v.clone())
    }

    /// The `code` string.
    pub fn as_code(&self) -> &str {
        match self {
            ValidateCode::Other(code) => code,
            known => VALIDATE_CODES.iter().find(|(_, v)| v == known).map_or("", |(c, _)| c),
        }
    }
}

impl Serialize for ValidateCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_code())
    }
}

impl<'de> Deserialize<'de> for ValidateCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(ValidateCode::from_code(&String::deserialize(d)?))
    }
}

/// `200` of `POST /licenses/validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    /// The verdict.
    pub code: ValidateCode,
    /// The license, unless the key is invalid.
    pub license: Option<LicenseInfo>,
    /// A fresh lease, when valid and activated here: store it.
    #[serde(default)]
    pub lease: Option<String>,
    /// The newest key, while in good standing: store it.
    #[serde(default)]
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
            ValidateCode::InvalidProof => ServerAnswer::InvalidProof,
        }
    }
}

/// `200` of `GET /subscriptions/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionStatus {
    /// `active`, `past_due`, `canceled` or `expired`.
    pub status: String,
    /// Product.
    pub product: Product,
    /// Tier.
    pub tier: Tier,
    /// Unix seconds, when known.
    #[serde(default, with = "iso_or_secs::option")]
    pub current_period_end: Option<u64>,
    /// The subscription ends at the period end.
    pub cancel_at_period_end: bool,
    /// The license key of this subscription, once issued.
    pub license_key: Option<String>,
}

/// A seat as the account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMachine {
    /// The machine id.
    pub machine_id: String,
    /// The name sent at activation.
    pub machine_name: Option<String>,
    /// The platform sent at activation.
    pub platform: Option<String>,
    /// The app version sent at activation.
    pub app_version: Option<String>,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub activated_at: u64,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub last_seen_at: u64,
}

/// One license of `GET /account/licenses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountLicense {
    /// License id.
    pub id: String,
    /// Product.
    pub product: Product,
    /// Tier.
    pub tier: Tier,
    /// Its standing now.
    pub status: String,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub expires_at: u64,
    /// The newest key.
    pub key: String,
    /// Seats this license allows.
    pub max_machines: u64,
    /// The machines holding a seat.
    pub machines: Vec<AccountMachine>,
}

/// `200` of `GET /checkout/sessions/{id}/license`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutLicense {
    /// The key to activate.
    pub key: String,
    /// Product.
    pub product: Product,
    /// Tier.
    pub tier: Tier,
    /// Unix seconds.
    #[serde(with = "iso_or_secs")]
    pub expires_at: u64,
}

/// Billing interval of a checkout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    /// Monthly.
    Month,
    /// Yearly.
    Year,
}

/// Optional details `activate` records about the machine (shown to the user on the account page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineInfo {
    /// A name the user recognises, e.g. the host name.
    pub name: Option<String>,
    /// e.g. `windows-x86_64`.
    pub platform: Option<String>,
    /// The app's version.
    pub app_version: Option<String>,
}

/// The request builders of the service at one base URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Api {
    base_url: String,
}

impl Api {
    /// The service at `base_url` (e.g. `https://api.maximus.example`).
    pub fn new(base_url: &str) -> Api {
        Api { base_url: base_url.trim_end_matches('/').to_owned() }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn at(&self, method: Method, path: &str) -> Request {
        Request::new(method, format!("{}{}", self.base_url, path))
    }

    /// `POST /licenses/activate` → [`read_activation`].
    pub fn activate(&self, key: &str, machine_id: &str, machine: &MachineInfo) -> Request {
        self.at(Method::Post, "/licenses/activate").json(&json!({
            "key": key, "machine_id": machine_id,
            "machine_name": machine.name, "platform": machine.platform, "app_version": machine.app_version,
        }))
    }

    /// `POST /licenses/validate` (with the machine id, to get a lease) → [`read_validation`].
    pub fn validate(&self, key: &str, machine_id: Option<&str>) -> Request {
        let mut body = json!({ "key": key });
        if let Some(id) = machine_id {
            body["machine_id"] = json!(id);
        }
        self.at(Method::Post, "/licenses/validate").json(&body)
    }

    /// `POST /licenses/deactivate` → [`read_done`].
    pub fn deactivate(&self, key: &str, machine_id: &str) -> Request {
        self.at(Method::Post, "/licenses/deactivate").json(&json!({ "key": key, "machine_id": machine_id }))
    }

    /// `POST /licenses/recover` → [`read_done`] (`202`, the same answer whether or not `email` bought).
    pub fn recover(&self, email: &str) -> Request {
        self.at(Method::Post, "/licenses/recover").json(&json!({ "email": email }))
    }

    /// `GET /.well-known/jwks.json` → [`read_jwks`].
    pub fn jwks(&self) -> Request {
        self.at(Method::Get, "/.well-known/jwks.json")
    }

    /// `GET /subscriptions/status?product=` with the user's Logto access token → [`read_subscription_status`].
    pub fn subscription_status(&self, logto_token: &str, product: Product) -> Request {
        self.at(Method::Get, &format!("/subscriptions/status?product={}", product.id())).bearer(logto_token)
    }

    /// `GET /account/licenses` → [`read_account_licenses`].
    pub fn account_licenses(&self, logto_token: &str) -> Request {
        self.at(Method::Get, "/account/licenses").bearer(logto_token)
    }

    /// `DELETE /account/licenses/{id}/machines/{machine_id}`: frees a seat without the key → [`read_done`].
    pub fn free_machine(&self, logto_token: &str, license_id: &str, machine_id: &str) -> Request {
        let path = format!("/account/licenses/{}/machines/{}", path_segment(license_id), path_segment(machine_id));
        self.at(Method::Delete, &path).bearer(logto_token)
    }

    /// `POST /checkout/sessions` → [`read_url`] (the Stripe Checkout page to open).
    pub fn checkout_session(&self, logto_token: &str, product: Product, tier: Tier, interval: Interval) -> Request {
        self.at(Method::Post, "/checkout/sessions")
            .bearer(logto_token)
            .json(&json!({ "product": product, "tier": tier, "interval": interval }))
    }

    /// `GET /checkout/sessions/{id}/license` → [`read_checkout_license`] (`404 not_ready` until issued).
    pub fn checkout_license(&self, logto_token: &str, session_id: &str) -> Request {
        self.at(Method::Get, &format!("/checkout/sessions/{}/license", path_segment(session_id))).bearer(logto_token)
    }

    /// `POST /billing/portal` → [`read_url`] (the Stripe customer portal to open).
    pub fn billing_portal(&self, logto_token: &str) -> Request {
        self.at(Method::Post, "/billing/portal").bearer(logto_token)
    }
}

fn path_segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Reads an error answer: problem+json becomes [`ApiError::Problem`], anything else `Unexpected`.
pub fn read_problem(response: &Response) -> ApiError {
    let value: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
    match value.get("code").and_then(Value::as_str) {
        Some(code) => ApiError::Problem {
            status: response.status,
            code: ProblemCode::from_code(code),
            detail: value.get("detail").and_then(Value::as_str).unwrap_or_default().to_owned(),
            retry_after: response.retry_after(),
            limit: value.get("limit").and_then(Value::as_u64),
        },
        None => ApiError::Unexpected { status: response.status, message: "not a problem+json answer".into() },
    }
}

fn read_json<T: serde::de::DeserializeOwned>(response: &Response) -> Result<T, ApiError> {
    if !(200..300).contains(&response.status) {
        return Err(read_problem(response));
    }
    serde_json::from_str(&response.body).map_err(|e| ApiError::Unexpected { status: response.status, message: e.to_string() })
}

/// Reads the answer of [`Api::activate`].
pub fn read_activation(response: &Response) -> Result<Activation, ApiError> {
    read_json(response)
}

/// Reads the answer of [`Api::validate`].
pub fn read_validation(response: &Response) -> Result<Validation, ApiError> {
    read_json(response)
}

/// Reads an answer whose body says nothing more than success (deactivate, recover, free a machine).
pub fn read_done(response: &Response) -> Result<(), ApiError> {
    read_json::<Value>(response).map(|_| ())
}

/// Reads the answer of [`Api::jwks`].
pub fn read_jwks(response: &Response) -> Result<Jwks, ApiError> {
    if !(200..300).contains(&response.status) {
        return Err(read_problem(response));
    }
    Jwks::from_json(&response.body).map_err(|e| ApiError::Unexpected { status: response.status, message: e.to_string() })
}

/// Reads the answer of [`Api::subscription_status`].
pub fn read_subscription_status(response: &Response) -> Result<SubscriptionStatus, ApiError> {
    read_json(response)
}

/// Reads the answer of [`Api::account_licenses`].
pub fn read_account_licenses(response: &Response) -> Result<Vec<AccountLicense>, ApiError> {
    #[derive(Deserialize)]
    struct Licenses {
        licenses: Vec<AccountLicense>,
    }
    read_json::<Licenses>(response).map(|l| l.licenses)
}

/// Reads the answer of [`Api::checkout_license`].
pub fn read_checkout_license(response: &Response) -> Result<CheckoutLicense, ApiError> {
    read_json(response)
}

/// Reads `{"url"}` (checkout and billing portal sessions).
pub fn read_url(response: &Response) -> Result<String, ApiError> {
    #[derive(Deserialize)]
    struct Url {
        url: String,
    }
    read_json::<Url>(response).map(|u| u.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Response {
        Response { status, headers: vec![], body: body.into() }
    }

    #[test]
    fn every_problem_code_of_the_service_is_a_variant_and_serializes_as_itself() {
        let codes = [
            "malformed_json", "invalid_signature", "unauthorized", "invalid_token", "invalid_license",
            "license_revoked", "license_suspended", "license_expired", "not_found", "no_subscription", "not_ready",
            "method_not_allowed", "activation_limit_reached", "conflict", "payload_too_large",
            "unsupported_media_type", "validation_failed", "rate_limited", "deactivation_limit_reached", "invalid_proof",
            "internal_error", "bad_gateway", "unavailable", "misconfigured",
        ];
        for code in codes {
            let variant = ProblemCode::from_code(code);
            assert!(!matches!(variant, ProblemCode::Other(_)), "{code} has no variant");
            assert_eq!(serde_json::to_string(&variant).unwrap(), format!("\"{code}\""));
        }
        assert_eq!(ProblemCode::from_code("brand_new"), ProblemCode::Other("brand_new".into()));
        assert_eq!(ProblemCode::from_code("brand_new").as_code(), "brand_new");
    }

    #[test]
    fn a_problem_keeps_its_code_detail_limit_and_retry_after() {
        let body = r#"{"type":"x","title":"t","status":409,"detail":"3 machines","code":"activation_limit_reached","limit":3}"#;
        let problem = read_problem(&answer(409, body));
        assert_eq!(
            problem,
            ApiError::Problem {
                status: 409,
                code: ProblemCode::ActivationLimitReached,
                detail: "3 machines".into(),
                retry_after: None,
                limit: Some(3)
            }
        );
        let json = serde_json::to_string(&problem).unwrap();
        assert!(json.starts_with(r#"{"kind":"problem","status":409,"code":"activation_limit_reached""#), "{json}");
        assert_eq!(serde_json::from_str::<ApiError>(&json).unwrap(), problem);

        let mut limited = answer(429, r#"{"code":"deactivation_limit_reached","detail":"later"}"#);
        limited.headers.push(("Retry-After".into(), "86400".into()));
        let limited = read_done(&limited).unwrap_err();
        assert!(matches!(limited, ApiError::Problem { code: ProblemCode::DeactivationLimitReached, retry_after: Some(86_400), .. }));
        assert!(limited.is_unreachable(), "a 429 is no verdict");
        assert!(matches!(read_done(&answer(502, "<html>")), Err(ApiError::Unexpected { status: 502, .. })));
    }

    #[test]
    fn requests_carry_method_url_headers_and_body() {
        let api = Api::new("https://api.maximus.example/");
        let r = api.validate("SR-BASE-x", Some("machine-0123456789"));
        assert_eq!((r.method, r.url.as_str()), (Method::Post, "https://api.maximus.example/licenses/validate"));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
        let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({ "key": "SR-BASE-x", "machine_id": "machine-0123456789" }));

        let r = api.free_machine("tok", "lic/1", "m 1").with_header("DPoP", "proof");
        assert_eq!((r.method, r.url.as_str()), (Method::Delete, "https://api.maximus.example/account/licenses/lic%2F1/machines/m%201"));
        assert_eq!((r.header("authorization"), r.header("dpop")), (Some("Bearer tok"), Some("proof")));
        assert_eq!(r.body, None);

        let r = api.checkout_session("tok", Product::SimplListe, Tier::Premium, Interval::Year);
        let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(body, json!({ "product": "simpl-liste", "tier": "premium", "interval": "year" }));
    }

    #[test]
    fn answers_read_with_times_as_unix_seconds() {
        let body = r#"{"license":{"id":"lic","product":"simpl-resultat","tier":"premium","status":"active",
            "expires_at":"2026-12-01T00:00:00Z"},"activation":{"machine_id":"m","activated_at":"1970-01-01T00:01:00Z"},
            "lease":"l","key":"k"}"#;
        let a = read_activation(&answer(200, body)).unwrap();
        assert_eq!((a.license.expires_at, a.activation.activated_at, a.license.tier), (1_796_083_200, 60, Tier::Premium));
        // What the crate serializes reads back (numbers), for the app's own storage and its web view.
        let again: Activation = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(again, a);

        let v = read_validation(&answer(200, r#"{"valid":false,"code":"revoked","license":null}"#)).unwrap();
        assert_eq!((v.code.clone(), v.answer(), v.lease), (ValidateCode::Revoked, ServerAnswer::Revoked, None));
        let s = read_subscription_status(&answer(
            200,
            r#"{"status":"active","product":"simpl-resultat","tier":"base","current_period_end":null,"cancel_at_period_end":false,"license_key":null}"#,
        ))
        .unwrap();
        assert_eq!(s.current_period_end, None);
        assert_eq!(read_url(&answer(200, r#"{"url":"https://checkout.stripe.com/c/pay/cs_test_1"}"#)).unwrap(), "https://checkout.stripe.com/c/pay/cs_test_1");
        assert!(matches!(read_url(&answer(200, "{}")), Err(ApiError::Unexpected { .. })));
    }
}
