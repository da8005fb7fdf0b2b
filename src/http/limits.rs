//! What keeps one slow, greedy or broken request from hurting the others: a time limit per
//! request, a cap on requests in flight that answers a fast 503 beyond it (webhook providers
//! retry), and a panic in a handler turned into a JSON 500 that says nothing of the cause.
//! (The header-read timeout is the server's: `server.rs`.)

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{BoxError, ServiceBuilder};

use super::ApiError;

/// The limits of `[http]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub request_timeout: Duration,
    pub max_in_flight: usize,
}

/// `router` behind the limits.
pub fn guard(router: Router, limits: Limits) -> Router {
    router
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(refusal))
                .load_shed()
                // One semaphore for every route (a plain concurrency limit would get one each).
                .layer(GlobalConcurrencyLimitLayer::new(limits.max_in_flight))
                .timeout(limits.request_timeout),
        )
        .layer(middleware::from_fn(catch_panics))
}

/// What the limits answer: 503 for both a request past its time and one beyond the cap.
async fn refusal(error: BoxError) -> Response {
    if error.is::<tower::timeout::error::Elapsed>() {
        tracing::warn!("a request ran past its time limit");
        ApiError::Unavailable(anyhow::anyhow!("the request ran past its time limit")).into_response()
    } else if error.is::<tower::load_shed::error::Overloaded>() {
        ApiError::Unavailable(anyhow::anyhow!("too many requests in flight")).into_response()
    } else {
        ApiError::Internal(anyhow::anyhow!("{error}")).into_response()
    }
}

/// A handler that panics answers a JSON 500; the panic is logged, never returned.
async fn catch_panics(request: Request, next: Next) -> Response {
    match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(response) => response,
        // The panic's message may quote input (a patient's text): it is not repeated here.
        Err(_) => ApiError::Internal(anyhow::anyhow!("a request handler panicked")).into_response(),
    }
}

#[cfg(test)]
mod tests;
