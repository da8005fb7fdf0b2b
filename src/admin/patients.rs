//! `/api/v1/clinics/{tenant}/patients`: finding a patient by phone or name, and one patient
//! with their appointments, packages and lead.

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sofia_core::domain::PatientId;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::appointments::AppointmentView;
use super::auth::Caller;
use super::extract::Query;
use super::leads::LeadView;
use super::packages::{PackageView, package_views};
use super::page::{Page, PageQuery, page};
use crate::http::{ApiError, AppState};
use crate::store::{After, ApiRole, Patient, PatientSearch};

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientView {
    pub id: Uuid,
    pub name: Option<String>,
    /// E.164.
    pub phone: String,
    /// When they sent SAIR (no proactive message goes to them).
    pub opted_out_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<Patient> for PatientView {
    fn from(patient: Patient) -> Self {
        PatientView {
            id: patient.id.0,
            name: patient.name,
            phone: patient.phone.as_str().to_owned(),
            opted_out_at: patient.opted_out_at,
            created_at: patient.created_at,
        }
    }
}

/// One patient and everything the clinic's team looks up about them.
#[derive(Debug, Serialize, ToSchema)]
pub struct PatientDetail {
    pub patient: PatientView,
    /// Every appointment, earliest first.
    pub appointments: Vec<AppointmentView>,
    pub packages: Vec<PackageView>,
    pub lead: Option<LeadView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PatientQuery {
    /// Digits the phone contains (formatting ignored): `98765`, `+55 11 98765-4321`.
    pub phone: Option<String>,
    /// Part of the name, any case.
    pub name: Option<String>,
}

/// Searches a clinic's patients by phone, by name or by both (both must match);
/// every patient when neither is given. Oldest first. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/patients",
    tag = "patients",
    params(("tenant" = String, Path), PatientQuery, PageQuery),
    responses(
        (status = 200, body = Page<PatientView>),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(query): Query<PatientQuery>,
    Query(paging): Query<PageQuery>,
) -> Result<Json<Page<PatientView>>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Viewer)?;
    let phone_digits = match query.phone.as_deref() {
        Some(phone) => {
            let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return Err(ApiError::BadRequest("phone: give some digits".to_owned()));
            }
            Some(digits)
        }
        None => None,
    };
    let name = query.name.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty());
    let (request, limit) = paging.request()?;
    let search = PatientSearch { phone_digits, name };
    let rows = state.store.search_patients(clinic.clinic.id, &search, request).await?;
    Ok(Json(page(rows, limit, |p| After { at: p.created_at, id: p.id.0 }, PatientView::from)))
}

/// One patient with their appointments, packages and lead. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/patients/{id}",
    tag = "patients",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = PatientDetail),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn detail(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<PatientDetail>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    let patient = find(&state, clinic.id, &id).await?;
    let appointments =
        state.store.patient_appointments(clinic.id, patient.id, DateTime::<Utc>::UNIX_EPOCH).await?;
    let packages = state.store.patient_packages(clinic.id, patient.id).await?;
    let lead = state.store.lead_by_phone(clinic.id, &patient.phone).await?;
    Ok(Json(PatientDetail {
        appointments: appointments.into_iter().map(|a| AppointmentView::new(clinic, a)).collect(),
        packages: package_views(clinic, packages),
        lead: lead.map(LeadView::from),
        patient: patient.into(),
    }))
}

/// The clinic's patient named by a path's `id`: another clinic's, or a malformed id, is 404.
pub(super) async fn find(
    state: &AppState,
    clinic: sofia_core::domain::ClinicId,
    id: &str,
) -> Result<Patient, ApiError> {
    let id: PatientId = id.parse().map_err(|_| ApiError::NotFound)?;
    state.store.patient(clinic, id).await?.ok_or(ApiError::NotFound)
}
