//! Sends a message through a clinic's channels in priority order: rate limits first, then each
//! healthy channel with retries, falling over to the next when one keeps failing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;

use sofia_core::clock::Clock;
use sofia_core::domain::{Phone, ProviderKind};

use super::breaker::{BreakerConfig, BreakerState, CircuitBreaker};
use super::event::ProviderMessageId;
use super::outbound::OutboundMessage;
use super::provider::{Fault, Provider, SendError};
use super::rate_limit::{RateLimit, Sleeper, TokenBucket};

/// Told just before each request of a send leaves. A sender that dies after that moment may
/// have delivered the message, so it is never sent again; one that dies before it certainly
/// did not, so the message goes back to the queue (rate-limit waits, read receipts and typing
/// all come first and can take a while).
#[async_trait]
pub trait SendStart: Send + Sync {
    /// An error stops the send before the request: nothing went out.
    async fn starting(&self) -> Result<(), String>;
}

/// For sends whose start nobody needs to know (tests, tools that send directly).
struct Unrecorded;

#[async_trait]
impl SendStart for Unrecorded {
    async fn starting(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Retries of one channel before falling over to the next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Calls per channel per message, the first included.
    pub attempts: u32,
    /// The first back-off; it doubles per retry, with jitter.
    pub base_delay: Duration,
    /// Longest wait between two calls; a `Retry-After` beyond it means "fail over now".
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RouterConfig {
    pub retry: RetryPolicy,
    pub breaker: BreakerConfig,
    /// Per channel, i.e. per business number.
    pub business_limit: Option<RateLimit>,
    /// Per patient, across channels.
    pub recipient_limit: Option<RateLimit>,
}

impl RouterConfig {
    /// Retries, a breaker per channel, and Meta-safe rate limits.
    pub fn production() -> Self {
        RouterConfig {
            business_limit: Some(RateLimit::BUSINESS_NUMBER),
            recipient_limit: Some(RateLimit::RECIPIENT),
            ..RouterConfig::default()
        }
    }
}

/// Where a message went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub provider: ProviderKind,
    /// The channel's position in the clinic's list.
    pub channel_index: usize,
    pub provider_message_id: ProviderMessageId,
    /// The interactive message was refused and its numbered-text fallback went out instead.
    pub as_numbered_text: bool,
}

/// A channel's health, for `/readyz` and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelHealth {
    pub channel_index: usize,
    pub provider: ProviderKind,
    pub breaker: BreakerState,
}

struct Channel {
    provider: Arc<dyn Provider>,
    breaker: CircuitBreaker,
    limit: Option<Mutex<TokenBucket>>,
}

/// Above this many remembered patients, idle rate-limit buckets are forgotten.
const RECIPIENTS_KEPT: usize = 1024;

pub struct Router {
    channels: Vec<Channel>,
    retry: RetryPolicy,
    recipient_limit: Option<RateLimit>,
    recipients: Mutex<HashMap<Phone, TokenBucket>>,
    clock: Arc<dyn Clock>,
    sleeper: Arc<dyn Sleeper>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Buckets are plain numbers, valid after any panic.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How a channel's turn ended when it did not deliver.
enum Outcome {
    /// Another channel may do better.
    TryNext(SendError),
    /// No channel will: stop here.
    Stop(SendError),
}

impl Router {
    /// `providers` in the clinic's priority order.
    pub fn new(
        providers: Vec<Arc<dyn Provider>>,
        config: RouterConfig,
        clock: Arc<dyn Clock>,
        sleeper: Arc<dyn Sleeper>,
    ) -> Self {
        let now = clock.now();
        let channels = providers
            .into_iter()
            .map(|provider| Channel {
                provider,
                breaker: CircuitBreaker::new(config.breaker, clock.clone()),
                limit: config.business_limit.map(|limit| Mutex::new(TokenBucket::new(limit, now))),
            })
            .collect();
        Router {
            channels,
            retry: config.retry,
            recipient_limit: config.recipient_limit,
            recipients: Mutex::new(HashMap::new()),
            clock,
            sleeper,
        }
    }

    pub fn health(&self) -> Vec<ChannelHealth> {
        self.channels
            .iter()
            .enumerate()
            .map(|(channel_index, channel)| ChannelHealth {
                channel_index,
                provider: channel.provider.kind(),
                breaker: channel.breaker.state(),
            })
            .collect()
    }

    /// Marks the patient's last message read and shows "typing…" through the channel it came
    /// in on (`channel_index`), where the provider can. Best effort: skipped while that channel's
    /// circuit is open, and a failure is only logged — it neither delays the reply nor counts
    /// against the breaker, which judges sends.
    pub async fn before_reply(&self, channel_index: usize, chat: &Phone, last_received: &ProviderMessageId) {
        let Some(channel) = self.channels.get(channel_index) else { return };
        if matches!(channel.breaker.state(), BreakerState::Open { .. }) {
            return;
        }
        if let Err(error) = channel.provider.before_reply(chat, last_received).await {
            tracing::debug!(
                to = %chat.masked(),
                provider = %channel.provider.kind(),
                %error,
                "could not mark read or show typing"
            );
        }
    }

    /// Sends `message` to `to` through the first channel that takes it.
    ///
    /// `WindowClosed` and permanent errors about the recipient or the message are returned at
    /// once: another channel would fail the same way. When every channel's circuit is open the
    /// error is retryable, after the earliest cooldown.
    pub async fn send(&self, to: &Phone, message: &OutboundMessage) -> Result<Delivered, SendError> {
        self.send_recording_start(to, message, &Unrecorded).await
    }

