//! The outbox dispatcher against fake providers: sent once, through the healthy channel, and
//! what happens to a row when it cannot be sent.

use std::sync::Arc;

use chrono::Duration;
use serde_json::json;
use sofia::channels::OutboundMessage;
use sofia::outbox::{CLAIM_TIMEOUT, DispatchReport, MAX_QUEUE_AGE};
use sofia::store::{Author, NewOutbound, StoredMessage, Waiting};
use sofia_core::clock::Clock;
use sofia_core::domain::{ConversationId, DeliveryStatus, MessageId, MessageKind};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{MARIA, channel, conversation_of, phone, queue};
use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture};
use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_queued_reply_is_sent_through_the_first_channel_after_a_read_receipt,
    replies_fail_over_to_the_next_channel_while_the_first_returns_500s,
    racing_dispatchers_send_each_bubble_once_and_in_order,
    a_send_interrupted_by_a_crash_is_failed_as_unknown_not_resent,
    a_claim_abandoned_before_its_send_started_goes_back_to_the_queue,
    a_send_the_provider_never_answers_is_unknown_not_resent_elsewhere,
    a_closed_window_is_recorded_as_such,
    a_reply_no_channel_takes_stays_queued_until_it_expires,
    the_console_channel_prints_the_bubble
);

const NOW: &str = crate::app::NOW;

fn evolution_sent(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({
        "key": { "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": true, "id": id },
        "status": "PENDING", "messageType": "conversation", "messageTimestamp": 1_772_452_805,
    }))
}

fn zapi_sent(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({ "zaapId": "3999984263738042930CD6ECDE9VDWSA", "messageId": id, "id": id }))
}

/// A provider answering each send with a new message id, as real ones do.
struct NumberedIds {
    prefix: &'static str,
    next: std::sync::atomic::AtomicUsize,
    answer: fn(&str) -> ResponseTemplate,
}

impl NumberedIds {
    fn new(prefix: &'static str, answer: fn(&str) -> ResponseTemplate) -> Self {
        NumberedIds { prefix, next: std::sync::atomic::AtomicUsize::new(1), answer }
    }
}

impl wiremock::Respond for NumberedIds {
    fn respond(&self, _request: &wiremock::Request) -> ResponseTemplate {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (self.answer)(&format!("{}{n:04}", self.prefix))
    }
}

async fn row(db: &TestDb, conversation: ConversationId, id: MessageId) -> StoredMessage {
    db.store.transcript(conversation).await.unwrap().into_iter().find(|m| m.id == id).unwrap()
}

async fn a_queued_reply_is_sent_through_the_first_channel_after_a_read_receipt(db: TestDb) {
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/markMessageAsRead/bella-forma"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"read": "success"})))
        .expect(1)
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .and(path("/chat/sendPresence/bella-forma"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .and(path("/message/sendText/bella-forma"))
        .respond_with(evolution_sent("3EB0SOFIA0001"))
        .expect(1)
        .mount(&evolution)
        .await;
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    assert_eq!(app.post_evolution(fixture("evolution", "text.json")).await.0, 200);
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Atendemos sim, das 9h às 13h!").await;

    let report = app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!(report, DispatchReport { sent: 1, failed: 0, deferred: 0 });
    let sent = row(&db, conversation, id).await;
    assert_eq!(sent.delivery_status, Some(DeliveryStatus::Sent));
    assert_eq!(sent.provider_message_id.as_deref(), Some("3EB0SOFIA0001"));
    assert_eq!(sent.channel_id, Some(channel(&clinic, 0)));
    let request = evolution
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.url.path() == "/message/sendText/bella-forma")
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        (body["number"].as_str(), body["text"].as_str()),
        (Some("5511987654321"), Some("Atendemos sim, das 9h às 13h!"))
    );
    assert_eq!(app.metrics.sends.get(&["teste", "0", "evolution", "sent"]), 1);
    // Nothing left: a second dispatch sends nothing (the mocks expect one call each).
    assert_eq!(app.dispatcher.dispatch(conversation).await.unwrap(), DispatchReport::default());
    app.shutdown().await;
}

async fn replies_fail_over_to_the_next_channel_while_the_first_returns_500s(db: TestDb) {
    let evolution = MockServer::start().await;
    let zapi = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&evolution).await;
    Mock::given(method("POST"))
        .and(path_regex("/send-text$"))
        .respond_with(NumberedIds::new("3EB0ZAPI", zapi_sent))
        .expect(3)
        .mount(&zapi)
        .await;
    let knowledge = TestKnowledge::with_channels(&ProviderUrls {
        evolution: evolution.uri(),
        zapi: zapi.uri(),
        ..ProviderUrls::default()
    });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let mut ids = Vec::new();
    for (bubble, text) in
        ["Oi, Maria!", "Posso ajudar com o agendamento?", "Temos horários amanhã."].iter().enumerate()
    {
        ids.push(queue(&db, &clinic, conversation, &format!("turn-1/{bubble}"), text).await);
    }

    let report = app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!(report.sent, 3);
    for id in ids {
        let sent = row(&db, conversation, id).await;
        assert_eq!(sent.delivery_status, Some(DeliveryStatus::Sent));
        assert_eq!(sent.channel_id, Some(channel(&clinic, 1)), "sent through Z-API");
    }
    // Two attempts per bubble: the fifth failure in a row opened Evolution's circuit, so the
    // third bubble skipped it.
    assert_eq!(evolution.received_requests().await.unwrap().len(), 5);
    assert_eq!(app.metrics.sends.get(&["teste", "1", "zapi", "sent"]), 3);
    let (status, ready) = app.get("/readyz").await;
    assert_eq!((status, ready["status"].as_str()), (200, Some("degraded")), "{ready}");
    assert_eq!(ready["channels"][0]["breaker"], "open", "{ready}");
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains(
            "sofia_channel_breaker_state{clinic=\"teste\",channel=\"0\",provider=\"evolution\"} 2\n"
        )
    );
    app.shutdown().await;
}

