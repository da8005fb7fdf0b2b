//! The handoff lifecycle through the real engine: Sofia calls the team, the patient hears once
//! that the team knows, a person writes, the bot stays silent, and the conversation comes back
//! to the bot when the team resolves it or nobody from the team writes for a day.

mod command;

use chrono::Duration;
use futures_util::future::join_all;
use sofia::handoff::{DeskError, StaffMessage};
use sofia::store::{Author, HandoffOrigin, Owner, ResolvedBy, StaffMember};
use sofia_core::clock::Clock;
use sofia_core::conversation::Handover;
use sofia_core::domain::{ConversationId, HandoffId, InteractionKind, Phone};

use crate::engine::support::{EchoBrain, Harness, maria};
use crate::support::{TestDb, conformance, demo_clinic};

conformance!(
    a_waiting_patient_hears_once_that_the_team_knows,
    out_of_hours_the_patient_hears_when_the_team_is_back,
    the_bot_is_silent_while_a_person_answers_and_answers_again_once_resolved,
    a_person_writing_first_takes_the_conversation_over,
    a_patient_a_person_already_answered_needs_no_acknowledgement,
    a_conversation_nobody_answers_for_a_day_returns_to_the_bot_at_the_next_message,
    the_sweep_returns_idle_conversations_without_a_message,
    resolving_an_unknown_or_resolved_handoff_says_which,
    an_emergency_is_never_met_with_silence,
    a_hundred_conversations_handed_off_and_resolved_at_once_all_come_back_to_the_bot,
);

fn carla() -> StaffMember {
    StaffMember::parse("Carla").unwrap()
}

fn says(text: &str) -> StaffMessage {
    StaffMessage { text: text.to_owned(), by: carla(), reference: None }
}

/// Maria, a known patient, asks for a person: the conversation is the team's.
async fn handed_off(harness: &Harness, engine: &sofia::engine::Engine) -> ConversationId {
    let clinic = demo_clinic().clinic.id;
    harness.store().upsert_patient(clinic, &maria(), Some("Maria"), harness.clock.now()).await.unwrap();
    let conversation = harness.receive(&maria(), Some("Maria"), "quero falar com uma pessoa").await.unwrap();
    assert!(engine.run_turn(conversation).await.unwrap().handoff);
    conversation
}

async fn timeline(harness: &Harness) -> Vec<InteractionKind> {
    let clinic = demo_clinic().clinic.id;
    let patient = harness.store().patient_by_phone(clinic, &maria()).await.unwrap().unwrap();
    harness.store().interactions(clinic, patient.id).await.unwrap().into_iter().map(|i| i.kind).collect()
}

async fn a_waiting_patient_hears_once_that_the_team_knows(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;

    harness.receive(&maria(), None, "oi?").await.unwrap();
    let first = engine.run_turn(conversation).await.unwrap();
    harness.receive(&maria(), None, "alguém aí?").await.unwrap();
    let second = engine.run_turn(conversation).await.unwrap();

    assert!(first.silenced && second.silenced, "the bot does not answer the messages themselves");
    assert_eq!(
        first.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>(),
        ["Já avisei nossa equipe; em breve alguém continua com você por aqui."]
    );
    assert!(second.bubbles.is_empty(), "said once, not per message");
    assert!(matches!(second.state.handover, Handover::WithTeam { acknowledged: true, .. }));
    assert_eq!(harness.outbox(conversation).await.len(), 2, "the handoff message and the acknowledgement");
}

async fn out_of_hours_the_patient_hears_when_the_team_is_back(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    // Monday 20:00 in São Paulo: the clinic closed at 19:00.
    harness.clock.advance(Duration::hours(11));
    let conversation = handed_off(&harness, &engine).await;

    harness.receive(&maria(), None, "oi?").await.unwrap();
    let outcome = engine.run_turn(conversation).await.unwrap();

    assert_eq!(
        outcome.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>(),
        ["Nossa equipe volta amanhã, terça, às 9h, e continua com você por aqui."]
    );
}

