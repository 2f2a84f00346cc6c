//! Filing mail online, and the deposit receipt that answers it.

use std::collections::BTreeMap;

use axum::{
    extract::{Multipart, Path, Query, State},
    http::StatusCode,
    response::Response,
};
use axum_extra::extract::CookieJar;
use fluent_templates::fluent_bundle::FluentValue;
use ordo_db::{
    DocumentRole, FilingRecord, ItemContent, JournalEvent, NewDocument, NewFiling, OutgoingEmail,
    RegisterRecord, TenantRecord, UnitRecord,
};
use ordo_domain::{
    InvalidInput, Locale, MailDirection, Reason, RegistrationForm,
    email_template::EmailKind,
    portal::{Filing, FilingForm, MAX_FILES, PublicCode},
};
use ordo_registry::{
    acknowledgment::tracking_link,
    documents::{CEILING_DOCUMENT_BYTES, UploadError, field_stream, store_upload},
    pages::{human_size, local_time},
};
use ordo_storage::{ObjectKey, antivirus::Verdict};
use ordo_web::{
    AppError, AppState, ClientAddress, ErrorKind, Frame, csrf,
    i18n::{invalid_input_message, tr_args},
    mail_texts,
    session::token_hash,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{found_or_not, portal_of, portal_page, within_limit};

/// The largest filing body: every file at the ceiling, and room for the fields.
pub(crate) const MAX_FILING_BYTES: u64 = CEILING_DOCUMENT_BYTES * MAX_FILES as u64 + 1024 * 1024;

/// The file inputs of the filing form: the letter, then attachments.
const FILE_FIELDS: &[&str] = &["letter", "attachments"];

/// Where a filing goes: an administration and the incoming register it waits in.
struct Desk {
    tenant: TenantRecord,
    register: RegisterRecord,
    /// The unit filed to directly (`?unite=CODE`), when not the central office.
    unit: Option<UnitRecord>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DeskQuery {
    unite: Option<String>,
}

/// The desk a filing page serves. By default the incoming register of the
/// administration's central bureau d'ordre (its top unit), else its first incoming
/// register; with `?unite=CODE`, the incoming register of that unit, which then
/// accepts mail directly (a unit without one is not found).
async fn desk_of(state: &AppState, code: &str, query: &DeskQuery) -> Result<Desk, AppError> {
    let tenant = portal_of(state, code).await?;
    let tx = state.db.tenant_read(tenant.id).await?;
    let registers = tx.registers().list().await?;
    let units = tx.units().list().await?;
    tx.commit().await?;
    let incoming = registers
        .into_iter()
        .filter(|r| r.direction == MailDirection::Incoming);
    let no_register = || {
        AppError::new(ErrorKind::NotFound).with_detail("no incoming register takes mail filed here")
    };
    if let Some(wanted) = query.unite.as_deref().filter(|u| !u.trim().is_empty()) {
        let unit = units
            .into_iter()
            .find(|u| u.code.eq_ignore_ascii_case(wanted.trim()))
            .ok_or_else(AppError::not_found)?;
        let register = incoming
            .into_iter()
            .find(|r| r.unit_id == unit.id)
            .ok_or_else(no_register)?;
        return Ok(Desk {
            tenant,
            register,
            unit: Some(unit),
        });
    }
    let is_top = |unit: Uuid| units.iter().any(|u| u.id == unit && u.parent_id.is_none());
    let register = incoming
        .min_by_key(|r| !is_top(r.unit_id))
        .ok_or_else(no_register)?;
    Ok(Desk {
        tenant,
        register,
        unit: None,
    })
}

/// What the form shows.
#[derive(Debug, Default, Serialize)]
struct FormView {
    filer_kind: String,
    name: String,
    email: String,
    phone: String,
    address: String,
    subject: String,
    message: String,
}

impl From<&FilingForm> for FormView {
    fn from(form: &FilingForm) -> Self {
        Self {
            filer_kind: form.filer_kind.clone(),
            name: form.name.clone(),
            email: form.email.clone(),
            phone: form.phone.clone(),
            address: form.address.clone(),
            subject: form.subject.clone(),
            message: form.message.clone(),
        }
    }
}

async fn render_form(
    state: &AppState,
    frame: &Frame,
    desk: &Desk,
    form: &FilingForm,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let tenant = &desk.tenant;
    let messages: BTreeMap<&str, String> = errors
        .iter()
        .map(|e| (e.field, invalid_input_message(frame.locale, e)))
        .collect();
    let context = minijinja::context! {
        form => FormView::from(form),
        errors => messages,
        submission => Uuid::new_v4().simple().to_string(),
        max_files => MAX_FILES,
        max_mib => tenant.max_document_bytes / (1024 * 1024),
        unit_code => desk.unit.as_ref().map(|u| u.code.clone()),
        unit_name => desk.unit.as_ref().map(|u| u.name.get(frame.locale).to_owned()),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    portal_page(
        state,
        frame,
        tenant,
        ("portal_file.html", "portal-title"),
        status,
        context,
    )
    .await
}

/// `GET /depot/{CODE}[?unite=UNIT]`: the filing form.
pub(crate) async fn filing_page(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    Query(query): Query<DeskQuery>,
) -> Result<Response, AppError> {
    let desk = desk_of(&state, &code, &query).await?;
    render_form(&state, &frame, &desk, &FilingForm::default(), &[]).await
}

fn bad_form(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
        "request",
        Reason::UnknownValue,
    )))
    .with_detail(err)
}

