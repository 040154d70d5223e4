//! When the app may run: revalidate every 72 h when online, work up to 7 days offline on a valid lease,
//! then block. A pure function, so the app's UI can say why and tests need no clock.
//!
//! Offline time is counted two ways and the larger wins: wall-clock time since the lease's `iat`, and
//! use time (monotonic time the app has run since the last online answer, [`StoredState::use_secs`]).
//! A clock held still therefore cannot stretch the 7 days, and a clock earlier than the latest time this
//! install has seen (beyond [`ROLLBACK_TOLERANCE_SECS`]) blocks with `clock_rollback` until the server
//! answers again.

use crate::key::LEEWAY_SECS;
use crate::lease::Lease;
use serde::{Deserialize, Serialize};

const HOUR: u64 = 3_600;
const DAY: u64 = 24 * HOUR;

/// How far the clock may fall behind the latest time seen before it counts as turned back (5 min:
/// NTP corrections and time-zone mistakes are not fraud).
pub const ROLLBACK_TOLERANCE_SECS: u64 = 5 * 60;

/// What the policy judges: the verified lease and the offline counters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StoredState {
    /// The stored lease, already checked with [`crate::verify_lease`] (`Ok`, or the lease inside
    /// `LeaseError::Expired`); `None` when there is none or it did not verify.
    pub lease: Option<Lease>,
    /// The largest `iat` ever seen from the server (rule 6): a clock earlier than that was set back.
    pub max_server_iat: u64,
    /// The latest wall-clock time (Unix seconds) this install has seen, from [`StoredState::record_use`].
    pub latest_seen: u64,
    /// Use time, in seconds, accumulated since the last online answer: monotonic time the app has run,
    /// from [`StoredState::record_use`]; reset by [`StoredState::record_online`].
    pub use_secs: u64,
}

impl StoredState {
    /// A state holding `lease` (already verified), right after the server issued it.
    pub fn new(lease: Option<Lease>) -> Self {
        let iat = lease.as_ref().map_or(0, |l| l.issued_at);
        StoredState { lease, max_server_iat: iat, latest_seen: iat, use_secs: 0 }
    }

    /// Records that the app ran for `elapsed` seconds of monotonic time (measure it with
    /// `std::time::Instant`, never with the wall clock) and that the wall clock now reads `now`.
    /// Call it at start and periodically while the app runs, and save the state.
    pub fn record_use(&mut self, now: u64, elapsed: u64) {
        self.latest_seen = self.latest_seen.max(now);
        self.use_secs = self.use_secs.saturating_add(elapsed);
    }

    /// Records an online answer from the server at `now` carrying a token issued at `server_iat`: the
    /// offline counters start over, and the clock is trusted again.
    pub fn record_online(&mut self, now: u64, server_iat: u64) {
        self.max_server_iat = self.max_server_iat.max(server_iat);
        // The server's answer wins: a clock turned back is forgiven once the server has been reached.
        self.latest_seen = now.max(server_iat);
        self.use_secs = 0;
    }
}

/// The answer of the latest `validate` call, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// `code: "invalid_proof"`: the seat is bound to another key than this install's (or the proof failed).
    InvalidProof,
    /// No answer (network down, 5xx, 429): not a verdict, the lease decides.
    Unreachable {
        /// When the attempt failed, Unix seconds.
        at: u64,
    },
}

/// Why the app must stop premium use; each says what the user can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The clock is earlier than the latest time seen (the server's last `iat` or this install's own
    /// latest reading) by more than [`ROLLBACK_TOLERANCE_SECS`]: fix the clock or connect.
    ClockRollback,
    /// The seat is bound to another install's key (`invalid_proof`): activate this computer again.
    InvalidProof,
}

impl BlockReason {
    /// Every reason, in declaration order.
    pub const ALL: [BlockReason; 10] = [
        BlockReason::Revoked,
        BlockReason::Suspended,
        BlockReason::LicenseExpired,
        BlockReason::InvalidKey,
        BlockReason::NotActivated,
        BlockReason::MachineLimit,
        BlockReason::NoLease,
        BlockReason::OfflineTooLong,
        BlockReason::ClockRollback,
        BlockReason::InvalidProof,
    ];

