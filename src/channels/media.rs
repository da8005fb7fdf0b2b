//! Downloading what a patient sent (a voice note, a photo, a PDF) from the provider that
//! delivered it.
//!
//! Each provider hands media out differently: Meta answers a short-lived URL for a media id
//! (`GET /{version}/{media-id}`, then a download with the same bearer token), Evolution answers
//! the file as base64 (`POST /chat/getBase64FromMediaMessage/{instance}`), Z-API (and Evolution
//! with object storage) put a plain URL in the webhook. [`MediaDownloader`] knows each clinic
//! channel's way and credentials; whatever the way, the file is refused when it is larger than
//! its kind's limit or not of a type that kind may have. Bytes only ever live in memory here:
//! nothing in this module logs them, their URL or the patient's number.

use std::collections::HashMap;
use std::fmt;

use async_trait::async_trait;
use reqwest::{StatusCode, header};
use sofia_core::clinic::{ChannelSpec, Clinic};
use sofia_core::domain::ChannelId;

use super::event::{Media, MediaSource, ProviderMessageId};
use super::http::BaseUrl;
use super::provider::ChannelConfigError;
use crate::limited::{ReadError, read_limited};
use crate::secret::Secret;

/// What a media file is for: it decides the size limit and the types accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// A voice note or an audio file, to be transcribed.
    Audio,
    /// A photo, to be shown to a vision model.
    Image,
    /// A PDF, acknowledged (and possibly handed to the team), never read.
    Document,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Image => "image",
            MediaKind::Document => "document",
        }
    }

    /// Whether a file of type `mime` may be this kind. Audio is what transcription servers
    /// take; images are what vision models take.
    fn accepts(self, mime: &MimeType) -> bool {
        let mime = mime.as_str();
        match self {
            MediaKind::Audio => mime.starts_with("audio/") || mime == "application/ogg",
            MediaKind::Image => matches!(mime, "image/jpeg" | "image/png" | "image/webp" | "image/gif"),
            MediaKind::Document => mime == "application/pdf",
        }
    }
}

/// The largest file accepted per kind, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaLimits {
    pub audio: usize,
    pub image: usize,
    pub document: usize,
}

impl MediaLimits {
    pub fn of(&self, kind: MediaKind) -> usize {
        match kind {
            MediaKind::Audio => self.audio,
            MediaKind::Image => self.image,
            MediaKind::Document => self.document,
        }
    }
}

impl Default for MediaLimits {
    /// WhatsApp's own limits are 16 MB for audio and 5 MB for images; a voice note of a few
    /// minutes is well under 2 MB. OpenAI-compatible transcription takes at most 25 MB.
    fn default() -> Self {
        MediaLimits { audio: 16 * 1024 * 1024, image: 5 * 1024 * 1024, document: 20 * 1024 * 1024 }
    }
}

/// A content type as `type/subtype`, lower case, without parameters (`audio/ogg; codecs=opus`
/// is `audio/ogg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MimeType(String);

impl MimeType {
    /// `None` for something that is not `type/subtype`.
    pub fn parse(raw: &str) -> Option<MimeType> {
        let essence = raw.split(';').next()?.trim().to_ascii_lowercase();
        let (kind, sub) = essence.split_once('/')?;
        let token = |part: &str| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.' | '_'))
        };
        (token(kind) && token(sub)).then_some(MimeType(essence))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A file name extension for this type, for transcription uploads and kept files.
    pub fn extension(&self) -> &'static str {
        match self.as_str() {
            "audio/ogg" | "application/ogg" => "ogg",
            "audio/mpeg" => "mp3",
            "audio/mp4" | "audio/m4a" | "audio/x-m4a" => "m4a",
            "audio/aac" => "aac",
            "audio/amr" => "amr",
            "audio/wav" | "audio/x-wav" => "wav",
            "audio/webm" => "webm",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            "image/webp" => "webp",
            "image/gif" => "gif",
            "application/pdf" => "pdf",
            _ => "bin",
        }
    }
}

impl fmt::Display for MimeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A downloaded file. Its `Debug` shows the size, never the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Downloaded {
    pub bytes: Vec<u8>,
    pub mime: MimeType,
}