    /// [`Router::send`], telling `start` just before each request leaves (see [`SendStart`]).
    #[tracing::instrument(name = "send", skip_all, fields(to = %to.masked()))]
    pub async fn send_recording_start(
        &self,
        to: &Phone,
        message: &OutboundMessage,
        start: &dyn SendStart,
    ) -> Result<Delivered, SendError> {
        self.wait_for_recipient(to).await;
        let mut last_error = None;
        for (index, channel) in self.channels.iter().enumerate() {
            if !channel.provider.can_send(message) || !channel.breaker.try_acquire() {
                continue;
            }
            match self.send_on(index, channel, to, message, start).await {
                Ok(delivered) => return Ok(delivered),
                Err(Outcome::Stop(error)) => return Err(error),
                Err(Outcome::TryNext(error)) => {
                    tracing::warn!(
                        to = %to.masked(),
                        provider = %channel.provider.kind(),
                        channel = index,
                        %error,
                        "channel failed; trying the next one"
                    );
                    last_error = Some(error);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| self.nothing_tried(message)))
    }

    /// One channel's turn: the first call was admitted by the breaker already.
    async fn send_on(
        &self,
        index: usize,
        channel: &Channel,
        to: &Phone,
        message: &OutboundMessage,
        start: &dyn SendStart,
    ) -> Result<Delivered, Outcome> {
        let mut message = Cow::Borrowed(message);
        let mut as_numbered_text = false;
        let mut attempt = 1;
        loop {
            if let Some(bucket) = &channel.limit {
                let wait = lock(bucket).reserve(self.clock.now());
                self.pause(wait).await;
            }
            if let Err(reason) = start.starting().await {
                return Err(Outcome::Stop(SendError::NotStarted { reason }));
            }
            let error = match channel.provider.send(to, &message).await {
                Ok(sent) => {
                    channel.breaker.record_success();
                    return Ok(Delivered {
                        provider: channel.provider.kind(),
                        channel_index: index,
                        provider_message_id: sent.provider_message_id,
                        as_numbered_text,
                    });
                }
                Err(error) => error,
            };
            match error {
                SendError::InteractiveUnsupported { .. } => {
                    // The provider answered, so it is healthy; the message was the problem.
                    channel.breaker.record_success();
                    let Some(text) = message.to_numbered_text() else {
                        return Err(Outcome::Stop(SendError::Permanent {
                            fault: Fault::Message,
                            reason: error.to_string(),
                        }));
                    };
                    message = Cow::Owned(text);
                    as_numbered_text = true;
                }
                SendError::Retryable { retry_after, .. } => {
                    channel.breaker.record_failure();
                    let wait = retry_after.unwrap_or_else(|| self.backoff(attempt));
                    if attempt >= self.retry.attempts || wait > self.retry.max_delay {
                        return Err(Outcome::TryNext(error));
                    }
                    self.pause(wait).await;
                    if !channel.breaker.try_acquire() {
                        return Err(Outcome::TryNext(error));
                    }
                    attempt += 1;
                }
                SendError::Permanent { fault: Fault::Channel, .. } => {
                    channel.breaker.record_failure();
                    return Err(Outcome::TryNext(error));
                }
                SendError::Unconfirmed { .. } => {
                    channel.breaker.record_failure();
                    return Err(Outcome::Stop(error));
                }
                SendError::WindowClosed | SendError::Permanent { .. } | SendError::NotStarted { .. } => {
                    channel.breaker.record_success();
                    return Err(Outcome::Stop(error));
                }
            }
        }
    }

    /// Exponential back-off with "equal jitter": half fixed, half random, so that workers
    /// retrying together spread out.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponential =
            self.retry.base_delay.saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exponential.min(self.retry.max_delay);
        capped / 2 + capped.mul_f64(fastrand::f64() / 2.0)
    }

    async fn pause(&self, duration: Duration) {
        if !duration.is_zero() {
            self.sleeper.sleep(duration).await;
        }
    }

    async fn wait_for_recipient(&self, to: &Phone) {
        let Some(limit) = self.recipient_limit else { return };
        let now = self.clock.now();
        let wait = {
            let mut recipients = lock(&self.recipients);
            if recipients.len() > RECIPIENTS_KEPT {
                recipients.retain(|_, bucket| !bucket.is_idle(now));
            }
            recipients.entry(to.clone()).or_insert_with(|| TokenBucket::new(limit, now)).reserve(now)
        };
        if !wait.is_zero() {
            tracing::debug!(to = %to.masked(), ?wait, "pacing messages to one patient");
        }
        self.pause(wait).await;
    }

    /// The error when no channel was even tried.
    fn nothing_tried(&self, message: &OutboundMessage) -> SendError {
        if !self.channels.iter().any(|channel| channel.provider.can_send(message)) {
            let reason = if self.channels.is_empty() {
                "the clinic has no channel configured"
            } else {
                "no channel of this clinic can send this kind of message"
            };
            return SendError::Permanent { fault: Fault::Channel, reason: reason.to_owned() };
        }
        let now = self.clock.now();
        let reopens = self
            .channels
            .iter()
            .filter_map(|channel| match channel.breaker.state() {
                BreakerState::Open { until } => (until - now).to_std().ok(),
                BreakerState::Closed | BreakerState::HalfOpen => None,
            })
            .min();
        SendError::Retryable {
            retry_after: reopens,
            reason: "every channel is paused after repeated failures".to_owned(),
        }
    }
}
