//! The `[media]` and `[stt]` sections.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use crate::channels::MediaLimits;
use crate::secret::Secret;

/// How patients' files are fetched and kept.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MediaConfig {
    /// One request to a provider for a file (the lookup and the download each).
    pub timeout_s: u64,
    /// Largest voice note or audio file, in bytes.
    pub max_audio_bytes: usize,
    /// Largest photo, in bytes.
    pub max_image_bytes: usize,
    /// Largest document (PDF), in bytes.
    pub max_document_bytes: usize,
    /// Keep every fetched file here, named by message id (empty: files are only ever in memory,
    /// for the turn that needs them, and dropped after it).
    #[serde(deserialize_with = "optional_dir")]
    pub keep_dir: Option<PathBuf>,
}

impl Default for MediaConfig {
    fn default() -> Self {
        let limits = MediaLimits::default();
        MediaConfig {
            timeout_s: 20,
            max_audio_bytes: limits.audio,
            max_image_bytes: limits.image,
            max_document_bytes: limits.document,
            keep_dir: None,
        }
    }
}

impl MediaConfig {
    pub fn limits(&self) -> MediaLimits {
        MediaLimits {
            audio: self.max_audio_bytes,
            image: self.max_image_bytes,
            document: self.max_document_bytes,
        }
    }
}

/// Speech to text through an OpenAI-compatible `/audio/transcriptions` endpoint.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SttConfig {
    /// Up to and including the version (`https://api.openai.com/v1`,
    /// `https://api.groq.com/openai/v1`, `http://localhost:8000/v1`). Empty: voice notes are
    /// not transcribed, and the patient is asked to write instead.
    pub base_url: String,
    /// Sent as `Authorization: Bearer …`; empty sends none (a local Whisper server).
    pub api_key: Secret,
    /// `whisper-1`, `whisper-large-v3`, `gpt-4o-mini-transcribe`…
    pub model: String,
    /// The spoken language, as ISO-639-1.
    pub language: String,
    /// One transcription request.
    pub timeout_s: u64,
}

impl Default for SttConfig {
    fn default() -> Self {
        SttConfig {
            base_url: String::new(),
            api_key: Secret::new(""),
            model: "whisper-1".to_owned(),
            language: "pt".to_owned(),
            timeout_s: 30,
        }
    }
}

impl SttConfig {
    pub fn is_enabled(&self) -> bool {
        !self.base_url.trim().is_empty()
    }
}

fn optional_dir<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<PathBuf>, D::Error> {
    let text = String::deserialize(deserializer)?;
    Ok(Some(PathBuf::from(&text)).filter(|_| !text.trim().is_empty()))
}