fn set_field(form: &mut FilingForm, name: &str, value: String) {
    let slot = match name {
        "filer_kind" => &mut form.filer_kind,
        "name" => &mut form.name,
        "email" => &mut form.email,
        "phone" => &mut form.phone,
        "address" => &mut form.address,
        "subject" => &mut form.subject,
        "message" => &mut form.message,
        _ => return,
    };
    *slot = value;
}

/// What the typed fields decide before a single file byte is stored.
enum Decision {
    Proceed(Filing),
    Refuse(Vec<InvalidInput>),
    /// The same form sent again (a double tap): its first filing is the answer.
    Replay(Box<FilingRecord>),
}

/// The filing's submission key: the form's own, else one made now (a client that
/// sent none cannot be protected from its own repeats).
fn submission_key(raw: &str) -> String {
    let raw = raw.trim();
    if (16..=64).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        raw.to_owned()
    } else {
        Uuid::new_v4().simple().to_string()
    }
}

async fn decide(
    state: &AppState,
    tenant: &TenantRecord,
    form: &FilingForm,
    key: &str,
    honeypot: &str,
    origin: &str,
) -> Result<Decision, AppError> {
    let tx = state.db.tenant_read(tenant.id).await?;
    let earlier = tx.filings().by_submission_key(key).await?;
    tx.commit().await?;
    if let Some(first) = earlier {
        return Ok(Decision::Replay(Box::new(first)));
    }
    // A field people never see: only a robot fills it.
    if !honeypot.trim().is_empty() {
        tracing::info!("portal filing with the hidden field filled: refused");
        return Ok(Decision::Refuse(vec![InvalidInput::new(
            "website",
            Reason::Automated,
        )]));
    }
    let filing = match form.validate() {
        Ok(filing) => filing,
        Err(errors) => return Ok(Decision::Refuse(errors)),
    };
    let limits = state.portal_limits;
    within_limit(state, &limits.filings_per_address, origin).await?;
    within_limit(state, &limits.filings_per_email, &filing.email).await?;
    Ok(Decision::Proceed(filing))
}

/// Reads what is left of a form already answered, so the browser gets the answer
/// rather than a broken connection.
async fn drain(mut multipart: Multipart) {
    while let Ok(Some(field)) = multipart.next_field().await {
        let _ = field.bytes().await;
    }
}

