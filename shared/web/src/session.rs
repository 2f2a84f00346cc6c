//! Sign-in sessions. The `ordo_session` cookie holds a random token; the database
//! keeps only its SHA-256 and who it belongs to. The extractors below are how a
//! handler learns who is asking: a tenant-scoped handler takes [`CurrentUser`] and
//! so can only run for a signed-in person of an active administration, with the
//! tenant recorded in the request's span.

use axum::{extract::FromRequestParts, http::request::Parts};
use axum_extra::extract::{
    CookieJar,
    cookie::{Cookie, SameSite},
};
use chrono::Duration;
use ordo_db::{
    JournalEvent, OperatorRecord, PrincipalKind, SessionRecord, TenantRecord, UserRecord,
};
use ordo_domain::{Role, TenantId, TenantStatus};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{AppError, AppState, ErrorKind, csrf::random_token};

pub const SESSION_COOKIE: &str = "ordo_session";
/// A working day and then some: people sign in once a day.
const SESSION_LIFETIME_HOURS: i64 = 12;

/// The SHA-256 of a session or API token: what the database keeps instead of it.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session for `principal` and returns the cookie jar that carries it.
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    principal: PrincipalKind,
    account_id: Uuid,
) -> Result<CookieJar, AppError> {
    let token = random_token();
    let now = state.clock.now();
    let record = SessionRecord {
        principal,
        account_id,
        expires_at: now + Duration::hours(SESSION_LIFETIME_HOURS),
    };
    let tx = state.db.platform_write().await?;
    tx.sessions()
        .insert(&token_hash(&token), &record, now)
        .await?;
    tx.commit().await?;
    let cookie = Cookie::build((state.cookies.name(SESSION_COOKIE), token))
        .path("/")
        .http_only(true)
        .secure(state.cookies.secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::hours(SESSION_LIFETIME_HOURS))
        .build();
    Ok(jar.add(cookie))
}

/// Closes the session in the cookie, if any, and removes the cookie.
pub async fn end_session(state: &AppState, jar: CookieJar) -> Result<CookieJar, AppError> {
    if let Some(cookie) = jar.get(&state.cookies.name(SESSION_COOKIE)) {
        let tx = state.db.platform_write().await?;
        tx.sessions().delete(&token_hash(cookie.value())).await?;
        tx.commit().await?;
    }
    Ok(jar.remove(
        Cookie::build(state.cookies.name(SESSION_COOKIE))
            .path("/")
            .build(),
    ))
}

async fn live_session(
    parts: &mut Parts,
    state: &AppState,
) -> Result<Option<SessionRecord>, AppError> {
    let jar = CookieJar::from_request_parts(parts, state)
        .await
        .unwrap_or_default();
    let Some(cookie) = jar.get(&state.cookies.name(SESSION_COOKIE)) else {
        return Ok(None);
    };
    let tx = state.db.platform().await?;
    let session = tx
        .sessions()
        .find_live(&token_hash(cookie.value()), state.clock.now())
        .await?;
    tx.commit().await?;
    Ok(session)
}

/// A new API token for `tenant`: `ordo_<tenant>_<secret>`. The tenant part lets the
/// token be looked up inside its administration; the secret is 256 random bits.
pub fn mint_api_token(tenant: TenantId) -> String {
    format!("ordo_{}_{}", tenant.as_uuid().simple(), random_token())
}

fn tenant_of_api_token(token: &str) -> Option<TenantId> {
    let rest = token.strip_prefix("ordo_")?;
    let (tenant, secret) = rest.split_once('_')?;
    (secret.len() >= 32).then_some(())?;
    Uuid::parse_str(tenant).ok().map(TenantId::new)
}

/// The person behind `Authorization: Bearer <token>`, if the header is there.
async fn bearer_user(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, AppError> {
    let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let unauthenticated = || AppError::new(ErrorKind::Unauthenticated);
    let token = header
        .to_str()
        .ok()
        // The scheme is case-insensitive (RFC 9110 §11.1).
        .and_then(|h| {
            h.get(..7)
                .filter(|scheme| scheme.eq_ignore_ascii_case("bearer "))
                .and(h.get(7..))
        })
        .ok_or_else(unauthenticated)?
        .trim();
    let tenant_id = tenant_of_api_token(token).ok_or_else(unauthenticated)?;
    let (tenant, user) = state
        .db
        .api_token_principal(tenant_id, &token_hash(token))
        .await?
        .ok_or_else(unauthenticated)?;
    if tenant.status != TenantStatus::Active {
        return Err(AppError::new(ErrorKind::TenantSuspended));
    }
    Ok(Some(CurrentUser { tenant, user }))
}

/// A signed-in person of an administration.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub tenant: TenantRecord,
    pub user: UserRecord,
}

