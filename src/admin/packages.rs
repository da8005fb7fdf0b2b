//! `/api/v1/clinics/{tenant}/patients/{id}/packages`: a patient's session packages and their
//! balance, and selling one (a `patient_packages` row).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use sofia_core::clinic::Clinic;
use sofia_core::domain::PatientPackageId;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use super::extract;
use super::patients::find;
use crate::http::{ApiError, AppState};
use crate::store::{ApiRole, NewPatientPackage, PatientPackage};

#[derive(Debug, Serialize, ToSchema)]
pub struct PackageView {
    pub id: Uuid,
    pub package_id: Uuid,
    /// The package's name, when the clinic file still has it.
    pub package: Option<String>,
    pub sessions_total: u32,
    pub sessions_used: u32,
    pub sessions_remaining: u32,
    pub purchased_on: NaiveDate,
    /// The last day a session may be used.
    pub expires_on: NaiveDate,
}

pub(super) fn package_views(clinic: &Clinic, packages: Vec<PatientPackage>) -> Vec<PackageView> {
    packages
        .into_iter()
        .map(|package| PackageView {
            id: package.id.0,
            package_id: package.package_id.0,
            package: clinic
                .packages
                .iter()
                .find(|offer| offer.id == package.package_id)
                .map(|o| o.name.clone()),
            sessions_total: package.sessions_total,
            sessions_used: package.sessions_used,
            sessions_remaining: package.sessions_total.saturating_sub(package.sessions_used),
            purchased_on: package.purchased_on,
            expires_on: package.expires_on,
        })
        .collect()
}

/// A patient's packages with used and remaining sessions. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/patients/{id}/packages",
    tag = "packages",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    responses(
        (status = 200, body = Vec<PackageView>),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn balance(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<Vec<PackageView>>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    let patient = find(&state, clinic.id, &id).await?;
    let packages = state.store.patient_packages(clinic.id, patient.id).await?;
    Ok(Json(package_views(clinic, packages)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Sale {
    /// The package: its id or its name as in clinic.yaml ("Limpeza de Pele — 4 sessões").
    pub package: String,
    /// The day it was bought (YYYY-MM-DD); today, in the clinic's time zone, when left out.
    /// It is valid for the package's `valid_days` from then.
    pub purchased_on: Option<NaiveDate>,
}

/// Sells a package of the clinic's catalogue to a patient. Role: admin.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/patients/{id}/packages",
    tag = "packages",
    params(("tenant" = String, Path), ("id" = String, Path, format = Uuid)),
    request_body = Sale,
    responses(
        (status = 201, body = PackageView),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn sell(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
    extract::Json(sale): extract::Json<Sale>,
) -> Result<(StatusCode, Json<PackageView>), ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Admin)?.clinic;
    let patient = find(&state, clinic.id, &id).await?;
    let wanted = sale.package.trim();
    let offer = clinic
        .packages
        .iter()
        .find(|offer| offer.id.to_string() == wanted || offer.name.eq_ignore_ascii_case(wanted))
        .ok_or_else(|| ApiError::BadRequest(format!("package: the clinic sells no package '{wanted}'")))?;
    let now = state.clock.now();
    let purchased_on = sale.purchased_on.unwrap_or_else(|| now.with_timezone(&clinic.timezone).date_naive());
    let expires_on = purchased_on
        .checked_add_signed(Duration::days(i64::from(offer.valid_days)))
        .ok_or_else(|| ApiError::BadRequest("purchased_on is out of range".to_owned()))?;
    let new = NewPatientPackage {
        id: PatientPackageId::new_random(),
        clinic_id: clinic.id,
        patient_id: patient.id,
        package_id: offer.id,
        sessions_total: offer.sessions,
        sessions_used: 0,
        purchased_on,
        expires_on,
    };
    let sold = state.store.add_patient_package(&new, now).await?;
    tracing::info!(package = %offer.id, patient = %patient.id, "a package was sold");
    let view = package_views(clinic, vec![sold])
        .pop()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("no package")))?;
    Ok((StatusCode::CREATED, Json(view)))
}