async fn the_bot_is_silent_while_a_person_answers_and_answers_again_once_resolved(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    harness.clock.advance(Duration::minutes(5));

    let wrote = engine.desk().staff_wrote(conversation, &says("Oi Maria, aqui é a Carla!")).await.unwrap();
    harness.receive(&maria(), None, "oi Carla, tudo bem?").await.unwrap();
    let while_human = engine.run_turn(conversation).await.unwrap();

    assert!(!wrote.took_over, "Sofia had handed it off already");
    assert!(while_human.silenced && while_human.bubbles.is_empty());
    let transcript = harness.store().transcript(conversation).await.unwrap();
    let carla_wrote = transcript.iter().find(|m| m.body == "Oi Maria, aqui é a Carla!").unwrap();
    assert_eq!(carla_wrote.author, Author::Agent, "the team's message is not the bot's");

    let resolved = engine.desk().resolve(wrote.handoff.id, &carla()).await.unwrap();
    harness.receive(&maria(), None, "obrigada!").await.unwrap();
    let after = engine.run_turn(conversation).await.unwrap();

    assert_eq!(resolved.resolved_by, Some(ResolvedBy::Staff(carla())));
    assert!(!after.silenced);
    assert_eq!(after.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>(), ["eco: obrigada!"]);
    assert!(matches!(after.state.handover, Handover::Returned { .. }));
    let owner = harness.store().conversation(conversation).await.unwrap().unwrap().owner;
    assert_eq!(owner, Owner::Bot);
    assert_eq!(timeline(&harness).await, [InteractionKind::Handoff, InteractionKind::HandoffResolved]);
}

async fn a_person_writing_first_takes_the_conversation_over(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let clinic = demo_clinic().clinic.id;
    harness.store().upsert_patient(clinic, &maria(), Some("Maria"), harness.clock.now()).await.unwrap();
    let conversation = harness.receive(&maria(), None, "oi").await.unwrap();
    engine.run_turn(conversation).await.unwrap();

    let wrote =
        engine.desk().staff_wrote(conversation, &says("Maria, vi sua mensagem, já te ajudo")).await.unwrap();
    harness.receive(&maria(), None, "ok!").await.unwrap();
    let outcome = engine.run_turn(conversation).await.unwrap();

    assert!(wrote.took_over);
    assert_eq!((wrote.handoff.origin, wrote.handoff.assignee.clone()), (HandoffOrigin::Staff, Some(carla())));
    assert!(outcome.silenced && outcome.bubbles.is_empty(), "a person is talking: no acknowledgement");
    let conversation = harness.store().conversation(conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Human);
    assert_eq!(conversation.human_wrote_at, Some(harness.clock.now()));
    assert_eq!(timeline(&harness).await, [InteractionKind::TakenOver]);
}

async fn a_patient_a_person_already_answered_needs_no_acknowledgement(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    engine.desk().staff_wrote(conversation, &says("Oi Maria!")).await.unwrap();

    harness.receive(&maria(), None, "oi!").await.unwrap();
    let outcome = engine.run_turn(conversation).await.unwrap();

    assert!(outcome.silenced && outcome.bubbles.is_empty());
}

async fn a_conversation_nobody_answers_for_a_day_returns_to_the_bot_at_the_next_message(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    harness.clock.advance(Duration::hours(23));
    harness.receive(&maria(), None, "oi?").await.unwrap();
    assert!(engine.run_turn(conversation).await.unwrap().silenced, "23 h: still the team's");

    harness.clock.advance(Duration::hours(1));
    harness.receive(&maria(), None, "tem alguém?").await.unwrap();
    let outcome = engine.run_turn(conversation).await.unwrap();

    assert!(!outcome.silenced);
    assert_eq!(outcome.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>(), ["eco: tem alguém?"]);
    let handoffs = harness.store().handoffs(demo_clinic().clinic.id, false).await.unwrap();
    assert_eq!(handoffs[0].resolved_by, Some(ResolvedBy::Idle));
    assert_eq!(timeline(&harness).await, [InteractionKind::Handoff, InteractionKind::ReturnedToBot]);
}

