//! The WhatsApp webhook routes (docs/channels.md, "Routes"): authenticate, parse, store, acknowledge.
//!
//! Answers: 200 once everything is committed (also for duplicates and events we ignore); 401
//! for a bad Meta signature; 404 for an unknown channel key; 400 for a body that is not JSON
//! or that an authenticated provider sent in a shape we cannot read (kept as a dead letter —
//! except on Meta, which gets 200 because it retries anything else for a week); 413 above
//! Meta's 3 MB; 503 when the store is down, so the provider retries. Never a 500 for input.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use sofia_core::domain::ProviderKind;

use super::{ApiError, AppState};
use crate::channels::{self, ChannelRoute, InboundEvent, ParseError, meta::Handshake};
use crate::inbox::{IngestError, IngestSummary};
use crate::metrics::WebhookOutcome;

/// Meta's documented maximum payload.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/webhooks/meta", get(meta_handshake).post(meta_notification))
        .route("/webhooks/evolution/{channel_key}", post(evolution))
        .route("/webhooks/zapi/{channel_key}", post(zapi))
}

/// The acknowledgement body.
#[derive(Debug, Serialize)]
struct Ack {
    status: &'static str,
    #[serde(flatten)]
    summary: IngestSummary,
}

/// Why a webhook was not simply accepted.
enum Refusal {
    TooLarge,
    BadBody(String),
    Unauthorized(String),
    UnknownChannel,
    /// Authenticated but unreadable, kept as a dead letter; `acknowledge` answers 200.
    DeadLettered {
        reason: String,
        acknowledge: bool,
    },
    Unavailable(IngestError),
}

type Outcome = Result<IngestSummary, Refusal>;

/// Counts the outcome and turns it into the HTTP answer.
fn answer(state: &AppState, provider: ProviderKind, outcome: Outcome) -> Response {
    let (label, response) = match outcome {
        Ok(summary) => (WebhookOutcome::Accepted, ack(summary)),
        Err(Refusal::DeadLettered { acknowledge: true, .. }) => {
            (WebhookOutcome::DeadLettered, ack(IngestSummary::default()))
        }
        Err(Refusal::DeadLettered { reason, .. }) => {
            (WebhookOutcome::DeadLettered, ApiError::BadRequest(reason).into_response())
        }
        Err(Refusal::TooLarge) => {
            (WebhookOutcome::TooLarge, ApiError::PayloadTooLarge { limit: MAX_BODY_BYTES }.into_response())
        }
        Err(Refusal::BadBody(reason)) => {
            (WebhookOutcome::BadRequest, ApiError::BadRequest(reason).into_response())
        }
        Err(Refusal::Unauthorized(reason)) => {
            (WebhookOutcome::Unauthorized, ApiError::Unauthorized(reason).into_response())
        }
        Err(Refusal::UnknownChannel) => (WebhookOutcome::NotFound, ApiError::NotFound.into_response()),
        Err(Refusal::Unavailable(error)) => {
            (WebhookOutcome::Unavailable, ApiError::Unavailable(error.into()).into_response())
        }
    };
    state.metrics.webhook(provider, label);
    response
}

fn ack(summary: IngestSummary) -> Response {
    (StatusCode::OK, Json(Ack { status: "ok", summary })).into_response()
}

/// The body, read up to [`MAX_BODY_BYTES`], as a refusal the provider understands otherwise.
async fn body_of(body: Body) -> Result<Bytes, Refusal> {
    read_body(body, MAX_BODY_BYTES).await.map_err(|error| match error {
        BodyError::TooLarge => Refusal::TooLarge,
        BodyError::Unreadable => Refusal::BadBody("the body could not be read".to_owned()),
    })
}

/// `GET /webhooks/meta`: Meta checking that the URL is ours before subscribing it.
async fn meta_handshake(
    State(state): State<AppState>,
    query: Result<Query<Handshake>, QueryRejection>,
) -> Response {
    let handshake = match query {
        Ok(Query(handshake)) => handshake,
        Err(rejection) => return ApiError::BadRequest(rejection.body_text()).into_response(),
    };
    match handshake.answer(state.webhooks.meta_verify_token()) {
        Ok(challenge) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], challenge.to_owned()).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "refused a Meta verification handshake");
            ApiError::Forbidden(error.to_string()).into_response()
        }
    }
}

/// `POST /webhooks/meta`: a signed notification, possibly a batch for several numbers.
async fn meta_notification(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let outcome = meta(&state, &headers, body).await;
    answer(&state, ProviderKind::Meta, outcome)
}

