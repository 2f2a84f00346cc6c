//! Exporting everything an administration has as a BagIt 1.0 bag (RFC 8493) with
//! SHA-512 manifests: its tables as JSON Lines, its documents as stored, and what
//! it is (`administration.json`). The layout is documented in `docs/export.md`.
//!
//! The bag is written under a `.partial` name and renamed when whole, so a bag
//! with its final name is always complete. Each document's SHA-256 is checked
//! against the one recorded at upload on the way: an export also proves the store
//! kept every file intact. Tables are read in one transaction, so they agree with
//! each other. Files stream through, sixteen at a time: memory does not grow with
//! the documents.
//!
//! This runs from `ordo tenant export`, on the platform's own machines: the bag is
//! handed to the administration; the operator's journal keeps only its metadata.

use std::path::{Path, PathBuf};

use futures::StreamExt;
use ordo_db::{
    Database, JournalEvent, OperatorEvent, TenantRecord, repos::export::EXPORTED_TABLES,
};
use ordo_domain::{Clock, TenantCode};
use ordo_storage::{DocumentStore, ObjectKey};
use sha2::{Digest, Sha256, Sha512};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Rows read a query.
const PAGE: u64 = 1_000;
/// Bytes copied a read.
const CHUNK: usize = 256 * 1024;
/// Documents copied at once; memory stays under this many chunks.
const DOCUMENTS_IN_FLIGHT: usize = 16;

/// Told how far an export has gone: the command draws its progress bar from it.
pub trait ExportProgress: Send + Sync {
    /// The documents to copy, once known, and their total size.
    fn documents(&self, count: u64, bytes: u64);
    /// `bytes` more copied.
    fn copied(&self, bytes: u64);
    /// A table written, with its row count.
    fn table(&self, name: &str, rows: u64);
}

/// For callers that only want the outcome.
#[derive(Debug, Clone, Copy)]
pub struct Quiet;

impl ExportProgress for Quiet {
    fn documents(&self, _: u64, _: u64) {}
    fn copied(&self, _: u64) {}
    fn table(&self, _: &str, _: u64) {}
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub bag: PathBuf,
    /// Files in `data/`.
    pub files: u64,
    /// Their total size.
    pub bytes: u64,
    pub documents: u64,
    pub rows: u64,
    /// The SHA-512 of `tagmanifest-sha512.txt`: one fingerprint for the whole bag.
    pub tag_manifest_sha512: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no administration has the code {0}")]
    UnknownAdministration(String),
    #[error("{0} exists already: choose another folder")]
    Exists(PathBuf),
    #[error(
        "document {document} does not match its recorded SHA-256: the store lost or changed it"
    )]
    Corrupted { document: String },
    #[error("writing the bag failed: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] ordo_storage::StoreError),
    #[error(transparent)]
    Database(#[from] ordo_db::DbError),
}

impl ExportError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownAdministration(_) => "unknown-administration",
            Self::Exists(_) => "bag-exists",
            Self::Corrupted { .. } => "document-corrupted",
            Self::Io(_) => "write-failed",
            Self::Storage(_) => "document-store-failed",
            Self::Database(_) => "database-failed",
        }
    }
}

/// Who exports, with what, from where.
#[derive(Clone, Copy)]
pub struct Exporter<'a> {
    pub db: &'a Database,
    pub store: &'a dyn DocumentStore,
    pub clock: &'a dyn Clock,
    pub actor: &'a str,
    pub origin: &'a str,
}

impl std::fmt::Debug for Exporter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}

/// A file of the payload as the manifest lists it.
struct Written {
    path: String,
    size: u64,
    sha512: String,
}

/// A document to copy, from its row.
struct DocumentRef {
    id: String,
    object_key: String,
    file_name: String,
    sha256: String,
    size: u64,
}

