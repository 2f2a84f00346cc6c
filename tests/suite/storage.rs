use std::{
    pin::Pin,
    task::{Context, Poll},
};

use ordo_domain::TenantId;
use ordo_storage::{DocumentStore, LocalStore, ObjectKey, S3Store};
use ordo_tests::{Backend, Storage, TestApp, s3_settings};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncRead, AsyncReadExt, ReadBuf};

/// A reproducible stream of pseudo-random bytes, generated as it is read: a large
/// upload without a large buffer in the test.
struct Generated {
    remaining: u64,
    state: u64,
}

impl Generated {
    fn new(size: u64, seed: u64) -> Self {
        Self {
            remaining: size,
            state: seed | 1,
        }
    }
}

impl AsyncRead for Generated {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = usize::try_from(self.remaining.min(buf.remaining() as u64))
            .unwrap_or(0)
            .min(64 * 1024);
        let mut chunk = vec![0u8; n];
        for byte in &mut chunk {
            // xorshift64: fast, deterministic, incompressible enough.
            self.state ^= self.state << 13;
            self.state ^= self.state >> 7;
            self.state ^= self.state << 17;
            *byte = (self.state >> 24) as u8;
        }
        buf.put_slice(&chunk);
        self.remaining -= n as u64;
        Poll::Ready(Ok(()))
    }
}

async fn digest_of(mut reader: impl AsyncRead + Unpin) -> (u64, String) {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buf).await.expect("read");
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    (size, hex::encode(hasher.finalize()))
}

async fn round_trip(
    store: &dyn DocumentStore,
    tenant: TenantId,
    size: u64,
    seed: u64,
) -> ObjectKey {
    let (_, expected) = digest_of(Generated::new(size, seed)).await;
    let stored = store
        .put(
            tenant,
            &mut Generated::new(size, seed),
            "application/octet-stream",
        )
        .await
        .expect("put");
    assert_eq!(stored.size, size);
    assert_eq!(
        stored.sha256, expected,
        "the hash computed on the way is the content's"
    );
    let (read_size, read_hash) =
        digest_of(store.get(tenant, &stored.key).await.expect("get")).await;
    assert_eq!(
        (read_size, read_hash),
        (size, expected),
        "the object reads back whole"
    );
    stored.key
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_round_trips_small_and_large_files_in_a_versioned_locked_bucket() {
    let store = S3Store::new(&s3_settings());
    let tenant = TenantId::generate();
    store.prepare_tenant(tenant).await.expect("prepare bucket");
    store
        .prepare_tenant(tenant)
        .await
        .expect("preparing twice is harmless");
    let bucket = store.bucket_name(tenant);
    assert_eq!(
        versioning_of(&store, &bucket).await.as_deref(),
        Some("Enabled")
    );
    let lock = store
        .client()
        .get_object_lock_configuration()
        .bucket(&bucket)
        .send()
        .await
        .expect("object lock");
    assert_eq!(
        lock.object_lock_configuration()
            .and_then(|c| c.object_lock_enabled())
            .map(|s| s.as_str()),
        Some("Enabled")
    );

    let empty = round_trip(&store, tenant, 0, 1).await;
    let small = round_trip(&store, tenant, 1_000, 2).await;
    let exact_part = round_trip(&store, tenant, 8 * 1024 * 1024, 3).await;
    let large = round_trip(&store, tenant, 110 * 1024 * 1024 + 12_345, 4).await;
    let keys = [empty, small, exact_part, large];
    assert_eq!(
        keys.iter().collect::<std::collections::HashSet<_>>().len(),
        4,
        "every upload gets a new key"
    );

    // Another tenant's bucket does not hold this tenant's objects.
    let other = TenantId::generate();
    store.prepare_tenant(other).await.expect("prepare");
    assert!(store.get(other, &keys[1]).await.is_err());
}

/// The first uploads after a start arrive together: they all wait for one
/// preparation of the bucket, and a bucket found without versioning (made by hand,
/// or before versioning was asked) gets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_store_prepares_a_bucket_once_for_concurrent_first_uploads() {
    let tenant = TenantId::generate();
    let settings = s3_settings();
    let made_by_hand = S3Store::new(&settings);
    let bucket = made_by_hand.bucket_name(tenant);
    made_by_hand
        .client()
        .create_bucket()
        .bucket(&bucket)
        .send()
        .await
        .expect("a plain bucket");

    let store = std::sync::Arc::new(S3Store::new(&settings));
    let mut uploads = tokio::task::JoinSet::new();
    for n in 0..16u64 {
        let store = store.clone();
        uploads.spawn(async move {
            let mut body = Generated::new(1_000 + n, n);
            store.put(tenant, &mut body, "application/pdf").await
        });
    }
    let mut keys = std::collections::HashSet::new();
    while let Some(stored) = uploads.join_next().await {
        keys.insert(stored.expect("joined").expect("stored").key);
    }
    assert_eq!(keys.len(), 16);
    assert_eq!(
        versioning_of(&store, &bucket).await.as_deref(),
        Some("Enabled")
    );
}

