//! Record/replay: every model exchange saved as a JSON file named by a hash of the request, so
//! model-brain suites run in CI with no key and no network.
//!
//! The key is the SHA-256 of the request in canonical form: object keys sorted, and every UUID
//! replaced by its order of appearance (`uuid-1`, `uuid-2`, …), because appointment and handoff
//! ids are new in every run while the conversation is the same. A request with no cassette is
//! an error naming its key, never a guess.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum CassetteError {
    #[error(
        "no cassette for request {key} in {dir} (record it with llm.record_dir, or the prompt, \
         tools or conversation changed since it was recorded)"
    )]
    Missing { key: String, dir: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a cassette: {problem}")]
    Invalid { path: PathBuf, problem: String },
}

/// One saved exchange. Hand-written cassettes are fine: `request` is only for people reading
/// the file; the file name is the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cassette {
    pub key: String,
    /// The request in canonical form.
    pub request: Value,
    #[serde(default = "ok")]
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u64>,
    pub response: Value,
}

fn ok() -> u16 {
    200
}

impl Cassette {
    pub fn new(request: &Value, status: u16, retry_after: Option<Duration>, response: &Value) -> Cassette {
        Cassette {
            key: key(request),
            request: canonical(request),
            status,
            retry_after_s: retry_after.map(|wait| wait.as_secs()),
            response: response.clone(),
        }
    }
}

/// A folder of cassettes.
#[derive(Debug, Clone)]
pub struct Cassettes {
    dir: PathBuf,
}

impl Cassettes {
    pub fn new(dir: impl Into<PathBuf>) -> Cassettes {
        Cassettes { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn save(&self, cassette: &Cassette) -> Result<(), CassetteError> {
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| CassetteError::Io { path, source }
        };
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let path = self.path(&cassette.key);
        let mut text = serde_json::to_string_pretty(cassette)
            .map_err(|error| CassetteError::Invalid { path: path.clone(), problem: error.to_string() })?;
        text.push('\n');
        std::fs::write(&path, text).map_err(io(&path))
    }

    /// The cassette answering `request`.
    pub fn load(&self, request: &Value) -> Result<Cassette, CassetteError> {
        let key = key(request);
        let path = self.path(&key);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(CassetteError::Missing { key, dir: self.dir.clone() });
            }
            Err(source) => return Err(CassetteError::Io { path, source }),
        };
        serde_json::from_str(&text)
            .map_err(|error| CassetteError::Invalid { path, problem: error.to_string() })
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.json"))
    }
}

/// The cassette key of a request: the conversation and the tools, not the limits on the
/// answer (`max_tokens`), so a new limit does not orphan every recorded exchange.
pub fn key(request: &Value) -> String {
    let mut request = request.clone();
    if let Some(fields) = request.as_object_mut() {
        fields.remove("max_tokens");
    }
    key_of_canonical(&canonical(&request))
}

fn key_of_canonical(canonical: &Value) -> String {
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    // 64 bits name a cassette uniquely among any number a suite will ever hold.
    hex::encode(&digest[..8])
}

static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        .unwrap_or_else(|error| unreachable!("the UUID pattern is valid: {error}"))
});

/// Keys sorted, UUIDs numbered by first appearance.
pub fn canonical(value: &Value) -> Value {
    let mut uuids = HashMap::new();
    canonical_with(value, &mut uuids)
}

fn canonical_with(value: &Value, uuids: &mut HashMap<String, usize>) -> Value {
    match value {
        Value::String(text) => Value::String(
            UUID.replace_all(text, |found: &regex::Captures<'_>| {
                let next = uuids.len() + 1;
                let n = *uuids.entry(found[0].to_ascii_lowercase()).or_insert(next);
                format!("uuid-{n}")
            })
            .into_owned(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|item| canonical_with(item, uuids)).collect()),
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            let mut sorted = Map::new();
            for key in keys {
                sorted.insert(key.clone(), canonical_with(&object[key], uuids));
            }
            Value::Object(sorted)
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_key_ignores_key_order_and_which_uuids_a_run_drew() {
        let a = json!({ "model": "m", "messages": [{ "content": "id 5f0c7b1e-3a0b-4c55-9d2e-0f6a1b2c3d4e and again 5f0c7b1e-3a0b-4c55-9d2e-0f6a1b2c3d4e" }] });
        let b = json!({ "messages": [{ "content": "id 11111111-2222-4333-8444-555555555555 and again 11111111-2222-4333-8444-555555555555" }], "model": "m" });
        assert_eq!(key(&a), key(&b));
        let two_ids = json!({ "model": "m", "messages": [{ "content": "id 5f0c7b1e-3a0b-4c55-9d2e-0f6a1b2c3d4e and again 11111111-2222-4333-8444-555555555555" }] });
        assert_ne!(key(&a), key(&two_ids), "two different ids are not one id twice");
        assert_ne!(key(&a), key(&json!({ "model": "other", "messages": a["messages"] })));
        assert_eq!(canonical(&a)["messages"][0]["content"], "id uuid-1 and again uuid-1");
    }

    #[test]
    fn a_saved_cassette_answers_its_request_and_a_miss_names_the_key() {
        let dir = std::env::temp_dir().join(format!("sofia-cassettes-{}", uuid::Uuid::new_v4().simple()));
        let cassettes = Cassettes::new(&dir);
        let request = json!({ "model": "m", "messages": [] });
        let answer = json!({ "choices": [] });
        cassettes.save(&Cassette::new(&request, 200, None, &answer)).unwrap();
        assert_eq!(cassettes.load(&request).unwrap().response, answer);

        let other = json!({ "model": "m", "messages": [{ "role": "user", "content": "oi" }] });
        let error = cassettes.load(&other).unwrap_err();
        assert!(error.to_string().contains(&key(&other)), "{error}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
