//! Mail items (*courriers*): their vocabulary and the rules a registration obeys.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{InvalidInput, Reason, TimeZone, validation::check_length};

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
vocabulary!(Priority, "priority" { Normal => "normal", Urgent => "urgent", VeryUrgent => "very_urgent" });
vocabulary!(
    /// Who may see an item: confidential and secret items are limited (see permissions).
    Confidentiality, "confidentiality" { Normal => "normal", Confidential => "confidential", Secret => "secret" }
);
vocabulary!(
    /// The kind of document. The default list; per-administration lists come with the
    /// administration's settings.
    Nature, "nature" {
        Letter => "letter", Request => "request", Invoice => "invoice", Note => "note",
        Circular => "circular", Decree => "decree", Report => "report", Other => "other",
    }
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
}

/// A registration that obeys every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub subject: String,
    pub nature: Nature,
    pub channel: Channel,
    pub priority: Priority,
    pub confidentiality: Confidentiality,
    pub sender: String,
    pub recipient: String,
    pub letter_date: Option<NaiveDate>,
    pub keywords: String,
    pub paper_location: String,
}

impl RegistrationForm {
    /// Checks every field and returns all refusals at once, so a person fixes the form
    /// in one go. `now` is the registration time; dates are judged in `zone`.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        zone: TimeZone,
    ) -> Result<Registration, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let mut keep = |result: Result<(), InvalidInput>| {
            if let Err(e) = result {
                errors.push(e);
            }
        };
        let subject = self.subject.trim().to_owned();
        keep(check_length("subject", &subject, 3, 500));
        let sender = self.sender.trim().to_owned();
        keep(check_length("sender", &sender, 2, 300));
        let recipient = self.recipient.trim().to_owned();
        if !recipient.is_empty() {
            keep(check_length("recipient", &recipient, 2, 300));
        }
        let keywords = self.keywords.trim().to_owned();
        if keywords.chars().count() > 300 {
            keep(Err(InvalidInput::new(
                "keywords",
                Reason::TooLong { max: 300 },
            )));
        }
        let paper_location = self.paper_location.trim().to_owned();
        if paper_location.chars().count() > 200 {
            keep(Err(InvalidInput::new(
                "paper_location",
                Reason::TooLong { max: 200 },
            )));
        }
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
        let nature = Nature::parse(&self.nature).map_err(|e| errors.push(e)).ok();
        let channel = Channel::parse(&self.channel)
            .map_err(|e| errors.push(e))
            .ok();
        let priority = Priority::parse(&self.priority)
            .map_err(|e| errors.push(e))
            .ok();
        let confidentiality = Confidentiality::parse(&self.confidentiality)
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
                    keywords,
                    paper_location,
                })
            }
            _ => Err(errors),
        }
    }
}

use chrono::Datelike as _;

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

    #[test]
    fn a_complete_form_is_a_registration() {
        let registration = form().validate(now(), zone()).expect("valid");
        assert_eq!(registration.nature, Nature::Request);
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
        let errors = bad.validate(now(), zone()).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["subject", "sender", "letter_date", "nature"]);
        assert_eq!(errors[2].reason, Reason::InFuture);
        let not_a_date = RegistrationForm {
            letter_date: "20/11/2026".to_owned(),
            ..form()
        };
        assert_eq!(
            not_a_date.validate(now(), zone()).expect_err("refused")[0].reason,
            Reason::NotADate
        );
    }
}
