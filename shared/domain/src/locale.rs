use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// The languages Ordo speaks to people: French first, then Arabic and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Fr,
    Ar,
    En,
}

/// Text direction of a locale, for `<html dir="…">`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ltr => "ltr",
            Self::Rtl => "rtl",
        }
    }
}

impl Locale {
    pub const ALL: [Self; 3] = [Self::Fr, Self::Ar, Self::En];

    pub fn tag(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::Ar => "ar",
            Self::En => "en",
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Self::Ar => Direction::Rtl,
            Self::Fr | Self::En => Direction::Ltr,
        }
    }

    /// Picks the best supported locale from an `Accept-Language` header, honouring
    /// q-values; `fr-FR`, `ar-MA` and `en-GB` match their language. Falls back to French.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut best: Option<(f32, usize, Self)> = None;
        for (position, item) in accept_language.split(',').enumerate() {
            let mut parts = item.trim().split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let language = tag.split('-').next().unwrap_or_default();
            let Ok(locale) = language.parse::<Self>() else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            // Higher quality wins; on a tie the earlier entry wins.
            let better = match best {
                None => true,
                Some((q, pos, _)) => quality > q || (quality == q && position < pos),
            };
            if better {
                best = Some((quality, position, locale));
            }
        }
        best.map(|(_, _, locale)| locale).unwrap_or_default()
    }
}

impl FromStr for Locale {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Self::Fr),
            "ar" => Ok(Self::Ar),
            "en" => Ok(Self::En),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_quality_then_order() {
        assert_eq!(Locale::negotiate(""), Locale::Fr);
        assert_eq!(
            Locale::negotiate("de-DE, ar-MA;q=0.8, en;q=0.5"),
            Locale::Ar
        );
        assert_eq!(Locale::negotiate("en-GB,en;q=0.9,fr;q=0.8"), Locale::En);
        assert_eq!(Locale::negotiate("ar;q=0.5, en;q=0.5"), Locale::Ar);
        assert_eq!(Locale::negotiate("en;q=0, de"), Locale::Fr);
        assert_eq!(Locale::negotiate("*"), Locale::Fr);
    }

    #[test]
    fn arabic_is_right_to_left() {
        assert_eq!(Locale::Ar.direction(), Direction::Rtl);
        assert_eq!(Locale::Fr.direction(), Direction::Ltr);
    }
}
