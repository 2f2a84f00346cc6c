//! What the secretariat does to an item, as plain logic over the repositories: draft
//! it, register it (the act that gives it its legal number), correct it (a new
//! version with a reason), cancel it (the number stays taken), link it, add documents.
//! Each act is one transaction with its journal entry; the pages and the API call
//! these functions and only shape their answers.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use ordo_db::{
    CorrespondentRecord, DocumentRecord, DocumentRole, GivenNumber, ItemContent, ItemRecord,
    ItemVersion, LinkKind, NewDocument, RegisterRecord, RegistrationSettings, TenantTx,
};
use ordo_domain::{
    InvalidInput, ItemStatus, Reason, Registration, RegistrationForm, Role, TenantId, Vocabulary,
    check_reason,
    permissions::{Action, may_see, may_see_item},
    registration_year,
};
use ordo_web::{AppError, AppState, CurrentUser, ErrorKind};
use uuid::Uuid;

pub use ordo_web::Refused;

use crate::acknowledgment::Acknowledgeable;

/// An item of the caller's administration that the caller may see, or 404: another
/// tenant's item, or one too confidential for this person, is "not found", so its
/// existence is not revealed. Besides the register's readers and its author, the people an item was
/// dispatched to see it, as far as its confidentiality allows
/// (`permissions::may_see_item`).
pub async fn visible_item(
    tx: &TenantTx,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ItemRecord, AppError> {
    let item = tx.items().find(id).await?.ok_or_else(AppError::not_found)?;
    let roles = &current.user.roles;
    // The register's readers, and whoever wrote the item (an agent's reply draft).
    if may_see(roles, item.confidentiality()) || item.created_by == Some(current.user.id) {
        return Ok(item);
    }
    let reach = tx
        .dispatches()
        .reach(
            item.id,
            current.user.id,
            current.user.unit_id,
            current.has_role(Role::UnitHead),
        )
        .await?;
    if may_see_item(roles, item.confidentiality(), reach) {
        Ok(item)
    } else {
        Err(AppError::not_found())
    }
}

/// A register of the caller's administration, or 404.
pub async fn find_register(
    state: &AppState,
    tenant: TenantId,
    register: Uuid,
) -> Result<RegisterRecord, AppError> {
    Ok(register_and_settings(state, tenant, register).await?.0)
}

/// A register and the settings its forms are checked against, the vocabulary first
/// (as the replica keeps them: see `Database::registration_settings`).
pub async fn register_and_settings(
    state: &AppState,
    tenant: TenantId,
    register: Uuid,
) -> Result<(RegisterRecord, Arc<RegistrationSettings>), AppError> {
    let settings = state.db.registration_settings(tenant).await?;
    let found = settings
        .register(register)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    Ok((found, settings))
}

/// What arrives to register or draft an item: the typed form, the directory entries
/// the client already picked (the API may name them), and the stored documents.
#[derive(Debug, Default)]
pub struct Submission {
    pub form: RegistrationForm,
    pub sender_id: Option<Uuid>,
    pub recipient_ids: Vec<Uuid>,
    /// Identifies this filling of a form or this API call: resubmitting it returns
    /// the first registration.
    pub key: Option<String>,
    pub documents: Vec<NewDocument>,
}

/// Resolves the sender to a directory entry: the one named by id (which must exist,
/// and whose name then stands), else the entry the typed name stands for (added when
/// new).
async fn resolve_sender(
    tx: &TenantTx,
    registration: &mut Registration,
    sender_id: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<Option<CorrespondentRecord>, Refused> {
    if let Some(id) = sender_id {
        let found = tx
            .correspondents()
            .find(id)
            .await?
            .ok_or_else(|| InvalidInput::new("sender_id", Reason::UnknownCorrespondent))?;
        registration.sender.clone_from(&found.name);
        return Ok(Some(found));
    }
    if registration.sender.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        tx.correspondents()
            .resolve_name(&registration.sender, now)
            .await?,
    ))
}

