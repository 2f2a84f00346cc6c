//! The public portal: what a citizen or a partner files online, the codes they get
//! back, what they may see of their mail's progress, and the limits that keep the
//! portal from being abused.

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::validation::check_length;
use crate::{InvalidInput, Reason, parse_email};

/// Who is filing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilerKind {
    Person,
    Organisation,
}

impl FilerKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim() {
            "person" | "" => Ok(Self::Person),
            "organisation" => Ok(Self::Organisation),
            _ => Err(InvalidInput::new("filer_kind", Reason::UnknownValue)),
        }
    }
}

/// The longest message typed in the filing form.
pub const MAX_MESSAGE_CHARS: usize = 10_000;

/// How many files one filing may carry (the letter and its attachments).
pub const MAX_FILES: usize = 5;

/// The filing form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilingForm {
    pub filer_kind: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub subject: String,
    pub message: String,
}

/// A checked filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub filer_kind: FilerKind,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub subject: String,
    pub message: String,
}

impl FilingForm {
    /// Every refusal at once, so the form shows them all.
    pub fn validate(&self) -> Result<Filing, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let filer_kind = FilerKind::parse(&self.filer_kind)
            .map_err(|e| errors.push(e))
            .unwrap_or(FilerKind::Person);
        let name = clean_line(&self.name);
        if let Err(e) = check_length("name", &name, 2, 200) {
            errors.push(e);
        }
        let email = match parse_email(&self.email) {
            Ok(Some(email)) if !email.contains(char::is_whitespace) => email,
            Ok(None) => {
                errors.push(InvalidInput::new("email", Reason::Required));
                String::new()
            }
            _ => {
                errors.push(InvalidInput::new("email", Reason::UnknownValue));
                String::new()
            }
        };
        let phone = clean_line(&self.phone);
        if !phone.is_empty() && !plausible_phone(&phone) {
            errors.push(InvalidInput::new("phone", Reason::BadCharacters));
        }
        let address = self.address.trim().to_owned();
        if address.chars().count() > 500 {
            errors.push(InvalidInput::new("address", Reason::TooLong { max: 500 }));
        }
        let subject = clean_line(&self.subject);
        if let Err(e) = check_length("subject", &subject, 3, 300) {
            errors.push(e);
        }
        let message = self.message.trim().to_owned();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            errors.push(InvalidInput::new(
                "message",
                Reason::TooLong {
                    max: MAX_MESSAGE_CHARS,
                },
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Filing {
            filer_kind,
            name,
            email,
            phone,
            address,
            subject,
            message,
        })
    }
}

/// One line of text: inner runs of white space (a pasted newline, a tab) become one
/// space, and control characters go.
fn clean_line(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// Digits with the usual separators, 6 to 20 digits: enough for any country's
/// numbering plan, not enough for a sentence.
fn plausible_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (6..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'))
}

/// The letters codes are written with: Crockford's base 32 (no I, L, O, U), so a
/// code read aloud or copied from paper is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code given to a person: twelve characters in three groups (`K7QM-4XPD-9RTA`),
/// sixty bits drawn at random.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicCode(String);

impl PublicCode {
    pub fn generate() -> Self {
        let mut rng = rand::rng();
        let raw: String = (0..12)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        Self(raw)
    }

    /// Reads a code as a person may type it: any case, with or without dashes or
    /// spaces, O for 0 and I or L for 1.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let normalised: String = raw
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '\u{a0}'))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if normalised.len() == 12 && normalised.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(normalised))
        } else {
            Err(InvalidInput::new("code", Reason::UnknownValue))
        }
    }

    /// The code as stored: twelve characters, no dashes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as shown: in three groups of four.
    pub fn display(&self) -> String {
        let (a, rest) = self.0.split_at(4);
        let (b, c) = rest.split_at(4);
        format!("{a}-{b}-{c}")
    }
}

