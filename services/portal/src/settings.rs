//! `/parametres/portail`: an administration's portal settings and acknowledgment
//! template (logo, wording, signature block), for its administrator, with a sample
//! acknowledgment to see the result.

use std::collections::BTreeMap;

use axum::{
    extract::{Multipart, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use ordo_db::{AcknowledgmentRecord, PortalSettingsRecord};
use ordo_domain::{InvalidInput, Reason, permissions::Action, portal::PublicCode};
use ordo_registry::acknowledgment::{Acknowledged, AcknowledgedFile, render_pdf};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, csrf,
    i18n::{invalid_input_message, tr},
};
use serde::Deserialize;
use uuid::Uuid;

/// The largest logo taken: enough for a crisp emblem, small enough for every PDF.
const MAX_LOGO_BYTES: usize = 200 * 1024;
const MAX_WORDING_CHARS: usize = 1_000;
const MAX_SIGNATURE_CHARS: usize = 500;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SavedQuery {
    enregistre: Option<String>,
}

fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    settings: &PortalSettingsRecord,
    errors: &[InvalidInput],
    saved: bool,
) -> Result<Response, AppError> {
    let messages: BTreeMap<&str, String> = errors
        .iter()
        .map(|e| (e.field, invalid_input_message(frame.locale, e)))
        .collect();
    let context = minijinja::context! {
        tenant_code => current.tenant.code.as_str(),
        confirm_email => settings.confirm_email,
        wording => settings.ack_wording,
        signature => settings.ack_signature,
        has_logo => settings.logo.is_some(),
        brand_colour => settings.brand_colour,
        errors => messages,
        saved => saved,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = frame.for_user(current).render(
        state,
        "portal_settings.html",
        "portal-settings-title",
        context,
    )?;
    Ok((status, page).into_response())
}

/// `GET /parametres/portail`.
pub(crate) async fn settings_page(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Query(query): Query<SavedQuery>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let settings = tx.portal_settings().get().await?;
    tx.commit().await?;
    render(
        &state,
        &current,
        frame,
        &settings,
        &[],
        query.enregistre.is_some(),
    )
}

fn bad_form(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
        "request",
        Reason::UnknownValue,
    )))
    .with_detail(err)
}

/// The logo's media type, judged from its content: PNG or JPEG only.
fn logo_type(content: &[u8]) -> Option<&'static str> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if content.starts_with(PNG) {
        Some("image/png")
    } else if content.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// `POST /parametres/portail` (multipart, for the logo).
pub(crate) async fn save_settings(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let mut settings = tx.portal_settings().get().await?;
    settings.confirm_email = false;
    let (mut csrf_checked, mut remove_logo) = (false, false);
    let mut new_logo: Option<Vec<u8>> = None;
    let mut errors = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "logo" {
            let content = field.bytes().await.map_err(bad_form)?;
            if !content.is_empty() {
                new_logo = Some(content.to_vec());
            }
            continue;
        }
        let value = field.text().await.map_err(bad_form)?;
        match name.as_str() {
            "csrf" => {
                csrf::verify_token(&jar, state.cookies, &value)?;
                csrf_checked = true;
            }
            "confirm_email" => settings.confirm_email = true,
            "remove_logo" => remove_logo = true,
            "wording" => settings.ack_wording = value.trim().to_owned(),
            "signature" => settings.ack_signature = value.trim().to_owned(),
            "brand_colour" => {
                settings.brand_colour = match value.trim() {
                    "" => None,
                    text => match ordo_domain::BrandColour::parse(text) {
                        Ok(colour) => Some(colour.as_str().to_owned()),
                        Err(invalid) => {
                            errors.push(invalid);
                            Some(text.to_owned())
                        }
                    },
                }
            }
            _ => {}
        }
    }
    if !csrf_checked {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    if settings.ack_wording.chars().count() > MAX_WORDING_CHARS {
        errors.push(InvalidInput::new(
            "wording",
            Reason::TooLong {
                max: MAX_WORDING_CHARS,
            },
        ));
    }
    if settings.ack_signature.chars().count() > MAX_SIGNATURE_CHARS {
        errors.push(InvalidInput::new(
            "signature",
            Reason::TooLong {
                max: MAX_SIGNATURE_CHARS,
            },
        ));
    }
    if remove_logo {
        settings.logo = None;
    }
    if let Some(content) = new_logo {
        if content.len() > MAX_LOGO_BYTES {
            errors.push(InvalidInput::new(
                "logo",
                Reason::FileTooLargeKib {
                    max_kib: (MAX_LOGO_BYTES / 1024) as u64,
                },
            ));
        } else {
            match logo_type(&content) {
                Some(media_type) => {
                    let logo = ordo_receipts::Logo {
                        content,
                        media_type: media_type.to_owned(),
                    };
                    if ordo_receipts::check_logo(&logo).is_ok() {
                        settings.logo = Some((logo.content, logo.media_type));
                    } else {
                        errors.push(InvalidInput::new("logo", Reason::FileTypeMismatch));
                    }
                }
                None => errors.push(InvalidInput::new("logo", Reason::FileTypeNotAllowed)),
            }
        }
    }
    if !errors.is_empty() {
        drop(tx);
        return render(&state, &current, frame, &settings, &errors, false);
    }
    let now = state.clock.now();
    tx.portal_settings().set(&settings, now).await?;
    tx.journal()
        .append(
            current.event(
                "settings.portal",
                format!("tenant:{}", current.tenant.id),
                serde_json::json!({
                    "confirm_email": settings.confirm_email,
                    "wording": settings.ack_wording,
                    "signature": settings.ack_signature,
                    "brand_colour": settings.brand_colour,
                    "logo": settings.logo.as_ref().map(|(content, media_type)| {
                        serde_json::json!({ "bytes": content.len(), "type": media_type })
                    }),
                }),
                origin,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/parametres/portail?enregistre=1").into_response())
}

/// `GET /parametres/portail/apercu.pdf`: a sample acknowledgment with the current
/// template, in the administrator's language (nothing is issued or stored).
pub(crate) async fn sample(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let template = tx.portal_settings().get().await?;
    tx.commit().await?;
    let now = state.clock.now();
    let sample = tr(frame.locale, "portal-settings-sample");
    let content = Acknowledged {
        number: "EXEMPLE/2026/000000".to_owned(),
        registered_at: now,
        received_at: now,
        subject: sample.clone(),
        sender: current.user.display_name.clone(),
        unit: [sample.clone(), sample.clone(), sample],
        files: vec![AcknowledgedFile {
            name: "lettre.pdf".to_owned(),
            size: 123_456,
            sha256: "0".repeat(64),
        }],
    };
    let record = AcknowledgmentRecord {
        id: Uuid::nil(),
        item_id: Uuid::nil(),
        verification_code: PublicCode::generate(),
        issued_at: now,
        content: serde_json::to_value(&content).map_err(AppError::internal)?,
    };
    let pdf = render_pdf(&state, &current.tenant, &template, &record, frame.locale)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        pdf,
    )
        .into_response())
}
