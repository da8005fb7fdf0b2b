//! The store conformance suite: every operation, run unchanged against SQLite and PostgreSQL.

mod api_keys;
mod appointments;
mod audit;
mod chatwoot;
mod chatwoot_desk;
mod clinic;
mod conversations;
mod delivery;
mod handoffs;
mod messages;
mod patients;
