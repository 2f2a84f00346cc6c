//! The e-mails an administration sends to filers and to its new users, as texts it
//! may reword: a subject and a body with placeholders such as `{number}` that the
//! platform fills in. A template is checked when it is saved (every placeholder
//! known, the ones a reader needs present), so no mail goes out with a hole in it.
//! `{{` and `}}` stand for a literal brace.

use crate::{InvalidInput, Reason};

/// The longest subject taken: mail clients show the first few dozen characters.
pub const MAX_SUBJECT_CHARS: usize = 200;
/// The longest body taken.
pub const MAX_BODY_CHARS: usize = 5_000;

/// An e-mail the administration may reword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EmailKind {
    /// To a filer, on filing: the deposit receipt (*récépissé de dépôt*).
    Deposit,
    /// To a filer, on registration: the acknowledgment of receipt, PDF attached.
    Acknowledgment,
    /// To a filer whose filing was not registered.
    FilingRejected,
    /// To a filer whose reply can be downloaded.
    ReplyPublished,
    /// To a person invited to the administration.
    Welcome,
}

/// A value the platform puts into a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    pub name: &'static str,
    /// Without it the reader cannot act on the mail (a link, a number, a code).
    pub required: bool,
}

const fn optional(name: &'static str) -> Placeholder {
    Placeholder {
        name,
        required: false,
    }
}

const fn required(name: &'static str) -> Placeholder {
    Placeholder {
        name,
        required: true,
    }
}

const DEPOSIT: &[Placeholder] = &[
    optional("administration"),
    optional("name"),
    optional("subject"),
    optional("date"),
    required("code"),
    optional("files"),
    // The confirmation link, when the administration asks for one.
    required("confirm"),
    optional("link"),
];
const ACKNOWLEDGMENT: &[Placeholder] = &[
    optional("administration"),
    required("number"),
    optional("date"),
    optional("subject"),
    required("verify"),
    optional("tracking"),
];
const FILING_REJECTED: &[Placeholder] = &[
    optional("administration"),
    optional("subject"),
    optional("code"),
    required("reason"),
];
const REPLY_PUBLISHED: &[Placeholder] = &[
    optional("administration"),
    optional("subject"),
    required("link"),
];
const WELCOME: &[Placeholder] = &[
    optional("administration"),
    optional("name"),
    required("login"),
    required("link"),
];

impl EmailKind {
    pub const ALL: [Self; 5] = [
        Self::Deposit,
        Self::Acknowledgment,
        Self::FilingRejected,
        Self::ReplyPublished,
        Self::Welcome,
    ];

    /// Its stable code, in addresses and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Deposit => "deposit",
            Self::Acknowledgment => "acknowledgment",
            Self::FilingRejected => "filing-rejected",
            Self::ReplyPublished => "reply-published",
            Self::Welcome => "welcome",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// The catalog's messages for its default text: `{prefix}-mail-subject` and
    /// `{prefix}-mail-body`.
    pub fn message_prefix(self) -> &'static str {
        match self {
            Self::Deposit => "deposit",
            Self::Acknowledgment => "ack",
            Self::FilingRejected => "filing-rejected",
            Self::ReplyPublished => "reply-published",
            Self::Welcome => "welcome",
        }
    }

    /// What the platform fills in, in the order the editor lists them.
    pub fn placeholders(self) -> &'static [Placeholder] {
        match self {
            Self::Deposit => DEPOSIT,
            Self::Acknowledgment => ACKNOWLEDGMENT,
            Self::FilingRejected => FILING_REJECTED,
            Self::ReplyPublished => REPLY_PUBLISHED,
            Self::Welcome => WELCOME,
        }
    }

    fn knows(self, name: &str) -> bool {
        self.placeholders().iter().any(|p| p.name == name)
    }
}

/// A piece of a template's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    Text(&'a str),
    Placeholder(&'a str),
}

/// Splits a text into literal runs and placeholders; `None` when a brace is not
/// closed, not opened, or encloses something that is not a name.
fn segments(text: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(at) = rest.find(['{', '}']) else {
            out.push(Segment::Text(rest));
            break;
        };
        if at > 0 {
            out.push(Segment::Text(&rest[..at]));
        }
        let brace = &rest[at..at + 1];
        let after = &rest[at + 1..];
        if after.starts_with(brace) {
            out.push(Segment::Text(brace));
            rest = &after[1..];
            continue;
        }
        if brace == "}" {
            return None;
        }
        let end = after.find('}')?;
        let name = after[..end].trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '-')
        {
            return None;
        }
        out.push(Segment::Placeholder(name));
        rest = &after[end + 1..];
    }
    Some(out)
}

/// A subject and a body that passed the checks for their kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailTemplate {
    subject: String,
    body: String,
}

