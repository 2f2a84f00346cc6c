//! Capture for the secretariat: the registration screen (new item or draft to
//! complete, the scan beside the form), saving drafts, and batch upload of a pile
//! of scans that become drafts.

use std::collections::HashMap;

use axum::{
    extract::{Multipart, Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use ordo_db::{DocumentRecord, DocumentRole, ItemRecord, NewDocument, RegisterRecord};
use ordo_domain::{
    Channel, Confidentiality, InvalidInput, ItemStatus, Reason, RegistrationForm, Vocabulary,
    permissions::Action,
};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser, ErrorKind, Frame, csrf, i18n};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    documents::{MAX_FILES, UploadError, field_stream, store_upload},
    registration::{self, Refused, Submission, register_and_settings, visible_item},
};

/// The form as typed, with the defaults a secretariat wants for a paper letter.
#[derive(Debug, Default, Deserialize, Serialize, Clone)]
pub(crate) struct FormFields {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub sender: String,
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub letter_date: String,
    #[serde(default)]
    pub received_at: String,
    #[serde(default)]
    pub nature: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub confidentiality: String,
    #[serde(default)]
    pub keywords: String,
    #[serde(default)]
    pub paper_location: String,
    /// Why a registered item is corrected (correction form only).
    #[serde(default)]
    pub reason: String,
    /// Identifies this filling of the form: a double submission registers once.
    #[serde(default, skip_serializing)]
    pub submission: String,
}

impl FormFields {
    fn defaults(vocabulary: &Vocabulary) -> Self {
        let first = |terms: &[ordo_domain::Term], preferred: &str| {
            terms
                .iter()
                .find(|t| t.code == preferred)
                .or(terms.first())
                .map(|t| t.code.clone())
                .unwrap_or_default()
        };
        Self {
            nature: first(&vocabulary.natures, "letter"),
            channel: Channel::Counter.code().to_owned(),
            priority: first(&vocabulary.priorities, "normal"),
            confidentiality: Confidentiality::Normal.code().to_owned(),
            ..Self::default()
        }
    }

    /// The form showing an item's current fields.
    pub(crate) fn of_item(item: &ItemRecord, zone: ordo_domain::TimeZone) -> Self {
        let f = registration::form_of(item, zone);
        Self {
            subject: f.subject,
            sender: f.sender,
            recipient: f.recipient,
            letter_date: f.letter_date,
            received_at: f.received_at,
            nature: f.nature,
            channel: f.channel,
            priority: f.priority,
            confidentiality: f.confidentiality,
            keywords: f.keywords,
            paper_location: f.paper_location,
            ..Self::default()
        }
    }

    pub(crate) fn to_domain(&self) -> RegistrationForm {
        RegistrationForm {
            subject: self.subject.clone(),
            nature: self.nature.clone(),
            channel: self.channel.clone(),
            priority: self.priority.clone(),
            confidentiality: self.confidentiality.clone(),
            sender: self.sender.clone(),
            recipient: self.recipient.clone(),
            letter_date: self.letter_date.clone(),
            keywords: self.keywords.clone(),
            paper_location: self.paper_location.clone(),
            received_at: self.received_at.clone(),
        }
    }

    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "subject" => &mut self.subject,
            "sender" => &mut self.sender,
            "recipient" => &mut self.recipient,
            "letter_date" => &mut self.letter_date,
            "received_at" => &mut self.received_at,
            "nature" => &mut self.nature,
            "channel" => &mut self.channel,
            "priority" => &mut self.priority,
            "confidentiality" => &mut self.confidentiality,
            "keywords" => &mut self.keywords,
            "paper_location" => &mut self.paper_location,
            "reason" => &mut self.reason,
            "submission" => &mut self.submission,
            _ => return,
        };
        *slot = value;
    }
}

/// Which screen the form is: a new item, a draft to complete, or a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FormMode {
    New,
    Complete,
    Correct,
}

