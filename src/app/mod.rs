//! The running service: [`Sofia::start`] builds the object graph once (`wiring`), and
//! [`Sofia::serve`] answers HTTP while the background loops run under one supervisor
//! (`supervisor`): the inbox writer, the conversation workers, the outbox sweep, the Chatwoot
//! mirror and relay, the scheduler (reminders), the CRM webhooks, the handoff idle return and the
//! clinic reload. Tests start the real app on port 0
//! with [`Sofia::start_with`] and [`Sofia::serve`].

mod supervisor;
mod wiring;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use sofia_core::clock::Clock;
use sofia_core::domain::ProviderKind;
use tokio::net::TcpListener;

use crate::admin::AuthFailures;
use crate::channels::WebhookDirectory;
use crate::chatwoot::{ChatwootHooks, Mirror, Relay};
use crate::clinics::{Clinics, Reloader};
use crate::config::{Config, Sources};
use crate::coordination::Coordinator;
use crate::crm::Courier;
use crate::engine::Engine;
use crate::engine::worker::{Delivery, Workers};
use crate::http::{self, AppState, Services};
use crate::inbox::{self, Inbox, InboxListener, InboxWriter, WriterLoop};
use crate::knowledge::KnowledgeBase;
use crate::metrics::Metrics;
use crate::outbox::Dispatcher;
use crate::scheduler::Scheduler;
use crate::store::Store;
use crate::{handoff, retention};

use supervisor::{Backoff, Policy, Supervisor};
pub use wiring::{EnvLookup, IndexPlacement, Wiring, brain};

/// A started Sofia: store open and migrated, clinics loaded, knowledge ingested, channels and
/// the conversation engine built.
pub struct Sofia {
    pub config: Arc<Config>,
    pub store: Arc<dyn Store>,
    /// The served clinics, as last loaded: every part reads them through this set.
    pub clinics: Arc<Clinics>,
    pub clock: Arc<dyn Clock>,
    pub metrics: Arc<Metrics>,
    pub webhooks: Arc<WebhookDirectory>,
    /// Sends queued replies; the conversation workers call [`Dispatcher::dispatch`] after a turn.
    pub dispatcher: Arc<Dispatcher>,
    /// Mirrors every conversation into the Chatwoot of the clinics that have one, and tells
    /// it of every handoff.
    pub chatwoot: Arc<Mirror>,
    /// Which clinic a Chatwoot webhook belongs to.
    pub chatwoot_hooks: Arc<ChatwootHooks>,
    /// Applies what Chatwoot's webhooks said: agents' replies, takeovers, resolves.
    pub chatwoot_relay: Arc<Relay>,
    /// The conversation engine, with the brain the configuration picks.
    pub engine: Arc<Engine>,
    /// The clinics' knowledge, ingested at start; `search_knowledge` searches it.
    pub knowledge: Arc<KnowledgeBase>,
    /// Reloads a clinic from its folder: the admin API, and the loop every `knowledge.reload_s`.
    pub reloader: Arc<Reloader>,
    sweep_every: Option<Duration>,
    mirror_every: Option<Duration>,
    relay_every: Option<Duration>,
    /// Plans and sends appointment reminders; shown in `/readyz` and `/metrics`.
    pub scheduler: Arc<Scheduler>,
    scheduler_every: Option<Duration>,
    /// Posts the events queued for the clinics' CRMs (docs/crm-webhooks.md).
    pub crm: Arc<Courier>,
    crm_every: Option<Duration>,
    /// Told after the workers about every conversation with a new patient message.
    inbox_listener: Arc<dyn InboxListener>,
}

impl Sofia {
    /// Opens the store, applies migrations and loads every clinic under `knowledge.dir`, on the
    /// production [`Wiring`] (whose clock is the system clock).
    pub async fn start(config: Config) -> anyhow::Result<Sofia> {
        let wiring = Wiring::production(&config.outbox);
        wiring::build(config, wiring).await
    }

