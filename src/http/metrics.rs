//! `GET /metrics`: Prometheus text format.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

use super::AppState;
use crate::metrics::{render_crm, render_jobs};

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = state.metrics.render(&state.outbox.health());
    // The database's own probe (`/readyz`) says when it is down; the gauges are left out then.
    match state.scheduler.stats().await {
        Ok(stats) => text.push_str(&render_jobs(&stats, state.clock.now())),
        Err(error) => tracing::warn!(error = %error, "metrics: cannot count the scheduler's jobs"),
    }
    let clinics = state.clinics.ids();
    match state.store.crm_stats(&clinics).await {
        Ok(stats) => text.push_str(&render_crm(&stats, state.clock.now())),
        Err(error) => tracing::warn!(error = %error, "metrics: cannot count the CRM deliveries"),
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text)
}