impl fmt::Debug for Downloaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Downloaded").field("bytes", &self.bytes.len()).field("mime", &self.mime).finish()
    }
}

/// Why a file could not be had. Reasons never carry a URL, a token or a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The provider no longer has it: the URL expired (Meta's last minutes) or the id is unknown.
    #[error("the media is no longer available (expired or unknown)")]
    Expired,
    #[error("the media is larger than the {limit}-byte limit for its kind")]
    TooLarge { limit: usize },
    #[error("the media is '{found}', which is not accepted for this kind")]
    WrongType { found: String },
    #[error("the provider did not hand the media over in time")]
    Timeout,
    #[error("the provider refused the credentials for the media")]
    Refused,
    #[error("the media could not be fetched: {reason}")]
    Unavailable { reason: String },
    /// This channel (the console) or this source cannot give files.
    #[error("this channel has no way to fetch media")]
    NotFetchable,
}

impl MediaError {
    /// A short word for metrics.
    pub fn label(&self) -> &'static str {
        match self {
            MediaError::Expired => "expired",
            MediaError::TooLarge { .. } => "too_large",
            MediaError::WrongType { .. } => "wrong_type",
            MediaError::Timeout => "timeout",
            MediaError::Refused => "refused",
            MediaError::Unavailable { .. } => "unavailable",
            MediaError::NotFetchable => "not_fetchable",
        }
    }
}

/// The port the conversation engine reads media through: the providers in production, fixture
/// files in evals.
#[async_trait]
pub trait MediaFetch: Send + Sync {
    /// The file of `media`, sent in message `message` on `channel`, checked against `kind`.
    async fn fetch(
        &self,
        channel: ChannelId,
        message: &ProviderMessageId,
        media: &Media,
        kind: MediaKind,
    ) -> Result<Downloaded, MediaError>;
}

/// How one channel hands media out.
enum Source {
    Meta {
        graph: BaseUrl,
        api_version: String,
        token: Secret,
    },
    Evolution {
        base: BaseUrl,
        instance: String,
        api_key: Secret,
    },
    /// Z-API: plain URLs in the webhook; the console: none at all.
    UrlsOnly,
}

/// Every clinic channel's way to its media. The HTTP client's timeout bounds each request.
pub struct MediaDownloader {
    http: reqwest::Client,
    limits: MediaLimits,
    channels: HashMap<ChannelId, Source>,
}

