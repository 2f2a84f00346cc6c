use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use aws_sdk_s3::{
    Client,
    config::{
        BehaviorVersion, Credentials, Region, RequestChecksumCalculation,
        ResponseChecksumValidation,
    },
    error::{DisplayErrorContext, ProvideErrorMetadata},
    primitives::ByteStream,
    types::{
        BucketVersioningStatus, CompletedMultipartUpload, CompletedPart, Delete, ObjectIdentifier,
        VersioningConfiguration,
    },
};
use bytes::BytesMut;
use ordo_domain::TenantId;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use tokio::{sync::OnceCell, task::JoinSet};

use crate::{DocumentStore, ObjectKey, ObjectReader, StoreError, StoredObject, fill_part};

/// Parts of 8 MiB, at most three uploading while the next one is read: enough to
/// keep a loopback or LAN link busy, and memory stays under 32 MiB a file.
const PART_SIZE: usize = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT: usize = 3;

/// How to reach the S3-compatible server.
#[derive(Debug, Clone)]
pub struct S3Settings {
    pub endpoint: String,
    pub region: String,
    pub access_key: String,
    pub secret_key: SecretString,
    /// Buckets are named `<prefix>-<tenant uuid>`.
    pub bucket_prefix: String,
}

/// Documents in an S3-compatible object store, one bucket per tenant.
#[derive(Debug)]
pub struct S3Store {
    client: Client,
    region: String,
    bucket_prefix: String,
    /// Each administration's bucket, made ready once per process: the first uploads
    /// after a start arrive together, and wait for one preparation rather than each
    /// asking the server the same questions.
    prepared: Mutex<HashMap<TenantId, Arc<OnceCell<()>>>>,
}

