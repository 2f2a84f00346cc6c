use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validation::{InvalidInput, Reason, check_length};

/// The identity of an administration (a tenant). Every tenant-owned row carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(Uuid);

impl TenantId {
    pub fn new(id: Uuid) -> Self {
        Self(id)
    }

    pub fn generate() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn as_uuid(self) -> Uuid {
        self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The short code of an administration, e.g. `MMG`: upper-case letters, digits and
/// hyphens, 2 to 16 characters. It prefixes registration numbers, so it is kept short
/// and unambiguous; lower-case input is accepted and upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TenantCode(String);

impl TenantCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let code = raw.trim().to_uppercase();
        check_length("code", &code, 2, 16)?;
        let well_formed = code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !code.starts_with('-')
            && !code.ends_with('-');
        if !well_formed {
            return Err(InvalidInput::new("code", Reason::BadCharacters));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for TenantCode {
    type Err = InvalidInput;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for TenantCode {
    type Error = InvalidInput;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TenantCode> for String {
    fn from(code: TenantCode) -> Self {
        code.0
    }
}

impl fmt::Display for TenantCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an administration stands in the state: a ministry's central services, or a
/// decentralised office (a region's, a prefecture's) under a parent body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdministrationLevel {
    Central,
    Decentralised,
}

impl AdministrationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Decentralised => "decentralised",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.trim() {
            "central" => Ok(Self::Central),
            "decentralised" => Ok(Self::Decentralised),
            _ => Err(InvalidInput::new("level", Reason::UnknownValue)),
        }
    }
}

/// The languages an administration works in, French first when it is one of them.
/// Stored as tags separated by commas (`fr,ar`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Languages(Vec<crate::Locale>);

impl Languages {
    /// Reads tags separated by commas or spaces; unknown tags are refused, at least
    /// one is required, repeats are dropped.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let mut languages = Vec::new();
        for tag in raw
            .split([',', ' '])
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let locale: crate::Locale = tag
                .parse()
                .map_err(|_| InvalidInput::new("languages", Reason::UnknownValue))?;
            if !languages.contains(&locale) {
                languages.push(locale);
            }
        }
        if languages.is_empty() {
            return Err(InvalidInput::new("languages", Reason::Required));
        }
        languages.sort_by_key(|l| crate::Locale::ALL.iter().position(|a| a == l));
        Ok(Self(languages))
    }

    pub fn all() -> Self {
        Self(crate::Locale::ALL.to_vec())
    }

    pub fn as_slice(&self) -> &[crate::Locale] {
        &self.0
    }

    /// `fr,ar,en`, as stored.
    pub fn tags(&self) -> String {
        self.0.iter().map(|l| l.tag()).collect::<Vec<_>>().join(",")
    }
}

/// Whether an administration may use the platform. A suspended one keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    Active,
    Suspended,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "active" => Ok(Self::Active),
            "suspended" => Ok(Self::Suspended),
            _ => Err(InvalidInput::new("status", Reason::UnknownValue)),
        }
    }
}

/// A name in the platform's three languages. French is required; Arabic and
/// English fall back to French when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedName {
    pub fr: String,
    pub ar: String,
    pub en: String,
}

impl LocalizedName {
    pub fn parse(fr: &str, ar: &str, en: &str) -> Result<Self, InvalidInput> {
        let fr = fr.trim();
        check_length("name_fr", fr, 2, 200)?;
        let or_french = |field: &'static str, value: &str| -> Result<String, InvalidInput> {
            let value = value.trim();
            if value.is_empty() {
                Ok(fr.to_owned())
            } else {
                check_length(field, value, 2, 200).map(|()| value.to_owned())
            }
        };
        Ok(Self {
            fr: fr.to_owned(),
            ar: or_french("name_ar", ar)?,
            en: or_french("name_en", en)?,
        })
    }

    pub fn get(&self, locale: crate::Locale) -> &str {
        match locale {
            crate::Locale::Fr => &self.fr,
            crate::Locale::Ar => &self.ar,
            crate::Locale::En => &self.en,
        }
    }
}

