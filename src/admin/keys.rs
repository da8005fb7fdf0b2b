//! The key material: `sofia_` + 32 random bytes (base64url), shown once; what is kept is its
//! SHA-256 and a short prefix that names it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// What every key starts with, so that a leaked one is recognisable (secret scanners, logs).
pub const KEY_PREFIX: &str = "sofia_";
/// Random bytes in a key: 256 bits, never guessed.
const RANDOM_BYTES: usize = 32;
/// Characters of the encoded random part kept in the display prefix (48 bits): enough to tell
/// keys apart, far too little to guess the rest.
const PREFIX_CHARS: usize = 8;

/// A key just drawn: the whole key (shown once), and what the store keeps of it.
#[derive(Debug)]
pub struct IssuedKey {
    pub key: Secret,
    /// `sofia_` and the first characters of the random part.
    pub prefix: String,
    pub hash: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomSourceError(String);

/// Draws a new key from the operating system's random source.
pub fn issue() -> Result<IssuedKey, RandomSourceError> {
    let mut bytes = [0u8; RANDOM_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| RandomSourceError(e.to_string()))?;
    let key = format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let prefix = key[..KEY_PREFIX.len() + PREFIX_CHARS].to_owned();
    let hash = hash(&key);
    Ok(IssuedKey { key: Secret::new(key), prefix, hash })
}

/// SHA-256 of a presented key, lower-case hex: what the store looks keys up by.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_sofia_and_43_url_safe_characters_named_by_its_prefix() {
        let issued = issue().unwrap();
        let key = issued.key.expose();
        assert!(key.starts_with("sofia_"));
        assert_eq!(key.len(), 6 + 43, "32 bytes in unpadded base64url");
        assert!(key[6..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert!(key.starts_with(&issued.prefix) && issued.prefix.len() == 14);
        assert_eq!(issued.hash, hash(key));
        assert_eq!(issued.hash.len(), 64);
        assert_ne!(issue().unwrap().hash, issued.hash, "every key is new");
    }

    #[test]
    fn the_hash_is_sha256_hex() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
