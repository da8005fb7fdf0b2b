//! The files of an eval's voice notes and photos: no provider, no transcription server.
//!
//! A case's `image:` is a fixture file, served as the photo's download. A case's `audio:` is
//! the voice note's transcript: the eval has no recording, so the "file" it serves is that
//! text, and [`ScriptedTranscriber`] reads it back — the transcript plays the part of a
//! transcription cassette. Everything between (the engine fetching, transcribing, storing the
//! transcript as the message's text, answering) runs as in production.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use sofia_core::domain::ChannelId;

use super::suite::Said;
use crate::channels::{
    Downloaded, Media, MediaError, MediaFetch, MediaKind, MediaSource, MessageContent, MimeType,
    ProviderMessageId,
};
use crate::media::{Attachments, SttError, Transcriber};
use crate::metrics::Metrics;

/// Where an eval's files are served from, by the made-up URL each message carries.
#[derive(Default)]
pub struct EvalFiles {
    files: Mutex<HashMap<String, Downloaded>>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot read the eval's photo {path}: {source}")]
pub struct FixtureError {
    path: String,
    #[source]
    source: std::io::Error,
}

impl EvalFiles {
    /// The engine's attachments for a case: these files, and the scripted transcriber.
    pub fn attachments(self: &Arc<Self>) -> Attachments {
        Attachments::new(
            Arc::clone(self) as Arc<dyn MediaFetch>,
            Some(Arc::new(ScriptedTranscriber)),
            None,
            Arc::new(Metrics::default()),
        )
    }

    /// The message the patient sends for `said`, its file (if any) ready to be fetched.
    pub fn message(&self, said: &Said) -> Result<MessageContent, FixtureError> {
        Ok(match said {
            Said::Text(text) => MessageContent::Text { body: text.clone() },
            Said::VoiceNote { transcript } => MessageContent::Audio {
                voice: true,
                media: self
                    .serve(Downloaded { bytes: transcript.as_bytes().to_vec(), mime: mime("audio/ogg") }),
                transcript: None,
            },
            Said::Photo { path } => {
                let bytes = std::fs::read(path)
                    .map_err(|source| FixtureError { path: path.display().to_string(), source })?;
                MessageContent::Image {
                    caption: None,
                    media: self.serve(Downloaded { bytes, mime: mime(image_type(path)) }),
                }
            }
        })
    }

    fn serve(&self, file: Downloaded) -> Media {
        let url = format!("eval://file/{}", uuid::Uuid::new_v4());
        let mime_type = Some(file.mime.to_string());
        self.files.lock().unwrap_or_else(PoisonError::into_inner).insert(url.clone(), file);
        Media { mime_type, source: MediaSource::Url(url) }
    }
}

fn mime(text: &str) -> MimeType {
    MimeType::parse(text).unwrap_or_else(|| unreachable!("'{text}' is a content type"))
}

fn image_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => "image/jpeg",
    }
}

#[async_trait]
impl MediaFetch for EvalFiles {
    async fn fetch(
        &self,
        _channel: ChannelId,
        _message: &ProviderMessageId,
        media: &Media,
        _kind: MediaKind,
    ) -> Result<Downloaded, MediaError> {
        let MediaSource::Url(url) = &media.source else { return Err(MediaError::NotFetchable) };
        self.files.lock().unwrap_or_else(PoisonError::into_inner).get(url).cloned().ok_or(MediaError::Expired)
    }
}

/// Gives back the transcript an eval's voice note carries as its recording.
pub struct ScriptedTranscriber;

#[async_trait]
impl Transcriber for ScriptedTranscriber {
    async fn transcribe(&self, audio: &Downloaded) -> Result<String, SttError> {
        String::from_utf8(audio.bytes.clone()).map_err(|_| SttError::Invalid)
    }
}
