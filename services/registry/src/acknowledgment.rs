//! The acknowledgment of receipt (*accusé de réception*): issued once for a
//! registered item, kept as issued (number, dates, subject, sender, unit, the
//! fingerprints of what was received) with a verification code, rendered as a
//! PDF/A document in the reader's language, and e-mailed through the outbox in the
//! transaction that issues it.

use axum::{
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ordo_db::{
    AcknowledgmentRecord, Attachment, FilingRecord, ItemRecord, OutgoingEmail,
    PortalSettingsRecord, TenantRecord, TenantTx,
};
use ordo_domain::{
    Direction, InvalidInput, Locale, Reason, check_reason, email_template::EmailKind, parse_email,
    permissions::Action, portal::PublicCode,
};
use ordo_receipts::Receipt;
use ordo_web::{
    AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Refused, RequestLocale,
    csrf::CsrfForm,
    i18n::{tr, tr_args},
    mail_texts,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    pages::{human_size, local_time},
    registration::visible_item,
};

/// What an acknowledgment states, as issued.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Acknowledged {
    pub number: String,
    pub registered_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub subject: String,
    pub sender: String,
    /// The unit whose register holds the item, in French, Arabic and English.
    pub unit: [String; 3],
    pub files: Vec<AcknowledgedFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AcknowledgedFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

impl Acknowledged {
    pub fn unit_name(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.unit[0],
            Locale::Ar => &self.unit[1],
            Locale::En => &self.unit[2],
        }
    }
}

/// Reads what a stored acknowledgment states.
pub fn acknowledged(record: &AcknowledgmentRecord) -> Result<Acknowledged, AppError> {
    serde_json::from_value(record.content.clone()).map_err(AppError::internal)
}

/// The item's acknowledgment: the one already issued, else a new one issued now
/// (in `tx`). Only a registered item has one.
pub async fn issue(
    tx: &TenantTx,
    item: &ItemRecord,
    now: DateTime<Utc>,
) -> Result<(AcknowledgmentRecord, bool), AppError> {
    if let Some(existing) = tx.acknowledgments().for_item(item.id).await? {
        return Ok((existing, false));
    }
    let (Some(number), Some(registered_at)) = (item.number.clone(), item.registered_at) else {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a registered item is acknowledged"));
    };
    let register = tx
        .registers()
        .find(item.register_id)
        .await?
        .ok_or_else(|| AppError::internal("the item's register is gone"))?;
    let unit = tx
        .units()
        .find(register.unit_id)
        .await?
        .map(|u| [u.name.fr, u.name.ar, u.name.en])
        .unwrap_or_default();
    let files = tx
        .documents()
        .for_item(item.id)
        .await?
        .into_iter()
        .map(|d| AcknowledgedFile {
            name: d.file_name,
            size: d.size,
            sha256: d.sha256,
        })
        .collect();
    let content = Acknowledged {
        number,
        registered_at,
        received_at: item.received_at,
        subject: item.content.subject.clone(),
        sender: item.content.sender.clone(),
        unit,
        files,
    };
    let value = serde_json::to_value(&content).map_err(AppError::internal)?;
    let record = tx
        .acknowledgments()
        .insert(item.id, &PublicCode::generate(), &value, now)
        .await?;
    Ok((record, true))
}

/// Where anyone checks an acknowledgment.
pub fn verification_url(state: &AppState, tenant: &TenantRecord, code: &PublicCode) -> String {
    format!(
        "{}/verifier/{}/{}",
        state.public_url,
        tenant.code.as_str(),
        code.display()
    )
}