/// An IANA time zone, e.g. `Africa/Conakry`: registration years and working days
/// are counted in the administration's own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| InvalidInput::new("time_zone", Reason::UnknownTimeZone))
    }

    pub fn tz(self) -> chrono_tz::Tz {
        self.0
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_codes_are_normalised_and_checked() {
        assert_eq!(
            TenantCode::parse(" mmg ").map(|c| c.to_string()),
            Ok("MMG".to_owned())
        );
        assert_eq!(
            TenantCode::parse("MEF-2").map(|c| c.to_string()),
            Ok("MEF-2".to_owned())
        );
        assert_eq!(
            TenantCode::parse("M").map(|_| ()),
            Err(InvalidInput::new("code", Reason::TooShort { min: 2 }))
        );
        assert_eq!(
            TenantCode::parse("").map(|_| ()),
            Err(InvalidInput::new("code", Reason::Required))
        );
        assert_eq!(
            TenantCode::parse("MM G").map(|_| ()),
            Err(InvalidInput::new("code", Reason::BadCharacters))
        );
        assert_eq!(
            TenantCode::parse("-MMG").map(|_| ()),
            Err(InvalidInput::new("code", Reason::BadCharacters))
        );
        assert_eq!(
            TenantCode::parse("MMGÉ").map(|_| ()),
            Err(InvalidInput::new("code", Reason::BadCharacters))
        );
    }

    #[test]
    fn names_fall_back_to_french_and_count_characters_not_bytes() {
        let name = LocalizedName::parse("Ministère des Mines", "", " ").expect("valid name");
        assert_eq!(name.ar, "Ministère des Mines");
        assert_eq!(name.en, "Ministère des Mines");
        let arabic = "و".repeat(200);
        assert!(LocalizedName::parse("Ministère", &arabic, "").is_ok());
        assert!(LocalizedName::parse("", "وزارة", "").is_err());
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(
            TimeZone::parse("Africa/Conakry").map(TimeZone::name),
            Ok("Africa/Conakry")
        );
        assert_eq!(
            TimeZone::parse("Mars/Olympus").map(TimeZone::name),
            Err(InvalidInput::new("time_zone", Reason::UnknownTimeZone))
        );
    }
}

/// An administration's colour, `#RRGGBB`, shown behind white text (its portal's
/// buttons and header): refused when white on it would be hard to read (contrast
/// under 4.5:1, WCAG 2.1 AA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandColour(String);

impl BrandColour {
    /// The least contrast with white text that WCAG 2.1 AA accepts.
    const MIN_CONTRAST: f64 = 4.5;

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let text = raw.trim().to_lowercase();
        let digits = text.strip_prefix('#').unwrap_or(&text);
        let valid = digits.len() == 6 && digits.chars().all(|c| c.is_ascii_hexdigit());
        if !valid {
            return Err(InvalidInput::new("brand_colour", Reason::BadCharacters));
        }
        let colour = Self(format!("#{digits}"));
        if colour.contrast_with_white() < Self::MIN_CONTRAST {
            return Err(InvalidInput::new("brand_colour", Reason::LowContrast));
        }
        Ok(colour)
    }

    /// `#rrggbb`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The platform's own colour, for an administration that chose none (the
    /// style sheet's `--brand`).
    pub fn platform_default() -> Self {
        Self("#0b4f8a".to_owned())
    }

    /// Red, green and blue, 0 to 255.
    pub fn rgb(&self) -> [u8; 3] {
        let channel = |at: usize| {
            self.0
                .get(at..at + 2)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .unwrap_or(0)
        };
        [channel(1), channel(3), channel(5)]
    }

    /// The WCAG contrast ratio of white text on this colour.
    pub fn contrast_with_white(&self) -> f64 {
        let channel = |at: usize| {
            let value = u8::from_str_radix(self.0.get(at..at + 2).unwrap_or("00"), 16)
                .map_or(0.0, f64::from)
                / 255.0;
            if value <= 0.039_28 {
                value / 12.92
            } else {
                ((value + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        1.05 / (luminance + 0.05)
    }
}

#[cfg(test)]
mod brand_tests {
    use super::*;

    #[test]
    fn dark_colours_pass_and_light_ones_are_refused() {
        assert_eq!(
            BrandColour::parse("#0B4F8A").map(|c| c.0),
            Ok("#0b4f8a".to_owned())
        );
        assert_eq!(
            BrandColour::parse("006633").map(|c| c.0),
            Ok("#006633".to_owned())
        );
        assert_eq!(
            BrandColour::parse("#006633").map(|c| c.rgb()),
            Ok([0, 0x66, 0x33])
        );
        assert_eq!(
            BrandColour::parse("#ffee00").map_err(|e| e.reason),
            Err(Reason::LowContrast)
        );
        assert_eq!(
            BrandColour::parse("bleu").map_err(|e| e.reason),
            Err(Reason::BadCharacters)
        );
        // Black on white: the largest contrast there is.
        let black = BrandColour::parse("#000000").expect("black");
        assert!((black.contrast_with_white() - 21.0).abs() < 0.01);
    }
}