/// Resolves the recipients like the sender: by ids (their names then stand), else
/// each typed name.
async fn resolve_recipients(
    tx: &TenantTx,
    registration: &mut Registration,
    recipient_ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, Refused> {
    let mut resolved = Vec::new();
    if recipient_ids.len() > ordo_domain::MAX_RECIPIENTS {
        return Err(InvalidInput::new(
            "recipient_ids",
            Reason::TooManyRecipients {
                max: ordo_domain::MAX_RECIPIENTS,
            },
        )
        .into());
    }
    if !recipient_ids.is_empty() {
        let mut names = Vec::new();
        for id in recipient_ids {
            let found =
                tx.correspondents().find(*id).await?.ok_or_else(|| {
                    InvalidInput::new("recipient_ids", Reason::UnknownCorrespondent)
                })?;
            names.push(found.name);
            resolved.push(found.id);
        }
        registration.recipient = names.join("; ");
        return Ok(resolved);
    }
    for name in registration.recipients() {
        resolved.push(tx.correspondents().resolve_name(name, now).await?.id);
    }
    Ok(resolved)
}

/// Resolves sender and recipients (see `resolve_sender`, `resolve_recipients`); also
/// gives the sender's address in the directory.
async fn resolve_parties(
    tx: &TenantTx,
    mut registration: Registration,
    sender_id: Option<Uuid>,
    recipient_ids: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(ItemContent, Option<String>), Refused> {
    let sender = resolve_sender(tx, &mut registration, sender_id, now).await?;
    let recipient_ids = resolve_recipients(tx, &mut registration, recipient_ids, now).await?;
    let (sender_id, sender_email) = sender.map_or((None, None), |s| (Some(s.id), s.email));
    let content = ItemContent {
        registration,
        sender_id,
        recipient_ids,
    };
    Ok((content, sender_email))
}

/// Names picked from the directory by id stand for typed names left empty.
async fn names_from_directory(
    tx: &TenantTx,
    form: &mut RegistrationForm,
    sender_id: Option<Uuid>,
    recipient_ids: &[Uuid],
) -> Result<(), Refused> {
    if let Some(id) = sender_id
        && form.sender.trim().is_empty()
        && let Some(entry) = tx.correspondents().find(id).await?
    {
        form.sender = entry.name;
    }
    if !recipient_ids.is_empty() && form.recipient.trim().is_empty() {
        let mut names = Vec::new();
        for id in recipient_ids {
            if let Some(entry) = tx.correspondents().find(*id).await? {
                names.push(entry.name);
            }
        }
        form.recipient = names.join("; ");
    }
    Ok(())
}

/// What the journal says of an item: its subject and sender when anyone who may
/// read the journal may see it; only its confidentiality otherwise (the journal's
/// readers are not all cleared for confidential mail).
fn described(item: &Registration) -> serde_json::Value {
    match item.confidentiality {
        ordo_domain::Confidentiality::Normal => serde_json::json!({
            "subject": item.subject,
            "sender": item.sender,
        }),
        other => serde_json::json!({ "confidentiality": other.code() }),
    }
}

/// The fields of a version as the history keeps them.
fn snapshot(content: &ItemContent) -> serde_json::Value {
    let r = &content.registration;
    serde_json::json!({
        "subject": r.subject,
        "sender": r.sender,
        "sender_id": content.sender_id,
        "recipient": r.recipient,
        "recipient_ids": content.recipient_ids,
        "letter_date": r.letter_date,
        "received_at": r.received_at,
        "nature": r.nature,
        "channel": r.channel.code(),
        "priority": r.priority,
        "confidentiality": r.confidentiality.code(),
        "keywords": r.keywords,
        "paper_location": r.paper_location,
    })
}

fn fingerprints<'a>(documents: impl IntoIterator<Item = &'a NewDocument>) -> serde_json::Value {
    documents
        .into_iter()
        .map(|d| {
            serde_json::json!({
                "role": d.role.code(),
                "file": d.file_name,
                "size": d.size,
                "sha256": d.sha256,
            })
        })
        .collect()
}

/// Gives the next number of `register`'s current year (in the administration's
/// zone) and says when the item falls due.
async fn next_number(
    tx: &TenantTx,
    current: &CurrentUser,
    register: &RegisterRecord,
    settings: &RegistrationSettings,
    registration: &Registration,
    now: DateTime<Utc>,
) -> Result<GivenNumber, Refused> {
    let zone = current.tenant.time_zone;
    let year = registration_year(now, zone);
    let registered_on = now.with_timezone(&zone.tz()).date_naive();
    let vocabulary = &settings.vocabulary;
    let due_on = match vocabulary.processing_days(&registration.nature, &registration.priority) {
        Some(_) => vocabulary.due_date(
            registered_on,
            &registration.nature,
            &registration.priority,
            &settings.calendar(&current.tenant.weekend)?,
        ),
        None => None,
    };
    let sequence = tx.registers().next_sequence(register.id, year).await?;
    Ok(GivenNumber {
        year,
        sequence,
        number: register.number_format.format(year, sequence),
        due_on,
    })
}

/// A registration made, or found again for a resubmitted key.
#[derive(Debug)]
pub struct Registered {
    pub item: ItemRecord,
    /// Its documents, the main one first.
    pub documents: Vec<DocumentRecord>,
    /// The key had already registered this item: nothing new was written.
    pub replayed: bool,
}

impl Registered {
    /// The item a resubmitted key registered first, with its documents.
    async fn found_again(tx: &TenantTx, item: ItemRecord) -> Result<Self, AppError> {
        let documents = tx.documents().for_item(item.id).await?;
        Ok(Self {
            item,
            documents,
            replayed: true,
        })
    }
}

/// A registration ready to be stored: its register, its checked content with the
/// parties resolved, its number, and the sender's address in the directory (where the
/// acknowledgment goes).
struct Numbered {
    register: RegisterRecord,
    content: ItemContent,
    given: GivenNumber,
    sender_email: Option<String>,
}

/// What every registration does after its own checks: finds the register in the
/// administration's `settings`, checks the form against their vocabulary, resolves
/// the parties in the directory, and takes the next number (which locks the
/// register's counter until commit).
///
/// The settings are read before the registration's transaction begins
/// (`Database::registration_settings`): as this replica keeps them, with no round
/// trip, or else in a read of their own, so SQLite's write lock, which every other
/// registration waits for, is not held over those reads. A change committed in
/// between applies from the next registration on, as when a replica's kept settings
/// wait to hear of a change.
async fn numbered_content(
    tx: &TenantTx,
    current: &CurrentUser,
    settings: &RegistrationSettings,
    register: Uuid,
    submission: &mut Submission,
    now: DateTime<Utc>,
) -> Result<Numbered, Refused> {
    let register = settings
        .register(register)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    let mut form = std::mem::take(&mut submission.form);
    names_from_directory(
        tx,
        &mut form,
        submission.sender_id,
        &submission.recipient_ids,
    )
    .await?;
    let registration = form
        .validate(now, current.tenant.time_zone, &settings.vocabulary)
        .map_err(Refused::Invalid)?;
    let (content, sender_email) = resolve_parties(
        tx,
        registration,
        submission.sender_id,
        &submission.recipient_ids,
        now,
    )
    .await?;
    let given = next_number(tx, current, &register, settings, &content.registration, now).await?;
    Ok(Numbered {
        register,
        content,
        given,
        sender_email,
    })
}

/// Registers a new item in `register` at once: checks the form against `settings`
/// (those the caller read before storing any file, from
/// `Database::registration_settings`), takes the next number, stores the item, its
/// documents and its journal entry in one transaction. Resubmitting the same key
/// returns the item it first registered.
pub async fn register_mail(
    state: &AppState,
    current: &CurrentUser,
    settings: &RegistrationSettings,
    register: Uuid,
    mut submission: Submission,
    origin: &str,
) -> Result<Registered, Refused> {
    current.require(Action::RegisterMail)?;
    let key = submission
        .key
        .as_deref()
        .map(|k| stored_submission_key(current, k));
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    if let Some(item) = already_registered(&tx, current, key.as_deref(), register).await? {
        return Ok(Registered::found_again(&tx, item).await?);
    }
    let Numbered {
        register,
        content,
        given,
        sender_email,
    } = numbered_content(&tx, current, settings, register, &mut submission, now).await?;
    let number = given.number.clone();
    let details = serde_json::json!({
        "number": number,
        "register": register.code,
        "item": described(&content.registration),
        "documents": fingerprints(&submission.documents),
    });
    let inserted = tx
        .items()
        .insert_registered(
            register.id,
            content,
            given,
            current.user.id,
            key.as_deref(),
            now,
            |id| current.item_event("item.registered", id, details, origin),
        )
        .await;
    let item = match (inserted, key.as_deref()) {
        (Ok(item), _) => item,
        // The same submission won a race: this transaction rolls back, its number is
        // given back, and the first registration is the answer.
        (Err(ordo_db::DbError::Conflict(detail)), Some(key)) if detail.contains("submission") => {
            drop(tx);
            let tx = state.db.tenant_read(current.tenant.id).await?;
            let first = already_registered(&tx, current, Some(key), register.id).await?;
            let item = first.ok_or_else(|| AppError::internal("lost submission"))?;
            let registered = Registered::found_again(&tx, item).await?;
            tx.commit().await?;
            return Ok(registered);
        }
        // Two registers whose formats give the same text: refused, number given back.
        (Err(ordo_db::DbError::Conflict(detail)), _) => {
            return Err(AppError::new(ErrorKind::Conflict)
                .with_detail(format!(
                    "{number} is already the number of an item of another register: their number formats must differ ({detail})"
                ))
                .into());
        }
        (Err(err), _) => return Err(err.into()),
    };
    let mut documents = Vec::with_capacity(submission.documents.len());
    for document in submission.documents {
        documents.push(
            tx.documents()
                .insert(item.id, document, current.user.id, now)
                .await?,
        );
    }
    ordo_db::main_first(&mut documents);
    // Registered at once, so never filed on the portal.
    let registered = Acknowledgeable {
        item: &item,
        direction: register.direction,
        filing: None,
        sender_email: sender_email.as_deref(),
    };
    crate::acknowledgment::acknowledge_registration(state, &tx, current, registered, origin, now)
        .await?;
    tx.commit().await?;
    tracing::info!(number = %number, "item registered");
    Ok(Registered {
        item,
        documents,
        replayed: false,
    })
}

/// Saves a new draft in `register`: whatever is typed, well formed, and its scan.
pub async fn create_draft(
    state: &AppState,
    current: &CurrentUser,
    register: Uuid,
    submission: Submission,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    let mut drafts = create_drafts(state, current, register, vec![submission], origin).await?;
    drafts
        .pop()
        .ok_or_else(|| AppError::internal("no draft made").into())
}

/// Saves several drafts in `register` in one transaction: a pile of scans becomes
/// drafts all together, or not at all.
pub async fn create_drafts(
    state: &AppState,
    current: &CurrentUser,
    register: Uuid,
    submissions: Vec<Submission>,
    origin: &str,
) -> Result<Vec<ItemRecord>, Refused> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let settings = tx.registration_settings().await?;
    let register = settings
        .register(register)
        .ok_or_else(AppError::not_found)?;
    let vocabulary = &settings.vocabulary;
    let mut drafts = Vec::new();
    for submission in submissions {
        drafts.push(draft_one(&tx, current, register, vocabulary, submission, origin, now).await?);
    }
    tx.commit().await?;
    Ok(drafts)
}

