//! WhatsApp providers: webhooks in, messages out.
//!
//! Each provider module ([`meta`], [`evolution`], [`zapi`]) parses its own webhook format into
//! the one [`InboundEvent`] shape (and [`console`] turns what is typed at a terminal into it) and implements [`Provider`] for sending. The [`Router`] sends
//! through a clinic's channels in priority order, with a [`CircuitBreaker`] per channel,
//! retries, and rate limits. Nothing here touches HTTP routes or the store.

mod breaker;
pub mod console;
mod directory;
mod event;
pub mod evolution;
mod http;
mod json;
pub mod media;
pub mod meta;
mod order;
mod outbound;
mod provider;
mod rate_limit;
mod router;
mod vcard;
pub mod zapi;

pub use breaker::{BreakerConfig, BreakerState, CircuitBreaker};
pub use directory::{ChannelRoute, DirectoryError, MIN_WEBHOOK_KEY_LEN, WebhookDirectory, WebhookEndpoint};
pub use event::{
    DeliveryError, IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent,
    MessageIdError, Origin, ParseError, ProviderMessageId, StatusUpdate,
};
pub use media::{Downloaded, MediaDownloader, MediaError, MediaFetch, MediaKind, MediaLimits, MimeType};
pub use outbound::{
    Buttons, List, ListRow, MessageError, OutboundMessage, ReplyButton, Template, Text, limits,
};
pub use provider::{
    ChannelConfigError, ConsoleProvider, Fault, Provider, SendError, SentMessage, provider_from_spec,
};
pub(crate) use rate_limit::TokenBucket;
pub use rate_limit::{AdvanceClock, RateLimit, Sleeper, TokioSleeper};
pub use router::{ChannelHealth, Delivered, RetryPolicy, Router, RouterConfig, SendStart};