impl MediaDownloader {
    /// Reads each channel's credentials through `env`, as the senders do.
    pub fn new(
        clinics: &[&Clinic],
        http: reqwest::Client,
        limits: MediaLimits,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<MediaDownloader, ChannelConfigError> {
        let secret = |var: &str| {
            env(var)
                .filter(|value| !value.trim().is_empty())
                .map(Secret::new)
                .ok_or_else(|| ChannelConfigError::MissingSecret { var: var.to_owned() })
        };
        let mut channels = HashMap::new();
        for clinic in clinics {
            for spec in &clinic.channels {
                let source = match spec {
                    ChannelSpec::Meta { access_token_env, api_version, base_url, .. } => Source::Meta {
                        graph: BaseUrl::parse(base_url)?,
                        api_version: api_version.clone(),
                        token: secret(access_token_env)?,
                    },
                    ChannelSpec::Evolution { base_url, instance, api_key_env, .. } => Source::Evolution {
                        base: BaseUrl::parse(base_url)?,
                        instance: instance.clone(),
                        api_key: secret(api_key_env)?,
                    },
                    ChannelSpec::Zapi { .. } | ChannelSpec::Console => Source::UrlsOnly,
                };
                channels.insert(spec.id(&clinic.tenant), source);
            }
        }
        Ok(MediaDownloader { http, limits, channels })
    }
}

#[async_trait]
impl MediaFetch for MediaDownloader {
    async fn fetch(
        &self,
        channel: ChannelId,
        message: &ProviderMessageId,
        media: &Media,
        kind: MediaKind,
    ) -> Result<Downloaded, MediaError> {
        let limit = self.limits.of(kind);
        let declared = media.mime_type.as_deref().and_then(MimeType::parse);
        let source = self.channels.get(&channel).ok_or(MediaError::NotFetchable)?;
        let downloaded = match (&media.source, source) {
            (MediaSource::Url(url), _) => {
                let request = self.http.get(url.as_str());
                fetch_checked(request, declared, limit).await?
            }
            (MediaSource::MetaId(id), Source::Meta { graph, api_version, token }) => {
                super::meta::media::download(&self.http, graph, api_version, token, id, declared, limit)
                    .await?
            }
            (MediaSource::EvolutionMessage, Source::Evolution { base, instance, api_key }) => {
                super::evolution::media::download(
                    &self.http, base, instance, api_key, message, declared, limit,
                )
                .await?
            }
            _ => return Err(MediaError::NotFetchable),
        };
        check_type(&downloaded.mime, kind)?;
        Ok(downloaded)
    }
}

fn check_type(mime: &MimeType, kind: MediaKind) -> Result<(), MediaError> {
    if kind.accepts(mime) { Ok(()) } else { Err(MediaError::WrongType { found: mime.to_string() }) }
}

/// Downloads a file with `request`, at most `limit` bytes. Its type is the answer's
/// `Content-Type`, or `declared` (what the webhook said) when the server only says
/// `application/octet-stream` or nothing. Gone (403 on a signed URL, 404, 410) means expired.
pub(crate) async fn fetch_checked(
    request: reqwest::RequestBuilder,
    declared: Option<MimeType>,
    limit: usize,
) -> Result<Downloaded, MediaError> {
    let response = request.send().await.map_err(transport)?;
    let status = response.status();
    if matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::GONE) {
        return Err(MediaError::Expired);
    }
    if status == StatusCode::UNAUTHORIZED {
        return Err(MediaError::Refused);
    }
    if !status.is_success() {
        return Err(MediaError::Unavailable { reason: format!("HTTP {}", status.as_u16()) });
    }
    let served = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(MimeType::parse)
        .filter(|mime| mime.as_str() != "application/octet-stream");
    let mime = served.or(declared).ok_or_else(|| MediaError::WrongType { found: "unknown".to_owned() })?;
    let bytes = read_limited(response, limit).await.map_err(read_error)?;
    Ok(Downloaded { bytes, mime })
}

pub(crate) fn read_error(error: ReadError) -> MediaError {
    match error {
        ReadError::TooLong { limit } => MediaError::TooLarge { limit },
        ReadError::Transport(error) => transport(error),
    }
}

/// Classifies a transport failure without quoting it: reqwest's messages carry the URL.
pub(crate) fn transport(error: reqwest::Error) -> MediaError {
    if error.is_timeout() {
        MediaError::Timeout
    } else if error.is_connect() {
        MediaError::Unavailable { reason: "could not connect".to_owned() }
    } else {
        MediaError::Unavailable { reason: "the connection failed".to_owned() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_lose_their_parameters_and_case() {
        assert_eq!(MimeType::parse("audio/ogg; codecs=opus").unwrap().as_str(), "audio/ogg");
        assert_eq!(MimeType::parse(" Image/JPEG ").unwrap().as_str(), "image/jpeg");
        assert_eq!(MimeType::parse("nonsense"), None);
        assert_eq!(MimeType::parse("a b/c"), None);
    }

    #[test]
    fn each_kind_takes_only_its_own_types() {
        let mime = |raw: &str| MimeType::parse(raw).unwrap();
        assert!(MediaKind::Audio.accepts(&mime("audio/ogg; codecs=opus")));
        assert!(MediaKind::Audio.accepts(&mime("audio/mpeg")));
        assert!(!MediaKind::Audio.accepts(&mime("text/html")));
        assert!(MediaKind::Image.accepts(&mime("image/webp")));
        assert!(!MediaKind::Image.accepts(&mime("image/svg+xml")), "SVG is a script carrier, not a photo");
        assert!(MediaKind::Document.accepts(&mime("application/pdf")));
        assert!(!MediaKind::Document.accepts(&mime("application/zip")));
    }

    #[test]
    fn a_download_shows_its_size_never_its_bytes() {
        let file =
            Downloaded { bytes: b"secret voice".to_vec(), mime: MimeType::parse("audio/ogg").unwrap() };
        let shown = format!("{file:?}");
        assert!(shown.contains("12") && !shown.contains("115"), "{shown}");
    }
}
