//! Standard Webhooks signatures: `v1,` + base64 of HMAC-SHA256 over
//! `"{webhook-id}.{webhook-timestamp}.{body}"`, keyed with the base64-decoded part of the
//! endpoint's `whsec_…` secret.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix Standard Webhooks secrets carry.
const PREFIX: &str = "whsec_";

/// An endpoint's signing key. `Debug` never shows it.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningKeyError {
    #[error("is not a Standard Webhooks secret: it must start with whsec_")]
    NoPrefix,
    #[error("is not a Standard Webhooks secret: the part after whsec_ must be base64")]
    NotBase64,
    #[error("is not a Standard Webhooks secret: the key must be 24 to 64 bytes")]
    WrongLength,
}

impl SigningKey {
    /// Parses `whsec_<base64>`. The errors never repeat the secret.
    pub fn parse(secret: &str) -> Result<SigningKey, SigningKeyError> {
        let encoded = secret.trim().strip_prefix(PREFIX).ok_or(SigningKeyError::NoPrefix)?;
        let key = STANDARD.decode(encoded).map_err(|_| SigningKeyError::NotBase64)?;
        // The spec asks for 24 to 64 bytes of randomness.
        if !(24..=64).contains(&key.len()) {
            return Err(SigningKeyError::WrongLength);
        }
        Ok(SigningKey(key))
    }

    /// The `webhook-signature` header's value for one attempt.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            // HMAC takes keys of any length; this branch cannot run.
            return String::new();
        };
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_test_vector() {
        // The example of the Standard Webhooks specification and its reference libraries.
        let key = SigningKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            key.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, br#"{"test": 2432232314}"#),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_secret_that_is_not_whsec_base64_is_refused_without_being_repeated() {
        assert_eq!(
            SigningKey::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err(),
            SigningKeyError::NoPrefix
        );
        assert_eq!(SigningKey::parse("whsec_not base64!").unwrap_err(), SigningKeyError::NotBase64);
        assert_eq!(SigningKey::parse("whsec_c2hvcnQ=").unwrap_err(), SigningKeyError::WrongLength);
        let key = SigningKey::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{key:?}"), "SigningKey([redacted])");
    }
}
