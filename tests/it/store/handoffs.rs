//! Handoffs: opening one gives the conversation to a human, resolving it gives it back, one
//! open handoff per conversation, and the idle return finds the conversations nobody answers.

use chrono::Duration;
use sofia::store::{HandoffOrigin, NewHandoff, Owner, ResolvedBy, StaffMember, StoreError};
use sofia_core::domain::{ConversationId, HandoffId, Phone};

use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_handoff_gives_the_conversation_to_a_human_and_resolving_gives_it_back,
    a_conversation_has_at_most_one_open_handoff,
    resolving_twice_or_an_unknown_handoff_is_refused,
    a_handoff_can_be_assigned_while_open,
    a_staff_pause_survives_the_end_of_a_handoff,
    idle_handoffs_are_those_nobody_wrote_in_since,
    the_last_time_a_person_wrote_never_moves_back,
);

const NOW: &str = "2026-03-02T09:00:00-03:00";

async fn conversation(db: &TestDb, phone: &str) -> ConversationId {
    let clinic = demo_clinic().clinic.id;
    db.store.conversation_for(clinic, &Phone::parse(phone).unwrap(), at(NOW)).await.unwrap().id
}

fn handoff(conversation: ConversationId, opened_at: chrono::DateTime<chrono::Utc>) -> NewHandoff {
    NewHandoff {
        clinic_id: demo_clinic().clinic.id,
        conversation_id: conversation,
        reason: "o paciente pediu para falar com uma pessoa".into(),
        summary: "Paciente: Maria. Interesse: Botox.".into(),
        origin: HandoffOrigin::Bot,
        assignee: None,
        opened_at,
    }
}

fn ana() -> StaffMember {
    StaffMember::parse("Ana").unwrap()
}

async fn a_handoff_gives_the_conversation_to_a_human_and_resolving_gives_it_back(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let clinic = demo_clinic().clinic.id;
    let id = conversation(&db, "+5511987654321").await;

    let opened = db.store.hand_to_human(&handoff(id, at(NOW))).await.unwrap();

    assert!(opened.open);
    assert_eq!(opened.summary, "Paciente: Maria. Interesse: Botox.");
    assert_eq!(
        (opened.origin, opened.assignee.clone(), opened.resolved_by.clone()),
        (HandoffOrigin::Bot, None, None)
    );
    assert_eq!(db.store.conversation(id).await.unwrap().unwrap().owner, Owner::Human);
    assert_eq!(db.store.open_handoff_of(id).await.unwrap(), Some(opened.clone()));
    assert_eq!(db.store.handoffs(clinic, true).await.unwrap(), vec![opened.clone()]);

    let later = at(NOW) + Duration::hours(2);
    let resolved = db.store.return_to_bot(opened.id, &ResolvedBy::Staff(ana()), later).await.unwrap();

    assert!(!resolved.open);
    assert_eq!(
        (resolved.resolved_at, resolved.resolved_by.clone()),
        (Some(later), Some(ResolvedBy::Staff(ana())))
    );
    assert_eq!(db.store.conversation(id).await.unwrap().unwrap().owner, Owner::Bot);
    assert_eq!(db.store.open_handoff_of(id).await.unwrap(), None);
    assert!(db.store.handoffs(clinic, true).await.unwrap().is_empty());
    assert_eq!(db.store.handoffs(clinic, false).await.unwrap(), vec![resolved.clone()]);
    assert_eq!(db.store.handoff(opened.id).await.unwrap(), Some(resolved));
}

async fn a_conversation_has_at_most_one_open_handoff(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let id = conversation(&db, "+5511987654321").await;
    let first = db.store.hand_to_human(&handoff(id, at(NOW))).await.unwrap();

    let again = db.store.hand_to_human(&handoff(id, at(NOW) + Duration::minutes(1))).await;

    assert!(matches!(again, Err(StoreError::HandoffOpen)), "{again:?}");
    assert_eq!(db.store.open_handoff_of(id).await.unwrap().map(|h| h.id), Some(first.id));
    db.store.return_to_bot(first.id, &ResolvedBy::Idle, at(NOW) + Duration::hours(1)).await.unwrap();
    let next = db.store.hand_to_human(&handoff(id, at(NOW) + Duration::hours(2))).await.unwrap();
    assert!(next.open, "once resolved, the conversation can be handed off again");
}

