//! Proving a request came from Meta: the `X-Hub-Signature-256` header on notifications and the
//! `hub.*` verification handshake when the webhook URL is registered.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// An empty key would let anyone compute a valid signature.
    #[error("no Meta app secret is configured, so no signature can be trusted")]
    NoAppSecret,
    #[error("the X-Hub-Signature-256 header is missing")]
    Missing,
    #[error("the X-Hub-Signature-256 header is not `sha256=` followed by 64 hex digits")]
    Malformed,
    #[error("the X-Hub-Signature-256 signature does not match the body")]
    Mismatch,
}

/// Checks `X-Hub-Signature-256: sha256=<hex>` against the HMAC-SHA256 of the raw body under
/// the app secret.
///
/// The raw bytes are what Meta signed; re-serialised JSON would differ in whitespace and
/// escaping. The comparison is constant-time.
pub fn verify_signature(
    app_secret: &Secret,
    raw_body: &[u8],
    header: Option<&str>,
) -> Result<(), SignatureError> {
    if app_secret.is_empty() {
        return Err(SignatureError::NoAppSecret);
    }
    let header = header.map(str::trim).filter(|h| !h.is_empty()).ok_or(SignatureError::Missing)?;
    let hex_digest = header.strip_prefix("sha256=").ok_or(SignatureError::Malformed)?;
    let expected = hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)?;
    if expected.len() != 32 {
        return Err(SignatureError::Malformed);
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.expose().as_bytes())
        .map_err(|_| SignatureError::Mismatch)?;
    mac.update(raw_body);
    mac.verify_slice(&expected).map_err(|_| SignatureError::Mismatch)
}

/// The query of Meta's `GET` verification request, as an HTTP layer deserialises it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HandshakeError {
    #[error("hub.mode is not \"subscribe\"")]
    NotSubscribe,
    #[error("hub.verify_token does not match the configured verify token")]
    WrongToken,
    #[error("hub.challenge is missing or longer than {MAX_CHALLENGE_LEN} characters")]
    BadChallenge,
}

/// Meta sends a number; anything much longer is not Meta and is not worth echoing.
const MAX_CHALLENGE_LEN: usize = 256;

impl Handshake {
    /// The text to answer with `200 text/plain` when the request is Meta subscribing with our
    /// verify token; otherwise why to answer `403`.
    pub fn answer(&self, verify_token: &Secret) -> Result<&str, HandshakeError> {
        if self.mode.as_deref() != Some("subscribe") {
            return Err(HandshakeError::NotSubscribe);
        }
        let offered = self.verify_token.as_deref().unwrap_or_default();
        // Compare digests so that the time taken says nothing about how much of the token matched.
        if verify_token.is_empty() || Sha256::digest(offered) != Sha256::digest(verify_token.expose()) {
            return Err(HandshakeError::WrongToken);
        }
        match self.challenge.as_deref() {
            Some(challenge) if !challenge.is_empty() && challenge.len() <= MAX_CHALLENGE_LEN => Ok(challenge),
            _ => Err(HandshakeError::BadChallenge),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handshake(mode: &str, token: &str, challenge: &str) -> Handshake {
        Handshake {
            mode: Some(mode.into()),
            verify_token: Some(token.into()),
            challenge: Some(challenge.into()),
        }
    }

    #[test]
    fn the_handshake_echoes_the_challenge_only_for_our_token() {
        let ours = Secret::new("token-da-clinica");
        assert_eq!(handshake("subscribe", "token-da-clinica", "1158201444").answer(&ours), Ok("1158201444"));
        assert_eq!(
            handshake("subscribe", "outro", "1158201444").answer(&ours),
            Err(HandshakeError::WrongToken)
        );
        assert_eq!(
            handshake("unsubscribe", "token-da-clinica", "1").answer(&ours),
            Err(HandshakeError::NotSubscribe)
        );
        assert_eq!(
            handshake("subscribe", "token-da-clinica", "").answer(&ours),
            Err(HandshakeError::BadChallenge)
        );
        assert_eq!(Handshake::default().answer(&ours), Err(HandshakeError::NotSubscribe));
        // An unset verify token must not accept an empty one.
        assert_eq!(handshake("subscribe", "", "1").answer(&Secret::new("")), Err(HandshakeError::WrongToken));
    }

    #[test]
    fn the_handshake_reads_meta_query_parameters() {
        let query = "hub.mode=subscribe&hub.challenge=42&hub.verify_token=abc";
        let parsed: Handshake = serde_json::from_value(serde_json::json!(
            query.split('&').filter_map(|kv| kv.split_once('=')).collect::<std::collections::HashMap<_, _>>()
        ))
        .unwrap();
        assert_eq!(parsed.answer(&Secret::new("abc")), Ok("42"));
    }
}