fn s3_error<E>(operation: &'static str) -> impl FnOnce(E) -> StoreError
where
    E: std::error::Error,
{
    move |err| StoreError::S3 {
        operation,
        detail: DisplayErrorContext(&err).to_string(),
    }
}

impl S3Store {
    pub fn new(settings: &S3Settings) -> Self {
        let credentials = Credentials::new(
            &settings.access_key,
            settings.secret_key.expose_secret(),
            None,
            None,
            "ordo-configuration",
        );
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(settings.region.clone()))
            .endpoint_url(&settings.endpoint)
            .credentials_provider(credentials)
            // Path-style works with every S3-compatible server and needs no wildcard DNS.
            .force_path_style(true)
            // Checksums only where an operation requires them: many S3-compatible
            // servers do not accept the SDK's default aws-chunked CRC32 uploads.
            .request_checksum_calculation(RequestChecksumCalculation::WhenRequired)
            .response_checksum_validation(ResponseChecksumValidation::WhenRequired)
            .build();
        Self {
            client: Client::from_conf(config),
            region: settings.region.clone(),
            bucket_prefix: settings.bucket_prefix.clone(),
            prepared: Mutex::new(HashMap::new()),
        }
    }

    pub fn bucket_name(&self, tenant: TenantId) -> String {
        format!("{}-{}", self.bucket_prefix, tenant)
    }

    /// The underlying client, for tests and benchmarks that inspect the server.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn preparation(&self, tenant: TenantId) -> Arc<OnceCell<()>> {
        let mut prepared = self.prepared.lock().unwrap_or_else(|p| p.into_inner());
        prepared.entry(tenant).or_default().clone()
    }

    /// Creates the bucket if it is missing, and turns versioning on if it is off
    /// (asked first: a read, where setting it each time would be a write).
    async fn make_ready(&self, tenant: TenantId) -> Result<(), StoreError> {
        let bucket = self.bucket_name(tenant);
        if self
            .client
            .head_bucket()
            .bucket(&bucket)
            .send()
            .await
            .is_err()
        {
            self.create_bucket(&bucket).await?;
        }
        let versioning = self
            .client
            .get_bucket_versioning()
            .bucket(&bucket)
            .send()
            .await
            .map_err(s3_error("GetBucketVersioning"))?;
        if versioning.status() == Some(&BucketVersioningStatus::Enabled) {
            return Ok(());
        }
        self.client
            .put_bucket_versioning()
            .bucket(&bucket)
            .versioning_configuration(
                VersioningConfiguration::builder()
                    .status(BucketVersioningStatus::Enabled)
                    .build(),
            )
            .send()
            .await
            .map_err(s3_error("PutBucketVersioning"))?;
        Ok(())
    }

    /// A CreateBucket request, with the location constraint AWS wants outside
    /// us-east-1 (Ceph's "default" zonegroup needs none).
    fn create_bucket_request(
        &self,
        bucket: &str,
    ) -> aws_sdk_s3::operation::create_bucket::builders::CreateBucketFluentBuilder {
        let request = self.client.create_bucket().bucket(bucket);
        if self.region == "us-east-1" || self.region == "default" {
            return request;
        }
        let location = aws_sdk_s3::types::CreateBucketConfiguration::builder()
            .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::from(
                self.region.as_str(),
            ))
            .build();
        request.create_bucket_configuration(location)
    }

    async fn create_bucket(&self, bucket: &str) -> Result<(), StoreError> {
        let request = self
            .create_bucket_request(bucket)
            .object_lock_enabled_for_bucket(true);
        match request.send().await {
            Ok(_) => Ok(()),
            Err(err) => match err.code() {
                Some("BucketAlreadyOwnedByYou") => Ok(()),
                // A server without object lock: a plain bucket, versioned below.
                Some("InvalidArgument" | "NotImplemented" | "InvalidRequest") => {
                    tracing::warn!(
                        bucket,
                        "object lock not supported by the S3 server; bucket created without it"
                    );
                    match self.create_bucket_request(bucket).send().await {
                        Ok(_) => Ok(()),
                        Err(err) if err.code() == Some("BucketAlreadyOwnedByYou") => Ok(()),
                        Err(err) => Err(s3_error("CreateBucket")(err)),
                    }
                }
                _ => Err(s3_error("CreateBucket")(err)),
            },
        }
    }

    async fn upload_single(
        &self,
        bucket: &str,
        key: &ObjectKey,
        body: BytesMut,
        media_type: &str,
    ) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(bucket)
            .key(key.as_str())
            .content_type(media_type)
            .body(ByteStream::from(body.freeze()))
            .send()
            .await
            .map_err(s3_error("PutObject"))?;
        Ok(())
    }

    async fn upload_multipart(
        &self,
        bucket: &str,
        key: &ObjectKey,
        first: BytesMut,
        body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
        hasher: &mut Sha256,
        media_type: &str,
    ) -> Result<u64, StoreError> {
        let created = self
            .client
            .create_multipart_upload()
            .bucket(bucket)
            .key(key.as_str())
            .content_type(media_type)
            .send()
            .await
            .map_err(s3_error("CreateMultipartUpload"))?;
        let upload_id = created.upload_id().unwrap_or_default().to_owned();
        let outcome = self
            .upload_parts(bucket, key, &upload_id, first, body, hasher)
            .await;
        match outcome {
            Ok((size, parts)) => {
                self.client
                    .complete_multipart_upload()
                    .bucket(bucket)
                    .key(key.as_str())
                    .upload_id(&upload_id)
                    .multipart_upload(
                        CompletedMultipartUpload::builder()
                            .set_parts(Some(parts))
                            .build(),
                    )
                    .send()
                    .await
                    .map_err(s3_error("CompleteMultipartUpload"))?;
                Ok(size)
            }
            Err(err) => {
                // Leave nothing half-uploaded behind on the server.
                if let Err(abort) = self
                    .client
                    .abort_multipart_upload()
                    .bucket(bucket)
                    .key(key.as_str())
                    .upload_id(&upload_id)
                    .send()
                    .await
                {
                    tracing::warn!(bucket, key = %key, error = %DisplayErrorContext(&abort), "abort of a failed multipart upload failed");
                }
                Err(err)
            }
        }
    }

    async fn upload_parts(
        &self,
        bucket: &str,
        key: &ObjectKey,
        upload_id: &str,
        first: BytesMut,
        body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
        hasher: &mut Sha256,
    ) -> Result<(u64, Vec<CompletedPart>), StoreError> {
        let mut in_flight: JoinSet<Result<CompletedPart, StoreError>> = JoinSet::new();
        let mut parts = Vec::new();
        let mut size = 0u64;
        let mut next = Some(first);
        let mut part_number = 0i32;
        while let Some(chunk) = next.take() {
            part_number += 1;
            size += chunk.len() as u64;
            let request = self
                .client
                .upload_part()
                .bucket(bucket)
                .key(key.as_str())
                .upload_id(upload_id)
                .part_number(part_number)
                .body(ByteStream::from(chunk.freeze()));
            in_flight.spawn(async move {
                let done = request.send().await.map_err(s3_error("UploadPart"))?;
                Ok(CompletedPart::builder()
                    .part_number(part_number)
                    .set_e_tag(done.e_tag().map(str::to_owned))
                    .build())
            });
            while in_flight.len() >= PARTS_IN_FLIGHT {
                if let Some(joined) = in_flight.join_next().await {
                    parts.push(joined.map_err(|e| StoreError::S3 {
                        operation: "UploadPart",
                        detail: e.to_string(),
                    })??);
                }
            }
            let mut buf = BytesMut::with_capacity(PART_SIZE);
            if fill_part(body, &mut buf, PART_SIZE, hasher).await? > 0 {
                next = Some(buf);
            }
        }
        while let Some(joined) = in_flight.join_next().await {
            parts.push(joined.map_err(|e| StoreError::S3 {
                operation: "UploadPart",
                detail: e.to_string(),
            })??);
        }
        parts.sort_by_key(|part| part.part_number());
        Ok((size, parts))
    }
}