async fn draft_one(
    tx: &TenantTx,
    current: &CurrentUser,
    register: &RegisterRecord,
    vocabulary: &Vocabulary,
    submission: Submission,
    origin: &str,
    now: DateTime<Utc>,
) -> Result<ItemRecord, Refused> {
    let draft = submission
        .form
        .validate_draft(now, current.tenant.time_zone, vocabulary)
        .map_err(Refused::Invalid)?;
    let content = ItemContent {
        registration: draft,
        sender_id: None,
        recipient_ids: Vec::new(),
    };
    let item = tx
        .items()
        .insert_draft(register.id, content, current.user.id, now)
        .await?;
    let details = serde_json::json!({
        "register": register.code,
        "documents": fingerprints(&submission.documents),
    });
    for document in submission.documents {
        tx.documents()
            .insert(item.id, document, current.user.id, now)
            .await?;
    }
    tx.journal()
        .append(
            current.item_event("item.drafted", item.id, details, origin),
            now,
        )
        .await?;
    Ok(item)
}

/// Drafts the reply to `incoming`, in `tx`: an outgoing item addressed to its sender,
/// about its subject, of its nature and confidentiality, linked as replying to it.
/// The outgoing register is the one of the incoming item's unit, else the first
/// outgoing register. The caller has decided that this person may draft it (they
/// handle the item); the bureau d'ordre registers it when it leaves.
pub async fn draft_reply(
    tx: &TenantTx,
    current: &CurrentUser,
    incoming: &ItemRecord,
    origin: &str,
    now: DateTime<Utc>,
) -> Result<ItemRecord, Refused> {
    let settings = tx.registration_settings().await?;
    let registers = &settings.registers;
    let unit = registers
        .iter()
        .find(|r| r.id == incoming.register_id)
        .map(|r| r.unit_id);
    let outgoing = registers
        .iter()
        .filter(|r| r.direction == ordo_domain::MailDirection::Outgoing)
        .min_by_key(|r| Some(r.unit_id) != unit)
        .ok_or_else(|| InvalidInput::new("register", Reason::UnknownValue))?;
    let locale = current.user.locale;
    let asked = &incoming.content;
    let reply = Registration {
        subject: ordo_web::i18n::tr_args(
            locale,
            "reply-subject",
            vec![("subject".into(), asked.subject.clone().into())],
        ),
        recipient: asked.sender.clone(),
        sender: current.tenant.name.get(locale).to_owned(),
        letter_date: None,
        received_at: None,
        keywords: asked.keywords.clone(),
        paper_location: String::new(),
        ..asked.clone()
    };
    let content = ItemContent {
        registration: reply,
        sender_id: None,
        recipient_ids: incoming.sender_id.into_iter().collect(),
    };
    let draft = tx
        .items()
        .insert_draft(outgoing.id, content, current.user.id, now)
        .await?;
    tx.items()
        .link(
            draft.id,
            incoming.id,
            LinkKind::RepliesTo,
            current.user.id,
            now,
        )
        .await?;
    let details = serde_json::json!({
        "register": outgoing.code,
        "replies_to": incoming.number,
    });
    tx.journal()
        .append(
            current.item_event("item.reply_drafted", draft.id, details, origin),
            now,
        )
        .await?;
    Ok(draft)
}

