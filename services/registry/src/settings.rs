//! The administration's registry settings, for its administrator: natures and
//! priorities with their processing times, and the largest document it accepts.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use ordo_db::TermList;
use ordo_domain::{
    InvalidInput, LocalizedName, MailDirection, NumberFormat, Reason, Term, permissions::Action,
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, Frame, csrf::CsrfForm, i18n};
use serde::{Deserialize, Serialize};

/// The largest document size an administration may choose, in MiB.
pub const CEILING_MIB: u64 = crate::documents::CEILING_DOCUMENT_BYTES / (1024 * 1024);

#[derive(Debug, Serialize)]
struct TermView {
    list: &'static str,
    code: String,
    name_fr: String,
    name_ar: String,
    name_en: String,
    processing_days: Option<u16>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct TermForm {
    #[serde(default)]
    list: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name_fr: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    processing_days: String,
}

#[derive(Debug, Serialize)]
struct RegisterView {
    id: uuid::Uuid,
    code: String,
    unit: String,
    direction: &'static str,
    name_fr: String,
    name_ar: String,
    name_en: String,
    number_format: String,
}

#[derive(Debug, Serialize)]
struct BureauView {
    id: uuid::Uuid,
    name: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct RegisterForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    name_fr: String,
    #[serde(default)]
    name_ar: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    number_format: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct WeekendForm {
    #[serde(default)]
    weekend: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct HolidayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    name: String,
}

#[derive(Debug, Serialize)]
struct HolidayView {
    day: String,
    shown: String,
    name: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct LimitForm {
    #[serde(default)]
    max_mib: String,
}

async fn render(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let vocabulary = tx.vocabulary().load().await?;
    let units = tx.units().list().await?;
    let registers = tx.registers().list().await?;
    let holidays: Vec<HolidayView> = tx
        .calendar()
        .holidays()
        .await?
        .into_iter()
        .map(|h| HolidayView {
            day: h.day.format("%Y-%m-%d").to_string(),
            shown: h.day.format("%d/%m/%Y").to_string(),
            name: h.name,
        })
        .collect();
    tx.commit().await?;
    let unit_name = |id: uuid::Uuid| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.get(frame.locale).to_owned())
            .unwrap_or_default()
    };
    let registers: Vec<RegisterView> = registers
        .into_iter()
        .map(|r| RegisterView {
            id: r.id,
            unit: unit_name(r.unit_id),
            direction: r.direction.code(),
            name_fr: r.name.fr,
            name_ar: r.name.ar,
            name_en: r.name.en,
            number_format: r.number_format.to_string(),
            code: r.code,
        })
        .collect();
    let bureaux: Vec<BureauView> = units
        .iter()
        .filter(|u| u.has_bureau_ordre)
        .map(|u| BureauView {
            id: u.id,
            name: u.name.get(frame.locale).to_owned(),
        })
        .collect();
    let view = |list: &'static str, terms: Vec<Term>| {
        terms
            .into_iter()
            .map(move |t| TermView {
                list,
                code: t.code,
                name_fr: t.name.fr,
                name_ar: t.name.ar,
                name_en: t.name.en,
                processing_days: t.processing_days,
            })
            .collect::<Vec<_>>()
    };
    let messages: Vec<String> = errors
        .iter()
        .map(|e| i18n::invalid_input_message(frame.locale, e))
        .collect();
    let context = minijinja::context! {
        natures => view("natures", vocabulary.natures),
        priorities => view("priorities", vocabulary.priorities),
        max_mib => current.tenant.max_document_bytes / (1024 * 1024),
        registers => registers,
        bureaux => bureaux,
        holidays => holidays,
        weekend => current.tenant.weekend,
        remind_before_days => current.tenant.reminders.before_days,
        escalate_after_days => current.tenant.reminders.escalate_after_days,
        weekends => ordo_domain::calendar::WEEKENDS.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
        directions => MailDirection::ALL.iter().map(|d| d.code()).collect::<Vec<_>>(),
        ceiling_mib => CEILING_MIB,
        errors => messages,
    };
    let page = frame
        .for_user(current)
        .render(state, "settings.html", "settings-title", context)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page).into_response())
}

