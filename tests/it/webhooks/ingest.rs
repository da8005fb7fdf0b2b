//! What each provider's webhooks store, on both backends.

use chrono::Duration;
use serde_json::json;
use sofia::channels::{InboundEvent, MessageContent, Origin};
use sofia::inbox::InboxPayload;
use sofia::store::{Author, Owner};
use sofia_core::domain::{DeliveryStatus, InteractionKind};

use super::{MARIA, channel, conversation_of, phone, queue, transcript_of};
use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture, fixture_names};
use crate::support::{TestDb, at, conformance};

conformance!(
    every_fixture_is_acknowledged_and_each_patient_message_stored_as_parsed,
    a_delivery_posted_twenty_times_at_once_is_stored_once,
    a_meta_batch_is_routed_by_phone_number_id,
    a_status_updates_the_outbound_message_it_names,
    staff_typing_on_the_phone_pauses_the_bot_unless_a_human_owns_the_conversation,
    a_staff_message_stored_before_a_crash_pauses_the_bot_when_redelivered,
    our_own_api_echoes_are_not_stored_again,
    an_echo_of_a_reply_sofia_sent_never_pauses_the_bot,
    unknown_events_are_acknowledged_and_ignored
);

const NOW: &str = crate::app::NOW;

/// What a provider's parser says a fixture holds: the patient messages the inbox must store.
fn patient_messages(provider: &str, body: &[u8]) -> Vec<sofia::channels::InboundMessage> {
    let events: Vec<InboundEvent> = match provider {
        "evolution" => sofia::channels::evolution::parse_webhook(body).unwrap(),
        "zapi" => sofia::channels::zapi::parse_webhook(body).unwrap(),
        _ => sofia::channels::meta::parse_webhook(body)
            .unwrap()
            .events
            .into_iter()
            .filter(|(number, _)| number == "109876543210987")
            .map(|(_, event)| event)
            .collect(),
    };
    events
        .into_iter()
        .filter_map(|event| match event {
            InboundEvent::Message(message) if message.origin == Origin::Patient => Some(message),
            _ => None,
        })
        .collect()
}

async fn every_fixture_is_acknowledged_and_each_patient_message_stored_as_parsed(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let mut expected = 0;
    let mut seen = std::collections::HashSet::new();
    for (index, provider) in ["evolution", "zapi", "meta"].into_iter().enumerate() {
        for name in fixture_names(provider) {
            let body = fixture(provider, &name);
            let (status, ack) = match provider {
                "evolution" => app.post_evolution(body.clone()).await,
                "zapi" => app.post_zapi(body.clone()).await,
                _ => app.post_meta(body.clone()).await,
            };
            assert_eq!(status, 200, "{provider}/{name}: {ack}");
            assert_eq!(ack["status"], "ok", "{provider}/{name}: {ack}");
            for message in patient_messages(provider, &body) {
                // Variants of one delivery share its id: the first one posted is what is kept.
                if !seen.insert((provider, message.id.clone())) {
                    continue;
                }
                expected += 1;
                let stored = transcript_of(db.store.as_ref(), &clinic, message.phone.as_str(), at(NOW))
                    .await
                    .into_iter()
                    .find(|row| {
                        row.provider_message_id.as_deref() == Some(message.id.as_str())
                            && row.channel_id == Some(channel(&clinic, index))
                    })
                    .unwrap_or_else(|| panic!("{provider}/{name}: {} not stored on its channel", message.id));
                assert_eq!(stored.author, Author::Patient);
                // The engine reads the content back from the payload with serde.
                let content: MessageContent = serde_json::from_value(stored.payload.clone()).unwrap();
                assert_eq!(content, message.content, "{provider}/{name}");
                // …and, beside it, the sender's WhatsApp name, which the turn reads back too.
                let payload = InboxPayload::of(&stored);
                assert_eq!((&payload.content, &payload.push_name), (&content, &message.push_name));
                assert_eq!(json!(stored.kind), serde_json::to_value(&content).unwrap()["type"]);
                assert!(stored.processed_at.is_none(), "a patient message waits for a turn");
            }
        }
    }
    assert!(expected >= 30, "the fixtures hold patient messages of every kind ({expected})");
    let stored_total = app.metrics.inbound_messages.get(&["evolution", "stored"])
        + app.metrics.inbound_messages.get(&["zapi", "stored"])
        + app.metrics.inbound_messages.get(&["meta", "stored"]);
    assert!(stored_total >= expected as u64);

    let text = transcript_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let first =
        text.iter().find(|m| m.provider_message_id.as_deref() == Some("3EB0C431D5A2B7F8E9A1")).unwrap();
    assert_eq!((first.kind.as_str(), first.body.as_str()), ("text", "Oi! Vocês atendem no sábado?"));
    let maria = db.store.patient_by_phone(clinic.id, &phone(MARIA)).await.unwrap().unwrap();
    assert_eq!(maria.name.as_deref(), Some("Maria Silva"), "the push name fills a new patient's name");
    app.shutdown().await;
}

