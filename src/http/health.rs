//! `GET /healthz` (the process answers) and `GET /readyz` (every backend answers).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use sofia_core::domain::ProviderKind;

use super::AppState;

/// How long a backend may take to answer a readiness probe before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[derive(Debug, Serialize)]
pub struct Readiness {
    /// `ready`; `degraded` when a channel's circuit is open (replies go through the clinic's
    /// other channels or wait in the outbox); `unavailable` when a backend is down.
    status: &'static str,
    checks: Vec<Check>,
    channels: Vec<ChannelCheck>,
}

/// A clinic's channel and its circuit breaker (`closed`, `half_open`, `open`).
#[derive(Debug, Serialize)]
struct ChannelCheck {
    clinic: String,
    channel: usize,
    provider: ProviderKind,
    breaker: &'static str,
}

#[derive(Debug, Serialize)]
struct Check {
    name: &'static str,
    backend: &'static str,
    up: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database = match tokio::time::timeout(PROBE_TIMEOUT, state.store.ping()).await {
        Ok(Ok(())) => Check { name: "database", backend: state.database_backend, up: true, error: None },
        Ok(Err(error)) => Check {
            name: "database",
            backend: state.database_backend,
            up: false,
            error: Some(error.to_string()),
        },
        Err(_) => Check {
            name: "database",
            backend: state.database_backend,
            up: false,
            error: Some("timed out".to_owned()),
        },
    };
    let checks = vec![database];
    let ready = checks.iter().all(|c| c.up);
    // An open breaker does not make this replica unready: webhooks are still stored and
    // replies wait in the outbox, and every replica talks to the same provider anyway.
    let channels: Vec<ChannelCheck> = state
        .outbox
        .health()
        .into_iter()
        .map(|sample| ChannelCheck {
            clinic: sample.clinic,
            channel: sample.channel,
            provider: sample.provider,
            breaker: sample.state.as_str(),
        })
        .collect();
    let degraded = channels.iter().any(|c| c.breaker == "open");
    let (code, status) = match (ready, degraded) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, true) => (StatusCode::OK, "degraded"),
        (true, false) => (StatusCode::OK, "ready"),
    };
    (code, Json(Readiness { status, checks, channels }))
}
