use chrono::NaiveDate;
use sofia::agent::llm::PriceTable;
use sofia::store::{LlmOutcome, LlmUsage};

use super::{Llm, PRIMARY, STAND_IN_REPLY, says};
use crate::support::TestDb;

const MONDAY: (i32, u32, u32) = (2026, 3, 2);

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(MONDAY.0, MONDAY.1, MONDAY.2).unwrap()
}

#[tokio::test]
async fn every_turn_s_usage_is_stored_with_its_estimated_cost() {
    let llm = Llm::with(TestDb::sqlite().await, |config| {
        config.prices = PriceTable::parse(&format!("{PRIMARY}=0.15/0.60")).unwrap();
    })
    .await;
    llm.script(PRIMARY, vec![says("Oi! Como posso ajudar?")]).await;
    let mut maria = llm.chat().await;
    llm.turn(&mut maria, &[], "oi").await.unwrap();

    let rows = llm.world.store().llm_usage_on(llm.world.clinic.id, monday()).await.unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.model.as_deref(), row.prompt_tokens, row.completion_tokens, row.requests, row.outcome),
        (Some(PRIMARY), 100, 10, 1, LlmOutcome::Answered)
    );
    // 100 × 0.15 + 10 × 0.60 micro-dollars.
    assert_eq!(row.cost_micro_usd, Some(21));
    assert_eq!(row.conversation_id, Some(maria.conversation));
}

#[tokio::test]
async fn over_the_daily_budget_the_rules_brain_answers_and_the_operator_can_see_it() {
    let llm = Llm::with(TestDb::sqlite().await, |config| config.daily_token_budget = 1_000).await;
    llm.script(PRIMARY, vec![says("Oi! Como posso ajudar?")]).await;
    let spent = LlmUsage {
        clinic_id: llm.world.clinic.id,
        conversation_id: None,
        day: monday(),
        model: Some(PRIMARY.to_owned()),
        prompt_tokens: 900,
        completion_tokens: 100,
        requests: 3,
        cost_micro_usd: None,
        outcome: LlmOutcome::Answered,
        created_at: llm.world.now(),
    };
    llm.world.store().record_llm_usage(&spent).await.unwrap();
    let mut maria = llm.chat().await;

    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert_eq!(super::patient_safe(&draft), STAND_IN_REPLY);
    assert!(llm.requests().await.is_empty(), "no model was asked");
    let rows = llm.world.store().llm_usage_on(llm.world.clinic.id, monday()).await.unwrap();
    let events: Vec<u32> =
        rows.iter().filter(|r| r.outcome == LlmOutcome::OverBudget).map(|r| r.requests).collect();
    assert_eq!(events, [0], "one over-budget event, and no request made");

    // Yesterday's spending does not count today.
    llm.world.clock.advance(chrono::Duration::days(1));
    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert_eq!(super::patient_safe(&draft), "Oi! Como posso ajudar?");
}

/// Every request bounds the answer, whatever the turn.
#[tokio::test]
async fn every_request_carries_max_tokens() {
    let llm = Llm::with(TestDb::sqlite().await, |config| config.max_tokens = 321).await;
    llm.script(
        PRIMARY,
        vec![
            super::call("find_slots", serde_json::json!({ "service": "botox", "date": "2026-03-03" })),
            says("Tenho 13:00 na terça. Pode ser?"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.turn(&mut maria, &[], "botox terça").await.unwrap();

    let requests = llm.requests().await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|request| request["max_tokens"] == 321), "{requests:?}");
}

/// A 10,000-character burst costs what 2,000 characters cost, and the patient is told.
#[tokio::test]
async fn a_very_long_message_is_cut_for_the_model_and_the_reply_says_so() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Entendi! Posso te ajudar a marcar uma avaliação.")]).await;
    let mut maria = llm.chat().await;
    let long = format!("quero marcar uma avaliação {}", "e também queria contar que ".repeat(400));

    let reply = super::patient_safe(&llm.turn(&mut maria, &[], &long).await.unwrap());

    let request = &llm.requests().await[0];
    let sent =
        request["messages"].as_array().unwrap().last().unwrap()["content"].as_str().unwrap().to_owned();
    assert!(sent.chars().count() <= 2_000 + 4, "{} characters sent", sent.chars().count());
    assert!(sent.starts_with("quero marcar uma avaliação") && sent.ends_with("[…]"), "{sent}");
    assert!(reply.starts_with("Entendi!"), "{reply}");
    assert!(reply.ends_with("pode me mandar em mensagens mais curtas? 😊"), "{reply}");
}

/// One number flooding the clinic cannot spend its budget: past its turns this hour, the
/// rules brain answers it, and other patients still get the model.
#[tokio::test]
async fn a_patient_past_their_model_turns_this_hour_gets_the_rules_brain() {
    let llm = Llm::with(TestDb::sqlite().await, |config| config.turns_per_patient_per_hour = 2).await;
    llm.script(PRIMARY, vec![says("Oi!"), says("Claro!"), says("Olá, João!")]).await;
    let mut maria = llm.chat().await;
    for _ in 0..2 {
        llm.turn(&mut maria, &[], "oi").await.unwrap();
    }

    let third = llm.turn(&mut maria, &[], "oi de novo").await.unwrap();

    assert_eq!(super::patient_safe(&third), STAND_IN_REPLY, "a reply, not silence");
    assert_eq!(llm.requests().await.len(), 2);
    let mut joao = llm.world.chat("+5511912345678", "João").await;
    let other = llm.turn(&mut joao, &[], "oi").await.unwrap();
    assert_eq!(super::patient_safe(&other), "Olá, João!");
    let rows = llm.world.store().llm_usage_on(llm.world.clinic.id, monday()).await.unwrap();
    assert_eq!(rows.iter().filter(|r| r.outcome == LlmOutcome::OverBudget).count(), 1);
}

/// The hourly limit is counted in the database, so another replica (or this one after a
/// restart) knows the turns the patient already had: three replicas do not give three times
/// the turns.
async fn another_replica_counts_the_turns_the_patient_had_elsewhere(db: TestDb) {
    let limit = |config: &mut sofia::agent::llm::LlmConfig| config.turns_per_patient_per_hour = 2;
    let mut llm = Llm::with(db, limit).await;
    llm.script(PRIMARY, vec![says("Oi!"), says("Claro!"), says("Mais alguma coisa?")]).await;
    let mut maria = llm.chat().await;
    for _ in 0..2 {
        llm.turn(&mut maria, &[], "oi").await.unwrap();
    }

    let mut config = super::config(&llm.server);
    limit(&mut config);
    llm.brain = sofia::agent::llm::LlmBrain::new(
        &config,
        reqwest::Client::new(),
        llm.world.store().clone(),
        std::sync::Arc::new(super::StandInRulesBrain),
    )
    .unwrap();
    let third = llm.turn(&mut maria, &[], "oi de novo").await.unwrap();

    assert_eq!(super::patient_safe(&third), STAND_IN_REPLY);
    assert_eq!(llm.requests().await.len(), 2, "the model was asked twice in all");
}

#[tokio::test]
async fn another_replica_counts_the_turns_the_patient_had_elsewhere_on_sqlite() {
    another_replica_counts_the_turns_the_patient_had_elsewhere(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn another_replica_counts_the_turns_the_patient_had_elsewhere_on_postgres() {
    another_replica_counts_the_turns_the_patient_had_elsewhere(TestDb::postgres().await).await;
}
