//! `/api/v1/clinics/{tenant}/leads`: who may become a patient, how warm, and why.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sofia_core::domain::{FunnelStage, Temperature};
use sofia_core::qualification::{LeadFacts, LeadProgress, qualify};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::auth::Caller;
use super::extract::Query;
use super::page::{Page, PageQuery, page};
use super::parse_filter;
use crate::http::{ApiError, AppState};
use crate::store::{After, ApiRole, Lead};

#[derive(Debug, Serialize, ToSchema)]
pub struct LeadView {
    pub id: Uuid,
    pub patient_id: Option<Uuid>,
    pub name: Option<String>,
    /// E.164.
    pub phone: String,
    /// Where the lead came from: `whatsapp`, `indicação`…
    pub source: String,
    pub interest: Option<String>,
    /// 0 to 100, computed by code from the facts and the appointments.
    pub score: u8,
    /// `cold`, `warm` or `hot`.
    pub temperature: String,
    /// `new`, `contacted`, `interested`, `scheduled`, `converted` or `lost`.
    pub stage: String,
    /// One line per fact that moved the score, with its points: "+20 interested in Botox".
    pub reasons: Vec<String>,
    /// The qualification facts as recorded.
    pub facts: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Lead> for LeadView {
    fn from(lead: Lead) -> Self {
        LeadView {
            id: lead.id.0,
            patient_id: lead.patient_id.map(|p| p.0),
            name: lead.name,
            phone: lead.phone.as_str().to_owned(),
            source: lead.source,
            interest: lead.interest,
            score: lead.score,
            temperature: lead.temperature.to_string(),
            stage: lead.stage.to_string(),
            // Stored with the score since migration 0011; a lead scored before it has none.
            reasons: if lead.reasons.is_empty() { reasons(&lead.facts, lead.stage) } else { lead.reasons },
            facts: lead.facts,
            created_at: lead.created_at,
            updated_at: lead.updated_at,
        }
    }
}

/// The reasons of the score of a lead stored without them, recomputed from the stored facts and
/// stage: the stage says what
/// the store knew when the lead was qualified (booked, attended, lost without saying no:
/// opted out).
pub(super) fn reasons(facts: &Value, stage: FunnelStage) -> Vec<String> {
    let facts: LeadFacts = serde_json::from_value(facts.clone()).unwrap_or_default();
    let progress = LeadProgress {
        contacted: true,
        booked: stage == FunnelStage::Scheduled,
        attended: stage == FunnelStage::Converted,
        opted_out: stage == FunnelStage::Lost && facts.declined != Some(true),
    };
    qualify(&facts, progress).reasons
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadFilter {
    /// Only this funnel stage: new, contacted, interested, scheduled, converted, lost.
    pub stage: Option<String>,
    /// Only this temperature: cold, warm, hot.
    pub temperature: Option<String>,
}

/// A clinic's leads, oldest first, with score, temperature, stage and reasons. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/leads",
    tag = "leads",
    params(("tenant" = String, Path), LeadFilter, PageQuery),
    responses(
        (status = 200, body = Page<LeadView>),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(filter): Query<LeadFilter>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<LeadView>>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Viewer)?;
    let stage = parse_filter("stage", filter.stage.as_deref(), FunnelStage::parse)?;
    let temperature = parse_filter("temperature", filter.temperature.as_deref(), Temperature::parse)?;
    let (request, limit) = paging.request()?;
    let rows = state.store.list_leads(clinic.clinic.id, stage, temperature, request).await?;
    Ok(Json(page(rows, limit, |l| After { at: l.created_at, id: l.id.0 }, LeadView::from)))
}
