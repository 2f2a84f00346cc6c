//! Dispatch (*imputation*) and processing rules: what a dispatch is for, the states it
//! goes through and which step leads where, what a closed item's outcome can be, and
//! who a note is shown to. Pure: the service applies them, the database stores them.

use chrono::NaiveDate;
use uuid::Uuid;

use crate::{InvalidInput, Reason};

/// Why an item is sent to a unit or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// The one responsible for processing it.
    Action,
    /// To know of it.
    Information,
    /// To give an opinion to the one responsible.
    Opinion,
}

impl Purpose {
    pub const ALL: [Self; 3] = [Self::Action, Self::Information, Self::Opinion];

    pub fn code(self) -> &'static str {
        match self {
            Self::Action => "action",
            Self::Information => "information",
            Self::Opinion => "opinion",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|p| p.code() == raw.trim())
            .ok_or_else(|| InvalidInput::new("purpose", Reason::UnknownValue))
    }
}

/// Whom a dispatch is sent to: a unit (its head takes it up) or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Unit(Uuid),
    Person(Uuid),
}

impl Target {
    /// `unit:<id>` or `person:<id>`, as forms and the API carry it.
    pub fn parse(raw: &str) -> Option<Self> {
        let (kind, id) = raw.trim().split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        match kind {
            "unit" => Some(Self::Unit(id)),
            "person" => Some(Self::Person(id)),
            _ => None,
        }
    }

    pub fn key(self) -> String {
        match self {
            Self::Unit(id) => format!("unit:{id}"),
            Self::Person(id) => format!("person:{id}"),
        }
    }
}

/// Whether a person handles a dispatch to `target`: it names them, or names the unit
/// they head.
pub fn handles(target: Target, person: Uuid, unit: Option<Uuid>, heads_unit: bool) -> bool {
    match target {
        Target::Person(id) => id == person,
        Target::Unit(id) => heads_unit && unit == Some(id),
    }
}

/// Where a dispatch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DispatchStatus {
    /// Sent, not yet taken up.
    Sent,
    /// Taken up by its recipient.
    Accepted,
    /// Being processed.
    InProgress,
    /// Processed, with an outcome.
    Closed,
    /// Sent back by its recipient, with a reason: the sender dispatches again.
    Returned,
    /// Passed on down the tree by a unit head (the new dispatch names this one).
    PassedOn,
    /// Read (information) or answered (opinion).
    Acknowledged,
}

impl DispatchStatus {
    pub const ALL: [Self; 7] = [
        Self::Sent,
        Self::Accepted,
        Self::InProgress,
        Self::Closed,
        Self::Returned,
        Self::PassedOn,
        Self::Acknowledged,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::InProgress => "in_progress",
            Self::Closed => "closed",
            Self::Returned => "returned",
            Self::PassedOn => "passed_on",
            Self::Acknowledged => "acknowledged",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw)
    }

    /// Waiting for its recipient to act: what inboxes and reminders count.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::Accepted | Self::InProgress)
    }

    /// The states in which a dispatch for action holds the item's one responsibility.
    /// The database's partial unique index lists the same codes.
    pub const HOLDING: [Self; 4] = [Self::Sent, Self::Accepted, Self::InProgress, Self::Closed];
}

/// How a processed item ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Answered,
    NoFollowUp,
    Filed,
}

impl Outcome {
    pub const ALL: [Self; 3] = [Self::Answered, Self::NoFollowUp, Self::Filed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::NoFollowUp => "no_follow_up",
            Self::Filed => "filed",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|o| o.code() == raw.trim())
            .ok_or_else(|| InvalidInput::new("outcome", Reason::UnknownValue))
    }
}

/// Something the recipient of a dispatch (or its sender) does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Accept,
    /// Send it back, with a reason.
    Return,
    Start,
    Close(Outcome),
    /// Reopen a closed item, with a reason.
    Reopen,
    /// Mark an information read, or an opinion given.
    Acknowledge,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Return => "return",
            Self::Start => "start",
            Self::Close(_) => "close",
            Self::Reopen => "reopen",
            Self::Acknowledge => "acknowledge",
        }
    }

    /// A step from its code; closing also needs its outcome.
    pub fn parse(raw: &str, outcome: Option<&str>) -> Result<Self, InvalidInput> {
        match raw.trim() {
            "accept" => Ok(Self::Accept),
            "return" => Ok(Self::Return),
            "start" => Ok(Self::Start),
            "close" => Outcome::parse(outcome.unwrap_or_default()).map(Self::Close),
            "reopen" => Ok(Self::Reopen),
            "acknowledge" => Ok(Self::Acknowledge),
            _ => Err(InvalidInput::new("step", Reason::UnknownValue)),
        }
    }

    /// Whether the step needs a written reason (returning, reopening).
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Return | Self::Reopen)
    }

    /// The status a dispatch for `purpose` in `status` moves to, or a refusal when the
    /// step makes no sense there (accepting a closed item, closing an information).
    pub fn apply(
        self,
        purpose: Purpose,
        status: DispatchStatus,
    ) -> Result<DispatchStatus, InvalidInput> {
        use DispatchStatus as S;
        let next = match (purpose, self, status) {
            (Purpose::Action, Self::Accept, S::Sent) => Some(S::Accepted),
            (Purpose::Action, Self::Return, S::Sent | S::Accepted | S::InProgress) => {
                Some(S::Returned)
            }
            (Purpose::Action, Self::Start, S::Sent | S::Accepted) => Some(S::InProgress),
            (Purpose::Action, Self::Close(_), S::Sent | S::Accepted | S::InProgress) => {
                Some(S::Closed)
            }
            (Purpose::Action, Self::Reopen, S::Closed) => Some(S::InProgress),
            (Purpose::Information | Purpose::Opinion, Self::Acknowledge, S::Sent) => {
                Some(S::Acknowledged)
            }
            _ => None,
        };
        next.ok_or_else(|| InvalidInput::new("step", Reason::NotNow))
    }
}

