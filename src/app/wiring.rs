//! Which adapters the configuration picks, and the glue between modules that know nothing of
//! each other (the engine's workers, the inbox, the outbox).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use sofia_core::clinic::Clinic;
use sofia_core::clock::{Clock, SystemClock};
use sofia_core::domain::ConversationId;

use super::Sofia;
use crate::agent::tools::{SearchKnowledge, Tools};
use crate::agent::{Brain, LlmBrain, RulesBrain};
use crate::channels::{MediaDownloader, RouterConfig, TokioSleeper, WebhookDirectory};
use crate::chatwoot::{ChatwootHooks, Mirror, Relay};
use crate::clinics::{self, Clinics, Reloader};
use crate::config::{Config, OutboxConfig};
use crate::coordination::{Coordinator, LocalCoordinator, RedisCoordinator};
use crate::crm::{Courier, CrmEndpoints};
use crate::engine::worker::{Delivery, Workers};
use crate::engine::{Engine, EngineParts};
use crate::inbox::{InboxListener, LogListener};
use crate::knowledge::{KnowledgeBase, KnowledgeError};
use crate::media::{Attachments, SttClient, Transcriber};
use crate::metrics::Metrics;
use crate::outbox::{CLAIM_TIMEOUT, Dispatcher, DispatcherConfig, stdout_console};
use crate::scheduler::Scheduler;
use crate::store::{self, LlmUsageStore, Store};

/// How long one Chatwoot call may take: the mirror runs on its own, so this only bounds how
/// long a hung Chatwoot holds the mirror loop, never a reply.
const CHATWOOT_TIMEOUT: Duration = Duration::from_secs(10);
const CHATWOOT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How often `serve` looks for reminders to plan and send: a reminder goes out within this
/// long of its time.
const SCHEDULER_EVERY: Duration = Duration::from_secs(30);

/// How often `serve` posts due CRM deliveries: an event reaches the CRM within this long of
/// its change (retries wait longer, on their schedule).
const CRM_EVERY: Duration = Duration::from_secs(2);

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
    /// How often the Chatwoot mirror runs a round (first at start); `None` runs no mirror loop
    /// (tests call [`Mirror::round`] themselves).
    pub mirror_every: Option<Duration>,
    /// How often the Chatwoot relay looks for webhook events to apply, besides being woken by
    /// the webhook route; `None` runs no relay loop (tests call [`Relay::round`] themselves).
    pub relay_every: Option<Duration>,
    /// How often the scheduler plans and sends reminders (first at start); `None` runs no
    /// scheduler loop (tests call [`Scheduler::round`] themselves).
    pub scheduler_every: Option<Duration>,
    /// How often the CRM delivery loop posts due deliveries (first at start); `None` runs no
    /// loop (tests call [`Courier::round`] themselves).
    pub crm_every: Option<Duration>,
    pub index: IndexPlacement,
    /// Told about every conversation with a new patient message, after the conversation
    /// workers were woken for it (production: a debug log line; tests: a recorder).
    pub inbox_listener: Arc<dyn InboxListener>,
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
    pub fn production(outbox: &OutboxConfig) -> Self {
        Wiring {
            clock: Arc::new(SystemClock),
            env: Arc::new(|name| std::env::var(name).ok()),
            outbox: DispatcherConfig {
                router: RouterConfig::production(),
                send_timeout: Duration::from_secs(outbox.send_timeout_s),
                // Validated to at most a day, so it always fits.
                claim_timeout: i64::try_from(outbox.claim_timeout_s)
                    .ok()
                    .and_then(chrono::Duration::try_seconds)
                    .unwrap_or(CLAIM_TIMEOUT),
                sleeper: Arc::new(TokioSleeper),
                console: stdout_console(),
            },
            sweep_every: Some(Duration::from_secs(outbox.sweep_s)),
            mirror_every: Some(Duration::from_secs(10)),
            relay_every: Some(Duration::from_secs(5)),
            scheduler_every: Some(SCHEDULER_EVERY),
            crm_every: Some(CRM_EVERY),
            index: IndexPlacement::Configured,
            inbox_listener: Arc::new(LogListener),
        }
    }
}

