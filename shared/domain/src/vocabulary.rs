//! An administration's own vocabulary for mail: its natures (letter, request,
//! invoice…) and priorities, each with a default processing time. Every
//! administration starts from [`Vocabulary::defaults`] and edits it.

use chrono::NaiveDate;

use crate::{
    InvalidInput, LocalizedName, Reason, calendar::WorkingCalendar, validation::check_length,
};

/// One entry of a list: a stable code, its names, and how many days an item of this
/// kind is given to be processed (none: no deadline of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub code: String,
    pub name: LocalizedName,
    pub processing_days: Option<u16>,
}

/// The longest processing time a term may set: a year.
pub const MAX_PROCESSING_DAYS: u16 = 366;

impl Term {
    /// Checks a term typed by an administrator. Codes are short lowercase words
    /// (`letter`, `very_urgent`) because they appear in exports and the API.
    pub fn parse(
        code: &str,
        name: LocalizedName,
        processing_days: &str,
    ) -> Result<Self, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let code = code.trim().to_owned();
        if let Err(e) = check_length("code", &code, 2, 32) {
            errors.push(e);
        } else if !code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            errors.push(InvalidInput::new("code", Reason::BadCharacters));
        }
        let processing_days = match processing_days.trim() {
            "" => None,
            raw => match raw.parse::<u16>() {
                Ok(days) if (1..=MAX_PROCESSING_DAYS).contains(&days) => Some(days),
                _ => {
                    errors.push(InvalidInput::new(
                        "processing_days",
                        Reason::OutOfRange {
                            min: 1,
                            max: u64::from(MAX_PROCESSING_DAYS),
                        },
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(Self {
                code,
                name,
                processing_days,
            })
        } else {
            Err(errors)
        }
    }
}

/// The natures and priorities of one administration, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vocabulary {
    pub natures: Vec<Term>,
    pub priorities: Vec<Term>,
}

impl Vocabulary {
    pub fn nature(&self, code: &str) -> Option<&Term> {
        self.natures.iter().find(|t| t.code == code)
    }

    pub fn priority(&self, code: &str) -> Option<&Term> {
        self.priorities.iter().find(|t| t.code == code)
    }

    /// When an item registered on `registered_on` is due: the shorter of its nature's
    /// and its priority's processing times, counted in working days on `calendar`.
    pub fn due_date(
        &self,
        registered_on: NaiveDate,
        nature: &str,
        priority: &str,
        calendar: &WorkingCalendar,
    ) -> Option<NaiveDate> {
        let days = self.processing_days(nature, priority)?;
        Some(calendar.add_working_days(registered_on, u32::from(days)))
    }

    /// The shorter of a nature's and a priority's processing times, if either has one.
    pub fn processing_days(&self, nature: &str, priority: &str) -> Option<u16> {
        [self.nature(nature), self.priority(priority)]
            .into_iter()
            .flatten()
            .filter_map(|term| term.processing_days)
            .min()
    }

    /// The lists every administration starts with.
    pub fn defaults() -> Self {
        let term = |code: &str, fr: &str, ar: &str, en: &str, days: Option<u16>| Term {
            code: code.to_owned(),
            name: LocalizedName {
                fr: fr.to_owned(),
                ar: ar.to_owned(),
                en: en.to_owned(),
            },
            processing_days: days,
        };
        Self {
            natures: vec![
                term("letter", "Lettre", "رسالة", "Letter", Some(30)),
                term("request", "Demande", "طلب", "Request", Some(30)),
                term("invoice", "Facture", "فاتورة", "Invoice", Some(30)),
                term("note", "Note", "مذكرة", "Note", Some(15)),
                term("circular", "Circulaire", "منشور", "Circular", None),
                term(
                    "decree",
                    "Arrêté / décret",
                    "قرار / مرسوم",
                    "Order / decree",
                    None,
                ),
                term("report", "Rapport", "تقرير", "Report", Some(30)),
                term("other", "Autre", "أخرى", "Other", None),
            ],
            priorities: vec![
                term("normal", "Normale", "عادية", "Normal", None),
                term("urgent", "Urgente", "مستعجلة", "Urgent", Some(5)),
                term(
                    "very_urgent",
                    "Très urgente",
                    "مستعجلة جدا",
                    "Very urgent",
                    Some(2),
                ),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_shorter_processing_time_sets_the_due_date() {
        let vocabulary = Vocabulary::defaults();
        // Wednesday 30 December 2026, a Saturday-Sunday weekend, New Year's Day off.
        let calendar = WorkingCalendar::new("sat,sun", [day(2027, 1, 1)]).expect("calendar");
        let registered = day(2026, 12, 30);
        let due = |nature, priority| vocabulary.due_date(registered, nature, priority, &calendar);
        assert_eq!(due("letter", "normal"), Some(day(2027, 2, 11)));
        assert_eq!(due("letter", "very_urgent"), Some(day(2027, 1, 4)));
        assert_eq!(due("circular", "normal"), None);
        assert_eq!(due("unknown", "urgent"), Some(day(2027, 1, 7)));
    }

    #[test]
    fn terms_are_checked_field_by_field() {
        let name = LocalizedName::parse("Plainte", "", "").expect("name");
        let term = Term::parse("complaint", name.clone(), "10").expect("valid");
        assert_eq!(term.processing_days, Some(10));
        let errors = Term::parse("Plainte!", name, "0").expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "processing_days"]);
    }
}