/// `POST /depot/{CODE}`: files mail. The fields are checked (and the limits
/// counted) before any file is stored; each file then streams into the
/// administration's store, its kind judged from its content; the draft, its
/// documents, the filing, the deposit e-mail and the journal entry commit together.
pub(crate) async fn file(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    Query(query): Query<DeskQuery>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let desk = desk_of(&state, &code, &query).await?;
    let tenant = &desk.tenant;
    let mut form = FilingForm::default();
    let (mut key, mut honeypot) = (String::new(), String::new());
    let mut csrf_checked = false;
    let mut decided: Option<(Filing, String)> = None;
    let mut documents: Vec<NewDocument> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_owned();
        if !FILE_FIELDS.contains(&name.as_str()) {
            if field.file_name().is_some() {
                continue;
            }
            let value = field.text().await.map_err(bad_form)?;
            match name.as_str() {
                "csrf" => {
                    csrf::verify_token(&jar, state.cookies, &value)?;
                    csrf_checked = true;
                }
                "cle" => key = value,
                "website" => honeypot = value,
                other => set_field(&mut form, other, value),
            }
            continue;
        }
        if !csrf_checked {
            return Err(AppError::new(ErrorKind::CsrfRejected)
                .with_detail("a file came before the CSRF token"));
        }
        let file_name = field.file_name().unwrap_or_default().trim().to_owned();
        if file_name.is_empty() {
            continue;
        }
        if decided.is_none() {
            let key = submission_key(&key);
            match decide(&state, tenant, &form, &key, &honeypot, &origin).await? {
                Decision::Proceed(filing) => decided = Some((filing, key)),
                Decision::Refuse(errors) => {
                    drop(field);
                    drain(multipart).await;
                    return render_form(&state, &frame, &desk, &form, &errors).await;
                }
                Decision::Replay(first) => {
                    drop(field);
                    drain(multipart).await;
                    return receipt(&state, &frame, tenant, &first).await;
                }
            }
        }
        if documents.len() == MAX_FILES {
            drop(field);
            drain(multipart).await;
            let too_many =
                InvalidInput::new("attachments", Reason::TooManyFiles { max: MAX_FILES });
            return render_form(&state, &frame, &desk, &form, &[too_many]).await;
        }
        let role = if documents.iter().any(|d| d.role == DocumentRole::Main) {
            DocumentRole::Attachment
        } else {
            DocumentRole::Main
        };
        let declared = field.content_type().map(str::to_owned);
        let stored = store_upload(
            state.store.as_ref(),
            tenant.id,
            role,
            &file_name,
            declared.as_deref(),
            field_stream(field),
            tenant.max_document_bytes,
        )
        .await;
        let field_name = if name == "letter" {
            "letter"
        } else {
            "attachments"
        };
        match stored {
            Ok(document) => {
                if let Some(signature) = infection(&state, tenant, &document).await? {
                    tracing::warn!(%signature, "a file filed on the portal carries a virus: refused");
                    drain(multipart).await;
                    let infected = InvalidInput::new(field_name, Reason::Infected);
                    return render_form(&state, &frame, &desk, &form, &[infected]).await;
                }
                documents.push(document);
            }
            Err(UploadError::Refused(mut refusal)) => {
                refusal.field = field_name;
                drain(multipart).await;
                return render_form(&state, &frame, &desk, &form, &[refusal]).await;
            }
            Err(UploadError::Failed(err)) => return Err(err),
        }
    }
    if !csrf_checked {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    let (filing, key) = match decided {
        Some(decided) => decided,
        None => {
            let key = submission_key(&key);
            match decide(&state, tenant, &form, &key, &honeypot, &origin).await? {
                Decision::Proceed(filing) => (filing, key),
                Decision::Refuse(errors) => {
                    return render_form(&state, &frame, &desk, &form, &errors).await;
                }
                Decision::Replay(first) => return receipt(&state, &frame, tenant, &first).await,
            }
        }
    };
    if documents.is_empty() && filing.message.is_empty() {
        let nothing = InvalidInput::new("letter", Reason::Required);
        return render_form(&state, &frame, &desk, &form, &[nothing]).await;
    }
    let intake = Intake {
        tenant,
        register: &desk.register,
        filing: &filing,
        key: &key,
        locale: frame.locale,
        origin: &origin,
    };
    let record = match commit_filing(&state, intake, documents).await {
        Ok(record) => record,
        // The same key won a race with this request: its filing is the answer.
        Err(err) if matches!(err.kind, ErrorKind::Conflict) => {
            let tx = state.db.tenant_read(tenant.id).await?;
            let first = tx.filings().by_submission_key(&key).await?;
            tx.commit().await?;
            first.ok_or(err)?
        }
        Err(err) => return Err(err),
    };
    receipt(&state, &frame, tenant, &record).await
}

