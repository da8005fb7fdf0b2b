//! Sofia: a WhatsApp receptionist for clinics.
//!
//! The pure core lives in the `sofia-core` crate; this crate holds the adapters around it
//! (configuration, store, HTTP, WhatsApp channels) and the `sofia` binary's commands.

pub use sofia_core as core;

pub mod admin;
pub mod agent;
pub mod app;
pub mod channels;
pub mod chat;
pub mod chatwoot;
pub mod cli;
pub mod clinics;
pub mod config;
pub mod coordination;
pub mod crm;
pub mod engine;
pub mod eval;
pub mod handoff;
pub mod http;
pub mod inbox;
pub mod ingest;
pub mod knowledge;
pub mod limited;
pub mod media;
pub mod metrics;
pub mod moments;
pub mod outbox;
pub mod retention;
pub mod scheduler;
pub mod secret;
pub mod store;
pub mod tokens;
