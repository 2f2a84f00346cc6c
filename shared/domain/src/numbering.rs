//! Registration numbers. A register's number format is set by the administration,
//! e.g. `MMG/ARR/{year}/{seq:6}` → `MMG/ARR/2026/000123`. Numbers restart every year,
//! counted by the registration time in the administration's own time zone, and are
//! unique and gapless within a register and year: the sequence is handed out by the
//! database in the registration's own transaction (see `ordo_db`), and this module
//! only turns (year, sequence) into text.

use std::fmt;

use chrono::{DateTime, Datelike, Utc};

use crate::{InvalidInput, Reason, TimeZone};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Year,
    Sequence { width: usize },
}

/// A parsed number format. It always holds `{year}` and exactly one `{seq}`
/// (`{seq:N}` pads to N digits), so two numbers of one register never collide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    pieces: Vec<Piece>,
    source: String,
}

const MAX_WIDTH: usize = 12;

impl NumberFormat {
    pub fn parse(template: &str) -> Result<Self, InvalidInput> {
        let invalid = || InvalidInput::new("number_format", Reason::BadCharacters);
        let template = template.trim();
        if template.is_empty() {
            return Err(InvalidInput::new("number_format", Reason::Required));
        }
        if template.chars().count() > 64 {
            return Err(InvalidInput::new(
                "number_format",
                Reason::TooLong { max: 64 },
            ));
        }
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            let close = rest[open..].find('}').ok_or_else(invalid)? + open;
            let piece = match &rest[open + 1..close] {
                "year" => Piece::Year,
                "seq" => Piece::Sequence { width: 1 },
                other => {
                    let width = other
                        .strip_prefix("seq:")
                        .and_then(|w| w.parse::<usize>().ok())
                        .ok_or_else(invalid)?;
                    if width == 0 || width > MAX_WIDTH {
                        return Err(invalid());
                    }
                    Piece::Sequence { width }
                }
            };
            pieces.push(piece);
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        let texts_clean = pieces.iter().all(|p| match p {
            Piece::Text(text) => !text.contains('}') && text.chars().all(|c| !c.is_control()),
            _ => true,
        });
        let years = pieces.iter().filter(|p| **p == Piece::Year).count();
        let sequences = pieces
            .iter()
            .filter(|p| matches!(p, Piece::Sequence { .. }))
            .count();
        if !texts_clean || years != 1 || sequences != 1 {
            return Err(invalid());
        }
        // Two adjacent placeholders (`{year}{seq}`) would make 2026/1 and 202/61
        // ambiguous once the sequence outgrows its width: a separator is required.
        let adjacent = pieces
            .windows(2)
            .any(|w| !matches!(w[0], Piece::Text(_)) && !matches!(w[1], Piece::Text(_)));
        if adjacent {
            return Err(invalid());
        }
        Ok(Self {
            pieces,
            source: template.to_owned(),
        })
    }

    /// The number of the `sequence`-th registration of `year`.
    pub fn format(&self, year: i32, sequence: u64) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Year => out.push_str(&year.to_string()),
                Piece::Sequence { width } => out.push_str(&format!("{sequence:0width$}")),
            }
        }
        out
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The registration year of a moment, in the administration's time zone: a letter
/// registered at 00:30 on 1 January in Lagos belongs to the new year even though it
/// is still 31 December in UTC.
pub fn registration_year(at: DateTime<Utc>, zone: TimeZone) -> i32 {
    at.with_timezone(&zone.tz()).year()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn formats_pad_the_sequence_and_carry_the_year() {
        let format = NumberFormat::parse("MMG/ARR/{year}/{seq:6}").expect("valid");
        assert_eq!(format.format(2026, 123), "MMG/ARR/2026/000123");
        assert_eq!(format.format(2027, 1), "MMG/ARR/2027/000001");
        assert_eq!(
            format.format(2026, 1_234_567),
            "MMG/ARR/2026/1234567",
            "never truncated"
        );
        assert_eq!(
            NumberFormat::parse("{seq}-{year}")
                .expect("valid")
                .format(2026, 7),
            "7-2026"
        );
    }

    #[test]
    fn bad_formats_are_refused() {
        for bad in [
            "",
            "MMG/{seq}",
            "MMG/{year}",
            "{year}/{seq}/{seq}",
            "{year}{seq:4}",
            "{year}/{seq:0}",
            "{year}/{seq:40}",
            "{year}/{sq}",
            "{year/{seq}",
        ] {
            assert!(NumberFormat::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }

    #[test]
    fn the_year_turns_at_midnight_in_the_administration_s_zone() {
        let lagos = TimeZone::parse("Africa/Lagos").expect("zone");
        let conakry = TimeZone::parse("Africa/Conakry").expect("zone");
        let new_year_in_lagos = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 30, 0)
            .single()
            .expect("instant");
        assert_eq!(registration_year(new_year_in_lagos, lagos), 2027);
        assert_eq!(registration_year(new_year_in_lagos, conakry), 2026);
        let last_second = Utc
            .with_ymd_and_hms(2026, 12, 31, 22, 59, 59)
            .single()
            .expect("instant");
        assert_eq!(registration_year(last_second, lagos), 2026);
    }

    proptest! {
        #[test]
        fn numbers_of_one_register_never_collide(
            prefix in "[A-Z]{2,5}/[A-Z]{3}/",
            width in 1usize..8,
            year in 2000i32..2100,
            a in 1u64..10_000_000,
            b in 1u64..10_000_000,
        ) {
            let format = NumberFormat::parse(&format!("{prefix}{{year}}/{{seq:{width}}}")).expect("valid");
            prop_assert_eq!(format.format(year, a) == format.format(year, b), a == b);
            prop_assert_eq!(format.format(year, a) == format.format(year + 1, a), false);
        }
    }
}
