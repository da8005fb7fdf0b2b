//! Whatever arrives at a webhook, the parsers answer `Ok` or `Err`: they never panic.

use proptest::collection::{hash_map, vec};
use proptest::prelude::*;
use serde_json::Value;
use sofia::channels::{evolution, meta, zapi};

use crate::support::all_fixtures;

fn parse_with_every_provider(bytes: &[u8]) {
    let _ = meta::parse_webhook(bytes);
    let _ = evolution::parse_webhook(bytes);
    let _ = zapi::parse_webhook(bytes);
}

/// Field names and values the parsers look for, so random documents reach deep code paths.
const WORDS: &[&str] = &[
    "entry",
    "changes",
    "value",
    "metadata",
    "phone_number_id",
    "messages",
    "statuses",
    "contacts",
    "from",
    "id",
    "timestamp",
    "type",
    "text",
    "body",
    "interactive",
    "button_reply",
    "list_reply",
    "errors",
    "code",
    "event",
    "data",
    "key",
    "remoteJid",
    "remoteJidAlt",
    "fromMe",
    "message",
    "conversation",
    "messageTimestamp",
    "keyId",
    "status",
    "messages.upsert",
    "messages.update",
    "send.message",
    "ReceivedCallback",
    "MessageStatusCallback",
    "ids",
    "phone",
    "momment",
    "messageId",
    "5511987654321",
    "5511987654321@s.whatsapp.net",
    "207741234567890@lid",
    "120363041234567890@g.us",
    "READ",
    "ERROR",
    "failed",
    "low",
    "high",
    "-group",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![3 => proptest::sample::select(WORDS).prop_map(str::to_owned), 1 => "\\PC{0,10}"]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        word().prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 96, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::Array),
            hash_map(word(), inner, 0..6).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value`, the root included.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(child, format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn fixtures() -> &'static [(String, String, Vec<u8>)] {
    static FIXTURES: std::sync::OnceLock<Vec<(String, String, Vec<u8>)>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(all_fixtures)
}

#[test]
fn every_fixture_parses_with_its_own_provider() {
    for (provider, name, bytes) in fixtures() {
        let parsed = match provider.as_str() {
            "meta" => meta::parse_webhook(bytes).map(|_| ()),
            "evolution" => evolution::parse_webhook(bytes).map(|_| ()),
            _ => zapi::parse_webhook(bytes).map(|_| ()),
        };
        assert!(parsed.is_ok(), "{provider}/{name}: {parsed:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in vec(any::<u8>(), 0..512)) {
        parse_with_every_provider(&bytes);
    }

    #[test]
    fn random_json_documents(value in json_value()) {
        parse_with_every_provider(value.to_string().as_bytes());
    }

    #[test]
    fn fixtures_with_values_replaced(
        which in any::<prop::sample::Index>(),
        edits in vec((any::<prop::sample::Index>(), json_value()), 1..4),
    ) {
        let (_, _, bytes) = which.get(fixtures());
        let mut document: Value = serde_json::from_slice(bytes).unwrap();
        for (target, replacement) in edits {
            let mut all = Vec::new();
            pointers(&document, String::new(), &mut all);
            let pointer = target.get(&all).clone();
            if let Some(slot) = document.pointer_mut(&pointer) {
                *slot = replacement;
            }
        }
        parse_with_every_provider(document.to_string().as_bytes());
    }

    #[test]
    fn fixtures_with_bytes_flipped_or_cut(
        which in any::<prop::sample::Index>(),
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let (_, _, bytes) = which.get(fixtures());
        let mut bytes = bytes.clone();
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        parse_with_every_provider(&bytes);
        parse_with_every_provider(&bytes[..cut.index(bytes.len() + 1)]);
    }
}
