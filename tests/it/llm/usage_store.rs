//! The LLM usage store, on both backends.

use chrono::NaiveDate;
use sofia::store::{LlmOutcome, LlmUsage};
use sofia_core::domain::ClinicId;

use crate::support::{TestDb, at, conformance};
use crate::tools::{NOW, World};

conformance!(usage_is_summed_per_clinic_and_day, rows_read_back_as_written);

fn row(clinic: ClinicId, day: &str, prompt: u32, completion: u32, outcome: LlmOutcome) -> LlmUsage {
    LlmUsage {
        clinic_id: clinic,
        conversation_id: None,
        day: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
        model: Some("gpt-4o-mini".to_owned()),
        prompt_tokens: prompt,
        completion_tokens: completion,
        requests: 2,
        cost_micro_usd: Some(123),
        outcome,
        created_at: at(NOW),
    }
}

async fn usage_is_summed_per_clinic_and_day(db: TestDb) {
    let world = World::new(db).await;
    let store = world.store();
    let clinic = world.clinic.id;
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    assert_eq!(store.llm_tokens_on(clinic, day).await.unwrap(), 0);
    store.record_llm_usage(&row(clinic, "2026-03-02", 1_000, 50, LlmOutcome::Answered)).await.unwrap();
    store.record_llm_usage(&row(clinic, "2026-03-02", 2_000, 70, LlmOutcome::SafeReply)).await.unwrap();
    store.record_llm_usage(&row(clinic, "2026-03-01", 9_999, 1, LlmOutcome::Answered)).await.unwrap();
    assert_eq!(store.llm_tokens_on(clinic, day).await.unwrap(), 3_120);
    let other = ClinicId(uuid::Uuid::new_v4());
    assert_eq!(store.llm_tokens_on(other, day).await.unwrap(), 0);
}

async fn rows_read_back_as_written(db: TestDb) {
    let world = World::new(db).await;
    let store = world.store();
    let maria = world.chat(crate::tools::MARIA, "Maria").await;
    let mut written = row(world.clinic.id, "2026-03-02", 10, 1, LlmOutcome::OverBudget);
    written.conversation_id = Some(maria.conversation);
    written.model = None;
    written.cost_micro_usd = None;
    store.record_llm_usage(&written).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    assert_eq!(store.llm_usage_on(world.clinic.id, day).await.unwrap(), [written]);
}
