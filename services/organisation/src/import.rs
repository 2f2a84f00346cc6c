//! Importing units or people from a CSV file: a preview first, with every line's
//! refusals; then, only when every line is right, the whole file in one transaction.
//!
//! Units: `code,parent,name_fr,name_ar,name_en,kind,bureau` (`parent` a unit code,
//! existing or earlier in the file; `bureau` yes/no). People:
//! `login,display_name,email,unit,roles` (`unit` a unit code; `roles` separated by
//! `|`). A header line is recognised and skipped.

use std::collections::{HashMap, HashSet};

use axum::{
    extract::{Multipart, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use ordo_db::{NewUnit, NewUser, UnitKind};
use ordo_domain::{
    InvalidInput, Locale, LocalizedName, Login, Reason, RoleSet, parse_code, parse_email,
    permissions::Action,
};
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, csrf, i18n,
    password_reset::{LinkKind, PasswordLink},
};
use serde::Serialize;
use uuid::Uuid;

use crate::UNIT_CODE_EXTRA;

/// The largest file taken: about ten thousand lines.
const MAX_CSV_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum ImportKind {
    Units,
    People,
}

/// A line the file asks to create.
#[derive(Debug, Clone)]
enum Planned {
    Unit {
        code: String,
        parent: Option<String>,
        name: LocalizedName,
        kind: UnitKind,
        bureau: bool,
    },
    Person {
        login: Login,
        display_name: String,
        email: Option<String>,
        unit: Option<String>,
        roles: RoleSet,
    },
}

#[derive(Debug, Serialize)]
struct LineReport {
    line: usize,
    summary: String,
    errors: Vec<String>,
}

fn yes(raw: &str) -> bool {
    matches!(
        raw.trim().to_lowercase().as_str(),
        "yes" | "oui" | "1" | "true" | "نعم"
    )
}

/// Reads every line, checking it against what exists and what earlier lines add.
fn plan(
    kind: ImportKind,
    text: &str,
    unit_codes: &HashSet<String>,
    logins: &HashSet<String>,
    locale: Locale,
) -> (Vec<Planned>, Vec<LineReport>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut known_units = unit_codes.clone();
    let mut known_logins = logins.clone();
    let mut planned = Vec::new();
    let mut reports = Vec::new();
    let message = |invalid: InvalidInput| i18n::invalid_input_message(locale, &invalid);
    for (index, record) in reader.records().enumerate() {
        let line = index + 1;
        let Ok(record) = record else {
            reports.push(LineReport {
                line,
                summary: String::new(),
                errors: vec![message(InvalidInput::new("line", Reason::UnknownValue))],
            });
            continue;
        };
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let first = field(0).to_lowercase();
        if line == 1 && (first == "code" || first == "login") {
            continue; // the header
        }
        let mut errors = Vec::new();
        match kind {
            ImportKind::Units => {
                let code = match parse_code(&field(0), UNIT_CODE_EXTRA) {
                    Ok(code) if known_units.contains(&code) => {
                        errors.push(message(InvalidInput::new("code", Reason::AlreadyUsed)));
                        code
                    }
                    Ok(code) => code,
                    Err(e) => {
                        errors.push(message(e));
                        String::new()
                    }
                };
                let parent = Some(field(1).to_uppercase()).filter(|p| !p.is_empty());
                if parent.as_ref().is_some_and(|p| !known_units.contains(p)) {
                    errors.push(message(InvalidInput::new("parent", Reason::UnknownValue)));
                }
                let name = LocalizedName::parse(&field(2), &field(3), &field(4))
                    .map_err(|e| errors.push(message(e)))
                    .ok();
                let unit_kind = UnitKind::parse(&field(5))
                    .map_err(|e| errors.push(message(e)))
                    .ok();
                if let (Some(name), Some(unit_kind), true) = (name, unit_kind, errors.is_empty()) {
                    known_units.insert(code.clone());
                    reports.push(LineReport {
                        line,
                        summary: format!("{code} · {}", name.get(locale)),
                        errors: Vec::new(),
                    });
                    planned.push(Planned::Unit {
                        code,
                        parent,
                        name,
                        kind: unit_kind,
                        bureau: yes(&field(6)),
                    });
                    continue;
                }
                reports.push(LineReport {
                    line,
                    summary: field(0),
                    errors,
                });
            }
            ImportKind::People => {
                let login = Login::parse(&field(0))
                    .map_err(|e| errors.push(message(e)))
                    .ok();
                if login
                    .as_ref()
                    .is_some_and(|l| known_logins.contains(l.as_str()))
                {
                    errors.push(message(InvalidInput::new("login", Reason::AlreadyUsed)));
                }
                let display_name = field(1);
                if display_name.chars().count() < 2 {
                    errors.push(message(InvalidInput::new(
                        "display_name",
                        Reason::TooShort { min: 2 },
                    )));
                }
                let email = parse_email(&field(2))
                    .map_err(|e| errors.push(message(e)))
                    .ok()
                    .flatten();
                let unit = Some(field(3).to_uppercase()).filter(|u| !u.is_empty());
                if unit.as_ref().is_some_and(|u| !known_units.contains(u)) {
                    errors.push(message(InvalidInput::new("unit", Reason::UnknownValue)));
                }
                let roles = RoleSet::from_chosen(field(4).split('|'))
                    .map_err(|e| errors.push(message(e)))
                    .ok();
                if let (Some(login), Some(roles), true) = (login, roles, errors.is_empty()) {
                    known_logins.insert(login.as_str().to_owned());
                    reports.push(LineReport {
                        line,
                        summary: format!("{} · {display_name}", login.as_str()),
                        errors: Vec::new(),
                    });
                    planned.push(Planned::Person {
                        login,
                        display_name,
                        email,
                        unit,
                        roles,
                    });
                    continue;
                }
                reports.push(LineReport {
                    line,
                    summary: field(0),
                    errors,
                });
            }
        }
    }
    (planned, reports)
}

/// `POST /organisation/import` (multipart: `csrf`, `kind`, then `file` or `csv`, and
/// `confirm` on the second step).
pub(crate) async fn import(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::ManageOrganisation)?;
    let bad = |e: &dyn std::fmt::Display| {
        AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
            "file",
            Reason::UnknownValue,
        )))
        .with_detail(e)
    };
    let (mut csrf_ok, mut kind, mut text, mut confirm) = (false, None, String::new(), false);
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| bad(&e))?;
        if bytes.len() > MAX_CSV_BYTES {
            return Err(AppError::new(ErrorKind::PayloadTooLarge));
        }
        let value = String::from_utf8(bytes.to_vec()).map_err(|e| bad(&e))?;
        match name.as_str() {
            "csrf" => {
                csrf::verify_token(&jar, state.cookies, &value)?;
                csrf_ok = true;
            }
            "kind" => {
                kind = match value.trim() {
                    "units" => Some(ImportKind::Units),
                    "people" => Some(ImportKind::People),
                    _ => None,
                }
            }
            "file" | "csv" if !value.trim().is_empty() => {
                text = value.trim_start_matches('\u{feff}').to_owned()
            }
            "confirm" => confirm = true,
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    let kind = kind.ok_or_else(|| bad(&"kind"))?;
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let units = tx.units().list().await?;
    let unit_codes: HashSet<String> = units.iter().map(|u| u.code.clone()).collect();
    let logins: HashSet<String> = tx
        .users()
        .list()
        .await?
        .into_iter()
        .map(|u| u.login.as_str().to_owned())
        .collect();
    let (planned, reports) = plan(kind, &text, &unit_codes, &logins, frame.locale);
    let refused = reports.iter().filter(|r| !r.errors.is_empty()).count();
    if !confirm || refused > 0 || planned.is_empty() {
        drop(tx);
        let context = minijinja::context! {
            kind => kind,
            reports => reports,
            refused => refused,
            accepted => planned.len(),
            csv => text,
        };
        let page = frame.for_user(&current).render(
            &state,
            "organisation_import.html",
            "organisation-import",
            context,
        )?;
        let status = if refused > 0 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        return Ok((status, page).into_response());
    }
    let now = state.clock.now();
    let mut ids: HashMap<String, Uuid> = units.iter().map(|u| (u.code.clone(), u.id)).collect();
    let count = planned.len();
    for line in planned {
        match line {
            Planned::Unit {
                code,
                parent,
                name,
                kind,
                bureau,
            } => {
                let parent_id = parent.and_then(|p| ids.get(&p).copied());
                let added = tx
                    .units()
                    .insert(
                        NewUnit {
                            parent_id,
                            code: code.clone(),
                            name,
                            kind,
                            has_bureau_ordre: bureau,
                        },
                        now,
                    )
                    .await?;
                ids.insert(code.clone(), added.id);
                let details =
                    serde_json::json!({ "code": code, "parent": parent_id, "import": true });
                tx.journal()
                    .append(
                        current.event(
                            "unit.added",
                            format!("unit:{}", added.id),
                            details,
                            origin.clone(),
                        ),
                        now,
                    )
                    .await?;
            }
            Planned::Person {
                login,
                display_name,
                email,
                unit,
                roles,
            } => {
                let unit_id = unit.and_then(|u| ids.get(&u).copied());
                let added = tx
                    .users()
                    .insert(
                        NewUser {
                            unit_id,
                            login: login.clone(),
                            display_name,
                            email: email.clone(),
                            password_hash: None,
                            roles: roles.clone(),
                            locale: frame.locale,
                        },
                        now,
                    )
                    .await?;
                if let Some(email) = &email {
                    PasswordLink {
                        kind: LinkKind::Welcome,
                        locale: frame.locale,
                    }
                    .enqueue(&state.public_url, &tx, &current.tenant, &added, email, now)
                    .await?;
                }
                let details = serde_json::json!({ "login": login.as_str(), "roles": roles.to_string(), "import": true });
                tx.journal()
                    .append(
                        current.event(
                            "user.added",
                            format!("user:{}", added.id),
                            details,
                            origin.clone(),
                        ),
                        now,
                    )
                    .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/organisation?importe={count}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_checked_against_what_exists_and_what_comes_before() {
        let existing: HashSet<String> = ["SG".to_owned()].into();
        let csv = "code,parent,name_fr,name_ar,name_en,kind,bureau\n\
                   DRH,SG,Ressources humaines,,,directorate,non\n\
                   SRH,DRH,Service du personnel,,,service,\n\
                   SG,,Doublon,,,central,\n\
                   X!,NOPE,,,,planet,\n";
        let (planned, reports) = plan(
            ImportKind::Units,
            csv,
            &existing,
            &HashSet::new(),
            Locale::Fr,
        );
        assert_eq!(planned.len(), 2, "a parent earlier in the file is known");
        let refused: Vec<_> = reports.iter().filter(|r| !r.errors.is_empty()).collect();
        assert_eq!(refused.len(), 2);
        assert_eq!(refused[0].line, 4);
        assert_eq!(refused[1].line, 5);
        assert!(refused[1].errors.len() >= 3, "{:?}", refused[1].errors);
    }

    #[test]
    fn people_name_their_unit_and_roles() {
        let units: HashSet<String> = ["SG".to_owned()].into();
        let logins: HashSet<String> = ["admin".to_owned()].into();
        let csv = "a.diallo,Awa Diallo,awa@example.org,SG,agent|unit_head\n\
                   admin,Doublon,,SG,agent\n\
                   b.bah,Boubacar Bah,,XX,poet\n";
        let (planned, reports) = plan(ImportKind::People, csv, &units, &logins, Locale::En);
        assert_eq!(planned.len(), 1);
        assert_eq!(reports.iter().filter(|r| !r.errors.is_empty()).count(), 2);
    }
}
