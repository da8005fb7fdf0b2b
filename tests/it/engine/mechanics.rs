//! Turns: bursts, redone drafts, leases, crashes, owners.
use sofia_core::clock::Clock;

use std::sync::Arc;

use chrono::Duration;
use sofia::engine::EngineError;
use sofia::store::Owner;

use sofia::config::EngineConfig;

use super::support::{self, BrokenBrain, EchoBrain, Harness, HeldBrain, ProposesThenFails, maria};
use crate::support::{TestDb, conformance};
use sofia_core::conversation::ConversationState;

async fn a_burst_of_three_messages_gets_one_reply(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let phone = maria();
    for text in ["oi", "tudo bem?", "queria marcar botox"] {
        harness.receive(&phone, Some("Maria"), text).await.unwrap();
    }
    let conversation = harness.receive(&phone, None, "amanhã").await.unwrap();

    let outcome = engine.run_turn(conversation).await.unwrap();

    assert_eq!(outcome.answered.len(), 4);
    assert_eq!(harness.outbox(conversation).await, ["eco: oi | tudo bem? | queria marcar botox | amanhã"]);
    let again = engine.run_turn(conversation).await.unwrap();
    assert!(again.bubbles.is_empty(), "nothing is pending, so nothing is said");
    assert_eq!(harness.outbox(conversation).await.len(), 1);
}

async fn a_conversation_held_by_one_worker_is_refused_to_another(db: TestDb) {
    let harness = Harness::on(db).await;
    let (brain, entered, release) = HeldBrain::new();
    let first = Arc::new(harness.engine(brain));
    let second = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();

    let running = tokio::spawn({
        let first = Arc::clone(&first);
        async move { first.run_turn(conversation).await }
    });
    entered.notified().await;
    assert!(matches!(second.run_turn(conversation).await, Err(EngineError::Busy(_))));
    release.notify_one();
    running.await.unwrap().unwrap();

    assert_eq!(harness.outbox(conversation).await, ["eco: oi"]);
}

async fn a_worker_that_dies_mid_turn_is_replaced_once_its_lease_expires(db: TestDb) {
    let harness = Harness::on(db).await;
    let (brain, entered, _never) = HeldBrain::new();
    let doomed = Arc::new(harness.engine(brain));
    let survivor = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "quero remarcar").await.unwrap();

    let running = tokio::spawn({
        let doomed = Arc::clone(&doomed);
        async move { doomed.run_turn(conversation).await }
    });
    entered.notified().await;
    running.abort(); // the process is gone: its lease is not released
    let _ = running.await;
    assert!(matches!(survivor.run_turn(conversation).await, Err(EngineError::Busy(_))));

    harness.clock.advance(Duration::seconds(i64::try_from(survivor.settings().lease_s).unwrap() + 1));
    survivor.run_turn(conversation).await.unwrap();
    survivor.run_turn(conversation).await.unwrap();

    assert_eq!(harness.outbox(conversation).await, ["eco: quero remarcar"]);
}

async fn a_slow_turn_keeps_its_lease_past_the_lease_time(db: TestDb) {
    let harness = Harness::on(db).await;
    let settings = EngineConfig { lease_s: 3, ..support::settings() };
    let (brain, entered, release) = HeldBrain::new();
    let slow = Arc::new(harness.engine_with(brain, settings.clone()));
    let other = harness.engine_with(EchoBrain, settings);
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();

    let running = tokio::spawn({
        let slow = Arc::clone(&slow);
        async move { slow.run_turn(conversation).await }
    });
    entered.notified().await;
    // The model is still thinking when the first lease would have run out.
    harness.clock.advance(Duration::seconds(4));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(matches!(other.run_turn(conversation).await, Err(EngineError::Busy(_))), "the lease was renewed");
    release.notify_one();
    running.await.unwrap().unwrap();

    assert_eq!(harness.outbox(conversation).await, ["eco: oi"]);
}

/// A worker that stalled past its lease (a paused VM, a long GC) while another took the
/// conversation over stops its turn: no more tools, no reply racing the new owner's.
async fn a_turn_whose_lease_another_worker_took_stops(db: TestDb) {
    let harness = Harness::on(db).await;
    let settings = EngineConfig { lease_s: 3, ..support::settings() };
    let (brain, entered, _release) = HeldBrain::new();
    let stalled = Arc::new(harness.engine_with(brain, settings));
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();
    let running = tokio::spawn({
        let stalled = Arc::clone(&stalled);
        async move { stalled.run_turn(conversation).await }
    });
    entered.notified().await;

    harness.clock.advance(Duration::seconds(10));
    let now = harness.clock.now();
    let took =
        harness.store().claim_lease(conversation, "another-worker", now + Duration::seconds(30), now).await;
    assert!(took.unwrap(), "the stalled worker's lease had run out");

    let outcome = tokio::time::timeout(std::time::Duration::from_secs(10), running).await.unwrap().unwrap();
    assert!(matches!(outcome, Err(EngineError::LeaseLost(_))), "{outcome:?}");
    assert!(harness.outbox(conversation).await.is_empty());
    assert_eq!(
        harness.store().pending_inbound(conversation).await.unwrap().len(),
        1,
        "left to the new owner"
    );
}

