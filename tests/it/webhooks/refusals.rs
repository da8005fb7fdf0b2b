//! What the webhook routes refuse, and how: clear 4xx JSON, never a 500, nothing stored.

use sofia_core::domain::ProviderKind;

use super::{MARIA, transcript_of};
use crate::app::{
    EVOLUTION_KEY, META_VERIFY_TOKEN, ProviderUrls, TestApp, TestKnowledge, fixture, meta_signature,
};
use crate::support::{TestDb, at, conformance};

conformance!(
    a_bad_or_missing_meta_signature_is_refused_with_401,
    the_meta_handshake_echoes_the_challenge_for_our_token_only,
    bodies_up_to_three_megabytes_are_taken_and_larger_ones_refused,
    a_body_that_is_not_json_is_a_400,
    an_unknown_channel_key_is_a_404,
    an_unreadable_body_from_a_known_provider_is_kept_as_a_dead_letter,
    one_unreadable_message_of_a_meta_batch_is_kept_aside_and_the_rest_stored,
    metrics_and_readiness_show_the_channels
);

const NOW: &str = crate::app::NOW;

fn error_code(body: &serde_json::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

async fn a_bad_or_missing_meta_signature_is_refused_with_401(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let body = fixture("meta", "text.json");
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let signed_original = meta_signature(&body);
    for headers in [vec![("x-hub-signature-256", signed_original)], vec![]] {
        let (status, answer) = app.post("/webhooks/meta", tampered.clone(), &headers).await;
        assert_eq!((status, error_code(&answer)), (401, "unauthorized"), "{answer}");
    }
    let (status, answer) =
        app.post("/webhooks/meta", body.clone(), &[("x-hub-signature-256", "sha256=zz".into())]).await;
    assert_eq!(status, 401, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("X-Hub-Signature-256"), "{answer}");
    assert!(transcript_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await.is_empty());
    assert_eq!(app.metrics.webhooks.get(&["meta", "unauthorized"]), 3);
    // The same bytes, correctly signed, go through.
    assert_eq!(app.post_meta(body).await.0, 200);
    app.shutdown().await;
}

async fn the_meta_handshake_echoes_the_challenge_for_our_token_only(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let ours = app
        .client
        .get(app.url(&format!(
            "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={META_VERIFY_TOKEN}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), 200);
    assert!(ours.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    assert_eq!(ours.text().await.unwrap(), "1158201444");
    let (status, answer) =
        app.get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess").await;
    assert_eq!((status, error_code(&answer)), (403, "forbidden"), "{answer}");
    app.shutdown().await;
}

async fn bodies_up_to_three_megabytes_are_taken_and_larger_ones_refused(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    // A real delivery padded with JSON whitespace up to exactly 3 MB.
    let mut large = fixture("evolution", "text.json");
    large.resize(3 * 1024 * 1024, b' ');
    let (status, answer) = app.post_evolution(large).await;
    assert_eq!((status, answer["stored"].as_u64()), (200, Some(1)), "{answer}");
    let mut too_large = fixture("zapi", "text.json");
    too_large.resize(3 * 1024 * 1024 + 1, b' ');
    let (status, answer) = app.post_zapi(too_large).await;
    assert_eq!((status, error_code(&answer)), (413, "payload_too_large"), "{answer}");
    let transcript = transcript_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    assert_eq!(transcript.len(), 1, "only the Evolution delivery was stored");
    app.shutdown().await;
}

async fn a_body_that_is_not_json_is_a_400(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    for (status, answer) in [
        app.post_evolution(b"{\"event\": \"messages.upsert\",".to_vec()).await,
        app.post_zapi(b"type=ReceivedCallback".to_vec()).await,
        app.post_meta(b"<xml/>".to_vec()).await,
    ] {
        assert_eq!((status, error_code(&answer)), (400, "bad_request"), "{answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains("not JSON"), "{answer}");
    }
    assert!(db.store.dead_letters(10).await.unwrap().is_empty(), "garbage is not worth keeping");
    app.shutdown().await;
}

async fn an_unknown_channel_key_is_a_404(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let body = fixture("evolution", "text.json");
    let guessed = format!("{}x", &EVOLUTION_KEY[..EVOLUTION_KEY.len() - 1]);
    for path in [
        format!("/webhooks/evolution/{guessed}"),
        // The right key on the wrong provider's route.
        format!("/webhooks/zapi/{EVOLUTION_KEY}"),
    ] {
        let (status, answer) = app.post(&path, body.clone(), &[]).await;
        assert_eq!((status, error_code(&answer)), (404, "not_found"), "{path}: {answer}");
    }
    assert_eq!(app.metrics.webhooks.get(&["evolution", "not_found"]), 1);
    app.shutdown().await;
}

async fn an_unreadable_body_from_a_known_provider_is_kept_as_a_dead_letter(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    // Evolution's message event without the message key: a 400 saying what is missing.
    let evolution =
        br#"{"event": "messages.upsert", "instance": "bella-forma", "data": {"pushName": "Maria"}}"#;
    let (status, answer) = app.post_evolution(evolution.to_vec()).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("key"), "{answer}");
    // Meta retries anything but a 200 for a week: it gets a 200, and the change it could not
    // read is kept.
    let meta = br#"{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": {"metadata": {}}}]}]}"#;
    let (status, answer) = app.post_meta(meta.to_vec()).await;
    assert_eq!(status, 200, "{answer}");
    let letters = db.store.dead_letters(10).await.unwrap();
    assert_eq!(letters.len(), 2);
    let kept: Vec<(ProviderKind, &[u8])> = letters.iter().map(|l| (l.provider, l.body.as_slice())).collect();
    assert!(kept.contains(&(ProviderKind::Evolution, evolution.as_slice())));
    let change = br#"{"field":"messages","value":{"metadata":{}}}"#;
    assert!(kept.contains(&(ProviderKind::Meta, change.as_slice())), "{kept:?}");
    let evolution_letter = letters.iter().find(|l| l.provider == ProviderKind::Evolution).unwrap();
    assert_eq!(evolution_letter.channel_id, Some(super::channel(&clinic, 0)));
    assert_eq!(app.metrics.ignored_events.get(&["meta", "unreadable_item"]), 1);
    app.shutdown().await;
}

/// One message of a Meta batch that cannot be read does not cost the others: they are stored
/// and answered, and only it is kept aside for an operator.
async fn one_unreadable_message_of_a_meta_batch_is_kept_aside_and_the_rest_stored(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("meta", "batch.json")).unwrap();
    body.pointer_mut("/entry/0/changes/0/value/messages/0").unwrap()["timestamp"] = "ontem".into();
    let (status, answer) = app.post_meta(body.to_string().into_bytes()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["stored"], 1, "the batch's other message is stored: {answer}");
    let letters = db.store.dead_letters(10).await.unwrap();
    let [letter] = &letters[..] else { panic!("{letters:?}") };
    assert_eq!(letter.channel_id, Some(super::channel(&clinic, 2)), "routed by its business number");
    assert!(letter.reason.contains("timestamp"), "{}", letter.reason);
    let item: serde_json::Value = serde_json::from_slice(&letter.body).unwrap();
    assert_eq!(item["timestamp"], "ontem");
    app.shutdown().await;
}

async fn metrics_and_readiness_show_the_channels(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    app.post_evolution(fixture("evolution", "text.json")).await;
    app.post_evolution(fixture("evolution", "text.json")).await;
    let response = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    for line in [
        "sofia_webhooks_total{provider=\"evolution\",outcome=\"accepted\"} 2",
        "sofia_inbound_messages_total{provider=\"evolution\",result=\"stored\"} 1",
        "sofia_inbound_messages_total{provider=\"evolution\",result=\"duplicate\"} 1",
        "sofia_channel_breaker_state{clinic=\"teste\",channel=\"0\",provider=\"evolution\"} 0",
        "sofia_channel_breaker_state{clinic=\"teste\",channel=\"2\",provider=\"meta\"} 0",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line} in\n{text}");
    }
    assert!(!text.contains(EVOLUTION_KEY), "no secret in metrics");
    let (status, body) = app.get("/readyz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ready")), "{body}");
    let channels: Vec<(String, String)> = body["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["provider"].as_str().unwrap().to_owned(), c["breaker"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        channels,
        [("evolution", "closed"), ("zapi", "closed"), ("meta", "closed")]
            .map(|(p, b)| (p.to_owned(), b.to_owned()))
    );
    app.shutdown().await;
}
