//! The envelope (*pli*): what one administration sends another, described in
//! `schemas/envelope.schema.json`. Its exact bytes are what the seal signs and what
//! the receipts are bound to (by their SHA-256), so it is kept and sent as bytes,
//! never re-serialised.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{PROTOCOL_VERSION, Rejection, RejectionCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub version: String,
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub sender: Party,
    pub recipients: Vec<Party>,
    pub correspondence: Correspondence,
    pub manifest: Vec<ManifestEntry>,
}

/// An administration (its directory code), and within it a unit and an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub organisation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correspondence {
    /// The sender's registration number and date.
    pub number: String,
    pub registered_on: NaiveDate,
    pub subject: String,
    pub nature: String,
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_due: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<Reference>,
    pub conversation_id: Uuid,
    pub access: Access,
}

/// The other side's item this one answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub number: String,
    pub envelope_id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    pub restriction: Restriction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restriction {
    Public,
    Restricted,
    Confidential,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub name: String,
    pub media_type: String,
    pub size: u64,
    pub role: FileRole,
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    Main,
    Attachment,
}

impl Envelope {
    /// The bytes to sign, send and keep.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Serialising these plain types cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads an envelope as received: its version first (a later version is
    /// `UnsupportedVersion`, not a validation failure), then its shape.
    pub fn parse(bytes: &[u8]) -> Result<Self, Rejection> {
        #[derive(Deserialize)]
        struct Versioned {
            version: Option<String>,
        }
        let versioned: Versioned = serde_json::from_slice(bytes)
            .map_err(|e| Rejection::new(RejectionCode::Validation, e.to_string()))?;
        match versioned.version.as_deref() {
            Some(PROTOCOL_VERSION) => {}
            Some(other) => {
                return Err(Rejection::new(
                    RejectionCode::UnsupportedVersion,
                    format!(
                        "version {other} is not supported; this platform reads {PROTOCOL_VERSION}"
                    ),
                ));
            }
            None => return Err(Rejection::new(RejectionCode::Validation, "no version")),
        }
        let envelope: Self = serde_json::from_slice(bytes)
            .map_err(|e| Rejection::new(RejectionCode::Validation, e.to_string()))?;
        envelope.check()?;
        Ok(envelope)
    }

    /// What the schema cannot say.
    fn check(&self) -> Result<(), Rejection> {
        let invalid = |detail: String| Err(Rejection::new(RejectionCode::Validation, detail));
        if self.recipients.is_empty() {
            return invalid("no recipient".to_owned());
        }
        if self.manifest.is_empty() {
            return invalid("the manifest lists no file".to_owned());
        }
        if self.correspondence.subject.trim().is_empty() {
            return invalid("no subject".to_owned());
        }
        let mut names = std::collections::HashSet::new();
        for file in &self.manifest {
            if file.name.trim().is_empty() || file.name.contains(['/', '\\']) {
                return invalid(format!("file name {:?} is not a plain name", file.name));
            }
            if !names.insert(file.name.as_str()) {
                return invalid(format!("file {} is listed twice", file.name));
            }
            if file.sha256.len() != 64
                || !file
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return invalid(format!(
                    "file {} has no SHA-256 in lowercase hex",
                    file.name
                ));
            }
        }
        Ok(())
    }

    /// The total of the files' sizes, as the manifest states them.
    pub fn declared_size(&self) -> u64 {
        self.manifest.iter().map(|f| f.size).sum()
    }
}
