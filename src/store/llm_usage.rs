//! What the LLM brain spent, per turn and clinic: tokens, requests, estimated cost, and the
//! turns the daily budget or the concurrency limit sent to the rules brain.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sofia_core::domain::{ClinicId, ConversationId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::{StoreError, StoreResult};

/// How an LLM-brain turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LlmOutcome {
    /// A model's reply, passed by the review.
    Answered,
    /// The review or the step limit replaced the model's reply with a safe one.
    SafeReply,
    /// Every model failed; the rules brain (or the tools' own words) answered.
    FellBack,
    /// The clinic's daily token budget was spent; the rules brain answered.
    OverBudget,
    /// The clinic's concurrency limit stayed full; the rules brain answered.
    Busy,
}

impl LlmOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LlmOutcome::Answered => "answered",
            LlmOutcome::SafeReply => "safe_reply",
            LlmOutcome::FellBack => "fell_back",
            LlmOutcome::OverBudget => "over_budget",
            LlmOutcome::Busy => "busy",
        }
    }

    pub fn parse(text: &str) -> Option<LlmOutcome> {
        [Self::Answered, Self::SafeReply, Self::FellBack, Self::OverBudget, Self::Busy]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// One turn's usage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LlmUsage {
    pub clinic_id: ClinicId,
    pub conversation_id: Option<ConversationId>,
    /// The clinic's local date.
    pub day: NaiveDate,
    /// The model that answered last; `None` when none was asked.
    pub model: Option<String>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub requests: u32,
    /// Millionths of a US dollar, when a price is configured for the models used.
    pub cost_micro_usd: Option<u64>,
    pub outcome: LlmOutcome,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait LlmUsageStore: Send + Sync {
    async fn record_llm_usage(&self, usage: &LlmUsage) -> StoreResult<()>;
    /// The LLM-brain turns of the conversation since `since` in which a model was asked
    /// (answered, replaced by a safe reply, or failed over): what the per-patient hourly limit
    /// counts. Turns the limits sent to the rules brain are not counted.
    async fn llm_turns_since(&self, conversation: ConversationId, since: DateTime<Utc>) -> StoreResult<u64>;
    /// Prompt plus completion tokens the clinic used on `day`.
    async fn llm_tokens_on(&self, clinic: ClinicId, day: NaiveDate) -> StoreResult<u64>;
    /// The clinic's rows of `day`, oldest first.
    async fn llm_usage_on(&self, clinic: ClinicId, day: NaiveDate) -> StoreResult<Vec<LlmUsage>>;
}

#[derive(sqlx::FromRow)]
struct LlmUsageRow {
    clinic_id: Uuid,
    conversation_id: Option<Uuid>,
    day: NaiveDate,
    model: Option<String>,
    prompt_tokens: i32,
    completion_tokens: i32,
    requests: i32,
    cost_micro_usd: Option<i64>,
    outcome: String,
    created_at: DateTime<Utc>,
}

impl TryFrom<LlmUsageRow> for LlmUsage {
    type Error = StoreError;

    fn try_from(row: LlmUsageRow) -> Result<Self, Self::Error> {
        let corrupt = |problem: String| StoreError::Corrupt { table: "llm_usage", problem };
        let count =
            |column: &str, value: i32| u32::try_from(value).map_err(|_| corrupt(format!("{column} {value}")));
        Ok(LlmUsage {
            clinic_id: ClinicId(row.clinic_id),
            conversation_id: row.conversation_id.map(ConversationId),
            day: row.day,
            model: row.model,
            prompt_tokens: count("prompt_tokens", row.prompt_tokens)?,
            completion_tokens: count("completion_tokens", row.completion_tokens)?,
            requests: count("requests", row.requests)?,
            cost_micro_usd: row
                .cost_micro_usd
                .map(|cost| u64::try_from(cost).map_err(|_| corrupt(format!("cost_micro_usd {cost}"))))
                .transpose()?,
            outcome: LlmOutcome::parse(&row.outcome)
                .ok_or_else(|| corrupt(format!("outcome '{}'", row.outcome)))?,
            created_at: row.created_at,
        })
    }
}

#[async_trait]
impl<DB> LlmUsageStore for SqlStore<DB>
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'q> Option<&'q str>: Encode<'q, DB>,
    for<'q> Json<&'q Value>: Encode<'q, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    Uuid: SqlType<DB>,
    Option<Uuid>: SqlType<DB>,
    String: SqlType<DB>,
    DateTime<Utc>: SqlType<DB>,
    Option<DateTime<Utc>>: SqlType<DB>,
    NaiveDate: SqlType<DB>,
    NaiveTime: SqlType<DB>,
    i16: SqlType<DB>,
    i32: SqlType<DB>,
    i64: SqlType<DB>,
    Option<i64>: SqlType<DB>,
    bool: SqlType<DB>,
    Vec<u8>: SqlType<DB>,
    Json<Value>: SqlType<DB>,
{
    async fn record_llm_usage(&self, usage: &LlmUsage) -> StoreResult<()> {
        let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        sqlx::query(
            "INSERT INTO llm_usage (id, clinic_id, conversation_id, day, model, prompt_tokens, \
             completion_tokens, requests, cost_micro_usd, outcome, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(Uuid::new_v4())
        .bind(usage.clinic_id.0)
        .bind(usage.conversation_id.map(|c| c.0))
        .bind(usage.day)
        .bind(usage.model.as_deref())
        .bind(clamp(usage.prompt_tokens))
        .bind(clamp(usage.completion_tokens))
        .bind(clamp(usage.requests))
        .bind(usage.cost_micro_usd.map(|cost| i64::try_from(cost).unwrap_or(i64::MAX)))
        .bind(usage.outcome.as_str())
        .bind(usage.created_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("record LLM usage"))?;
        Ok(())
    }

    async fn llm_turns_since(&self, conversation: ConversationId, since: DateTime<Utc>) -> StoreResult<u64> {
        let turns: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM llm_usage WHERE conversation_id = $1 AND created_at > $2 \
             AND outcome IN ($3, $4, $5)",
        )
        .bind(conversation.0)
        .bind(since)
        .bind(LlmOutcome::Answered.as_str())
        .bind(LlmOutcome::SafeReply.as_str())
        .bind(LlmOutcome::FellBack.as_str())
        // The writer: the turn that just ended on this replica must be counted by the next.
        .fetch_one(&self.writer)
        .await
        .map_err(StoreError::db("count a patient's model turns"))?;
        Ok(u64::try_from(turns).unwrap_or(0))
    }

    async fn llm_tokens_on(&self, clinic: ClinicId, day: NaiveDate) -> StoreResult<u64> {
        let total: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS BIGINT) \
             FROM llm_usage WHERE clinic_id = $1 AND day = $2",
        )
        .bind(clinic.0)
        .bind(day)
        .fetch_one(&self.reader)
        .await
        .map_err(StoreError::db("sum LLM usage"))?;
        Ok(u64::try_from(total).unwrap_or(0))
    }

    async fn llm_usage_on(&self, clinic: ClinicId, day: NaiveDate) -> StoreResult<Vec<LlmUsage>> {
        let rows: Vec<LlmUsageRow> = sqlx::query_as(
            "SELECT clinic_id, conversation_id, day, model, prompt_tokens, completion_tokens, requests, \
             cost_micro_usd, outcome, created_at FROM llm_usage WHERE clinic_id = $1 AND day = $2 \
             ORDER BY created_at, id",
        )
        .bind(clinic.0)
        .bind(day)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read LLM usage"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