impl EmailTemplate {
    /// Checks an administrator's text: every field refused is named, with why.
    pub fn parse(kind: EmailKind, subject: &str, body: &str) -> Result<Self, Vec<InvalidInput>> {
        let subject = subject.trim();
        let body = body.trim_end().replace("\r\n", "\n");
        let mut errors = Vec::new();
        let mut used = Vec::new();
        for (field, text, max) in [
            ("mail_subject", subject, MAX_SUBJECT_CHARS),
            ("mail_body", body.as_str(), MAX_BODY_CHARS),
        ] {
            if text.trim().is_empty() {
                errors.push(InvalidInput::new(field, Reason::Required));
            } else if text.chars().count() > max {
                errors.push(InvalidInput::new(field, Reason::TooLong { max }));
            } else if field == "mail_subject" && text.contains(['\n', '\r']) {
                errors.push(InvalidInput::new(field, Reason::BadCharacters));
            } else {
                match segments(text) {
                    Some(parts) => {
                        let names: Vec<&str> = parts
                            .iter()
                            .filter_map(|part| match part {
                                Segment::Placeholder(name) => Some(*name),
                                Segment::Text(_) => None,
                            })
                            .collect();
                        if names.iter().any(|name| !kind.knows(name)) {
                            errors.push(InvalidInput::new(field, Reason::UnknownPlaceholder));
                        }
                        used.extend(names.into_iter().map(str::to_owned));
                    }
                    None => errors.push(InvalidInput::new(field, Reason::UnknownPlaceholder)),
                }
            }
        }
        if errors.is_empty()
            && let Some(missing) = kind
                .placeholders()
                .iter()
                .find(|p| p.required && !used.iter().any(|name| name == p.name))
        {
            errors.push(InvalidInput::new(
                "mail_body",
                Reason::MissingPlaceholder { name: missing.name },
            ));
        }
        if errors.is_empty() {
            Ok(Self {
                subject: subject.to_owned(),
                body,
            })
        } else {
            Err(errors)
        }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    /// The subject and body with each placeholder replaced by its value (an empty
    /// value leaves nothing; lines it empties at the end are dropped).
    pub fn render<'v>(&self, value: impl Fn(&str) -> Option<&'v str>) -> (String, String) {
        let fill = |text: &str| {
            segments(text)
                .unwrap_or_default()
                .into_iter()
                .map(|part| match part {
                    Segment::Text(text) => text,
                    Segment::Placeholder(name) => value(name).unwrap_or_default(),
                })
                .collect::<String>()
        };
        // A subject is one line, whatever a value holds.
        let subject = fill(&self.subject).replace(['\r', '\n'], " ");
        (subject, fill(&self.body).trim_end().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(result: Result<EmailTemplate, Vec<InvalidInput>>) -> Vec<(&'static str, Reason)> {
        result
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.field, e.reason))
            .collect()
    }

    #[test]
    fn placeholders_are_filled_and_braces_escaped() {
        let template = EmailTemplate::parse(
            EmailKind::ReplyPublished,
            "Réponse de {administration}",
            "Bonjour,\n{{réponse}} à « {subject} » : {link}\n\n{ subject }",
        )
        .expect("valid");
        let (subject, body) = template.render(|name| match name {
            "administration" => Some("MMG"),
            "subject" => Some("Bourse"),
            "link" => Some("https://x/suivi"),
            _ => None,
        });
        assert_eq!(subject, "Réponse de MMG");
        assert_eq!(
            body,
            "Bonjour,\n{réponse} à « Bourse » : https://x/suivi\n\nBourse"
        );
    }

    #[test]
    fn unknown_unclosed_and_missing_placeholders_are_refused() {
        assert_eq!(
            reasons(EmailTemplate::parse(
                EmailKind::ReplyPublished,
                "Objet {numero}",
                "{link}"
            )),
            vec![("mail_subject", Reason::UnknownPlaceholder)]
        );
        for body in ["Voir {link", "Voir link}", "Voir {}", "Voir {Lien}"] {
            assert_eq!(
                reasons(EmailTemplate::parse(
                    EmailKind::ReplyPublished,
                    "Objet",
                    body
                )),
                vec![("mail_body", Reason::UnknownPlaceholder)],
                "{body}"
            );
        }
        assert_eq!(
            reasons(EmailTemplate::parse(
                EmailKind::Acknowledgment,
                "N° {number}",
                "Bonjour, votre courrier porte le numéro {number}."
            )),
            vec![("mail_body", Reason::MissingPlaceholder { name: "verify" })]
        );
    }

    #[test]
    fn empty_long_and_multiline_subjects_are_refused() {
        assert_eq!(
            reasons(EmailTemplate::parse(EmailKind::ReplyPublished, " ", " ")),
            vec![
                ("mail_subject", Reason::Required),
                ("mail_body", Reason::Required)
            ]
        );
        assert_eq!(
            reasons(EmailTemplate::parse(
                EmailKind::ReplyPublished,
                "a\nb",
                "{link}"
            )),
            vec![("mail_subject", Reason::BadCharacters)]
        );
        let long = "x".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(
            reasons(EmailTemplate::parse(
                EmailKind::ReplyPublished,
                "Objet",
                &long
            )),
            vec![(
                "mail_body",
                Reason::TooLong {
                    max: MAX_BODY_CHARS
                }
            )]
        );
    }

    #[test]
    fn every_kind_has_a_code_that_parses_back() {
        for kind in EmailKind::ALL {
            assert_eq!(EmailKind::parse(kind.code()), Some(kind));
            assert!(kind.placeholders().iter().any(|p| p.required));
        }
    }
}
