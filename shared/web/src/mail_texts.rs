//! The subject and body of an e-mail an administration sends: its own wording when
//! it wrote one for that kind and language (`/parametres/courriels`), else the
//! catalog's. Both are filled from the same named values, so a call site does not
//! care which it gets.

use std::borrow::Cow;

use fluent_templates::fluent_bundle::FluentValue;
use ordo_domain::{
    Locale,
    email_template::{EmailKind, EmailTemplate},
};

use crate::i18n::tr_args;

/// Named values for a template: `("number", "MMG/ARR/2026/000001")`.
pub type Values = [(&'static str, String)];

/// The e-mail's subject and body in `locale`.
pub async fn compose(
    tx: &ordo_db::TenantTx,
    kind: EmailKind,
    locale: Locale,
    values: &Values,
) -> Result<(String, String), ordo_db::DbError> {
    let own = tx.email_templates().get(kind, locale).await?;
    // Saved texts were checked when saved; one that no longer passes (a placeholder
    // since retired) gives way to the catalog rather than to a mail with holes.
    let checked = own.and_then(|t| EmailTemplate::parse(kind, &t.subject, &t.body).ok());
    Ok(match checked {
        Some(template) => template.render(|name| value_of(values, name)),
        None => catalog(kind, locale, values),
    })
}

/// The value named `name`, for `EmailTemplate::render`.
pub fn value_of<'v>(values: &'v Values, name: &str) -> Option<&'v str> {
    values
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.as_str())
}

/// The catalog's text with `values`.
fn catalog(kind: EmailKind, locale: Locale, values: &Values) -> (String, String) {
    let args = || {
        values
            .iter()
            .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
            .collect::<Vec<_>>()
    };
    let prefix = kind.message_prefix();
    let subject = tr_args(locale, &format!("{prefix}-mail-subject"), args());
    let body = tr_args(locale, &format!("{prefix}-mail-body"), args());
    (subject, body.trim_end().to_owned())
}

/// The catalog's text with each placeholder written `{name}`: what the editor
/// shows before the administration changes anything.
pub fn default_template(kind: EmailKind, locale: Locale) -> (String, String) {
    let values: Vec<(&'static str, String)> = kind
        .placeholders()
        .iter()
        .map(|p| (p.name, format!("{{{}}}", p.name)))
        .collect();
    catalog(kind, locale, &values)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalog's texts are what an administrator starts from: each must pass the
    /// editor's checks as it stands, in every language, and name only what is filled.
    #[test]
    fn every_default_text_is_a_valid_template() {
        for kind in EmailKind::ALL {
            for locale in Locale::ALL {
                let (subject, body) = default_template(kind, locale);
                let template = EmailTemplate::parse(kind, &subject, &body)
                    .unwrap_or_else(|e| panic!("{kind:?} {locale:?}: {e:?}\n{subject}\n{body}"));
                let (_, filled) = template.render(|_| Some("X"));
                assert!(!filled.contains('{'), "{kind:?} {locale:?}: {filled}");
            }
        }
    }
}
