//! An administration's working days: which days are the weekend (Saturday-Sunday in
//! most of West Africa and Europe, Friday-Saturday in much of the Arab world) and its
//! public holidays. Processing times are counted in working days on it.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::{InvalidInput, Reason};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    weekend: Vec<Weekday>,
    holidays: BTreeSet<NaiveDate>,
}

/// The weekends an administration may choose, by their stored code.
pub const WEEKENDS: &[(&str, &[Weekday])] = &[
    ("sat,sun", &[Weekday::Sat, Weekday::Sun]),
    ("fri,sat", &[Weekday::Fri, Weekday::Sat]),
    ("fri,sun", &[Weekday::Fri, Weekday::Sun]),
    ("sun", &[Weekday::Sun]),
    ("fri", &[Weekday::Fri]),
];

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self {
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: BTreeSet::new(),
        }
    }
}

impl WorkingCalendar {
    /// A calendar from a weekend code (see [`WEEKENDS`]) and holidays.
    pub fn new(
        weekend: &str,
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Self, InvalidInput> {
        let days = WEEKENDS
            .iter()
            .find(|(code, _)| *code == weekend.trim())
            .map(|(_, days)| days.to_vec())
            .ok_or_else(|| InvalidInput::new("weekend", Reason::UnknownValue))?;
        Ok(Self {
            weekend: days,
            holidays: holidays.into_iter().collect(),
        })
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !self.weekend.contains(&day.weekday()) && !self.holidays.contains(&day)
    }

    /// The day `days` working days after `from` (`from` itself not counted: an item
    /// registered on Friday with one day is due on the next working day).
    pub fn add_working_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut day = from;
        let mut left = days;
        // A year of holidays and weekends cannot hold more than 366 days off in a row.
        let mut guard = 0u32;
        while left > 0 && guard < days.saturating_add(400) {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
            if self.is_working_day(day) {
                left -= 1;
            }
            guard += 1;
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn working_days_skip_the_weekend_and_holidays() {
        let conakry = WorkingCalendar::default();
        // Friday 2026-11-20 + 1 working day: Monday 23rd.
        assert_eq!(
            conakry.add_working_days(day(2026, 11, 20), 1),
            day(2026, 11, 23)
        );
        assert_eq!(
            conakry.add_working_days(day(2026, 11, 20), 5),
            day(2026, 11, 27)
        );
        let rabat = WorkingCalendar::new("fri,sat", [day(2026, 11, 22)]).expect("calendar");
        // Thursday 19th + 1: Friday and Saturday are the weekend, Sunday 22nd a holiday.
        assert_eq!(
            rabat.add_working_days(day(2026, 11, 19), 1),
            day(2026, 11, 23)
        );
        assert_eq!(
            rabat.add_working_days(day(2026, 11, 19), 0),
            day(2026, 11, 19)
        );
        assert!(WorkingCalendar::new("mon", []).is_err());
    }

    #[test]
    fn a_calendar_without_working_days_still_ends() {
        let holidays = (0..800).filter_map(|n| day(2026, 1, 1).checked_add_days(Days::new(n)));
        let closed = WorkingCalendar::new("sat,sun", holidays).expect("calendar");
        let due = closed.add_working_days(day(2026, 1, 1), 3);
        assert!(due > day(2026, 1, 1));
    }
}
