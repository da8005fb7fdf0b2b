//! `/api/v1/clinics/{tenant}/conversations`: who owns each conversation (the bot, a person,
//! or the bot paused because staff wrote on the phone), its messages, and its typed state.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sofia_core::clinic::Clinic;
use sofia_core::domain::ConversationId;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use super::extract::Query;
use super::page::{Page, PageQuery, page};
use crate::http::{ApiError, AppState};
use crate::store::{After, ApiRole, Conversation, ConversationSummary, Owner, StoredMessage};

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationView {
    pub id: Uuid,
    /// E.164.
    pub phone: String,
    pub patient_id: Option<Uuid>,
    /// `bot`, `human` (handed off) or `paused` (staff wrote on the phone).
    pub owner: String,
    /// Until when the bot is paused.
    pub paused_until: Option<DateTime<Utc>>,
    /// When the last message, either way, was written.
    pub last_activity_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ConversationSummary> for ConversationView {
    fn from(summary: ConversationSummary) -> Self {
        let conversation = summary.conversation;
        let (owner, paused_until) = match conversation.owner {
            Owner::Bot => ("bot", None),
            Owner::Human => ("human", None),
            Owner::Paused(until) => ("paused", Some(until)),
        };
        ConversationView {
            id: conversation.id.0,
            phone: conversation.phone.as_str().to_owned(),
            patient_id: conversation.patient_id.map(|p| p.0),
            owner: owner.to_owned(),
            paused_until,
            last_activity_at: summary.last_activity_at,
            created_at: conversation.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: Uuid,
    /// `inbound` or `outbound`.
    pub direction: String,
    /// `patient`, `staff_phone`, `bot` or `agent`.
    pub author: String,
    /// `text`, `audio`, `image`…
    pub kind: String,
    pub body: String,
    /// Outbound only: `pending`, `sent`, `delivered`, `read` or `failed`.
    pub delivery_status: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<StoredMessage> for MessageView {
    fn from(message: StoredMessage) -> Self {
        MessageView {
            id: message.id.0,
            direction: message.direction.to_string(),
            author: message.author.as_str().to_owned(),
            kind: message.kind.to_string(),
            body: message.body,
            delivery_status: message.delivery_status.map(|status| status.to_string()),
            created_at: message.created_at,
        }
    }
}

/// A clinic's conversations, oldest first, with owner and last activity. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/conversations",
    tag = "conversations",
    params(("tenant" = String, Path), PageQuery),
    responses(
        (status = 200, body = Page<ConversationView>),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<ConversationView>>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Viewer)?;
    let (request, limit) = paging.request()?;
    let rows = state.store.list_conversations(clinic.clinic.id, request).await?;
    let key = |s: &ConversationSummary| After { at: s.conversation.created_at, id: s.conversation.id.0 };
    Ok(Json(page(rows, limit, key, ConversationView::from)))
}

/// A conversation's messages, oldest first, a page at a time. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/conversations/{id}/messages",
    tag = "conversations",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid), PageQuery),
    responses(
        (status = 200, body = Page<MessageView>),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn transcript(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<MessageView>>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    let conversation = find(&state, clinic, &id).await?;
    let (request, limit) = paging.request()?;
    let messages = state.store.transcript_page(conversation.id, request).await?;
    let key = |message: &StoredMessage| After { at: message.created_at, id: message.id.0 };
    Ok(Json(page(messages, limit, key, MessageView::from)))
}

/// The conversation's typed state, as both brains read it: slots offered, the pending action,
/// qualification facts, the handover. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/conversations/{id}/state",
    tag = "conversations",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = serde_json::Value, description = "The conversation state (core/src/conversation.rs)"),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn state(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    Ok(Json(find(&state, clinic, &id).await?.state))
}

/// The clinic's conversation named by a path's `id`: another clinic's is 404.
async fn find(state: &AppState, clinic: &Clinic, id: &str) -> Result<Conversation, ApiError> {
    let id: ConversationId = id.parse().map_err(|_| ApiError::NotFound)?;
    match state.store.conversation(id).await? {
        Some(conversation) if conversation.clinic_id == clinic.id => Ok(conversation),
        _ => Err(ApiError::NotFound),
    }
}
