//! Wiring: which adapters the configuration picks, and the `serve` lifecycle
//! (`run(config, listener, shutdown)`, so tests start the real app on port 0).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::clock::{Clock, SystemClock};
use sofia_core::domain::ProviderKind;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::agent::tools::{SearchKnowledge, Tools};
use crate::agent::{Brain, LlmBrain, RulesBrain};
use crate::channels::{RouterConfig, TokioSleeper, WebhookDirectory};
use crate::clinics::{self, LoadedClinic};
use crate::config::{Config, Sources};
use crate::coordination::{Coordinator, LocalCoordinator, RedisCoordinator};
use crate::engine::worker::{Delivery, WakeOnInbound, Workers};
use crate::engine::{Engine, EngineParts};
use crate::http::{self, AppState};
use crate::inbox::{Inbox, InboxListener, LogListener};
use crate::knowledge::{KnowledgeBase, KnowledgeError, Quiet};
use crate::metrics::Metrics;
use crate::outbox::{Dispatcher, DispatcherConfig, stdout_console};
use crate::store::{self, LlmUsageStore, Store};

/// A started Sofia: store open and migrated, clinics loaded, channels built.
pub struct Sofia {
    pub config: Arc<Config>,
    pub store: Arc<dyn Store>,
    pub clinics: Arc<Vec<LoadedClinic>>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub webhooks: Arc<WebhookDirectory>,
    /// Sends queued replies; the conversation engine calls [`Dispatcher::dispatch`] after a turn.
    pub dispatcher: Arc<Dispatcher>,
    /// Told about every conversation with a new patient message. The default only logs; the
    /// conversation engine replaces it before [`Sofia::serve`].
    pub inbox_listener: Arc<dyn InboxListener>,
    /// The clinics' knowledge, ingested at start; `search_knowledge` searches it.
    pub knowledge: Arc<KnowledgeBase>,
    /// Each clinic's knowledge fingerprint as last ingested, in `clinics` order.
    ingested: Vec<Option<String>>,
    sweep_every: Option<Duration>,
}

/// Reads an environment variable by name (the process environment, or a test's map).
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The parts of a running Sofia that production and tests choose differently.
#[derive(Clone)]
pub struct Wiring {
    pub clock: Arc<dyn Clock>,
    /// Reads the environment variables clinic files name for channel secrets and webhook keys.
    pub env: EnvLookup,
    pub outbox: DispatcherConfig,
    /// How often the outbox sweep retries queued replies (first at start); `None` runs no
    /// sweep (tests call [`Dispatcher::sweep`] themselves).
    pub sweep_every: Option<Duration>,
    pub index: IndexPlacement,
}

/// Where the knowledge index lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexPlacement {
    /// Where the configuration says (`serve`).
    Configured,
    /// Where the configuration says, or a temporary embedded index when another process
    /// holds the embedded one (`sofia chat` beside a running `serve`).
    ConfiguredOrTemporary,
    /// A temporary embedded index, removed at exit (tests).
    Temporary,
}

impl Wiring {
    /// The system clock, the process environment, production retry and rate limits, and the
    /// console channel printing to stdout.
    pub fn production() -> Self {
        Wiring {
            clock: Arc::new(SystemClock),
            env: Arc::new(|name| std::env::var(name).ok()),
            outbox: DispatcherConfig {
                router: RouterConfig::production(),
                send_timeout: Duration::from_secs(15),
                sleeper: Arc::new(TokioSleeper),
                console: stdout_console(),
            },
            sweep_every: Some(Duration::from_secs(30)),
            index: IndexPlacement::Configured,
        }
    }
}

impl Sofia {
    /// Opens the store, applies migrations and loads every clinic under `knowledge.dir` (as of
    /// `clock`), on the production [`Wiring`].
    pub async fn start(config: Config, clock: &dyn Clock) -> anyhow::Result<Sofia> {
        Self::open(config, clock.now(), Wiring::production()).await
    }