async fn the_sweep_returns_idle_conversations_without_a_message(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    harness.clock.advance(Duration::hours(10));
    engine.desk().staff_wrote(conversation, &says("Oi Maria!")).await.unwrap();

    harness.clock.advance(Duration::hours(20));
    assert!(engine.desk().return_idle().await.unwrap().is_empty(), "Carla wrote 20 h ago");
    harness.clock.advance(Duration::hours(4));
    let returned = engine.desk().return_idle().await.unwrap();

    assert_eq!(returned.iter().map(|h| h.conversation_id).collect::<Vec<_>>(), [conversation]);
    let owner = harness.store().conversation(conversation).await.unwrap().unwrap().owner;
    assert_eq!(owner, Owner::Bot);
    assert!(engine.desk().return_idle().await.unwrap().is_empty(), "returned once");
}

async fn resolving_an_unknown_or_resolved_handoff_says_which(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    let open = harness.store().open_handoff_of(conversation).await.unwrap().unwrap();
    engine.desk().resolve(open.id, &carla()).await.unwrap();

    let twice = engine.desk().resolve(open.id, &carla()).await;
    let unknown = engine.desk().resolve(HandoffId::new_random(), &carla()).await;

    assert!(matches!(twice, Err(DeskError::AlreadyResolved { id, .. }) if id == open.id), "{twice:?}");
    assert!(matches!(unknown, Err(DeskError::UnknownHandoff(_))), "{unknown:?}");
    assert!(twice.unwrap_err().to_string().contains("by Carla"));
}

async fn an_emergency_is_never_met_with_silence(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let conversation = handed_off(&harness, &engine).await;
    engine.desk().staff_wrote(conversation, &says("Oi Maria, já vejo seus horários")).await.unwrap();

    harness.receive(&maria(), None, "estou com falta de ar").await.unwrap();
    let emergency = engine.run_turn(conversation).await.unwrap();
    harness.receive(&maria(), None, "oi?").await.unwrap();
    let after = engine.run_turn(conversation).await.unwrap();

    assert!(emergency.silenced, "the team keeps the conversation");
    let reply = emergency.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>().join("\n");
    assert!(
        reply.contains("SAMU (192)") && reply.contains("Nossa equipe já está com a sua conversa"),
        "{reply}"
    );
    assert!(!emergency.handoff, "the team already has it: no second handoff");
    assert_eq!(harness.store().handoffs(demo_clinic().clinic.id, false).await.unwrap().len(), 1);
    assert!(after.bubbles.is_empty());
}

/// 100 patients ask for a person at once, then the team resolves every handoff at once: no
/// conversation is left with the team or paused, no handoff stays open, and each patient's next
/// message gets the bot's answer.
async fn a_hundred_conversations_handed_off_and_resolved_at_once_all_come_back_to_the_bot(db: TestDb) {
    let harness = Harness::on(db).await;
    let engine = harness.engine(EchoBrain);
    let clinic = demo_clinic().clinic.id;
    let phones: Vec<Phone> =
        (0..100).map(|i| Phone::parse(&format!("+55119{:08}", 70_000_000 + i)).unwrap()).collect();

    let (harness, engine) = (&harness, &engine);
    let handed = join_all(phones.iter().map(|phone| async move {
        let conversation =
            harness.receive(phone, Some("Paciente"), "quero falar com uma pessoa").await.unwrap();
        assert!(engine.run_turn(conversation).await.unwrap().handoff, "{phone:?} was handed off");
        conversation
    }))
    .await;
    assert_eq!(harness.store().handoffs(clinic, true).await.unwrap().len(), 100);

    let desk = engine.desk();
    let team = carla();
    join_all(handed.iter().map(|conversation| desk.resolve_conversation(*conversation, &team)))
        .await
        .into_iter()
        .for_each(|resolved| assert!(resolved.is_ok(), "{resolved:?}"));

    assert!(harness.store().handoffs(clinic, true).await.unwrap().is_empty(), "no handoff left open");
    let answers = join_all(phones.iter().zip(&handed).map(|(phone, conversation)| async move {
        harness.receive(phone, None, "voltei").await.unwrap();
        let owner = harness.store().conversation(*conversation).await.unwrap().unwrap().owner;
        (owner, engine.run_turn(*conversation).await.unwrap())
    }))
    .await;
    for (owner, answer) in answers {
        assert_eq!(owner, Owner::Bot, "neither with the team nor paused");
        assert!(!answer.silenced);
        assert_eq!(answer.bubbles.iter().map(|b| b.plain_text()).collect::<Vec<_>>(), ["eco: voltei"]);
    }
}