/// Opens the store, applies migrations, loads every clinic under `knowledge.dir` (as of the
/// wiring's clock), ingests their knowledge and builds the channels and the engine.
pub(super) async fn build(config: Config, wiring: Wiring) -> anyhow::Result<Sofia> {
    let now = wiring.clock.now();
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
    let dispatcher = Arc::new(dispatcher);
    let chatwoot_hooks =
        ChatwootHooks::new(&clinic_list, &env).context("cannot set up the clinics' Chatwoot webhooks")?;
    let chatwoot_relay = Relay::new(
        Arc::clone(&store),
        Arc::clone(&wiring.clock),
        config.handoff.clone(),
        Arc::clone(&dispatcher) as Arc<dyn Delivery>,
        Arc::clone(&metrics),
    );
    let chatwoot = Mirror::new(
        &clinic_list,
        Arc::clone(&store),
        Arc::clone(&wiring.clock),
        &reqwest::Client::builder()
            .timeout(CHATWOOT_TIMEOUT)
            .connect_timeout(CHATWOOT_CONNECT_TIMEOUT)
            .build()
            .context("cannot build the HTTP client for Chatwoot")?,
        &env,
        Arc::clone(&metrics),
    )
    .context("cannot set up the clinics' Chatwoot mirror")?;
    let attachments = attachments(&config, &clinic_list, &env, &metrics)?;
    let crm = Courier::new(
        Arc::clone(&store),
        Arc::clone(&wiring.clock),
        CrmEndpoints::new(&clinic_list, &env).context("cannot set up the clinics' CRM webhooks")?,
        Arc::clone(&metrics),
    )
    .context("cannot build the HTTP client for the CRM webhooks")?;
    let clinics = Arc::new(Clinics::new(loaded));
    let reloader = Reloader::new(
        Arc::clone(&store),
        Arc::clone(&clinics),
        Arc::clone(&knowledge),
        Arc::clone(&wiring.clock),
        config.knowledge.dir.clone(),
    );
    reloader.ingest_all().await?;
    let scheduler = Scheduler::new(
        Arc::clone(&store),
        Arc::clone(&wiring.clock),
        Arc::clone(&metrics),
        Arc::clone(&clinics),
        Some(Arc::clone(&dispatcher) as Arc<dyn Delivery>),
    );
    let engine = Engine::new(
        EngineParts {
            store: Arc::clone(&store),
            clinics: Arc::clone(&clinics),
            brain: brain(&config, &store)?,
            tools: Arc::new(Tools::standard().with(SearchKnowledge::new(Arc::clone(&knowledge)))),
            clock: Arc::clone(&wiring.clock),
        },
        config.engine.clone(),
    )
    .with_handoff(config.handoff.clone())
    .with_attachments(attachments);
    Ok(Sofia {
        config: Arc::new(config),
        store,
        clinics,
        clock: wiring.clock,
        metrics,
        webhooks: Arc::new(webhooks),
        dispatcher,
        chatwoot: Arc::new(chatwoot),
        chatwoot_hooks: Arc::new(chatwoot_hooks),
        chatwoot_relay: Arc::new(chatwoot_relay),
        engine: Arc::new(engine),
        knowledge,
        reloader: Arc::new(reloader),
        sweep_every: wiring.sweep_every,
        mirror_every: wiring.mirror_every,
        relay_every: wiring.relay_every,
        scheduler: Arc::new(scheduler),
        scheduler_every: wiring.scheduler_every,
        crm: Arc::new(crm),
        crm_every: wiring.crm_every,
        inbox_listener: wiring.inbox_listener,
    })
}

/// How turns read patients' files: each channel's provider for downloads (within
/// `media.timeout_s` per request), and the `[stt]` server for voice notes when one is set.
fn attachments(
    config: &Config,
    clinics: &[&Clinic],
    env: &dyn Fn(&str) -> Option<String>,
    metrics: &Arc<Metrics>,
) -> anyhow::Result<Attachments> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.media.timeout_s.max(1)))
        .build()
        .context("cannot build the HTTP client for media downloads")?;
    let downloader = MediaDownloader::new(clinics, http, config.media.limits(), env)
        .context("cannot set up the clinics' media downloads")?;
    let transcriber = SttClient::from_config(&config.stt)
        .context("cannot set up speech to text")?
        .map(|client| Arc::new(client) as Arc<dyn Transcriber>);
    tracing::info!(
        transcription = if transcriber.is_some() { "on" } else { "off (voice notes get a request to write)" },
        vision = config.llm.vision,
        "media"
    );
    Ok(Attachments::new(
        Arc::new(downloader),
        transcriber,
        config.media.keep_dir.clone(),
        Arc::clone(metrics),
    ))
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

/// Coordination between replicas: Redis when `redis.url` is set, in-process otherwise. Only
/// `serve` connects, so `sofia chat` works without Redis.
pub(super) async fn coordinator(
    config: &Config,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<Arc<dyn Coordinator>> {
    match config.redis_display() {
        None => Ok(Arc::new(LocalCoordinator::new(Arc::clone(clock)))),
        Some(shown) => {
            let redis = RedisCoordinator::connect(config.redis.url.expose(), &config.redis.prefix)
                .await
                .with_context(|| format!("cannot connect to Redis at {shown}"))?;
            tracing::info!(redis = %shown, "coordination: Redis");
            Ok(Arc::new(redis))
        }
    }
}

/// Wakes the workers for every conversation the webhooks stored a patient message in, then
/// tells the wiring's listener.
pub(super) struct WakeOnInbound {
    pub workers: Arc<Workers>,
    pub then: Arc<dyn InboxListener>,
}

impl InboxListener for WakeOnInbound {
    fn inbound_stored(&self, conversation: ConversationId) {
        // The webhook waits for this call: publish from a task of its own.
        let workers = Arc::clone(&self.workers);
        tokio::spawn(async move { workers.wake(conversation).await });
        self.then.inbound_stored(conversation);
    }
}

/// The workers hand a turn's replies to the outbox.
#[async_trait]
impl Delivery for Dispatcher {
    async fn deliver(&self, conversation: ConversationId) {
        if let Err(error) = self.dispatch(conversation).await {
            // The outbox sweep retries whatever is still queued.
            tracing::warn!(
                conversation = %conversation,
                error = &error as &dyn std::error::Error,
                "could not send a turn's replies yet"
            );
        }
    }
}