    /// [`Sofia::start`] with the given wiring (tests: a frozen clock, their own environment,
    /// fake providers).
    pub async fn start_with(config: Config, wiring: Wiring) -> anyhow::Result<Sofia> {
        let now = wiring.clock.now();
        Self::open(config, now, wiring).await
    }

    async fn open(config: Config, now: DateTime<Utc>, wiring: Wiring) -> anyhow::Result<Sofia> {
        let store = store::open(config.database.url.expose())
            .await
            .with_context(|| format!("cannot open the database {}", config.database_display()))?;
        let loaded = clinics::load_all(&config.knowledge.dir)?;
        for clinic in &loaded {
            let outcome = clinics::sync(store.as_ref(), clinic, now).await?;
            let counts = store.catalog_counts(clinic.clinic.id).await?;
            tracing::info!(
                clinic = %clinic.clinic.tenant,
                file = %clinic.path.display(),
                services = counts.services,
                professionals = counts.professionals,
                packages = counts.packages,
                outcome = ?outcome,
                "clinic loaded"
            );
        }
        let clinic_list: Vec<&Clinic> = loaded.iter().map(|l| &l.clinic).collect();
        let env = |name: &str| (wiring.env)(name);
        let webhooks = WebhookDirectory::new(
            &clinic_list,
            config.meta.app_secret.clone(),
            config.meta.verify_token.clone(),
            &env,
        )?;
        let knowledge = Arc::new(open_knowledge(&config, wiring.index).await?);
        let mut ingested = Vec::with_capacity(loaded.len());
        for clinic in &loaded {
            // Taken before reading the files, so a change made during the ingest is seen later.
            ingested.push(clinic.knowledge_fingerprint().ok());
            ingest(&knowledge, clinic).await?;
        }
        let metrics = Arc::new(Metrics::default());
        let dispatcher = Dispatcher::new(
            &clinic_list,
            Arc::clone(&store),
            Arc::clone(&wiring.clock),
            Arc::clone(&metrics),
            &reqwest::Client::builder()
                .timeout(wiring.outbox.send_timeout)
                .build()
                .context("cannot build the HTTP client for the WhatsApp providers")?,
            &env,
            wiring.outbox.clone(),
        )
        .context("cannot set up the clinics' WhatsApp channels")?;
        Ok(Sofia {
            config: Arc::new(config),
            store,
            clinics: Arc::new(loaded),
            clock: wiring.clock,
            metrics,
            webhooks: Arc::new(webhooks),
            dispatcher: Arc::new(dispatcher),
            inbox_listener: Arc::new(LogListener),
            knowledge,
            ingested,
            sweep_every: wiring.sweep_every,
        })
    }

    /// The conversation engine over this Sofia's store and clinics, with the brain the
    /// configuration picks.
    pub fn engine(&self, clock: Arc<dyn Clock>) -> anyhow::Result<Engine> {
        Ok(Engine::new(
            EngineParts {
                store: Arc::clone(&self.store),
                clinics: Arc::clone(&self.clinics),
                brain: brain(&self.config, &self.store)?,
                tools: Arc::new(Tools::standard().with(SearchKnowledge::new(Arc::clone(&self.knowledge)))),
                clock,
            },
            self.config.engine.clone(),
        ))
    }

    /// The inbox over this Sofia's store, telling [`Sofia::inbox_listener`] about every new
    /// patient message: the webhooks' and `sofia chat`'s.
    pub fn inbox(&self) -> Inbox {
        Inbox::for_engine(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            Arc::clone(&self.inbox_listener),
            Arc::clone(&self.metrics),
            &self.config.engine,
            self.config.uses_embedded_database(),
        )
    }

    fn state(&self) -> AppState {
        let embedded = self.config.uses_embedded_database();
        AppState {
            store: Arc::clone(&self.store),
            database_backend: if embedded { "sqlite" } else { "postgres" },
            clinics: Arc::clone(&self.clinics),
            inbox: Arc::new(self.inbox()),
            webhooks: Arc::clone(&self.webhooks),
            outbox: Arc::clone(&self.dispatcher),
            metrics: Arc::clone(&self.metrics),
            knowledge: Arc::clone(&self.knowledge),
        }
    }