async fn resolving_twice_or_an_unknown_handoff_is_refused(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let id = conversation(&db, "+5511987654321").await;
    let opened = db.store.hand_to_human(&handoff(id, at(NOW))).await.unwrap();
    db.store.return_to_bot(opened.id, &ResolvedBy::Idle, at(NOW)).await.unwrap();

    let twice = db.store.return_to_bot(opened.id, &ResolvedBy::Staff(ana()), at(NOW)).await;
    let unknown = db.store.return_to_bot(HandoffId::new_random(), &ResolvedBy::Idle, at(NOW)).await;

    assert!(matches!(twice, Err(StoreError::NotFound("open handoff"))), "{twice:?}");
    assert!(matches!(unknown, Err(StoreError::NotFound("open handoff"))), "{unknown:?}");
    let kept = db.store.handoff(opened.id).await.unwrap().unwrap();
    assert_eq!(kept.resolved_by, Some(ResolvedBy::Idle), "the first resolution stands");
}

async fn a_handoff_can_be_assigned_while_open(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let id = conversation(&db, "+5511987654321").await;
    let opened = db.store.hand_to_human(&handoff(id, at(NOW))).await.unwrap();

    let assigned = db.store.assign_handoff(opened.id, &ana()).await.unwrap();

    assert_eq!(assigned.assignee, Some(ana()));
    db.store.return_to_bot(opened.id, &ResolvedBy::Idle, at(NOW)).await.unwrap();
    assert!(matches!(db.store.assign_handoff(opened.id, &ana()).await, Err(StoreError::NotFound(_))));
}

async fn a_staff_pause_survives_the_end_of_a_handoff(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let id = conversation(&db, "+5511987654321").await;
    let opened = db.store.hand_to_human(&handoff(id, at(NOW))).await.unwrap();
    // Staff typed on the phone meanwhile and then paused the bot by hand (an admin tool).
    let until = at(NOW) + Duration::hours(3);
    db.store.set_owner(id, Owner::Paused(until), at(NOW)).await.unwrap();

    db.store.return_to_bot(opened.id, &ResolvedBy::Staff(ana()), at(NOW) + Duration::hours(1)).await.unwrap();

    assert_eq!(db.store.conversation(id).await.unwrap().unwrap().owner, Owner::Paused(until));
}

async fn idle_handoffs_are_those_nobody_wrote_in_since(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let quiet = conversation(&db, "+5511987654321").await;
    let answered = conversation(&db, "+5511912345678").await;
    let recent = conversation(&db, "+5511955554444").await;
    let start = at(NOW);
    let quiet_handoff = db.store.hand_to_human(&handoff(quiet, start)).await.unwrap();
    db.store.hand_to_human(&handoff(answered, start)).await.unwrap();
    db.store.hand_to_human(&handoff(recent, start + Duration::hours(20))).await.unwrap();
    db.store.human_wrote(answered, start + Duration::hours(10)).await.unwrap();

    let since = start + Duration::hours(5);
    let idle = db.store.idle_handoffs(since).await.unwrap();

    assert_eq!(idle.iter().map(|h| h.id).collect::<Vec<_>>(), vec![quiet_handoff.id]);
    let later = db.store.idle_handoffs(start + Duration::hours(21)).await.unwrap();
    assert_eq!(later.len(), 3, "everyone is idle once the last message is old enough");
}

async fn the_last_time_a_person_wrote_never_moves_back(db: TestDb) {
    let db = db.with_demo(at(NOW)).await;
    let id = conversation(&db, "+5511987654321").await;
    let late = at(NOW) + Duration::hours(2);

    db.store.human_wrote(id, late).await.unwrap();
    db.store.human_wrote(id, at(NOW)).await.unwrap();

    assert_eq!(db.store.conversation(id).await.unwrap().unwrap().human_wrote_at, Some(late));
    assert!(matches!(
        db.store.human_wrote(ConversationId::new_random(), late).await,
        Err(StoreError::NotFound(_))
    ));
}
