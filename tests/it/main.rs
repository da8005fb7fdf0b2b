//! Integration tests: one binary, so the crate links once. Every test gets its own database
//! (a SQLite file or a PostgreSQL schema), so they all run in parallel.

#![allow(
    clippy::unwrap_used,
    reason = "a test states its expectations with unwrap; its helpers are not #[test] functions"
)]

mod admin;
mod app;
mod chat;
mod chatwoot;
mod coordination;
mod crash;
mod crm;

mod dialogues;
mod engine;
mod eval;
mod handoff;
mod knowledge;
mod llm;
mod media;
mod processes;
mod reminders;
mod replicas;
mod serve;
mod store;
mod support;
mod tools;
mod webhooks;
