//! Server-rendered pages. Templates are compiled into the binary; every page extends
//! `layout.html`, which sets `lang` and `dir` and carries the language switcher.
//! Values are escaped by default: text typed by anyone is shown as text, never run.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use fluent_templates::fluent_bundle::FluentValue;
use minijinja::{Environment, State, Value, value::Kwargs};
use ordo_domain::Locale;
use serde::Serialize;

use crate::{AppError, i18n};

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("drafts.html", include_str!("../templates/drafts.html")),
    (
        "organisation.html",
        include_str!("../templates/organisation.html"),
    ),
    (
        "organisation_import.html",
        include_str!("../templates/organisation_import.html"),
    ),
    (
        "password_forgot.html",
        include_str!("../templates/password_forgot.html"),
    ),
    (
        "password_reset.html",
        include_str!("../templates/password_reset.html"),
    ),
    (
        "directory.html",
        include_str!("../templates/directory.html"),
    ),
    ("settings.html", include_str!("../templates/settings.html")),
    ("operator.html", include_str!("../templates/operator.html")),
    (
        "operator_create.html",
        include_str!("../templates/operator_create.html"),
    ),
    (
        "operator_creation.html",
        include_str!("../templates/operator_creation.html"),
    ),
    (
        "registers.html",
        include_str!("../templates/registers.html"),
    ),
    (
        "register_form.html",
        include_str!("../templates/register_form.html"),
    ),
    (
        "register_year.html",
        include_str!("../templates/register_year.html"),
    ),
    ("item.html", include_str!("../templates/item.html")),
    ("slip.html", include_str!("../templates/slip.html")),
    ("inbox.html", include_str!("../templates/inbox.html")),
    (
        "oidc_redirect.html",
        include_str!("../templates/oidc_redirect.html"),
    ),
    (
        "statistics.html",
        include_str!("../templates/statistics.html"),
    ),
    (
        "organisation_identity.html",
        include_str!("../templates/organisation_identity.html"),
    ),
    (
        "dispatch_templates.html",
        include_str!("../templates/dispatch_templates.html"),
    ),
    (
        "portal_file.html",
        include_str!("../templates/portal_file.html"),
    ),
    (
        "portal_receipt.html",
        include_str!("../templates/portal_receipt.html"),
    ),
    (
        "portal_track.html",
        include_str!("../templates/portal_track.html"),
    ),
    (
        "portal_verify.html",
        include_str!("../templates/portal_verify.html"),
    ),
    (
        "portal_confirm.html",
        include_str!("../templates/portal_confirm.html"),
    ),
    (
        "portal_settings.html",
        include_str!("../templates/portal_settings.html"),
    ),
    (
        "mail_templates.html",
        include_str!("../templates/mail_templates.html"),
    ),
    (
        "mail_template.html",
        include_str!("../templates/mail_template.html"),
    ),
];

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(err) = env.add_template(name, source) {
                // A broken template is a build defect; the unit test below catches it.
                tracing::error!(template = name, error = %err, "template does not compile");
            }
        }
        env.add_function("t", translate);
        // Every page links the assets, the error page too.
        env.add_global("asset_version", crate::assets::ASSET_VERSION.as_str());
        Self { env }
    }

    /// Renders `name` with `context`, in `locale`.
    pub fn render(
        &self,
        name: &str,
        locale: Locale,
        context: impl Serialize,
    ) -> Result<String, AppError> {
        let template = self.env.get_template(name).map_err(AppError::internal)?;
        let context = minijinja::context! {
            lang => locale.tag(),
            dir => locale.direction().as_str(),
            ..Value::from_serialize(context)
        };
        template.render(context).map_err(AppError::internal)
    }

    /// The error page; never fails (falls back to plain text).
    pub fn render_error(&self, locale: Locale, status: StatusCode, message: &str) -> Html<String> {
        let context = minijinja::context! { status => status.as_u16(), message => message, page_title => i18n::tr(locale, "error-title") };
        Html(
            self.render("error.html", locale, context)
                .unwrap_or_else(|_| message.to_owned()),
        )
    }
}

