//! The port every WhatsApp provider implements for sending, and how a clinic's declared channels
//! become providers.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sofia_core::clinic::ChannelSpec;
use sofia_core::domain::{Phone, ProviderKind};

use super::event::ProviderMessageId;
use super::evolution::EvolutionProvider;
use super::meta::MetaProvider;
use super::outbound::OutboundMessage;
use super::zapi::ZapiProvider;
use crate::secret::Secret;

/// One way of sending WhatsApp messages for one business number.
#[async_trait]
pub trait Provider: Send + Sync {
    fn kind(&self) -> ProviderKind;

    /// Whether this provider can send this kind of message at all. Templates exist only on the
    /// Meta Cloud API; the router skips providers that answer `false`.
    fn can_send(&self, message: &OutboundMessage) -> bool {
        !matches!(message, OutboundMessage::Template(_))
    }

    async fn send(&self, to: &Phone, message: &OutboundMessage) -> Result<SentMessage, SendError>;

    /// Shows "typing…" to the patient while a reply is being prepared, where the provider can.
    /// Meta ties the indicator to the patient's last message (and marks it read).
    async fn typing(&self, _to: &Phone, _replying_to: &ProviderMessageId) -> Result<(), SendError> {
        Ok(())
    }

    /// Marks the patient's message (and the ones before it) as read, where the provider can.
    async fn mark_read(&self, _chat: &Phone, _id: &ProviderMessageId) -> Result<(), SendError> {
        Ok(())
    }

    /// What the patient sees before a reply: their last message read, then "typing…".
    async fn before_reply(&self, chat: &Phone, last_received: &ProviderMessageId) -> Result<(), SendError> {
        self.mark_read(chat, last_received).await?;
        self.typing(chat, last_received).await
    }
}

/// What a provider answered to an accepted send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    pub provider_message_id: ProviderMessageId,
}

/// Why a send failed, classified by what to do next. Reasons never carry tokens, URLs or
/// phone numbers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later: timeouts, 5xx, throttling (Meta 130429 / 131056 arrive as 400).
    #[error("temporary failure: {reason}")]
    Retryable { retry_after: Option<Duration>, reason: String },
    /// Meta 131047: more than 24 hours since the patient last wrote; only a template can go out.
    #[error("the 24-hour customer-service window is closed; only a template can be sent")]
    WindowClosed,
    /// The provider cannot show buttons or lists here; send the numbered-text fallback instead.
    #[error("interactive message refused: {reason}")]
    InteractiveUnsupported { reason: String },
    /// The request went out and no answer came back (it timed out, or the answer was cut off):
    /// the message may have been delivered, so it is neither retried nor sent on another
    /// channel. A duplicate reply is worse than a reply whose fate is recorded as unknown.
    #[error("outcome unknown: {reason}")]
    Unconfirmed { reason: String },
    /// Trying the same request again will not help.
    #[error("refused ({fault}): {reason}")]
    Permanent { fault: Fault, reason: String },
    /// The send was stopped before any request left (its start could not be recorded, or
    /// the row is no longer this sender's): certainly not delivered, so it may go out later.
    #[error("not started: {reason}")]
    NotStarted { reason: String },
}

/// Whose problem a permanent failure is, which decides whether another channel may succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The recipient cannot receive it on WhatsApp (not a WhatsApp number, opted out…): no
    /// other channel will do better.
    Recipient,
    /// The request itself was refused (invalid parameter, unknown template…).
    Message,
    /// This channel cannot send at all (credentials, instance gone, account locked): another
    /// channel may.
    Channel,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Fault::Recipient => "recipient",
            Fault::Message => "message",
            Fault::Channel => "channel",
        })
    }
}

/// The offline channel: nothing leaves the machine. The caller stores and prints the text;
/// this only hands out an id, so the rest of the pipeline runs exactly as with a real provider.
#[derive(Debug, Default, Clone, Copy)]
pub struct ConsoleProvider;

#[async_trait]
impl Provider for ConsoleProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Console
    }

    fn can_send(&self, _message: &OutboundMessage) -> bool {
        true
    }

    async fn send(&self, _to: &Phone, _message: &OutboundMessage) -> Result<SentMessage, SendError> {
        let id = format!("console-{}", uuid::Uuid::new_v4());
        let provider_message_id = ProviderMessageId::parse(&id)
            .map_err(|e| SendError::Permanent { fault: Fault::Channel, reason: e.to_string() })?;
        Ok(SentMessage { provider_message_id })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChannelConfigError {
    #[error("environment variable {var} (named in the clinic's channels) is not set or empty")]
    MissingSecret { var: String },
    #[error("base_url '{url}' is not a usable http(s) URL: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
}

/// Builds the provider a clinic's channel declares, reading its secrets through `env` (the
/// process environment in production, a map in tests). All providers share one HTTP client.
pub fn provider_from_spec(
    spec: &ChannelSpec,
    http: &reqwest::Client,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Arc<dyn Provider>, ChannelConfigError> {
    let secret = |var: &str| {
        env(var)
            .filter(|value| !value.trim().is_empty())
            .map(Secret::new)
            .ok_or_else(|| ChannelConfigError::MissingSecret { var: var.to_owned() })
    };
    Ok(match spec {
        ChannelSpec::Console => Arc::new(ConsoleProvider),
        ChannelSpec::Meta { phone_number_id, access_token_env, api_version, base_url } => {
            Arc::new(MetaProvider::new(
                http.clone(),
                base_url,
                api_version,
                phone_number_id,
                secret(access_token_env)?,
            )?)
        }
        ChannelSpec::Evolution { base_url, instance, api_key_env, .. } => {
            Arc::new(EvolutionProvider::new(http.clone(), base_url, instance, secret(api_key_env)?)?)
        }
        ChannelSpec::Zapi { base_url, instance_id, token_env, client_token_env, .. } => {
            Arc::new(ZapiProvider::new(
                http.clone(),
                base_url,
                instance_id,
                secret(token_env)?,
                secret(client_token_env)?,
            )?)
        }
    })
}