/// The acknowledgment as a PDF/A document in `locale`.
pub fn render_pdf(
    state: &AppState,
    tenant: &TenantRecord,
    template: &PortalSettingsRecord,
    record: &AcknowledgmentRecord,
    locale: Locale,
) -> Result<Vec<u8>, AppError> {
    let content = acknowledged(record)?;
    let field = |key: &str, value: String| (tr(locale, key), value);
    let receipt = Receipt {
        language: locale.tag().to_owned(),
        direction: match locale.direction() {
            Direction::Rtl => ordo_receipts::Direction::RightToLeft,
            Direction::Ltr => ordo_receipts::Direction::LeftToRight,
        },
        issuer: vec![
            tenant.name.get(locale).to_owned(),
            content.unit_name(locale).to_owned(),
        ],
        title: tr(locale, "ack-title"),
        fields: vec![
            field("ack-number", content.number.clone()),
            field(
                "ack-registered-at",
                local_time(content.registered_at, tenant.time_zone),
            ),
            field(
                "ack-received-at",
                local_time(content.received_at, tenant.time_zone),
            ),
            field("ack-sender", content.sender.clone()),
            field("ack-subject", content.subject.clone()),
            field("ack-verification-code", record.verification_code.display()),
        ],
        files_heading: tr(locale, "ack-files"),
        files: content
            .files
            .iter()
            .map(|f| {
                format!(
                    "{} · {} · SHA-256 {}",
                    f.name,
                    human_size(f.size, locale),
                    f.sha256
                )
            })
            .collect(),
        verification_url: verification_url(state, tenant, &record.verification_code),
        verification_text: tr(locale, "ack-verify-hint"),
        issued_at: record.issued_at,
        logo: template
            .logo
            .as_ref()
            .map(|(content, media_type)| ordo_receipts::Logo {
                content: content.clone(),
                media_type: media_type.clone(),
            }),
        wording: template.ack_wording.clone(),
        signature: template.ack_signature.clone(),
        // The administration's colour, as on its portal and its e-mails.
        accent: Some(template.colour().rgb()),
    };
    ordo_receipts::render(&receipt).map_err(AppError::internal)
}

/// The PDF's file name: `accuse-MMG-ARR-2026-000042.pdf`.
pub fn file_name(content: &Acknowledged) -> String {
    let number: String = content
        .number
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("accuse-{number}.pdf")
}

/// Who an acknowledgment is e-mailed to.
#[derive(Debug, Clone)]
pub struct AckRecipient {
    pub address: String,
    pub locale: Locale,
    /// The filer's tracking page, for mail filed on the portal.
    pub tracking_link: Option<String>,
}

/// E-mails the acknowledgment with its PDF, through the outbox of `tx`: it leaves
/// only if the transaction commits.
pub async fn send(
    state: &AppState,
    tx: &TenantTx,
    tenant: &TenantRecord,
    record: &AcknowledgmentRecord,
    recipient: AckRecipient,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let AckRecipient {
        address,
        locale,
        tracking_link,
    } = recipient;
    let content = acknowledged(record)?;
    let template = tx.portal_settings().get().await?;
    let pdf = render_pdf(state, tenant, &template, record, locale)?;
    let arg = |name: &'static str, value: String| (name.into(), FluentValue::from(value));
    let tracking = tracking_link.map_or_else(String::new, |link| {
        tr_args(locale, "ack-mail-tracking", vec![arg("link", link)])
    });
    let (subject, body) = mail_texts::compose(
        tx,
        EmailKind::Acknowledgment,
        locale,
        &[
            ("administration", tenant.name.get(locale).to_owned()),
            ("number", content.number.clone()),
            ("date", local_time(content.registered_at, tenant.time_zone)),
            ("subject", content.subject.clone()),
            (
                "verify",
                verification_url(state, tenant, &record.verification_code),
            ),
            ("tracking", tracking),
        ],
    )
    .await?;
    tx.outbox()
        .enqueue(
            OutgoingEmail {
                to: address,
                subject,
                body,
                expires_at: None,
                language: Some(locale),
                attachment: Some(Attachment {
                    file_name: file_name(&content),
                    media_type: "application/pdf".to_owned(),
                    content: pdf,
                }),
            },
            now,
        )
        .await?;
    Ok(())
}

