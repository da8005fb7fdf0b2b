//! The HTTP surface: health checks, WhatsApp and Chatwoot webhooks, metrics, and the admin API
//! (`/api/v1`, its handlers in `crate::admin`).

mod chatwoot;
mod error;
mod health;
mod limits;
mod metrics;
mod server;
pub mod webhooks;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use sofia_core::clock::Clock;
use tokio::sync::Notify;

pub use error::ApiError;
pub use limits::{Limits, guard};
pub use server::serve;

use crate::admin::AuthFailures;
use crate::channels::WebhookDirectory;
use crate::chatwoot::ChatwootHooks;
use crate::clinics::{Clinics, Reloader};
use crate::coordination::Coordinator;
use crate::handoff::HandoffConfig;
use crate::inbox::Inbox;
use crate::knowledge::KnowledgeBase;
use crate::metrics::Metrics;
use crate::outbox::Dispatcher;
use crate::scheduler::Scheduler;
use crate::store::Store;

/// What every handler can reach. axum's `State` clones it for every request (for each
/// extractor and layer that asks), so it is one `Arc`: a clone is one counter, not one per
/// service (measured under `bench/ingest-ratio`, the per-field clones and drops were 2 % of
/// the server's CPU).
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> AppState {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services behind [`AppState`].
pub struct Services {
    pub store: Arc<dyn Store>,
    pub database_backend: &'static str,
    /// The served clinics, as last loaded.
    pub clinics: Arc<Clinics>,
    /// Reloads a clinic from its folder (`POST /api/v1/clinics/{tenant}/reload`).
    pub reloader: Arc<Reloader>,
    /// Stores what webhooks bring and tells the engine (its `InboxListener`).
    pub inbox: Arc<Inbox>,
    /// Which clinic and channel a webhook belongs to, and Meta's app secrets.
    pub webhooks: Arc<WebhookDirectory>,
    /// Sends the outbox; its channels' breakers show in `/readyz` and `/metrics`.
    pub outbox: Arc<Dispatcher>,
    /// Reminders; its jobs show in `/readyz` and `/metrics`.
    pub scheduler: Arc<Scheduler>,
    pub metrics: Arc<Metrics>,
    /// Searched by `search_knowledge`; its index shows in `/readyz`.
    pub knowledge: Arc<KnowledgeBase>,
    pub clock: Arc<dyn Clock>,
    /// Which clinic a Chatwoot webhook belongs to, and its signing secret.
    pub chatwoot: Arc<ChatwootHooks>,
    /// Wakes the Chatwoot relay when an event was stored.
    pub chatwoot_relay: Arc<Notify>,
    /// Wake-ups and locks between replicas; shows in `/readyz`.
    pub coordinator: Arc<dyn Coordinator>,
    /// How handoffs are resolved (the admin API resolves them as `sofia handoffs resolve` does).
    pub handoff: HandoffConfig,
    /// Failed admin API authentications per client address.
    pub auth_failures: Arc<AuthFailures>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .merge(webhooks::routes())
        .merge(chatwoot::routes())
        .merge(crate::admin::routes())
        .fallback(|| async { ApiError::NotFound })
        // A known route with the wrong method answers in JSON like every other refusal.
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .with_state(state)
}
