//! The delivery loop: claims due CRM deliveries under a lease and posts each as a Standard
//! Webhook. A 2xx delivers it; a 410 disables the endpoint; anything else (another status, a
//! timeout, no connection) is tried again on the schedule of `retry`, then fails for good,
//! listed and replayable. A replica that dies mid-post leaves its lease to run out, and the
//! delivery is posted again with the same `webhook-id`: receivers deduplicate by it.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use reqwest::header::{CONTENT_TYPE, USER_AGENT};
use sofia_core::clock::Clock;
use tracing::Instrument;

use super::endpoints::CrmEndpoints;
use super::retry;
use crate::limited::{read_limited, retry_after};
use crate::metrics::Metrics;
use crate::store::{AttemptResult, ClaimedDelivery, Store, StoreError};

/// How long a claim holds its deliveries: longer than a batch's requests take together.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(2);
/// How long one POST may take, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Deliveries claimed (and posted at once) per batch.
const BATCH: u32 = 20;
/// The most of a receiver's answer read; the rest is dropped with the connection.
const MAX_ANSWER_BYTES: usize = 16 * 1024;

/// What a round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CourierReport {
    pub delivered: usize,
    pub retrying: usize,
    pub failed: usize,
    /// Endpoints that answered 410 and were disabled.
    pub disabled: usize,
}

pub struct Courier {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    endpoints: CrmEndpoints,
    metrics: Arc<Metrics>,
    /// This courier's name on its claims.
    holder: String,
}

impl Courier {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        endpoints: CrmEndpoints,
        metrics: Arc<Metrics>,
    ) -> Result<Courier, reqwest::Error> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            // A receiver's redirect is not followed: the signed request goes where the clinic said.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let holder = format!("crm-{}", uuid::Uuid::new_v4().simple());
        Ok(Courier { store, clock, http, endpoints, metrics, holder })
    }

    /// Whether any clinic has an endpoint (no loop runs otherwise).
    pub fn is_empty(&self) -> bool {
        self.endpoints.is_empty()
    }

    /// Runs a round every `every` until `shutdown` resolves, finishing the round under way.
    pub async fn run(&self, every: Duration, shutdown: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                () = &mut shutdown => return,
            }
            if let Err(error) = self.round().await {
                tracing::warn!(error = &error as &dyn std::error::Error, "CRM delivery round failed");
            }
        }
    }

    /// Posts every delivery due now, a batch at a time, until none is left.
    pub async fn round(&self) -> Result<CourierReport, StoreError> {
        let mut report = CourierReport::default();
        let clinics = self.endpoints.clinics();
        loop {
            let now = self.clock.now();
            let batch =
                self.store.claim_crm_deliveries(&clinics, &self.holder, now + LEASE, now, BATCH).await?;
            if batch.is_empty() {
                return Ok(report);
            }
            let attempts = batch.iter().map(|delivery| {
                let span = tracing::info_span!(
                    "crm_delivery",
                    webhook_id = %delivery.id,
                    event = %delivery.event,
                    clinic = %self.endpoints.tenant(delivery.clinic_id),
                    attempt = delivery.attempts,
                );
                async move { (delivery, self.attempt(delivery).await) }.instrument(span)
            });
            for (delivery, result) in join_all(attempts).await {
                let recorded =
                    self.store.finish_crm_attempt(delivery, &self.holder, &result, self.clock.now()).await?;
                if !recorded {
                    // Another claim took it after our lease ran out (it records its own), or a
                    // 410 of the same endpoint in this batch failed it already.
                    tracing::info!(webhook_id = %delivery.id, "a CRM delivery was settled elsewhere meanwhile");
                    continue;
                }
                let (count, outcome) = match &result {
                    AttemptResult::Delivered { .. } => (&mut report.delivered, "delivered"),
                    AttemptResult::Retry { .. } => (&mut report.retrying, "retrying"),
                    AttemptResult::Failed { .. } => (&mut report.failed, "failed"),
                    AttemptResult::Gone => (&mut report.disabled, "disabled"),
                };
                *count += 1;
                let tenant = self.endpoints.tenant(delivery.clinic_id);
                self.metrics.crm.inc(&[tenant.as_str(), delivery.event.as_str(), outcome]);
            }
        }
    }

    /// One POST of one delivery, signed for this attempt.
    async fn attempt(&self, delivery: &ClaimedDelivery) -> AttemptResult {
        let Some(key) = self.endpoints.key(delivery.clinic_id, &delivery.url) else {
            // Another replica's clinic file names this endpoint and ours does not yet.
            return self.retry(
                delivery,
                None,
                None,
                "this replica has no secret for the endpoint".to_owned(),
            );
        };
        let id = delivery.id.to_string();
        let timestamp = self.clock.now().timestamp();
        let signature = key.sign(&id, timestamp, delivery.body.as_bytes());
        let sent = self
            .http
            .post(&delivery.url)
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, concat!("Sofia-Webhooks/", env!("CARGO_PKG_VERSION")))
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.body.clone())
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                let why = if error.is_timeout() {
                    "no answer in time"
                } else if error.is_connect() {
                    "could not connect"
                } else {
                    "the request failed"
                };
                tracing::info!(why, "CRM endpoint unreachable");
                return self.retry(delivery, None, None, why.to_owned());
            }
        };
        let status = response.status();
        let asked = retry_after(response.headers(), self.clock.now());
        // Read (a bounded part of) the answer so the connection can be reused; its content
        // is the receiver's and is not kept.
        let _ = read_limited(response, MAX_ANSWER_BYTES).await;
        tracing::info!(status = status.as_u16(), "CRM endpoint answered");
        if status.is_success() {
            AttemptResult::Delivered { status: status.as_u16() }
        } else if status == reqwest::StatusCode::GONE {
            tracing::warn!(
                "the CRM endpoint answered 410 Gone: disabled until its crm_webhooks entry changes"
            );
            AttemptResult::Gone
        } else {
            self.retry(delivery, Some(status.as_u16()), asked, format!("HTTP {}", status.as_u16()))
        }
    }

    /// The next attempt on the schedule, or the end of it.
    fn retry(
        &self,
        delivery: &ClaimedDelivery,
        status: Option<u16>,
        retry_after: Option<Duration>,
        error: String,
    ) -> AttemptResult {
        let wait = retry::wait_after(delivery.attempts, retry_after, fastrand::f64())
            .and_then(|wait| chrono::Duration::from_std(wait).ok());
        match wait {
            Some(wait) => AttemptResult::Retry { at: self.clock.now() + wait, status, error },
            None => AttemptResult::Failed { status, error },
        }
    }
}
