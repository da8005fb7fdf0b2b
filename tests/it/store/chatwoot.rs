//! The Chatwoot mirror's tables, on both backends: what gets queued (once, in order, Sofia's
//! replies only once they left), claims, retries, parking and the conversation link.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sofia::store::{
    Author, ChatwootLink, InboundReceipt, InboundWrite, MirrorStatus, NewInbound, NewOutbound, OutboxReceipt,
    Store,
};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{
    ChatwootContactId, ChatwootConversationId, ChatwootMessageId, ConversationId, MessageId, MessageKind,
    Phone,
};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    messages_are_queued_once_and_a_reply_only_once_it_left_the_outbox,
    a_claim_takes_due_rows_in_order_and_a_retry_holds_the_rest_back,
    a_parked_row_is_never_claimed_again,
    a_conversation_keeps_its_chatwoot_link,
    a_voice_note_waits_for_its_transcript_and_so_does_what_follows_it,
);

const NOW: &str = "2026-03-02T09:00:00-03:00";
const LOOKBACK: Duration = Duration::days(3);

async fn patient_writes(
    store: &dyn Store,
    clinic: &Clinic,
    provider_id: &str,
    at: DateTime<Utc>,
) -> (ConversationId, MessageId) {
    let message = NewInbound {
        id: MessageId::new_random(),
        clinic_id: clinic.id,
        channel_id: clinic.channels[0].id(&clinic.tenant),
        phone: Phone::parse("+5511987654321").unwrap(),
        provider_message_id: provider_id.into(),
        author: Author::Patient,
        kind: MessageKind::Text,
        body: provider_id.into(),
        payload: json!({ "type": "text", "body": provider_id }),
        received_at: at,
    };
    match store.record_inbound_batch(&[InboundWrite { message, push_name: None }]).await.unwrap()[..] {
        [InboundReceipt::Stored { conversation_id, message_id }] => (conversation_id, message_id),
        ref other => panic!("not stored: {other:?}"),
    }
}

async fn sofia_queues(
    store: &dyn Store,
    clinic: &Clinic,
    conversation: ConversationId,
    key: &str,
    at: DateTime<Utc>,
) -> MessageId {
    let receipt = store
        .enqueue_outbound(&NewOutbound {
            id: MessageId::new_random(),
            clinic_id: clinic.id,
            conversation_id: conversation,
            idempotency_key: key.into(),
            author: Author::Bot,
            kind: MessageKind::Text,
            body: key.into(),
            payload: json!({ "type": "text", "body": key }),
            created_at: at,
        })
        .await
        .unwrap();
    match receipt {
        OutboxReceipt::Queued(id) => id,
        OutboxReceipt::AlreadyQueued(_) => panic!("{key} queued twice"),
    }
}

/// Maria sends a voice note (not yet transcribed) at `at`.
async fn patient_speaks(store: &dyn Store, clinic: &Clinic, at: DateTime<Utc>) -> MessageId {
    let media =
        json!({ "mime_type": "audio/ogg", "source": { "via": "meta_id", "value": "1203456789012345" } });
    let message = NewInbound {
        id: MessageId::new_random(),
        clinic_id: clinic.id,
        channel_id: clinic.channels[0].id(&clinic.tenant),
        phone: Phone::parse("+5511987654321").unwrap(),
        provider_message_id: "wamid.VOICE".into(),
        author: Author::Patient,
        kind: MessageKind::Audio,
        body: String::new(),
        payload: json!({ "type": "audio", "voice": true, "media": media }),
        received_at: at,
    };
    match store.record_inbound_batch(&[InboundWrite { message, push_name: None }]).await.unwrap()[..] {
        [InboundReceipt::Stored { message_id, .. }] => message_id,
        ref other => panic!("not stored: {other:?}"),
    }
}

async fn queued(db: &TestDb, conversation: ConversationId) -> Vec<MessageId> {
    db.store.mirror_states(conversation).await.unwrap().into_iter().map(|s| s.message_id).collect()
}

