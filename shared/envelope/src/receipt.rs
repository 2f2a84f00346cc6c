//! Receipts: what the receiving side answers, each bound to the envelope by its id
//! and the SHA-256 of its exact bytes, and signed by the administration that
//! issues it. Described in `schemas/receipt.schema.json`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{PROTOCOL_VERSION, Rejection, RejectionCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub version: String,
    pub id: Uuid,
    pub kind: ReceiptKind,
    pub envelope_id: Uuid,
    pub envelope_sha256: String,
    /// Who sent the envelope, and who issues this receipt (directory codes).
    pub sender: String,
    pub issuer: String,
    pub issued_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<Registration>,
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "return")]
    pub returned: Option<Return>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReceiptKind {
    Accepted,
    Rejected,
    Registered,
    Returned,
    Read,
    NotDelivered,
}

impl ReceiptKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Accepted => "Accepted",
            Self::Rejected => "Rejected",
            Self::Registered => "Registered",
            Self::Returned => "Returned",
            Self::Read => "Read",
            Self::NotDelivered => "NotDelivered",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Accepted,
            Self::Rejected,
            Self::Registered,
            Self::Returned,
            Self::Read,
            Self::NotDelivered,
        ]
        .into_iter()
        .find(|k| k.code() == raw)
    }
}

/// The receiver's registration of the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub number: String,
    pub registered_at: DateTime<Utc>,
}

/// Why the receiver sent the item back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Return {
    pub reason_code: ReturnReason,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnReason {
    NotCompetent,
    Misaddressed,
    Incomplete,
}

impl ReturnReason {
    pub fn code(self) -> &'static str {
        match self {
            Self::NotCompetent => "NotCompetent",
            Self::Misaddressed => "Misaddressed",
            Self::Incomplete => "Incomplete",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::NotCompetent, Self::Misaddressed, Self::Incomplete]
            .into_iter()
            .find(|k| k.code() == raw)
    }
}

/// What a receipt is about, common to every kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub envelope_id: Uuid,
    pub envelope_sha256: String,
    pub sender: String,
    pub issuer: String,
}

impl Receipt {
    fn new(binding: Binding, kind: ReceiptKind, now: DateTime<Utc>) -> Self {
        Self {
            version: PROTOCOL_VERSION.to_owned(),
            id: Uuid::now_v7(),
            kind,
            envelope_id: binding.envelope_id,
            envelope_sha256: binding.envelope_sha256,
            sender: binding.sender,
            issuer: binding.issuer,
            issued_at: now,
            rejection: None,
            registration: None,
            returned: None,
        }
    }

    pub fn accepted(binding: Binding, now: DateTime<Utc>) -> Self {
        Self::new(binding, ReceiptKind::Accepted, now)
    }

    pub fn rejected(binding: Binding, rejection: Rejection, now: DateTime<Utc>) -> Self {
        Self {
            rejection: Some(rejection),
            ..Self::new(binding, ReceiptKind::Rejected, now)
        }
    }

    pub fn registered(binding: Binding, registration: Registration, now: DateTime<Utc>) -> Self {
        Self {
            registration: Some(registration),
            ..Self::new(binding, ReceiptKind::Registered, now)
        }
    }

    pub fn returned(binding: Binding, returned: Return, now: DateTime<Utc>) -> Self {
        Self {
            returned: Some(returned),
            ..Self::new(binding, ReceiptKind::Returned, now)
        }
    }

    pub fn read(binding: Binding, now: DateTime<Utc>) -> Self {
        Self::new(binding, ReceiptKind::Read, now)
    }

    pub fn not_delivered(binding: Binding, detail: String, now: DateTime<Utc>) -> Self {
        Self {
            rejection: Some(Rejection::new(RejectionCode::NotDelivered, detail)),
            ..Self::new(binding, ReceiptKind::NotDelivered, now)
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn parse(bytes: &[u8]) -> Result<Self, Rejection> {
        let receipt: Self = serde_json::from_slice(bytes)
            .map_err(|e| Rejection::new(RejectionCode::Validation, e.to_string()))?;
        if receipt.version != PROTOCOL_VERSION {
            return Err(Rejection::new(
                RejectionCode::UnsupportedVersion,
                format!("receipt version {}", receipt.version),
            ));
        }
        Ok(receipt)
    }
}