/// The filer's tracking page on the administration's portal.
pub fn tracking_link(state: &AppState, tenant: &TenantRecord, code: &PublicCode) -> String {
    format!(
        "{}/depot/{}/suivi?code={}",
        state.public_url,
        tenant.code.as_str(),
        code.display()
    )
}

/// A registration as its acknowledgment sees it, with what the registration already
/// read: the portal filing the item came from, and the sender's address in the
/// directory.
pub(crate) struct Acknowledgeable<'a> {
    pub item: &'a ItemRecord,
    pub direction: ordo_domain::MailDirection,
    pub filing: Option<&'a FilingRecord>,
    pub sender_email: Option<&'a str>,
}

/// Who is told at once that an item was registered: the filer of mail filed on the
/// portal (in their language, with their tracking link), else the sender of
/// incoming mail handed in at the counter, posted or e-mailed, when the directory
/// knows their address (in the administration's first language). Mail from another
/// administration has its own receipts; outgoing mail is not acknowledged.
fn recipient_at_registration(
    state: &AppState,
    current: &CurrentUser,
    registered: &Acknowledgeable<'_>,
) -> Option<(AckRecipient, &'static str)> {
    if let Some(filing) = registered.filing {
        let recipient = AckRecipient {
            address: filing.email.clone(),
            locale: filing.language.parse().unwrap_or_default(),
            tracking_link: Some(tracking_link(state, &current.tenant, &filing.tracking_code)),
        };
        return Some((recipient, "filer"));
    }
    let handed_in = matches!(
        registered.item.content.channel,
        ordo_domain::Channel::Counter | ordo_domain::Channel::Post | ordo_domain::Channel::Email
    );
    if registered.direction != ordo_domain::MailDirection::Incoming || !handed_in {
        return None;
    }
    let recipient = AckRecipient {
        address: registered.sender_email?.to_owned(),
        locale: Locale::default(),
        tracking_link: None,
    };
    Some((recipient, "sender"))
}

/// At registration, in its transaction: issues the acknowledgment and e-mails it
/// to whoever `recipient_at_registration` names; nothing when nobody is known.
pub(crate) async fn acknowledge_registration(
    state: &AppState,
    tx: &TenantTx,
    current: &CurrentUser,
    registered: Acknowledgeable<'_>,
    origin: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some((recipient, who)) = recipient_at_registration(state, current, &registered) else {
        return Ok(());
    };
    let item = registered.item;
    let (record, _) = issue(tx, item, now).await?;
    send(state, tx, &current.tenant, &record, recipient, now).await?;
    let details = serde_json::json!({
        "verification_code": record.verification_code.as_str(),
        "sent_to": who,
    });
    tx.journal()
        .append(
            current.item_event("item.acknowledged", item.id, details, origin),
            now,
        )
        .await?;
    Ok(())
}

/// `GET /courriers/{id}/accuse.pdf`: the item's acknowledgment, issued on first
/// request, printable at the counter. The journal records each print.
pub(crate) async fn acknowledgment_pdf(
    State(state): State<AppState>,
    current: CurrentUser,
    RequestLocale(locale): RequestLocale,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let (record, issued) = issue(&tx, &item, now).await?;
    let details = serde_json::json!({
        "verification_code": record.verification_code.as_str(),
        "issued": issued,
    });
    tx.journal()
        .append(
            current.item_event("item.acknowledgment_printed", item.id, details, &origin),
            now,
        )
        .await?;
    let template = tx.portal_settings().get().await?;
    let pdf = render_pdf(&state, &current.tenant, &template, &record, locale)?;
    tx.commit().await?;
    let name = file_name(&acknowledged(&record)?);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        pdf,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    langue: String,
}

/// `POST /courriers/{id}/accuse`: e-mails the acknowledgment (mail registered at
/// the counter or by post whose sender gave an address).
pub(crate) async fn send_acknowledgment(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<SendForm>,
) -> Result<Response, AppError> {
    let outcome = send_by_mail(&state, &current, id, &form, &origin).await;
    back_to_item(id, outcome, "?accuse=1")
}