async fn a_delivery_posted_twenty_times_at_once_is_stored_once(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = std::sync::Arc::new(TestApp::spawn_in(&db.url, &knowledge.dir).await);
    let body = fixture("evolution", "text.json");
    let posts: Vec<_> = (0..20)
        .map(|_| {
            let (app, body) = (app.clone(), body.clone());
            tokio::spawn(async move { app.post_evolution(body).await })
        })
        .collect();
    let (mut stored, mut duplicates) = (0, 0);
    for post in posts {
        let (status, ack) = post.await.unwrap();
        assert_eq!(status, 200, "{ack}");
        stored += ack["stored"].as_u64().unwrap();
        duplicates += ack["duplicates"].as_u64().unwrap();
    }
    assert_eq!((stored, duplicates), (1, 19));
    let transcript = transcript_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    assert_eq!(transcript.len(), 1);
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    assert_eq!(app.listener.calls(), vec![conversation], "the engine is woken once");
    assert_eq!(app.metrics.inbound_messages.get(&["evolution", "duplicate"]), 19);
    if let Ok(app) = std::sync::Arc::try_unwrap(app) {
        app.shutdown().await;
    }
}

async fn a_meta_batch_is_routed_by_phone_number_id(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let (status, ack) = app.post_meta(fixture("meta", "batch.json")).await;
    assert_eq!(status, 200, "{ack}");
    // Two patients' messages for our number; the statuses name a number no clinic declares.
    assert_eq!(ack["stored"], 2, "{ack}");
    assert!(ack["ignored"].as_u64().unwrap() >= 2, "{ack}");
    for patient in [MARIA, "+5511987651234"] {
        let transcript = transcript_of(db.store.as_ref(), &clinic, patient, at(NOW)).await;
        assert_eq!(transcript.len(), 1, "{patient}");
        assert_eq!(transcript[0].channel_id, Some(channel(&clinic, 2)));
    }
    assert_eq!(app.listener.calls().len(), 2);
    assert!(app.metrics.ignored_events.get(&["meta", "unknown_number"]) >= 2);
    app.shutdown().await;
}

async fn a_status_updates_the_outbound_message_it_names(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Atendemos sim!").await;
    db.store.mark_sent(id, channel(&clinic, 0), "3EB0AABBCCDDEEFF0011", at(NOW)).await.unwrap();

    let (status, ack) = app.post_evolution(fixture("evolution", "status_read.json")).await;
    assert_eq!((status, ack["statuses"].as_u64()), (200, Some(1)), "{ack}");
    let row = db.store.transcript(conversation).await.unwrap().into_iter().find(|m| m.id == id).unwrap();
    assert_eq!(row.delivery_status, Some(DeliveryStatus::Read));
    // A late "delivered" does not move it back.
    app.post_evolution(fixture("evolution", "status_delivered.json")).await;
    let row = db.store.transcript(conversation).await.unwrap().into_iter().find(|m| m.id == id).unwrap();
    assert_eq!(row.delivery_status, Some(DeliveryStatus::Read));
    assert_eq!(app.metrics.delivery_statuses.get(&["evolution", "read", "true"]), 1);
    app.shutdown().await;
}

async fn staff_typing_on_the_phone_pauses_the_bot_unless_a_human_owns_the_conversation(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let maria = db.store.upsert_patient(clinic.id, &phone(MARIA), Some("Maria"), at(NOW)).await.unwrap();
    let (status, ack) = app.post_evolution(fixture("evolution", "from_me_phone.json")).await;
    assert_eq!((status, ack["stored"].as_u64()), (200, Some(1)), "{ack}");
    let conversation = db.store.conversation_for(clinic.id, &phone(MARIA), at(NOW)).await.unwrap();
    assert_eq!(conversation.owner, Owner::Paused(at(NOW) + Duration::minutes(120)));
    let timeline = db.store.interactions(clinic.id, maria.id).await.unwrap();
    assert_eq!(timeline.iter().map(|i| i.kind).collect::<Vec<_>>(), [InteractionKind::PausedForStaff]);
    let transcript = db.store.transcript(conversation.id).await.unwrap();
    assert_eq!(transcript[0].author, Author::StaffPhone);
    assert!(transcript[0].processed_at.is_some(), "staff messages are context, not a turn to answer");
    assert!(db.store.pending_inbound(conversation.id).await.unwrap().is_empty());
    assert!(app.listener.calls().is_empty(), "the engine is not woken by staff");

    // Z-API's staff message, once a human has taken over: the human keeps it.
    db.store.set_owner(conversation.id, Owner::Human, at(NOW)).await.unwrap();
    let (status, _) = app.post_zapi(fixture("zapi", "from_me_phone.json")).await;
    assert_eq!(status, 200);
    let conversation = db.store.conversation(conversation.id).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Human);
    assert!(conversation.human_wrote_at.is_some(), "a person wrote: the idle return counts from it");
    assert_eq!(db.store.transcript(conversation.id).await.unwrap().len(), 2);
    app.shutdown().await;
}

