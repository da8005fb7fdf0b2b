//! `GET /healthz` (the process answers) and `GET /readyz` (every backend answers).

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use super::AppState;

/// How long a backend may take to answer a readiness probe before it counts as down.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

#[derive(Debug, Serialize)]
pub struct Readiness {
    status: &'static str,
    checks: Vec<Check>,
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
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(Readiness { status: if ready { "ready" } else { "unavailable" }, checks }))
}
