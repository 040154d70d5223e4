//! When the app may run: revalidate every 72 h when online, work up to 7 days offline on a valid lease,
//! then block. A pure function, so the app's UI can say why and tests need no clock.

use crate::key::LEEWAY_SECS;
use crate::lease::Lease;

const HOUR: u64 = 3_600;
const DAY: u64 = 24 * HOUR;

/// What the app keeps between runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoredState {
    /// The stored lease, already checked with [`crate::verify_lease`] (`Ok`, or the lease inside
    /// `LeaseError::Expired`); `None` when there is none or it did not verify.
    pub lease: Option<Lease>,
    /// The largest `iat` ever seen from the server (rule 6): a clock earlier than that was set back.
    pub max_server_iat: u64,
}

/// The answer of the latest `validate` call this session, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerAnswer {
    /// `code: "valid"`: the new lease is stored in [`StoredState::lease`].
    Valid,
    /// `code: "revoked"` (refund, support).
    Revoked,
    /// `code: "suspended"` (open payment dispute).
    Suspended,
    /// `code: "expired"`.
    Expired,
    /// `code: "invalid"`: the key is not a license of this service.
    Invalid,
    /// `code: "not_activated"`: this machine holds no seat.
    NotActivated,
    /// `code: "machine_limit"`: every seat is taken by other machines.
    MachineLimit,
    /// No answer (network down, 5xx, 429): not a verdict, the lease decides.
    Unreachable {
        /// When the attempt failed, Unix seconds.
        at: u64,
    },
}

/// Why the app must stop premium use; each says what the user can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockReason {
    /// The license was revoked (refund or support).
    Revoked,
    /// The license is suspended while a payment dispute is open.
    Suspended,
    /// The license expired: renew.
    LicenseExpired,
    /// The key is not valid: enter it again.
    InvalidKey,
    /// This machine is not activated: activate it.
    NotActivated,
    /// Every seat is taken: deactivate another machine.
    MachineLimit,
    /// No lease and the server is unreachable: connect once.
    NoLease,
    /// Offline longer than the lease allows: connect once.
    OfflineTooLong,
    /// The clock is earlier than the server's last answer: fix the clock or connect.
    ClockSetBack,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Run; decide again at the latest at `until` (Unix seconds).
    Allow {
        /// When this decision runs out.
        until: u64,
    },
    /// Call `validate` now, then decide again with its answer.
    Revalidate,
    /// Stop premium use, and tell the user why.
    Block(BlockReason),
}

/// The rules, with the archived spec's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfflinePolicy {
    /// Ask the server this often while it answers (72 h).
    pub revalidate_every: u64,
    /// Keep working this long after the server's last "valid" (7 days, the lease's own lifetime).
    pub offline_grace: u64,
    /// After a failed attempt, wait this long before the next one (1 h).
    pub retry_unreachable_after: u64,
}

impl Default for OfflinePolicy {
    fn default() -> Self {
        OfflinePolicy { revalidate_every: 72 * HOUR, offline_grace: 7 * DAY, retry_unreachable_after: HOUR }
    }
}

impl OfflinePolicy {
    /// Decides from the stored state, the clock (Unix seconds) and the latest server answer.
    pub fn decide(&self, state: &StoredState, now: u64, last_answer: Option<ServerAnswer>) -> Decision {
        let unreachable_at = match last_answer {
            Some(ServerAnswer::Revoked) => return Decision::Block(BlockReason::Revoked),
            Some(ServerAnswer::Suspended) => return Decision::Block(BlockReason::Suspended),
            Some(ServerAnswer::Expired) => return Decision::Block(BlockReason::LicenseExpired),
            Some(ServerAnswer::Invalid) => return Decision::Block(BlockReason::InvalidKey),
            Some(ServerAnswer::NotActivated) => return Decision::Block(BlockReason::NotActivated),
            Some(ServerAnswer::MachineLimit) => return Decision::Block(BlockReason::MachineLimit),
            Some(ServerAnswer::Unreachable { at }) => Some(at),
            Some(ServerAnswer::Valid) | None => None,
        };
        // Without a verdict the app must ask, unless it just tried and failed: then it is blocked.
        let ask_or_block = |reason| if unreachable_at.is_some() { Decision::Block(reason) } else { Decision::Revalidate };

        if now.saturating_add(LEEWAY_SECS) < state.max_server_iat {
            return ask_or_block(BlockReason::ClockSetBack);
        }
        let lease = match &state.lease {
            Some(lease) => lease,
            None => return ask_or_block(BlockReason::NoLease),
        };
        let until = lease.expires_at.min(lease.issued_at.saturating_add(self.offline_grace));
        if now >= until.saturating_add(LEEWAY_SECS) {
            return ask_or_block(BlockReason::OfflineTooLong);
        }
        let due = now >= lease.issued_at.saturating_add(self.revalidate_every);
        let tried_recently = unreachable_at.map_or(false, |at| now < at.saturating_add(self.retry_unreachable_after));
        if due && !tried_recently && last_answer != Some(ServerAnswer::Valid) {
            return Decision::Revalidate;
        }
        Decision::Allow { until }
    }
}
