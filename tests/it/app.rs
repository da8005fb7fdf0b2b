//! The real app, started on port 0 against a real database, as a client (or a WhatsApp
//! provider) sees it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use sofia::app::{IndexPlacement, Sofia, Wiring};
use sofia::channels::{AdvanceClock, RetryPolicy, RouterConfig};
use sofia::chatwoot::{Mirror, Relay};
use sofia::clinics::Reloader;
use sofia::config::Config;
use sofia::inbox::InboxListener;
use sofia::metrics::Metrics;
use sofia::outbox::{Dispatcher, DispatcherConfig};
use sofia::scheduler::Scheduler;
use sofia::secret::Secret;
use sofia_core::clock::FrozenClock;
use sofia_core::domain::ConversationId;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::support::{at, repo_path};

pub const NOW: &str = "2026-03-02T09:00:00-03:00";
pub const EVOLUTION_KEY: &str = "evo-webhook-key-7f3a9c2e51b04d68";
pub const ZAPI_KEY: &str = "zapi-webhook-key-0b8e4d1c9a6f2357";
pub const META_APP_SECRET: &str = "meta-app-secret-for-tests";
pub const META_VERIFY_TOKEN: &str = "meta-verify-token-for-tests";
pub const TEST_TENANT: &str = "teste";
pub const CHATWOOT_TOKEN: &str = "chatwoot-access-token-for-tests";
pub const CHATWOOT_WEBHOOK_KEY: &str = "chatwoot-webhook-key-5d2e8a1f3c7b9046";
pub const CHATWOOT_HMAC: &str = "chatwoot-hmac-secret-for-tests";

/// Where the test clinic's channels send (fake providers, or nowhere).
pub struct ProviderUrls {
    pub evolution: String,
    pub zapi: String,
    pub meta: String,
}

impl Default for ProviderUrls {
    /// Nothing listens on port 9 (discard): a send there fails fast.
    fn default() -> Self {
        let nowhere = "http://127.0.0.1:9".to_owned();
        ProviderUrls { evolution: nowhere.clone(), zapi: nowhere.clone(), meta: nowhere }
    }
}

/// A knowledge folder with one clinic, `teste`: the demo clinic with Evolution, Z-API and Meta
/// channels (`tests/fixtures/knowledge/channels.yaml`). Removed on drop.
pub struct TestKnowledge {
    pub dir: PathBuf,
}

impl TestKnowledge {
    pub fn with_channels(urls: &ProviderUrls) -> Self {
        Self::with_channels_and(urls, "")
    }

    /// The test clinic mirrored into the Chatwoot at `chatwoot`
    /// (`tests/fixtures/knowledge/chatwoot.yaml`).
    pub fn with_chatwoot(urls: &ProviderUrls, chatwoot: &str) -> Self {
        let section = std::fs::read_to_string(repo_path("tests/fixtures/knowledge/chatwoot.yaml"))
            .unwrap()
            .replace("{chatwoot}", chatwoot);
        Self::with_channels_and(urls, &section)
    }

