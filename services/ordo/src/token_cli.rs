//! `ordo token create|list|revoke`: bearer tokens for integrations.

use ordo_db::{Database, JournalEvent, TenantRecord, TokenRecord, UserRecord};
use ordo_domain::{Clock, Login, SystemClock, TenantCode};
use uuid::Uuid;

async fn tenant_and_user(
    db: &Database,
    code: &str,
    login: Option<&str>,
) -> anyhow::Result<(TenantRecord, Option<UserRecord>)> {
    let code = TenantCode::parse(code)?;
    let platform = db.platform().await?;
    let tenant = platform.tenants().find_by_code(&code).await?;
    platform.commit().await?;
    let tenant = tenant.ok_or_else(|| anyhow::anyhow!("no administration has the code {code}"))?;
    let Some(login) = login else {
        return Ok((tenant, None));
    };
    let login = Login::parse(login)?;
    let tx = db.tenant_read(tenant.id).await?;
    let user = tx.users().find_by_login(&login).await?;
    tx.commit().await?;
    let user = user.ok_or_else(|| anyhow::anyhow!("{code} has no user {login}"))?;
    Ok((tenant, Some(user)))
}

/// Creates a token acting as `login`; returns it (shown once, never stored).
pub async fn create(db: &Database, code: &str, login: &str, name: &str) -> anyhow::Result<String> {
    let (tenant, user) = tenant_and_user(db, code, Some(login)).await?;
    let user = user.ok_or_else(|| anyhow::anyhow!("no user"))?;
    let token = ordo_web::session::mint_api_token(tenant.id);
    let now = SystemClock.now();
    let tx = db.tenant_write(tenant.id).await?;
    let record = tx
        .tokens()
        .insert(user.id, name, &ordo_web::session::token_hash(&token), now)
        .await?;
    tx.journal()
        .append(
            JournalEvent {
                actor: "cli".to_owned(),
                action: "token.created",
                object: format!("token:{}", record.id),
                details: serde_json::json!({ "user": user.login.as_str(), "name": name }),
                origin: "cli".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(token)
}

pub async fn list(db: &Database, code: &str) -> anyhow::Result<Vec<TokenRecord>> {
    let (tenant, _) = tenant_and_user(db, code, None).await?;
    let tx = db.tenant_read(tenant.id).await?;
    let tokens = tx.tokens().list().await?;
    tx.commit().await?;
    Ok(tokens)
}

pub async fn revoke(db: &Database, code: &str, id: Uuid) -> anyhow::Result<()> {
    let (tenant, _) = tenant_and_user(db, code, None).await?;
    let now = SystemClock.now();
    let tx = db.tenant_write(tenant.id).await?;
    anyhow::ensure!(
        tx.tokens().revoke(id, now).await?,
        "{code} has no live token {id}"
    );
    tx.journal()
        .append(
            JournalEvent {
                actor: "cli".to_owned(),
                action: "token.revoked",
                object: format!("token:{id}"),
                details: serde_json::json!({}),
                origin: "cli".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

pub fn describe(token: &TokenRecord) -> String {
    format!(
        "{}  {:<24} created {}{}",
        token.id,
        token.name,
        token.created_at.format("%Y-%m-%d %H:%M"),
        token
            .revoked_at
            .map(|at| format!(", revoked {}", at.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default()
    )
}
