//! Chatwoot as the agents' desk, through the real app: the patient writes on WhatsApp (a fake
//! Evolution API, or a fake Meta), Chatwoot (wiremock) posts signed webhooks to
//! `/webhooks/chatwoot/{key}` with the payloads of `reference/whatsapp-providers.md` §4.2, and
//! the relay and the mirror's rounds, run by the test, apply them and tell Chatwoot.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration as StdDuration;

use chrono::Duration;
use serde_json::{Value, json};
use sofia::handoff::{Desk, HandoffConfig};
use sofia::store::{Author, HandoffOrigin, Owner, StoredMessage};
use sofia_core::clock::Clock;
use sofia_core::domain::{DeliveryStatus, Direction};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    ACCOUNT, CONVERSATION_ID, Scene, fixture, mount_fresh_chatwoot, posted_messages, requests_to, scene,
};
use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture as provider_fixture};
use crate::support::{TestDb, at, conformance};
use crate::webhooks::{MARIA, conversation_of};

conformance!(
    a_handoff_opens_the_conversation_in_chatwoot_with_a_note_labels_and_the_team,
    an_agents_reply_reaches_the_patient_once_and_the_bot_waits_until_it_is_resolved,
    private_notes_sofias_own_posts_and_bots_never_reach_the_patient,
    opening_or_assigning_in_chatwoot_takes_the_conversation_over_and_pending_gives_it_back,
    a_bot_bubble_queued_before_a_takeover_is_dropped_not_sent,
    an_agents_reply_whatsapp_refuses_shows_in_chatwoot_as_a_private_note,
    the_idle_return_puts_the_conversation_back_to_pending_in_chatwoot,
);

const AGENT_TEXT: &str = "Oi Maria, aqui é a Joana da recepção. Consigo te encaixar amanhã às 10h, pode ser?";

