//! The channels adapters against provider fixtures and a wiremock stand-in for each provider.

#![allow(
    clippy::unwrap_used,
    reason = "a test states its expectations with unwrap; its helpers are not #[test] functions"
)]

mod evolution_webhooks;
mod media;
mod meta_webhooks;
mod no_panics;
mod providers;
mod router;
mod signature;
mod support;
mod zapi_webhooks;