#[tracing::instrument(name = "webhook", skip_all, fields(provider = "meta"))]
async fn meta(state: &AppState, headers: &HeaderMap, body: Body) -> Outcome {
    let body = body_of(body).await?;
    let signature = headers.get("x-hub-signature-256").and_then(|value| value.to_str().ok());
    channels::meta::verify_signature(state.webhooks.meta_app_secret(), &body, signature)
        .map_err(|error| Refusal::Unauthorized(error.to_string()))?;
    let notification = match channels::meta::parse_webhook(&body) {
        Ok(notification) => notification,
        Err(error) => return Err(unreadable(state, ProviderKind::Meta, None, error, &body, true).await),
    };
    // Only the items that could not be read are kept aside; the rest of the batch is stored.
    for rejected in &notification.rejected {
        let route = rejected.phone_number_id.as_deref().and_then(|id| state.webhooks.meta_channel(id));
        let item = serde_json::to_vec(&rejected.item).unwrap_or_default();
        let reason = rejected.error.to_string();
        state
            .inbox
            .dead_letter(ProviderKind::Meta, route, &reason, &item)
            .await
            .map_err(Refusal::Unavailable)?;
        state.metrics.ignored_events.inc(&["meta", "unreadable_item"]);
    }
    let mut by_number: BTreeMap<String, Vec<InboundEvent>> = BTreeMap::new();
    for (phone_number_id, event) in notification.events {
        by_number.entry(phone_number_id).or_default().push(event);
    }
    let mut total = IngestSummary::default();
    for (phone_number_id, events) in by_number {
        let Some(route) = state.webhooks.meta_channel(&phone_number_id) else {
            // Another app's number, or a clinic removed from this deployment: acknowledged
            // (Meta would retry for a week) and counted.
            tracing::warn!(
                phone_number_id,
                events = events.len(),
                "Meta events for a number no clinic declares"
            );
            state.metrics.ignored_events.add(&["meta", "unknown_number"], events.len() as u64);
            total.ignored += events.len();
            continue;
        };
        let summary = state.inbox.ingest(route, events).await.map_err(Refusal::Unavailable)?;
        total.stored += summary.stored;
        total.duplicates += summary.duplicates;
        total.statuses += summary.statuses;
        total.ignored += summary.ignored;
        total.to_answer.extend(summary.to_answer);
    }
    Ok(total)
}

/// Reads a body up to `limit`, once whoever sent it was checked: an unauthenticated client
/// cannot make Sofia read megabytes.
pub(super) async fn read_body(body: Body, limit: usize) -> Result<Bytes, BodyError> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if error.into_inner().downcast_ref::<http_body_util::LengthLimitError>().is_some() {
            BodyError::TooLarge
        } else {
            BodyError::Unreadable
        }
    })
}

/// Why a body could not be read.
pub(super) enum BodyError {
    TooLarge,
    /// The client went away or sent a broken body.
    Unreadable,
}

/// `POST /webhooks/evolution/{channel_key}`.
async fn evolution(State(state): State<AppState>, Path(key): Path<String>, body: Body) -> Response {
    let outcome =
        keyed(&state, ProviderKind::Evolution, &key, body, channels::evolution::parse_webhook).await;
    answer(&state, ProviderKind::Evolution, outcome)
}

/// `POST /webhooks/zapi/{channel_key}`.
async fn zapi(State(state): State<AppState>, Path(key): Path<String>, body: Body) -> Response {
    let outcome = keyed(&state, ProviderKind::Zapi, &key, body, channels::zapi::parse_webhook).await;
    answer(&state, ProviderKind::Zapi, outcome)
}

/// A provider that proves itself by the secret key in the URL (never logged: it is a secret).
#[tracing::instrument(
    name = "webhook",
    skip_all,
    fields(%provider, clinic = tracing::field::Empty, channel = tracing::field::Empty)
)]
async fn keyed(
    state: &AppState,
    provider: ProviderKind,
    key: &str,
    body: Body,
    parse: fn(&[u8]) -> Result<Vec<InboundEvent>, ParseError>,
) -> Outcome {
    let route = state.webhooks.keyed_channel(provider, key).ok_or(Refusal::UnknownChannel)?;
    tracing::Span::current()
        .record("clinic", tracing::field::display(&route.tenant))
        .record("channel", route.index);
    let body = body_of(body).await?;
    let events = match parse(&body) {
        Ok(events) => events,
        Err(error) => return Err(unreadable(state, provider, Some(route), error, &body, false).await),
    };
    state.inbox.ingest(route, events).await.map_err(Refusal::Unavailable)
}

/// Not JSON: refused. JSON in a shape we cannot read: kept as a dead letter for an operator,
/// since the provider proved who it is and the body may hold a patient's message.
async fn unreadable(
    state: &AppState,
    provider: ProviderKind,
    route: Option<&ChannelRoute>,
    error: ParseError,
    body: &[u8],
    acknowledge: bool,
) -> Refusal {
    let reason = error.to_string();
    if let ParseError::NotJson(_) = error {
        return Refusal::BadBody(reason);
    }
    match state.inbox.dead_letter(provider, route, &reason, body).await {
        Ok(()) => Refusal::DeadLettered { reason, acknowledge },
        Err(error) => Refusal::Unavailable(error),
    }
}
