//! Deadlines: when the one responsible for an item is reminded, and when their head
//! is told of the delay. Pure: given a due date, a day and the administration's
//! policy, which reminders are due. The service sends each once.

use chrono::{Days, NaiveDate};

use crate::{InvalidInput, Reason};

/// An administration's reminder policy, in calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderPolicy {
    /// How many days before the due date the first reminder goes (0: none before).
    pub before_days: u16,
    /// How many days past the due date the unit head is told.
    pub escalate_after_days: u16,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        Self {
            before_days: 2,
            escalate_after_days: 3,
        }
    }
}

/// The longest delay a policy may set.
pub const MAX_POLICY_DAYS: u16 = 60;

impl ReminderPolicy {
    /// A policy typed in the settings form.
    pub fn parse(before: &str, escalate_after: &str) -> Result<Self, InvalidInput> {
        let days = |field: &'static str, raw: &str| {
            raw.trim()
                .parse::<u16>()
                .ok()
                .filter(|d| *d <= MAX_POLICY_DAYS)
                .ok_or_else(|| {
                    InvalidInput::new(
                        field,
                        Reason::OutOfRange {
                            min: 0,
                            max: u64::from(MAX_POLICY_DAYS),
                        },
                    )
                })
        };
        Ok(Self {
            before_days: days("remind_before_days", before)?,
            escalate_after_days: days("escalate_after_days", escalate_after)?,
        })
    }

    /// The latest due date that any reminder could concern on `today`: items due
    /// later need nothing yet.
    pub fn horizon(self, today: NaiveDate) -> NaiveDate {
        today
            .checked_add_days(Days::new(u64::from(self.before_days)))
            .unwrap_or(today)
    }
}

/// A reminder about a dispatch for action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    /// The due date is near.
    Before,
    /// The due date has passed.
    After,
    /// Past the due date by the policy's delay: the head of the unit is told.
    Escalation,
}

impl ReminderKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
            Self::Escalation => "escalation",
        }
    }
}

/// The reminders an open dispatch due on `due_on` calls for on `today`. Each is sent
/// once (the service records it), so a day missed by the worker is caught up later:
/// "before" is due from `before_days` ahead until the due date, "after" from the day
/// after, "escalation" from `escalate_after_days` after.
pub fn reminders_due(
    due_on: NaiveDate,
    today: NaiveDate,
    policy: ReminderPolicy,
) -> Vec<ReminderKind> {
    let mut due = Vec::new();
    let late_by = (today - due_on).num_days();
    if late_by <= 0 && policy.before_days > 0 && -late_by <= i64::from(policy.before_days) {
        due.push(ReminderKind::Before);
    }
    if late_by >= 1 {
        due.push(ReminderKind::After);
    }
    if late_by >= i64::from(policy.escalate_after_days.max(1)) {
        due.push(ReminderKind::Escalation);
    }
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn reminders_come_before_and_after_and_then_the_head_is_told() {
        let policy = ReminderPolicy::default();
        let due = day(20);
        assert!(reminders_due(due, day(17), policy).is_empty());
        assert_eq!(reminders_due(due, day(18), policy), [ReminderKind::Before]);
        assert_eq!(reminders_due(due, day(20), policy), [ReminderKind::Before]);
        assert_eq!(reminders_due(due, day(21), policy), [ReminderKind::After]);
        assert_eq!(
            reminders_due(due, day(23), policy),
            [ReminderKind::After, ReminderKind::Escalation]
        );
        let none_before = ReminderPolicy {
            before_days: 0,
            ..policy
        };
        assert!(reminders_due(due, day(20), none_before).is_empty());
        assert_eq!(policy.horizon(day(18)), day(20));
    }

    #[test]
    fn a_policy_stays_within_bounds() {
        assert_eq!(
            ReminderPolicy::parse("3", "5"),
            Ok(ReminderPolicy {
                before_days: 3,
                escalate_after_days: 5
            })
        );
        assert!(ReminderPolicy::parse("-1", "5").is_err());
        assert!(ReminderPolicy::parse("3", "600").is_err());
    }
}