/// The bucket's versioning status as the S3 server reports it.
async fn versioning_of(store: &S3Store, bucket: &str) -> Option<String> {
    store
        .client()
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .expect("versioning")
        .status()
        .map(|s| s.as_str().to_owned())
}

#[tokio::test]
async fn local_store_round_trips_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("dir");
    let store = LocalStore::new(dir.path());
    let tenant = TenantId::generate();
    let first = round_trip(&store, tenant, 3 * 1024 * 1024 + 7, 5).await;
    let second = round_trip(&store, tenant, 10, 6).await;
    assert_ne!(first, second);
    let (size, _) = digest_of(store.get(tenant, &first).await.expect("still there")).await;
    assert_eq!(size, 3 * 1024 * 1024 + 7);
    assert!(
        store.get(TenantId::generate(), &first).await.is_err(),
        "another tenant's space does not hold it"
    );
    assert!(ObjectKey::parse("doc/../../etc/passwd").is_err());
    assert!(ObjectKey::parse(first.as_str()).is_ok());
}

/// A body that breaks off: the client went away mid-upload.
struct BrokenOff;

impl AsyncRead for BrokenOff {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        _: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Poll::Ready(Err(std::io::Error::from(
            std::io::ErrorKind::ConnectionReset,
        )))
    }
}

fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count())
}

#[tokio::test]
async fn local_store_keeps_nothing_of_a_broken_upload_and_writes_again_after_removal() {
    let dir = tempfile::tempdir().expect("dir");
    let store = LocalStore::new(dir.path());
    let tenant = TenantId::generate();
    let space = dir.path().join(tenant.to_string());
    // Exactly two of the store's 256 KiB chunks: the last chunk read is empty.
    round_trip(&store, tenant, 512 * 1024, 7).await;
    let broken = store
        .put(
            tenant,
            &mut Generated::new(300 * 1024, 8).chain(BrokenOff),
            "application/pdf",
        )
        .await;
    assert!(broken.is_err(), "a broken upload is refused");
    assert_eq!(
        files_in(&space.join("incoming")),
        0,
        "nothing half-written is left"
    );
    assert_eq!(
        files_in(&space.join("doc")),
        1,
        "only the whole document is kept"
    );

    assert_eq!(store.remove_tenant(tenant).await.expect("removed"), 1);
    assert!(!space.exists());
    // Its folders are made again by the next upload.
    round_trip(&store, tenant, 100 * 1024, 9).await;
    assert_eq!(files_in(&space.join("doc")), 1);
    assert_eq!(files_in(&space.join("incoming")), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_reports_the_real_database_and_s3_server() {
    let app = TestApp::spawn(Backend::Postgres, Storage::S3).await;
    let ready = reqwest::get(app.url("/readyz")).await.expect("GET /readyz");
    assert_eq!(ready.status(), 200);
    assert_eq!(
        ready.json::<serde_json::Value>().await.expect("json"),
        serde_json::json!({"database": "ok", "storage": "ok"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_when_the_s3_server_is_unreachable() {
    let mut settings = s3_settings();
    // A port nothing listens on: the store is down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    settings.endpoint = format!("http://{}", closed.local_addr().expect("addr"));
    drop(closed);
    let db = ordo_tests::TestDb::new(Backend::Sqlite).await;
    let dir = tempfile::tempdir().expect("dir");
    let store = std::sync::Arc::new(S3Store::new(&settings));
    let state = ordo_web::AppState::new(
        db.app.clone(),
        store,
        ordo_tests::eml_mail(dir.path()),
        std::sync::Arc::new(ordo_domain::SystemClock),
        ordo_telemetry::Metrics::new().expect("metrics"),
        ordo_web::CookiePolicy { secure: false },
    );
    let response = tower_oneshot(state).await;
    assert_eq!(response.0, 503);
    assert_eq!(
        response.1,
        serde_json::json!({"database": "ok", "storage": "unavailable"})
    );
}

async fn tower_oneshot(state: ordo_web::AppState) -> (u16, serde_json::Value) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("addr");
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, ordo::app::router(state)).await;
    });
    let response = reqwest::get(format!("http://{address}/readyz"))
        .await
        .expect("GET");
    let status = response.status().as_u16();
    let body = response.json().await.expect("json");
    server.abort();
    (status, body)
}
