//! Meta WhatsApp Cloud API: signed webhooks in, Graph API calls out.

pub(super) mod media;
mod provider;
mod signature;
mod webhook;

pub use provider::MetaProvider;
pub use signature::{Handshake, HandshakeError, SignatureError, verify_signature};
pub use webhook::parse_webhook;
