//! What travels: the envelope's exact bytes, its signature and its files, as one
//! JSON document (bytes in base64), and a receipt with its signature.

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};

use crate::{Rejection, RejectionCode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    #[serde(with = "base64_bytes")]
    pub envelope: Vec<u8>,
    #[serde(with = "base64_bytes")]
    pub signature: Vec<u8>,
    pub files: Vec<TransferFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferFile {
    pub name: String,
    #[serde(with = "base64_bytes")]
    pub content: Vec<u8>,
}

/// A receipt as it travels back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptTransfer {
    #[serde(with = "base64_bytes")]
    pub receipt: Vec<u8>,
    #[serde(with = "base64_bytes")]
    pub signature: Vec<u8>,
}

impl Transfer {
    pub fn parse(bytes: &[u8]) -> Result<Self, Rejection> {
        serde_json::from_slice(bytes)
            .map_err(|e| Rejection::new(RejectionCode::Validation, format!("transfer: {e}")))
    }
}

mod base64_bytes {
    use super::{Engine, STANDARD};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}
