//! Fixture loading and small builders shared by the test modules.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use sofia::channels::{InboundEvent, InboundMessage, ProviderMessageId, StatusUpdate};
use sofia::core::domain::Phone;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/providers")
}

/// The raw bytes of `tests/fixtures/providers/{provider}/{name}`.
pub fn fixture(provider: &str, name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(provider).join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every fixture of every provider, as (provider, file name, bytes), in a stable order.
pub fn all_fixtures() -> Vec<(String, String, Vec<u8>)> {
    let mut all = Vec::new();
    for provider in ["meta", "evolution", "zapi"] {
        let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join(provider))
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let bytes = fixture(provider, &name);
            all.push((provider.to_owned(), name, bytes));
        }
    }
    all
}

pub fn phone(raw: &str) -> Phone {
    Phone::parse(raw).unwrap()
}

pub fn id(raw: &str) -> ProviderMessageId {
    ProviderMessageId::parse(raw).unwrap()
}

pub fn at(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap()
}

pub fn at_millis(unix_millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(unix_millis).unwrap()
}

/// The one message event a single-event webhook must produce.
pub fn single_message(events: Vec<InboundEvent>) -> InboundMessage {
    match <[InboundEvent; 1]>::try_from(events) {
        Ok([InboundEvent::Message(message)]) => message,
        other => panic!("expected exactly one message, got {other:?}"),
    }
}

pub fn single_status(events: Vec<InboundEvent>) -> StatusUpdate {
    match <[InboundEvent; 1]>::try_from(events) {
        Ok([InboundEvent::Status(status)]) => status,
        other => panic!("expected exactly one status, got {other:?}"),
    }
}