    /// The test clinic's file with `more` (top-level sections) after its channels.
    fn with_channels_and(urls: &ProviderUrls, more: &str) -> Self {
        let demo = std::fs::read_to_string(repo_path("knowledge/demo/clinic.yaml")).unwrap();
        let (without_channels, _) =
            demo.split_once("\nchannels:").expect("the demo clinic declares channels");
        let channels = std::fs::read_to_string(repo_path("tests/fixtures/knowledge/channels.yaml"))
            .unwrap()
            .replace("{evolution}", &urls.evolution)
            .replace("{zapi}", &urls.zapi)
            .replace("{meta}", &urls.meta);
        let dir = std::env::temp_dir().join(format!("sofia-knowledge-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(dir.join(TEST_TENANT)).unwrap();
        std::fs::write(
            dir.join(TEST_TENANT).join("clinic.yaml"),
            format!("{without_channels}\n{channels}\n{more}"),
        )
        .unwrap();
        TestKnowledge { dir }
    }

    pub fn clinic(&self) -> sofia_core::clinic::Clinic {
        sofia::clinics::load_clinic(&self.dir, &TEST_TENANT.parse().unwrap()).unwrap().clinic
    }
}

impl Drop for TestKnowledge {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Records which conversations the inbox said have new patient messages.
#[derive(Default)]
pub struct RecordingListener(pub Mutex<Vec<ConversationId>>);

impl InboxListener for RecordingListener {
    fn inbound_stored(&self, conversation: ConversationId) {
        self.0.lock().unwrap().push(conversation);
    }
}

impl RecordingListener {
    pub fn calls(&self) -> Vec<ConversationId> {
        self.0.lock().unwrap().clone()
    }
}

/// The process environment the test clinic's channels read.
pub fn channel_env() -> HashMap<String, String> {
    [
        ("TESTE_EVOLUTION_API_KEY", "evolution-api-key"),
        ("TESTE_EVOLUTION_WEBHOOK_KEY", EVOLUTION_KEY),
        ("TESTE_ZAPI_TOKEN", "zapi-token"),
        ("TESTE_ZAPI_CLIENT_TOKEN", "zapi-client-token"),
        ("TESTE_ZAPI_WEBHOOK_KEY", ZAPI_KEY),
        ("TESTE_META_TOKEN", "meta-access-token"),
        ("TESTE_CHATWOOT_TOKEN", CHATWOOT_TOKEN),
        ("TESTE_CHATWOOT_WEBHOOK_KEY", CHATWOOT_WEBHOOK_KEY),
        ("TESTE_CHATWOOT_HMAC", CHATWOOT_HMAC),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub clock: Arc<FrozenClock>,
    pub listener: Arc<RecordingListener>,
    pub dispatcher: Arc<Dispatcher>,
    /// The Chatwoot mirror, whose rounds the tests run themselves.
    pub mirror: Arc<Mirror>,
    /// The Chatwoot relay, whose rounds the tests run themselves.
    pub relay: Arc<Relay>,
    /// The scheduler, whose rounds the tests run themselves.
    pub scheduler: Arc<Scheduler>,
    pub metrics: Arc<Metrics>,
    /// The app's clinic reloader (the tests run its loop's round themselves).
    pub reloader: Arc<Reloader>,
    /// What the console channel printed.
    pub console: Arc<Mutex<Vec<String>>>,
    stop: Option<oneshot::Sender<()>>,
    server: JoinHandle<anyhow::Result<()>>,
}

impl TestApp {
    /// The app on the demo clinic (console channel only).
    pub async fn spawn(database_url: &str) -> TestApp {
        Self::spawn_in(database_url, &repo_path("knowledge")).await
    }

    /// The app on the clinics of `knowledge_dir`, with Meta's secrets and the test channels'
    /// environment, retries that do not wait, and a recording inbox listener.
    pub async fn spawn_in(database_url: &str, knowledge_dir: &Path) -> TestApp {
        Self::spawn_configured(database_url, knowledge_dir, |_| {}).await
    }

    /// [`TestApp::spawn_in`] with the test's changes to the configuration.
    pub async fn spawn_configured(
        database_url: &str,
        knowledge_dir: &Path,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let mut config = Config::default();
        config.database.url = Secret::new(database_url);
        config.knowledge.dir = knowledge_dir.to_owned();
        config.meta.app_secret = Secret::new(META_APP_SECRET);
        config.meta.verify_token = Secret::new(META_VERIFY_TOKEN);
        configure(&mut config);
        let clock = Arc::new(FrozenClock::at(at(NOW)));
        let console = Arc::new(Mutex::new(Vec::new()));
        let printed = Arc::clone(&console);
        let env = channel_env();
        let listener = Arc::new(RecordingListener::default());
        let wiring = Wiring {
            clock: clock.clone(),
            env: Arc::new(move |name| env.get(name).cloned()),
            outbox: DispatcherConfig {
                // Short, for the tests of a provider that never answers; ample for wiremock.
                send_timeout: std::time::Duration::from_secs(2),
                claim_timeout: sofia::outbox::CLAIM_TIMEOUT,
                router: RouterConfig {
                    retry: RetryPolicy { attempts: 2, ..RetryPolicy::default() },
                    ..RouterConfig::default()
                },
                sleeper: Arc::new(AdvanceClock(clock.clone())),
                console: Arc::new(move |line: &str| printed.lock().unwrap().push(line.to_owned())),
            },
            // The tests call the sweep and the mirror themselves.
            sweep_every: None,
            mirror_every: None,
            relay_every: None,
            scheduler_every: None,
            crm_every: None,
            // Every test app has its own index, removed with it.
            index: IndexPlacement::Temporary,
            inbox_listener: listener.clone(),
        };
        let sofia = Sofia::start_with(config, wiring).await.expect("Sofia starts");
        let dispatcher = Arc::clone(&sofia.dispatcher);
        let mirror = Arc::clone(&sofia.chatwoot);
        let relay = Arc::clone(&sofia.chatwoot_relay);
        let scheduler = Arc::clone(&sofia.scheduler);
        let metrics = Arc::clone(&sofia.metrics);
        let reloader = Arc::clone(&sofia.reloader);
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = tcp.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(sofia.serve(tcp, async move {
            let _ = stopped.await;
        }));
        TestApp {
            address,
            client: reqwest::Client::new(),
            clock,
            listener,
            dispatcher,
            mirror,
            relay,
            scheduler,
            metrics,
            reloader,
            console,
            stop: Some(stop),
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// POSTs a body as a provider would; answers the status and the JSON body.
    pub async fn post(&self, path: &str, body: Vec<u8>, headers: &[(&str, String)]) -> (u16, Value) {
        let mut request =
            self.client.post(self.url(path)).header("content-type", "application/json").body(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")))
    }

    pub async fn post_evolution(&self, body: Vec<u8>) -> (u16, Value) {
        self.post(&format!("/webhooks/evolution/{EVOLUTION_KEY}"), body, &[]).await
    }

    pub async fn post_zapi(&self, body: Vec<u8>) -> (u16, Value) {
        self.post(&format!("/webhooks/zapi/{ZAPI_KEY}"), body, &[]).await
    }

    /// POSTs a Meta notification signed with the test app secret.
    pub async fn post_meta(&self, body: Vec<u8>) -> (u16, Value) {
        let signature = meta_signature(&body);
        self.post("/webhooks/meta", body, &[("x-hub-signature-256", signature)]).await
    }

    /// POSTs a Chatwoot webhook delivery, signed as Chatwoot signs it (with the test clinic's
    /// HMAC secret and the app's clock), with `delivery` as `X-Chatwoot-Delivery`.
    pub async fn post_chatwoot(&self, body: &Value, delivery: &str) -> (u16, Value) {
        let body = serde_json::to_vec(body).unwrap();
        let timestamp = sofia_core::clock::Clock::now(self.clock.as_ref()).timestamp();
        let signature = sofia::chatwoot::webhook::sign(CHATWOOT_HMAC, timestamp, &body);
        let headers = [
            ("x-chatwoot-signature", signature),
            ("x-chatwoot-timestamp", timestamp.to_string()),
            ("x-chatwoot-delivery", delivery.to_owned()),
        ];
        self.post(&format!("/webhooks/chatwoot/{CHATWOOT_WEBHOOK_KEY}"), body, &headers).await
    }

    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.server.await.unwrap().expect("a clean shutdown");
    }
}

/// `sha256=<hex>` of the body under the test app secret, as Meta signs.
pub fn meta_signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(META_APP_SECRET.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The raw bytes of `tests/fixtures/providers/{provider}/{name}`.
pub fn fixture(provider: &str, name: &str) -> Vec<u8> {
    let path = repo_path("tests/fixtures/providers").join(provider).join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture file name of a provider, sorted.
pub fn fixture_names(provider: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_path("tests/fixtures/providers").join(provider))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