#[derive(Debug, Serialize)]
struct TermView {
    code: String,
    name: String,
}

/// The scan shown beside the form.
#[derive(Debug, Serialize)]
struct ScanView {
    id: Uuid,
    file_name: String,
    is_image: bool,
}

/// Everything the registration form shows besides the typed fields.
pub(crate) struct FormScreen<'a> {
    pub mode: FormMode,
    pub register: &'a RegisterRecord,
    pub vocabulary: &'a Vocabulary,
    pub item: Option<&'a ItemRecord>,
    pub scan: Option<&'a DocumentRecord>,
    pub drafts_left: usize,
    /// The number just given to the previous draft of the pile, to write on it.
    pub previous_number: Option<String>,
}

impl<'a> FormScreen<'a> {
    pub(crate) fn new_item(register: &'a RegisterRecord, vocabulary: &'a Vocabulary) -> Self {
        Self {
            mode: FormMode::New,
            register,
            vocabulary,
            item: None,
            scan: None,
            drafts_left: 0,
            previous_number: None,
        }
    }

    pub(crate) fn correction(
        register: &'a RegisterRecord,
        vocabulary: &'a Vocabulary,
        item: &'a ItemRecord,
    ) -> Self {
        Self {
            mode: FormMode::Correct,
            item: Some(item),
            ..Self::new_item(register, vocabulary)
        }
    }
}

pub(crate) fn render_form(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    screen: &FormScreen<'_>,
    form: &FormFields,
    errors: &[InvalidInput],
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let messages: HashMap<&str, String> = errors
        .iter()
        .map(|e| (e.field, i18n::invalid_input_message(frame.locale, e)))
        .collect();
    let now = state
        .clock
        .now()
        .with_timezone(&current.tenant.time_zone.tz());
    let terms = |terms: &[ordo_domain::Term]| {
        terms
            .iter()
            .map(|t| TermView {
                code: t.code.clone(),
                name: t.name.get(frame.locale).to_owned(),
            })
            .collect::<Vec<_>>()
    };
    let action = match (screen.mode, screen.item) {
        (FormMode::New, _) | (_, None) => format!("/registres/{}/nouveau", screen.register.id),
        (FormMode::Complete, Some(item)) => format!("/courriers/{}/completer", item.id),
        (FormMode::Correct, Some(item)) => format!("/courriers/{}/corriger", item.id),
    };
    let title = match screen.mode {
        FormMode::New => "register-new",
        FormMode::Complete => "draft-complete",
        FormMode::Correct => "correct-title",
    };
    let context = minijinja::context! {
        mode => screen.mode,
        action => action,
        register_id => screen.register.id,
        register_name => screen.register.name.get(frame.locale),
        number => screen.item.and_then(|i| i.number.clone()),
        item_id => screen.item.map(|i| i.id),
        form => form,
        errors => messages,
        submission => Uuid::new_v4().to_string(),
        today => now.format("%Y-%m-%d").to_string(),
        now_minute => now.format("%Y-%m-%dT%H:%M").to_string(),
        natures => terms(&screen.vocabulary.natures),
        priorities => terms(&screen.vocabulary.priorities),
        channels => Channel::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        confidentialities => Confidentiality::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        scan => screen.scan.map(|d| ScanView {
            id: d.id,
            file_name: d.file_name.clone(),
            is_image: d.media_type.starts_with("image/"),
        }),
        drafts_left => screen.drafts_left,
        previous_number => screen.previous_number,
        max_mib => current.tenant.max_document_bytes / (1024 * 1024),
    };
    let page = frame
        .for_user(current)
        .render(state, "register_form.html", title, context)?;
    Ok((status, page).into_response())
}

pub(crate) async fn new_item_form(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let (register, settings) = register_and_settings(&state, current.tenant.id, register).await?;
    let vocabulary = &settings.vocabulary;
    let screen = FormScreen::new_item(&register, vocabulary);
    render_form(
        &state,
        &current,
        frame,
        &screen,
        &FormFields::defaults(vocabulary),
        &[],
    )
}

