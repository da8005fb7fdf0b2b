//! `/api/v1/clinics`: the clinics a key sees, and reloading one from its folder
//! ([`crate::clinics::Reloader`]).

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::Caller;
use crate::clinics::{ClinicLoadError, LoadedClinic, ReloadError};
use crate::http::{ApiError, AppState};
use crate::knowledge::IngestSummary;
use crate::store::{ApiRole, SyncOutcome};

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
    /// SHA-256 of the `clinic.yaml` it runs on: compare it with the file's to see whether a
    /// change was applied.
    pub file_sha256: String,
}

impl ClinicView {
    fn of(loaded: &LoadedClinic) -> ClinicView {
        let clinic = &loaded.clinic;
        ClinicView {
            tenant: clinic.tenant.to_string(),
            id: clinic.id.0,
            name: clinic.name.clone(),
            timezone: clinic.timezone.name().to_owned(),
            professionals: clinic.professionals.len(),
            services: clinic.services.len(),
            packages: clinic.packages.len(),
            file_sha256: loaded.content_hash.clone(),
        }
    }
}

/// What a reload did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReloadView {
    /// The clinic as it now runs.
    pub clinic: ClinicView,
    /// `created`, `updated` or `unchanged`: what the clinic file changed in the store's
    /// catalogue.
    pub catalog: String,
    /// What the knowledge index re-embedded: the clinic's documents and the chunks they became.
    pub knowledge: IngestSummary,
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
        .all()
        .iter()
        .filter(|loaded| caller.sees(&loaded.clinic.tenant))
        .map(|loaded| ClinicView::of(loaded))
        .collect();
    Ok(Json(clinics))
}

/// Reloads the clinic from its folder: `clinic.yaml` (services, prices, professionals, hours,
/// policies, reminders, templates) and its knowledge documents. The next turn, reminder round
/// and request use them. A file that does not load (422) or that changes `channels`,
/// `chatwoot` or `crm_webhooks` (409: those need a restart) leaves the clinic as it ran.
/// Role: admin.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/reload",
    tag = "clinics",
    params(("tenant" = String, Path, description = "The clinic's folder name")),
    responses(
        (status = 200, body = ReloadView),
        (status = 401, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody),
        (status = 409, description = "The file changes parts wired at start", body = super::ErrorBody),
        (status = 422, description = "The file does not load", body = super::ErrorBody),
        (status = 503, description = "The database or the knowledge index failed", body = super::ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn reload(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
) -> Result<Json<ReloadView>, ApiError> {
    let running = caller.clinic(&state, &tenant, ApiRole::Admin)?;
    let reloaded = state.reloader.reload(&running.clinic.tenant).await.map_err(refusal)?;
    tracing::info!(clinic = %running.clinic.tenant, by = caller.name(), "clinic reloaded through the admin API");
    Ok(Json(ReloadView {
        clinic: ClinicView::of(&reloaded.clinic),
        catalog: match reloaded.catalog {
            SyncOutcome::Created => "created",
            SyncOutcome::Updated => "updated",
            SyncOutcome::Unchanged => "unchanged",
        }
        .to_owned(),
        knowledge: reloaded.knowledge,
    }))
}

fn refusal(error: ReloadError) -> ApiError {
    match error {
        ReloadError::NotServed(_) => ApiError::NotFound,
        ReloadError::NeedsRestart { .. } => ApiError::Conflict(error.to_string()),
        ReloadError::Load(ClinicLoadError::Store { source, .. }) => source.into(),
        ReloadError::Load(error) => ApiError::Unprocessable(error.to_string()),
        ReloadError::Knowledge { .. } => ApiError::Unavailable(error.into()),
    }
}
