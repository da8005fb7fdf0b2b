//! `/api/v1/clinics/{tenant}/handoffs`: who is waiting for a person, and resolving a handoff
//! through the same lifecycle as `sofia handoffs resolve` ([`Desk::resolve`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sofia_core::domain::{HandoffId, Phone};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::auth::Caller;
use super::extract::Query;
use super::page::{Page, PageQuery, page};
use crate::handoff::{Desk, DeskError};
use crate::http::{ApiError, AppState};
use crate::store::{After, ApiRole, Handoff, HandoffOrigin, HandoffWithPhone, StaffMember};

#[derive(Debug, Serialize, ToSchema)]
pub struct HandoffView {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// The patient's phone (E.164).
    pub phone: String,
    /// Why a person takes over.
    pub reason: String,
    /// What the team should know before answering.
    pub summary: String,
    /// `bot` (Sofia handed it over) or `staff` (a person wrote first).
    pub opened_by: String,
    pub assignee: Option<String>,
    pub open: bool,
    pub opened_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// The person who resolved it, or `idle` when nobody wrote for `handoff.idle_return_h`.
    pub resolved_by: Option<String>,
}

impl HandoffView {
    fn new(handoff: Handoff, phone: &Phone) -> Self {
        HandoffView {
            id: handoff.id.0,
            conversation_id: handoff.conversation_id.0,
            phone: phone.as_str().to_owned(),
            reason: handoff.reason,
            summary: handoff.summary,
            opened_by: match handoff.origin {
                HandoffOrigin::Bot => "bot",
                HandoffOrigin::Staff => "staff",
            }
            .to_owned(),
            assignee: handoff.assignee.map(|a| a.to_string()),
            open: handoff.open,
            opened_at: handoff.created_at,
            resolved_at: handoff.resolved_at,
            resolved_by: handoff.resolved_by.map(|by| match by {
                crate::store::ResolvedBy::Staff(member) => member.to_string(),
                crate::store::ResolvedBy::Idle => "idle".to_owned(),
            }),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoffFilter {
    /// `open` (the default: conversations waiting for a person) or `all`.
    #[param(inline)]
    pub status: Option<HandoffStatusFilter>,
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HandoffStatusFilter {
    Open,
    All,
}

/// A clinic's handoffs, oldest first. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/handoffs",
    tag = "handoffs",
    params(("tenant" = String, Path, description = "The clinic (its folder under knowledge/)"), HandoffFilter, PageQuery),
    responses(
        (status = 200, body = Page<HandoffView>),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(filter): Query<HandoffFilter>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<HandoffView>>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Viewer)?;
    let (request, limit) = paging.request()?;
    let only_open = !matches!(filter.status, Some(HandoffStatusFilter::All));
    let rows = state.store.list_handoffs(clinic.clinic.id, only_open, request).await?;
    let key = |h: &HandoffWithPhone| After { at: h.handoff.created_at, id: h.handoff.id.0 };
    Ok(Json(page(rows, limit, key, |h| HandoffView::new(h.handoff, &h.phone))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Resolution {
    /// Who resolves it, for the patient's timeline; the key's name when left out.
    pub by: Option<String>,
}

/// Resolves an open handoff: the conversation goes back to the bot, which answers the
/// patient's next message. 409 if it was already resolved. Role: agent.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/handoffs/{id}/resolve",
    tag = "handoffs",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body(content = Resolution, description = "Optional: who resolves it"),
    responses(
        (status = 200, body = HandoffView),
        (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<HandoffView>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Agent)?;
    let id: HandoffId = id.parse().map_err(|_| ApiError::NotFound)?;
    // Another clinic's handoff is not found, like one that does not exist.
    let conversation = match state.store.handoff(id).await? {
        Some(handoff) if handoff.clinic_id == clinic.clinic.id => handoff.conversation_id,
        _ => return Err(ApiError::NotFound),
    };
    let phone = state.store.conversation(conversation).await?.ok_or(ApiError::NotFound)?.phone;
    // The body is optional: no body (or `{}`) is the key's name.
    let resolution: Resolution = if body.is_empty() {
        Resolution::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|_| ApiError::BadRequest("the body must be JSON like {\"by\": \"Carla\"}".to_owned()))?
    };
    let by = resolution.by.unwrap_or_else(|| caller.name().to_owned());
    let by = StaffMember::parse(&by).map_err(|e| ApiError::BadRequest(format!("by: {e}")))?;
    let desk = Desk::new(state.store.clone(), state.clock.clone(), state.handoff.clone());
    let resolved = desk.resolve(id, &by).await.map_err(|error| match error {
        DeskError::UnknownHandoff(_) => ApiError::NotFound,
        DeskError::AlreadyResolved { .. } => {
            ApiError::Conflict("the handoff was already resolved".to_owned())
        }
        other => ApiError::Internal(other.into()),
    })?;
    Ok(Json(HandoffView::new(resolved, &phone)))
}
