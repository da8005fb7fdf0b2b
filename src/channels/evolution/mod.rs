//! Evolution API v2 (self-hosted, Baileys): unsigned webhooks in, REST calls out.

pub(super) mod media;
mod provider;
mod webhook;

pub use provider::EvolutionProvider;
pub use webhook::parse_webhook;