impl Exporter<'_> {
    /// Writes the bag of the administration `code` into `folder`; journals the
    /// export, or why it failed.
    pub async fn export(
        &self,
        code: &str,
        folder: &Path,
        progress: &dyn ExportProgress,
    ) -> Result<ExportReport, ExportError> {
        let outcome = self.write_bag(code, folder, progress).await;
        let (refused, details) = match &outcome {
            Ok(report) => (
                None,
                serde_json::json!({
                    "bag": report.bag.file_name().map(|n| n.to_string_lossy().into_owned()),
                    "files": report.files,
                    "bytes": report.bytes,
                    "documents": report.documents,
                    "rows": report.rows,
                    "tagmanifest_sha512": report.tag_manifest_sha512,
                }),
            ),
            Err(err) => (
                Some(err.code().to_owned()),
                serde_json::json!({ "error": err.to_string() }),
            ),
        };
        let tx = self.db.platform_write().await?;
        tx.operator_journal()
            .append(
                OperatorEvent {
                    actor: self.actor.to_owned(),
                    action: "tenant.exported",
                    tenant_code: Some(code.trim().to_uppercase()),
                    refused,
                    details,
                    origin: self.origin.to_owned(),
                },
                self.clock.now(),
            )
            .await?;
        tx.commit().await?;
        outcome
    }

    async fn write_bag(
        &self,
        code: &str,
        folder: &Path,
        progress: &dyn ExportProgress,
    ) -> Result<ExportReport, ExportError> {
        let tenant = self.find(code).await?;
        let now = self.clock.now();
        let name = format!("{}-{}", tenant.code, now.format("%Y%m%dT%H%M%SZ"));
        let bag = folder.join(&name);
        if tokio::fs::try_exists(&bag).await? {
            return Err(ExportError::Exists(bag));
        }
        let partial = folder.join(format!("{name}.partial"));
        if tokio::fs::try_exists(&partial).await? {
            tokio::fs::remove_dir_all(&partial).await?;
        }
        tokio::fs::create_dir_all(partial.join("data/tables")).await?;
        tokio::fs::create_dir_all(partial.join("data/documents")).await?;

        let mut payload = Vec::new();
        // The bag carries the journal sealed up to now, and every table as of one
        // moment.
        self.db.seal_journal(tenant.id).await?;
        let tx = self.db.tenant_snapshot(tenant.id).await?;
        let directory = tx.directory().find(tenant.code.as_str()).await?;
        let about = serde_json::json!({
            "code": tenant.code.as_str(),
            "id": tenant.id.to_string(),
            "name": { "fr": tenant.name.fr, "ar": tenant.name.ar, "en": tenant.name.en },
            "level": tenant.level.as_str(),
            "parent": tenant.parent_code.as_ref().map(ToString::to_string),
            "time_zone": tenant.time_zone.name(),
            "languages": tenant.languages.tags(),
            "weekend": tenant.weekend,
            "status": tenant.status.as_str(),
            "created_at": tenant.created_at.to_rfc3339(),
            "exported_at": now.to_rfc3339(),
            "seal_certificate_pem": directory.map(|d| d.certificate_pem),
            "tables": EXPORTED_TABLES.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
        });
        payload.push(
            write_whole(
                &partial,
                "data/administration.json",
                serde_json::to_vec_pretty(&about)
                    .unwrap_or_default()
                    .as_slice(),
            )
            .await?,
        );

        let mut rows = 0u64;
        let mut documents = Vec::new();
        for (table, _) in EXPORTED_TABLES {
            let path = format!("data/tables/{table}.jsonl");
            let mut file =
                tokio::io::BufWriter::new(tokio::fs::File::create(partial.join(&path)).await?);
            let mut hasher = Sha512::new();
            let mut size = 0u64;
            let mut count = 0u64;
            loop {
                let page = tx.export().page(table, count, PAGE).await?;
                let fetched = page.len() as u64;
                for row in page {
                    if *table == "documents" {
                        documents.push(document_ref(&row));
                    }
                    let mut line = serde_json::to_vec(&row).unwrap_or_default();
                    line.push(b'\n');
                    hasher.update(&line);
                    size += line.len() as u64;
                    file.write_all(&line).await?;
                }
                count += fetched;
                if fetched < PAGE {
                    break;
                }
            }
            file.flush().await?;
            rows += count;
            progress.table(table, count);
            payload.push(Written {
                path,
                size,
                sha512: hex::encode(hasher.finalize()),
            });
        }
        tx.commit().await?;

        let total: u64 = documents.iter().map(|d| d.size).sum();
        progress.documents(documents.len() as u64, total);
        // Several documents at a time: each is a round trip to the store, and one
        // at a time leaves the link idle between them.
        let mut copies = futures::stream::iter(&documents)
            .map(|document| self.copy_document(&tenant, &partial, document, progress))
            .buffer_unordered(DOCUMENTS_IN_FLIGHT);
        while let Some(copied) = copies.next().await {
            payload.push(copied?);
        }
        drop(copies);

        let report = finish_bag(
            &partial,
            &bag,
            &tenant,
            now,
            &payload,
            rows,
            documents.len() as u64,
        )
        .await?;
        let tx = self.db.tenant_write(tenant.id).await?;
        tx.journal()
            .append(
                JournalEvent {
                    actor: self.actor.to_owned(),
                    action: "tenant.exported",
                    object: format!("tenant:{}", tenant.id),
                    details: serde_json::json!({
                        "bag": name,
                        "files": report.files,
                        "bytes": report.bytes,
                        "tagmanifest_sha512": report.tag_manifest_sha512,
                    }),
                    origin: self.origin.to_owned(),
                },
                now,
            )
            .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn find(&self, code: &str) -> Result<TenantRecord, ExportError> {
        let unknown = || ExportError::UnknownAdministration(code.trim().to_uppercase());
        let parsed = TenantCode::parse(code).map_err(|_| unknown())?;
        let tx = self.db.platform().await?;
        let tenant = tx.tenants().find_by_code(&parsed).await?;
        tx.commit().await?;
        tenant.ok_or_else(unknown)
    }

    async fn copy_document(
        &self,
        tenant: &TenantRecord,
        bag: &Path,
        document: &DocumentRef,
        progress: &dyn ExportProgress,
    ) -> Result<Written, ExportError> {
        let path = format!(
            "data/documents/{}-{}",
            document.id,
            safe_file_name(&document.file_name)
        );
        let key = ObjectKey::parse(&document.object_key)?;
        let mut reader = self.store.get(tenant.id, &key).await?;
        let mut file = tokio::fs::File::create(bag.join(&path)).await?;
        let mut sha256 = Sha256::new();
        let mut sha512 = Sha512::new();
        let mut size = 0u64;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let read = reader.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            let chunk = &buffer[..read];
            sha256.update(chunk);
            sha512.update(chunk);
            file.write_all(chunk).await?;
            size += read as u64;
            progress.copied(read as u64);
        }
        file.flush().await?;
        if hex::encode(sha256.finalize()) != document.sha256 {
            return Err(ExportError::Corrupted {
                document: document.id.clone(),
            });
        }
        Ok(Written {
            path,
            size,
            sha512: hex::encode(sha512.finalize()),
        })
    }
}