async fn racing_dispatchers_send_each_bubble_once_and_in_order(db: TestDb) {
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/message/sendText/bella-forma"))
        .respond_with(NumberedIds::new("3EB0RACE", |id| {
            evolution_sent(id).set_delay(std::time::Duration::from_millis(20))
        }))
        .expect(5)
        .mount(&evolution)
        .await;
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let mut ids = Vec::new();
    for bubble in 0..5 {
        ids.push(
            queue(&db, &clinic, conversation, &format!("turn-1/{bubble}"), &format!("bolha {bubble}")).await,
        );
    }
    let racers: Vec<_> = (0..4)
        .map(|_| {
            let dispatcher = Arc::clone(&app.dispatcher);
            tokio::spawn(async move { dispatcher.dispatch(conversation).await.unwrap() })
        })
        .collect();
    let mut sent = 0;
    for racer in racers {
        sent += racer.await.unwrap().sent;
    }
    let swept = app.dispatcher.sweep().await.unwrap();
    assert_eq!(sent + swept.sent, 5, "each bubble sent exactly once");
    let texts: Vec<String> = evolution
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["text"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(texts, (0..5).map(|b| format!("bolha {b}")).collect::<Vec<_>>(), "in queue order");
    for id in ids {
        assert_eq!(row(&db, conversation, id).await.delivery_status, Some(DeliveryStatus::Sent));
    }
    app.shutdown().await;
}

async fn a_send_interrupted_by_a_crash_is_failed_as_unknown_not_resent(db: TestDb) {
    let evolution = MockServer::start().await;
    Mock::given(method("POST")).respond_with(evolution_sent("never")).expect(0).mount(&evolution).await;
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Oi!").await;
    // A dispatcher claimed the row, started the request, then died before recording what the
    // provider answered.
    let claimed = db.store.claim_outbound(conversation, "dead-replica", at(NOW)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(db.store.mark_send_started(id, "dead-replica", at(NOW)).await.unwrap());

    assert_eq!(
        app.dispatcher.sweep().await.unwrap(),
        DispatchReport::default(),
        "a fresh claim is left alone"
    );
    app.clock.advance(CLAIM_TIMEOUT + Duration::seconds(1));
    assert_eq!(app.dispatcher.sweep().await.unwrap(), DispatchReport::default());
    let failed = row(&db, conversation, id).await;
    assert_eq!(failed.delivery_status, Some(DeliveryStatus::Failed));
    assert!(failed.error.as_deref().unwrap().starts_with("unknown:"), "{:?}", failed.error);
    app.shutdown().await;
}

async fn a_claim_abandoned_before_its_send_started_goes_back_to_the_queue(db: TestDb) {
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/message/sendText/bella-forma"))
        .respond_with(evolution_sent("3EB0AFTER"))
        .expect(1)
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&evolution)
        .await;
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Oi!").await;
    // A replica claimed the row and died while it was still showing "typing…": no request left.
    assert_eq!(db.store.claim_outbound(conversation, "dead-replica", at(NOW)).await.unwrap().len(), 1);

    assert_eq!(
        app.dispatcher.sweep().await.unwrap(),
        DispatchReport::default(),
        "a fresh claim is left alone"
    );
    app.clock.advance(CLAIM_TIMEOUT + Duration::seconds(1));
    let report = app.dispatcher.sweep().await.unwrap();

    assert_eq!(report, DispatchReport { sent: 1, failed: 0, deferred: 0 });
    assert_eq!(row(&db, conversation, id).await.delivery_status, Some(DeliveryStatus::Sent));
    assert!(
        !db.store.mark_send_started(id, "dead-replica", app.clock.now()).await.unwrap(),
        "the dead replica's claim no longer lets it start the send"
    );
    app.dispatcher.sweep().await.unwrap();
    app.shutdown().await;
}

async fn a_send_the_provider_never_answers_is_unknown_not_resent_elsewhere(db: TestDb) {
    let evolution = MockServer::start().await;
    let zapi = MockServer::start().await;
    // Evolution takes the message but answers after the send timeout (2 s in the test app).
    Mock::given(method("POST"))
        .and(path("/message/sendText/bella-forma"))
        .respond_with(evolution_sent("3EB0SLOW").set_delay(std::time::Duration::from_secs(4)))
        .expect(1)
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&evolution)
        .await;
    Mock::given(method("POST")).respond_with(zapi_sent("never")).expect(0).mount(&zapi).await;
    let knowledge = TestKnowledge::with_channels(&ProviderUrls {
        evolution: evolution.uri(),
        zapi: zapi.uri(),
        ..ProviderUrls::default()
    });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Oi!").await;

    let report = app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!(report, DispatchReport { sent: 0, failed: 1, deferred: 0 });
    let unknown = row(&db, conversation, id).await;
    assert_eq!(unknown.delivery_status, Some(DeliveryStatus::Failed));
    assert!(unknown.error.as_deref().unwrap().starts_with("unknown:"), "{:?}", unknown.error);
    // Neither the sweep nor the next channel sends it again: the patient may have it already.
    app.clock.advance(CLAIM_TIMEOUT + Duration::seconds(1));
    assert_eq!(app.dispatcher.sweep().await.unwrap(), DispatchReport::default());
    app.shutdown().await;
}