fn bad_form(err: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorKind::InvalidInput(InvalidInput::new(
        "request",
        Reason::UnknownValue,
    )))
    .with_detail(err)
}

/// What a multipart form brought: its fields and the files stored from it.
struct Captured {
    form: FormFields,
    documents: Vec<NewDocument>,
}

/// Reads a multipart registration form: the CSRF token and typed fields first, then
/// files. The fields are checked (with `check`) before a single file byte is
/// stored; each file then streams into the tenant's store within the tenant's size
/// limit. `Err(Ok(..))` is the form with the refusals to show.
async fn capture(
    state: &AppState,
    current: &CurrentUser,
    jar: &CookieJar,
    mut multipart: Multipart,
    file_fields: &[&str],
    main_taken: bool,
    check: impl Fn(&FormFields) -> Result<(), Vec<InvalidInput>>,
) -> Result<Result<Captured, (FormFields, Vec<InvalidInput>)>, AppError> {
    let mut form = FormFields::default();
    let mut csrf_checked = false;
    let mut fields_checked = false;
    let mut documents: Vec<NewDocument> = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_form)? {
        let name = field.name().unwrap_or_default().to_owned();
        if !file_fields.contains(&name.as_str()) {
            if field.file_name().is_some() {
                continue; // a file this form does not take
            }
            let value = field.text().await.map_err(bad_form)?;
            if name == "csrf" {
                csrf::verify_token(jar, state.cookies, &value)?;
                csrf_checked = true;
            } else {
                form.set(&name, value);
            }
            continue;
        }
        if !csrf_checked {
            return Err(AppError::new(ErrorKind::CsrfRejected)
                .with_detail("a file came before the CSRF token"));
        }
        let file_name = field.file_name().unwrap_or_default().trim().to_owned();
        if file_name.is_empty() {
            continue; // the file input was left empty
        }
        if !fields_checked {
            if let Err(errors) = check(&form) {
                return Ok(Err((form, errors)));
            }
            fields_checked = true;
        }
        let limit = if name == "scans" {
            MAX_BATCH
        } else {
            MAX_FILES
        };
        if documents.len() == limit {
            let too_many = InvalidInput::new("document", Reason::TooManyFiles { max: limit });
            return Ok(Err((form, vec![too_many])));
        }
        let main_present = main_taken || documents.iter().any(|d| d.role == DocumentRole::Main);
        let role = if (name == "document" && !main_present) || name == "scans" {
            DocumentRole::Main
        } else {
            DocumentRole::Attachment
        };
        let declared = field.content_type().map(str::to_owned);
        let stored = store_upload(
            state.store.as_ref(),
            current.tenant.id,
            role,
            &file_name,
            declared.as_deref(),
            field_stream(field),
            current.tenant.max_document_bytes,
        )
        .await;
        match stored {
            Ok(document) => documents.push(document),
            Err(UploadError::Refused(refusal)) => return Ok(Err((form, vec![refusal]))),
            Err(UploadError::Failed(err)) => return Err(err),
        }
    }
    if !csrf_checked {
        return Err(AppError::new(ErrorKind::CsrfRejected));
    }
    Ok(Ok(Captured { form, documents }))
}

/// The file fields of the registration form: the main document and attachments.
const REGISTRATION_FILES: &[&str] = &["document", "attachments"];

/// How many scans one batch upload may carry.
pub const MAX_BATCH: usize = 50;

/// `?brouillon=1`: the form's "save as draft" button (its `formaction`), known before
/// the first file arrives.
#[derive(Debug, Deserialize)]
pub(crate) struct Intent {
    brouillon: Option<String>,
}

impl Intent {
    fn is_draft(&self) -> bool {
        self.brouillon.is_some()
    }
}

