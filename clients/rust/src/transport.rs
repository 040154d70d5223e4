//! How a [`Request`] gets sent: the one seam between the sans-IO protocol and the app's HTTP client.
//! Timeouts, proxies and TLS roots are the transport's; it never retries or sleeps.

use crate::protocol::{Request, Response};
use serde::{Deserialize, Serialize};

/// No answer at all (DNS, connection, TLS, timeout). An HTTP error status is a [`Response`], not this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransportError {
    /// What the HTTP client said.
    pub message: String,
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no answer: {}", self.message)
    }
}

impl std::error::Error for TransportError {}

/// Sends one request and returns whatever status came back. Implement it over the app's own client
/// (the README shows reqwest); a closure `Fn(&Request) -> Result<Response, TransportError>` is one too.
pub trait Transport {
    /// Sends `request` once.
    fn send(&self, request: &Request) -> Result<Response, TransportError>;
}

impl<F: Fn(&Request) -> Result<Response, TransportError>> Transport for F {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self(request)
    }
}

/// A transport with no network: every request fails as if the machine were offline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoNetwork;

impl Transport for NoNetwork {
    fn send(&self, _: &Request) -> Result<Response, TransportError> {
        Err(TransportError { message: "offline".into() })
    }
}

/// The blocking `ureq` transport (feature `ureq`, on by default), with a 15 s timeout.
#[cfg(feature = "ureq")]
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
}

#[cfg(feature = "ureq")]
impl UreqTransport {
    /// A transport with a 15 s timeout per request.
    pub fn new() -> UreqTransport {
        UreqTransport::with_agent(ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(15)).build())
    }

    /// A transport over an agent the app configured (proxy, TLS, timeouts).
    pub fn with_agent(agent: ureq::Agent) -> UreqTransport {
        UreqTransport { agent }
    }
}

#[cfg(feature = "ureq")]
impl Default for UreqTransport {
    fn default() -> Self {
        UreqTransport::new()
    }
}

#[cfg(feature = "ureq")]
impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let mut call = self.agent.request(request.method.as_str(), &request.url);
        for (name, value) in &request.headers {
            call = call.set(name, value);
        }
        let result = match &request.body {
            Some(body) => call.send_string(body),
            None => call.call(),
        };
        let response = match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(e)) => return Err(TransportError { message: e.to_string() }),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| response.header(&name).map(|v| (name.clone(), v.to_owned())))
            .collect();
        let body = response.into_string().map_err(|e| TransportError { message: e.to_string() })?;
        Ok(Response { status, headers, body })
    }
}
