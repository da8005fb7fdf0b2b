//! `GET /healthz` (the process answers) and `GET /readyz` (every backend answers).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};
use sofia_core::domain::ProviderKind;

use super::AppState;
use crate::metrics::job_lag_seconds;

/// How long a backend may take to answer a readiness probe before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[derive(Debug, Serialize)]
pub struct Readiness {
    /// `ready`; `degraded` when a channel's circuit is open (replies go through the clinic's
    /// other channels or wait in the outbox), the knowledge index does not answer, or Redis
    /// does not (turns then start from the sweep, seconds later), or reminders owed for over
    /// 15 minutes are still unsent; `unavailable` when the
    /// database is down.
    status: &'static str,
    checks: Vec<Check>,
    channels: Vec<ChannelCheck>,
    /// The scheduler's jobs; absent when the database cannot count them.
    #[serde(skip_serializing_if = "Option::is_none")]
    jobs: Option<JobsCheck>,
}

/// Reminders owed now (`due`), being sent, given up, and how late the oldest owed one is.
#[derive(Debug, Serialize)]
struct JobsCheck {
    due: u64,
    scheduled: u64,
    running: u64,
    failed: u64,
    lag_s: i64,
}

/// Owed reminders this late mean no replica's scheduler is keeping up.
const JOBS_LAG_DEGRADED_S: i64 = 15 * 60;

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

/// Runs a backend's probe with the timeout, as a check.
async fn probe<E: std::fmt::Display>(
    name: &'static str,
    backend: &'static str,
    answered: impl std::future::Future<Output = Result<(), E>>,
) -> Check {
    let error = match tokio::time::timeout(PROBE_TIMEOUT, answered).await {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(error.to_string()),
        Err(_) => Some("timed out".to_owned()),
    };
    Check { name, backend, up: error.is_none(), error }
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database = probe("database", state.database_backend, state.store.ping()).await;
    // The knowledge index is not needed to book or hand off: while it is down Sofia answers
    // without it, so it degrades this replica rather than taking it out.
    let vectors = probe("vectors", state.knowledge.index_kind().as_str(), state.knowledge.check()).await;
    let knowledge_down = !vectors.up;
    // Without Redis, webhooks are still stored and every replica's sweep still finds the
    // work: slower, not down.
    let coordination = probe("coordination", state.coordinator.backend(), state.coordinator.ping()).await;
    let coordination_down = !coordination.up;
    let ready = database.up;
    let checks = vec![database, vectors, coordination];
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
    let jobs = match tokio::time::timeout(PROBE_TIMEOUT, state.scheduler.stats()).await {
        Ok(Ok(stats)) => Some(JobsCheck {
            due: stats.due,
            scheduled: stats.scheduled,
            running: stats.running,
            failed: stats.failed,
            lag_s: job_lag_seconds(&stats, state.clock.now()),
        }),
        _ => None,
    };
    let jobs_late = jobs.as_ref().is_some_and(|jobs| jobs.lag_s > JOBS_LAG_DEGRADED_S);
    let degraded =
        knowledge_down || coordination_down || jobs_late || channels.iter().any(|c| c.breaker == "open");
    let (code, status) = match (ready, degraded) {
        (false, _) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        (true, true) => (StatusCode::OK, "degraded"),
        (true, false) => (StatusCode::OK, "ready"),
    };
    (code, Json(Readiness { status, checks, channels, jobs }))
}
