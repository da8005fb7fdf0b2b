//! Meta's `X-Hub-Signature-256` over the raw body.

use sofia::channels::meta::{SignatureError, verify_signature};
use sofia::secret::Secret;

use crate::support::fixture;

/// HMAC-SHA256 of `meta/text.json`'s exact bytes under `bella-forma-app-secret`, computed with
/// Python's `hmac` module (an oracle independent of the code under test).
const SIGNATURE: &str = "sha256=f1472d03a975124410cfb1da57d30ab7f491c8f8cffee6ea1fa76c9c8382f436";

fn app_secret() -> Secret {
    Secret::new("bella-forma-app-secret")
}

#[test]
fn a_valid_signature_is_accepted() {
    let body = fixture("meta", "text.json");
    assert_eq!(verify_signature(&app_secret(), &body, Some(SIGNATURE)), Ok(()));
    assert_eq!(
        verify_signature(&app_secret(), &body, Some(&SIGNATURE.to_uppercase().replace("SHA256=", "sha256="))),
        Ok(())
    );
}

#[test]
fn the_wrong_secret_is_refused() {
    let body = fixture("meta", "text.json");
    // The access token or the verify token are not the app secret.
    let wrong = Secret::new("verify-token-da-clinica");
    assert_eq!(verify_signature(&wrong, &body, Some(SIGNATURE)), Err(SignatureError::Mismatch));
}

#[test]
fn an_unconfigured_app_secret_trusts_nothing() {
    // A correct HMAC under the empty key, which anyone can compute.
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    let forged = "sha256=704eb71c28bbe7c091ca5b8f9446c2bceec023435f33ff17e7fb9634d46333bc";
    assert_eq!(verify_signature(&Secret::new(""), body, Some(forged)), Err(SignatureError::NoAppSecret));
}

#[test]
fn a_tampered_body_is_refused() {
    let mut body = fixture("meta", "text.json");
    let at = body.iter().position(|b| *b == b'O').unwrap();
    body[at] = b'0';
    assert_eq!(verify_signature(&app_secret(), &body, Some(SIGNATURE)), Err(SignatureError::Mismatch));
    // Re-serialised JSON is a different byte string, even when it means the same.
    let original = fixture("meta", "text.json");
    let reserialised =
        serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(&original).unwrap()).unwrap();
    assert_eq!(
        verify_signature(&app_secret(), &reserialised, Some(SIGNATURE)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn missing_or_malformed_headers_are_refused() {
    let body = fixture("meta", "text.json");
    let hex = SIGNATURE.trim_start_matches("sha256=");
    assert_eq!(verify_signature(&app_secret(), &body, None), Err(SignatureError::Missing));
    assert_eq!(verify_signature(&app_secret(), &body, Some("  ")), Err(SignatureError::Missing));
    for malformed in [
        hex.to_owned(),                    // no prefix
        format!("sha1={hex}"),             // the legacy header's algorithm
        format!("sha256={}", &hex[..62]),  // truncated
        format!("sha256={hex}00"),         // too long
        format!("sha256=zz{}", &hex[2..]), // not hex
    ] {
        assert_eq!(
            verify_signature(&app_secret(), &body, Some(&malformed)),
            Err(SignatureError::Malformed),
            "{malformed}"
        );
    }
}
