//! The guards answer before any brain: emergency, opt-out, a request for a person.
use sofia_core::clock::Clock;

use sofia::engine::Guard;
use sofia::store::Owner;

use super::support::{EchoBrain, Harness, maria};
use crate::support::{TestDb, conformance};

async fn an_emergency_sends_the_patient_to_samu_and_calls_the_team(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "estou com falta de ar e dor no peito").await.unwrap();

    let outcome = engine.run_turn(conversation).await.unwrap();

    assert_eq!(outcome.guard, Some(Guard::Emergency));
    assert!(outcome.handoff);
    let reply = harness.outbox(conversation).await.join("\n");
    assert!(reply.contains("SAMU (192)"), "{reply}");
    let conversation = harness.store().conversation(conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Human);
}

async fn an_opt_out_is_recorded_and_confirmed_once(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), Some("Maria"), "PARAR").await.unwrap();

    let outcome = engine.run_turn(conversation).await.unwrap();
    assert_eq!(outcome.guard, Some(Guard::OptOut));
    let patient = harness.store().patient_by_phone(harness_clinic(), &maria()).await.unwrap().unwrap();
    assert_eq!(patient.opted_out_at, Some(harness.clock.now()));

    harness.receive(&maria(), None, "sair").await.unwrap();
    let again = engine.run_turn(conversation).await.unwrap();

    assert!(again.bubbles.is_empty(), "confirmed once only");
    let outbox = harness.outbox(conversation).await;
    assert_eq!(outbox.len(), 1);
    assert!(outbox[0].contains("não vai mais receber mensagens"), "{outbox:?}");
}

async fn asking_for_a_person_hands_off(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = harness.receive(&maria(), None, "quero falar com um atendente").await.unwrap();

    let outcome = engine.run_turn(conversation).await.unwrap();

    assert_eq!(outcome.guard, Some(Guard::AskedForHuman));
    assert!(outcome.handoff);
    assert_eq!(outcome.tool_calls[0].tool, "handoff_to_human");
    let handoffs = harness.store().handoffs(harness_clinic(), true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    harness.receive(&maria(), None, "oi?").await.unwrap();
    assert!(engine.run_turn(conversation).await.unwrap().silenced, "the human owns it now");
}

fn harness_clinic() -> sofia_core::domain::ClinicId {
    crate::support::demo_clinic().clinic.id
}

conformance!(
    an_emergency_sends_the_patient_to_samu_and_calls_the_team,
    an_opt_out_is_recorded_and_confirmed_once,
    asking_for_a_person_hands_off,
);
