//! Meta's media: `GET /{version}/{media-id}` with the access token answers a URL (valid for a
//! few minutes) and the file's size and type; the file itself is a second `GET` of that URL,
//! with the same bearer token.

use reqwest::StatusCode;
use serde::Deserialize;

use crate::channels::http::BaseUrl;
use crate::channels::media::{Downloaded, MediaError, MimeType, fetch_checked, read_error, transport};
use crate::limited::read_limited;
use crate::secret::Secret;

/// The lookup's answer is a few hundred bytes of JSON.
const MAX_LOOKUP_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct Lookup {
    url: String,
    #[serde(default)]
    mime_type: Option<String>,
    /// A string in Meta's examples, a number in some answers.
    #[serde(default)]
    file_size: Option<serde_json::Value>,
}

pub(crate) async fn download(
    http: &reqwest::Client,
    graph: &BaseUrl,
    api_version: &str,
    token: &Secret,
    media_id: &str,
    declared: Option<MimeType>,
    limit: usize,
) -> Result<Downloaded, MediaError> {
    let url = graph.join(&[api_version, media_id]).into_url();
    let response = http.get(url).bearer_auth(token.expose()).send().await.map_err(transport)?;
    let status = response.status();
    match status {
        // An unknown or deleted media id (Meta keeps media 30 days) is a 400 or 404.
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND | StatusCode::GONE => {
            return Err(MediaError::Expired);
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => return Err(MediaError::Refused),
        status if !status.is_success() => {
            return Err(MediaError::Unavailable {
                reason: format!("media lookup: HTTP {}", status.as_u16()),
            });
        }
        _ => {}
    }
    let body = read_limited(response, MAX_LOOKUP_BYTES).await.map_err(read_error)?;
    let lookup: Lookup = serde_json::from_slice(&body)
        .map_err(|_| MediaError::Unavailable { reason: "the media lookup answered no URL".to_owned() })?;
    let size = lookup.file_size.as_ref().and_then(|size| match size {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    });
    // Refused before a byte is downloaded when Meta says how big it is.
    if size.is_some_and(|size| size > limit as u64) {
        return Err(MediaError::TooLarge { limit });
    }
    let declared = lookup.mime_type.as_deref().and_then(MimeType::parse).or(declared);
    fetch_checked(http.get(lookup.url.as_str()).bearer_auth(token.expose()), declared, limit).await
}
