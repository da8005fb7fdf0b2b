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