/// Journals a settings change, commits it, and goes back to the settings page.
async fn saved(
    tx: ordo_db::TenantTx,
    current: &CurrentUser,
    action: &'static str,
    details: serde_json::Value,
    origin: String,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Response, AppError> {
    let event = current.event(
        action,
        format!("tenant:{}", current.tenant.id),
        details,
        origin,
    );
    tx.journal().append(event, now).await?;
    tx.commit().await?;
    Ok(Redirect::to("/parametres").into_response())
}

/// `GET /parametres`.
pub(crate) async fn settings(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    render(&state, &current, frame, &[]).await
}

/// `POST /parametres/termes`: adds a nature or priority, or renames and retimes one.
pub(crate) async fn save_term(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<TermForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let list = match form.list.as_str() {
        "natures" => TermList::Natures,
        "priorities" => TermList::Priorities,
        _ => {
            let invalid = InvalidInput::new("list", Reason::UnknownValue);
            return render(&state, &current, frame, &[invalid]).await;
        }
    };
    let term = LocalizedName::parse(&form.name_fr, &form.name_ar, &form.name_en)
        .map_err(|e| vec![e])
        .and_then(|name| Term::parse(&form.code, name, &form.processing_days));
    let term = match term {
        Ok(term) => term,
        Err(errors) => return render(&state, &current, frame, &errors).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let details = serde_json::json!({
        "list": form.list,
        "code": term.code,
        "name_fr": term.name.fr,
        "processing_days": term.processing_days,
    });
    tx.vocabulary().save(list, term).await?;
    saved(tx, &current, "settings.term_saved", details, origin, now).await
}

/// The register typed in the form, or every refusal at its field.
fn parse_register(form: &RegisterForm) -> Result<(LocalizedName, NumberFormat), Vec<InvalidInput>> {
    let mut errors = Vec::new();
    let name = LocalizedName::parse(&form.name_fr, &form.name_ar, &form.name_en)
        .map_err(|e| errors.push(e))
        .ok();
    let format = NumberFormat::parse(&form.number_format)
        .map_err(|e| errors.push(e))
        .ok();
    match (name, format) {
        (Some(name), Some(format)) if errors.is_empty() => Ok((name, format)),
        _ => Err(errors),
    }
}

/// `POST /parametres/registres`: opens a register in one of the bureaux d'ordre.
pub(crate) async fn add_register(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let mut errors = Vec::new();
    let parsed = parse_register(&form).map_err(|e| errors.extend(e)).ok();
    let code = ordo_domain::parse_code(&form.code, &[])
        .map_err(|e| errors.push(e))
        .unwrap_or_default();
    let direction = MailDirection::parse(&form.direction)
        .map_err(|e| errors.push(e))
        .ok();
    let unit = uuid::Uuid::parse_str(form.unit.trim()).ok();
    let (Some((name, number_format)), Some(direction), Some(unit), true) =
        (parsed, direction, unit, errors.is_empty())
    else {
        if unit.is_none() {
            errors.push(InvalidInput::new("unit", Reason::UnknownValue));
        }
        return render(&state, &current, frame, &errors).await;
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let bureau = tx
        .units()
        .list()
        .await?
        .into_iter()
        .find(|u| u.id == unit && u.has_bureau_ordre);
    if bureau.is_none() {
        drop(tx);
        let invalid = InvalidInput::new("unit", Reason::UnknownValue);
        return render(&state, &current, frame, &[invalid]).await;
    }
    let added = tx
        .registers()
        .insert(
            ordo_db::NewRegister {
                unit_id: unit,
                code: code.clone(),
                direction,
                name,
                number_format,
            },
            now,
        )
        .await;
    let added = match added {
        Ok(added) => added,
        Err(ordo_db::DbError::Conflict(_)) => {
            drop(tx);
            let invalid = InvalidInput::new("code", Reason::AlreadyUsed);
            return render(&state, &current, frame, &[invalid]).await;
        }
        Err(err) => return Err(err.into()),
    };
    let details = serde_json::json!({
        "register": added.id,
        "code": code,
        "number_format": added.number_format.to_string(),
    });
    saved(
        tx,
        &current,
        "settings.register_added",
        details,
        origin,
        now,
    )
    .await
}

/// `POST /parametres/registres/{id}`: renames a register or changes its number format
/// for the numbers still to give.
pub(crate) async fn update_register(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    axum::extract::Path(id): axum::extract::Path<uuid::Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<RegisterForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let (name, number_format) = match parse_register(&form) {
        Ok(parsed) => parsed,
        Err(errors) => return render(&state, &current, frame, &errors).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let before = tx
        .registers()
        .find(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.registers().update(id, name, &number_format).await?;
    let details = serde_json::json!({
        "register": id,
        "code": before.code,
        "number_format_before": before.number_format.to_string(),
        "number_format": number_format.to_string(),
    });
    saved(
        tx,
        &current,
        "settings.register_changed",
        details,
        origin,
        now,
    )
    .await
}

/// `POST /parametres/calendrier`: which days are the weekend.
pub(crate) async fn save_weekend(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<WeekendForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    if let Err(invalid) = ordo_domain::calendar::WorkingCalendar::new(&form.weekend, []) {
        return render(&state, &current, frame, &[invalid]).await;
    }
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    tx.calendar().set_weekend(form.weekend.trim()).await?;
    let details = serde_json::json!({ "weekend": form.weekend.trim() });
    saved(tx, &current, "settings.weekend", details, origin, now).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReminderForm {
    #[serde(default)]
    remind_before_days: String,
    #[serde(default)]
    escalate_after_days: String,
}

/// `POST /parametres/rappels`: when reminders and escalations go.
pub(crate) async fn save_reminders(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<ReminderForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let policy = match ordo_domain::deadlines::ReminderPolicy::parse(
        &form.remind_before_days,
        &form.escalate_after_days,
    ) {
        Ok(policy) => policy,
        Err(invalid) => return render(&state, &current, frame, &[invalid]).await,
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    tx.calendar().set_reminder_policy(policy).await?;
    let details = serde_json::json!({
        "remind_before_days": policy.before_days,
        "escalate_after_days": policy.escalate_after_days,
    });
    saved(tx, &current, "settings.reminders", details, origin, now).await
}

/// `POST /parametres/jours-feries`: adds a public holiday.
pub(crate) async fn add_holiday(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<HolidayForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let mut errors = Vec::new();
    let day = chrono::NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d")
        .map_err(|_| errors.push(InvalidInput::new("day", Reason::NotADate)))
        .ok();
    let name = form.name.trim().to_owned();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        errors.push(InvalidInput::new("name", Reason::TooShort { min: 2 }));
    }
    let (Some(day), true) = (day, errors.is_empty()) else {
        return render(&state, &current, frame, &errors).await;
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let details = serde_json::json!({ "day": day, "name": name });
    tx.calendar()
        .add_holiday(ordo_db::Holiday { day, name })
        .await?;
    saved(tx, &current, "settings.holiday_added", details, origin, now).await
}

/// `POST /parametres/jours-feries/retirer`: removes a public holiday.
pub(crate) async fn remove_holiday(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<HolidayForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let Ok(day) = chrono::NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d") else {
        let invalid = InvalidInput::new("day", Reason::NotADate);
        return render(&state, &current, frame, &[invalid]).await;
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    if !tx.calendar().remove_holiday(day).await? {
        return Err(AppError::not_found());
    }
    let details = serde_json::json!({ "day": day });
    saved(
        tx,
        &current,
        "settings.holiday_removed",
        details,
        origin,
        now,
    )
    .await
}

/// `POST /parametres/documents`: the largest document the administration accepts.
pub(crate) async fn save_limit(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<LimitForm>,
) -> Result<Response, AppError> {
    current.require(Action::ConfigureRegistry)?;
    let mib = match form.max_mib.trim().parse::<u64>() {
        Ok(mib) if (1..=CEILING_MIB).contains(&mib) => mib,
        _ => {
            let invalid = InvalidInput::new(
                "max_mib",
                Reason::OutOfRange {
                    min: 1,
                    max: CEILING_MIB,
                },
            );
            return render(&state, &current, frame, &[invalid]).await;
        }
    };
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    tx.set_document_limit(mib * 1024 * 1024).await?;
    let details = serde_json::json!({ "max_mib": mib });
    saved(
        tx,
        &current,
        "settings.document_limit",
        details,
        origin,
        now,
    )
    .await
}
