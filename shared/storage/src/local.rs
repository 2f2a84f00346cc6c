use std::path::{Path, PathBuf};

use ordo_domain::TenantId;
use sha2::{Digest, Sha256};
use tokio::{fs, io::AsyncWriteExt};

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
        fs::create_dir_all(dir.join("doc")).await?;
        fs::create_dir_all(dir.join("incoming")).await?;
        Ok(())
    }

    async fn put(
        &self,
        tenant: TenantId,
        body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
        _media_type: &str,
    ) -> Result<StoredObject, StoreError> {
        self.prepare_tenant(tenant).await?;
        let key = ObjectKey::generate();
        let incoming = self
            .tenant_dir(tenant)
            .join("incoming")
            .join(uuid::Uuid::now_v7().to_string());
        let result = write_incoming(body, &incoming).await;
        let (size, sha256) = match result {
            Ok(done) => done,
            Err(err) => {
                let _ = fs::remove_file(&incoming).await;
                return Err(err);
            }
        };
        // A hard link fails if the target exists: the store never overwrites.
        let target = self.object_path(tenant, &key);
        let linked = fs::hard_link(&incoming, &target).await;
        let _ = fs::remove_file(&incoming).await;
        linked?;
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

async fn write_incoming(
    body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
    path: &Path,
) -> Result<(u64, String), StoreError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = bytes::BytesMut::with_capacity(CHUNK);
    loop {
        buf.clear();
        let read = fill_part(body, &mut buf, CHUNK, &mut hasher).await?;
        if read == 0 {
            break;
        }
        file.write_all(&buf).await?;
        size += read as u64;
    }
    // The bytes are on disk before the object is announced.
    file.sync_all().await?;
    Ok((size, hex::encode(hasher.finalize())))
}