/// Whether a dispatch for action in `status` may be passed on down the tree.
pub fn may_pass_on(status: DispatchStatus) -> bool {
    matches!(status, DispatchStatus::Sent | DispatchStatus::Accepted)
}

/// A due date is the registration's day or later.
pub fn check_due_date(
    due_on: Option<NaiveDate>,
    registered_on: NaiveDate,
) -> Result<(), InvalidInput> {
    match due_on {
        Some(due) if due < registered_on => {
            Err(InvalidInput::new("due_on", Reason::BeforeRegistration))
        }
        _ => Ok(()),
    }
}

/// Who a note is shown to, besides its author.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteVisibility {
    /// The author only.
    Private,
    /// The people of the author's unit who see the item.
    Unit,
    /// Everyone who sees the item.
    All,
}

impl NoteVisibility {
    pub const ALL: [Self; 3] = [Self::Private, Self::Unit, Self::All];

    pub fn code(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Unit => "unit",
            Self::All => "all",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == raw.trim())
            .ok_or_else(|| InvalidInput::new("visibility", Reason::UnknownValue))
    }

    /// Whether a reader (who sees the item) sees a note of this visibility.
    pub fn shows_to(self, reader_is_author: bool, reader_in_authors_unit: bool) -> bool {
        reader_is_author
            || match self {
                Self::Private => false,
                Self::Unit => reader_in_authors_unit,
                Self::All => true,
            }
    }
}

/// The longest note or instruction kept.
pub const MAX_NOTE_CHARS: usize = 4000;

/// A note's or an instruction's text: trimmed, at most [`MAX_NOTE_CHARS`]; a note
/// must say something, instructions may be empty.
pub fn parse_text(field: &'static str, raw: &str, required: bool) -> Result<String, InvalidInput> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(InvalidInput::new(field, Reason::Required));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(InvalidInput::new(
            field,
            Reason::TooLong {
                max: MAX_NOTE_CHARS,
            },
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dispatch_for_action_goes_from_sent_to_closed_and_back() {
        use DispatchStatus as S;
        let action = Purpose::Action;
        assert_eq!(Step::Accept.apply(action, S::Sent), Ok(S::Accepted));
        assert_eq!(Step::Start.apply(action, S::Accepted), Ok(S::InProgress));
        let closed = Step::Close(Outcome::Answered).apply(action, S::InProgress);
        assert_eq!(closed, Ok(S::Closed));
        assert_eq!(Step::Reopen.apply(action, S::Closed), Ok(S::InProgress));
        assert_eq!(Step::Return.apply(action, S::Accepted), Ok(S::Returned));
    }

    #[test]
    fn steps_out_of_place_are_refused() {
        use DispatchStatus as S;
        let refused = Err(InvalidInput::new("step", Reason::NotNow));
        assert_eq!(Step::Accept.apply(Purpose::Action, S::Closed), refused);
        assert_eq!(Step::Reopen.apply(Purpose::Action, S::InProgress), refused);
        assert_eq!(Step::Return.apply(Purpose::Action, S::Closed), refused);
        let close = Step::Close(Outcome::Filed);
        assert_eq!(close.apply(Purpose::Information, S::Sent), refused);
        assert_eq!(Step::Acknowledge.apply(Purpose::Action, S::Sent), refused);
        assert_eq!(Step::Accept.apply(Purpose::Action, S::PassedOn), refused);
        assert!(!may_pass_on(S::InProgress) && may_pass_on(S::Accepted));
    }

    #[test]
    fn closing_names_its_outcome() {
        assert_eq!(
            Step::parse("close", Some("no_follow_up")),
            Ok(Step::Close(Outcome::NoFollowUp))
        );
        assert_eq!(
            Step::parse("close", None),
            Err(InvalidInput::new("outcome", Reason::UnknownValue))
        );
        assert!(Step::parse("return", None).is_ok_and(Step::needs_reason));
    }

    #[test]
    fn a_due_date_cannot_precede_the_registration() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default();
        assert!(check_due_date(Some(day(20)), day(20)).is_ok());
        assert!(check_due_date(None, day(20)).is_ok());
        assert_eq!(
            check_due_date(Some(day(19)), day(20)),
            Err(InvalidInput::new("due_on", Reason::BeforeRegistration))
        );
    }

    #[test]
    fn notes_reach_whom_their_author_chose() {
        assert!(NoteVisibility::Private.shows_to(true, false));
        assert!(!NoteVisibility::Private.shows_to(false, true));
        assert!(NoteVisibility::Unit.shows_to(false, true));
        assert!(!NoteVisibility::Unit.shows_to(false, false));
        assert!(NoteVisibility::All.shows_to(false, false));
        assert_eq!(
            parse_text("body", "  ", true),
            Err(InvalidInput::new("body", Reason::Required))
        );
        assert_eq!(parse_text("instructions", " ", false), Ok(String::new()));
    }
}
