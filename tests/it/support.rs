//! Shared test fixtures: real databases per test and the demo clinic.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sofia::clinics::{self, LoadedClinic};
use sofia::store::Store;
use sofia::store::postgres::PgStore;
use sofia::store::sqlite::SqliteStore;
use sofia_core::domain::TenantId;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The PostgreSQL server tests run against (`.ci/run` makes sure it is up).
pub fn postgres_url() -> String {
    std::env::var("SOFIA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn demo_clinic() -> LoadedClinic {
    clinics::load_clinic(&repo_path("knowledge"), &TenantId::parse("demo").expect("demo is a tenant id"))
        .expect("the demo clinic loads")
}

/// A temporary knowledge index holding the demo clinic's knowledge, as `sofia eval` builds.
pub async fn demo_knowledge() -> Arc<sofia::knowledge::KnowledgeBase> {
    let demo = demo_clinic();
    let knowledge = sofia::knowledge::KnowledgeBase::temporary(&Default::default(), reqwest::Client::new())
        .await
        .expect("a temporary knowledge index opens");
    knowledge
        .ingest(&demo.clinic, demo.dir(), &sofia::knowledge::Quiet)
        .await
        .expect("the demo knowledge ingests");
    Arc::new(knowledge)
}

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).expect("test timestamps are RFC 3339").to_utc()
}

/// A database that lives as long as the test: a temporary SQLite file or a PostgreSQL schema.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    /// The database URL, for starting the whole app on this database.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Schema(String),
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("sofia-test-{}.db", uuid::Uuid::new_v4().simple()));
        let url = format!("sqlite://{}", path.display());
        let store = SqliteStore::connect(&url).await.expect("open a SQLite test database");
        store.migrate().await.expect("migrate SQLite");
        TestDb { store: Arc::new(store), url, cleanup: Cleanup::File(path) }
    }

    pub async fn postgres() -> TestDb {
        let schema = format!("sofia_test_{}", uuid::Uuid::new_v4().simple());
        let base =
            PgConnectOptions::from_str(&postgres_url()).expect("SOFIA_TEST_POSTGRES_URL is a postgres URL");
        let mut admin = base.connect().await.unwrap_or_else(|e| {
            panic!("PostgreSQL must be running for the store tests ({}): {e}", postgres_url())
        });
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create a test schema");
        admin.close().await.ok();
        let options = base.options([("search_path", schema.as_str())]);
        let store = PgStore::connect_with(options).await.expect("connect to the test schema");
        store.migrate().await.expect("migrate PostgreSQL");
        let url = format!("{}?options=-c%20search_path%3D{schema}", postgres_url());
        TestDb { store: Arc::new(store), url, cleanup: Cleanup::Schema(schema) }
    }

    /// Runs `sql` on the test database behind the store's back, to break it on purpose.
    pub async fn execute(&self, sql: &str) {
        if self.url.starts_with("sqlite:") {
            let mut connection = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut connection).await.unwrap();
        } else {
            let mut connection = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(sql).execute(&mut connection).await.unwrap();
        }
    }

    /// The store with the demo clinic loaded.
    pub async fn with_demo(self, now: DateTime<Utc>) -> Self {
        clinics::sync(self.store.as_ref(), &demo_clinic(), now).await.expect("load the demo clinic");
        self
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Schema(schema) => {
                // Drop runs outside any runtime we may block on: use a thread with its own.
                let schema = schema.clone();
                let _ = std::thread::spawn(move || {
                    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build()
                    else {
                        return;
                    };
                    runtime.block_on(async move {
                        if let Ok(mut admin) = sqlx::PgConnection::connect(&postgres_url()).await {
                            let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                                .execute(&mut admin)
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Runs each named test against both backends: `conformance!(books_once, …)` makes
/// `sqlite::books_once` and `postgres::books_once`, each calling `books_once(TestDb)`.
macro_rules! conformance {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::support::TestDb::sqlite().await).await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::support::TestDb::postgres().await).await;
                }
            )+
        }
    };
}
pub(crate) use conformance;

/// A TCP forwarder the test can cut, to make a real database or Redis unreachable.
pub struct TcpProxy {
    pub address: SocketAddr,
    accept: JoinHandle<()>,
    connections: std::sync::Arc<std::sync::Mutex<Vec<JoinHandle<()>>>>,
}

impl TcpProxy {
    pub async fn start(upstream: String) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let connections = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let tracked = std::sync::Arc::clone(&connections);
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tracked.lock().unwrap().push(task);
            }
        });
        TcpProxy { address, accept, connections }
    }

    /// The upstream goes away for good: no new connections, and the open ones close.
    pub fn cut(&self) {
        self.accept.abort();
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }

    /// The open connections close, as when the upstream restarts; new ones are still let
    /// through.
    pub fn drop_connections(&self) {
        for connection in self.connections.lock().unwrap().drain(..) {
            connection.abort();
        }
    }
}