/// What a filer may see of their mail's progress, in order. Nothing internal: no
/// agent, no note, no other mail; a unit by its name only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Milestone {
    Filed { at: DateTime<Utc> },
    Rejected { at: DateTime<Utc>, reason: String },
    Registered { at: DateTime<Utc>, number: String },
    SentToUnit { at: DateTime<Utc>, unit: String },
    Answered { at: DateTime<Utc> },
    Closed { at: DateTime<Utc> },
}

impl Milestone {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Filed { .. } => "filed",
            Self::Rejected { .. } => "rejected",
            Self::Registered { .. } => "registered",
            Self::SentToUnit { .. } => "sent",
            Self::Answered { .. } => "answered",
            Self::Closed { .. } => "closed",
        }
    }

    pub fn at(&self) -> DateTime<Utc> {
        match self {
            Self::Filed { at }
            | Self::Rejected { at, .. }
            | Self::Registered { at, .. }
            | Self::SentToUnit { at, .. }
            | Self::Answered { at }
            | Self::Closed { at } => *at,
        }
    }
}

/// What the administration's records say of a filing, for its milestones.
#[derive(Debug, Clone, Default)]
pub struct FilingFacts {
    pub filed_at: DateTime<Utc>,
    pub rejected: Option<(DateTime<Utc>, String)>,
    pub registered: Option<(DateTime<Utc>, String)>,
    /// The responsible unit's name, when the item went to a unit.
    pub sent: Option<(DateTime<Utc>, String)>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The milestones reached, oldest first.
pub fn milestones(facts: &FilingFacts) -> Vec<Milestone> {
    let mut reached = vec![Milestone::Filed { at: facts.filed_at }];
    if let Some((at, reason)) = &facts.rejected {
        reached.push(Milestone::Rejected {
            at: *at,
            reason: reason.clone(),
        });
        return reached;
    }
    if let Some((at, number)) = &facts.registered {
        reached.push(Milestone::Registered {
            at: *at,
            number: number.clone(),
        });
    }
    if let Some((at, unit)) = &facts.sent {
        reached.push(Milestone::SentToUnit {
            at: *at,
            unit: unit.clone(),
        });
    }
    if let Some(at) = facts.answered_at {
        reached.push(Milestone::Answered { at });
    }
    if let Some(at) = facts.closed_at {
        reached.push(Milestone::Closed { at });
    }
    reached
}

/// A limit on how often something may happen in a window of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// What is counted, e.g. `filing-address`.
    pub bucket: &'static str,
    pub max: u32,
    pub window: chrono::Duration,
}

impl RateLimit {
    /// The start of the window `now` falls in: windows are fixed, so every replica
    /// counts into the same row.
    pub fn window_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let seconds = self.window.num_seconds().max(1);
        let start = now.timestamp().div_euclid(seconds) * seconds;
        DateTime::from_timestamp(start, 0).unwrap_or(now)
    }
}

/// The public portal's limits. The defaults suit a ministry; the operator may
/// raise them (`portal.*` settings), for instance where many citizens share one
/// address behind a public access point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortalLimits {
    /// Filings from one client address: a family or an office shares one, so a few.
    pub filings_per_address: RateLimit,
    /// Filings for one e-mail address.
    pub filings_per_email: RateLimit,
    /// Tracking and verification lookups from one client address: enough for a
    /// person, far too few to enumerate sixty-bit codes.
    pub lookups_per_address: RateLimit,
}

impl PortalLimits {
    /// The defaults with the given maxima (per hour, per hour, per ten minutes).
    pub fn with_maxima(
        filings_per_address: u32,
        filings_per_email: u32,
        lookups_per_address: u32,
    ) -> Self {
        let defaults = Self::default();
        Self {
            filings_per_address: RateLimit {
                max: filings_per_address,
                ..defaults.filings_per_address
            },
            filings_per_email: RateLimit {
                max: filings_per_email,
                ..defaults.filings_per_email
            },
            lookups_per_address: RateLimit {
                max: lookups_per_address,
                ..defaults.lookups_per_address
            },
        }
    }
}

