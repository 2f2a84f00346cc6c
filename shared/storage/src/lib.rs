//! Document storage: one interface, two homes.
//!
//! - [`S3Store`]: any S3-compatible server through `aws-sdk-s3` (path-style), one
//!   bucket per tenant, created on first use with versioning and object lock where the
//!   server supports them.
//! - [`LocalStore`]: a directory on local disk, for the embedded default.
//!
//! Both stream uploads: memory stays bounded by the part size whatever the file size,
//! and the SHA-256 is computed on the way. Keys are fresh UUIDs chosen by the store,
//! so an object is never overwritten; S3 versioning and object lock keep even a
//! mistaken overwrite from destroying anything.

pub mod antivirus;
mod local;
mod s3;

use std::{fmt, pin::Pin};

use ordo_domain::TenantId;
use tokio::io::AsyncRead;

pub use local::LocalStore;
pub use s3::{S3Settings, S3Store};

/// A readable stream of an object's bytes.
pub type ObjectReader = Pin<Box<dyn AsyncRead + Send>>;

/// The key of a stored object inside its tenant's space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectKey(String);

impl ObjectKey {
    pub(crate) fn generate() -> Self {
        Self(format!("doc/{}", uuid::Uuid::now_v7()))
    }

    /// Accepts a key read back from the database; refuses anything that could
    /// escape the tenant's space on local disk.
    pub fn parse(raw: &str) -> Result<Self, StoreError> {
        let valid = raw
            .strip_prefix("doc/")
            .is_some_and(|id| uuid::Uuid::parse_str(id).is_ok());
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(StoreError::InvalidKey(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the store knows of an object it has just written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub key: ObjectKey,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes as received.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("object not found: {0}")]
    NotFound(String),
    #[error("invalid object key: {0}")]
    InvalidKey(String),
    #[error("reading the upload failed: {0}")]
    Upload(#[source] std::io::Error),
    #[error("storage I/O failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("S3 {operation} failed: {detail}")]
    S3 {
        operation: &'static str,
        detail: String,
    },
}

/// The one interface the rest of Ordo uses to keep documents.
#[async_trait::async_trait]
pub trait DocumentStore: Send + Sync + fmt::Debug {
    /// Makes the tenant's space ready (its bucket, its folder). Idempotent.
    async fn prepare_tenant(&self, tenant: TenantId) -> Result<(), StoreError>;

    /// Streams `body` into a new object of the tenant and returns its key, size and
    /// SHA-256. A failed upload leaves no object behind.
    async fn put(
        &self,
        tenant: TenantId,
        body: &mut (dyn AsyncRead + Send + Unpin),
        media_type: &str,
    ) -> Result<StoredObject, StoreError>;

    /// Opens an object of the tenant for reading.
    async fn get(&self, tenant: TenantId, key: &ObjectKey) -> Result<ObjectReader, StoreError>;

    /// Whether the store answers, for the readiness probe.
    async fn check(&self) -> Result<(), StoreError>;

    /// Removes the tenant's space and every object in it, every version included:
    /// the end of a deleted administration. Idempotent; returns how many objects
    /// (versions) it removed.
    async fn remove_tenant(&self, tenant: TenantId) -> Result<u64, StoreError>;
}

/// Reads from `body` until `buf` holds `limit` bytes or the stream ends, feeding the
/// hasher on the way. Returns the number of bytes read.
pub(crate) async fn fill_part(
    body: &mut (dyn AsyncRead + Send + Unpin),
    buf: &mut bytes::BytesMut,
    limit: usize,
    hasher: &mut sha2::Sha256,
) -> Result<usize, StoreError> {
    use sha2::Digest;
    use tokio::io::AsyncReadExt;
    /// How much more room to make before each read: the buffer grows with the file
    /// (a scan is usually far smaller than a part) instead of being a part's size
    /// from the start.
    const GROW_BY: usize = 64 * 1024;
    let start = buf.len();
    while buf.len() - start < limit {
        let before = buf.len();
        buf.reserve(GROW_BY.min(limit - (buf.len() - start)));
        // Never read past the part limit: the remainder belongs to the next part.
        let mut limited = (&mut *body).take((limit - (buf.len() - start)) as u64);
        let read = limited.read_buf(buf).await.map_err(StoreError::Upload)?;
        if read == 0 {
            break;
        }
        hasher.update(&buf[before..]);
    }
    Ok(buf.len() - start)
}
