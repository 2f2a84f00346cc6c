//! The exchange between administrations, as it travels: the envelope (*pli*), the
//! receipts answering it, the transfer that carries both with the files, and the
//! seal signatures over them. The schemas in `schemas/` describe the same JSON for
//! other implementations; the tests check what this crate writes against them.

pub mod envelope;
pub mod receipt;
pub mod seal;
pub mod transfer;

pub use envelope::{
    Access, Correspondence, Envelope, FileRole, ManifestEntry, Party, Reference, Restriction,
};
pub use receipt::{Binding, Receipt, ReceiptKind, Registration, Return, ReturnReason};
pub use seal::{Seal, SealError, SignatureError, check_certificate, sha256_hex, verify};
pub use transfer::{ReceiptTransfer, Transfer, TransferFile};

use serde::{Deserialize, Serialize};

/// The version of the envelope and receipts this platform writes and reads.
pub const PROTOCOL_VERSION: &str = "1.0";

/// Why an envelope was not accepted, as the `Rejected` receipt states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(deny_unknown_fields)]
#[error("{code:?}: {detail}")]
pub struct Rejection {
    pub code: RejectionCode,
    pub detail: String,
}

impl Rejection {
    pub fn new(code: RejectionCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RejectionCode {
    /// The envelope does not follow the schema.
    Validation,
    /// No such recipient, or one that does not accept electronic mail now.
    InvalidAddressee,
    SizeLimit,
    UnsupportedVersion,
    /// A file does not have the SHA-256 its manifest states, or is missing.
    DigestMismatch,
    SignatureInvalid,
    /// The same envelope id came before with other content.
    IdConflict,
    /// Made by the sender when the retries ran out.
    NotDelivered,
}

impl RejectionCode {
    pub fn code(self) -> &'static str {
        match self {
            Self::Validation => "Validation",
            Self::InvalidAddressee => "InvalidAddressee",
            Self::SizeLimit => "SizeLimit",
            Self::UnsupportedVersion => "UnsupportedVersion",
            Self::DigestMismatch => "DigestMismatch",
            Self::SignatureInvalid => "SignatureInvalid",
            Self::IdConflict => "IdConflict",
            Self::NotDelivered => "NotDelivered",
        }
    }

    pub const ALL: [Self; 8] = [
        Self::Validation,
        Self::InvalidAddressee,
        Self::SizeLimit,
        Self::UnsupportedVersion,
        Self::DigestMismatch,
        Self::SignatureInvalid,
        Self::IdConflict,
        Self::NotDelivered,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.code() == raw)
    }
}
