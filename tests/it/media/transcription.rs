//! The `/audio/transcriptions` server: its answer becomes the turn's words; its failures,
//! and its absence, become a kind request to write, counted in the metrics.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{ASKED_TO_WRITE, OGG, SPOKEN, Scene, scene};
use crate::support::{TestDb, conformance};

conformance!(
    a_transcription_server_error_gets_a_request_to_write_and_a_metric,
    a_transcription_timeout_gets_a_request_to_write_and_a_metric,
    without_speech_to_text_a_voice_note_gets_a_request_to_write,
    a_voice_note_in_a_burst_with_text_is_answered_with_the_text_once_transcribed,
    text_beside_a_voice_note_nobody_could_hear_is_answered_and_the_note_not_ignored,
);

/// Evolution hands the voice note over as base64.
async fn evolution_has_the_voice_note(scene: &Scene) {
    Mock::given(method("POST"))
        .and(path("/chat/getBase64FromMediaMessage/bella-forma"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "mimetype": "audio/ogg; codecs=opus",
            "base64": base64::engine::general_purpose::STANDARD.encode(OGG),
        })))
        .mount(&scene.providers)
        .await;
}

async fn a_transcription_server_error_gets_a_request_to_write_and_a_metric(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    evolution_has_the_voice_note(&scene).await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({ "error": { "message": "overloaded" } })),
        )
        .mount(&scene.stt)
        .await;

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.transcriptions("http_error"), 1);
    assert_eq!(scene.transcriptions("ok"), 0);
}

async fn a_transcription_timeout_gets_a_request_to_write_and_a_metric(db: TestDb) {
    let scene = scene(db, |config| config.stt.timeout_s = 1).await;
    evolution_has_the_voice_note(&scene).await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "text": SPOKEN }))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&scene.stt)
        .await;

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.transcriptions("timeout"), 1);
}

async fn without_speech_to_text_a_voice_note_gets_a_request_to_write(db: TestDb) {
    // The embedded default: no `stt.base_url`.
    let scene = scene(db, |config| config.stt.base_url = String::new()).await;
    evolution_has_the_voice_note(&scene).await;

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.transcriptions("not_configured"), 1);
    let fetched = scene.providers.received_requests().await.unwrap();
    assert!(
        fetched.iter().all(|r| !r.url.path().contains("getBase64")),
        "a file nobody can transcribe is not downloaded"
    );
}

async fn a_voice_note_in_a_burst_with_text_is_answered_with_the_text_once_transcribed(db: TestDb) {
    // A debounce long enough for both messages to land in one window; a slow transcription.
    let scene = scene(db, |config| config.engine.debounce_ms = 400).await;
    evolution_has_the_voice_note(&scene).await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "text": SPOKEN }))
                .set_delay(Duration::from_millis(800)),
        )
        .mount(&scene.stt)
        .await;
    let text = String::from_utf8(crate::app::fixture("evolution", "text.json"))
        .unwrap()
        .replace("Oi! Vocês atendem no sábado?", "Oi, bom dia!")
        .replace("3EB0C431D5A2B7F8E9A1", "3EB0AAAA0000BBBB1111")
        .replace("1772452800", "1772452880");
    assert_eq!(scene.app.post_evolution(text.into_bytes()).await.0, 200);

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    // One turn answered both: the greeting and the voice note's request.
    assert!(reply.contains("13:00"), "{reply}");
    assert!(!reply.contains(ASKED_TO_WRITE), "{reply}");
    let turns: BTreeSet<String> = scene
        .bot_messages()
        .await
        .iter()
        .filter_map(|m| m.idempotency_key.as_deref()?.rsplit_once(':').map(|(turn, _)| turn.to_owned()))
        .collect();
    assert_eq!(turns.len(), 1, "one turn answered the burst: {turns:?}");
    let patient = scene.patient_messages().await;
    assert_eq!(patient.len(), 2);
    assert!(patient.iter().all(|m| m.processed_at.is_some()));
}

async fn text_beside_a_voice_note_nobody_could_hear_is_answered_and_the_note_not_ignored(db: TestDb) {
    let scene = scene(db, |config| {
        config.engine.debounce_ms = 400;
        config.stt.base_url = String::new();
    })
    .await;
    evolution_has_the_voice_note(&scene).await;
    let text = String::from_utf8(crate::app::fixture("evolution", "text.json"))
        .unwrap()
        .replace("Oi! Vocês atendem no sábado?", "quanto custa o botox?")
        .replace("3EB0C431D5A2B7F8E9A1", "3EB0AAAA0000BBBB1111");
    assert_eq!(scene.app.post_evolution(text.into_bytes()).await.0, 200);

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    assert!(reply.starts_with("Não consegui ouvir o seu áudio"), "{reply}");
    assert!(reply.contains("800"), "the brain answered the text: {reply}");
}
