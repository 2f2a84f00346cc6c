//! The administration's identity provider, set by its administrator: the issuer, the
//! client Ordo is registered as, the claims naming the person and their groups, and
//! how groups map to roles. Once set, people sign in with their directory account.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::IdentityProvider;
use ordo_domain::{
    InvalidInput, Reason,
    identity::{RoleMapping, parse_claim_name, parse_issuer},
    permissions::Action,
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, csrf::CsrfForm, i18n};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ProviderForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    login_claim: String,
    #[serde(default)]
    roles_claim: String,
    #[serde(default)]
    role_mapping: String,
    #[serde(default)]
    remove: Option<String>,
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    form: Option<&ProviderForm>,
    errors: &[InvalidInput],
    saved: bool,
) -> Result<Response, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let stored = tx.identity_provider().get().await?;
    tx.commit().await?;
    let shown = match (form, &stored) {
        (Some(form), _) => minijinja::context! {
            issuer => form.issuer, client_id => form.client_id,
            login_claim => form.login_claim, roles_claim => form.roles_claim,
            role_mapping => form.role_mapping,
        },
        (None, Some(p)) => minijinja::context! {
            issuer => p.issuer, client_id => p.client_id,
            login_claim => p.login_claim, roles_claim => p.roles_claim,
            role_mapping => p.role_mapping.to_text(),
        },
        (None, None) => minijinja::context! {
            issuer => "", client_id => "", login_claim => "preferred_username",
            roles_claim => "groups", role_mapping => "",
        },
    };
    let messages: Vec<String> = errors
        .iter()
        .map(|e| i18n::invalid_input_message(frame.locale, e))
        .collect();
    let context = minijinja::context! {
        provider => shown,
        configured => stored.is_some(),
        callback => format!("{}{}", state.public_url, ordo_web::oidc::CALLBACK_PATH),
        errors => messages,
        saved => saved,
    };
    let page = frame.for_user(current).render(
        state,
        "organisation_identity.html",
        "identity-title",
        context,
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct SavedQuery {
    enregistre: Option<String>,
}

/// `GET /organisation/identite`.
pub(crate) async fn page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    render(
        &state,
        &current,
        frame,
        None,
        &[],
        query.enregistre.is_some(),
    )
    .await
}

fn parse(
    form: &ProviderForm,
    keep_secret: Option<&str>,
) -> Result<IdentityProvider, Vec<InvalidInput>> {
    let mut errors = Vec::new();
    let mut keep = |result: Result<String, InvalidInput>| {
        result.map_err(|e| errors.push(e)).unwrap_or_default()
    };
    let issuer = keep(parse_issuer(&form.issuer));
    let client_id = keep(parse_claim_name("client_id", &form.client_id));
    let login_claim = keep(parse_claim_name("login_claim", &form.login_claim));
    let roles_claim = keep(parse_claim_name("roles_claim", &form.roles_claim));
    // An empty secret keeps the one stored (it is never shown back).
    let client_secret = match (form.client_secret.trim(), keep_secret) {
        ("", Some(stored)) => stored.to_owned(),
        ("", None) => {
            errors.push(InvalidInput::new("client_secret", Reason::Required));
            String::new()
        }
        (typed, _) => typed.to_owned(),
    };
    let role_mapping = RoleMapping::parse(&form.role_mapping)
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    if errors.is_empty() {
        Ok(IdentityProvider {
            issuer,
            client_id,
            client_secret,
            login_claim,
            roles_claim,
            role_mapping,
        })
    } else {
        Err(errors)
    }
}

/// `POST /organisation/identite`: sets (or removes) the provider.
pub(crate) async fn save(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ProviderForm>,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let stored = tx.identity_provider().get().await?;
    let (action, details) = if form.remove.is_some() {
        tx.identity_provider().remove().await?;
        ("settings.identity_provider_removed", serde_json::json!({}))
    } else {
        let provider = match parse(&form, stored.as_ref().map(|p| p.client_secret.as_str())) {
            Ok(provider) => provider,
            Err(errors) => {
                drop(tx);
                return render(&state, &current, frame, Some(&form), &errors, false).await;
            }
        };
        tx.identity_provider().set(&provider, now).await?;
        (
            "settings.identity_provider",
            serde_json::json!({
                "issuer": provider.issuer,
                "client_id": provider.client_id,
                "roles_claim": provider.roles_claim,
                "role_mapping": provider.role_mapping.to_text(),
            }),
        )
    };
    tx.journal()
        .append(
            current.event(action, "identity_provider".to_owned(), details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/organisation/identite?enregistre=1").into_response())
}