/// Where a form posted from an item's page leads: back to the item (with `notice`
/// as its query on success), or back with the refusal shown.
fn back_to_item(
    id: Uuid,
    outcome: Result<(), Refused>,
    notice: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/courriers/{id}{notice}")).into_response()),
        Err(Refused::Invalid(errors)) => Ok(crate::amend::refused_on_item(id, &errors)),
        Err(Refused::Failed(err)) => Err(err),
    }
}

async fn send_by_mail(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    form: &SendForm,
    origin: &str,
) -> Result<(), Refused> {
    current.require(Action::RegisterMail)?;
    let address =
        parse_email(&form.email)?.ok_or_else(|| InvalidInput::new("email", Reason::Required))?;
    let locale: Locale = form.langue.parse().unwrap_or(current.user.locale);
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    let (record, _) = issue(&tx, &item, now).await?;
    let recipient = AckRecipient {
        address: address.clone(),
        locale,
        tracking_link: None,
    };
    send(state, &tx, &current.tenant, &record, recipient, now).await?;
    let details = serde_json::json!({
        "verification_code": record.verification_code.as_str(),
        "sent_to": address,
    });
    tx.journal()
        .append(
            current.item_event("item.acknowledged", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Deserialize)]
pub(crate) struct RejectForm {
    #[serde(default)]
    motif: String,
}

/// `POST /courriers/{id}/rejeter-depot`: the bureau d'ordre sets aside a filing
/// that is not mail (advertising, abuse); the draft leaves the queue, keeping the
/// reason, and the filer is told why by e-mail.
pub(crate) async fn reject_filing(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(form): CsrfForm<RejectForm>,
) -> Result<Response, AppError> {
    let outcome = reject(&state, &current, id, &form.motif, &origin).await;
    back_to_item(id, outcome, "")
}

async fn reject(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    reason: &str,
    origin: &str,
) -> Result<(), Refused> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    // Whose item it is comes first: another administration learns nothing, not
    // even whether its reason would have been accepted.
    let item = visible_item(&tx, current, id).await?;
    let reason = check_reason(reason)?;
    let filing = tx
        .filings()
        .for_item(item.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    if !tx.filings().reject(filing.id, &reason, now).await?
        || !tx
            .items()
            .cancel_draft(item.id, &reason, current.user.id, now)
            .await?
    {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a filing still waiting to be registered can be rejected")
            .into());
    }
    let locale: Locale = filing.language.parse().unwrap_or_default();
    let (subject, body) = mail_texts::compose(
        &tx,
        EmailKind::FilingRejected,
        locale,
        &[
            ("administration", current.tenant.name.get(locale).to_owned()),
            ("subject", item.content.subject.clone()),
            ("code", filing.tracking_code.display()),
            ("reason", reason.clone()),
        ],
    )
    .await?;
    tx.outbox()
        .enqueue(
            OutgoingEmail {
                to: filing.email.clone(),
                subject,
                body,
                language: Some(locale),
                expires_at: None,
                attachment: None,
            },
            now,
        )
        .await?;
    let details =
        serde_json::json!({ "reason": reason, "tracking_code": filing.tracking_code.as_str() });
    tx.journal()
        .append(
            current.item_event("item.filing_rejected", item.id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The registered replies to an item (outgoing items linked as replying to it).
pub async fn registered_replies(tx: &TenantTx, item: Uuid) -> Result<Vec<ItemRecord>, AppError> {
    let mut replies = Vec::new();
    for link in tx.items().links(item).await? {
        if link.outgoing || link.kind != ordo_db::LinkKind::RepliesTo {
            continue;
        }
        if let Some(reply) = tx.items().find(link.other).await?
            && reply.status == ordo_domain::ItemStatus::Registered
        {
            replies.push(reply);
        }
    }
    Ok(replies)
}

/// A form whose only field is its CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct NoFields {}

/// `POST /courriers/{id}/reponse-portail`: hands the registered reply over to the
/// filer through the portal: their tracking page offers its documents, and they
/// are told by e-mail.
pub(crate) async fn publish_reply(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    CsrfForm(_): CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, &current, id).await?;
    let filing = tx
        .filings()
        .for_item(item.id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let reply = registered_replies(&tx, item.id)
        .await?
        .into_iter()
        .max_by_key(|r| r.registered_at)
        .ok_or_else(|| {
            AppError::new(ErrorKind::Conflict).with_detail("no registered reply to hand over")
        })?;
    if !tx.filings().publish_reply(filing.id, reply.id, now).await? {
        return Err(
            AppError::new(ErrorKind::Conflict).with_detail("a reply was already handed over")
        );
    }
    let locale: Locale = filing.language.parse().unwrap_or_default();
    let (subject, body) = mail_texts::compose(
        &tx,
        EmailKind::ReplyPublished,
        locale,
        &[
            ("administration", current.tenant.name.get(locale).to_owned()),
            ("subject", item.content.subject.clone()),
            (
                "link",
                tracking_link(&state, &current.tenant, &filing.tracking_code),
            ),
        ],
    )
    .await?;
    tx.outbox()
        .enqueue(
            OutgoingEmail {
                to: filing.email.clone(),
                subject,
                body,
                language: Some(locale),
                expires_at: None,
                attachment: None,
            },
            now,
        )
        .await?;
    let details = serde_json::json!({ "reply": reply.number });
    tx.journal()
        .append(
            current.item_event("item.reply_published", item.id, details, &origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/courriers/{id}")).into_response())
}

/// What the item page shows of a filing and of the acknowledgment.
#[derive(Debug, Serialize)]
pub(crate) struct PortalPanel {
    filing: Option<FilingView>,
    acknowledgment: Option<AckView>,
    can_acknowledge: bool,
    /// A registered reply exists and none was handed over yet.
    can_publish_reply: bool,
    reply_published_at: Option<String>,
}

#[derive(Debug, Serialize)]
struct FilingView {
    kind: &'static str,
    name: String,
    email: String,
    phone: String,
    address: String,
    message: String,
    language: String,
    filed_at: String,
    rejected_reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct AckView {
    code: String,
    issued_at: String,
    verification_url: String,
}

pub(crate) async fn portal_panel(
    state: &AppState,
    tx: &TenantTx,
    current: &CurrentUser,
    item: &ItemRecord,
) -> Result<PortalPanel, AppError> {
    let zone = current.tenant.time_zone;
    let may_register = current.may(Action::RegisterMail);
    let filing = tx.filings().for_item(item.id).await?;
    let acknowledgment = tx.acknowledgments().for_item(item.id).await?;
    let registered = item.status == ordo_domain::ItemStatus::Registered;
    let can_publish_reply = may_register
        && registered
        && filing.as_ref().is_some_and(|f| f.reply.is_none())
        && !registered_replies(tx, item.id).await?.is_empty();
    Ok(PortalPanel {
        reply_published_at: filing
            .as_ref()
            .and_then(|f| f.reply)
            .map(|(_, at)| local_time(at, zone)),
        filing: filing.map(|f| FilingView {
            kind: f.filer_kind.code(),
            name: f.name,
            email: f.email,
            phone: f.phone,
            address: f.address,
            message: f.message,
            language: f.language,
            filed_at: local_time(f.filed_at, zone),
            rejected_reason: f.rejected.map(|(_, reason)| reason),
        }),
        acknowledgment: acknowledgment.map(|a| AckView {
            code: a.verification_code.display(),
            issued_at: local_time(a.issued_at, zone),
            verification_url: verification_url(state, &current.tenant, &a.verification_code),
        }),
        can_acknowledge: may_register && registered,
        can_publish_reply,
    })
}
