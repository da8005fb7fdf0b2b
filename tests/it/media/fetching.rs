//! Each provider's way to a voice note, and each way a file is refused, through the real app.

use base64::Engine as _;
use serde_json::{Value, json};
use sofia::channels::MessageContent;
use sofia::inbox::InboxPayload;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{ASKED_TO_WRITE, OGG, SPOKEN, Scene, scene};
use crate::support::{TestDb, conformance};

conformance!(
    a_meta_voice_note_is_fetched_in_two_steps_transcribed_and_answered,
    an_evolution_voice_note_comes_as_base64,
    a_zapi_voice_note_is_downloaded_from_its_url,
    an_expired_meta_url_gets_a_request_to_write,
    an_oversized_voice_note_gets_a_request_to_write,
    a_voice_note_that_is_a_web_page_gets_a_request_to_write,
    a_photo_nobody_can_see_is_acknowledged_with_an_offer_to_help,
    a_document_goes_to_the_team_when_the_clinic_asks_for_it,
    a_file_is_kept_under_its_message_id_only_when_media_keep_dir_is_set,
);

async fn stt_says(scene: &Scene, text: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "text": text })))
        .mount(&scene.stt)
        .await;
}

async fn meta_serves(scene: &Scene, download: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v21.0/1203456789012345"))
        .and(header("authorization", "Bearer meta-access-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{}/whatsapp_business/attachments/1203456789012345", scene.providers.uri()),
            "mime_type": "audio/ogg; codecs=opus",
            "file_size": "22",
            "id": "1203456789012345"
        })))
        .mount(&scene.providers)
        .await;
    Mock::given(method("GET"))
        .and(path("/whatsapp_business/attachments/1203456789012345"))
        .and(header("authorization", "Bearer meta-access-token"))
        .respond_with(download)
        .mount(&scene.providers)
        .await;
}

/// The Z-API fixture's voice note, its URL on the fake provider at `file`.
fn zapi_audio_at(scene: &Scene, file: &str) -> impl Fn(String) -> String {
    let url = format!("{}/{file}", scene.providers.uri());
    move |body: String| {
        body.replace(
            "https://storage.z-api.io/instances/3C67AB641C8AA0412F6A2242B4E23AC7/3EB0F1E2D3C4B5A69788.ogg",
            &url,
        )
    }
}

async fn a_meta_voice_note_is_fetched_in_two_steps_transcribed_and_answered(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    meta_serves(&scene, ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg")).await;
    stt_says(&scene, SPOKEN).await;

    let reply = scene.patient_sends("meta", "audio_voice.json", |body| body).await;

    // The transcript is the turn's text: the rules brain offers tomorrow afternoon's Botox.
    assert!(reply.contains("13:00"), "{reply}");
    assert!(!reply.contains(ASKED_TO_WRITE), "{reply}");
    // The transcription request: the audio, the model and Portuguese, with the key.
    let requests = scene.stt.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.headers.get("authorization").unwrap(), "Bearer stt-key");
    let form = String::from_utf8_lossy(&request.body);
    assert!(form.contains("name=\"model\"\r\n\r\nwhisper-1\r\n"), "{form}");
    assert!(form.contains("name=\"language\"\r\n\r\npt\r\n"), "{form}");
    assert!(form.contains("filename=\"audio.ogg\"\r\nContent-Type: audio/ogg\r\n\r\nOggS"), "{form}");
    // Stored as the message's text, and marked transcribed in its payload.
    let voice = scene.patient_messages().await.pop().unwrap();
    assert_eq!(voice.body, SPOKEN);
    let MessageContent::Audio { transcript, .. } = InboxPayload::of(&voice).content else {
        panic!("the voice note stays a voice note: {:?}", voice.payload)
    };
    assert_eq!(transcript.as_deref(), Some(SPOKEN));
    assert_eq!(scene.transcriptions("ok"), 1);
    assert_eq!(scene.fetches("audio", "ok"), 1);
}

async fn an_evolution_voice_note_comes_as_base64(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    Mock::given(method("POST"))
        .and(path("/chat/getBase64FromMediaMessage/bella-forma"))
        .and(header("apikey", "evolution-api-key"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "mimetype": "audio/ogg; codecs=opus",
            "base64": base64::engine::general_purpose::STANDARD.encode(OGG),
        })))
        .expect(1)
        .mount(&scene.providers)
        .await;
    stt_says(&scene, SPOKEN).await;

    let reply = scene.patient_sends("evolution", "audio_voice.json", |body| body).await;

    assert!(reply.contains("13:00"), "{reply}");
    let asked: Vec<Value> = scene
        .providers
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/chat/getBase64FromMediaMessage/bella-forma")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        asked,
        [json!({ "message": { "key": { "id": "3EB0F1E2D3C4B5A69788" } }, "convertToMp4": false })]
    );
    assert!(scene.stt.received_requests().await.unwrap()[0].body.windows(OGG.len()).any(|w| w == OGG));
}

