//! Languages. Each request gets a [`RequestLocale`]: the `ordo_lang` cookie if the
//! person chose one, else the best match of `Accept-Language`, else French. Texts
//! live in Fluent catalogs (`locales/<lang>/main.ftl`), compiled into the binary.

use std::{borrow::Cow, collections::HashMap, sync::LazyLock};

use axum::{
    extract::{Path, Query, Request},
    http::header,
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::{CookieJar, cookie::Cookie};
use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue};
use ordo_domain::{InvalidInput, Locale, Reason};
use serde::Deserialize;

use crate::AppState;

fluent_templates::static_loader! {
    static CATALOG = {
        locales: "./locales",
        fallback_language: "fr",
        // Templates isolate interpolated values with <bdi> where direction can mix.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

pub const LANGUAGE_COOKIE: &str = "ordo_lang";

static LANGUAGE_IDS: LazyLock<[LanguageIdentifier; 3]> =
    LazyLock::new(|| Locale::ALL.map(|locale| locale.tag().parse().unwrap_or_default()));

fn language_id(locale: Locale) -> &'static LanguageIdentifier {
    let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    &LANGUAGE_IDS[index]
}

/// The text for `key` in `locale`.
pub fn tr(locale: Locale, key: &str) -> String {
    CATALOG.lookup(language_id(locale), key)
}

/// The text for `key` in `locale`, with named arguments.
pub fn tr_args(
    locale: Locale,
    key: &str,
    args: Vec<(Cow<'static, str>, FluentValue<'static>)>,
) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args.into_iter().collect();
    CATALOG.lookup_with_args(language_id(locale), key, &args)
}

/// A refused value, as a sentence naming the field.
pub fn invalid_input_message(locale: Locale, invalid: &InvalidInput) -> String {
    let field = tr(
        locale,
        &format!("field-{}", invalid.field.replace('_', "-")),
    );
    let (key, extra) = match invalid.reason {
        Reason::TooShort { min } => (
            "invalid-too-short",
            Some((Cow::Borrowed("min"), FluentValue::from(min))),
        ),
        Reason::FileTooLarge { max_mib } => (
            "invalid-file-too-large",
            Some((Cow::Borrowed("max"), FluentValue::from(max_mib))),
        ),
        Reason::FileTooLargeKib { max_kib } => (
            "invalid-file-too-large-kib",
            Some((Cow::Borrowed("max"), FluentValue::from(max_kib))),
        ),
        Reason::TooManyRecipients { max } => (
            "invalid-too-many-recipients",
            Some((Cow::Borrowed("max"), FluentValue::from(max))),
        ),
        Reason::TooManyFiles { max } => (
            "invalid-too-many-files",
            Some((Cow::Borrowed("max"), FluentValue::from(max))),
        ),
        Reason::TooLong { max } => (
            "invalid-too-long",
            Some((Cow::Borrowed("max"), FluentValue::from(max))),
        ),
        Reason::MissingPlaceholder { name } => (
            "invalid-missing-placeholder",
            Some((
                Cow::Borrowed("name"),
                FluentValue::from(format!("{{{name}}}")),
            )),
        ),
        Reason::OutOfRange { min, max } => (
            "invalid-out-of-range",
            Some((
                Cow::Borrowed("range"),
                FluentValue::from(format!("{min}–{max}")),
            )),
        ),
        other => (
            match other {
                Reason::Required => "invalid-required",
                Reason::BadCharacters => "invalid-bad-characters",
                Reason::UnknownTimeZone => "invalid-unknown-time-zone",
                Reason::NotADate => "invalid-not-a-date",
                Reason::InFuture => "invalid-in-future",
                Reason::EmptyFile => "invalid-empty-file",
                Reason::FileTypeNotAllowed => "invalid-file-type-not-allowed",
                Reason::FileTypeMismatch => "invalid-file-type-mismatch",
                Reason::NotADateTime => "invalid-not-a-date-time",
                Reason::BeforeLetterDate => "invalid-before-letter-date",
                Reason::NothingChanged => "invalid-nothing-changed",
                Reason::UnknownCorrespondent => "invalid-unknown-correspondent",
                Reason::UnknownItem => "invalid-unknown-item",
                Reason::AlreadyUsed => "invalid-already-used",
                Reason::Mismatch => "invalid-mismatch",
                Reason::Expired => "invalid-expired",
                Reason::Cycle => "invalid-cycle",
                Reason::OwnAdministratorRole => "invalid-own-administrator-role",
                Reason::BeforeRegistration => "invalid-before-registration",
                Reason::NotNow => "invalid-not-now",
                Reason::OutsideUnit => "invalid-outside-unit",
                Reason::NamedOnly => "invalid-named-only",
                Reason::Automated => "invalid-automated",
                Reason::Infected => "invalid-infected",
                Reason::CodeTaken => "invalid-code-taken",
                Reason::CreationUnderWay => "invalid-creation-under-way",
                Reason::UnknownAdministration => "invalid-unknown-administration",
                Reason::LowContrast => "invalid-low-contrast",
                Reason::Suspended => "invalid-suspended",
                Reason::UnknownPlaceholder => "invalid-unknown-placeholder",
                _ => "invalid-unknown-value",
            },
            None,
        ),
    };
    let mut args = vec![(Cow::Borrowed("field"), FluentValue::from(field))];
    args.extend(extra);
    tr_args(locale, key, args)
}

/// The language of the current request, set by [`resolve_locale`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestLocale(pub Locale);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for RequestLocale {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().copied().unwrap_or_default())
    }
}