    /// Serves HTTP on `listener` and sweeps the outbox until `shutdown` completes, then drains
    /// in-flight requests.
    pub async fn serve(
        mut self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let address = listener.local_addr()?;
        tracing::info!("listening on http://{address}");
        self.log_webhook_urls();
        let (stop, stopped) = watch::channel(false);
        let engine = Arc::new(self.engine(Arc::clone(&self.clock))?);
        let coordinator = self.coordinator().await?;
        let delivery: Arc<dyn Delivery> = Arc::clone(&self.dispatcher) as Arc<dyn Delivery>;
        let workers = Workers::new(engine, coordinator, delivery);
        let then = Arc::clone(&self.inbox_listener);
        self.inbox_listener = Arc::new(WakeOnInbound { workers: Arc::clone(&workers), then });
        let mut engine_stopped = stopped.clone();
        let working = tokio::spawn(workers.run(async move {
            let _ = engine_stopped.wait_for(|stop| *stop).await;
        }));
        let reloader = (self.config.knowledge.reload_s > 0).then(|| {
            let every = Duration::from_secs(self.config.knowledge.reload_s);
            tokio::spawn(reload_knowledge(
                Arc::clone(&self.knowledge),
                Arc::clone(&self.clinics),
                std::mem::take(&mut self.ingested),
                every,
                stopped.clone(),
            ))
        });
        let sweeper =
            self.sweep_every.map(|every| tokio::spawn(Arc::clone(&self.dispatcher).run(every, stopped)));
        let served = axum::serve(listener, http::router(self.state()))
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = stop.send(true);
            })
            .await
            .context("the HTTP server failed");
        if let Some(sweeper) = sweeper {
            let _ = sweeper.await;
        }
        if let Some(reloader) = reloader {
            let _ = reloader.await;
        }
        let _ = working.await;
        served?;
        tracing::info!("stopped");
        Ok(())
    }

    /// Coordination between replicas: Redis when `redis.url` is set, in-process otherwise.
    async fn coordinator(&self) -> anyhow::Result<Arc<dyn Coordinator>> {
        match self.config.redis_display() {
            None => Ok(Arc::new(LocalCoordinator::new(Arc::clone(&self.clock)))),
            Some(shown) => {
                let redis =
                    RedisCoordinator::connect(self.config.redis.url.expose(), &self.config.redis.prefix)
                        .await
                        .with_context(|| format!("cannot connect to Redis at {shown}"))?;
                tracing::info!(redis = %shown, "coordination: Redis");
                Ok(Arc::new(redis))
            }
        }
    }

    /// Where to point each provider. Keys are shown by the name of the variable holding them:
    /// the operator set it, and logs travel further than the operator's terminal.
    fn log_webhook_urls(&self) {
        let base = self.config.public_url();
        for endpoint in self.webhooks.endpoints() {
            let url = format!("{base}{}", endpoint.path);
            match endpoint.route.provider {
                ProviderKind::Meta => tracing::info!(
                    provider = %endpoint.route.provider,
                    %url,
                    verify_token = "the value of SOFIA_META_VERIFY_TOKEN",
                    "webhook URL to paste into the Meta app dashboard"
                ),
                provider => tracing::info!(
                    clinic = %endpoint.route.tenant,
                    channel = endpoint.route.index,
                    %provider,
                    %url,
                    "webhook URL to configure in the provider"
                ),
            }
        }
    }
}