/// The signature clamd finds in a stored file, when an antivirus is configured.
/// Without an answer from clamd the filing waits: it is refused for now, never
/// accepted unscanned.
async fn infection(
    state: &AppState,
    tenant: &TenantRecord,
    document: &NewDocument,
) -> Result<Option<String>, AppError> {
    let Some(scanner) = &state.antivirus else {
        return Ok(None);
    };
    let key = ObjectKey::parse(&document.object_key)?;
    let content = state.store.get(tenant.id, &key).await?;
    match scanner.scan(content).await {
        Ok(Verdict::Clean) => Ok(None),
        Ok(Verdict::Infected(signature)) => Ok(Some(signature)),
        Err(err) => Err(AppError::new(ErrorKind::Unavailable).with_detail(err)),
    }
}

/// Everything a filing is committed with.
#[derive(Debug)]
pub struct Intake<'a> {
    pub tenant: &'a TenantRecord,
    /// The incoming register it waits in.
    pub register: &'a RegisterRecord,
    pub filing: &'a Filing,
    /// The submission key: the same key files once.
    pub key: &'a str,
    /// The filer's language, for every e-mail they get.
    pub locale: Locale,
    /// Where it came from, for the journal and the rate limits.
    pub origin: &'a str,
}

/// Files mail: the draft, its documents (already stored), the filing, the deposit
/// e-mail and the journal entry, in one transaction. Used by the filing page and by
/// the demo's sample filing.
pub async fn commit_filing(
    state: &AppState,
    intake: Intake<'_>,
    documents: Vec<NewDocument>,
) -> Result<FilingRecord, AppError> {
    let Intake {
        tenant,
        register,
        filing,
        key,
        locale,
        origin,
    } = intake;
    let now = state.clock.now();
    let tx = state.db.tenant_write(tenant.id).await?;
    // As kept by this replica: the vocabulary, and the quotas each document is checked against.
    let settings = tx.registration_settings().await?;
    let registration = RegistrationForm {
        subject: filing.subject.clone(),
        sender: filing.name.clone(),
        channel: ordo_domain::Channel::Portal.code().to_owned(),
        ..RegistrationForm::default()
    }
    .validate_draft(now, tenant.time_zone, &settings.vocabulary)
    .map_err(|errors| AppError::new(ErrorKind::InvalidFields(errors)))?;
    let item = tx
        .items()
        .insert_filed_draft(
            register.id,
            ItemContent {
                registration,
                sender_id: None,
                recipient_ids: Vec::new(),
            },
            now,
        )
        .await?;
    let filing_id = Uuid::now_v7();
    let fingerprints: Vec<serde_json::Value> = documents
        .iter()
        .map(|d| serde_json::json!({ "file": d.file_name, "size": d.size, "sha256": d.sha256 }))
        .collect();
    let file_lines: Vec<String> = documents
        .iter()
        .map(|d| {
            format!(
                "- {} ({}) SHA-256 {}",
                d.file_name,
                human_size(d.size, locale),
                d.sha256
            )
        })
        .collect();
    for document in documents {
        // Nobody of the administration uploaded it: the filing stands as uploader.
        tx.documents()
            .insert(item.id, document, filing_id, now)
            .await?;
    }
    let tracking_code = PublicCode::generate();
    // Where the administration asks for it, the filer confirms their address by a
    // link before the filing reaches the queue.
    let confirmation = tx
        .portal_settings()
        .get()
        .await?
        .confirm_email
        .then(|| format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple()));
    let confirmation_hash = confirmation.as_deref().map(token_hash);
    let record = tx
        .filings()
        .insert(
            NewFiling {
                id: filing_id,
                confirmation_hash: confirmation_hash.as_deref(),
                item_id: item.id,
                tracking_code: &tracking_code,
                submission_key: key,
                filing,
                language: locale.tag(),
                client_address: origin,
            },
            now,
        )
        .await?;
    let confirm = confirmation.as_deref().map_or_else(String::new, |token| {
        tr_args(
            locale,
            "deposit-mail-confirm",
            vec![(
                "link".into(),
                FluentValue::from(format!(
                    "{}/depot/{}/confirmer?jeton={token}",
                    state.public_url,
                    tenant.code.as_str()
                )),
            )],
        )
    });
    let (subject, body) = mail_texts::compose(
        &tx,
        EmailKind::Deposit,
        locale,
        &[
            ("name", record.name.clone()),
            ("administration", tenant.name.get(locale).to_owned()),
            ("subject", filing.subject.clone()),
            ("date", local_time(now, tenant.time_zone)),
            ("code", tracking_code.display()),
            ("files", file_lines.join("\n")),
            ("confirm", confirm),
            ("link", tracking_link(state, tenant, &tracking_code)),
        ],
    )
    .await?;
    tx.outbox()
        .enqueue(
            OutgoingEmail {
                to: record.email.clone(),
                subject,
                body,
                expires_at: None,
                attachment: None,
                language: Some(locale),
            },
            now,
        )
        .await?;
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("filer:{}", record.email),
                action: "item.filed",
                object: format!("item:{}", item.id),
                details: serde_json::json!({
                    "register": register.code,
                    "channel": "portal",
                    "documents": fingerprints,
                }),
                origin: origin.to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(item = %item.id, "mail filed on the portal");
    Ok(record)
}