/// Middleware: decides the request's language once.
pub async fn resolve_locale(
    axum::extract::State(state): axum::extract::State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let chosen = jar
        .get(&state.cookies.name(LANGUAGE_COOKIE))
        .and_then(|c| c.value().parse::<Locale>().ok());
    let locale = chosen.unwrap_or_else(|| {
        let header = request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Locale::negotiate(header)
    });
    request.extensions_mut().insert(RequestLocale(locale));
    let mut response = next.run(request).await;
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        http::HeaderValue::from_static(locale.tag()),
    );
    response.headers_mut().append(
        header::VARY,
        http::HeaderValue::from_static("Accept-Language, Cookie"),
    );
    response
}

#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    retour: Option<String>,
}

/// Only same-site paths are followed after a language change or a sign-in. Browsers
/// drop tabs and newlines and read a backslash as a slash, so `/<tab>/evil.example`
/// would leave the site: any control character or backslash sends the person home.
pub fn safe_return_path(raw: Option<&str>) -> &str {
    match raw {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path
        }
        _ => "/",
    }
}

/// `GET /langue/{tag}?retour=/page`: remembers the chosen language and goes back.
/// A plain link, so it works without JavaScript.
pub async fn choose_language(
    axum::extract::State(state): axum::extract::State<AppState>,
    Path(tag): Path<String>,
    Query(query): Query<ReturnTo>,
    jar: CookieJar,
) -> impl IntoResponse {
    let target = safe_return_path(query.retour.as_deref()).to_owned();
    let Ok(locale) = tag.parse::<Locale>() else {
        return (jar, Redirect::to(&target));
    };
    let cookie = Cookie::build((state.cookies.name(LANGUAGE_COOKIE), locale.tag()))
        .path("/")
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(axum_extra::extract::cookie::SameSite::Lax)
        .max_age(time_year());
    (jar.add(cookie), Redirect::to(&target))
}

fn time_year() -> time::Duration {
    time::Duration::days(365)
}

/// A size as a person reads it, in their language's decimal style: 1,2 Mo / 1.2 MB.
pub fn human_size(bytes: u64, locale: Locale) -> String {
    const KIB: u64 = 1024;
    let (value, unit) = match bytes {
        b if b >= KIB * KIB * KIB => (b as f64 / (KIB * KIB * KIB) as f64, ["Go", "غ.ب", "GB"]),
        b if b >= KIB * KIB => (b as f64 / (KIB * KIB) as f64, ["Mo", "م.ب", "MB"]),
        b if b >= KIB => (b as f64 / KIB as f64, ["ko", "ك.ب", "KB"]),
        b => (b as f64, ["o", "بايت", "B"]),
    };
    let number = if value >= 100.0 || bytes < KIB {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    let (number, unit) = match locale {
        Locale::Fr => (number.replace('.', ","), unit[0]),
        Locale::Ar => (number, unit[1]),
        Locale::En => (number, unit[2]),
    };
    format!("{number}\u{a0}{unit}")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(locale: &str) -> BTreeSet<String> {
        let path = format!("{}/locales/{locale}/main.ftl", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        text.lines()
            .filter(|line| line.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|line| line.split_once(" =").map(|(key, _)| key.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_language_has_every_text() {
        let french = keys("fr");
        assert!(french.len() > 20, "the French catalog is the reference");
        for locale in ["ar", "en"] {
            let other = keys(locale);
            let missing: Vec<_> = french.difference(&other).collect();
            let extra: Vec<_> = other.difference(&french).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{locale}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn every_catalog_loads() {
        // A key defined twice makes the whole bundle fail to load at first use.
        for locale in [Locale::Fr, Locale::Ar, Locale::En] {
            assert!(!tr(locale, "app-name").is_empty());
        }
    }

    #[test]
    fn field_errors_name_the_field_in_the_person_s_language() {
        let invalid = InvalidInput::new("login", Reason::TooShort { min: 2 });
        assert_eq!(
            invalid_input_message(Locale::Fr, &invalid),
            "Identifiant : au moins 2 caractères."
        );
        assert_eq!(
            invalid_input_message(Locale::En, &invalid),
            "Login: at least 2 characters."
        );
        assert!(invalid_input_message(Locale::Ar, &invalid).contains("اسم المستخدم"));
    }

    #[test]
    fn file_count_and_api_header_refusals_read_as_sentences() {
        let too_many = InvalidInput::new("document", Reason::TooManyFiles { max: 10 });
        assert!(
            invalid_input_message(Locale::Fr, &too_many)
                .ends_with("au plus 10 fichiers par courrier.")
        );
        let key = InvalidInput::new("idempotency_key", Reason::TooLong { max: 64 });
        assert_eq!(
            invalid_input_message(Locale::En, &key),
            "Idempotency-Key header: at most 64 characters."
        );
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_return_path(Some("/accueil?x=1")), "/accueil?x=1");
        assert_eq!(safe_return_path(Some("//evil.example/")), "/");
        assert_eq!(safe_return_path(Some("https://evil.example/")), "/");
        assert_eq!(safe_return_path(Some("/\\evil.example")), "/");
        assert_eq!(safe_return_path(None), "/");
        assert_eq!(safe_return_path(Some("/\t/evil.example")), "/");
        assert_eq!(safe_return_path(Some("/\n/evil.example")), "/");
        assert_eq!(
            safe_return_path(Some("/%09/x")),
            "/%09/x",
            "still percent-encoded: a local path"
        );
        assert_eq!(safe_return_path(Some("/\t/evil.example")), "/");
        assert_eq!(safe_return_path(Some("/\n/evil.example")), "/");
        assert_eq!(
            safe_return_path(Some("/%09/evil.example")),
            "/%09/evil.example",
            "still encoded: a local path"
        );
    }
}
