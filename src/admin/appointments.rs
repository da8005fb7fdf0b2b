//! `/api/v1/clinics/{tenant}/appointments`: the agenda by day, professional or status, and
//! what the team does with an appointment: mark it completed or no-show (as `sofia
//! appointments mark` does, with the no-show follow-up), or cancel it (staff side: no fee, no
//! question to the patient).

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::clinic::Clinic;
use sofia_core::domain::{AppointmentId, AppointmentStatus, InteractionKind, PatientId, ProfessionalId};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::auth::Caller;
use super::extract;
use super::extract::Query;
use super::page::{Page, PageQuery, page};
use super::parse_filter;
use crate::http::{ApiError, AppState};
use crate::scheduler::SchedulerError;
use crate::store::{After, ApiRole, Appointment, AppointmentChange, AppointmentFilter, Interaction};

#[derive(Debug, Serialize, ToSchema)]
pub struct AppointmentView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub professional_id: Uuid,
    /// The professional's name, when the clinic file still has them.
    pub professional: Option<String>,
    pub service_id: Uuid,
    pub service: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// `scheduled`, `confirmed`, `cancelled`, `completed` or `no_show`.
    pub status: String,
    /// `bot`, `staff`, `patient` or `import`.
    pub booked_by: String,
    pub price_cents: i64,
    pub patient_package_id: Option<Uuid>,
    pub cancellation_reason: Option<String>,
    pub late_fee_cents: Option<i64>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl AppointmentView {
    pub(super) fn new(clinic: &Clinic, appointment: Appointment) -> Self {
        AppointmentView {
            id: appointment.id.0,
            patient_id: appointment.patient_id.0,
            professional_id: appointment.professional_id.0,
            professional: clinic
                .professionals
                .iter()
                .find(|p| p.id == appointment.professional_id)
                .map(|p| p.name.clone()),
            service_id: appointment.service_id.0,
            service: clinic.services.iter().find(|s| s.id == appointment.service_id).map(|s| s.name.clone()),
            starts_at: appointment.starts_at,
            ends_at: appointment.ends_at,
            status: appointment.status.to_string(),
            booked_by: appointment.booked_by.to_string(),
            price_cents: appointment.price.centavos(),
            patient_package_id: appointment.patient_package_id.map(|p| p.0),
            cancellation_reason: appointment.cancellation_reason,
            late_fee_cents: appointment.late_fee.map(|fee| fee.centavos()),
            cancelled_at: appointment.cancelled_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaFilter {
    /// Only appointments starting on this day, in the clinic's time zone (YYYY-MM-DD).
    pub day: Option<NaiveDate>,
    /// Only this professional: their id, or their name as in clinic.yaml.
    pub professional: Option<String>,
    /// Only this status: scheduled, confirmed, cancelled, completed, no_show.
    pub status: Option<String>,
    /// Only this patient's.
    pub patient_id: Option<Uuid>,
}

/// A clinic's appointments by start time. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/appointments",
    tag = "appointments",
    params(("tenant" = String, Path), AgendaFilter, PageQuery),
    responses(
        (status = 200, body = Page<AppointmentView>),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(agenda): Query<AgendaFilter>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<AppointmentView>>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    let mut filter = AppointmentFilter {
        status: parse_filter("status", agenda.status.as_deref(), AppointmentStatus::parse)?,
        patient: agenda.patient_id.map(PatientId),
        ..AppointmentFilter::default()
    };
    if let Some(professional) = &agenda.professional {
        let found = clinic
            .professionals
            .iter()
            .find(|p| p.id.to_string() == *professional || p.name.eq_ignore_ascii_case(professional.trim()));
        // An unknown professional has no appointments.
        filter.professional = Some(found.map_or(ProfessionalId(Uuid::nil()), |p| p.id));
    }
    if let Some(day) = agenda.day {
        let (from, to) = day_bounds(clinic, day)?;
        (filter.from, filter.to) = (Some(from), Some(to));
    }
    let (request, limit) = paging.request()?;
    let rows = state.store.list_appointments(clinic.id, &filter, request).await?;
    Ok(Json(page(
        rows,
        limit,
        |a| After { at: a.starts_at, id: a.id.0 },
        |a| AppointmentView::new(clinic, a),
    )))
}

/// The instants a local day of the clinic starts and ends (DST days are 23 or 25 hours).
pub(super) fn day_bounds(
    clinic: &Clinic,
    day: NaiveDate,
) -> Result<(DateTime<Utc>, DateTime<Utc>), ApiError> {
    let start = |date: NaiveDate| {
        date.and_hms_opt(0, 0, 0)
            .and_then(|midnight| midnight.and_local_timezone(clinic.timezone).earliest())
            .map(|local| local.to_utc())
    };
    let bad = || ApiError::BadRequest("day is out of range".to_owned());
    Ok((start(day).ok_or_else(bad)?, start(day.succ_opt().ok_or_else(bad)?).ok_or_else(bad)?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Mark {
    /// `completed` (the patient came) or `no_show` (they did not: Sofia sends a kind
    /// follow-up offering to book again).
    pub status: String,
}

/// Records what became of an appointment. Role: agent.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/appointments/{id}/mark",
    tag = "appointments",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = Mark,
    responses(
        (status = 200, body = AppointmentView),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn mark(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    extract::Json(mark): extract::Json<Mark>,
) -> Result<Json<AppointmentView>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Agent)?.clinic;
    let id: AppointmentId = id.parse().map_err(|_| ApiError::NotFound)?;
    let marked = match mark.status.as_str() {
        "completed" => {
            state
                .store
                .change_appointment(clinic.id, None, id, &AppointmentChange::Complete, state.clock.now())
                .await?
        }
        "no_show" => state.scheduler.mark_no_show(clinic.id, id).await.map_err(|error| match error {
            SchedulerError::Store(store) => ApiError::from(store),
            other => ApiError::Internal(other.into()),
        })?,
        _ => return Err(ApiError::BadRequest("status must be completed or no_show".to_owned())),
    };
    tracing::info!(appointment = %id, status = %marked.status, "the team marked an appointment");
    Ok(Json(AppointmentView::new(clinic, marked)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Cancel {
    /// Why, for the patient's timeline ("a profissional adoeceu").
    pub reason: String,
}

/// Cancels an appointment on the clinic's side: no late fee, no package session used, no
/// question to the patient (tell them yourself). Role: agent.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/appointments/{id}/cancel",
    tag = "appointments",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = Cancel,
    responses(
        (status = 200, body = AppointmentView),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    extract::Json(cancel): extract::Json<Cancel>,
) -> Result<Json<AppointmentView>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Agent)?.clinic;
    let id: AppointmentId = id.parse().map_err(|_| ApiError::NotFound)?;
    let reason = cancel.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::BadRequest("reason: 1 to 500 characters".to_owned()));
    }
    let now = state.clock.now();
    let change = AppointmentChange::Cancel {
        reason: reason.to_owned(),
        late_fee: None,
        consume_package_session: false,
    };
    let cancelled = state.store.change_appointment(clinic.id, None, id, &change, now).await?;
    let entry = Interaction {
        clinic_id: clinic.id,
        patient_id: Some(cancelled.patient_id),
        lead_id: None,
        kind: InteractionKind::Cancelled,
        summary: format!("cancelado pela clínica ({}): {reason}", caller.name()),
        data: json!({ "appointment_id": cancelled.id, "reason": reason, "by": "staff" }),
        created_at: now,
    };
    // The appointment is cancelled whatever happens to its timeline entry.
    if let Err(error) = state.store.record_interaction(&entry).await {
        tracing::error!(%error, appointment = %id, "cancelled, but the timeline entry could not be added");
    }
    tracing::info!(appointment = %id, "the team cancelled an appointment");
    Ok(Json(AppointmentView::new(clinic, cancelled)))
}