impl CurrentUser {
    pub fn has_role(&self, role: Role) -> bool {
        self.user.roles.contains(role)
    }

    /// Whether this person's roles allow `action` (see `ordo_domain::permissions`).
    pub fn may(&self, action: ordo_domain::permissions::Action) -> bool {
        ordo_domain::permissions::allows(&self.user.roles, action)
    }

    /// Refuses with 403 unless this person's roles allow `action`.
    pub fn require(&self, action: ordo_domain::permissions::Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::new(ErrorKind::Forbidden))
        }
    }

    /// The journal entry of something this person did to `object` (`register:<uuid>`,
    /// `tenant:<uuid>`…), from `origin`.
    pub fn event(
        &self,
        action: &'static str,
        object: String,
        details: serde_json::Value,
        origin: impl Into<String>,
    ) -> JournalEvent {
        JournalEvent {
            actor: format!("user:{}", self.user.login),
            action,
            object,
            details,
            origin: origin.into(),
        }
    }

    /// The journal entry of something this person did to a mail item: the entries
    /// an item's timeline is made of.
    pub fn item_event(
        &self,
        action: &'static str,
        item: Uuid,
        details: serde_json::Value,
        origin: impl Into<String>,
    ) -> JournalEvent {
        self.event(action, format!("item:{item}"), details, origin)
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<Self>() {
            return Ok(user.clone());
        }
        if let Some(current) = bearer_user(parts, state).await? {
            tracing::Span::current().record("tenant", current.tenant.code.as_str());
            parts.extensions.insert(current.clone());
            return Ok(current);
        }
        let Some(session) = live_session(parts, state).await? else {
            return Err(AppError::new(ErrorKind::Unauthenticated));
        };
        let PrincipalKind::User(tenant_id) = session.principal else {
            return Err(AppError::new(ErrorKind::Forbidden)
                .with_detail("an operator asked for a tenant page"));
        };
        let unauthenticated = || AppError::new(ErrorKind::Unauthenticated);
        let tx = state.db.tenant_read(tenant_id).await?;
        let user = tx
            .users()
            .find(session.account_id)
            .await?
            .ok_or_else(unauthenticated)?;
        let tenant = tx.own_tenant().await?.ok_or_else(unauthenticated)?;
        tx.commit().await?;
        if tenant.status != TenantStatus::Active {
            return Err(AppError::new(ErrorKind::TenantSuspended));
        }
        tracing::Span::current().record("tenant", tenant.code.as_str());
        let current = Self { tenant, user };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// A signed-in person of the operator agency.
#[derive(Debug, Clone)]
pub struct CurrentOperator {
    pub operator: OperatorRecord,
}

impl FromRequestParts<AppState> for CurrentOperator {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(session) = live_session(parts, state).await? else {
            return Err(AppError::new(ErrorKind::Unauthenticated));
        };
        if session.principal != PrincipalKind::Operator {
            return Err(AppError::new(ErrorKind::Forbidden)
                .with_detail("a tenant user asked for an operator page"));
        }
        let tx = state.db.platform().await?;
        let operator = tx
            .operators()
            .find_by_id(session.account_id)
            .await?
            .ok_or_else(|| AppError::new(ErrorKind::Unauthenticated))?;
        tx.commit().await?;
        tracing::Span::current().record("tenant", "operator");
        Ok(Self { operator })
    }
}

/// Who is signed in, if anyone: for pages that differ by visitor (the home redirect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visitor {
    Anonymous,
    Operator,
    User,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(
            match live_session(parts, state).await?.map(|s| s.principal) {
                None => Self::Anonymous,
                Some(PrincipalKind::Operator) => Self::Operator,
                Some(PrincipalKind::User(_)) => Self::User,
            },
        )
    }
}
