use std::fmt;

/// Why a value was refused. Each reason has a stable code that the web layer
/// turns into a sentence in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    BadCharacters,
    UnknownTimeZone,
    UnknownValue,
    NotADate,
    InFuture,
    EmptyFile,
    FileTooLarge {
        max_mib: u64,
    },
    /// A small file (a logo) over its limit, in kibibytes.
    FileTooLargeKib {
        max_kib: u64,
    },
    TooManyFiles {
        max: usize,
    },
    /// The content is not one of the accepted kinds of document.
    FileTypeNotAllowed,
    /// The content is not what the file's name or declared type claims.
    FileTypeMismatch,
    NotADateTime,
    /// A reception earlier than the date on the letter.
    BeforeLetterDate,
    OutOfRange {
        min: u64,
        max: u64,
    },
    /// A correction that changes nothing.
    NothingChanged,
    /// A correspondent that is not in the administration's directory.
    UnknownCorrespondent,
    /// An item number that is not in the administration's registers.
    UnknownItem,
    TooManyRecipients {
        max: usize,
    },
    /// A code or name already taken in the administration.
    AlreadyUsed,
    /// Two entries that must be the same differ (a password and its confirmation).
    Mismatch,
    /// A link or token that no longer works.
    Expired,
    /// A unit placed under one of its own descendants.
    Cycle,
    /// An administrator removing their own administrator role.
    OwnAdministratorRole,
    /// A due date before the item was registered.
    BeforeRegistration,
    /// A step that the item's present state does not allow (accepting a closed item).
    NotNow,
    /// A unit or person outside the part of the tree one may dispatch to.
    OutsideUnit,
    /// A secret item sent to a unit: it goes to people by name only.
    NamedOnly,
    /// A field people never see was filled: a robot's submission.
    Automated,
    /// The antivirus found a signature in the file.
    Infected,
    /// An administration's code that another administration already has.
    CodeTaken,
    /// An administration whose creation someone else is running at this moment.
    CreationUnderWay,
    /// A code that names no administration on the platform.
    UnknownAdministration,
    /// A colour too light for white text on it to be read.
    LowContrast,
    /// An administration suspended by the operator agency: it takes no mail now.
    Suspended,
    /// A `{name}` in an e-mail template that the platform does not fill in, or a
    /// brace left open.
    UnknownPlaceholder,
    /// An e-mail template without a value its reader needs (a link, a number).
    MissingPlaceholder {
        name: &'static str,
    },
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooShort { .. } => "too-short",
            Self::TooLong { .. } => "too-long",
            Self::BadCharacters => "bad-characters",
            Self::UnknownTimeZone => "unknown-time-zone",
            Self::UnknownValue => "unknown-value",
            Self::NotADate => "not-a-date",
            Self::InFuture => "in-future",
            Self::EmptyFile => "empty-file",
            Self::FileTooLarge { .. } | Self::FileTooLargeKib { .. } => "file-too-large",
            Self::TooManyFiles { .. } => "too-many-files",
            Self::FileTypeNotAllowed => "file-type-not-allowed",
            Self::FileTypeMismatch => "file-type-mismatch",
            Self::NotADateTime => "not-a-date-time",
            Self::BeforeLetterDate => "before-letter-date",
            Self::OutOfRange { .. } => "out-of-range",
            Self::NothingChanged => "nothing-changed",
            Self::UnknownCorrespondent => "unknown-correspondent",
            Self::UnknownItem => "unknown-item",
            Self::TooManyRecipients { .. } => "too-many-recipients",
            Self::AlreadyUsed => "already-used",
            Self::Mismatch => "mismatch",
            Self::Expired => "expired",
            Self::Cycle => "cycle",
            Self::OwnAdministratorRole => "own-administrator-role",
            Self::BeforeRegistration => "before-registration",
            Self::NotNow => "not-now",
            Self::OutsideUnit => "outside-unit",
            Self::NamedOnly => "named-only",
            Self::Automated => "automated",
            Self::Infected => "infected",
            Self::CodeTaken => "code-taken",
            Self::CreationUnderWay => "creation-under-way",
            Self::UnknownAdministration => "unknown-administration",
            Self::LowContrast => "low-contrast",
            Self::Suspended => "suspended",
            Self::UnknownPlaceholder => "unknown-placeholder",
            Self::MissingPlaceholder { .. } => "missing-placeholder",
        }
    }
}

/// A value that does not parse into its domain type, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidInput {
    pub field: &'static str,
    pub reason: Reason,
}

impl InvalidInput {
    pub fn new(field: &'static str, reason: Reason) -> Self {
        Self { field, reason }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.reason.code())
    }
}

/// An optional e-mail address: empty is none; otherwise it must look like one (the
/// mail server has the last word).
pub fn parse_email(raw: &str) -> Result<Option<String>, InvalidInput> {
    let email = raw.trim();
    if email.is_empty() {
        return Ok(None);
    }
    let plausible = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if plausible {
        Ok(Some(email.to_owned()))
    } else {
        Err(InvalidInput::new("email", Reason::UnknownValue))
    }
}

/// A short code (a unit's, a register's), upper-cased: 2 to 16 letters and digits,
/// and the `extra` characters.
pub fn parse_code(raw: &str, extra: &[char]) -> Result<String, InvalidInput> {
    let code = raw.trim().to_uppercase();
    if (2..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    {
        Ok(code)
    } else {
        Err(InvalidInput::new("code", Reason::BadCharacters))
    }
}

/// Checks a trimmed length in characters, not bytes: Arabic names are two bytes a letter.
pub(crate) fn check_length(
    field: &'static str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<(), InvalidInput> {
    let count = value.chars().count();
    if count == 0 {
        Err(InvalidInput::new(field, Reason::Required))
    } else if count < min {
        Err(InvalidInput::new(field, Reason::TooShort { min }))
    } else if count > max {
        Err(InvalidInput::new(field, Reason::TooLong { max }))
    } else {
        Ok(())
    }
}
