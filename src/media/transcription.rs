//! Speech to text: a voice note's words, from any server that speaks OpenAI's
//! `POST {base}/audio/transcriptions` (OpenAI, Groq, LiteLLM, faster-whisper servers…).
//!
//! The request is `multipart/form-data` (`file`, `model`, `language`, `response_format=json`),
//! written here by hand: five fields do not earn a multipart crate's compile time. Neither the
//! audio nor the transcript is ever logged.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::{StatusCode, Url, header};
use serde::Deserialize;

use super::config::SttConfig;
use crate::channels::Downloaded;
use crate::limited::{ReadError, read_limited};
use crate::secret::Secret;

/// A transcript is text; a voice note of minutes is a few kilobytes of it.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// Turns a voice note into text.
#[async_trait]
pub trait Transcriber: Send + Sync {
    async fn transcribe(&self, audio: &Downloaded) -> Result<String, SttError>;
}

/// Why a voice note has no transcript. Never carries the audio, the words or the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SttError {
    #[error("the transcription server did not answer in time")]
    Timeout,
    #[error("the transcription server answered HTTP {0}")]
    Status(u16),
    #[error("the transcription server could not be reached")]
    Unreachable,
    #[error("the transcription server's answer is not a transcript")]
    Invalid,
    #[error("the transcript is empty (silence, or nothing understood)")]
    Empty,
}

impl SttError {
    /// A short word for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            SttError::Timeout => "timeout",
            SttError::Status(_) => "http_error",
            SttError::Unreachable => "unreachable",
            SttError::Invalid => "invalid",
            SttError::Empty => "empty",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SttConfigError {
    #[error("stt.base_url '{url}' is not a usable http(s) URL")]
    BaseUrl { url: String },
}

/// The OpenAI-compatible client.
pub struct SttClient {
    http: reqwest::Client,
    url: Url,
    api_key: Secret,
    model: String,
    language: String,
}

#[derive(Deserialize)]
struct Answer {
    text: String,
}

impl SttClient {
    /// `None` when `stt.base_url` is empty: no transcription.
    pub fn from_config(config: &SttConfig) -> Result<Option<SttClient>, SttConfigError> {
        if !config.is_enabled() {
            return Ok(None);
        }
        let base = config.base_url.trim().trim_end_matches('/');
        let url = Url::parse(&format!("{base}/audio/transcriptions"))
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https"))
            .ok_or_else(|| SttConfigError::BaseUrl { url: config.base_url.clone() })?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(config.timeout_s.max(1)))
            .build()
            .map_err(|_| SttConfigError::BaseUrl { url: config.base_url.clone() })?;
        Ok(Some(SttClient {
            http,
            url,
            api_key: config.api_key.clone(),
            model: config.model.clone(),
            language: config.language.clone(),
        }))
    }
}

#[async_trait]
impl Transcriber for SttClient {
    async fn transcribe(&self, audio: &Downloaded) -> Result<String, SttError> {
        let form = Form::new()
            .file("file", &format!("audio.{}", audio.mime.extension()), audio.mime.as_str(), &audio.bytes)
            .text("model", &self.model)
            .text("language", &self.language)
            .text("response_format", "json");
        let mut request = self
            .http
            .post(self.url.clone())
            .header(header::CONTENT_TYPE, form.content_type())
            .body(form.finish());
        if !self.api_key.is_empty() {
            request = request.bearer_auth(self.api_key.expose());
        }
        let response = request.send().await.map_err(transport)?;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(SttError::Status(status.as_u16()));
        }
        let body = read_limited(response, MAX_ANSWER_BYTES).await.map_err(|error| match error {
            ReadError::TooLong { .. } => SttError::Invalid,
            ReadError::Transport(error) => transport(error),
        })?;
        let answer: Answer = serde_json::from_slice(&body).map_err(|_| SttError::Invalid)?;
        let text = answer.text.trim();
        if text.is_empty() { Err(SttError::Empty) } else { Ok(text.to_owned()) }
    }
}

fn transport(error: reqwest::Error) -> SttError {
    if error.is_timeout() { SttError::Timeout } else { SttError::Unreachable }
}

/// A `multipart/form-data` body (RFC 7578), fields in order.
struct Form {
    boundary: String,
    body: Vec<u8>,
}

impl Form {
    fn new() -> Form {
        // Random, so no audio can contain it by chance.
        Form { boundary: format!("sofia-{}", uuid::Uuid::new_v4().simple()), body: Vec::new() }
    }

    fn text(mut self, name: &str, value: &str) -> Form {
        self.open(name, None);
        self.body.extend_from_slice(b"\r\n");
        self.body.extend_from_slice(value.as_bytes());
        self.body.extend_from_slice(b"\r\n");
        self
    }

    fn file(mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Form {
        self.open(name, Some(filename));
        self.body.extend_from_slice(format!("Content-Type: {content_type}\r\n\r\n").as_bytes());
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    fn open(&mut self, name: &str, filename: Option<&str>) {
        self.body.extend_from_slice(format!("--{}\r\n", self.boundary).as_bytes());
        let disposition = match filename {
            Some(filename) => {
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n")
            }
            None => format!("Content-Disposition: form-data; name=\"{name}\"\r\n"),
        };
        self.body.extend_from_slice(disposition.as_bytes());
    }

    fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    fn finish(mut self) -> Vec<u8> {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_rfc_7578_multipart() {
        let form = Form::new().text("model", "whisper-1").file("file", "audio.ogg", "audio/ogg", b"OggS");
        let boundary = form.boundary.clone();
        let body = String::from_utf8(form.finish()).unwrap();
        assert_eq!(
            body,
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio.ogg\"\r\n\
                 Content-Type: audio/ogg\r\n\r\nOggS\r\n--{boundary}--\r\n"
            )
        );
    }

    #[test]
    fn no_base_url_means_no_transcription() {
        assert!(SttClient::from_config(&SttConfig::default()).unwrap().is_none());
        let bad = SttConfig { base_url: "ftp://x".into(), ..SttConfig::default() };
        assert!(SttClient::from_config(&bad).is_err());
    }
}
