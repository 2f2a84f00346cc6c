//! When a side effect that failed (an e-mail the SMTP server refused) is tried again.

use chrono::Duration;

/// After this many failed attempts a message is given up and shown as failed: about
/// a day and four hours of retries.
pub const MAX_ATTEMPTS: u32 = 16;

/// How long a worker holds a message it took, so that another worker leaves it; a
/// crashed worker's messages are taken again after this.
pub const LEASE: Duration = Duration::seconds(120);

/// The wait after the `attempts`-th failure: 30 s, 1 min, 2 min… doubling, at most
/// 4 h, so a server down for a night is retried often at first and then calmly.
pub fn retry_delay(attempts: u32) -> Duration {
    let doublings = attempts.saturating_sub(1).min(16);
    let seconds = 30_i64.saturating_mul(1_i64 << doublings);
    Duration::seconds(seconds.min(4 * 3600))
}

/// How the exchange retries a delivery that failed: waits doubling from
/// `first_delay` (at most 4 h), plus up to a tenth more chosen at random, so that
/// deliveries that failed together while a platform was down do not all come back
/// at the same instant; given up after `max_attempts`, and the sender told
/// `NotDelivered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeRetry {
    pub first_delay: Duration,
    pub max_attempts: u32,
}

impl Default for ExchangeRetry {
    /// 30 s, 1 min, 2 min… at most 4 h; 15 attempts in all: about a day.
    fn default() -> Self {
        Self {
            first_delay: Duration::seconds(30),
            max_attempts: 15,
        }
    }
}

impl ExchangeRetry {
    /// The wait after the `attempts`-th failure; `jitter` in `[0, 1)`.
    pub fn delay(&self, attempts: u32, jitter: f64) -> Duration {
        let doublings = attempts.saturating_sub(1).min(16);
        let base_ms = self
            .first_delay
            .num_milliseconds()
            .saturating_mul(1_i64 << doublings)
            .min(4 * 3600 * 1000);
        let extra_ms = (base_ms as f64 * 0.1 * jitter.clamp(0.0, 1.0)) as i64;
        Duration::milliseconds(base_ms + extra_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_retries_are_jittered_within_a_tenth() {
        let retry = ExchangeRetry::default();
        assert_eq!(retry.delay(1, 0.0), Duration::seconds(30));
        assert_eq!(retry.delay(1, 0.5), Duration::milliseconds(31_500));
        assert!(retry.delay(3, 0.999) < Duration::seconds(132));
        assert_eq!(retry.delay(40, 0.0), Duration::hours(4));
        let day: i64 = (1..retry.max_attempts)
            .map(|n| retry.delay(n, 0.0).num_seconds())
            .sum();
        assert!(day > 20 * 3600, "about a day of retries: {day} s");
    }

    #[test]
    fn retries_back_off_then_level() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::seconds(60));
        assert_eq!(retry_delay(5), Duration::seconds(480));
        assert_eq!(retry_delay(MAX_ATTEMPTS), Duration::hours(4));
        assert_eq!(retry_delay(u32::MAX), Duration::hours(4));
        let total: i64 = (1..MAX_ATTEMPTS)
            .map(|n| retry_delay(n).num_seconds())
            .sum();
        assert!(
            total > 24 * 3600,
            "a day-long outage loses nothing: {total} s"
        );
    }
}