fn checker<'a>(
    state: &'a AppState,
    current: &'a CurrentUser,
    vocabulary: &'a Vocabulary,
    draft: bool,
) -> impl Fn(&FormFields) -> Result<(), Vec<InvalidInput>> + 'a {
    move |form: &FormFields| {
        let zone = current.tenant.time_zone;
        let now = state.clock.now();
        let checked = if draft {
            form.to_domain().validate_draft(now, zone, vocabulary)
        } else {
            form.to_domain().validate(now, zone, vocabulary)
        };
        checked.map(drop)
    }
}

/// `POST /registres/{id}/nouveau` (multipart): registers the item, or saves it as a
/// draft when the "draft" button was pressed.
#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler: one argument per extractor"
)]
pub(crate) async fn register_item(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
    Query(intent): Query<Intent>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let (register, settings) = register_and_settings(&state, current.tenant.id, register).await?;
    let vocabulary = &settings.vocabulary;
    let screen = FormScreen::new_item(&register, vocabulary);
    let captured = capture(
        &state,
        &current,
        &jar,
        multipart,
        REGISTRATION_FILES,
        false,
        checker(&state, &current, vocabulary, intent.is_draft()),
    )
    .await?;
    let Captured { form, documents } = match captured {
        Ok(captured) => captured,
        Err((form, errors)) => {
            return render_form(&state, &current, frame, &screen, &form, &errors);
        }
    };
    let key = Some(form.submission.trim())
        .filter(|key| !key.is_empty() && key.len() <= 64)
        .map(str::to_owned);
    let submission = Submission {
        form: form.to_domain(),
        key,
        documents,
        ..Submission::default()
    };
    let outcome = if intent.is_draft() {
        registration::create_draft(&state, &current, register.id, submission, &origin)
            .await
            .map(|item| (item, true))
    } else {
        registration::register_mail(
            &state,
            &current,
            &settings,
            register.id,
            submission,
            &origin,
        )
        .await
        .map(|registered| (registered.item, false))
    };
    match outcome {
        Ok((item, true)) => Ok(Redirect::to(&format!(
            "/registres/{}/brouillons?enregistre={}",
            item.register_id, item.id
        ))
        .into_response()),
        Ok((item, false)) => {
            Ok(Redirect::to(&format!("/courriers/{}?enregistre=1", item.id)).into_response())
        }
        Err(Refused::Invalid(errors)) => {
            render_form(&state, &current, frame, &screen, &form, &errors)
        }
        Err(Refused::Failed(err)) => Err(err),
    }
}

/// A draft with what its completion screen needs.
struct DraftScreen {
    draft: ItemRecord,
    register: RegisterRecord,
    vocabulary: Vocabulary,
    scan: Option<DocumentRecord>,
    drafts_left: usize,
}

impl DraftScreen {
    fn screen(&self) -> FormScreen<'_> {
        FormScreen {
            mode: FormMode::Complete,
            item: Some(&self.draft),
            scan: self.scan.as_ref(),
            drafts_left: self.drafts_left,
            ..FormScreen::new_item(&self.register, &self.vocabulary)
        }
    }
}

async fn draft_screen(
    state: &AppState,
    current: &CurrentUser,
    id: Uuid,
) -> Result<DraftScreen, AppError> {
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let draft = visible_item(&tx, current, id).await?;
    let settings = tx.registration_settings().await?;
    let register = settings
        .register(draft.register_id)
        .cloned()
        .ok_or_else(AppError::not_found)?;
    let vocabulary = settings.vocabulary.clone();
    let scan = tx
        .documents()
        .for_item(id)
        .await?
        .into_iter()
        .find(|d| d.role == DocumentRole::Main);
    let drafts_left = tx.items().drafts(register.id).await?.len();
    tx.commit().await?;
    Ok(DraftScreen {
        draft,
        register,
        vocabulary,
        scan,
        drafts_left,
    })
}

