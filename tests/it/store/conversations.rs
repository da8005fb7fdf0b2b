use chrono::Duration;
use serde_json::json;
use sofia::store::Owner;
use sofia_core::domain::Phone;

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_conversation_is_created_once_owned_by_the_bot,
    state_and_patient_are_saved,
    owner_changes_return_the_previous_owner,
    one_worker_holds_the_lease_until_it_expires
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

fn maria() -> Phone {
    Phone::parse("+5511987654321").unwrap()
}

async fn a_conversation_is_created_once_owned_by_the_bot(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let first = db.store.conversation_for(clinic, &maria(), now).await.unwrap();
    let again = db.store.conversation_for(clinic, &maria(), now + Duration::hours(1)).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(first.owner, Owner::Bot);
    assert_eq!(first.state, json!({}));
    assert_eq!(db.store.conversation(first.id).await.unwrap(), Some(first));
}

async fn state_and_patient_are_saved(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let conversation = db.store.conversation_for(clinic, &maria(), now).await.unwrap();
    let patient = db.store.upsert_patient(clinic, &maria(), None, now).await.unwrap();
    let state = json!({"offered": [{"id": "A", "start": "2026-03-03T14:00:00Z"}], "clarifications": 1});
    db.store.save_state(conversation.id, &state, now).await.unwrap();
    db.store.link_patient(conversation.id, patient.id, now).await.unwrap();
    let saved = db.store.conversation(conversation.id).await.unwrap().unwrap();
    assert_eq!(saved.state, state);
    assert_eq!(saved.patient_id, Some(patient.id));
}

async fn owner_changes_return_the_previous_owner(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let id = db.store.conversation_for(clinic, &maria(), now).await.unwrap().id;
    let until = now + Duration::hours(2);
    assert_eq!(db.store.set_owner(id, Owner::Paused(until), now).await.unwrap(), Owner::Bot);
    assert_eq!(db.store.set_owner(id, Owner::Human, now).await.unwrap(), Owner::Paused(until));
    assert_eq!(db.store.set_owner(id, Owner::Bot, now).await.unwrap(), Owner::Human);
    assert_eq!(db.store.conversation(id).await.unwrap().unwrap().owner, Owner::Bot);
}

async fn one_worker_holds_the_lease_until_it_expires(db: TestDb) {
    let now = at(NOW);
    let db = db.with_demo(now).await;
    let clinic = demo_clinic().clinic.id;
    let id = db.store.conversation_for(clinic, &maria(), now).await.unwrap().id;
    let until = now + Duration::seconds(30);
    assert!(db.store.claim_lease(id, "worker-a", until, now).await.unwrap());
    assert!(!db.store.claim_lease(id, "worker-b", until, now).await.unwrap(), "held by a");
    assert!(
        db.store.claim_lease(id, "worker-a", until + Duration::seconds(30), now).await.unwrap(),
        "a renews"
    );
    // a crashed: once its lease expires, b takes over.
    let later = until + Duration::seconds(31);
    assert!(db.store.claim_lease(id, "worker-b", later + Duration::seconds(30), later).await.unwrap());
    db.store.release_lease(id, "worker-a").await.unwrap();
    assert!(!db.store.claim_lease(id, "worker-c", later, later).await.unwrap(), "a cannot release b's lease");
    db.store.release_lease(id, "worker-b").await.unwrap();
    assert!(db.store.claim_lease(id, "worker-c", later, later).await.unwrap());
}
