//! Reading a remote service's answer without trusting its size: a WhatsApp provider or
//! Chatwoot that answers with gigabytes (broken, or not what it claims to be) must not take the
//! process's memory with it.

/// Why an answer could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Longer than the limit (announced, or found while reading).
    TooLong {
        limit: usize,
    },
    Transport(reqwest::Error),
}

/// The answer's body, at most `limit` bytes.
pub async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if response.content_length().is_some_and(|length| length > limit as u64) {
        return Err(ReadError::TooLong { limit });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLong { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
