//! What the three HTTP providers share: building endpoints, sending a JSON request, and the
//! part of error classification that depends only on HTTP.

use std::time::Duration;

use reqwest::{RequestBuilder, StatusCode, Url, header};
use serde_json::Value;

use super::event::ProviderMessageId;
use super::provider::{ChannelConfigError, Fault, SendError};
use crate::limited::{ReadError, read_limited};

/// A `Retry-After` longer than this is treated as "not soon" (the router fails over instead).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// A provider's answer to a send is a small JSON document; anything longer is not one.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// A provider's base URL, checked once when the channel is built: http(s), able to take a path.
#[derive(Clone)]
pub(crate) struct BaseUrl(Url);

impl BaseUrl {
    pub(crate) fn parse(base: &str) -> Result<Self, ChannelConfigError> {
        let invalid = |reason: &str| ChannelConfigError::InvalidBaseUrl {
            url: base.to_owned(),
            reason: reason.to_owned(),
        };
        let url = Url::parse(base).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if url.cannot_be_a_base() {
            return Err(invalid("it cannot have a path"));
        }
        Ok(BaseUrl(url))
    }

    /// This URL with `segments` appended, each percent-encoded as one path segment.
    pub(crate) fn join(&self, segments: &[&str]) -> BaseUrl {
        let mut url = self.0.clone();
        // Cannot fail: `parse` refused URLs that cannot be a base.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        BaseUrl(url)
    }

    pub(crate) fn into_url(self) -> Url {
        self.0
    }
}

/// A provider's answer: status, `Retry-After`, and the body as JSON (`Null` when it is not).
pub(crate) struct Reply {
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    pub body: Value,
}

/// Sends a request, within the client's timeout (`outbox.send_timeout`). A failure before the
/// request went out is retryable; one after it is [`SendError::Unconfirmed`]. Reasons never
/// include the URL, which carries the Z-API token.
pub(crate) async fn send(request: RequestBuilder) -> Result<Reply, SendError> {
    let response = request.send().await.map_err(transport_error)?;
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(|seconds| Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    // The request went out: an answer too long to read leaves its outcome unknown.
    let bytes = read_limited(response, MAX_ANSWER_BYTES).await.map_err(|error| match error {
        ReadError::TooLong { limit } => {
            SendError::Unconfirmed { reason: format!("the provider's answer was longer than {limit} bytes") }
        }
        ReadError::Transport(error) => transport_error(error),
    })?;
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Reply { status, retry_after, body })
}

fn transport_error(error: reqwest::Error) -> SendError {
    // A connection that never opened delivered nothing, whatever the error says about time.
    if error.is_connect() {
        return SendError::Retryable {
            retry_after: None,
            reason: "could not connect to the provider".to_owned(),
        };
    }
    // Anything else happened on an open connection, after the request may have been written
    // (the client retries by itself what it knows it never wrote on a reused connection): the
    // provider may have sent the message.
    let reason = if error.is_timeout() {
        "the provider did not answer in time"
    } else if error.is_body() || error.is_decode() {
        "the provider's answer was cut off"
    } else {
        "the connection closed before the provider answered"
    };
    SendError::Unconfirmed { reason: reason.to_owned() }
}

/// Classifies an unsuccessful reply by HTTP status alone, by whether the request could have
/// reached the provider's application (docs/channels.md, "Sending at most once"):
///
/// - 429, 408 and 503 say it was not taken: retried, here or on another channel;
/// - 502 and 504 come from a proxy in front of the provider, which may have passed the request
///   on before failing: the outcome is unknown and it is never sent again;
/// - any other 5xx is the provider's own failure to act on it: retried.
///
/// A 4xx on an interactive message is taken as "cannot render it here", so the router retries
/// once as numbered text and a real problem then shows up on the plain text.
pub(crate) fn classify_status(reply: &Reply, interactive: bool) -> SendError {
    let status = reply.status;
    let reason = format!("HTTP {}", status.as_u16());
    if matches!(status, StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT) {
        SendError::Unconfirmed { reason: format!("{reason} from a proxy: the provider may have taken it") }
    } else if status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
    {
        SendError::Retryable { retry_after: reply.retry_after, reason }
    } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
        SendError::Permanent {
            fault: Fault::Channel,
            reason: format!("{reason}: credentials or instance refused"),
        }
    } else if interactive && status.is_client_error() {
        SendError::InteractiveUnsupported { reason }
    } else {
        SendError::Permanent { fault: Fault::Message, reason }
    }
}

/// A 2xx reply must name the message id; without one the outcome is unknown, and sending again
/// (here or on another channel) could deliver it twice.
pub(crate) fn accepted_id(id: Option<&str>) -> Result<ProviderMessageId, SendError> {
    id.and_then(|id| ProviderMessageId::parse(id).ok()).ok_or_else(|| SendError::Permanent {
        fault: Fault::Message,
        reason: "the provider accepted the request without a message id; it may have been delivered"
            .to_owned(),
    })
}

/// Provider error texts are quoted in reasons, minus anything that looks like a phone number,
/// and short.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 8 {
            out.push('…');
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars().take(200) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_append_encoded_segments() {
        let base = BaseUrl::parse("https://evo.exemplo.com.br/").unwrap();
        let url = base.join(&["message", "sendText", "clínica centro"]).into_url();
        assert_eq!(url.as_str(), "https://evo.exemplo.com.br/message/sendText/cl%C3%ADnica%20centro");
        let nested = BaseUrl::parse("http://127.0.0.1:9/v1").unwrap().join(&["a/b"]).join(&["c"]).into_url();
        assert_eq!(nested.as_str(), "http://127.0.0.1:9/v1/a%2Fb/c");
        assert!(BaseUrl::parse("ftp://x").is_err());
        assert!(BaseUrl::parse("mailto:a@b").is_err());
        assert!(BaseUrl::parse("not a url").is_err());
    }

    #[test]
    fn quoted_errors_hide_phone_numbers() {
        assert_eq!(quote("(#131026) 5511987654321 undeliverable"), "(#131026) … undeliverable");
    }
}
