//! When the app may run: revalidate every 72 h when online, work up to 7 days offline on a valid lease,
//! then block. A pure function, so the app's UI can say why and tests need no clock.

use crate::key::LEEWAY_SECS;
use crate::lease::Lease;
use serde::Serialize;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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

/// The decision. Serializes for the UI as `{"allow":{"until":…}}`, `"revalidate"` or `{"block":"revoked"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::{Product, Tier};

    const T0: u64 = 1_800_000_000;

    fn lease_at(iat: u64) -> StoredState {
        let lease = Lease {
            license_id: "lic".into(),
            product: Product::SimplResultat,
            machine_id: "machine".into(),
            tier: Tier::Premium,
            issued_at: iat,
            expires_at: iat + 7 * DAY,
        };
        StoredState { lease: Some(lease), max_server_iat: iat }
    }

    #[test]
    fn the_ui_gets_the_decision_as_json() {
        let json = |d: Decision| serde_json::to_string(&d).unwrap();
        assert_eq!(json(Decision::Allow { until: 5 }), r#"{"allow":{"until":5}}"#);
        assert_eq!(json(Decision::Revalidate), r#""revalidate""#);
        assert_eq!(json(Decision::Block(BlockReason::OfflineTooLong)), r#"{"block":"offline_too_long"}"#);
    }

    #[test]
    fn a_fresh_lease_allows_until_its_expiry() {
        assert_eq!(OfflinePolicy::default().decide(&lease_at(T0), T0 + HOUR, None), Decision::Allow { until: T0 + 7 * DAY });
    }

    #[test]
    fn after_72_hours_it_asks_the_server_and_an_outage_does_not_block() {
        let p = OfflinePolicy::default();
        let state = lease_at(T0);
        assert_eq!(p.decide(&state, T0 + 72 * HOUR, None), Decision::Revalidate);
        let failed = Some(ServerAnswer::Unreachable { at: T0 + 72 * HOUR });
        assert_eq!(p.decide(&state, T0 + 72 * HOUR + 60, failed), Decision::Allow { until: T0 + 7 * DAY });
        // An hour after the failed attempt it tries again.
        assert_eq!(p.decide(&state, T0 + 73 * HOUR, failed), Decision::Revalidate);
    }

    #[test]
    fn seven_days_offline_blocks() {
        let p = OfflinePolicy::default();
        let failed = Some(ServerAnswer::Unreachable { at: T0 + 7 * DAY + HOUR });
        assert_eq!(p.decide(&lease_at(T0), T0 + 7 * DAY + HOUR, failed), Decision::Block(BlockReason::OfflineTooLong));
        assert_eq!(p.decide(&lease_at(T0), T0 + 7 * DAY + HOUR, None), Decision::Revalidate);
    }

    #[test]
    fn the_servers_verdict_wins_over_a_valid_lease() {
        let p = OfflinePolicy::default();
        let cases = [
            (ServerAnswer::Revoked, BlockReason::Revoked),
            (ServerAnswer::Suspended, BlockReason::Suspended),
            (ServerAnswer::Expired, BlockReason::LicenseExpired),
            (ServerAnswer::Invalid, BlockReason::InvalidKey),
            (ServerAnswer::NotActivated, BlockReason::NotActivated),
            (ServerAnswer::MachineLimit, BlockReason::MachineLimit),
        ];
        for (answer, reason) in cases {
            assert_eq!(p.decide(&lease_at(T0), T0 + HOUR, Some(answer)), Decision::Block(reason));
        }
    }

    #[test]
    fn a_clock_set_back_before_the_servers_last_answer_is_not_trusted() {
        let p = OfflinePolicy::default();
        let state = lease_at(T0);
        assert_eq!(p.decide(&state, T0 - HOUR, None), Decision::Revalidate);
        let failed = Some(ServerAnswer::Unreachable { at: T0 - HOUR });
        assert_eq!(p.decide(&state, T0 - HOUR, failed), Decision::Block(BlockReason::ClockSetBack));
        assert_eq!(p.decide(&state, T0 - 30, None), Decision::Allow { until: T0 + 7 * DAY }, "within the leeway");
    }

    #[test]
    fn no_lease_asks_then_blocks_when_offline() {
        let p = OfflinePolicy::default();
        let none = StoredState::default();
        assert_eq!(p.decide(&none, T0, None), Decision::Revalidate);
        assert_eq!(p.decide(&none, T0, Some(ServerAnswer::Unreachable { at: T0 })), Decision::Block(BlockReason::NoLease));
    }

    #[test]
    fn a_lease_capped_by_the_license_expiry_allows_only_until_then() {
        let mut state = lease_at(T0);
        state.lease.as_mut().unwrap().expires_at = T0 + DAY;
        assert_eq!(OfflinePolicy::default().decide(&state, T0 + HOUR, None), Decision::Allow { until: T0 + DAY });
    }
}
