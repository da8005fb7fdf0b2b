//! `/api/v1/clinics`: the clinics a key sees.
//!
//! Reloading a clinic from its folder is not offered: the loaded clinic is shared, unchanging,
//! by the engine, the channels' webhook directory, the scheduler and the Chatwoot bridge,
//! each built from it at start, so a reload through one of them would leave the others on the
//! old file. Restart `sofia serve` after changing a `clinic.yaml` (the knowledge documents
//! beside it are reloaded by themselves, `knowledge.reload_s`).

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use crate::http::{ApiError, AppState};
use crate::store::ApiRole;

#[derive(Debug, Serialize, ToSchema)]
pub struct ClinicView {
    /// Its folder under knowledge/, and its name in every `/api/v1/clinics/{tenant}` route.
    pub tenant: String,
    pub id: Uuid,
    pub name: String,
    /// IANA time zone: days and hours of the agenda are the clinic's.
    pub timezone: String,
    pub professionals: usize,
    pub services: usize,
    pub packages: usize,
}

/// The clinics this key sees. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics",
    tag = "clinics",
    responses((status = 200, body = Vec<ClinicView>), (status = 401, body = super::ErrorBody)),
    security(("api_key" = []))
)]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<ClinicView>>, ApiError> {
    caller.require(ApiRole::Viewer)?;
    let clinics = state
        .clinics
        .iter()
        .map(|loaded| &loaded.clinic)
        .filter(|clinic| caller.sees(&clinic.tenant))
        .map(|clinic| ClinicView {
            tenant: clinic.tenant.to_string(),
            id: clinic.id.0,
            name: clinic.name.clone(),
            timezone: clinic.timezone.name().to_owned(),
            professionals: clinic.professionals.len(),
            services: clinic.services.len(),
            packages: clinic.packages.len(),
        })
        .collect();
    Ok(Json(clinics))
}
