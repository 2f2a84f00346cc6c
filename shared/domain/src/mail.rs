//! Mail items (*courriers*): their vocabulary and the rules a registration obeys.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{InvalidInput, Reason, TimeZone, Vocabulary, validation::check_length};

/// Declares a closed vocabulary stored as its snake_case code.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
                match raw.trim() {
                    $($code => Ok(Self::$variant),)+
                    "" => Err(InvalidInput::new($field, Reason::Required)),
                    _ => Err(InvalidInput::new($field, Reason::UnknownValue)),
                }
            }
        }
    };
}

vocabulary!(
    /// Which way a register's mail goes.
    MailDirection, "direction" { Incoming => "incoming", Outgoing => "outgoing", Internal => "internal" }
);
vocabulary!(
    /// How an item reached (or leaves) the bureau d'ordre.
    Channel, "channel" { Counter => "counter", Post => "post", Email => "email", Portal => "portal", Exchange => "exchange" }
);
vocabulary!(
    /// Who may see an item: confidential and secret items are limited (see permissions).
    Confidentiality, "confidentiality" { Normal => "normal", Confidential => "confidential", Secret => "secret" }
);
/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemStatus {
    Draft,
    Registered,
    /// Registration cancelled: the number stays taken, with the reason.
    Cancelled,
}

impl ItemStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Registered => "registered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "draft" => Ok(Self::Draft),
            "registered" => Ok(Self::Registered),
            "cancelled" => Ok(Self::Cancelled),
            _ => Err(InvalidInput::new("status", Reason::UnknownValue)),
        }
    }
}

/// What the secretariat types to register an item, as received from a form or the
/// API, before any rule is checked.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub subject: String,
    pub nature: String,
    pub channel: String,
    pub priority: String,
    pub confidentiality: String,
    pub sender: String,
    pub recipient: String,
    /// `YYYY-MM-DD`, or empty when the letter bears no date.
    pub letter_date: String,
    pub keywords: String,
    pub paper_location: String,
    /// When the paper reached the bureau d'ordre, `YYYY-MM-DDTHH:MM` in the
    /// administration's zone; empty means now.
    pub received_at: String,
}

/// A registration that obeys every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub subject: String,
    /// A code of the administration's natures.
    pub nature: String,
    pub channel: Channel,
    /// A code of the administration's priorities.
    pub priority: String,
    pub confidentiality: Confidentiality,
    pub sender: String,
    pub recipient: String,
    pub letter_date: Option<NaiveDate>,
    /// When the item was received; `None` for "at registration".
    pub received_at: Option<DateTime<Utc>>,
    pub keywords: String,
    pub paper_location: String,
}

/// How many recipients one item may name.
pub const MAX_RECIPIENTS: usize = 20;

fn split_recipients(text: &str) -> impl Iterator<Item = &str> {
    text.split(';')
        .map(str::trim)
        .filter(|name| !name.is_empty())
}

impl Registration {
    /// The recipients' names, in the order typed.
    pub fn recipients(&self) -> Vec<&str> {
        split_recipients(&self.recipient).collect()
    }

    /// The fields a correction changed, by their form names, in form order.
    pub fn changed_fields(&self, corrected: &Self) -> Vec<&'static str> {
        let pairs: [(&'static str, bool); 11] = [
            ("subject", self.subject != corrected.subject),
            ("sender", self.sender != corrected.sender),
            ("recipient", self.recipient != corrected.recipient),
            ("letter_date", self.letter_date != corrected.letter_date),
            ("received_at", self.received_at != corrected.received_at),
            ("nature", self.nature != corrected.nature),
            ("channel", self.channel != corrected.channel),
            ("priority", self.priority != corrected.priority),
            (
                "confidentiality",
                self.confidentiality != corrected.confidentiality,
            ),
            ("keywords", self.keywords != corrected.keywords),
            (
                "paper_location",
                self.paper_location != corrected.paper_location,
            ),
        ];
        pairs
            .into_iter()
            .filter_map(|(field, changed)| changed.then_some(field))
            .collect()
    }
}

/// The reason a person gives for correcting or cancelling a registration.
pub fn check_reason(reason: &str) -> Result<String, InvalidInput> {
    let reason = reason.trim();
    check_length("reason", reason, 5, 500)?;
    Ok(reason.to_owned())
}

