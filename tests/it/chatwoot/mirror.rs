//! Every conversation mirrored into Chatwoot through the real app: the patient writes on
//! WhatsApp (a fake Evolution API), Sofia answers through the conversation workers and the
//! outbox, and the mirror's rounds copy both into a fake Chatwoot.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use sofia::app::{IndexPlacement, Sofia, Wiring};
use sofia::chatwoot::MirrorReport;
use sofia::config::Config;
use sofia::secret::Secret;
use sofia::store::{Author, MirrorStatus, StoredMessage};
use sofia_core::clock::FrozenClock;
use sofia_core::domain::{ChatwootContactId, ChatwootConversationId, Direction};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{
    ACCOUNT, CONTACT_ID, CONVERSATION_ID, SOURCE_ID, mount_fresh_chatwoot, posted_messages, requests_to,
    scene,
};
use crate::app::{
    CHATWOOT_TOKEN, META_APP_SECRET, META_VERIFY_TOKEN, ProviderUrls, TestKnowledge, channel_env,
};
use crate::support::{TestDb, at, conformance};
use crate::webhooks::MARIA;

conformance!(
    a_conversation_is_mirrored_with_its_contact_and_in_order,
    a_second_round_mirrors_nothing_twice,
    replies_go_out_while_chatwoot_is_down_and_the_mirror_catches_up,
    a_message_chatwoot_refuses_for_good_is_parked_with_its_error,
);

