//! Chatwoot's webhook events and what Chatwoot was told of each handoff, on both backends:
//! an event is stored once, claimed by one relay, retried after its back-off, and a
//! conversation is found by its Chatwoot id only within its own clinic.

use chrono::Duration;
use serde_json::json;
use sofia::store::{
    ChatwootLink, EventReceipt, HandoffOrigin, HandoffStep, HandoffTold, NewChatwootEvent, NewHandoff,
    ResolvedBy, StaffMember,
};
use sofia_core::domain::{ChatwootContactId, ChatwootConversationId, ClinicId};

use crate::support::{TestDb, at, conformance, demo_clinic};
use crate::webhooks::{MARIA, conversation_of};

conformance!(
    an_event_is_stored_once_per_key,
    a_claimed_event_is_taken_once_and_a_retry_waits_its_back_off,
    a_conversation_is_found_by_its_chatwoot_id_only_in_its_clinic,
    a_handoff_is_told_to_chatwoot_step_by_step_once,
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

fn event(key: &str, clinic: ClinicId, minutes: i64) -> NewChatwootEvent {
    NewChatwootEvent {
        id: uuid::Uuid::new_v4(),
        clinic_id: clinic,
        dedup_key: key.into(),
        event: "message_created".into(),
        payload: json!({ "event": "message_created", "id": 1, "content": "Oi Maria!" }),
        received_at: at(NOW) + Duration::minutes(minutes),
    }
}

async fn an_event_is_stored_once_per_key(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic.id;
    assert_eq!(
        db.store.record_chatwoot_event(&event("message:1", clinic, 0)).await.unwrap(),
        EventReceipt::Stored
    );
    assert_eq!(
        db.store.record_chatwoot_event(&event("message:1", clinic, 1)).await.unwrap(),
        EventReceipt::Duplicate
    );
    assert_eq!(
        db.store.record_chatwoot_event(&event("message:2", clinic, 2)).await.unwrap(),
        EventReceipt::Stored
    );
    let stored = db.store.chatwoot_events(clinic).await.unwrap();
    let keys: Vec<&str> = stored.iter().map(|e| e.dedup_key.as_str()).collect();
    assert_eq!(keys, ["message:1", "message:2"]);
    assert!(stored.iter().all(|e| e.outcome.is_none()));
}

async fn a_claimed_event_is_taken_once_and_a_retry_waits_its_back_off(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic.id;
    for (n, key) in ["delivery:a", "delivery:b", "delivery:c"].iter().enumerate() {
        db.store.record_chatwoot_event(&event(key, clinic, n as i64)).await.unwrap();
    }
    let now = at(NOW) + Duration::minutes(5);
    let lease = now + Duration::minutes(2);
    let first = db.store.claim_chatwoot_events("relay-1", now, lease, 2).await.unwrap();
    assert_eq!(first.len(), 2, "oldest first, at most the limit");
    assert_eq!(first[0].payload["content"], "Oi Maria!");
    let second = db.store.claim_chatwoot_events("relay-2", now, lease, 10).await.unwrap();
    assert_eq!(second.len(), 1, "a live claim is not taken again");
    assert!(db.store.claim_chatwoot_events("relay-3", now, lease, 10).await.unwrap().is_empty());

    db.store.finish_chatwoot_event(first[0].id, "handed back to Sofia", now).await.unwrap();
    db.store.retry_chatwoot_event(first[1].id, now + Duration::seconds(30)).await.unwrap();
    // The third's relay died: its claim runs out.
    let later = now + Duration::seconds(10);
    assert!(
        db.store
            .claim_chatwoot_events("relay-4", later, later + Duration::minutes(2), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let after = lease + Duration::seconds(1);
    let retried =
        db.store.claim_chatwoot_events("relay-5", after, after + Duration::minutes(2), 10).await.unwrap();
    let ids: Vec<_> = retried.iter().map(|e| e.id).collect();
    assert_eq!(ids, [first[1].id, second[0].id]);
    assert_eq!(retried[0].attempts, 1);
    let outcomes: Vec<Option<String>> =
        db.store.chatwoot_events(clinic).await.unwrap().into_iter().map(|e| e.outcome).collect();
    assert_eq!(outcomes, [Some("handed back to Sofia".to_owned()), None, None]);
}

async fn a_conversation_is_found_by_its_chatwoot_id_only_in_its_clinic(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(NOW)).await;
    let chatwoot = ChatwootConversationId(123);
    assert_eq!(db.store.conversation_in_chatwoot(clinic.id, chatwoot).await.unwrap(), None);
    db.store
        .save_chatwoot_link(&ChatwootLink {
            conversation_id: conversation,
            clinic_id: clinic.id,
            contact_id: ChatwootContactId(42),
            chatwoot_conversation_id: chatwoot,
            created_at: at(NOW),
        })
        .await
        .unwrap();
    assert_eq!(db.store.conversation_in_chatwoot(clinic.id, chatwoot).await.unwrap(), Some(conversation));
    assert_eq!(db.store.conversation_in_chatwoot(ClinicId::new_random(), chatwoot).await.unwrap(), None);
    assert_eq!(
        db.store.conversation_in_chatwoot(clinic.id, ChatwootConversationId(124)).await.unwrap(),
        None
    );
}

async fn a_handoff_is_told_to_chatwoot_step_by_step_once(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic;
    let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, now).await;
    let handoff = db
        .store
        .hand_to_human(&NewHandoff {
            clinic_id: clinic.id,
            conversation_id: conversation,
            reason: "o paciente pediu para falar com uma pessoa".into(),
            summary: String::new(),
            origin: HandoffOrigin::Bot,
            assignee: None,
            opened_at: now,
        })
        .await
        .unwrap();
    let since = now - Duration::days(3);
    assert!(
        db.store.handoffs_to_tell_chatwoot(clinic.id, since, 10).await.unwrap().is_empty(),
        "not mirrored yet: nothing to tell"
    );
    db.store
        .save_chatwoot_link(&ChatwootLink {
            conversation_id: conversation,
            clinic_id: clinic.id,
            contact_id: ChatwootContactId(42),
            chatwoot_conversation_id: ChatwootConversationId(123),
            created_at: now,
        })
        .await
        .unwrap();
    let due = db.store.handoffs_to_tell_chatwoot(clinic.id, since, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].0.id, due[0].1), (handoff.id, HandoffTold::default()));

    db.store.chatwoot_told(handoff.id, HandoffStep::Opened, now).await.unwrap();
    assert!(
        db.store.handoffs_to_tell_chatwoot(clinic.id, since, 10).await.unwrap().is_empty(),
        "open and told"
    );

    let by = ResolvedBy::Staff(StaffMember::parse("Joana").unwrap());
    db.store.return_to_bot(handoff.id, &by, now + Duration::hours(1)).await.unwrap();
    let due = db.store.handoffs_to_tell_chatwoot(clinic.id, since, 10).await.unwrap();
    assert_eq!(due[0].1, HandoffTold { opened: true, closed: false });
    db.store.chatwoot_told(handoff.id, HandoffStep::Closed, now).await.unwrap();
    assert!(db.store.handoffs_to_tell_chatwoot(clinic.id, since, 10).await.unwrap().is_empty());
    assert!(
        db.store.handoffs_to_tell_chatwoot(clinic.id, now + Duration::days(4), 10).await.unwrap().is_empty(),
        "older than the look-back"
    );
}