impl RegistrationForm {
    /// Checks every field and returns all refusals at once, so a person fixes the form
    /// in one go. `now` is the registration time; dates are judged in `zone`; nature
    /// and priority must be in the administration's `vocabulary`.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: TimeZone,
        vocabulary: &Vocabulary,
    ) -> Result<Registration, Vec<InvalidInput>> {
        self.check(now, zone, vocabulary, Completeness::Registration)
    }

    /// Checks a draft: what is typed must be well formed, but anything may still be
    /// missing (a scan uploaded in a batch has no subject yet).
    pub fn validate_draft(
        &self,
        now: DateTime<Utc>,
        zone: TimeZone,
        vocabulary: &Vocabulary,
    ) -> Result<Registration, Vec<InvalidInput>> {
        self.check(now, zone, vocabulary, Completeness::Draft)
    }

    fn check(
        &self,
        now: DateTime<Utc>,
        zone: TimeZone,
        vocabulary: &Vocabulary,
        completeness: Completeness,
    ) -> Result<Registration, Vec<InvalidInput>> {
        let draft = completeness == Completeness::Draft;
        let mut errors = Vec::new();
        let mut keep = |result: Result<(), InvalidInput>| {
            if let Err(e) = result {
                errors.push(e);
            }
        };
        let text = |field: &'static str, value: &str, min: usize, max: usize, required: bool| {
            let value = value.trim().to_owned();
            let check = if value.is_empty() && (draft || !required) {
                Ok(())
            } else {
                check_length(field, &value, min, max)
            };
            (value, check)
        };
        let (subject, check) = text("subject", &self.subject, 3, 500, true);
        keep(check);
        let (sender, check) = text("sender", &self.sender, 2, 300, true);
        keep(check);
        // Several recipients are separated by semicolons; each is held to a name's length.
        let recipients: Vec<&str> = split_recipients(&self.recipient).collect();
        for name in &recipients {
            keep(check_length("recipient", name, 2, 300));
        }
        if recipients.len() > MAX_RECIPIENTS {
            keep(Err(InvalidInput::new(
                "recipient",
                Reason::TooManyRecipients {
                    max: MAX_RECIPIENTS,
                },
            )));
        }
        let recipient = recipients.join("; ");
        let (keywords, check) = text("keywords", &self.keywords, 0, 300, false);
        keep(check);
        let (paper_location, check) = text("paper_location", &self.paper_location, 0, 200, false);
        keep(check);
        let today = now.with_timezone(&zone.tz()).date_naive();
        let letter_date = match self.letter_date.trim() {
            "" => None,
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(date) if date > today => {
                    keep(Err(InvalidInput::new("letter_date", Reason::InFuture)));
                    None
                }
                Ok(date) if date.year_ce().1 < 1900 => {
                    keep(Err(InvalidInput::new("letter_date", Reason::UnknownValue)));
                    None
                }
                Ok(date) => Some(date),
                Err(_) => {
                    keep(Err(InvalidInput::new("letter_date", Reason::NotADate)));
                    None
                }
            },
        };
        let received_at = match self.received_at.trim() {
            "" => None,
            raw => match parse_local_minute(raw, zone) {
                Some(at) if at > now => {
                    keep(Err(InvalidInput::new("received_at", Reason::InFuture)));
                    None
                }
                Some(at) => {
                    let received_on = at.with_timezone(&zone.tz()).date_naive();
                    if letter_date.is_some_and(|letter| letter > received_on) {
                        keep(Err(InvalidInput::new(
                            "received_at",
                            Reason::BeforeLetterDate,
                        )));
                    }
                    Some(at)
                }
                None => {
                    keep(Err(InvalidInput::new("received_at", Reason::NotADateTime)));
                    None
                }
            },
        };
        let known = |field: &'static str, code: &str, found: bool| match code.trim() {
            "" if draft => Ok(String::new()),
            "" => Err(InvalidInput::new(field, Reason::Required)),
            _ if !found => Err(InvalidInput::new(field, Reason::UnknownValue)),
            code => Ok(code.to_owned()),
        };
        let nature = known(
            "nature",
            &self.nature,
            vocabulary.nature(self.nature.trim()).is_some(),
        )
        .map_err(|e| errors.push(e))
        .ok();
        let channel = match self.channel.trim() {
            "" if draft => Ok(Channel::Counter),
            raw => Channel::parse(raw),
        }
        .map_err(|e| errors.push(e))
        .ok();
        let priority = known(
            "priority",
            &self.priority,
            vocabulary.priority(self.priority.trim()).is_some(),
        )
        .map_err(|e| errors.push(e))
        .ok();
        let confidentiality = match self.confidentiality.trim() {
            "" if draft => Ok(Confidentiality::Normal),
            raw => Confidentiality::parse(raw),
        }
        .map_err(|e| errors.push(e))
        .ok();
        match (nature, channel, priority, confidentiality) {
            (Some(nature), Some(channel), Some(priority), Some(confidentiality))
                if errors.is_empty() =>
            {
                Ok(Registration {
                    subject,
                    nature,
                    channel,
                    priority,
                    confidentiality,
                    sender,
                    recipient,
                    letter_date,
                    received_at,
                    keywords,
                    paper_location,
                })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completeness {
    Draft,
    Registration,
}

use chrono::Datelike as _;

/// `YYYY-MM-DDTHH:MM` (an HTML `datetime-local` value) read in `zone`. In the hour
/// skipped when clocks go forward it does not exist; in the repeated one, the
/// earlier instant is taken.
pub fn parse_local_minute(raw: &str, zone: TimeZone) -> Option<DateTime<Utc>> {
    let local = chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    local
        .and_local_timezone(zone.tz())
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            subject: "Demande de permis d'exploitation".to_owned(),
            nature: "request".to_owned(),
            channel: "counter".to_owned(),
            priority: "normal".to_owned(),
            confidentiality: "normal".to_owned(),
            sender: "Société minière de Boké".to_owned(),
            letter_date: "2026-11-20".to_owned(),
            ..RegistrationForm::default()
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0)
            .single()
            .expect("instant")
    }

    fn zone() -> TimeZone {
        TimeZone::parse("Africa/Conakry").expect("zone")
    }

    fn vocabulary() -> Vocabulary {
        Vocabulary::defaults()
    }

    #[test]
    fn received_time_is_local_and_not_before_the_letter() {
        let received = RegistrationForm {
            received_at: "2026-11-21T08:30".to_owned(),
            ..form()
        };
        let registration = received
            .validate(now(), zone(), &vocabulary())
            .expect("valid");
        assert_eq!(
            registration.received_at,
            Utc.with_ymd_and_hms(2026, 11, 21, 8, 30, 0).single()
        );
        let paris = TimeZone::parse("Europe/Paris").expect("zone");
        assert_eq!(
            parse_local_minute("2026-11-21T08:30", paris),
            Utc.with_ymd_and_hms(2026, 11, 21, 7, 30, 0).single()
        );
        let before_letter = RegistrationForm {
            received_at: "2026-11-19T08:30".to_owned(),
            ..form()
        };
        let errors = before_letter
            .validate(now(), zone(), &vocabulary())
            .expect_err("refused");
        assert_eq!(errors[0].reason, Reason::BeforeLetterDate);
        let later = RegistrationForm {
            received_at: "2026-11-21T10:01".to_owned(),
            ..form()
        };
        assert_eq!(
            later
                .validate(now(), zone(), &vocabulary())
                .expect_err("refused")[0]
                .reason,
            Reason::InFuture
        );
    }

    #[test]
    fn a_draft_may_be_incomplete_but_not_malformed() {
        let empty = RegistrationForm::default();
        let draft = empty
            .validate_draft(now(), zone(), &vocabulary())
            .expect("an empty draft");
        assert_eq!(draft.channel, Channel::Counter);
        assert!(empty.validate(now(), zone(), &vocabulary()).is_err());
        let malformed = RegistrationForm {
            letter_date: "demain".to_owned(),
            nature: "poem".to_owned(),
            ..RegistrationForm::default()
        };
        let errors = malformed
            .validate_draft(now(), zone(), &vocabulary())
            .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["letter_date", "nature"]);
    }

    #[test]
    fn several_recipients_are_separated_by_semicolons() {
        let many = RegistrationForm {
            recipient: " Direction des mines ;; Cabinet du ministre ; ".to_owned(),
            ..form()
        };
        let registration = many.validate(now(), zone(), &vocabulary()).expect("valid");
        assert_eq!(
            registration.recipient,
            "Direction des mines; Cabinet du ministre"
        );
        assert_eq!(
            registration.recipients(),
            ["Direction des mines", "Cabinet du ministre"]
        );
        let too_short = RegistrationForm {
            recipient: "Cabinet; X".to_owned(),
            ..form()
        };
        let errors = too_short
            .validate(now(), zone(), &vocabulary())
            .expect_err("refused");
        assert_eq!(errors[0].field, "recipient");
    }

    #[test]
    fn a_correction_names_what_it_changed() {
        let first = form()
            .validate(now(), zone(), &vocabulary())
            .expect("valid");
        let corrected = RegistrationForm {
            subject: "Demande de permis d'exploitation minière".to_owned(),
            priority: "urgent".to_owned(),
            ..form()
        }
        .validate(now(), zone(), &vocabulary())
        .expect("valid");
        assert_eq!(first.changed_fields(&corrected), ["subject", "priority"]);
        assert!(first.changed_fields(&first).is_empty());
        assert!(check_reason("typo").is_err());
        assert_eq!(
            check_reason("  Erreur de saisie ").as_deref(),
            Ok("Erreur de saisie")
        );
    }

    #[test]
    fn a_complete_form_is_a_registration() {
        let registration = form()
            .validate(now(), zone(), &vocabulary())
            .expect("valid");
        assert_eq!(registration.nature, "request");
        assert_eq!(
            registration.letter_date,
            NaiveDate::from_ymd_opt(2026, 11, 20)
        );
    }

    #[test]
    fn every_refusal_is_reported_at_its_field() {
        let bad = RegistrationForm {
            subject: " ".to_owned(),
            sender: String::new(),
            nature: "poem".to_owned(),
            letter_date: "2026-11-22".to_owned(),
            ..form()
        };
        let errors = bad
            .validate(now(), zone(), &vocabulary())
            .expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "sender", "letter_date", "nature"]);
        assert_eq!(errors[2].reason, Reason::InFuture);
        let not_a_date = RegistrationForm {
            letter_date: "20/11/2026".to_owned(),
            ..form()
        };
        assert_eq!(
            not_a_date
                .validate(now(), zone(), &vocabulary())
                .expect_err("refused")[0]
                .reason,
            Reason::NotADate
        );
    }
}