impl Default for PortalLimits {
    fn default() -> Self {
        Self {
            filings_per_address: RateLimit {
                bucket: "filing-address",
                max: 20,
                window: chrono::Duration::hours(1),
            },
            filings_per_email: RateLimit {
                bucket: "filing-email",
                max: 5,
                window: chrono::Duration::hours(1),
            },
            lookups_per_address: RateLimit {
                bucket: "lookup-address",
                max: 30,
                window: chrono::Duration::minutes(10),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> FilingForm {
        FilingForm {
            filer_kind: "person".into(),
            name: "  Aïcha   Diallo ".into(),
            email: "aicha@example.org".into(),
            phone: "+224 620 00 00 00".into(),
            address: "Conakry".into(),
            subject: "Demande de permis".into(),
            message: "Bonjour".into(),
        }
    }

    #[test]
    fn a_good_filing_is_cleaned() {
        let filing = form().validate().expect("valid");
        assert_eq!(filing.name, "Aïcha Diallo");
        assert_eq!(filing.filer_kind, FilerKind::Person);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = FilingForm {
            filer_kind: "robot".into(),
            name: "x".into(),
            email: "not an address".into(),
            phone: "call me maybe".into(),
            address: "a".repeat(501),
            subject: String::new(),
            message: "m".repeat(MAX_MESSAGE_CHARS + 1),
        };
        let errors = bad.validate().expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "filer_kind",
                "name",
                "email",
                "phone",
                "address",
                "subject",
                "message"
            ]
        );
        let empty_email = FilingForm {
            email: " ".into(),
            ..form()
        };
        assert_eq!(
            empty_email.validate().expect_err("refused"),
            vec![InvalidInput::new("email", Reason::Required)]
        );
    }

    #[test]
    fn codes_read_back_as_people_type_them() {
        let code = PublicCode::generate();
        assert_eq!(code.as_str().len(), 12);
        let shown = code.display();
        assert_eq!(shown.len(), 14);
        assert_eq!(PublicCode::parse(&shown.to_lowercase()).ok(), Some(code));
        assert_eq!(
            PublicCode::parse("k7qm 4xpd 9rta")
                .map(|c| c.display())
                .ok(),
            Some("K7QM-4XPD-9RTA".to_owned())
        );
        assert_eq!(
            PublicCode::parse("OIL0-0000-0000")
                .map(|c| c.display())
                .ok(),
            Some("0110-0000-0000".to_owned())
        );
        assert!(PublicCode::parse("K7QM-4XPD").is_err());
        assert!(
            PublicCode::parse("K7QM-4XPD-9RTU").is_err(),
            "U is not a code letter"
        );
    }

    #[test]
    fn milestones_follow_the_mail_and_stop_at_a_rejection() {
        let at = |s: i64| DateTime::from_timestamp(1_790_000_000 + s, 0).unwrap_or_default();
        let mut facts = FilingFacts {
            filed_at: at(0),
            registered: Some((at(10), "MMG/ARR/2026/000001".into())),
            sent: Some((at(20), "Direction des mines".into())),
            ..FilingFacts::default()
        };
        let codes: Vec<_> = milestones(&facts).iter().map(Milestone::code).collect();
        assert_eq!(codes, vec!["filed", "registered", "sent"]);
        facts.rejected = Some((at(5), "publicité".into()));
        let codes: Vec<_> = milestones(&facts).iter().map(Milestone::code).collect();
        assert_eq!(codes, vec!["filed", "rejected"]);
    }

    #[test]
    fn rate_windows_are_fixed() {
        let now = DateTime::from_timestamp(3_600 * 10 + 1_234, 0).unwrap_or_default();
        let limits = PortalLimits::default();
        assert_eq!(
            limits.filings_per_address.window_start(now).timestamp(),
            3_600 * 10
        );
        assert_eq!(
            limits.lookups_per_address.window_start(now).timestamp(),
            3_600 * 10 + 1_200
        );
        let raised = PortalLimits::with_maxima(1_000, 50, 300);
        assert_eq!(raised.filings_per_email.max, 50);
        assert_eq!(raised.filings_per_email.bucket, "filing-email");
    }
}
