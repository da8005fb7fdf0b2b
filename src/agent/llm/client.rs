//! Asking a model: one shared HTTP client for every clinic and model, or the cassettes that
//! stand in for it (record/replay), and what a failed request means for the fallback chain.

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use super::cassette::{Cassette, Cassettes};
use super::wire::ChatResponse;
use crate::limited::retry_after;
use crate::secret::Secret;

/// Why a model gave no usable answer. Messages name the kind of failure and the HTTP status,
/// never a response body (providers quote keys and prompts in them).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("rate limited (HTTP 429)")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the server failed (HTTP {0})")]
    Server(u16),
    #[error("the server refused the request (HTTP {0})")]
    Refused(u16),
    #[error("could not reach the server ({0})")]
    Unreachable(&'static str),
    #[error("unusable answer: {0}")]
    Malformed(String),
    #[error(transparent)]
    Cassette(#[from] super::cassette::CassetteError),
}

/// Where requests go.
pub enum Transport {
    /// A server, optionally saving every exchange as a cassette.
    Live { http: HttpModel, record: Option<Cassettes> },
    /// Cassettes only: no server, no key.
    Replay(Cassettes),
}

impl Transport {
    /// Sends `request` (a serialised [`super::wire::ChatRequest`]) and reads the answer.
    pub async fn send(&self, request: &Value, now: DateTime<Utc>) -> Result<ChatResponse, ModelError> {
        let (status, headers_retry_after, body) = match self {
            Transport::Live { http, record } => {
                let exchange = http.post(request, now).await?;
                if let Some(cassettes) = record {
                    cassettes.save(&Cassette::new(
                        request,
                        exchange.status,
                        exchange.retry_after,
                        &exchange.body,
                    ))?;
                }
                (exchange.status, exchange.retry_after, exchange.body)
            }
            Transport::Replay(cassettes) => {
                let cassette = cassettes.load(request)?;
                (cassette.status, cassette.retry_after_s.map(Duration::from_secs), cassette.response)
            }
        };
        read_answer(status, headers_retry_after, body)
    }
}

/// A model's answer by HTTP status: 200 must hold a chat completion, 429 may be waited out,
/// other statuses move the chain on.
fn read_answer(status: u16, retry_after: Option<Duration>, body: Value) -> Result<ChatResponse, ModelError> {
    match StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR) {
        StatusCode::TOO_MANY_REQUESTS => Err(ModelError::RateLimited { retry_after }),
        status if status.is_server_error() => Err(ModelError::Server(status.as_u16())),
        status if !status.is_success() => Err(ModelError::Refused(status.as_u16())),
        _ => serde_json::from_value(body)
            .map_err(|error| ModelError::Malformed(format!("not a chat completion: {error}"))),
    }
}

/// One HTTP exchange, before it is interpreted.
pub struct Exchange {
    pub status: u16,
    pub retry_after: Option<Duration>,
    /// The body as JSON; a body that is not JSON is kept as a string.
    pub body: Value,
}

/// The OpenAI-compatible server.
pub struct HttpModel {
    client: reqwest::Client,
    url: String,
    api_key: Secret,
    /// Azure wants its key in an `api-key` header rather than as a bearer token.
    azure: bool,
    timeout: Duration,
}

impl HttpModel {
    /// `base_url` is the API root (`https://api.openai.com/v1`); a query string (Azure's
    /// `?api-version=…`) stays after the path.
    pub fn new(client: reqwest::Client, base_url: &str, api_key: Secret, timeout: Duration) -> HttpModel {
        let base_url = base_url.trim();
        let (root, query) =
            base_url.split_once('?').map_or((base_url, None), |(root, query)| (root, Some(query)));
        let mut url = format!("{}/chat/completions", root.trim_end_matches('/'));
        if let Some(query) = query {
            url.push('?');
            url.push_str(query);
        }
        let azure = root.contains(".openai.azure.com");
        HttpModel { client, url, api_key, azure, timeout }
    }

    async fn post(&self, request: &Value, now: DateTime<Utc>) -> Result<Exchange, ModelError> {
        let mut builder = self.client.post(&self.url).timeout(self.timeout).json(request);
        if !self.api_key.is_empty() {
            builder = if self.azure {
                builder.header("api-key", self.api_key.expose())
            } else {
                builder.bearer_auth(self.api_key.expose())
            };
        }
        let response = builder.send().await.map_err(|error| self.transport_error(&error))?;
        let status = response.status().as_u16();
        let retry_after = retry_after(response.headers(), now);
        let bytes = response.bytes().await.map_err(|error| self.transport_error(&error))?;
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Ok(Exchange { status, retry_after, body })
    }

    /// reqwest's errors quote the URL, which may carry a key in its query: keep only the kind.
    fn transport_error(&self, error: &reqwest::Error) -> ModelError {
        if error.is_timeout() {
            ModelError::Timeout(self.timeout)
        } else if error.is_connect() {
            ModelError::Unreachable("connection failed")
        } else if error.is_body() || error.is_decode() {
            ModelError::Unreachable("the answer was cut off")
        } else {
            ModelError::Unreachable("request failed")
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn statuses_say_what_the_chain_does_next() {
        let limited = read_answer(429, Some(Duration::from_secs(1)), json!({}));
        assert!(matches!(limited, Err(ModelError::RateLimited { retry_after: Some(_) })));
        assert!(matches!(read_answer(503, None, json!("down")), Err(ModelError::Server(503))));
        assert!(matches!(read_answer(401, None, json!({})), Err(ModelError::Refused(401))));
        let garbage = read_answer(200, None, json!("<html>"));
        assert!(matches!(garbage, Err(ModelError::Malformed(_))), "{garbage:?}");
    }

    #[test]
    fn the_endpoint_keeps_a_query_string_after_the_path() {
        let client = reqwest::Client::new();
        let openai = HttpModel::new(
            client.clone(),
            "https://api.openai.com/v1/",
            Secret::new(""),
            Duration::from_secs(1),
        );
        assert_eq!(openai.url, "https://api.openai.com/v1/chat/completions");
        assert!(!openai.azure);
        let azure = HttpModel::new(
            client,
            "https://clinic.openai.azure.com/openai/deployments/gpt-4o-mini?api-version=2024-10-21",
            Secret::new("k"),
            Duration::from_secs(1),
        );
        assert_eq!(
            azure.url,
            "https://clinic.openai.azure.com/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21"
        );
        assert!(azure.azure);
    }
}
