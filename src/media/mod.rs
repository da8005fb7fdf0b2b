//! Voice notes, photos and documents: what a turn needs from the files patients send.
//!
//! Before a turn is answered, [`Attachments::read`] goes over its patient messages: a voice
//! note is downloaded from its provider ([`crate::channels::MediaFetch`]) and transcribed
//! ([`Transcriber`]), and the transcript is stored as the message's text; a photo is
//! downloaded only for a brain that can see it, and handed to that turn in memory; a document
//! is counted (the engine acknowledges it, or hands it to the team). Because this happens
//! inside the turn, after the debounce window, a voice note sent in a burst with text is
//! answered together with the text, once its transcript is in.
//!
//! Files are never logged and, unless `media.keep_dir` is set, never written anywhere: they
//! live for the turn that reads them. See docs/media.md.

mod config;
mod transcription;

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sofia_core::domain::ChannelId;

pub use config::{MediaConfig, SttConfig};
pub use transcription::{SttClient, SttConfigError, SttError, Transcriber};

use crate::channels::{
    Downloaded, Media, MediaError, MediaFetch, MediaKind, MessageContent, ProviderMessageId,
};
use crate::inbox::InboxPayload;
use crate::metrics::Metrics;
use crate::store::{Store, StoreError, StoredMessage};

/// What the engine reads a turn's files with.
pub struct Attachments {
    fetch: Arc<dyn MediaFetch>,
    /// `None`: no `stt.base_url`; voice notes are not transcribed.
    transcriber: Option<Arc<dyn Transcriber>>,
    keep_dir: Option<PathBuf>,
    metrics: Arc<Metrics>,
}

/// A turn's patient messages after their files were read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadMessages {
    /// The messages, in order, voice notes with their transcript where there is one.
    pub contents: Vec<MessageContent>,
    /// The photos, downloaded, for a brain that sees them.
    pub images: Vec<Downloaded>,
    /// Voice notes without a transcript: no transcription configured, or it failed.
    pub unheard: usize,
    /// Photos the brain will not see (it cannot, or the download failed).
    pub unseen: usize,
    /// Documents (PDFs and other files).
    pub documents: usize,
}

impl Attachments {
    pub fn new(
        fetch: Arc<dyn MediaFetch>,
        transcriber: Option<Arc<dyn Transcriber>>,
        keep_dir: Option<PathBuf>,
        metrics: Arc<Metrics>,
    ) -> Attachments {
        Attachments { fetch, transcriber, keep_dir, metrics }
    }

    /// No way to fetch files and no transcription: the console's situation, and the engine's
    /// default until the wiring gives it the providers.
    pub fn unavailable() -> Attachments {
        Attachments::new(Arc::new(NoFetch), None, None, Arc::new(Metrics::default()))
    }

    /// Reads the files of `messages` (a turn's patient messages, oldest first), storing each new
    /// transcript. Photos are downloaded only when `see_images`.
    pub async fn read(
        &self,
        store: &dyn Store,
        messages: &[&StoredMessage],
        see_images: bool,
        now: DateTime<Utc>,
    ) -> Result<ReadMessages, StoreError> {
        let mut read = ReadMessages::default();
        for message in messages {
            let mut payload = InboxPayload::of(message);
            match &mut payload.content {
                MessageContent::Audio { transcript: transcript @ None, media, .. } => {
                    match self.listen(message, media).await {
                        Some(text) => {
                            *transcript = Some(text.clone());
                            // As the inbox writes payloads: a payload always serialises.
                            let json = serde_json::to_value(&payload).unwrap_or_default();
                            store.record_transcript(message.id, &text, &json, now).await?;
                        }
                        None => read.unheard += 1,
                    }
                }
                MessageContent::Image { media, .. } => {
                    let seen =
                        if see_images { self.download(message, media, MediaKind::Image).await } else { None };
                    match seen {
                        Some(image) => read.images.push(image),
                        None => read.unseen += 1,
                    }
                }
                MessageContent::Document { media, .. } => {
                    read.documents += 1;
                    // Fetched only to be kept for the team; nothing in Sofia reads it.
                    if self.keep_dir.is_some() {
                        self.download(message, media, MediaKind::Document).await;
                    }
                }
                _ => {}
            }
            read.contents.push(payload.content);
        }
        Ok(read)
    }

    /// The transcript of a voice note, or `None` (counted in the metrics).
    async fn listen(&self, message: &StoredMessage, media: &Media) -> Option<String> {
        let Some(transcriber) = &self.transcriber else {
            self.metrics.transcriptions.inc(&["not_configured"]);
            return None;
        };
        let Some(audio) = self.download(message, media, MediaKind::Audio).await else {
            self.metrics.transcriptions.inc(&["no_audio"]);
            return None;
        };
        match transcriber.transcribe(&audio).await {
            Ok(text) => {
                self.metrics.transcriptions.inc(&["ok"]);
                tracing::info!(message_id = %message.id, chars = text.chars().count(), "voice note transcribed");
                Some(text)
            }
            Err(error) => {
                self.metrics.transcriptions.inc(&[error.label()]);
                tracing::warn!(message_id = %message.id, error = %error, "a voice note could not be transcribed");
                None
            }
        }
    }

    /// The message's file, or `None` when it cannot be had (counted and logged, without the
    /// URL or the bytes). Kept in `media.keep_dir` when set.
    async fn download(&self, message: &StoredMessage, media: &Media, kind: MediaKind) -> Option<Downloaded> {
        let fetched = match (message.channel_id, provider_id(message)) {
            (Some(channel), Some(id)) => self.fetch.fetch(channel, &id, media, kind).await,
            _ => Err(MediaError::NotFetchable),
        };
        match fetched {
            Ok(file) => {
                self.metrics.media.inc(&[kind.as_str(), "ok"]);
                tracing::debug!(message_id = %message.id, kind = kind.as_str(), bytes = file.bytes.len(), mime = %file.mime, "media fetched");
                self.keep(message, &file).await;
                Some(file)
            }
            Err(error) => {
                self.metrics.media.inc(&[kind.as_str(), error.label()]);
                tracing::warn!(message_id = %message.id, kind = kind.as_str(), error = %error, "media could not be fetched");
                None
            }
        }
    }

    async fn keep(&self, message: &StoredMessage, file: &Downloaded) {
        let Some(dir) = &self.keep_dir else { return };
        let path = dir.join(format!("{}.{}", message.id, file.mime.extension()));
        let written = match tokio::fs::create_dir_all(dir).await {
            Ok(()) => tokio::fs::write(&path, &file.bytes).await,
            Err(error) => Err(error),
        };
        if let Err(error) = written {
            // Keeping is for the team's convenience; the turn goes on without it.
            tracing::warn!(message_id = %message.id, error = %error, "could not keep a media file");
        }
    }
}

fn provider_id(message: &StoredMessage) -> Option<ProviderMessageId> {
    message.provider_message_id.as_deref().and_then(|id| ProviderMessageId::parse(id).ok())
}

/// Fetches nothing: the console has no files.
struct NoFetch;

#[async_trait]
impl MediaFetch for NoFetch {
    async fn fetch(
        &self,
        _channel: ChannelId,
        _message: &ProviderMessageId,
        _media: &Media,
        _kind: MediaKind,
    ) -> Result<Downloaded, MediaError> {
        Err(MediaError::NotFetchable)
    }
}
