//! Wiring: which adapters the configuration picks, and the `serve` lifecycle
//! (`run(config, listener, shutdown)`, so tests start the real app on port 0).

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use sofia_core::clock::Clock;
use tokio::net::TcpListener;

use crate::agent::tools::Tools;
use crate::agent::{Brain, LlmBrain, RulesBrain};
use crate::clinics::{self, LoadedClinic};
use crate::config::{Config, Sources};
use crate::engine::{Engine, EngineParts};
use crate::http::{self, AppState};
use crate::store::{self, LlmUsageStore, Store};

/// A started Sofia: store open and migrated, clinics loaded.
pub struct Sofia {
    pub config: Arc<Config>,
    pub store: Arc<dyn Store>,
    pub clinics: Arc<Vec<LoadedClinic>>,
}

impl Sofia {
    /// Opens the store, applies migrations and loads every clinic under `knowledge.dir`.
    pub async fn start(config: Config, clock: &dyn Clock) -> anyhow::Result<Sofia> {
        let store = store::open(config.database.url.expose())
            .await
            .with_context(|| format!("cannot open the database {}", config.database_display()))?;
        let loaded = clinics::load_all(&config.knowledge.dir)?;
        for clinic in &loaded {
            let outcome = clinics::sync(store.as_ref(), clinic, clock.now()).await?;
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
        Ok(Sofia { config: Arc::new(config), store, clinics: Arc::new(loaded) })
    }

    /// The conversation engine over this Sofia's store and clinics, with the brain the
    /// configuration picks.
    pub fn engine(&self, clock: Arc<dyn Clock>) -> anyhow::Result<Engine> {
        Ok(Engine::new(
            EngineParts {
                store: Arc::clone(&self.store),
                clinics: Arc::clone(&self.clinics),
                brain: brain(&self.config, &self.store)?,
                tools: Arc::new(Tools::standard()),
                clock,
            },
            self.config.engine.clone(),
        ))
    }

    fn state(&self) -> AppState {
        AppState {
            store: Arc::clone(&self.store),
            database_backend: if self.config.uses_embedded_database() { "sqlite" } else { "postgres" },
            clinics: Arc::clone(&self.clinics),
        }
    }

    /// Serves HTTP on `listener` until `shutdown` completes, then drains in-flight requests.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let address = listener.local_addr()?;
        tracing::info!("listening on http://{address}");
        axum::serve(listener, http::router(self.state()))
            .with_graceful_shutdown(shutdown)
            .await
            .context("the HTTP server failed")?;
        tracing::info!("stopped");
        Ok(())
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
