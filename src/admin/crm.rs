//! `/api/v1/clinics/{tenant}/crm/deliveries`: the events pushed to the clinic's CRM
//! (docs/crm-webhooks.md), and sending a failed one again with the same `webhook-id`.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::extract::Query;
use crate::crm;
use crate::http::{ApiError, AppState};
use crate::store::{ApiRole, CrmDelivery, DeliveryId};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only the deliveries that ran out of retries (or whose endpoint answered 410).
    #[serde(default)]
    pub failed: bool,
}

/// The clinic's latest CRM deliveries (id as sent in `webhook-id`, event, state, attempts,
/// the receiver's last status and error), newest first; never their bodies. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/crm/deliveries",
    tag = "crm",
    params(("tenant" = String, Path), DeliveryQuery),
    responses(
        (status = 200, body = serde_json::Value, description = "The deliveries"),
        (status = 401, body = super::ErrorBody), (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(query): Query<DeliveryQuery>,
) -> Result<Json<Vec<CrmDelivery>>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic.id;
    Ok(Json(crm::deliveries(state.store.as_ref(), Some(clinic), query.failed).await?))
}

/// Sends a failed delivery again from its first attempt, with the same `webhook-id` and body.
/// 404 if it is not a failed delivery of this clinic to an enabled endpoint. Role: admin.
#[utoipa::path(
    post,
    path = "/api/v1/clinics/{tenant}/crm/deliveries/{id}/replay",
    tag = "crm",
    params(("tenant" = String, Path), ("id" = String, Path, description = "msg_… as in webhook-id")),
    responses(
        (status = 200, body = serde_json::Value, description = "The delivery, pending again"),
        (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn replay(
    State(state): State<AppState>,
    caller: Caller,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Json<CrmDelivery>, ApiError> {
    let clinic = caller.clinic(&state, &tenant, ApiRole::Admin)?.clinic.id;
    let id = DeliveryId::parse(&id).ok_or(ApiError::NotFound)?;
    Ok(Json(crm::replay(state.store.as_ref(), Some(clinic), id, state.clock.now()).await?))
}