/// `GET /courriers/{id}/completer`: a draft's form with its scan beside it.
#[derive(Debug, Deserialize)]
pub(crate) struct PileQuery {
    /// The draft registered just before, in the pile.
    precedent: Option<Uuid>,
}

pub(crate) async fn complete_form(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    Query(pile): Query<PileQuery>,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let s = draft_screen(&state, &current, id).await?;
    let previous_number = match pile.precedent {
        Some(previous) => {
            let tx = state.db.tenant_read(current.tenant.id).await?;
            let found = visible_item(&tx, &current, previous).await.ok();
            tx.commit().await?;
            found.and_then(|item| item.number)
        }
        None => None,
    };
    if s.draft.status != ItemStatus::Draft {
        return Ok(Redirect::to(&format!("/courriers/{id}")).into_response());
    }
    let mut form = FormFields::of_item(&s.draft, current.tenant.time_zone);
    let defaults = FormFields::defaults(&s.vocabulary);
    if form.nature.is_empty() {
        form.nature = defaults.nature;
    }
    if form.priority.is_empty() {
        form.priority = defaults.priority;
    }
    let screen = FormScreen {
        previous_number,
        ..s.screen()
    };
    render_form(&state, &current, frame, &screen, &form, &[])
}

/// `POST /courriers/{id}/completer` (multipart): saves the draft, or registers it
/// and opens the next draft of the pile: one action per letter.
#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler: one argument per extractor"
)]
pub(crate) async fn complete_draft(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(id): Path<Uuid>,
    Query(intent): Query<Intent>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let s = draft_screen(&state, &current, id).await?;
    if s.draft.status != ItemStatus::Draft {
        return Err(AppError::new(ErrorKind::Conflict).with_detail("already registered"));
    }
    let screen = s.screen();
    let captured = capture(
        &state,
        &current,
        &jar,
        multipart,
        REGISTRATION_FILES,
        s.scan.is_some(),
        checker(&state, &current, &s.vocabulary, intent.is_draft()),
    )
    .await?;
    let Captured { form, documents } = match captured {
        Ok(captured) => captured,
        Err((form, errors)) => {
            return render_form(&state, &current, frame, &screen, &form, &errors);
        }
    };
    if !documents.is_empty()
        && let Err(refused) =
            registration::add_documents(&state, &current, id, documents, &origin).await
    {
        return match refused {
            Refused::Invalid(errors) => {
                render_form(&state, &current, frame, &screen, &form, &errors)
            }
            Refused::Failed(err) => Err(err),
        };
    }
    let outcome = if intent.is_draft() {
        registration::save_draft(&state, &current, id, &form.to_domain(), &origin).await
    } else {
        let submission = Submission {
            form: form.to_domain(),
            ..Submission::default()
        };
        registration::register_draft(&state, &current, id, submission, &origin).await
    };
    match outcome {
        Ok(item) if item.status == ItemStatus::Draft => Ok(Redirect::to(&format!(
            "/registres/{}/brouillons",
            item.register_id
        ))
        .into_response()),
        Ok(item) => {
            // The next letter of the pile, straight away; the number is announced there.
            let tx = state.db.tenant_read(current.tenant.id).await?;
            let next = tx
                .items()
                .drafts(item.register_id)
                .await?
                .into_iter()
                .next();
            tx.commit().await?;
            let target = match next {
                Some(next) => format!("/courriers/{}/completer?precedent={}", next.id, item.id),
                None => format!("/courriers/{}?enregistre=1", item.id),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(Refused::Invalid(errors)) => {
            render_form(&state, &current, frame, &screen, &form, &errors)
        }
        Err(Refused::Failed(err)) => Err(err),
    }
}

#[derive(Debug, Serialize)]
struct DraftView {
    id: Uuid,
    subject: String,
    sender: String,
    created_at: String,
    file_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DraftsQuery {
    enregistre: Option<Uuid>,
    lot: Option<usize>,
}

/// `GET /registres/{id}/brouillons`: the drafts waiting to be completed, and the
/// batch upload form.
pub(crate) async fn drafts(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
    Query(query): Query<DraftsQuery>,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let notices = DraftNotices {
        saved: query.enregistre.is_some(),
        batch: query.lot,
        refusal: None,
    };
    render_drafts(&state, &current, frame, register, notices).await
}

/// What the drafts page says above the list.
struct DraftNotices {
    saved: bool,
    batch: Option<usize>,
    /// Why a batch was refused, at the scans field: nothing of it was kept.
    refusal: Option<InvalidInput>,
}

async fn render_drafts(
    state: &AppState,
    current: &CurrentUser,
    frame: Frame,
    register: Uuid,
    notices: DraftNotices,
) -> Result<Response, AppError> {
    let zone = current.tenant.time_zone;
    let tx = state.db.tenant_read(current.tenant.id).await?;
    let register = tx
        .registers()
        .find(register)
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut views = Vec::new();
    for draft in tx.items().drafts(register.id).await? {
        let scan = tx
            .documents()
            .for_item(draft.id)
            .await?
            .into_iter()
            .find(|d| d.role == DocumentRole::Main);
        views.push(DraftView {
            id: draft.id,
            subject: draft.content.subject,
            sender: draft.content.sender,
            created_at: crate::pages::local_time(draft.received_at, zone),
            file_name: scan.map(|d| d.file_name),
        });
    }
    tx.commit().await?;
    let status = if notices.refusal.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let context = minijinja::context! {
        register_id => register.id,
        register_name => register.name.get(frame.locale),
        drafts => views,
        saved => notices.saved,
        batch => notices.batch,
        refusal => notices.refusal.map(|invalid| i18n::invalid_input_message(frame.locale, &invalid)),
        max_batch => MAX_BATCH,
        max_mib => current.tenant.max_document_bytes / (1024 * 1024),
    };
    let page = frame
        .for_user(current)
        .render(state, "drafts.html", "drafts-title", context)?;
    Ok((status, page).into_response())
}

/// `POST /registres/{id}/lot` (multipart, `scans`): every scan becomes a draft with
/// that scan as its main document, in the order sent.
pub(crate) async fn batch_upload(
    State(state): State<AppState>,
    current: CurrentUser,
    frame: Frame,
    Path(register): Path<Uuid>,
    ClientAddress(origin): ClientAddress,
    jar: CookieJar,
    multipart: Multipart,
) -> Result<Response, AppError> {
    current.require(Action::RegisterMail)?;
    let register = registration::find_register(&state, current.tenant.id, register).await?;
    let captured = capture(&state, &current, &jar, multipart, &["scans"], false, |_| {
        Ok(())
    })
    .await?;
    // A refused pile is shown again on its page, the reason at the scans field.
    let refused = |reason: Reason| DraftNotices {
        saved: false,
        batch: None,
        refusal: Some(InvalidInput::new("scans", reason)),
    };
    let documents = match captured {
        Ok(captured) if !captured.documents.is_empty() => captured.documents,
        Ok(_) => {
            let notices = refused(Reason::Required);
            return render_drafts(&state, &current, frame, register.id, notices).await;
        }
        Err((_, errors)) => {
            let reason = errors.first().map_or(Reason::Required, |e| e.reason);
            return render_drafts(&state, &current, frame, register.id, refused(reason)).await;
        }
    };
    let count = documents.len();
    let submissions = documents
        .into_iter()
        .map(|document| Submission {
            documents: vec![document],
            ..Submission::default()
        })
        .collect();
    registration::create_drafts(&state, &current, register.id, submissions, &origin)
        .await
        .map_err(|refused| match refused {
            Refused::Invalid(errors) => AppError::new(ErrorKind::InvalidFields(errors)),
            Refused::Failed(err) => err,
        })?;
    Ok(Redirect::to(&format!(
        "/registres/{}/brouillons?lot={count}",
        register.id
    ))
    .into_response())
}