async fn a_staff_message_stored_before_a_crash_pauses_the_bot_when_redelivered(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let (status, _) = app.post_evolution(fixture("evolution", "from_me_phone.json")).await;
    assert_eq!(status, 200);
    let conversation = db.store.conversation_for(clinic.id, &phone(MARIA), at(NOW)).await.unwrap();
    // As if the process had died after storing the message and before pausing: the pause is
    // gone and the provider, never acknowledged, delivers again ten minutes later.
    db.store.set_owner(conversation.id, Owner::Bot, at(NOW)).await.unwrap();
    app.clock.advance(Duration::minutes(10));
    let (status, ack) = app.post_evolution(fixture("evolution", "from_me_phone.json")).await;
    assert_eq!((status, ack["duplicates"].as_u64()), (200, Some(1)), "{ack}");

    let conversation = db.store.conversation(conversation.id).await.unwrap().unwrap();
    // The fixture's staff message was written at 09:08:20, São Paulo time.
    let written = at("2026-03-02T09:08:20-03:00");
    assert_eq!(
        conversation.owner,
        Owner::Paused(written + Duration::minutes(120)),
        "counted from when staff wrote"
    );
    assert_eq!(db.store.transcript(conversation.id).await.unwrap().len(), 1, "stored once");

    // Redelivered after the pause would have ended: nothing to pause.
    db.store.set_owner(conversation.id, Owner::Bot, at(NOW)).await.unwrap();
    app.clock.advance(Duration::minutes(150));
    app.post_evolution(fixture("evolution", "from_me_phone.json")).await;
    let conversation = db.store.conversation(conversation.id).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Bot);
    app.shutdown().await;
}

/// Evolution, with some echo settings, reports a reply Sofia sent as a `fromMe` message, as
/// if staff had typed it: its id is the one the send's answer gave, and it must not pause the
/// bot for two hours.
async fn an_echo_of_a_reply_sofia_sent_never_pauses_the_bot(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let reply = queue(&db, &clinic, conversation, "turn:1:00", "Abrimos sim, das 9h às 13h!").await;
    // The send's answer named the id the echo will carry.
    db.store.mark_sent(reply, channel(&clinic, 0), "3EB0667788990011BB22", at(NOW)).await.unwrap();

    let (status, ack) = app.post_evolution(fixture("evolution", "from_me_phone.json")).await;
    assert_eq!((status, ack["stored"].as_u64(), ack["ignored"].as_u64()), (200, Some(0), Some(1)), "{ack}");
    let conversation = db.store.conversation(conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Bot, "the bot is not paused by its own reply");
    assert_eq!(app.metrics.ignored_events.get(&["evolution", "our_reply_echo"]), 1);
    assert_eq!(db.store.transcript(conversation.id).await.unwrap().len(), 1, "nothing stored twice");
    app.shutdown().await;
}

async fn our_own_api_echoes_are_not_stored_again(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    for (status, ack) in [
        app.post_evolution(fixture("evolution", "our_api_echo.json")).await,
        app.post_zapi(fixture("zapi", "our_api_echo.json")).await,
    ] {
        assert_eq!(
            (status, ack["stored"].as_u64(), ack["ignored"].as_u64()),
            (200, Some(0), Some(1)),
            "{ack}"
        );
    }
    assert!(transcript_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await.is_empty());
    let conversation = db.store.conversation_for(clinic.id, &phone(MARIA), at(NOW)).await.unwrap();
    assert_eq!(conversation.owner, Owner::Bot, "our own replies do not pause the bot");
    assert_eq!(app.metrics.ignored_events.get(&["evolution", "our_api_echo"]), 1);
    app.shutdown().await;
}

async fn unknown_events_are_acknowledged_and_ignored(db: TestDb) {
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    for (status, ack) in [
        app.post_evolution(fixture("evolution", "unknown_event.json")).await,
        app.post_zapi(fixture("zapi", "unknown.json")).await,
        app.post_meta(fixture("meta", "unknown_field.json")).await,
    ] {
        assert_eq!((status, ack["stored"].as_u64()), (200, Some(0)), "{ack}");
    }
    assert_eq!(app.metrics.ignored_events.get(&["evolution", "unhandled"]), 1);
    assert_eq!(app.metrics.webhooks.get(&["zapi", "accepted"]), 1);
    assert!(app.listener.calls().is_empty());
    app.shutdown().await;
}
