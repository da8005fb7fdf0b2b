//! Evolution API v2 (self-hosted, Baileys): unsigned webhooks in, REST calls out.

mod provider;
mod webhook;

pub use provider::EvolutionProvider;
pub use webhook::parse_webhook;
