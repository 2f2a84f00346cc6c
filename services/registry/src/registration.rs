//! Registering a mail item: the act that gives it its legal number. Plain logic over
//! the repositories; the pages and the API call it.

use ordo_db::{GivenNumber, ItemRecord, JournalEvent, NewDocument, RegisterRecord};
use ordo_domain::{
    InvalidInput, RegistrationForm, TenantId, permissions::Action, registration_year,
};
use ordo_web::{AppError, AppState, CurrentUser, ErrorKind};
use uuid::Uuid;

/// Why a registration was not made.
#[derive(Debug)]
pub enum Refused {
    /// The form breaks these rules; nothing was written.
    Invalid(Vec<InvalidInput>),
    Failed(AppError),
}

impl From<AppError> for Refused {
    fn from(err: AppError) -> Self {
        Self::Failed(err)
    }
}

impl From<ordo_db::DbError> for Refused {
    fn from(err: ordo_db::DbError) -> Self {
        Self::Failed(err.into())
    }
}

/// An item of the caller's administration that the caller may see, or 404: another
/// tenant's item, or one too confidential for this person, is "not found", so its
/// existence is not revealed.
pub async fn visible_item(
    tx: &ordo_db::TenantTx,
    current: &CurrentUser,
    id: Uuid,
) -> Result<ItemRecord, AppError> {
    tx.items()
        .find(id)
        .await?
        .filter(|item| ordo_domain::permissions::may_see(&current.user.roles, item.confidentiality))
        .ok_or_else(AppError::not_found)
}

/// A register of the caller's administration that the caller may use, or 404.
pub async fn find_register(
    state: &AppState,
    tenant: TenantId,
    register: Uuid,
) -> Result<RegisterRecord, AppError> {
    let tx = state.db.tenant(tenant).await?;
    let found = tx.registers().find(register).await?;
    tx.commit().await?;
    found.ok_or_else(AppError::not_found)
}

/// Registers an item in `register`: checks the form, takes the next number of the
/// register's current year (in the administration's zone), stores the item and
/// writes the journal entry, all in one transaction. Resubmitting the same
/// `submission_key` returns the item it first registered.
pub async fn register_mail(
    state: &AppState,
    current: &CurrentUser,
    register: Uuid,
    form: &RegistrationForm,
    submission_key: Option<&str>,
    documents: Vec<NewDocument>,
    origin: &str,
) -> Result<ItemRecord, Refused> {
    current.require(Action::RegisterMail)?;
    let tenant = current.tenant.id;
    let submission_key = submission_key.map(|key| stored_submission_key(current, key));
    if let Some(first) =
        already_registered(state, current, submission_key.as_deref(), register).await?
    {
        return Ok(first);
    }
    let register = find_register(state, tenant, register).await?;
    let now = state.clock.now();
    let registration = form
        .validate(now, current.tenant.time_zone)
        .map_err(Refused::Invalid)?;
    let year = registration_year(now, current.tenant.time_zone);

    let tx = state.db.tenant(tenant).await?;
    let sequence = tx.registers().next_sequence(register.id, year).await?;
    let number = register.number_format.format(year, sequence);
    let inserted = tx
        .items()
        .insert_registered(
            register.id,
            registration,
            GivenNumber {
                year,
                sequence,
                number: number.clone(),
            },
            current.user.id,
            submission_key.as_deref(),
            now,
        )
        .await;
    let item = match (inserted, submission_key.as_deref()) {
        (Ok(item), _) => item,
        // The same submission won a race: this transaction rolls back, its number is
        // given back, and the first registration is the answer.
        (Err(ordo_db::DbError::Conflict(_)), Some(key)) => {
            drop(tx);
            return already_registered(state, current, Some(key), register.id)
                .await?
                .ok_or_else(|| AppError::internal("lost submission").into());
        }
        (Err(err), _) => return Err(err.into()),
    };
    let mut fingerprints = Vec::new();
    for document in documents {
        let stored = tx
            .documents()
            .insert(item.id, document, current.user.id, now)
            .await?;
        fingerprints.push(serde_json::json!({
            "role": stored.role.code(),
            "file": stored.file_name,
            "size": stored.size,
            "sha256": stored.sha256,
        }));
    }
    tx.journal()
        .append(
            JournalEvent {
                actor: format!("user:{}", current.user.login),
                action: "item.registered",
                object: format!("item:{}", item.id),
                details: serde_json::json!({
                    "number": number,
                    "register": register.code,
                    "subject": item.subject,
                    "sender": item.sender,
                    "documents": fingerprints,
                }),
                origin: origin.to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(number = %number, "item registered");
    Ok(item)
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
    state: &AppState,
    current: &CurrentUser,
    stored_key: Option<&str>,
    register: Uuid,
) -> Result<Option<ItemRecord>, AppError> {
    let Some(key) = stored_key else {
        return Ok(None);
    };
    let tx = state.db.tenant(current.tenant.id).await?;
    let found = tx.items().find_by_submission(key).await?;
    tx.commit().await?;
    match found {
        Some(item) if item.register_id != register => Err(AppError::new(ErrorKind::Conflict)
            .with_detail("submission key already used for another register")),
        Some(item)
            if ordo_domain::permissions::may_see(&current.user.roles, item.confidentiality) =>
        {
            Ok(Some(item))
        }
        Some(_) => Err(AppError::not_found()),
        None => Ok(None),
    }
}

/// Whether this person's submission key already registered an item (the API tells a
/// replay apart with a header).
pub async fn is_replay(
    state: &AppState,
    current: &CurrentUser,
    key: &str,
    register: Uuid,
) -> Result<bool, AppError> {
    let stored = stored_submission_key(current, key);
    Ok(already_registered(state, current, Some(&stored), register)
        .await?
        .is_some())
}
