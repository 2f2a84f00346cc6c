//! `ordo exchange …`: what the operator agency does so that two platforms exchange
//! mail: issue this platform's certificate for mutual TLS, and trade directories
//! (each platform exports its administrations with their seal certificates; the
//! other imports them with the address its platform is reached at).

use std::path::Path;

use anyhow::Context;
use ordo_db::{Database, RemoteAdministration};
use ordo_domain::{AdministrationLevel, Clock, LocalizedName};
use serde::{Deserialize, Serialize};

/// A directory as one platform hands it to another.
#[derive(Debug, Serialize, Deserialize)]
pub struct DirectoryFile {
    pub administrations: Vec<DirectoryFileEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct DirectoryFileEntry {
    pub code: String,
    pub name_fr: String,
    pub name_ar: String,
    pub name_en: String,
    pub level: String,
    /// The certificate that checks the administration's seal.
    pub certificate_pem: String,
}

/// Issues this platform's certificate for `host` from its authority and writes
/// `certificate.pem`, `private-key.pem` and `authority.pem` into `out`.
pub async fn certificate(
    db: &Database,
    clock: &dyn Clock,
    host: &str,
    out: &Path,
) -> anyhow::Result<()> {
    let now = clock.now();
    let tx = db.platform_write().await?;
    let authority = match tx.authority().get().await? {
        Some(authority) => authority,
        None => {
            tx.authority()
                .get_or_keep(ordo_operator::seal::make_authority(now)?, now)
                .await?
        }
    };
    tx.commit().await?;
    let issued = ordo_operator::seal::make_platform_certificate(&authority, host, now)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, content) in [
        ("certificate.pem", &issued.certificate_pem),
        ("private-key.pem", &issued.private_key_pem),
        ("authority.pem", &authority.certificate_pem),
    ] {
        std::fs::write(out.join(name), content)
            .with_context(|| format!("cannot write {}", out.join(name).display()))?;
    }
    Ok(())
}

/// Puts the seal an administration provides (its certificate and ECDSA P-256 key,
/// PEM) in place of the one made at its creation: checked to sign and verify
/// together, kept, and its certificate put in the directory, all in one
/// transaction that the journal records. Other platforms learn it by importing
/// this platform's directory again.
pub async fn replace_seal(
    db: &Database,
    clock: &dyn Clock,
    tenant: &str,
    certificate_pem: &str,
    private_key_pem: &str,
) -> anyhow::Result<()> {
    let seal = ordo_envelope::Seal::from_pem(certificate_pem, private_key_pem)?;
    let probe = b"ordo: the key matches the certificate";
    let signature = seal.sign(probe)?;
    ordo_envelope::verify(probe, &signature, certificate_pem)
        .map_err(|_| anyhow::anyhow!("the private key does not match the certificate"))?;
    let code =
        ordo_domain::TenantCode::parse(tenant).map_err(|e| anyhow::anyhow!("{tenant}: {e:?}"))?;
    let platform = db.platform_write().await?;
    let record = platform
        .tenants()
        .find_by_code(&code)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no administration {tenant}"))?;
    let tx = platform.into_tenant(record.id).await?;
    let now = clock.now();
    anyhow::ensure!(
        tx.seal()
            .replace(
                ordo_db::KeyMaterial {
                    certificate_pem: certificate_pem.to_owned(),
                    private_key_pem: private_key_pem.to_owned(),
                },
                now,
            )
            .await?,
        "{tenant} has no seal to replace"
    );
    tx.directory()
        .set_certificate(record.id, certificate_pem)
        .await?;
    tx.journal()
        .append(
            ordo_db::JournalEvent {
                actor: "cli".to_owned(),
                action: "seal.replaced",
                object: format!("tenant:{}", record.id),
                details: serde_json::json!({
                    "sha256": ordo_envelope::sha256_hex(certificate_pem.as_bytes()),
                }),
                origin: "cli".to_owned(),
            },
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(())
}

/// This platform's administrations, for another platform to import.
pub async fn export_directory(db: &Database) -> anyhow::Result<String> {
    let tx = db.platform().await?;
    let entries = tx.directory().list().await?;
    tx.commit().await?;
    let file = DirectoryFile {
        administrations: entries
            .into_iter()
            .map(|e| DirectoryFileEntry {
                code: e.code,
                name_fr: e.name.fr,
                name_ar: e.name.ar,
                name_en: e.name.en,
                level: e.level.as_str().to_owned(),
                certificate_pem: e.certificate_pem,
            })
            .collect(),
    };
    Ok(serde_json::to_string_pretty(&file)?)
}

/// Adds (or updates) the administrations of another platform reached at `url`;
/// returns how many. A code this platform already has is refused: codes are unique
/// across the platforms that exchange.
pub async fn import_directory(
    db: &Database,
    clock: &dyn Clock,
    json: &str,
    url: &str,
) -> anyhow::Result<usize> {
    let file: DirectoryFile = serde_json::from_str(json).context("not a directory file")?;
    let url = url::Url::parse(url).context("--url is not an address")?;
    anyhow::ensure!(
        url.scheme() == "https",
        "--url must be https: platforms exchange over mutual TLS"
    );
    let tx = db.platform_write().await?;
    for entry in &file.administrations {
        anyhow::ensure!(
            tx.directory().find(&entry.code).await?.is_none(),
            "{} is an administration of this platform: codes must be unique across platforms",
            entry.code
        );
        ordo_envelope::check_certificate(&entry.certificate_pem)
            .with_context(|| format!("{}: its seal certificate", entry.code))?;
        tx.remote_administrations()
            .keep(
                RemoteAdministration {
                    code: entry.code.clone(),
                    name: LocalizedName::parse(&entry.name_fr, &entry.name_ar, &entry.name_en)
                        .map_err(|e| anyhow::anyhow!("{}: name {e:?}", entry.code))?,
                    level: AdministrationLevel::parse(&entry.level)
                        .map_err(|e| anyhow::anyhow!("{}: level {e:?}", entry.code))?,
                    platform_url: url.as_str().trim_end_matches('/').to_owned(),
                    certificate_pem: entry.certificate_pem.clone(),
                },
                clock.now(),
            )
            .await?;
    }
    tx.commit().await?;
    Ok(file.administrations.len())
}