/// `t("key")` or `t("key", name=value)` in templates: the text in the page's language.
fn translate(state: &State<'_, '_>, key: &str, args: Kwargs) -> String {
    let locale = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(|s| s.parse::<Locale>().ok()))
        .unwrap_or_default();
    let mut fluent_args = Vec::new();
    for name in args.args() {
        let Ok(value) = args.get::<Value>(name) else {
            continue;
        };
        // Numbers stay numbers so Fluent can choose plural forms (Arabic has six).
        let fluent = match value.as_i64() {
            Some(number) => FluentValue::from(number),
            None => FluentValue::from(value.to_string()),
        };
        fluent_args.push((std::borrow::Cow::Owned(name.to_owned()), fluent));
    }
    if fluent_args.is_empty() {
        i18n::tr(locale, key)
    } else {
        i18n::tr_args(locale, key, fluent_args)
    }
}

/// A rendered HTML page, ready to return from a handler.
#[derive(Debug)]
pub struct Page(pub String);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.0).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let templates = Templates::new();
        for (name, _) in TEMPLATES {
            assert!(
                templates.env.get_template(name).is_ok(),
                "{name} does not compile"
            );
        }
    }

    #[test]
    fn arabic_pages_are_right_to_left_and_escape_input() {
        let templates = Templates::new();
        let html = templates
            .render("error.html", Locale::Ar, minijinja::context! { status => 404, message => "<script>x</script>", page_title => "t" })
            .expect("renders");
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>x"));
    }

    /// Every page, the error page too, links the assets under their fingerprint: a
    /// browser that cached the old ones for a year is sent to the new.
    #[test]
    fn pages_link_the_assets_under_their_fingerprint() {
        let version = crate::assets::ASSET_VERSION.as_str();
        assert_eq!(version.len(), 12);
        assert!(version.bytes().all(|b| b.is_ascii_hexdigit()));
        let html = Templates::new().render_error(Locale::Fr, StatusCode::NOT_FOUND, "absent");
        assert!(html.0.contains(&format!("/static/ordo.css?v={version}")));
        assert!(html.0.contains(&format!("/static/ordo.js?v={version}")));
    }
}

/// What every page needs from its request: language, CSRF token, current path.
#[derive(Debug, Clone)]
pub struct Frame {
    pub locale: Locale,
    pub csrf: String,
    pub path: String,
    /// The signed-in person's name, shown in the header with a sign-out button.
    pub signed_in: Option<String>,
    /// Whether the header links to the registers.
    pub show_registers: bool,
    /// Whether the header links to the correspondents directory.
    pub show_directory: bool,
    /// Whether the header links to the person's inbox (people of an administration).
    pub show_inbox: bool,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Frame {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let locale = crate::RequestLocale::from_request_parts(parts, state)
            .await
            .unwrap_or_default()
            .0;
        let csrf = crate::csrf::CsrfToken::from_request_parts(parts, state)
            .await?
            .0;
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
        Ok(Self {
            locale,
            csrf,
            path,
            signed_in: None,
            show_registers: false,
            show_directory: false,
            show_inbox: false,
        })
    }
}

impl Frame {
    pub fn signed_in(mut self, name: &str) -> Self {
        self.signed_in = Some(name.to_owned());
        self
    }

    /// The header of a person of an administration: their name, and the links their
    /// roles open.
    pub fn for_user(mut self, current: &crate::CurrentUser) -> Self {
        self.show_directory = ordo_domain::permissions::allows(
            &current.user.roles,
            ordo_domain::permissions::Action::RegisterMail,
        );
        self.show_registers = ordo_domain::permissions::allows(
            &current.user.roles,
            ordo_domain::permissions::Action::ViewRegister,
        );
        self.show_inbox = true;
        self.signed_in(&current.user.display_name)
    }

    /// Renders a full page: `title_key` names the page in the catalog.
    pub fn render(
        &self,
        state: &crate::AppState,
        template: &str,
        title_key: &str,
        context: impl Serialize,
    ) -> Result<Page, AppError> {
        let title = i18n::tr(self.locale, title_key);
        self.render_titled(state, template, &title, context)
    }

    /// Renders a full page whose title is its own (an item's number), not a
    /// catalog's: what a browser's tab and history show.
    pub fn render_titled(
        &self,
        state: &crate::AppState,
        template: &str,
        title: &str,
        context: impl Serialize,
    ) -> Result<Page, AppError> {
        let frame = minijinja::context! {
            page_title => title,
            csrf => self.csrf,
            current_path => self.path,
            signed_in => self.signed_in,
            show_registers => self.show_registers,
            show_directory => self.show_directory,
            show_inbox => self.show_inbox,
            ..Value::from_serialize(context)
        };
        state
            .templates
            .render(template, self.locale, frame)
            .map(Page)
    }
}
