//! The HTTP surface: health checks now; webhooks, metrics and the admin API hang here too.

mod error;
mod health;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use error::ApiError;

use crate::clinics::LoadedClinic;
use crate::store::Store;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub database_backend: &'static str,
    pub clinics: Arc<Vec<LoadedClinic>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(|| async { ApiError::NotFound })
        .with_state(state)
}
