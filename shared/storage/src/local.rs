use std::{
    io::Write as _,
    path::{Path, PathBuf},
    sync::Arc,
};

use ordo_domain::TenantId;
use sha2::{Digest, Sha256};
use tokio::fs;

use crate::{DocumentStore, ObjectKey, ObjectReader, StoreError, StoredObject, fill_part};

const CHUNK: usize = 256 * 1024;

/// Documents on local disk: `<root>/<tenant>/doc/<uuid>`. For the embedded default.
#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn tenant_dir(&self, tenant: TenantId) -> PathBuf {
        self.root.join(tenant.to_string())
    }

    fn object_path(&self, tenant: TenantId, key: &ObjectKey) -> PathBuf {
        self.tenant_dir(tenant).join(key.as_str())
    }
}

#[async_trait::async_trait]
impl DocumentStore for LocalStore {
    async fn prepare_tenant(&self, tenant: TenantId) -> Result<(), StoreError> {
        let dir = self.tenant_dir(tenant);
        tokio::task::spawn_blocking(move || make_folders(&dir))
            .await
            .map_err(std::io::Error::other)??;
        Ok(())
    }

    async fn put(
        &self,
        tenant: TenantId,
        body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
        _media_type: &str,
    ) -> Result<StoredObject, StoreError> {
        let key = ObjectKey::generate();
        let tenant_dir = self.tenant_dir(tenant);
        let paths = Arc::new(UploadPaths {
            incoming: tenant_dir
                .join("incoming")
                .join(uuid::Uuid::now_v7().to_string()),
            target: self.object_path(tenant, &key),
            tenant_dir,
        });
        let result = write_object(body, &paths).await;
        if result.is_err() {
            let incoming = paths.incoming.clone();
            let _ = tokio::task::spawn_blocking(move || std::fs::remove_file(incoming)).await;
        }
        let (size, sha256) = result?;
        Ok(StoredObject { key, size, sha256 })
    }

    async fn get(&self, tenant: TenantId, key: &ObjectKey) -> Result<ObjectReader, StoreError> {
        match fs::File::open(self.object_path(tenant, key)).await {
            Ok(file) => Ok(Box::pin(file)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(StoreError::NotFound(key.to_string()))
            }
            Err(err) => Err(err.into()),
        }
    }

    async fn check(&self) -> Result<(), StoreError> {
        fs::create_dir_all(&self.root).await?;
        let probe = self.root.join(".ready");
        fs::write(&probe, b"ok").await?;
        Ok(())
    }

    async fn remove_tenant(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let dir = self.tenant_dir(tenant);
        let mut removed = 0u64;
        let mut folders = vec![dir.clone()];
        while let Some(folder) = folders.pop() {
            let mut entries = match fs::read_dir(&folder).await {
                Ok(entries) => entries,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => return Err(err.into()),
            };
            while let Some(entry) = entries.next_entry().await? {
                if entry.file_type().await?.is_dir() {
                    folders.push(entry.path());
                } else {
                    fs::remove_file(entry.path()).await?;
                    removed += 1;
                }
            }
        }
        match fs::remove_dir_all(&dir).await {
            Ok(()) => Ok(removed),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(removed),
            Err(err) => Err(err.into()),
        }
    }
}

/// Where one upload is written, then announced.
#[derive(Debug)]
struct UploadPaths {
    tenant_dir: PathBuf,
    incoming: PathBuf,
    target: PathBuf,
}

/// Reads `body` a chunk at a time, hashing on the way, and hands each chunk to the
/// blocking pool with the open file: one trip there per chunk, so a scan (one chunk)
/// is opened, written, synced and announced in a single trip, where each of those
/// steps was a trip of its own (docs/benchmarks.md, seventeenth session).
async fn write_object(
    body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
    paths: &Arc<UploadPaths>,
) -> Result<(u64, String), StoreError> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut file: Option<std::fs::File> = None;
    loop {
        let mut chunk = bytes::BytesMut::new();
        let read = fill_part(body, &mut chunk, CHUNK, &mut hasher).await?;
        size += read as u64;
        // A chunk shorter than CHUNK is the last; a full one may be followed by none.
        let last = read < CHUNK;
        let paths = paths.clone();
        file = tokio::task::spawn_blocking(move || -> std::io::Result<_> {
            let mut file = match file {
                Some(file) => file,
                None => create_incoming(&paths)?,
            };
            file.write_all(&chunk)?;
            if !last {
                return Ok(Some(file));
            }
            // The bytes are on disk before the object is announced.
            file.sync_all()?;
            announce(&paths)?;
            Ok(None)
        })
        .await
        .map_err(std::io::Error::other)??;
        if file.is_none() {
            return Ok((size, hex::encode(hasher.finalize())));
        }
    }
}

/// A new file in the tenant's `incoming` folder; the folders are made the first
/// time (or again after the tenant's space was removed).
fn create_incoming(paths: &UploadPaths) -> std::io::Result<std::fs::File> {
    let open = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&paths.incoming)
    };
    match open() {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            make_folders(&paths.tenant_dir)?;
            open()
        }
        opened => opened,
    }
}

/// A tenant's space: `doc/` for the objects, `incoming/` for files being written.
fn make_folders(tenant_dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(tenant_dir.join("doc"))?;
    std::fs::create_dir_all(tenant_dir.join("incoming"))
}

/// Gives the written file its key. A hard link fails if the target exists: the
/// store never overwrites.
fn announce(paths: &UploadPaths) -> std::io::Result<()> {
    let linked = std::fs::hard_link(&paths.incoming, &paths.target);
    let _ = std::fs::remove_file(&paths.incoming);
    linked
}
