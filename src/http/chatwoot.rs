//! `POST /webhooks/chatwoot/{webhook_key}`: what the clinic's Chatwoot tells Sofia (docs/chatwoot.md).
//!
//! Store first, answer fast: Chatwoot waits 5 s at most, and an agent bot that fails opens the
//! conversation for the agents. The event is verified (the key in the URL; the signature when
//! the clinic has an HMAC secret), stored once (a repeated delivery, or the same message
//! reaching two webhooks, is a duplicate) and answered 200; the relay applies it afterwards.
//! Answers: 200 `{"status": "stored" | "duplicate" | "ignored"}`; 404 for an unknown key; 401
//! for a missing, wrong or stale signature; 400 for a body that is not a JSON event; 413 above
//! 1 MiB; 503 when the store is down.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

use super::webhooks::{BodyError, read_body};
use super::{ApiError, AppState};
use crate::chatwoot::webhook;
use crate::metrics::WebhookOutcome;
use crate::store::{EventReceipt, NewChatwootEvent};

/// Chatwoot's events are a conversation's data and one message: far below this.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/webhooks/chatwoot/{webhook_key}", post(receive))
}

#[tracing::instrument(
    name = "webhook",
    skip_all,
    fields(provider = "chatwoot", clinic = tracing::field::Empty, event = tracing::field::Empty)
)]
async fn receive(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let (outcome, response) = match accept(&state, &key, &headers, body).await {
        Ok(status) => {
            (WebhookOutcome::Accepted, (StatusCode::OK, Json(json!({ "status": status }))).into_response())
        }
        Err((outcome, error)) => (outcome, error.into_response()),
    };
    state.metrics.webhooks.inc(&["chatwoot", outcome.as_str()]);
    response
}

async fn accept(
    state: &AppState,
    key: &str,
    headers: &HeaderMap,
    body: Body,
) -> Result<&'static str, (WebhookOutcome, ApiError)> {
    let hook = state.chatwoot.find(key).ok_or((WebhookOutcome::NotFound, ApiError::NotFound))?;
    tracing::Span::current().record("clinic", tracing::field::display(&hook.tenant));
    let body = read_body(body, MAX_BODY_BYTES).await.map_err(|error| match error {
        BodyError::TooLarge => {
            (WebhookOutcome::TooLarge, ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES })
        }
        BodyError::Unreadable => {
            (WebhookOutcome::BadRequest, ApiError::BadRequest("the body could not be read".to_owned()))
        }
    })?;
    let now = state.clock.now();
    if let Some(secret) = &hook.hmac_secret {
        let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        webhook::verify_signature(
            secret,
            header("x-chatwoot-timestamp"),
            &body,
            header("x-chatwoot-signature"),
            now,
        )
        .map_err(|error| {
            tracing::warn!(%error, "refused a Chatwoot delivery");
            (WebhookOutcome::Unauthorized, ApiError::Unauthorized(error.to_string()))
        })?;
    }
    let bad = |reason: &str| (WebhookOutcome::BadRequest, ApiError::BadRequest(reason.to_owned()));
    let payload: Value = serde_json::from_slice(&body).map_err(|_| bad("the body is not JSON"))?;
    let event = payload
        .get("event")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("the body is not a Chatwoot event: it has no \"event\" string"))?
        .to_owned();
    tracing::Span::current().record("event", event.as_str());
    if !webhook::is_relevant(&event) {
        return Ok("ignored");
    }
    let delivery = headers.get("x-chatwoot-delivery").and_then(|value| value.to_str().ok());
    let stored = state
        .store
        .record_chatwoot_event(&NewChatwootEvent {
            // Ordered by creation within the process: events received at the same instant
            // are applied in the order they arrived.
            id: uuid::Uuid::now_v7(),
            clinic_id: hook.clinic_id,
            dedup_key: webhook::dedup_key(&event, &payload, delivery, &body),
            event,
            payload,
            received_at: now,
        })
        .await
        .map_err(|error| (WebhookOutcome::Unavailable, ApiError::Unavailable(error.into())))?;
    match stored {
        EventReceipt::Stored => {
            state.chatwoot_relay.notify_one();
            Ok("stored")
        }
        EventReceipt::Duplicate => Ok("duplicate"),
    }
}