/// The draft `id`, or a conflict when it has been registered meanwhile.
async fn live_draft(
    tx: &TenantTx,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ItemRecord, AppError> {
    let item = visible_item(tx, current, id).await?;
    if item.status != ItemStatus::Draft {
        return Err(
            AppError::new(ErrorKind::Conflict).with_detail("this item is no longer a draft")
        );
    }
    Ok(item)
}

/// Saves a draft's fields without registering it.
pub async fn save_draft(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    form: &RegistrationForm,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    live_draft(&tx, current, id).await?;
    let settings = tx.registration_settings().await?;
    let vocabulary = &settings.vocabulary;
    let draft = form
        .validate_draft(now, current.tenant.time_zone, vocabulary)
        .map_err(Refused::Invalid)?;
    let content = ItemContent {
        registration: draft,
        sender_id: None,
        recipient_ids: Vec::new(),
    };
    if !tx.items().update_draft(id, content, now).await? {
        return Err(AppError::new(ErrorKind::Conflict).into());
    }
    let item = visible_item(&tx, current, id).await?;
    let details = serde_json::json!({ "item": described(&item.content) });
    tx.journal()
        .append(
            current.item_event("item.draft_saved", id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(item)
}

/// Registers a draft: its completed fields are checked, it takes the next number of
/// its register, and its documents (already stored) are fingerprinted in the entry.
pub async fn register_draft(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    mut submission: Submission,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let settings = state.db.registration_settings(current.tenant.id).await?;
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let draft = live_draft(&tx, current, id).await?;
    let filing = tx.filings().for_item(id).await?;
    if filing
        .as_ref()
        .is_some_and(|filing| filing.confirmed_at.is_none())
    {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("its filer has not confirmed their e-mail address yet")
            .into());
    }
    let Numbered {
        register,
        content,
        given,
        sender_email,
    } = numbered_content(
        &tx,
        current,
        &settings,
        draft.register_id,
        &mut submission,
        now,
    )
    .await?;
    let number = given.number.clone();
    let item = tx
        .items()
        .register_draft(id, content, given, current.user.id, now)
        .await?
        .ok_or_else(|| AppError::new(ErrorKind::Conflict).with_detail("registered meanwhile"))?;
    let documents: Vec<NewDocument> = tx
        .documents()
        .for_item(id)
        .await?
        .into_iter()
        .map(|d| NewDocument {
            role: d.role,
            file_name: d.file_name,
            media_type: d.media_type,
            size: d.size,
            sha256: d.sha256,
            object_key: d.object_key,
        })
        .collect();
    let details = serde_json::json!({
        "number": number,
        "register": register.code,
        "item": described(&item.content),
        "documents": fingerprints(&documents),
    });
    tx.journal()
        .append(
            current.item_event("item.registered", id, details, origin),
            now,
        )
        .await?;
    // Mail that came through the exchange: its sender is told this number.
    ordo_exchange::arrival::on_registered(&tx, &current.tenant, &item, now).await?;
    let registered = Acknowledgeable {
        item: &item,
        direction: register.direction,
        filing: filing.as_ref(),
        sender_email: sender_email.as_deref(),
    };
    crate::acknowledgment::acknowledge_registration(state, &tx, current, registered, origin, now)
        .await?;
    tx.commit().await?;
    tracing::info!(number = %number, "draft registered");
    Ok(item)
}

/// An item's current fields as the form that would give them.
pub fn form_of(item: &ItemRecord, zone: ordo_domain::TimeZone) -> RegistrationForm {
    let c = &item.content;
    RegistrationForm {
        subject: c.subject.clone(),
        sender: c.sender.clone(),
        recipient: c.recipient.clone(),
        letter_date: c
            .letter_date
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        received_at: local_minute(item.received_at, zone),
        nature: c.nature.clone(),
        channel: c.channel.code().to_owned(),
        priority: c.priority.clone(),
        confidentiality: c.confidentiality.code().to_owned(),
        keywords: c.keywords.clone(),
        paper_location: c.paper_location.clone(),
    }
}

/// The minute a person reads and retypes for a moment, in the administration's zone.
pub fn local_minute(at: DateTime<Utc>, zone: ordo_domain::TimeZone) -> String {
    at.with_timezone(&zone.tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Corrects a registered item: its fields become a new version, kept with the reason
/// beside every earlier one; the number, the registration time and the original
/// documents never change.
pub async fn correct(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    submission: Submission,
    reason: &str,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::AmendRegistration)?;
    let now = state.clock.now();
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    if item.status != ItemStatus::Registered {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a registered item can be corrected")
            .into());
    }
    let settings = tx.registration_settings().await?;
    let vocabulary = &settings.vocabulary;
    let mut form = submission.form;
    names_from_directory(
        &tx,
        &mut form,
        submission.sender_id,
        &submission.recipient_ids,
    )
    .await?;
    // The form shows the reception to the minute; unchanged, it keeps its seconds.
    let unchanged_reception = form.received_at.trim() == local_minute(item.received_at, zone);
    if unchanged_reception {
        form.received_at.clear();
    }
    let validated = form.validate(now, zone, vocabulary);
    let reason = check_reason(reason);
    let (mut corrected, reason) = match (validated, reason) {
        (Ok(corrected), Ok(reason)) => (corrected, reason),
        (validated, reason) => {
            let mut errors = validated.err().unwrap_or_default();
            errors.extend(reason.err());
            return Err(Refused::Invalid(errors));
        }
    };
    if unchanged_reception {
        corrected.received_at = Some(item.received_at);
    }
    let changed = item.content.changed_fields(&corrected);
    let picks_sender = submission.sender_id.is_some() && submission.sender_id != item.sender_id;
    let picks_recipients =
        !submission.recipient_ids.is_empty() && submission.recipient_ids != item.recipient_ids;
    if changed.is_empty() && !picks_sender && !picks_recipients {
        return Err(InvalidInput::new("correction", Reason::NothingChanged).into());
    }
    // A party left as it was keeps its directory entries; a changed one is resolved.
    let sender_id = if picks_sender || changed.contains(&"sender") {
        resolve_sender(&tx, &mut corrected, submission.sender_id, now)
            .await?
            .map(|sender| sender.id)
    } else {
        item.sender_id
    };
    let recipient_ids = if picks_recipients || changed.contains(&"recipient") {
        resolve_recipients(&tx, &mut corrected, &submission.recipient_ids, now).await?
    } else {
        item.recipient_ids.clone()
    };
    let content = ItemContent {
        registration: corrected,
        sender_id,
        recipient_ids,
    };
    if item.version == 1 {
        let original = ItemContent {
            registration: item.content.clone(),
            sender_id: item.sender_id,
            recipient_ids: item.recipient_ids.clone(),
        };
        tx.items()
            .add_version(
                id,
                ItemVersion {
                    version: 1,
                    fields: snapshot(&original),
                    reason: None,
                    author_id: item.registered_by.unwrap_or(current.user.id),
                    at: item.registered_at.unwrap_or(item.received_at),
                },
            )
            .await?;
    }
    let version = item.version + 1;
    let registered_on = item
        .registered_at
        .unwrap_or(now)
        .with_timezone(&zone.tz())
        .date_naive();
    let calendar = settings.calendar(&current.tenant.weekend)?;
    let due_on = vocabulary.due_date(
        registered_on,
        &content.registration.nature,
        &content.registration.priority,
        &calendar,
    );
    let fields = snapshot(&content);
    if !tx
        .items()
        .correct(id, content, version, due_on, now)
        .await?
    {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("corrected meanwhile")
            .into());
    }
    tx.items()
        .add_version(
            id,
            ItemVersion {
                version,
                fields,
                reason: Some(reason.clone()),
                author_id: current.user.id,
                at: now,
            },
        )
        .await?;
    let details = serde_json::json!({
        "number": item.number,
        "version": version,
        "fields": changed,
        "reason": reason,
    });
    tx.journal()
        .append(
            current.item_event("item.corrected", id, details, origin),
            now,
        )
        .await?;
    let corrected = visible_item(&tx, current, id).await?;
    tx.commit().await?;
    Ok(corrected)
}

/// Cancels a registration: the item keeps its number, marked cancelled with the reason.
pub async fn cancel(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    reason: &str,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::AmendRegistration)?;
    let reason = check_reason(reason)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    if !tx.items().cancel(id, &reason, current.user.id, now).await? {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("only a registered item can be cancelled")
            .into());
    }
    let details = serde_json::json!({ "number": item.number, "reason": reason });
    tx.journal()
        .append(
            current.item_event("item.cancelled", id, details, origin),
            now,
        )
        .await?;
    let cancelled = visible_item(&tx, current, id).await?;
    tx.commit().await?;
    Ok(cancelled)
}