    /// [`Sofia::start`] with the given wiring (tests: a frozen clock, their own environment,
    /// fake providers, a recording inbox listener).
    pub async fn start_with(config: Config, wiring: Wiring) -> anyhow::Result<Sofia> {
        wiring::build(config, wiring).await
    }

    /// An inbox for `sofia chat`, which types into a clinic's console channel and runs each
    /// turn itself: the same ingest path as the webhooks, with a writer of its own.
    pub fn console_inbox(&self) -> Inbox {
        Inbox::standalone(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            Arc::clone(&self.inbox_listener),
            Arc::clone(&self.metrics),
            &self.config.engine,
        )
    }

    /// Serves HTTP on `listener` and runs the background loops until `shutdown` completes (or
    /// a vital loop gives up), then drains in-flight requests and waits for every loop.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let address = listener.local_addr()?;
        tracing::info!("listening on http://{address}");
        self.log_webhook_urls();
        let coordinator = wiring::coordinator(&self.config, &self.clock).await?;
        let delivery: Arc<dyn Delivery> = Arc::clone(&self.dispatcher) as Arc<dyn Delivery>;
        let workers = Workers::new(Arc::clone(&self.engine), Arc::clone(&coordinator), delivery);
        let (writer, commits) = InboxWriter::new(Arc::clone(&self.store));
        let supervisor = self.supervise(Arc::clone(&workers), commits);
        let stopping = supervisor.token().clone();
        let limits = http::Limits {
            request_timeout: Duration::from_secs(self.config.http.request_timeout_s),
            max_in_flight: self.config.http.max_in_flight,
        };
        let router = http::guard(http::router(self.http_state(workers, writer, coordinator)), limits);
        let header_timeout = Duration::from_secs(self.config.http.header_timeout_s);
        http::serve(listener, router, header_timeout, async move {
            tokio::select! {
                () = shutdown => {}
                () = stopping.cancelled() => {}
            }
        })
        .await;
        // The server is gone, and with it every inbox writer handle: the writer commits what
        // the last requests queued and ends; the other loops end on the token.
        supervisor.drain().await?;
        tracing::info!("stopped");
        Ok(())
    }

    /// Starts the background loops. Without the inbox writer or the workers, patients would be
    /// acknowledged and never answered, so they stop the service when they keep panicking;
    /// the sweeps (outbox, idle handoffs) and the reload are safety nets, and the Chatwoot
    /// mirror only a copy, so they are restarted for as long as it runs.
    fn supervise(&self, workers: Arc<Workers>, commits: WriterLoop) -> Supervisor {
        let mut supervisor = Supervisor::new(Backoff::PRODUCTION);
        // Ends once every writer handle is dropped, not on the token: requests the HTTP server
        // is still draining must be committed.
        let commits = Arc::new(commits);
        supervisor.spawn("inbox writer", Policy::RestartThenStop, move |_stop| {
            let commits = Arc::clone(&commits);
            async move { commits.run().await }
        });
        supervisor.spawn("conversation workers", Policy::RestartThenStop, move |stop| {
            Arc::clone(&workers).run(stop.cancelled_owned())
        });
        if let Some(every) = self.sweep_every {
            let dispatcher = Arc::clone(&self.dispatcher);
            supervisor.spawn("outbox sweep", Policy::Restart, move |stop| {
                let dispatcher = Arc::clone(&dispatcher);
                async move { dispatcher.run(every, stop.cancelled()).await }
            });
        }
        if let Some(every) = self.mirror_every.filter(|_| !self.chatwoot.is_empty()) {
            // Off the reply path: a slow or absent Chatwoot only makes this loop wait.
            let mirror = Arc::clone(&self.chatwoot);
            supervisor.spawn("chatwoot mirror", Policy::Restart, move |stop| {
                let mirror = Arc::clone(&mirror);
                async move { mirror.run(every, stop.cancelled()).await }
            });
        }
        if let Some(every) = self.relay_every.filter(|_| !self.chatwoot_hooks.all().is_empty()) {
            // An agent's reply waits here, never a patient's: restarted like the mirror.
            let relay = Arc::clone(&self.chatwoot_relay);
            supervisor.spawn("chatwoot relay", Policy::Restart, move |stop| {
                let relay = Arc::clone(&relay);
                async move { relay.run(every, stop.cancelled()).await }
            });
        }
        if let Some(every) = self.scheduler_every {
            // Reminders are owed, not vital: a panicking round is restarted, and what it did
            // not send stays due in the jobs table.
            let scheduler = Arc::clone(&self.scheduler);
            supervisor.spawn("scheduler", Policy::Restart, move |stop| {
                let scheduler = Arc::clone(&scheduler);
                async move { scheduler.run(every, stop.cancelled()).await }
            });
        }
        if let Some(every) = self.crm_every.filter(|_| !self.crm.is_empty()) {
            // Deliveries are durable rows: a panicking round is restarted and what it did not
            // post waits in the table, its lease running out.
            let crm = Arc::clone(&self.crm);
            supervisor.spawn("crm webhooks", Policy::Restart, move |stop| {
                let crm = Arc::clone(&crm);
                async move { crm.run(every, stop.cancelled()).await }
            });
        }
        if let Some(keep) = self.config.retention.messages() {
            let (store, clock) = (Arc::clone(&self.store), Arc::clone(&self.clock));
            supervisor.spawn("message retention", Policy::Restart, move |stop| {
                let (store, clock) = (Arc::clone(&store), Arc::clone(&clock));
                async move { retention::run(store, clock, keep, retention::EVERY, stop.cancelled_owned()).await }
            });
        }
        let engine = Arc::clone(&self.engine);
        supervisor.spawn("handoff idle return", Policy::Restart, move |stop| {
            let engine = Arc::clone(&engine);
            async move { handoff::idle::run(engine.desk(), handoff::idle::EVERY, stop.cancelled()).await }
        });
        if self.config.knowledge.reload_s > 0 {
            let every = Duration::from_secs(self.config.knowledge.reload_s);
            let reloader = Arc::clone(&self.reloader);
            supervisor.spawn("clinic reload", Policy::Restart, move |stop| {
                let reloader = Arc::clone(&reloader);
                async move { reloader.run(every, stop.cancelled()).await }
            });
        }
        supervisor
    }

    /// What the HTTP handlers reach: an inbox that wakes `workers` for every new patient
    /// message, then tells the wiring's listener.
    fn http_state(
        &self,
        workers: Arc<Workers>,
        writer: InboxWriter,
        coordinator: Arc<dyn Coordinator>,
    ) -> AppState {
        let listener = wiring::WakeOnInbound { workers, then: Arc::clone(&self.inbox_listener) };
        let inbox = Inbox::new(
            Arc::clone(&self.store),
            Arc::clone(&self.clock),
            Arc::new(listener),
            Arc::clone(&self.metrics),
            inbox::staff_pause(&self.config.engine),
            writer,
        );
        AppState::new(Services {
            store: Arc::clone(&self.store),
            database_backend: if self.config.uses_embedded_database() { "sqlite" } else { "postgres" },
            clinics: Arc::clone(&self.clinics),
            reloader: Arc::clone(&self.reloader),
            inbox: Arc::new(inbox),
            webhooks: Arc::clone(&self.webhooks),
            outbox: Arc::clone(&self.dispatcher),
            scheduler: Arc::clone(&self.scheduler),
            metrics: Arc::clone(&self.metrics),
            knowledge: Arc::clone(&self.knowledge),
            clock: Arc::clone(&self.clock),
            chatwoot: Arc::clone(&self.chatwoot_hooks),
            chatwoot_relay: self.chatwoot_relay.waker(),
            coordinator,
            handoff: self.config.handoff.clone(),
            auth_failures: Arc::new(AuthFailures::default()),
        })
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
        for hook in self.chatwoot_hooks.all() {
            let url = format!("{base}/webhooks/chatwoot/<value of {}>", hook.key_variable);
            tracing::info!(
                clinic = %hook.tenant,
                %url,
                signed = hook.hmac_secret.is_some(),
                "Chatwoot webhook URL: paste it into the API inbox's Webhook URL and an account webhook"
            );
        }
    }
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
