//! Documents arriving with a registration: their kind is judged from their content,
//! never from what the client claims; they stream into the tenant's store with their
//! SHA-256, within the size limit; and every view or download is authorised and
//! written in the journal.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use ordo_db::{DocumentRole, NewDocument};
use ordo_domain::{InvalidInput, Reason, TenantId};
use ordo_storage::{DocumentStore, ObjectKey};
use ordo_web::{AppError, AppState, ClientAddress, CurrentUser};
use serde::Deserialize;
use tokio_util::io::{ReaderStream, StreamReader};
use uuid::Uuid;

use crate::registration::visible_item;

/// The largest document any administration may choose to accept (each sets its own
/// limit below it in its settings).
pub const CEILING_DOCUMENT_BYTES: u64 = 200 * 1024 * 1024;

/// How many files one registration may carry.
pub const MAX_FILES: usize = 10;

/// The largest form body: every file of a registration at the ceiling, and room for
/// the fields. Per-file and file-count checks therefore always speak before this one.
pub const MAX_REGISTRATION_BYTES: u64 = CEILING_DOCUMENT_BYTES * MAX_FILES as u64 + 1024 * 1024;

/// The kinds of document a bureau d'ordre takes: scans and letters.
const ACCEPTED: &[(&str, &[&str])] = &[
    ("application/pdf", &["pdf"]),
    ("image/jpeg", &["jpg", "jpeg"]),
    ("image/png", &["png"]),
    ("image/tiff", &["tif", "tiff"]),
];

/// Enough bytes for every signature `infer` needs for the accepted kinds.
const SNIFF_BYTES: usize = 512;

/// The accepted kind of `content`, judged from its first bytes.
pub fn sniff(content: &[u8]) -> Option<&'static str> {
    let detected = infer::get(content)?.mime_type();
    ACCEPTED
        .iter()
        .map(|(mime, _)| *mime)
        .find(|mime| *mime == detected)
}

/// Whether what the client claims (its declared type, else its file name's extension)
/// agrees with what the content is.
fn claim_matches(detected: &str, declared: Option<&str>, file_name: &str) -> bool {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let by_extension = |mime: &str| {
        ACCEPTED
            .iter()
            .find(|(m, _)| *m == mime)
            .is_some_and(|(_, extensions)| {
                extension
                    .as_deref()
                    .is_some_and(|ext| extensions.contains(&ext))
            })
    };
    match declared {
        Some(declared) if declared != "application/octet-stream" => {
            declared == detected && by_extension(detected)
        }
        _ => by_extension(detected),
    }
}

fn refused(reason: Reason) -> InvalidInput {
    InvalidInput::new("document", reason)
}

/// Why an upload was not kept.
#[derive(Debug)]
pub enum UploadError {
    Refused(InvalidInput),
    Failed(AppError),
}

/// Stores one uploaded file in `tenant`'s space: the first bytes are checked, the rest
/// streams through with the SHA-256 computed on the way; over `max_bytes`, the upload
/// stops and nothing is kept.
pub async fn store_upload<S>(
    store: &dyn DocumentStore,
    tenant: TenantId,
    role: DocumentRole,
    file_name: &str,
    declared_type: Option<&str>,
    body: S,
    max_bytes: u64,
) -> Result<NewDocument, UploadError>
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin,
{
    let mut body = body;
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    while head.len() < SNIFF_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(err)) => return Err(UploadError::Failed(AppError::internal(err))),
            None => break,
        }
    }
    if head.is_empty() {
        return Err(UploadError::Refused(refused(Reason::EmptyFile)));
    }
    let Some(media_type) = sniff(&head) else {
        return Err(UploadError::Refused(refused(Reason::FileTypeNotAllowed)));
    };
    if !claim_matches(media_type, declared_type, file_name) {
        return Err(UploadError::Refused(refused(Reason::FileTypeMismatch)));
    }
    let too_large = Arc::new(AtomicBool::new(false));
    let flag = too_large.clone();
    let mut seen = 0u64;
    let limited = futures::stream::iter([Ok::<Bytes, std::io::Error>(Bytes::from(head))])
        .chain(body)
        .map(move |chunk| {
            let chunk = chunk?;
            seen += chunk.len() as u64;
            if seen > max_bytes {
                flag.store(true, Ordering::Relaxed);
                return Err(std::io::Error::other("document over the size limit"));
            }
            Ok(chunk)
        });
    let mut reader = StreamReader::new(limited);
    match store.put(tenant, &mut reader, media_type).await {
        Ok(stored) => Ok(NewDocument {
            role,
            file_name: file_name.to_owned(),
            media_type: media_type.to_owned(),
            size: stored.size,
            sha256: stored.sha256,
            object_key: stored.key.to_string(),
        }),
        Err(_) if too_large.load(Ordering::Relaxed) => {
            Err(UploadError::Refused(refused(Reason::FileTooLarge {
                max_mib: max_bytes / (1024 * 1024),
            })))
        }
        Err(err) => Err(UploadError::Failed(err.into())),
    }
}

