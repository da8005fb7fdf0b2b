//! Evolution's media: `POST /chat/getBase64FromMediaMessage/{instance}` with the message's id
//! answers the decrypted file as base64, with its `mimetype`. (The webhook's own `base64`
//! field, when the instance is set to send it, is not kept: it would put every file in the
//! inbox.)

use base64::Engine as _;
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::json;

use crate::channels::event::ProviderMessageId;
use crate::channels::http::BaseUrl;
use crate::channels::media::{Downloaded, MediaError, MimeType, read_error, transport};
use crate::limited::read_limited;
use crate::secret::Secret;

#[derive(Deserialize)]
struct Answer {
    base64: String,
    #[serde(default)]
    mimetype: Option<String>,
}

pub(crate) async fn download(
    http: &reqwest::Client,
    base: &BaseUrl,
    instance: &str,
    api_key: &Secret,
    message: &ProviderMessageId,
    declared: Option<MimeType>,
    limit: usize,
) -> Result<Downloaded, MediaError> {
    let url = base.join(&["chat", "getBase64FromMediaMessage", instance]).into_url();
    let body = json!({ "message": { "key": { "id": message.as_str() } }, "convertToMp4": false });
    let response =
        http.post(url).header("apikey", api_key.expose()).json(&body).send().await.map_err(transport)?;
    match response.status() {
        // Evolution answers 400 (or 404) when the message or its media is gone from the phone.
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND | StatusCode::GONE => {
            return Err(MediaError::Expired);
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => return Err(MediaError::Refused),
        status if !status.is_success() => {
            return Err(MediaError::Unavailable { reason: format!("HTTP {}", status.as_u16()) });
        }
        _ => {}
    }
    // Base64 is 4 characters per 3 bytes; the JSON around it is small.
    let answer_limit = limit / 3 * 4 + 8 * 1024;
    let text = read_limited(response, answer_limit).await.map_err(|error| match read_error(error) {
        MediaError::TooLarge { .. } => MediaError::TooLarge { limit },
        other => other,
    })?;
    let answer: Answer = serde_json::from_slice(&text)
        .map_err(|_| MediaError::Unavailable { reason: "the answer carried no base64".to_owned() })?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(answer.base64.trim())
        .map_err(|_| MediaError::Unavailable { reason: "the answer's base64 is invalid".to_owned() })?;
    if bytes.len() > limit {
        return Err(MediaError::TooLarge { limit });
    }
    let mime = answer
        .mimetype
        .as_deref()
        .and_then(MimeType::parse)
        .or(declared)
        .ok_or_else(|| MediaError::WrongType { found: "unknown".to_owned() })?;
    Ok(Downloaded { bytes, mime })
}