/// Links item `id` to another one, named by its registration number or its id.
pub async fn link(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    kind: &str,
    other: &str,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::RegisterMail)?;
    let kind = LinkKind::parse(kind)
        .ok_or_else(|| InvalidInput::new("link_kind", Reason::UnknownValue))?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    let other = other.trim();
    if other.is_empty() {
        return Err(InvalidInput::new("link_to", Reason::Required).into());
    }
    let found = match Uuid::parse_str(other) {
        Ok(other_id) => tx.items().find(other_id).await?,
        Err(_) => tx.items().find_by_number(other).await?,
    };
    let target = found
        .filter(|target| may_see(&current.user.roles, target.confidentiality()))
        .filter(|target| target.id != item.id)
        .ok_or_else(|| InvalidInput::new("link_to", Reason::UnknownItem))?;
    if tx
        .items()
        .link(item.id, target.id, kind, current.user.id, now)
        .await?
    {
        let details = serde_json::json!({
            "kind": kind.code(),
            "to": target.id,
            "to_number": target.number,
        });
        tx.journal()
            .append(
                current.item_event("item.linked", item.id, details, origin),
                now,
            )
            .await?;
    }
    tx.commit().await?;
    Ok(target)
}

/// Adds documents to an item already stored: attachments at any time, the main
/// document only to a draft that has none (a registration's original never changes).
pub async fn add_documents(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
    documents: Vec<NewDocument>,
    origin: &str,
) -> Result<(), Refused> {
    current.require(Action::RegisterMail)?;
    let now = state.clock.now();
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let item = visible_item(&tx, current, id).await?;
    let has_main = tx
        .documents()
        .for_item(id)
        .await?
        .iter()
        .any(|d| d.role == DocumentRole::Main);
    let adds_main = documents.iter().any(|d| d.role == DocumentRole::Main);
    if adds_main && (has_main || item.status != ItemStatus::Draft) {
        return Err(AppError::new(ErrorKind::Conflict)
            .with_detail("the main document is set once, before registration")
            .into());
    }
    let details = serde_json::json!({ "documents": fingerprints(&documents) });
    for document in documents {
        tx.documents()
            .insert(id, document, current.user.id, now)
            .await?;
    }
    tx.journal()
        .append(
            current.item_event("document.added", id, details, origin),
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The item this person's key (as sent) already registered in `register`, if any:
/// a retry, answered before anything of it is stored again.
pub async fn find_replay(
    state: &AppState,
    current: &CurrentUser,
    key: &str,
    register: Uuid,
) -> Result<Option<Registered>, AppError> {
    let stored = stored_submission_key(current, key);
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let found = match already_registered(&tx, current, Some(&stored), register).await? {
        Some(item) => Some(Registered::found_again(&tx, item).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(found)
}

/// How a submission key is stored: the SHA-256 of the person and their key, so two
/// people (or two integrations) using the same key never meet, and any key fits.
fn stored_submission_key(current: &CurrentUser, key: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("{}\0{key}", current.user.id)))
}

/// The item this person already registered with this (stored) submission key, if
/// any, provided they may still see it. The same key used for another register is a
/// conflict, never the other item.
async fn already_registered(
    tx: &TenantTx,
    current: &CurrentUser,
    stored_key: Option<&str>,
    register: Uuid,
) -> Result<Option<ItemRecord>, AppError> {
    let Some(key) = stored_key else {
        return Ok(None);
    };
    match tx.items().find_by_submission(key).await? {
        Some(item) if item.register_id != register => Err(AppError::new(ErrorKind::Conflict)
            .with_detail("submission key already used for another register")),
        Some(item) if may_see(&current.user.roles, item.confidentiality()) => Ok(Some(item)),
        Some(_) => Err(AppError::not_found()),
        None => Ok(None),
    }
}
