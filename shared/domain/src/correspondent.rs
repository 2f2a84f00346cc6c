//! The correspondents directory: the people and organisations mail comes from and
//! goes to. Names are typed by hand at a counter, so the same sender arrives as
//! "Société Minière de Boké", "STE MINIERE DE BOKE" or "Boké, Société minière de":
//! a match key makes those one, and a similarity test flags near misses.

use crate::{InvalidInput, Reason, parse_email, validation::check_length};

/// Whether a correspondent is a person or an organisation; unknown for names first
/// seen at registration, until someone classifies them in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrespondentKind {
    Person,
    Organisation,
}

impl CorrespondentKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        match raw.trim() {
            "" => Ok(None),
            "person" => Ok(Some(Self::Person)),
            "organisation" => Ok(Some(Self::Organisation)),
            _ => Err(InvalidInput::new("kind", Reason::UnknownValue)),
        }
    }
}

/// A correspondent as typed into the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCorrespondent {
    pub name: String,
    pub kind: Option<CorrespondentKind>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl NewCorrespondent {
    pub fn parse(
        name: &str,
        kind: &str,
        email: &str,
        address: &str,
    ) -> Result<Self, Vec<InvalidInput>> {
        let mut errors = Vec::new();
        let name = name.trim().to_owned();
        if let Err(e) = check_length("name", &name, 2, 300) {
            errors.push(e);
        }
        let kind = CorrespondentKind::parse(kind)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let email = parse_email(email)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let address = Some(address.trim().to_owned()).filter(|a| !a.is_empty());
        if address.as_ref().is_some_and(|a| a.chars().count() > 500) {
            errors.push(InvalidInput::new("address", Reason::TooLong { max: 500 }));
        }
        if errors.is_empty() {
            Ok(Self {
                name,
                kind,
                email,
                address,
            })
        } else {
            Err(errors)
        }
    }
}

/// Words that say what kind of body a name is, not which one.
const NOISE_WORDS: &[&str] = &[
    "de", "des", "du", "la", "le", "les", "l", "d", "et", "the", "of",
];

/// The key two spellings of one name share: letters without accents (Arabic
/// transliterated), lower case, punctuation and small words dropped, words sorted.
pub fn match_key(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    let mut words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE_WORDS.contains(w))
        .collect();
    words.sort_unstable();
    words.dedup();
    words.join(" ")
}

/// Whether two match keys are probably the same correspondent spelled differently
/// (a typo, a missing word): flagged for a person to decide, never merged silently.
pub fn probably_same(a: &str, b: &str) -> bool {
    a == b || (a.len().min(b.len()) >= 6 && strsim::normalized_levenshtein(a, b) >= 0.85)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_name_share_a_key() {
        let key = match_key("Société Minière de Boké");
        assert_eq!(key, "boke miniere societe");
        assert_eq!(match_key("Boké, Société minière de"), key);
        assert_eq!(match_key("  société   minière  de  boké "), key);
        assert_ne!(match_key("Société minière de Kindia"), key);
    }

    #[test]
    fn near_misses_are_flagged_not_merged() {
        let a = match_key("Société Minière de Boké");
        assert!(probably_same(&a, &match_key("Societe Miniere de Boke")));
        assert!(probably_same(&a, &match_key("Société Minire de Boké")));
        assert!(!probably_same(&a, &match_key("Société Minière de Kindia")));
        assert!(!probably_same("ab", "ac"));
    }

    #[test]
    fn directory_entries_are_checked() {
        let ok = NewCorrespondent::parse(" Mamadou Diallo ", "person", "m.diallo@example.gn", "")
            .expect("valid");
        assert_eq!(ok.name, "Mamadou Diallo");
        assert_eq!(ok.address, None);
        let errors = NewCorrespondent::parse("", "robot", "nope", "").expect_err("refused");
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "kind", "email"]);
    }
}
