//! Integration tests: one binary, so the crate links once. Every test gets its own database
//! (a SQLite file or a PostgreSQL schema), so they all run in parallel.

mod app;
mod chat;
mod coordination;
mod crash;

mod dialogues;
mod engine;
mod eval;
mod handoff;
mod knowledge;
mod llm;

mod serve;
mod store;
mod support;
mod tools;
mod webhooks;
