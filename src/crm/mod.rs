//! Pushing events to each clinic's CRM as Standard Webhooks (docs/crm-webhooks.md):
//!
//! - the store writes a delivery row per subscribed endpoint in the transaction of the change
//!   that caused it (`store::crm`, `store::crm_events`);
//! - `endpoints`: each clinic's `crm_webhooks:` with its signing key, read once at start;
//! - `signature`: the `webhook-signature` of an attempt;
//! - `courier`: the `serve` loop that claims due deliveries and posts them, on the
//!   schedule of `retry`;
//! - `command`: `sofia crm deliveries` and `sofia crm replay ID`.

pub mod command;
mod courier;
mod endpoints;
mod retry;
mod signature;

pub use courier::{Courier, CourierReport, LEASE};
pub use endpoints::{CrmEndpoints, CrmSetupError};
pub use signature::SigningKeyError;

use chrono::{DateTime, Utc};
use sofia_core::domain::ClinicId;

use crate::store::{CrmDelivery, DeliveryId, Store, StoreResult};

/// How many deliveries a listing shows at most.
pub const LIST_LIMIT: u32 = 200;

/// The deliveries of one clinic (or all), newest first; only the failed ones when asked. For
/// `sofia crm deliveries` and the admin API.
pub async fn deliveries(
    store: &dyn Store,
    clinic: Option<ClinicId>,
    only_failed: bool,
) -> StoreResult<Vec<CrmDelivery>> {
    store.crm_deliveries(clinic, only_failed, LIST_LIMIT).await
}

/// Sends a failed delivery again from its first attempt, with the same `webhook-id` and body,
/// at the delivery loop's next round. For `sofia crm replay` and the admin API; scoped to
/// `clinic` when given (a delivery of another clinic is not found).
pub async fn replay(
    store: &dyn Store,
    clinic: Option<ClinicId>,
    id: DeliveryId,
    now: DateTime<Utc>,
) -> StoreResult<CrmDelivery> {
    let replayed = store.replay_crm_delivery(clinic, id, now).await?;
    tracing::info!(webhook_id = %id, event = %replayed.event, "CRM delivery replayed");
    Ok(replayed)
}
