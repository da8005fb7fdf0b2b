//! Z-API (hosted in Brazil): unsigned webhook callbacks in, REST calls out.

mod provider;
mod webhook;

pub use provider::ZapiProvider;
pub use webhook::parse_webhook;