fn document_ref(row: &serde_json::Value) -> DocumentRef {
    let text = |field: &str| {
        row.get(field)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    DocumentRef {
        id: text("id"),
        object_key: text("object_key"),
        file_name: text("file_name"),
        sha256: text("sha256"),
        size: row
            .get("size")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or_default(),
    }
}

/// A file name any file system and any manifest line takes: letters, digits, dot,
/// hyphen and underscore; anything else becomes `_`.
fn safe_file_name(name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = safe.trim_start_matches('.');
    if trimmed.is_empty() {
        "document".to_owned()
    } else {
        trimmed.chars().take(120).collect()
    }
}

async fn write_whole(bag: &Path, path: &str, bytes: &[u8]) -> Result<Written, std::io::Error> {
    tokio::fs::write(bag.join(path), bytes).await?;
    Ok(Written {
        path: path.to_owned(),
        size: bytes.len() as u64,
        sha512: hex::encode(Sha512::digest(bytes)),
    })
}

/// Writes the tag files, then gives the bag its final name.
async fn finish_bag(
    partial: &Path,
    bag: &Path,
    tenant: &TenantRecord,
    now: chrono::DateTime<chrono::Utc>,
    payload: &[Written],
    rows: u64,
    documents: u64,
) -> Result<ExportReport, ExportError> {
    let bytes: u64 = payload.iter().map(|w| w.size).sum();
    let manifest: String = payload
        .iter()
        .map(|w| format!("{}  {}\n", w.sha512, w.path))
        .collect();
    let declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    let info = format!(
        "Source-Organization: {}\nExternal-Identifier: {}\nExternal-Description: Export of everything the administration {} holds on Ordo: its tables as JSON Lines and its documents (see docs/export.md).\nBagging-Date: {}\nBag-Software-Agent: Ordo {}\nPayload-Oxum: {}.{}\n",
        tenant.name.fr,
        tenant.code,
        tenant.code,
        now.format("%Y-%m-%d"),
        env!("CARGO_PKG_VERSION"),
        bytes,
        payload.len(),
    );
    let mut tags = Vec::new();
    for (path, content) in [
        ("bagit.txt", declaration.to_owned()),
        ("bag-info.txt", info),
        ("manifest-sha512.txt", manifest),
    ] {
        tags.push(write_whole(partial, path, content.as_bytes()).await?);
    }
    let tag_manifest: String = tags
        .iter()
        .map(|w| format!("{}  {}\n", w.sha512, w.path))
        .collect();
    tokio::fs::write(partial.join("tagmanifest-sha512.txt"), &tag_manifest).await?;
    tokio::fs::rename(partial, bag).await?;
    Ok(ExportReport {
        bag: bag.to_path_buf(),
        files: payload.len() as u64,
        bytes,
        documents,
        rows,
        tag_manifest_sha512: hex::encode(Sha512::digest(tag_manifest.as_bytes())),
    })
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn file_names_are_made_safe_for_any_file_system() {
        assert_eq!(safe_file_name("lettre d'été.pdf"), "lettre_d__t_.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name(""), "document");
        assert_eq!(safe_file_name("scan-01_A.PDF"), "scan-01_A.PDF");
    }
}
