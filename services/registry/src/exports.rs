//! What leaves the screen: the registration slip stamped on the paper original, and
//! the year's register as CSV.

use axum::{
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use ordo_domain::permissions::{Action, may_see};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, Page};
use qrcode::{QrCode, render::svg};
use uuid::Uuid;

use crate::{api::RegisterFilter, registration::visible_item};

/// An SVG QR code of `text`, to print beside the number.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = QrCode::new(text.as_bytes()).map_err(AppError::internal)?;
    let document = code
        .render::<svg::Color<'_>>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build();
    // Inline in a page, the XML declaration means nothing: keep the <svg> element only.
    Ok(document
        .find("<svg")
        .map_or(document.clone(), |start| document[start..].to_owned()))
}

/// `GET /courriers/{id}/bordereau`: the registration slip, a page made for printing
/// and stamping on the paper original: administration, register, number, date, and a
/// QR code carrying the number.
pub(crate) async fn slip(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
) -> Result<Page, AppError> {
    current.require(Action::ViewRegister)?;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let register = tx
        .registers()
        .find(item.register_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    let number = item.number.clone().unwrap_or_default();
    let zone = current.tenant.time_zone.tz();
    let context = minijinja::context! {
        administration => current.tenant.name.get(frame.locale),
        register_name => register.name.get(frame.locale),
        number => number,
        registered_at => item.registered_at.map(|at| at.with_timezone(&zone).format("%d/%m/%Y %H:%M").to_string()),
        subject => item.content.subject,
        sender => item.content.sender,
        item_id => item.id,
        qr => qr_svg(&format!("{number}\n{}", item.id))?,
    };
    frame
        .for_user(&current)
        .render(&state, "slip.html", "slip-title", context)
}

/// Keeps a spreadsheet from reading a cell as a formula (`=`, `+`, `-`, `@`, tab, CR).
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// `GET /registres/{id}/annees/{year}/export.csv`: the year's register as CSV (UTF-8
/// with a byte-order mark, so spreadsheets show accents and Arabic right). Journalled.
pub(crate) async fn register_csv(
    State(state): State<AppState>,
    current: CurrentUser,
    Path((register, year)): Path<(Uuid, i32)>,
    Query(filter): Query<RegisterFilter>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    current.require(Action::ViewRegister)?;
    let filter = filter.to_filter()?;
    let zone = current.tenant.time_zone.tz();
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let items: Vec<_> = tx
        .items()
        .list_for_year(register.id, year, &filter, None)
        .await?
        .into_iter()
        .filter(|item| may_see(&current.user.roles, item.confidentiality()))
        .collect();
    tx.commit().await?;
    // Journaled in a writing transaction of its own: on SQLite one that has read
    // cannot take the write lock while another writer holds it.
    let tx = state.db.tenant_write(current.tenant.id).await?;
    tx.journal()
        .append(
            current.event(
                "register.exported",
                format!("register:{}", register.id),
                serde_json::json!({ "year": year, "items": items.len(), "format": "csv" }),
                origin,
            ),
            state.clock.now(),
        )
        .await?;
    tx.commit().await?;
    let mut writer = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    writer
        .write_record([
            "numero",
            "enregistre_le",
            "expediteur",
            "destinataire",
            "objet",
            "nature",
            "canal",
            "priorite",
            "statut",
            "version",
            "echeance",
            "motif_annulation",
        ])
        .map_err(AppError::internal)?;
    for item in items.iter().rev() {
        writer
            .write_record([
                neutralise(item.number.as_deref().unwrap_or_default()),
                item.registered_at
                    .map(|at| at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
                neutralise(&item.content.sender),
                neutralise(&item.content.recipient),
                neutralise(&item.content.subject),
                item.content.nature.clone(),
                item.content.channel.code().to_owned(),
                item.content.priority.clone(),
                item.status.code().to_owned(),
                item.version.to_string(),
                item.due_on
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                neutralise(item.cancel_reason.as_deref().unwrap_or_default()),
            ])
            .map_err(AppError::internal)?;
    }
    let body = writer.into_inner().map_err(AppError::internal)?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let file = format!(
        "attachment; filename=\"registre-{}-{year}.csv\"",
        register.code.to_lowercase()
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&file).map_err(AppError::internal)?,
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_never_run_by_a_spreadsheet() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("-1+1"), "'-1+1");
        assert_eq!(neutralise("Société minière"), "Société minière");
    }

    #[test]
    fn a_qr_code_is_an_svg() {
        let svg = qr_svg("MMG/ARR/2026/000001").expect("encodes");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
