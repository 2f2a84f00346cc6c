//! The arithmetic of the dashboard: percentiles of durations, the age buckets of the
//! overdue backlog. Pure, so the figures are tested apart from the queries.

use chrono::{Datelike, Duration, NaiveDate};

/// The `p`-th percentile (0–100) of `values` by the nearest-rank method: a value
/// that occurred, never an interpolation. `None` for no values.
pub fn percentile(values: &mut [i64], p: u8) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let rank = (usize::from(p.min(100)) * values.len())
        .div_ceil(100)
        .max(1);
    values.get(rank - 1).copied()
}

/// How long an item has been overdue, in buckets a manager reads at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OverdueAge {
    UpToAWeek,
    UpToAMonth,
    UpToThreeMonths,
    Older,
}

impl OverdueAge {
    pub const ALL: [Self; 4] = [
        Self::UpToAWeek,
        Self::UpToAMonth,
        Self::UpToThreeMonths,
        Self::Older,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::UpToAWeek => "1-7",
            Self::UpToAMonth => "8-30",
            Self::UpToThreeMonths => "31-90",
            Self::Older => "over-90",
        }
    }

    /// The bucket of an item due on `due_on`, on `today`; `None` when not overdue.
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> Option<Self> {
        match (today - due_on).num_days() {
            ..=0 => None,
            1..=7 => Some(Self::UpToAWeek),
            8..=30 => Some(Self::UpToAMonth),
            31..=90 => Some(Self::UpToThreeMonths),
            _ => Some(Self::Older),
        }
    }
}

/// The Monday of the ISO week `day` is in: how volumes are grouped by week.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of the month `day` is in.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_values_that_occurred() {
        let mut hours = vec![5, 1, 3, 2, 4, 10, 7, 6, 9, 8];
        assert_eq!(percentile(&mut hours, 50), Some(5));
        assert_eq!(percentile(&mut hours, 90), Some(9));
        assert_eq!(percentile(&mut hours, 100), Some(10));
        assert_eq!(percentile(&mut [42], 90), Some(42));
        assert_eq!(percentile(&mut [], 50), None);
    }

    #[test]
    fn overdue_items_fall_in_age_buckets() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert_eq!(OverdueAge::of(day(20), day(20)), None);
        assert_eq!(
            OverdueAge::of(day(20), day(21)),
            Some(OverdueAge::UpToAWeek)
        );
        assert_eq!(
            OverdueAge::of(day(1), day(20)),
            Some(OverdueAge::UpToAMonth)
        );
        assert_eq!(
            week_of(day(21)),
            day(16),
            "a Saturday's week starts on Monday"
        );
        assert_eq!(month_of(day(21)), day(1));
    }
}