async fn a_zapi_voice_note_is_downloaded_from_its_url(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    Mock::given(method("GET"))
        .and(path("/storage/3EB0F1E2D3C4B5A69788.ogg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg"))
        .expect(1)
        .mount(&scene.providers)
        .await;
    stt_says(&scene, SPOKEN).await;

    let reply = scene
        .patient_sends("zapi", "audio_voice.json", zapi_audio_at(&scene, "storage/3EB0F1E2D3C4B5A69788.ogg"))
        .await;

    assert!(reply.contains("13:00"), "{reply}");
    assert_eq!(scene.patient_messages().await.pop().unwrap().body, SPOKEN);
}

async fn an_expired_meta_url_gets_a_request_to_write(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    meta_serves(&scene, ResponseTemplate::new(404)).await;
    stt_says(&scene, SPOKEN).await;

    let reply = scene.patient_sends("meta", "audio_voice.json", |body| body).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.fetches("audio", "expired"), 1);
    assert_eq!(scene.transcriptions("no_audio"), 1);
    assert!(scene.stt.received_requests().await.unwrap().is_empty(), "nothing to transcribe");
    assert_eq!(scene.patient_messages().await.pop().unwrap().body, "", "no transcript was made up");
}

async fn an_oversized_voice_note_gets_a_request_to_write(db: TestDb) {
    let scene = scene(db, |config| config.media.max_audio_bytes = 1024).await;
    Mock::given(method("GET"))
        .and(path("/storage/long.ogg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![0u8; 64 * 1024], "audio/ogg"))
        .mount(&scene.providers)
        .await;
    stt_says(&scene, SPOKEN).await;

    let reply =
        scene.patient_sends("zapi", "audio_voice.json", zapi_audio_at(&scene, "storage/long.ogg")).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.fetches("audio", "too_large"), 1);
    assert!(scene.stt.received_requests().await.unwrap().is_empty());
}

async fn a_voice_note_that_is_a_web_page_gets_a_request_to_write(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    Mock::given(method("GET"))
        .and(path("/storage/login"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"<html>entrar</html>".to_vec(), "text/html"))
        .mount(&scene.providers)
        .await;
    stt_says(&scene, SPOKEN).await;

    let reply = scene.patient_sends("zapi", "audio_voice.json", zapi_audio_at(&scene, "storage/login")).await;

    assert!(reply.contains(ASKED_TO_WRITE), "{reply}");
    assert_eq!(scene.fetches("audio", "wrong_type"), 1);
    assert!(scene.stt.received_requests().await.unwrap().is_empty());
}

async fn a_photo_nobody_can_see_is_acknowledged_with_an_offer_to_help(db: TestDb) {
    // The rules brain sees no images: the photo is not even downloaded.
    let scene = scene(db, |_| {}).await;
    let reply = scene
        .patient_sends("zapi", "image_caption.json", |body| {
            body.replace("\"caption\": \"Segue o comprovante do Pix\"", "\"caption\": \"\"")
        })
        .await;
    assert!(reply.contains("Recebi sua imagem"), "{reply}");
    assert!(reply.contains("Como posso te ajudar?"), "{reply}");
    assert!(
        scene.providers.received_requests().await.unwrap().iter().all(|r| !r.url.path().contains("jpeg"))
    );
}

async fn a_document_goes_to_the_team_when_the_clinic_asks_for_it(db: TestDb) {
    let scene = super::scene_with_policy(db, "documents_to_team: true").await;

    let reply = scene.patient_sends("evolution", "document.json", |body| body).await;

    assert!(reply.contains("Recebi seu documento"), "{reply}");
    let handoffs = scene.db.store.handoffs(scene.clinic.id, true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    assert_eq!(handoffs[0].reason, sofia::engine::DOCUMENT_REASON);
}

async fn a_file_is_kept_under_its_message_id_only_when_media_keep_dir_is_set(db: TestDb) {
    let kept = std::env::temp_dir().join(format!("sofia-kept-{}", uuid::Uuid::new_v4().simple()));
    let dir = kept.clone();
    let scene = scene(db, move |config| config.media.keep_dir = Some(dir)).await;
    Mock::given(method("GET"))
        .and(path("/storage/3EB0F1E2D3C4B5A69788.ogg"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(OGG.to_vec(), "audio/ogg"))
        .mount(&scene.providers)
        .await;
    stt_says(&scene, SPOKEN).await;

    scene
        .patient_sends("zapi", "audio_voice.json", zapi_audio_at(&scene, "storage/3EB0F1E2D3C4B5A69788.ogg"))
        .await;

    let voice = scene.patient_messages().await.pop().unwrap();
    let files: Vec<_> = std::fs::read_dir(&kept).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files, [kept.join(format!("{}.ogg", voice.id))]);
    assert_eq!(std::fs::read(&files[0]).unwrap(), OGG);
    std::fs::remove_dir_all(&kept).unwrap();
}
