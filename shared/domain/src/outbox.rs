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

/// The wait before an exchange delivery is tried again: the same back-off, plus up
/// to a tenth more chosen by `jitter` (in `[0, 1)`), so that deliveries that failed
/// together while a platform was down do not all come back at the same instant.
pub fn exchange_retry_delay(attempts: u32, jitter: f64) -> Duration {
    let base = retry_delay(attempts);
    let extra_ms = (base.num_milliseconds() as f64 * 0.1 * jitter.clamp(0.0, 1.0)) as i64;
    base + Duration::milliseconds(extra_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_retries_are_jittered_within_a_tenth() {
        assert_eq!(exchange_retry_delay(1, 0.0), Duration::seconds(30));
        assert_eq!(exchange_retry_delay(1, 0.5), Duration::milliseconds(31_500));
        assert!(exchange_retry_delay(3, 0.999) < Duration::seconds(132));
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