#[derive(Debug, Serialize)]
struct FileView {
    name: String,
    size: String,
    sha256: String,
}

/// The deposit receipt: the tracking code and what was filed.
async fn receipt(
    state: &AppState,
    frame: &Frame,
    tenant: &TenantRecord,
    record: &FilingRecord,
) -> Result<Response, AppError> {
    let tx = state.db.tenant_read(tenant.id).await?;
    let files: Vec<FileView> = tx
        .documents()
        .for_item(record.item_id)
        .await?
        .into_iter()
        .map(|d| FileView {
            size: human_size(d.size, frame.locale),
            name: d.file_name,
            sha256: d.sha256,
        })
        .collect();
    let item = tx.items().find(record.item_id).await?;
    tx.commit().await?;
    let context = minijinja::context! {
        code => record.tracking_code.display(),
        email => record.email,
        subject => item.map(|i| i.content.subject).unwrap_or_default(),
        filed_at => local_time(record.filed_at, tenant.time_zone),
        awaiting_confirmation => record.confirmed_at.is_none(),
        files => files,
    };
    portal_page(
        state,
        frame,
        tenant,
        ("portal_receipt.html", "portal-receipt-title"),
        StatusCode::OK,
        context,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ConfirmQuery {
    #[serde(default)]
    jeton: String,
}

async fn render_confirmation(
    state: &AppState,
    frame: &Frame,
    tenant: &TenantRecord,
    token: &str,
    outcome: Option<bool>,
) -> Result<Response, AppError> {
    let context = minijinja::context! {
        token => token,
        confirmed => outcome == Some(true),
        unknown => outcome == Some(false),
    };
    portal_page(
        state,
        frame,
        tenant,
        ("portal_confirm.html", "portal-confirm-title"),
        found_or_not(outcome == Some(false)),
        context,
    )
    .await
}

/// `GET /depot/{CODE}/confirmer?jeton=…`: asks the filer to confirm. Nothing changes
/// on a GET: mail scanners open links in e-mails before people do.
pub(crate) async fn confirmation_page(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    Query(query): Query<ConfirmQuery>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    render_confirmation(&state, &frame, &tenant, &query.jeton, None).await
}

/// `POST /depot/{CODE}/confirmer`: the filer confirms their address; the filing now
/// counts and waits in the bureau d'ordre's queue.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    frame: Frame,
    Path(code): Path<String>,
    ClientAddress(origin): ClientAddress,
    csrf::CsrfForm(form): csrf::CsrfForm<ConfirmQuery>,
) -> Result<Response, AppError> {
    let tenant = portal_of(&state, &code).await?;
    within_limit(&state, &state.portal_limits.lookups_per_address, &origin).await?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(tenant.id).await?;
    let confirmed = tx
        .filings()
        .confirm(&token_hash(form.jeton.trim()), now)
        .await?;
    if let Some(filing) = &confirmed {
        tx.journal()
            .append(
                JournalEvent {
                    actor: format!("filer:{}", filing.email),
                    action: "item.filing_confirmed",
                    object: format!("item:{}", filing.item_id),
                    details: serde_json::json!({}),
                    origin,
                },
                now,
            )
            .await?;
    }
    tx.commit().await?;
    render_confirmation(&state, &frame, &tenant, "", Some(confirmed.is_some())).await
}