async fn a_voice_note_waits_for_its_transcript_and_so_does_what_follows_it(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let (conversation, greeting) = patient_writes(store, &clinic, "wamid.1", now).await;
    let voice = patient_speaks(store, &clinic, now + Duration::seconds(1)).await;
    let (_, after) = patient_writes(store, &clinic, "wamid.2", now + Duration::seconds(2)).await;

    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(), 1);
    assert_eq!(queued(&db, conversation).await, [greeting], "the voice note has no words yet");

    // Its turn stores the transcript, then marks the burst answered.
    let payload = json!({ "type": "audio", "voice": true, "transcript": "queria marcar botox",
        "media": { "mime_type": "audio/ogg", "source": { "via": "meta_id", "value": "1203456789012345" } } });
    store.record_transcript(voice, "queria marcar botox", &payload, now).await.unwrap();
    store.mark_processed(&[greeting, voice, after], now).await.unwrap();
    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(), 2);
    assert_eq!(queued(&db, conversation).await, [greeting, voice, after]);
    let claimed =
        store.claim_mirror_jobs(conversation, "claim-1", now, now + Duration::minutes(5), 10).await.unwrap();
    let voice_row = claimed.iter().find(|job| job.message.id == voice).unwrap();
    assert_eq!(voice_row.message.body, "queria marcar botox");
    assert_eq!(voice_row.message.payload["transcript"], "queria marcar botox");
}

async fn messages_are_queued_once_and_a_reply_only_once_it_left_the_outbox(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let (conversation, question) = patient_writes(store, &clinic, "wamid.1", now).await;
    let reply = sofia_queues(store, &clinic, conversation, "turn-1/0", now + Duration::seconds(1)).await;
    let (_, follow_up) = patient_writes(store, &clinic, "wamid.2", now + Duration::seconds(2)).await;

    // The reply is still in the outbox: it and what follows it wait, so the order holds.
    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(), 1);
    assert_eq!(queued(&db, conversation).await, [question]);

    store.mark_sent(reply, clinic.channels[0].id(&clinic.tenant), "wamid.SOFIA", now).await.unwrap();
    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(), 2);
    assert_eq!(queued(&db, conversation).await, [question, reply, follow_up]);
    assert_eq!(
        store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(),
        0,
        "queued once"
    );

    // Older than the look-back: not queued (a clinic that adds Chatwoot gets its last days).
    let (_, old) = patient_writes(store, &clinic, "wamid.OLD", now - LOOKBACK - Duration::minutes(1)).await;
    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap(), 0);
    assert!(!queued(&db, conversation).await.contains(&old));
}

