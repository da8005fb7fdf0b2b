//! `/api/v1/clinics/{tenant}/patients/{id}/export` and `DELETE …/patients/{id}`: the patient's
//! LGPD rights of access and erasure (Lei 13.709, art. 18).
//!
//! The export is everything Sofia holds about the person, as the store keeps it. The erasure
//! blanks or deletes their personal data everywhere and keeps only what the clinic must keep
//! (`crate::store::PrivacyStore` says exactly what); both are admin-only, and the erasure is
//! audited with the key that asked for it.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::auth::Caller;
use super::patients::find;
use crate::http::{ApiError, AppState};
use crate::store::{ApiRole, Erasure};

/// Everything Sofia holds about a patient: the patient, lead, appointments, packages, each
/// conversation with its state, messages, handoffs and tool calls, and the timeline. Role: admin.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/patients/{id}/export",
    tag = "patients",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = serde_json::Value, description = "Everything held about the patient"),
        (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Admin)?.clinic;
    let patient = find(&state, clinic.id, &id).await?;
    let store = &state.store;
    let handoffs = store.handoffs(clinic.id, false).await?;
    let mut conversations = Vec::new();
    for id in store.patient_conversations(clinic.id, patient.id).await? {
        let Some(conversation) = store.conversation(id).await? else { continue };
        conversations.push(json!({
            "messages": store.transcript(id).await?,
            "handoffs": handoffs.iter().filter(|h| h.conversation_id == id).collect::<Vec<_>>(),
            "tool_calls": store.tool_calls(id).await?,
            "conversation": conversation,
        }));
    }
    Ok(Json(json!({
        "exported_at": state.clock.now(),
        "lead": store.lead_by_phone(clinic.id, &patient.phone).await?,
        "appointments": store.patient_appointments(clinic.id, patient.id, DateTime::<Utc>::UNIX_EPOCH).await?,
        "packages": store.patient_packages(clinic.id, patient.id).await?,
        "interactions": store.interactions(clinic.id, patient.id).await?,
        "conversations": conversations,
        "patient": patient,
    })))
}

/// Erases the patient's personal data everywhere (messages, raw payloads, dead letters, tool
/// calls, handoff reasons, the lead, the Chatwoot contact link, what the conversation knew, and
/// anything waiting to be sent), keeping the appointments and package sessions the clinic must
/// keep under an anonymous record. Audited. Role: admin.
#[utoipa::path(
    delete,
    path = "/api/v1/clinics/{tenant}/patients/{id}",
    tag = "patients",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = serde_json::Value, description = "What was erased and what was kept (counts)"),
        (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<Erasure>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Admin)?.clinic;
    let patient = find(&state, clinic.id, &id).await?;
    let by = format!("api key {}", caller.name());
    let erased = state.store.erase_patient(clinic.id, patient.id, &by, state.clock.now()).await?;
    let erased = erased.ok_or(ApiError::NotFound)?;
    tracing::info!(patient = %patient.id, by, "patient erased (LGPD)");
    Ok(Json(erased))
}