#[async_trait::async_trait]
impl DocumentStore for S3Store {
    async fn prepare_tenant(&self, tenant: TenantId) -> Result<(), StoreError> {
        // A failed preparation leaves the cell empty: the next upload tries again.
        self.preparation(tenant)
            .get_or_try_init(|| self.make_ready(tenant))
            .await
            .map(|_| ())
    }

    async fn put(
        &self,
        tenant: TenantId,
        body: &mut (dyn tokio::io::AsyncRead + Send + Unpin),
        media_type: &str,
    ) -> Result<StoredObject, StoreError> {
        self.prepare_tenant(tenant).await?;
        let bucket = self.bucket_name(tenant);
        let key = ObjectKey::generate();
        let mut hasher = Sha256::new();
        // Grown as the file comes: most documents are a few hundred KB, and a part's
        // 8 MiB reserved for each would be mapped and unmapped on every upload.
        let mut first = BytesMut::new();
        let first_len = fill_part(body, &mut first, PART_SIZE, &mut hasher).await?;
        let size = if first_len < PART_SIZE {
            // The whole file fits in one part: one request.
            self.upload_single(&bucket, &key, first, media_type).await?;
            first_len as u64
        } else {
            self.upload_multipart(&bucket, &key, first, body, &mut hasher, media_type)
                .await?
        };
        Ok(StoredObject {
            key,
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    async fn get(&self, tenant: TenantId, key: &ObjectKey) -> Result<ObjectReader, StoreError> {
        let bucket = self.bucket_name(tenant);
        match self
            .client
            .get_object()
            .bucket(&bucket)
            .key(key.as_str())
            .send()
            .await
        {
            Ok(output) => Ok(Box::pin(output.body.into_async_read())),
            Err(err) if matches!(err.code(), Some("NoSuchKey" | "NoSuchBucket")) => {
                Err(StoreError::NotFound(key.to_string()))
            }
            Err(err) => Err(s3_error("GetObject")(err)),
        }
    }

    async fn check(&self) -> Result<(), StoreError> {
        self.client
            .list_buckets()
            .max_buckets(1)
            .send()
            .await
            .map_err(s3_error("ListBuckets"))?;
        Ok(())
    }

    async fn remove_tenant(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let bucket = self.bucket_name(tenant);
        let mut removed = 0u64;
        loop {
            // Every version and delete marker, a thousand at a time: a versioned
            // bucket is only empty, and removable, once they are all gone.
            let listed = match self
                .client
                .list_object_versions()
                .bucket(&bucket)
                .max_keys(1000)
                .send()
                .await
            {
                Ok(listed) => listed,
                Err(err) if err.code() == Some("NoSuchBucket") => return Ok(removed),
                Err(err) => return Err(s3_error("ListObjectVersions")(err)),
            };
            let targets: Vec<ObjectIdentifier> = listed
                .versions()
                .iter()
                .map(|v| (v.key(), v.version_id()))
                .chain(
                    listed
                        .delete_markers()
                        .iter()
                        .map(|m| (m.key(), m.version_id())),
                )
                .filter_map(|(key, version)| {
                    ObjectIdentifier::builder()
                        .key(key?)
                        .set_version_id(version.map(str::to_owned))
                        .build()
                        .ok()
                })
                .collect();
            if targets.is_empty() {
                break;
            }
            let count = targets.len() as u64;
            let deleted = self
                .client
                .delete_objects()
                .bucket(&bucket)
                .delete(
                    Delete::builder()
                        .set_objects(Some(targets))
                        .quiet(true)
                        .build()
                        .map_err(s3_error("DeleteObjects"))?,
                )
                .send()
                .await
                .map_err(s3_error("DeleteObjects"))?;
            if let Some(error) = deleted.errors().first() {
                return Err(StoreError::S3 {
                    operation: "DeleteObjects",
                    detail: format!(
                        "{}: {}",
                        error.key().unwrap_or_default(),
                        error.message().unwrap_or_default()
                    ),
                });
            }
            removed += count;
        }
        match self.client.delete_bucket().bucket(&bucket).send().await {
            Ok(_) => {}
            Err(err) if err.code() == Some("NoSuchBucket") => {}
            Err(err) => return Err(s3_error("DeleteBucket")(err)),
        }
        self.prepared
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&tenant);
        Ok(removed)
    }
}