async fn a_claim_takes_due_rows_in_order_and_a_retry_holds_the_rest_back(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let (conversation, first) = patient_writes(store, &clinic, "wamid.1", now).await;
    let (_, second) = patient_writes(store, &clinic, "wamid.2", now + Duration::seconds(1)).await;
    store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap();
    assert_eq!(store.conversations_to_mirror(clinic.id, now, 10).await.unwrap(), [conversation]);

    let lease = now + Duration::minutes(5);
    let jobs = store.claim_mirror_jobs(conversation, "claim-a", now, lease, 10).await.unwrap();
    let claimed: Vec<(MessageId, u32)> = jobs.iter().map(|j| (j.message.id, j.attempts)).collect();
    assert_eq!(claimed, [(first, 0), (second, 0)]);
    assert!(
        store.claim_mirror_jobs(conversation, "claim-b", now, lease, 10).await.unwrap().is_empty(),
        "claimed"
    );
    assert!(store.conversations_to_mirror(clinic.id, now, 10).await.unwrap().is_empty());

    // The first fails: it waits for its retry, and the second waits behind it.
    let retry_at = now + Duration::seconds(30);
    store.retry_mirror(first, "Chatwoot is unavailable: HTTP 503", retry_at, now).await.unwrap();
    store.release_mirror_claim("claim-a").await.unwrap();
    assert!(store.conversations_to_mirror(clinic.id, now, 10).await.unwrap().is_empty());
    assert!(store.claim_mirror_jobs(conversation, "claim-c", now, lease, 10).await.unwrap().is_empty());
    let states = store.mirror_states(conversation).await.unwrap();
    assert_eq!(
        (states[0].status, states[0].attempts, states[0].last_error.as_deref(), states[0].next_attempt_at),
        (MirrorStatus::Pending, 1, Some("Chatwoot is unavailable: HTTP 503"), retry_at)
    );

    assert_eq!(store.conversations_to_mirror(clinic.id, retry_at, 10).await.unwrap(), [conversation]);
    let jobs = store
        .claim_mirror_jobs(conversation, "claim-d", retry_at, retry_at + Duration::minutes(5), 10)
        .await
        .unwrap();
    let claimed: Vec<(MessageId, u32)> = jobs.iter().map(|j| (j.message.id, j.attempts)).collect();
    assert_eq!(claimed, [(first, 1), (second, 0)]);
    store.mark_mirrored(first, ChatwootMessageId(1001), retry_at).await.unwrap();
    store.mark_mirrored(second, ChatwootMessageId(1002), retry_at).await.unwrap();
    let states = store.mirror_states(conversation).await.unwrap();
    let done: Vec<(MirrorStatus, u32, Option<ChatwootMessageId>, Option<String>)> =
        states.into_iter().map(|s| (s.status, s.attempts, s.chatwoot_message_id, s.last_error)).collect();
    assert_eq!(
        done,
        [
            (MirrorStatus::Mirrored, 2, Some(ChatwootMessageId(1001)), None),
            (MirrorStatus::Mirrored, 1, Some(ChatwootMessageId(1002)), None),
        ]
    );
    assert!(store.conversations_to_mirror(clinic.id, retry_at, 10).await.unwrap().is_empty());
}

async fn a_parked_row_is_never_claimed_again(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let store = db.store.as_ref();
    let (conversation, message) = patient_writes(store, &clinic, "wamid.1", now).await;
    store.queue_for_chatwoot(clinic.id, now - LOOKBACK, now, 100).await.unwrap();
    store.claim_mirror_jobs(conversation, "claim-a", now, now + Duration::minutes(5), 10).await.unwrap();
    store.park_mirror(message, "Chatwoot refused the request: HTTP 422", now).await.unwrap();

    let later = now + Duration::hours(1);
    assert!(store.conversations_to_mirror(clinic.id, later, 10).await.unwrap().is_empty());
    assert!(store.claim_mirror_jobs(conversation, "claim-b", later, later, 10).await.unwrap().is_empty());
    let states = store.mirror_states(conversation).await.unwrap();
    assert_eq!(
        (states[0].status, states[0].attempts, states[0].last_error.as_deref()),
        (MirrorStatus::Parked, 1, Some("Chatwoot refused the request: HTTP 422"))
    );
    assert_eq!(store.queue_for_chatwoot(clinic.id, now - LOOKBACK, later, 100).await.unwrap(), 0);
}

async fn a_conversation_keeps_its_chatwoot_link(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let (conversation, _) = patient_writes(db.store.as_ref(), &clinic, "wamid.1", now).await;
    assert_eq!(db.store.chatwoot_link(conversation).await.unwrap(), None);
    let link = ChatwootLink {
        conversation_id: conversation,
        clinic_id: clinic.id,
        contact_id: ChatwootContactId(42),
        chatwoot_conversation_id: ChatwootConversationId(123),
        created_at: now,
    };
    db.store.save_chatwoot_link(&link).await.unwrap();
    db.store.save_chatwoot_link(&link).await.unwrap();
    assert_eq!(db.store.chatwoot_link(conversation).await.unwrap(), Some(link));
}
