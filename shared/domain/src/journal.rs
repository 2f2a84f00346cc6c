//! The audit journal's chain. Each entry of an administration's journal holds the
//! hash of the entry before it, so an entry edited, deleted, inserted or moved in the
//! database breaks the chain from that point on, and `ordo audit verify` names the
//! first entry that no longer fits.
//!
//! An entry's hash is the SHA-256 of its canonical form: the fields in a fixed order,
//! each length-prefixed so that no two different entries share a canonical form.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

/// The hash the first entry of every journal chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry says, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryContent<'a> {
    pub tenant: &'a str,
    pub sequence: u64,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    pub details: &'a str,
    pub origin: &'a str,
}

/// The hash of `entry` chained after `previous`. PostgreSQL computes the same hash
/// when it seals an entry (`ordo_seal_journal`, migration 19); `ordo audit verify`
/// recomputes every one here.
pub fn chain_hash(previous: &str, entry: &EntryContent<'_>) -> String {
    let sequence = entry.sequence.to_string();
    let at = entry.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let canonical = length_prefixed([
        previous,
        entry.tenant,
        sequence.as_str(),
        at.as_str(),
        entry.actor,
        entry.action,
        entry.object,
        entry.details,
        entry.origin,
    ]);
    hex::encode(Sha256::digest(&canonical))
}

/// Each field as its length in bytes (8 bytes, big-endian) followed by its UTF-8
/// bytes, so that no two different lists of fields give the same bytes.
fn length_prefixed<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<u8> {
    let mut out = Vec::new();
    for field in fields {
        out.extend_from_slice(&(field.len() as u64).to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

/// Where a chain stops holding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// Entry `sequence` does not follow the one before it (deleted, inserted or moved).
    OutOfSequence { expected: u64, found: u64 },
    /// Entry `sequence` does not point at the hash of the entry before it.
    WrongLink { sequence: u64 },
    /// Entry `sequence`'s content no longer matches its hash (edited).
    WrongHash { sequence: u64 },
    /// The chain holds but ends before the journal's head: the last entries, from
    /// `found + 1` to `recorded`, were removed.
    Truncated { recorded: u64, found: u64 },
}

/// A stored entry: its content, the hash it links to and its own hash.
#[derive(Debug, Clone)]
pub struct StoredEntry<'a> {
    pub content: EntryContent<'a>,
    pub previous_hash: &'a str,
    pub hash: &'a str,
}

/// Walks a journal in sequence order; returns the first break, if any.
pub fn verify_chain<'a>(
    entries: impl IntoIterator<Item = StoredEntry<'a>>,
) -> Result<u64, ChainBreak> {
    let mut expected_sequence = 1;
    let mut previous = GENESIS.to_owned();
    for entry in entries {
        let sequence = entry.content.sequence;
        if sequence != expected_sequence {
            return Err(ChainBreak::OutOfSequence {
                expected: expected_sequence,
                found: sequence,
            });
        }
        if entry.previous_hash != previous {
            return Err(ChainBreak::WrongLink { sequence });
        }
        if chain_hash(&previous, &entry.content) != entry.hash {
            return Err(ChainBreak::WrongHash { sequence });
        }
        previous = entry.hash.to_owned();
        expected_sequence += 1;
    }
    Ok(expected_sequence - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(sequence: u64, details: &'static str) -> EntryContent<'static> {
        EntryContent {
            tenant: "MMG",
            sequence,
            at: DateTime::<Utc>::UNIX_EPOCH,
            actor: "user:secretariat",
            action: "item.registered",
            object: "item:1",
            details,
            origin: "127.0.0.1",
        }
    }

    fn chain(details: &[&'static str]) -> Vec<(EntryContent<'static>, String, String)> {
        let mut previous = GENESIS.to_owned();
        let mut out = Vec::new();
        for (i, d) in details.iter().enumerate() {
            let c = content(i as u64 + 1, d);
            let hash = chain_hash(&previous, &c);
            out.push((c, previous.clone(), hash.clone()));
            previous = hash;
        }
        out
    }

    fn stored<'a>(chain: &'a [(EntryContent<'static>, String, String)]) -> Vec<StoredEntry<'a>> {
        chain
            .iter()
            .map(|(c, p, h)| StoredEntry {
                content: c.clone(),
                previous_hash: p,
                hash: h,
            })
            .collect()
    }

    #[test]
    fn the_canonical_form_is_every_field_length_prefixed_in_order() {
        let entry = content(7, "{}");
        let mut expected = Sha256::new();
        for field in [
            GENESIS,
            "MMG",
            "7",
            "1970-01-01T00:00:00.000000Z",
            "user:secretariat",
            "item.registered",
            "item:1",
            "{}",
            "127.0.0.1",
        ] {
            expected.update((field.len() as u64).to_be_bytes());
            expected.update(field.as_bytes());
        }
        assert_eq!(
            chain_hash(GENESIS, &entry),
            hex::encode(expected.finalize())
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let entries = chain(&["a", "b", "c"]);
        assert_eq!(verify_chain(stored(&entries)), Ok(3));
        assert_eq!(verify_chain(Vec::new()), Ok(0));
    }

    #[test]
    fn each_kind_of_tampering_is_named() {
        let entries = chain(&["a", "b", "c", "d"]);
        let mut edited = stored(&entries);
        edited[1].content.details = "B";
        assert_eq!(
            verify_chain(edited),
            Err(ChainBreak::WrongHash { sequence: 2 })
        );

        let mut deleted = stored(&entries);
        deleted.remove(2);
        assert_eq!(
            verify_chain(deleted),
            Err(ChainBreak::OutOfSequence {
                expected: 3,
                found: 4
            })
        );

        let mut reordered = stored(&entries);
        reordered.swap(1, 2);
        assert_eq!(
            verify_chain(reordered),
            Err(ChainBreak::OutOfSequence {
                expected: 2,
                found: 3
            })
        );

        // Renumbered after a deletion, to hide it: the link to the deleted entry is gone.
        let mut renumbered = stored(&entries);
        renumbered.remove(1);
        renumbered[1].content.sequence = 2;
        renumbered[2].content.sequence = 3;
        assert_eq!(
            verify_chain(renumbered),
            Err(ChainBreak::WrongLink { sequence: 2 })
        );
    }

    #[test]
    fn length_prefixes_keep_fields_apart() {
        let mut a = content(1, "xy");
        a.action = "ab";
        let mut b = content(1, "y");
        b.action = "abx";
        assert_ne!(chain_hash(GENESIS, &a), chain_hash(GENESIS, &b));
    }
}