/// A Chatwoot that takes everything: the mirror's calls and the handoff's.
async fn chatwoot() -> MockServer {
    let server = MockServer::start().await;
    mount_fresh_chatwoot(&server).await;
    let conversation = format!("{ACCOUNT}/conversations/{CONVERSATION_ID}");
    for (route, answer) in [
        ("toggle_status", "toggle_status.json"),
        ("labels", "labels.json"),
        ("assignments", "team_assigned.json"),
    ] {
        Mock::given(method("POST"))
            .and(path(format!("{conversation}/{route}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(fixture(answer)))
            .mount(&server)
            .await;
    }
    server
}

/// `tests/fixtures/chatwoot/webhooks/{name}`.
fn webhook(name: &str) -> Value {
    fixture(&format!("webhooks/{name}"))
}

fn agent_reply(id: u64) -> Value {
    let mut reply = webhook("agent_reply.json");
    reply["id"] = id.into();
    reply["content"] = AGENT_TEXT.into();
    reply
}

fn status(event: &str, status: &str) -> Value {
    let mut changed = webhook("status_changed.json");
    changed["event"] = event.into();
    changed["status"] = status.into();
    changed["changed_attributes"][0]["status"]["current_value"] = status.into();
    changed
}

impl Scene {
    /// Maria says hello, Sofia answers, and the mirror links the conversation to Chatwoot's 123.
    async fn linked(&self) {
        self.patient_writes_and_sofia_answers(None).await;
        let report = self.app.mirror.round().await.unwrap();
        assert!(report.mirrored >= 2, "{report:?}");
    }

    /// Maria writes `text`; answers once the turn that reads it has run.
    async fn patient_writes(&self, id: &str, text: &str) -> Vec<StoredMessage> {
        let body = String::from_utf8(provider_fixture("evolution", "text.json"))
            .unwrap()
            .replace("3EB0C431D5A2B7F8E9A1", id)
            .replace("Oi! Vocês atendem no sábado?", text);
        assert_eq!(self.app.post_evolution(body.into_bytes()).await.0, 200);
        self.until(|transcript| {
            transcript.iter().any(|m| m.body == text)
                && transcript
                    .iter()
                    .filter(|m| m.direction == Direction::Inbound)
                    .all(|m| m.processed_at.is_some())
                && transcript.iter().all(|m| m.delivery_status != Some(DeliveryStatus::Pending))
        })
        .await
    }

    /// The transcript once `done` holds (it must, within 20 s).
    async fn until(&self, done: impl Fn(&[StoredMessage]) -> bool) -> Vec<StoredMessage> {
        for _ in 0..400 {
            let transcript = self.transcript().await;
            if done(&transcript) {
                return transcript;
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
        panic!("never happened; the transcript: {:#?}", self.transcript().await)
    }

    /// How many sends to the patient carried `text`.
    async fn evolution_sends_of(&self, text: &str) -> usize {
        let requests = self.evolution.received_requests().await.unwrap();
        requests
            .iter()
            .filter(|r| r.url.path().starts_with("/message/send"))
            .filter(|r| String::from_utf8_lossy(&r.body).contains(text))
            .count()
    }

    async fn owner(&self) -> Owner {
        self.db.store.conversation(self.conversation().await).await.unwrap().unwrap().owner
    }

    async fn outcomes(&self) -> Vec<String> {
        let events = self.db.store.chatwoot_events(self.clinic.id).await.unwrap();
        events.into_iter().map(|event| event.outcome.unwrap_or_else(|| "(pending)".into())).collect()
    }
}

/// Bodies of the calls to a conversation route (`toggle_status`, `labels`, `assignments`).
async fn calls(chatwoot: &MockServer, route: &str) -> Vec<Value> {
    requests_to(chatwoot, "POST", &format!("{ACCOUNT}/conversations/{CONVERSATION_ID}/{route}"))
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn private_notes(posted: &[Value]) -> Vec<String> {
    posted
        .iter()
        .filter(|body| body["private"] == json!(true))
        .map(|body| body["content"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn a_handoff_opens_the_conversation_in_chatwoot_with_a_note_labels_and_the_team(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene
        .patient_writes_and_sofia_answers(Some((
            "3EB0HANDOFF0001",
            "quero falar com uma atendente por favor",
        )))
        .await;
    assert_eq!(scene.owner().await, Owner::Human, "the rules brain handed off");

    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!((report.handoffs_opened, report.handoffs_closed), (1, 0));
    assert_eq!(calls(&chatwoot, "toggle_status").await, [json!({ "status": "open" })]);
    assert_eq!(calls(&chatwoot, "assignments").await, [json!({ "team_id": 3 })]);
    let labels = calls(&chatwoot, "labels").await;
    assert!(labels[0]["labels"].as_array().unwrap().contains(&json!("sofia-handoff")), "{labels:?}");
    let posted = posted_messages(&chatwoot).await;
    let notes = private_notes(&posted);
    assert_eq!(notes.len(), 1, "{posted:#?}");
    assert!(notes[0].starts_with("🤝 A Sofia passou a conversa para a equipe. Motivo:"), "{}", notes[0]);
    assert!(notes[0].contains("resolva-a ou marque-a como pendente"), "{}", notes[0]);
    let note = posted.iter().position(|body| body["private"] == json!(true)).unwrap();
    assert_eq!(note, posted.len() - 1, "the note comes after the messages that led to the handoff");

    let again = scene.app.mirror.round().await.unwrap();
    assert_eq!((again.handoffs_opened, again.handoffs_closed), (0, 0), "Chatwoot is told once");
    assert_eq!(calls(&chatwoot, "toggle_status").await.len(), 1);
    scene.app.shutdown().await;
}

async fn an_agents_reply_reaches_the_patient_once_and_the_bot_waits_until_it_is_resolved(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene.linked().await;

    // The same message reaches the account webhook and the inbox's callback, and Chatwoot
    // delivers one of them twice.
    assert_eq!(
        scene.app.post_chatwoot(&agent_reply(98765), "delivery-1").await,
        (200, json!({ "status": "stored" }))
    );
    assert_eq!(scene.app.post_chatwoot(&agent_reply(98765), "delivery-1").await.1["status"], "duplicate");
    assert_eq!(scene.app.post_chatwoot(&agent_reply(98765), "delivery-2").await.1["status"], "duplicate");
    assert_eq!(scene.app.relay.round().await.unwrap().applied, 1);
    let transcript = scene
        .until(|t| {
            t.iter().any(|m| m.author == Author::Agent && m.delivery_status == Some(DeliveryStatus::Sent))
        })
        .await;
    let agent = transcript.iter().find(|m| m.author == Author::Agent).unwrap();
    assert_eq!(agent.body, AGENT_TEXT);
    assert_eq!(scene.evolution_sends_of(AGENT_TEXT).await, 1, "exactly once, through the clinic's WhatsApp");
    assert_eq!(scene.owner().await, Owner::Human, "the reply took the conversation over");
    assert_eq!(scene.app.relay.round().await.unwrap().applied, 0);

    // A human owns the conversation: the bot answers nothing.
    let sent_before = scene.replies_sent().await;
    scene.patient_writes("3EB0WHILEHUMAN01", "pode ser sim, às 10h está ótimo").await;
    assert_eq!(scene.replies_sent().await, sent_before, "the bot stayed silent");

    // The agent resolves in Chatwoot: the next message gets Sofia's answer.
    let resolved = status("conversation_status_changed", "resolved");
    assert_eq!(scene.app.post_chatwoot(&resolved, "delivery-3").await.1["status"], "stored");
    scene.app.relay.round().await.unwrap();
    assert_eq!(scene.owner().await, Owner::Bot);
    assert_eq!(
        scene.outcomes().await,
        [
            "the agent's reply is on its way to the patient; the team took the conversation over",
            "handed back to Sofia",
        ]
    );
    let after =
        scene.patient_writes_and_sofia_answers(Some(("3EB0AFTERRESOLVE", "vocês aceitam pix?"))).await;
    let last = after.last().unwrap();
    assert_eq!((last.author, last.delivery_status), (Author::Bot, Some(DeliveryStatus::Sent)));

    // Chatwoot is told: the team's stretch (opened and ended before the round) gets its note,
    // and the conversation goes back to pending, where the bot's conversations live.
    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!((report.handoffs_opened, report.handoffs_closed), (1, 1));
    assert_eq!(calls(&chatwoot, "toggle_status").await, [json!({ "status": "pending" })]);
    let notes = private_notes(&posted_messages(&chatwoot).await);
    assert!(notes.iter().any(|n| n.starts_with("🤝 Joana Souza assumiu a conversa")), "{notes:?}");
    assert!(notes.iter().any(|n| n.starts_with("✅ Joana Souza encerrou o atendimento")), "{notes:?}");
    let mirrored = posted_messages(&chatwoot).await;
    assert!(
        !mirrored.iter().any(|body| body["content"] == AGENT_TEXT),
        "the agent's reply is in Chatwoot already"
    );
    let counted = |part: &str, outcome: &str| scene.app.metrics.chatwoot.get(&[part, outcome]);
    assert_eq!((counted("relay", "applied"), counted("relay", "ignored")), (2, 0));
    assert_eq!((counted("handover", "opened"), counted("handover", "closed")), (1, 1));
    assert!(counted("mirror", "mirrored") >= 4, "{}", counted("mirror", "mirrored"));
    scene.app.shutdown().await;
}

async fn private_notes_sofias_own_posts_and_bots_never_reach_the_patient(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene.linked().await;
    let mut note = agent_reply(1001);
    note["private"] = json!(true);
    note["content"] = "Paciente difícil, cuidado com o desconto".into();
    let mut ours = agent_reply(1002);
    ours["content_attributes"] = json!({ "sofia": { "message_id": "x", "author": "bot" } });
    ours["content"] = "Texto que a própria Sofia postou".into();
    let mut bot = agent_reply(1003);
    bot["sender"] = json!({ "id": 2, "name": "Sofia", "type": "agent_bot" });
    bot["content"] = "Texto de um bot".into();
    let mut incoming = agent_reply(1004);
    incoming["message_type"] = "incoming".into();
    incoming["sender"] = json!({ "id": 42, "name": "Maria Silva", "type": "contact" });
    for (n, event) in [note, ours, bot, incoming].iter().enumerate() {
        assert_eq!(scene.app.post_chatwoot(event, &format!("d-{n}")).await.1["status"], "stored");
    }
    assert_eq!(scene.app.relay.round().await.unwrap().applied, 4);
    assert_eq!(
        scene.outcomes().await,
        [
            "ignored: a private note",
            "ignored: posted by Sofia",
            "ignored: not written by a person of the team",
            "ignored: not a message to the patient",
        ]
    );
    scene.app.dispatcher.sweep().await.unwrap();
    for text in ["Paciente difícil", "Texto que a própria Sofia", "Texto de um bot"] {
        assert_eq!(scene.evolution_sends_of(text).await, 0, "{text}");
    }
    assert_eq!(scene.owner().await, Owner::Bot, "nothing took the conversation over");
    scene.app.shutdown().await;
}

async fn opening_or_assigning_in_chatwoot_takes_the_conversation_over_and_pending_gives_it_back(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene.linked().await;
    let conversation = scene.conversation().await;

    // An agent bot's `conversation_opened`: the agent opened it without writing.
    scene.app.post_chatwoot(&status("conversation_opened", "open"), "d-open").await;
    scene.app.relay.round().await.unwrap();
    assert_eq!(scene.owner().await, Owner::Human);
    let handoff = scene.db.store.open_handoff_of(conversation).await.unwrap().unwrap();
    assert_eq!(handoff.origin, HandoffOrigin::Staff);
    assert_eq!(handoff.assignee.map(|a| a.to_string()).as_deref(), Some("Joana Souza"));
    let sent_before = scene.replies_sent().await;
    scene.patient_writes("3EB0TAKENOVER001", "oi, alguém aí?").await;
    assert_eq!(scene.replies_sent().await, sent_before, "the bot does not talk over the agent");

    // Set back to pending: the bot's again, and it answers.
    scene.app.post_chatwoot(&status("conversation_status_changed", "pending"), "d-pending").await;
    scene.app.relay.round().await.unwrap();
    assert_eq!(scene.owner().await, Owner::Bot);
    scene.patient_writes_and_sofia_answers(Some(("3EB0BACKTOBOT001", "quanto custa o botox?"))).await;

    // Assigned to a person (an account webhook's `conversation_updated`).
    let mut assigned = status("conversation_updated", "pending");
    assigned["changed_attributes"] =
        json!([{ "assignee_id": { "previous_value": null, "current_value": 5 } }]);
    scene.app.post_chatwoot(&assigned, "d-assign").await;
    scene.app.relay.round().await.unwrap();
    assert_eq!(scene.owner().await, Owner::Human);
    assert_eq!(
        scene.outcomes().await,
        [
            "opened: the team took the conversation over",
            "handed back to Sofia",
            "assigned to Joana Souza: the team took the conversation over",
        ]
    );
    scene.app.shutdown().await;
}

async fn a_bot_bubble_queued_before_a_takeover_is_dropped_not_sent(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene.linked().await;
    let conversation = scene.conversation().await;
    let text = "Tenho estes horários para você: amanhã às 14:00";
    let id = crate::webhooks::queue(&scene.db, &scene.clinic, conversation, "turn:late:00", text).await;
    scene.app.clock.advance(Duration::seconds(2));
    scene.app.post_chatwoot(&status("conversation_status_changed", "open"), "d-open").await;
    scene.app.relay.round().await.unwrap();

    let report = scene.app.dispatcher.dispatch(conversation).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let row = scene.transcript().await.into_iter().find(|m| m.id == id).unwrap();
    assert_eq!(row.delivery_status, Some(DeliveryStatus::Failed));
    assert!(row.error.as_deref().unwrap().starts_with("dropped:"), "{:?}", row.error);
    assert_eq!(scene.evolution_sends_of(text).await, 0, "the bot never talks over the agent");
    scene.app.shutdown().await;
}

async fn an_agents_reply_whatsapp_refuses_shows_in_chatwoot_as_a_private_note(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene.linked().await;
    // From now on Evolution refuses every send for good (the number is not on WhatsApp), and
    // the clinic's other channels are unreachable.
    scene.evolution.reset().await;
    Mock::given(method("POST"))
        .and(path_regex(super::SEND_PATHS))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": 400, "error": "Bad Request",
            "response": { "message": [{ "exists": false, "jid": "5511987654321@s.whatsapp.net", "number": "5511987654321" }] }
        })))
        .mount(&scene.evolution)
        .await;
    scene.app.post_chatwoot(&agent_reply(98765), "d-1").await;
    scene.app.relay.round().await.unwrap();
    scene.app.dispatcher.sweep().await.unwrap();
    scene
        .until(|t| {
            t.iter().any(|m| m.author == Author::Agent && m.delivery_status == Some(DeliveryStatus::Failed))
        })
        .await;

    scene.app.mirror.round().await.unwrap();
    let notes = private_notes(&posted_messages(&chatwoot).await);
    let failed = notes.iter().find(|n| n.contains(AGENT_TEXT)).expect("a note about the agent's reply");
    assert!(failed.starts_with("⚠️ Esta mensagem não chegou ao paciente pelo WhatsApp:"), "{failed}");
    scene.app.shutdown().await;
}

async fn the_idle_return_puts_the_conversation_back_to_pending_in_chatwoot(db: TestDb) {
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    scene
        .patient_writes_and_sofia_answers(Some(("3EB0HANDOFF0002", "quero falar com um atendente humano")))
        .await;
    scene.app.mirror.round().await.unwrap();
    assert_eq!(calls(&chatwoot, "toggle_status").await, [json!({ "status": "open" })]);

    // Nobody from the team writes for a day.
    scene.app.clock.advance(Duration::hours(25));
    let clock: Arc<dyn Clock> = scene.app.clock.clone();
    let desk = Desk::new(Arc::clone(&scene.db.store), clock, HandoffConfig::default());
    assert_eq!(desk.return_idle().await.unwrap().len(), 1);
    assert_eq!(scene.owner().await, Owner::Bot);

    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!(report.handoffs_closed, 1);
    assert_eq!(
        calls(&chatwoot, "toggle_status").await,
        [json!({ "status": "open" }), json!({ "status": "pending" })]
    );
    let notes = private_notes(&posted_messages(&chatwoot).await);
    assert!(notes.last().unwrap().starts_with("⏰ Ninguém da equipe escreveu"), "{notes:?}");
    scene.app.shutdown().await;
}

/// Meta's answer to a send, with a new wamid each time.
struct MetaSends(AtomicU64);

impl wiremock::Respond for MetaSends {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{ "input": "5511987654321", "wa_id": "5511987654321" }],
            "messages": [{ "id": format!("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjVGMDAw{n:04}") }],
        }))
    }
}