async fn a_closed_window_is_recorded_as_such(db: TestDb) {
    let evolution = MockServer::start().await;
    let zapi = MockServer::start().await;
    let meta = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&evolution).await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&zapi).await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": { "message": "(#131047) Re-engagement message", "type": "OAuthException", "code": 131047 }
        })))
        .expect(1)
        .mount(&meta)
        .await;
    let knowledge = TestKnowledge::with_channels(&ProviderUrls {
        evolution: evolution.uri(),
        zapi: zapi.uri(),
        meta: meta.uri(),
    });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let id = queue(&db, &clinic, conversation, "turn-1/0", "Oi, tudo bem?").await;
    let report = app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!(report.failed, 1);
    let failed = row(&db, conversation, id).await;
    assert_eq!(failed.delivery_status, Some(DeliveryStatus::Failed));
    let error = failed.error.unwrap();
    assert!(error.starts_with("window_closed:"), "{error}");
    assert!(!error.contains("meta-access-token"), "no secret in the stored error");
    assert_eq!(app.metrics.sends.get(&["teste", "none", "none", "window_closed"]), 1);
    app.shutdown().await;
}

async fn a_reply_no_channel_takes_stays_queued_until_it_expires(db: TestDb) {
    let down = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&down).await;
    let knowledge = TestKnowledge::with_channels(&ProviderUrls {
        evolution: down.uri(),
        zapi: down.uri(),
        meta: down.uri(),
    });
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let first = queue(&db, &clinic, conversation, "turn-1/0", "Oi!").await;
    let second = queue(&db, &clinic, conversation, "turn-1/1", "Tudo bem?").await;

    let report = app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!(report, DispatchReport { sent: 0, failed: 0, deferred: 2 });
    for id in [first, second] {
        let queued = row(&db, conversation, id).await;
        assert_eq!(queued.delivery_status, Some(DeliveryStatus::Pending));
        assert!(queued.error.as_deref().unwrap().starts_with("retryable:"), "{:?}", queued.error);
    }
    assert_eq!(
        db.store.conversations_waiting(Waiting::ForSend, &[clinic.id], 10).await.unwrap(),
        vec![conversation]
    );

    app.clock.set(at(NOW) + MAX_QUEUE_AGE + Duration::minutes(1));
    let swept = app.dispatcher.sweep().await.unwrap();
    assert_eq!(swept.failed, 2);
    let expired = row(&db, conversation, first).await;
    assert_eq!(expired.delivery_status, Some(DeliveryStatus::Failed));
    assert!(expired.error.as_deref().unwrap().starts_with("expired:"), "{:?}", expired.error);
    app.shutdown().await;
}

async fn the_console_channel_prints_the_bubble(db: TestDb) {
    let clinic = demo_clinic().clinic;
    let app = TestApp::spawn(&db.url).await;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let buttons = OutboundMessage::buttons(
        "Posso confirmar?",
        vec![
            sofia::channels::ReplyButton::new("sim", "Sim"),
            sofia::channels::ReplyButton::new("nao", "Não"),
        ],
    )
    .unwrap();
    let id = MessageId::new_random();
    db.store
        .enqueue_outbound(&NewOutbound {
            id,
            clinic_id: clinic.id,
            conversation_id: conversation,
            idempotency_key: "turn-1/0".into(),
            author: Author::Bot,
            kind: MessageKind::Buttons,
            body: "Posso confirmar?".into(),
            payload: serde_json::to_value(&buttons).unwrap(),
            created_at: at(NOW),
        })
        .await
        .unwrap();
    assert_eq!(app.dispatcher.dispatch(conversation).await.unwrap().sent, 1);
    assert_eq!(
        *app.console.lock().unwrap(),
        vec![format!("[sofia → {}] Posso confirmar?\n\n1) Sim\n2) Não", phone(MARIA))]
    );
    let sent = row(&db, conversation, id).await;
    assert_eq!(sent.delivery_status, Some(DeliveryStatus::Sent));
    assert!(sent.provider_message_id.unwrap().starts_with("console-"));
    app.shutdown().await;
}