/// The knowledge base where `placement` says, ready for the configured embeddings.
async fn open_knowledge(config: &Config, placement: IndexPlacement) -> anyhow::Result<KnowledgeBase> {
    let client = reqwest::Client::new();
    let opened = match placement {
        IndexPlacement::Temporary => KnowledgeBase::temporary(&config.embeddings, client).await,
        IndexPlacement::Configured => KnowledgeBase::open(&config.vectors, &config.embeddings, client).await,
        IndexPlacement::ConfiguredOrTemporary => {
            match KnowledgeBase::open(&config.vectors, &config.embeddings, client.clone()).await {
                Err(KnowledgeError::Locked { path }) => {
                    tracing::warn!(
                        path = %path.display(),
                        "the vector index is in use by another Sofia process: using a temporary copy"
                    );
                    KnowledgeBase::temporary(&config.embeddings, client).await
                }
                other => other,
            }
        }
    };
    let knowledge = opened.context("cannot open the knowledge index")?;
    tracing::info!(
        index = knowledge.index_kind().as_str(),
        search = if knowledge.is_hybrid() { "hybrid (BM25 + dense)" } else { "BM25 (Portuguese)" },
        "knowledge index ready"
    );
    Ok(knowledge)
}

/// Brings the index in line with `clinic`'s knowledge folder.
async fn ingest(knowledge: &KnowledgeBase, clinic: &LoadedClinic) -> anyhow::Result<()> {
    let summary = knowledge
        .ingest(&clinic.clinic, clinic.dir(), &Quiet)
        .await
        .with_context(|| format!("cannot ingest the knowledge of clinic '{}'", clinic.clinic.tenant))?;
    tracing::info!(
        clinic = %clinic.clinic.tenant,
        documents = summary.documents,
        chunks = summary.chunks,
        added = summary.added,
        unchanged = summary.unchanged,
        removed = summary.removed,
        "knowledge ingested"
    );
    Ok(())
}

/// Every `every`, re-ingests the clinics whose knowledge files changed since `seen` (their
/// fingerprints as last ingested, in `clinics` order), until `stopped`.
async fn reload_knowledge(
    knowledge: Arc<KnowledgeBase>,
    clinics: Arc<Vec<LoadedClinic>>,
    mut seen: Vec<Option<String>>,
    every: Duration,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
        for (clinic, seen) in clinics.iter().zip(seen.iter_mut()) {
            let now = clinic.knowledge_fingerprint().ok();
            if now == *seen {
                continue;
            }
            match ingest(&knowledge, clinic).await {
                Ok(()) => *seen = now,
                Err(error) => {
                    tracing::warn!(error = format!("{error:#}"), "knowledge reload failed; retrying later")
                }
            }
        }
    }
}

/// The brain the configuration picks: the offline rules brain by default; the LLM brain (with
/// the rules brain as its last fallback) when `llm.base_url` or `llm.replay_dir` is set.
pub fn brain(config: &Config, store: &Arc<dyn Store>) -> anyhow::Result<Arc<dyn Brain>> {
    let rules: Arc<dyn Brain> = Arc::new(RulesBrain);
    if !config.llm.is_enabled() {
        return Ok(rules);
    }
    let usage: Arc<dyn LlmUsageStore> = Arc::clone(store) as Arc<dyn LlmUsageStore>;
    let llm = LlmBrain::new(&config.llm, reqwest::Client::new(), usage, rules)
        .context("cannot set up the LLM brain")?;
    Ok(Arc::new(llm))
}

/// Says, in the first log lines, what Sofia runs on and which parts are embedded defaults.
pub fn log_startup(config: &Config, sources: &Sources) {
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Sofia starting");
    match &sources.file {
        Some(file) => tracing::info!(file = %file.display(), "configuration file"),
        None => tracing::info!("no sofia.toml: running on the embedded defaults"),
    }
    if !sources.env_keys.is_empty() {
        tracing::info!(keys = ?sources.env_keys, "set by environment variables");
    }
    if config.uses_embedded_database() {
        tracing::info!(database = %config.database_display(), "database: embedded SQLite (default)");
    } else {
        tracing::info!(database = %config.database_display(), "database: PostgreSQL");
    }
    tracing::info!(dir = %config.knowledge.dir.display(), "clinics from the knowledge folder");
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