/// The clinic's unofficial channels are down; its Meta number answers.
#[tokio::test]
async fn an_agents_reply_reaches_the_patient_once_through_meta() {
    let db = TestDb::sqlite().await;
    let chatwoot = chatwoot().await;
    let down = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&down).await;
    let meta = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/v[0-9.]+/109876543210987/messages$"))
        .respond_with(MetaSends(AtomicU64::new(1)))
        .mount(&meta)
        .await;
    let knowledge = TestKnowledge::with_chatwoot(
        &ProviderUrls { evolution: down.uri(), zapi: down.uri(), meta: meta.uri() },
        &chatwoot.uri(),
    );
    let clinic = knowledge.clinic();
    let app =
        TestApp::spawn_configured(&db.url, &knowledge.dir, |config| config.engine.debounce_ms = 20).await;
    assert_eq!(app.post_meta(provider_fixture("meta", "text.json")).await.0, 200);
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(crate::app::NOW)).await;
    let answered = || async {
        let transcript = db.store.transcript(conversation).await.unwrap();
        transcript.iter().any(|m| m.author == Author::Bot && m.delivery_status == Some(DeliveryStatus::Sent))
    };
    for _ in 0..400 {
        if answered().await {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert!(answered().await, "Sofia answered through Meta");
    app.mirror.round().await.unwrap();

    app.post_chatwoot(&agent_reply(98765), "d-1").await;
    app.post_chatwoot(&agent_reply(98765), "d-2").await;
    app.relay.round().await.unwrap();
    let sent_to_meta = || async {
        let requests = meta.received_requests().await.unwrap();
        requests.iter().filter(|r| String::from_utf8_lossy(&r.body).contains(AGENT_TEXT)).count()
    };
    for _ in 0..400 {
        if sent_to_meta().await > 0 {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    app.dispatcher.sweep().await.unwrap();
    assert_eq!(sent_to_meta().await, 1, "exactly once, through Meta");
    let body: Value = {
        let requests = meta.received_requests().await.unwrap();
        let request =
            requests.iter().find(|r| String::from_utf8_lossy(&r.body).contains(AGENT_TEXT)).unwrap();
        serde_json::from_slice(&request.body).unwrap()
    };
    assert_eq!(
        (&body["to"], &body["type"], &body["text"]["body"]),
        (&json!("5511987654321"), &json!("text"), &json!(AGENT_TEXT))
    );
    app.shutdown().await;
}

/// Forged, stale and malformed deliveries are refused with a JSON error; nothing is stored.
#[tokio::test]
async fn forged_stale_or_malformed_deliveries_are_refused() {
    let db = TestDb::sqlite().await;
    let chatwoot = chatwoot().await;
    let scene = scene(db, &chatwoot).await;
    let app = &scene.app;
    let route = format!("/webhooks/chatwoot/{}", crate::app::CHATWOOT_WEBHOOK_KEY);
    let body = serde_json::to_vec(&agent_reply(5)).unwrap();
    let now = app.clock.now().timestamp();
    let signed = |secret: &str, at: i64| {
        vec![
            ("x-chatwoot-signature", sofia::chatwoot::webhook::sign(secret, at, &body)),
            ("x-chatwoot-timestamp", at.to_string()),
        ]
    };

    let (status, answer) = app.post(&route, body.clone(), &signed("a guessed secret", now)).await;
    assert_eq!((status, &answer["error"]["code"]), (401, &json!("unauthorized")));
    assert_eq!(answer["error"]["message"], "the X-Chatwoot-Signature signature does not match the body");
    let (status, answer) =
        app.post(&route, body.clone(), &signed(crate::app::CHATWOOT_HMAC, now - 3600)).await;
    assert_eq!(
        (status, answer["error"]["message"].as_str()),
        (401, Some("the X-Chatwoot-Timestamp is more than 5 minutes away from now"))
    );
    assert_eq!(app.post(&route, body.clone(), &[]).await.0, 401);
    assert_eq!(
        app.post(
            "/webhooks/chatwoot/not-the-key-of-any-clinic",
            body.clone(),
            &signed(crate::app::CHATWOOT_HMAC, now)
        )
        .await
        .0,
        404
    );

    let not_json = b"{ not json".to_vec();
    let headers = vec![
        ("x-chatwoot-signature", sofia::chatwoot::webhook::sign(crate::app::CHATWOOT_HMAC, now, &not_json)),
        ("x-chatwoot-timestamp", now.to_string()),
    ];
    let (status, answer) = app.post(&route, not_json, &headers).await;
    assert_eq!((status, answer["error"]["message"].as_str()), (400, Some("the body is not JSON")));
    assert_eq!(app.post_chatwoot(&json!({ "id": 1 }), "d-x").await.0, 400);
    assert_eq!(
        app.post_chatwoot(&json!({ "event": "contact_created", "id": 42 }), "d-y").await,
        (200, json!({ "status": "ignored" }))
    );

    assert!(scene.db.store.chatwoot_events(scene.clinic.id).await.unwrap().is_empty(), "nothing was stored");
    assert_eq!(app.metrics.webhooks.get(&["chatwoot", "unauthorized"]), 3);
    scene.app.shutdown().await;
}