/// Turns a multipart field into the byte stream `store_upload` reads.
pub fn field_stream(
    field: axum::extract::multipart::Field<'_>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send + Unpin + '_ {
    field.map_err(std::io::Error::other)
}

#[derive(Debug, Deserialize)]
pub(crate) struct DocumentQuery {
    telecharger: Option<String>,
}

/// `GET /documents/{id}`: shows a document inline (PDF, images), or downloads it with
/// `?telecharger=1`, to a person allowed to see its item; the journal records it.
pub(crate) async fn serve_document(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<Uuid>,
    Query(query): Query<DocumentQuery>,
    ClientAddress(origin): ClientAddress,
) -> Result<Response, AppError> {
    let download = query.telecharger.is_some();
    // Writing from the start: the view is journaled after two small reads (the
    // document, its item's visibility), and on SQLite a transaction that has read
    // cannot take the write lock while a group holds it.
    let tx = state.db.tenant_write(current.tenant.id).await?;
    let document = tx
        .documents()
        .find(id)
        .await?
        .ok_or_else(AppError::not_found)?;
    let item = visible_item(&tx, &current, document.item_id).await?;
    let action = if download {
        "document.downloaded"
    } else {
        "document.viewed"
    };
    let details = serde_json::json!({
        "document": document.id,
        "file": document.file_name,
        "sha256": document.sha256,
    });
    tx.journal()
        .append(
            current.item_event(action, item.id, details, origin),
            state.clock.now(),
        )
        .await?;
    tx.commit().await?;
    document_response(&state, current.tenant.id, &document, download).await
}

/// A stored document as the answer to a request: streamed from the tenant's store,
/// shown inline or downloaded, never cached, and unable to run anything.
pub async fn document_response(
    state: &AppState,
    tenant: TenantId,
    document: &ordo_db::DocumentRecord,
    download: bool,
) -> Result<Response, AppError> {
    let reader = state
        .store
        .get(tenant, &ObjectKey::parse(&document.object_key)?)
        .await?;
    let mut response = Body::from_stream(ReaderStream::new(reader)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&document.media_type).map_err(AppError::internal)?,
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(document.size));
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if download { "attachment" } else { "inline" },
        percent_encode(&document.file_name)
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(AppError::internal)?,
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // The browser's own viewer shows the PDF; nothing in it may run or call out.
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'",
        ),
    );
    Ok(response)
}

/// RFC 5987 encoding of a file name for `Content-Disposition`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

    #[test]
    fn the_content_decides_the_kind() {
        assert_eq!(sniff(PDF), Some("application/pdf"));
        assert_eq!(sniff(PNG), Some("image/png"));
        assert_eq!(sniff(b"just some text that claims to be a PDF"), None);
        assert_eq!(
            sniff(b"MZ\x90\0\x03\0\0\0"),
            None,
            "an executable is not a document"
        );
    }

    #[test]
    fn the_claim_must_agree_with_the_content() {
        assert!(claim_matches(
            "application/pdf",
            Some("application/pdf"),
            "lettre.PDF"
        ));
        assert!(claim_matches("application/pdf", None, "lettre.pdf"));
        assert!(claim_matches(
            "image/jpeg",
            Some("application/octet-stream"),
            "scan.jpeg"
        ));
        assert!(!claim_matches(
            "image/png",
            Some("application/pdf"),
            "scan.pdf"
        ));
        assert!(!claim_matches(
            "application/pdf",
            Some("application/pdf"),
            "scan.png"
        ));
        assert!(!claim_matches("application/pdf", None, "lettre"));
    }

    #[test]
    fn file_names_are_encoded_for_headers() {
        assert_eq!(
            percent_encode("Lettre reçue.pdf"),
            "Lettre%20re%C3%A7ue.pdf"
        );
        assert_eq!(percent_encode("a\"b\r\n.pdf"), "a%22b%0D%0A.pdf");
    }
}