async fn a_human_owned_conversation_gets_no_bot_reply(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();
    harness.store().set_owner(conversation, Owner::Human, harness.clock.now()).await.unwrap();

    let outcome = engine.run_turn(conversation).await.unwrap();

    assert!(outcome.silenced);
    assert!(harness.outbox(conversation).await.is_empty());
    assert!(harness.store().pending_inbound(conversation).await.unwrap().is_empty(), "left to the human");
}

async fn a_pause_by_staff_ends_at_its_time(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();
    let until = harness.clock.now() + Duration::hours(2);
    harness.store().set_owner(conversation, Owner::Paused(until), harness.clock.now()).await.unwrap();
    assert!(engine.run_turn(conversation).await.unwrap().silenced);

    harness.clock.set(until);
    harness.receive(&maria(), None, "alguém aí?").await.unwrap();
    let outcome = engine.run_turn(conversation).await.unwrap();

    assert!(!outcome.silenced);
    assert_eq!(harness.outbox(conversation).await, ["eco: alguém aí?"]);
}

async fn a_failing_brain_gets_the_patient_an_apology_not_the_error(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(BrokenBrain);
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();

    engine.run_turn(conversation).await.unwrap();

    let outbox = harness.outbox(conversation).await;
    assert_eq!(outbox.len(), 1);
    assert!(outbox[0].starts_with("Desculpe"), "{outbox:?}");
    assert!(!outbox[0].contains("sk-secret") && !outbox[0].contains("connection"), "{outbox:?}");
}

/// A proposal whose reply never went out (the brain failed after proposing) is taken back:
/// the patient's next "sim" cannot agree to a summary they never saw.
async fn a_proposal_the_patient_never_saw_is_withdrawn(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(ProposesThenFails);
    let conversation = harness.receive(&maria(), None, "botox amanhã à tarde").await.unwrap();

    engine.run_turn(conversation).await.unwrap();

    let stored = harness.store().conversation(conversation).await.unwrap().unwrap();
    let state = ConversationState::from_json(&stored.state);
    assert_eq!(state.pending, None, "{state:?}");
    assert!(!state.offered.is_empty(), "what the tools found is kept");
    assert!(harness.outbox(conversation).await[0].starts_with("Desculpe"));
}

conformance!(
    a_proposal_the_patient_never_saw_is_withdrawn,
    a_burst_of_three_messages_gets_one_reply,
    a_conversation_held_by_one_worker_is_refused_to_another,
    a_worker_that_dies_mid_turn_is_replaced_once_its_lease_expires,
    a_slow_turn_keeps_its_lease_past_the_lease_time,
    a_turn_whose_lease_another_worker_took_stops,
    a_human_owned_conversation_gets_no_bot_reply,
    a_pause_by_staff_ends_at_its_time,
    a_failing_brain_gets_the_patient_an_apology_not_the_error,
    a_takeover_during_the_draft_drops_the_bots_reply,
);

/// An agent takes the conversation (in Chatwoot) while the model is still thinking: the
/// draft is dropped, the patient's message is processed, and nothing is queued.
async fn a_takeover_during_the_draft_drops_the_bots_reply(db: TestDb) {
    let harness = Harness::on(db).await;
    let (brain, entered, release) = HeldBrain::new();
    let engine = Arc::new(harness.engine(brain));
    let conversation = harness.receive(&maria(), None, "oi, queria marcar botox").await.unwrap();

    let running = tokio::spawn({
        let engine = Arc::clone(&engine);
        async move { engine.run_turn(conversation).await }
    });
    entered.notified().await;
    let joana = sofia::store::StaffMember::parse("Joana Souza").unwrap();
    let (_, took_over) = engine.desk().take_over_conversation(conversation, &joana).await.unwrap();
    assert!(took_over);
    release.notify_one();
    let outcome = running.await.unwrap().unwrap();

    assert!(outcome.dropped && outcome.queued.is_empty(), "{outcome:?}");
    assert_eq!(outcome.answered.len(), 1, "the patient's message is not answered twice later");
    assert!(harness.outbox(conversation).await.is_empty(), "the bot never talks over the agent");
}

/// A message that arrives while the brain drafts makes the draft obsolete: the turn is redone
/// with it, and only the answer to everything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_arriving_during_the_draft_is_answered_in_the_same_reply() {
    let harness = Harness::sqlite().await;
    let (brain, entered, release) = HeldBrain::new();
    let engine = Arc::new(harness.engine(brain));
    let conversation = harness.receive(&maria(), None, "queria marcar").await.unwrap();

    let running = tokio::spawn({
        let engine = Arc::clone(&engine);
        async move { engine.run_turn(conversation).await }
    });
    entered.notified().await;
    harness.receive(&maria(), None, "limpeza de pele").await.unwrap();
    release.notify_one();
    entered.notified().await;
    release.notify_one();
    let outcome = running.await.unwrap().unwrap();

    assert_eq!(outcome.redone, 1);
    assert_eq!(harness.outbox(conversation).await, ["eco: queria marcar | limpeza de pele"]);
}