    /// The stable code (`clock_rollback`), as it serializes.
    pub fn code(self) -> &'static str {
        match self {
            BlockReason::Revoked => "revoked",
            BlockReason::Suspended => "suspended",
            BlockReason::LicenseExpired => "license_expired",
            BlockReason::InvalidKey => "invalid_key",
            BlockReason::NotActivated => "not_activated",
            BlockReason::MachineLimit => "machine_limit",
            BlockReason::NoLease => "no_lease",
            BlockReason::OfflineTooLong => "offline_too_long",
            BlockReason::ClockRollback => "clock_rollback",
            BlockReason::InvalidProof => "invalid_proof",
        }
    }
}

/// The decision. Serializes for the UI as `{"allow":{"until":…}}`, `"revalidate"` or `{"block":"revoked"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
            Some(ServerAnswer::InvalidProof) => return Decision::Block(BlockReason::InvalidProof),
            Some(ServerAnswer::Unreachable { at }) => Some(at),
            Some(ServerAnswer::Valid) | None => None,
        };
        // Without a verdict the app must ask, unless it just tried and failed: then it is blocked.
        let ask_or_block = |reason| if unreachable_at.is_some() { Decision::Block(reason) } else { Decision::Revalidate };

        // The server's "valid" wins: the clock and the offline counters are judged only without it.
        let online = last_answer == Some(ServerAnswer::Valid);
        if !online {
            let server_floor = state.max_server_iat.saturating_sub(LEEWAY_SECS);
            let seen_floor = state.latest_seen.saturating_sub(ROLLBACK_TOLERANCE_SECS);
            if now < server_floor || now < seen_floor {
                return ask_or_block(BlockReason::ClockRollback);
            }
        }
        let lease = match &state.lease {
            Some(lease) => lease,
            None => return ask_or_block(BlockReason::NoLease),
        };
        let until = lease.expires_at.min(lease.issued_at.saturating_add(self.offline_grace));
        // Offline time is the larger of wall-clock time and use time since the lease was issued; when
        // online, the lease was just issued and the use time was reset, so only the clock counts.
        let use_secs = if online { 0 } else { state.use_secs };
        let effective_now = now.max(lease.issued_at.saturating_add(use_secs));
        if effective_now >= until.saturating_add(LEEWAY_SECS) {
            return ask_or_block(BlockReason::OfflineTooLong);
        }
        let due = effective_now >= lease.issued_at.saturating_add(self.revalidate_every);
        let tried_recently = unreachable_at.map_or(false, |at| now < at.saturating_add(self.retry_unreachable_after));
        if due && !tried_recently && !online {
            return Decision::Revalidate;
        }
        // In wall-clock terms: what remains of the grace, counted from now.
        let until = now.saturating_add(until.saturating_sub(effective_now));
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
            jkt: None,
        };
        StoredState::new(Some(lease))
    }

    #[test]
    fn the_ui_gets_the_decision_as_json() {
        let json = |d: Decision| serde_json::to_string(&d).unwrap();
        assert_eq!(json(Decision::Allow { until: 5 }), r#"{"allow":{"until":5}}"#);
        assert_eq!(json(Decision::Revalidate), r#""revalidate""#);
        assert_eq!(json(Decision::Block(BlockReason::OfflineTooLong)), r#"{"block":"offline_too_long"}"#);
    }

    #[test]
    fn each_block_reason_code_is_how_it_serializes() {
        for reason in BlockReason::ALL {
            assert_eq!(serde_json::to_string(&reason).unwrap(), format!("\"{}\"", reason.code()));
        }
        let answer = ServerAnswer::Unreachable { at: 5 };
        assert_eq!(serde_json::from_str::<ServerAnswer>(&serde_json::to_string(&answer).unwrap()).unwrap(), answer);
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
        assert_eq!(p.decide(&state, T0 - HOUR, failed), Decision::Block(BlockReason::ClockRollback));
        assert!(matches!(p.decide(&state, T0 - 30, None), Decision::Allow { .. }), "within the leeway");
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

    /// The issue's bug: clock held still, network off, the app kept running for 30 simulated days.
    #[test]
    fn a_frozen_clock_does_not_stretch_the_offline_grace() {
        let p = OfflinePolicy::default();
        let mut state = lease_at(T0);
        let now = T0 + HOUR; // the clock never moves
        let mut allowed_days = 0;
        for day in 1..=30 {
            state.record_use(now, DAY);
            let failed = Some(ServerAnswer::Unreachable { at: now });
            match p.decide(&state, now, failed) {
                Decision::Allow { until } => {
                    allowed_days = day;
                    assert!(until <= now + 7 * DAY - day * DAY, "day {day}: allowed until {until}");
                }
                Decision::Block(reason) => {
                    assert_eq!(reason, BlockReason::OfflineTooLong, "day {day}");
                    break;
                }
                Decision::Revalidate => panic!("day {day}: an unreachable server was just tried"),
            }
        }
        assert_eq!(allowed_days, 7, "7 days of use is the grace; the 8th blocks");
    }

    #[test]
    fn a_frozen_clock_and_8_days_of_use_blocks() {
        let mut state = lease_at(T0);
        state.record_use(T0 + HOUR, 8 * DAY);
        let failed = Some(ServerAnswer::Unreachable { at: T0 + HOUR });
        let p = OfflinePolicy::default();
        assert_eq!(p.decide(&state, T0 + HOUR, failed), Decision::Block(BlockReason::OfflineTooLong));
        assert_eq!(p.decide(&state, T0 + HOUR, None), Decision::Revalidate, "online, it asks first");
    }

    #[test]
    fn a_clock_turned_back_a_day_blocks_until_the_server_answers() {
        let p = OfflinePolicy::default();
        let mut state = lease_at(T0);
        state.record_use(T0 + 2 * DAY, HOUR);
        let back = T0 + DAY;
        let failed = Some(ServerAnswer::Unreachable { at: back });
        assert_eq!(p.decide(&state, back, failed), Decision::Block(BlockReason::ClockRollback));
        assert_eq!(p.decide(&state, back, None), Decision::Revalidate);
        // Within the 5 minutes' tolerance it is not a rollback.
        assert_eq!(p.decide(&state, T0 + 2 * DAY - 4 * 60, failed), Decision::Allow { until: T0 + 7 * DAY });
        // The server's verdict wins, and the clock is trusted again after it.
        assert!(matches!(p.decide(&state, back, Some(ServerAnswer::Valid)), Decision::Allow { .. }));
        state.record_online(back, back);
        assert!(matches!(p.decide(&state, back, failed), Decision::Allow { .. }));
    }

    #[test]
    fn three_days_offline_allows_and_eight_blocks() {
        let p = OfflinePolicy::default();
        let mut state = lease_at(T0);
        // The clock and the use time both move (the app runs all day).
        state.record_use(T0 + 3 * DAY, 3 * DAY);
        let failed = |at| Some(ServerAnswer::Unreachable { at });
        assert_eq!(p.decide(&state, T0 + 3 * DAY, failed(T0 + 3 * DAY)), Decision::Allow { until: T0 + 7 * DAY });
        state.record_use(T0 + 8 * DAY, 5 * DAY);
        assert_eq!(p.decide(&state, T0 + 8 * DAY, failed(T0 + 8 * DAY)), Decision::Block(BlockReason::OfflineTooLong));
        // Wall-clock time alone also counts: the app closed for 8 days, a few minutes of use.
        let mut closed = lease_at(T0);
        closed.record_use(T0 + 8 * DAY, 300);
        assert_eq!(p.decide(&closed, T0 + 8 * DAY, failed(T0 + 8 * DAY)), Decision::Block(BlockReason::OfflineTooLong));
    }

    #[test]
    fn a_valid_answer_resets_the_use_time() {
        let mut state = lease_at(T0);
        state.record_use(T0 + HOUR, 8 * DAY);
        state.record_online(T0 + 2 * HOUR, T0 + 2 * HOUR);
        assert_eq!(state.use_secs, 0);
        assert_eq!(state.latest_seen, T0 + 2 * HOUR);
    }
}
