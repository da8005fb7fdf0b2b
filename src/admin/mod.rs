//! The admin API, `/api/v1`: what the clinic's team and its tools see and do without SQL.
//!
//! Every route takes an API key (`Authorization: Bearer sofia_…`, see [`auth`]); keys are
//! made with `sofia keys` ([`command`]) and kept as hashes ([`keys`]). Routes are scoped by
//! clinic (`/api/v1/clinics/{tenant}/…`): a key sees its own clinic (or every clinic) and
//! nothing of another, not even whether an id exists there. Roles: a viewer reads; an agent
//! also resolves handoffs and marks and cancels appointments; an admin also sells packages,
//! replays CRM deliveries, reloads a clinic from its folder, and exports or erases a patient
//! (LGPD).
//! Each route's role is in its documentation and in the OpenAPI document, which is generated
//! from these handlers (utoipa) and served at `/api/v1/openapi.json`.
//!
//! A route is one handler with its `#[utoipa::path]`, registered in [`api`] with `routes!`,
//! so the document and the router cannot disagree (`tests/it/admin/openapi.rs` checks it).

mod appointments;
mod auth;
mod clinics;
pub mod command;
mod conversations;
mod crm;
mod extract;
mod handoffs;
pub mod keys;
mod leads;
mod metrics;
mod packages;
mod page;
mod patients;
mod privacy;

use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use auth::AuthFailures;

use crate::http::{ApiError, AppState};

/// Every `/api/v1` route, with its part of the OpenAPI document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(openapi))
        .routes(routes!(clinics::list))
        .routes(routes!(clinics::reload))
        .routes(routes!(handoffs::list))
        .routes(routes!(handoffs::resolve))
        .routes(routes!(leads::list))
        .routes(routes!(appointments::list))
        .routes(routes!(appointments::mark))
        .routes(routes!(appointments::cancel))
        .routes(routes!(patients::search))
        .routes(routes!(patients::detail, privacy::erase))
        .routes(routes!(privacy::export))
        .routes(routes!(packages::balance, packages::sell))
        .routes(routes!(conversations::list))
        .routes(routes!(conversations::transcript))
        .routes(routes!(conversations::state))
        .routes(routes!(metrics::period))
        .routes(routes!(crm::list))
        .routes(routes!(crm::replay))
}

/// The admin API's routes, for [`crate::http::router`].
pub fn routes() -> axum::Router<AppState> {
    api().split_for_parts().0
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Sofia admin API",
        description = "A clinic's handoffs, leads, agenda, patients, conversations and packages. \
            Authenticate with an API key from `sofia keys create`: `Authorization: Bearer sofia_…`. \
            401: no key, or a wrong, revoked or expired one; 403: the key's role is too low; \
            404: not found, or another clinic's; 429: too many failed attempts from this address."
    ),
    modifiers(&BearerKey),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The `api_key` security scheme every route names.
struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("api_key", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// Every refusal: `{"error": {"code": "not_found", "message": "not found"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable: `unauthorized`, `forbidden`, `not_found`, `bad_request`, `conflict`,
    /// `too_many_requests`, `unavailable`…
    pub code: String,
    pub message: String,
}

/// This document (OpenAPI 3.1). No key needed.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of /api/v1"))
)]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(api().into_openapi())
}

/// A query filter from the closed vocabulary `parse` reads; 400 naming the filter otherwise.
fn parse_filter<T>(
    name: &str,
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    value
        .map(|text| {
            parse(text)
                .ok_or_else(|| ApiError::BadRequest(format!("{name}: '{text}' is not one of the values")))
        })
        .transpose()
}