/// Each posted message as (our message id, message_type), in the order Chatwoot got them.
fn ids_and_types(posted: &[Value]) -> Vec<(String, String)> {
    posted
        .iter()
        .map(|body| {
            (
                body["content_attributes"]["sofia"]["message_id"].as_str().unwrap().to_owned(),
                body["message_type"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// What the transcript should look like in Chatwoot: the patient incoming, Sofia outgoing.
fn expected(transcript: &[StoredMessage]) -> Vec<(String, String)> {
    transcript
        .iter()
        .map(|m| {
            let kind = if m.direction == Direction::Inbound && m.author == Author::Patient {
                "incoming"
            } else {
                "outgoing"
            };
            (m.id.to_string(), kind.to_owned())
        })
        .collect()
}

async fn a_conversation_is_mirrored_with_its_contact_and_in_order(db: TestDb) {
    let chatwoot = MockServer::start().await;
    mount_fresh_chatwoot(&chatwoot).await;
    let scene = scene(db, &chatwoot).await;
    let transcript = scene.patient_writes_and_sofia_answers(None).await;
    assert!(transcript.len() >= 2, "a patient message and at least one reply");

    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!(
        report,
        MirrorReport {
            queued: transcript.len() as u64,
            mirrored: transcript.len(),
            ..MirrorReport::default()
        }
    );

    let everything = chatwoot.received_requests().await.unwrap();
    assert!(
        everything
            .iter()
            .all(|r| r.headers.get("api_access_token").map(|v| v.as_bytes())
                == Some(CHATWOOT_TOKEN.as_bytes())),
        "every call carries the access token"
    );
    let search = &requests_to(&chatwoot, "GET", &format!("{ACCOUNT}/contacts/search")).await[0];
    assert_eq!(
        search.url.query_pairs().find(|(k, _)| k == "q").map(|(_, v)| v.into_owned()),
        Some(MARIA.to_owned())
    );
    let contact: Value =
        serde_json::from_slice(&requests_to(&chatwoot, "POST", &format!("{ACCOUNT}/contacts")).await[0].body)
            .unwrap();
    assert_eq!(
        contact,
        json!({ "inbox_id": 7, "name": "Maria Silva", "phone_number": MARIA, "identifier": MARIA })
    );
    let created = requests_to(&chatwoot, "POST", &format!("{ACCOUNT}/conversations")).await;
    assert_eq!(created.len(), 1);
    let conversation: Value = serde_json::from_slice(&created[0].body).unwrap();
    assert_eq!(
        (
            &conversation["source_id"],
            &conversation["inbox_id"],
            &conversation["contact_id"],
            &conversation["status"]
        ),
        (&json!(SOURCE_ID), &json!(7), &json!(CONTACT_ID), &json!("pending"))
    );

    let posted = posted_messages(&chatwoot).await;
    assert_eq!(ids_and_types(&posted), expected(&transcript), "every message once, in order, by its author");
    assert_eq!(posted[0]["content"], "Oi! Vocês atendem no sábado?");
    assert_eq!(posted[0]["source_id"], transcript[0].id.to_string());
    for (body, message) in posted.iter().zip(&transcript).skip(1) {
        assert_eq!(body["content_attributes"]["sofia"]["author"], "bot");
        assert_eq!((&body["private"], body["content"].as_str()), (&json!(false), Some(message.body.trim())));
    }

    let ours = scene.conversation().await;
    let link = scene.db.store.chatwoot_link(ours).await.unwrap().unwrap();
    assert_eq!(
        (link.contact_id, link.chatwoot_conversation_id),
        (ChatwootContactId(CONTACT_ID), ChatwootConversationId(CONVERSATION_ID))
    );
    let states = scene.db.store.mirror_states(ours).await.unwrap();
    assert!(
        states.iter().all(|s| s.status == MirrorStatus::Mirrored && s.chatwoot_message_id.is_some()),
        "{states:?}"
    );
    scene.app.shutdown().await;
}

async fn a_second_round_mirrors_nothing_twice(db: TestDb) {
    let chatwoot = MockServer::start().await;
    mount_fresh_chatwoot(&chatwoot).await;
    let scene = scene(db, &chatwoot).await;
    let first = scene.patient_writes_and_sofia_answers(None).await;
    scene.app.mirror.round().await.unwrap();

    assert_eq!(scene.app.mirror.round().await.unwrap(), MirrorReport::default());
    assert_eq!(posted_messages(&chatwoot).await.len(), first.len());

    // A later message goes to the same Chatwoot conversation: the contact is not looked up again.
    let later = scene.patient_writes_and_sofia_answers(Some(("3EB0C431D5A2B7F8E9A2", "E no domingo?"))).await;
    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!(report.mirrored, later.len() - first.len());
    assert_eq!(ids_and_types(&posted_messages(&chatwoot).await), expected(&later));
    assert_eq!(requests_to(&chatwoot, "GET", &format!("{ACCOUNT}/contacts/search")).await.len(), 1);
    assert_eq!(requests_to(&chatwoot, "POST", &format!("{ACCOUNT}/conversations")).await.len(), 1);
    scene.app.shutdown().await;
}

async fn replies_go_out_while_chatwoot_is_down_and_the_mirror_catches_up(db: TestDb) {
    let chatwoot = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "30"))
        .mount(&chatwoot)
        .await;
    let scene = scene(db, &chatwoot).await;
    let transcript = scene.patient_writes_and_sofia_answers(None).await;
    let sends = scene.evolution.received_requests().await.unwrap();
    let sends = sends.iter().filter(|r| r.url.path().starts_with("/message/send")).count();
    assert_eq!(sends, transcript.len() - 1, "every reply went out while Chatwoot was down");

    // Ten minutes of a Chatwoot answering 503, a round a minute.
    for _ in 0..10 {
        let report = scene.app.mirror.round().await.unwrap();
        assert_eq!((report.mirrored, report.parked), (0, 0));
        scene.app.clock.advance(Duration::minutes(1));
    }
    let ours = scene.conversation().await;
    let states = scene.db.store.mirror_states(ours).await.unwrap();
    assert_eq!(states.len(), transcript.len(), "every message queued");
    assert!(states.iter().all(|s| s.status == MirrorStatus::Pending));
    assert!(states[0].attempts >= 2, "{states:?}");
    assert_eq!(states[0].last_error.as_deref(), Some("Chatwoot is unavailable: HTTP 503"));
    assert!(posted_messages(&chatwoot).await.is_empty());

    chatwoot.reset().await;
    mount_fresh_chatwoot(&chatwoot).await;
    scene.app.clock.advance(sofia::chatwoot::MAX_BACKOFF);
    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!(report.mirrored, transcript.len());
    assert_eq!(ids_and_types(&posted_messages(&chatwoot).await), expected(&transcript));
    assert_eq!(scene.app.mirror.round().await.unwrap(), MirrorReport::default());
    assert_eq!(posted_messages(&chatwoot).await.len(), transcript.len(), "each exactly once");
    scene.app.shutdown().await;
}

async fn a_message_chatwoot_refuses_for_good_is_parked_with_its_error(db: TestDb) {
    let chatwoot = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("{ACCOUNT}/conversations/{CONVERSATION_ID}/messages")))
        .respond_with(
            ResponseTemplate::new(422)
                .set_body_json(json!({ "message": "Content is too long (maximum is 150000 characters)" })),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&chatwoot)
        .await;
    mount_fresh_chatwoot(&chatwoot).await;
    let scene = scene(db, &chatwoot).await;
    let transcript = scene.patient_writes_and_sofia_answers(None).await;

    let report = scene.app.mirror.round().await.unwrap();
    assert_eq!((report.parked, report.mirrored), (1, transcript.len() - 1));
    let states = scene.db.store.mirror_states(scene.conversation().await).await.unwrap();
    assert_eq!((states[0].status, states[0].attempts), (MirrorStatus::Parked, 1));
    assert_eq!(
        states[0].last_error.as_deref(),
        Some("Chatwoot refused the request: HTTP 422: Content is too long (maximum is 1500… characters)")
    );
    assert!(states[1..].iter().all(|s| s.status == MirrorStatus::Mirrored));

    assert_eq!(
        scene.app.mirror.round().await.unwrap(),
        MirrorReport::default(),
        "a parked row is not retried"
    );
    assert_eq!(posted_messages(&chatwoot).await.len(), transcript.len());
    scene.app.shutdown().await;
}

#[tokio::test]
async fn the_app_refuses_to_start_when_the_chatwoot_token_is_not_set() {
    let db = TestDb::sqlite().await;
    let knowledge = TestKnowledge::with_chatwoot(&ProviderUrls::default(), "https://chatwoot.exemplo.com.br");
    let mut config = Config::default();
    config.database.url = Secret::new(db.url.clone());
    config.knowledge.dir = knowledge.dir.clone();
    config.meta.app_secret = Secret::new(META_APP_SECRET);
    config.meta.verify_token = Secret::new(META_VERIFY_TOKEN);
    let mut env = channel_env();
    env.remove("TESTE_CHATWOOT_TOKEN");
    let wiring = Wiring {
        clock: Arc::new(FrozenClock::at(at(crate::app::NOW))),
        env: Arc::new(move |name| env.get(name).cloned()),
        index: IndexPlacement::Temporary,
        ..Wiring::production(&sofia::config::OutboxConfig::default())
    };
    let error = Sofia::start_with(config, wiring).await.err().unwrap();
    let message = format!("{error:#}");
    assert!(
        message.contains(
            "clinic teste: chatwoot.api_access_token_env names TESTE_CHATWOOT_TOKEN, which is not set"
        ),
        "{message}"
    );
}
