//! A voice note in Chatwoot: the agents read its transcript, marked as spoken.

use base64::Engine as _;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{OGG, SPOKEN, scene_in};
use crate::app::{ProviderUrls, TestKnowledge};
use crate::chatwoot::{mount_fresh_chatwoot, posted_messages};
use crate::support::{TestDb, conformance};

conformance!(chatwoot_shows_a_voice_note_as_its_transcript);

async fn chatwoot_shows_a_voice_note_as_its_transcript(db: TestDb) {
    let chatwoot = MockServer::start().await;
    mount_fresh_chatwoot(&chatwoot).await;
    let providers = MockServer::start().await;
    let uri = providers.uri();
    let knowledge = TestKnowledge::with_chatwoot(
        &ProviderUrls { evolution: uri.clone(), zapi: uri.clone(), meta: uri },
        &chatwoot.uri(),
    );
    let scene = scene_in(db, providers, MockServer::start().await, knowledge, |_| {}).await;
    Mock::given(method("POST"))
        .and(path("/chat/getBase64FromMediaMessage/bella-forma"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "mimetype": "audio/ogg; codecs=opus",
            "base64": base64::engine::general_purpose::STANDARD.encode(OGG),
        })))
        .mount(&scene.providers)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "text": SPOKEN })))
        .mount(&scene.stt)
        .await;

    scene.patient_sends("evolution", "audio_voice.json", |body| body).await;
    scene.app.mirror.round().await.unwrap();

    let posted = posted_messages(&chatwoot).await;
    let incoming: Vec<&str> = posted
        .iter()
        .filter(|body| body["message_type"] == "incoming")
        .map(|body| body["content"].as_str().unwrap())
        .collect();
    assert_eq!(incoming, [format!("🎤 Áudio transcrito:\n{SPOKEN}")]);
}
