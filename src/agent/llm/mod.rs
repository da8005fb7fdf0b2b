//! The LLM brain: a tool-calling agent on any OpenAI-compatible chat-completions endpoint,
//! a review of every reply it drafts, and a fallback chain ending in the rules brain.
//!
//! A turn: check the clinic's daily token budget and take a place among its running model
//! turns; prefetch the patient's appointments and packages (through the read tools, so they
//! are audited and in the trace like any other tool result); render the prompt (`prompts/`)
//! with the clinic's facts and the typed conversation state; send it with a window of recent
//! messages and a summary of older ones; run the tools the model calls until it replies; and
//! review the reply (`review`) before the engine sends it. Usage is stored per turn.
//!
//! Modules: `wire` (the JSON), `client` (HTTP and cassettes), `cassette` (record/replay),
//! `chain` (fallback across models), `prompt` and `view` (what the model reads), `history`
//! (window and summary), `turn` (the tool loop), `review` (checks of a draft reply, and safe replies),
//! `limits` (concurrency and budget), `tokens` (counting), `baseline` (the naive prompt the
//! token report compares against).

pub mod baseline;
mod cassette;
mod chain;
mod client;
mod config;
mod handover;
mod history;
mod limits;
mod prompt;
mod review;
pub mod tokens;
mod turn;
mod view;
pub mod wire;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::NaiveDate;

pub use cassette::{Cassette, CassetteError, Cassettes};
pub use client::ModelError;
pub use config::{LlmConfig, Price, PriceTable, parse_list};
pub use prompt::{PromptError, Prompts, prompt_hash};

use self::chain::ModelChain;
use self::client::{HttpModel, Transport};
use self::limits::ClinicLimits;
use self::turn::{Ending, Spent, TurnError};
use super::brain::{Brain, BrainError, BrainKind, Draft, Turn, Usage};
use super::tools::{ToolContext, Tools};
use crate::store::{LlmOutcome, LlmUsage, LlmUsageStore};

#[derive(Debug, thiserror::Error)]
pub enum LlmSetupError {
    #[error("{key}: {problem}")]
    Config { key: &'static str, problem: String },
    #[error(transparent)]
    Prompt(#[from] PromptError),
}

pub struct LlmBrain {
    chain: ModelChain,
    prompts: Prompts,
    limits: ClinicLimits,
    usage: Arc<dyn LlmUsageStore>,
    last_resort: Arc<dyn Brain>,
    max_steps: u32,
    /// Characters of the patient's turn sent to the model.
    max_input_chars: usize,
    prices: PriceTable,
    /// How long a turn waits for a place among its clinic's running model turns.
    wait_for_place: Duration,
    /// The model takes images (`llm.vision`).
    vision: bool,
}

impl LlmBrain {
    /// The brain `config` describes. `http` is the process's one HTTP client; `last_resort`
    /// answers when no model can (the rules brain).
    pub fn new(
        config: &LlmConfig,
        http: reqwest::Client,
        usage: Arc<dyn LlmUsageStore>,
        last_resort: Arc<dyn Brain>,
    ) -> Result<LlmBrain, LlmSetupError> {
        if let Some((key, problem)) = config.problem() {
            return Err(LlmSetupError::Config { key, problem });
        }
        let transport = match &config.replay_dir {
            Some(dir) => Transport::Replay(Cassettes::new(dir)),
            None if config.base_url.trim().is_empty() => {
                return Err(LlmSetupError::Config {
                    key: "llm.base_url",
                    problem: "is needed unless llm.replay_dir answers from cassettes".to_owned(),
                });
            }
            None => Transport::Live {
                http: HttpModel::new(http, &config.base_url, config.api_key.clone(), config.timeout()),
                record: config.record_dir.as_ref().map(Cassettes::new),
            },
        };
        Ok(LlmBrain {
            chain: ModelChain::new(transport, config.models(), config.max_tokens),
            prompts: Prompts::load(config.prompts_dir.as_deref())?,
            limits: ClinicLimits::new(
                config.concurrency_per_clinic,
                config.daily_token_budget,
                config.turns_per_patient_per_hour,
            ),
            max_input_chars: config.max_input_chars,
            usage,
            last_resort,
            max_steps: config.max_steps,
            prices: config.prices.clone(),
            wait_for_place: config.timeout(),
            vision: config.vision,
        })
    }

    /// The hash of the prompt templates in use, for eval reports.
    pub fn prompt_hash(&self) -> &str {
        self.prompts.hash()
    }

    async fn record(&self, ctx: &ToolContext<'_>, day: NaiveDate, spent: &Spent, outcome: LlmOutcome) {
        let usage = LlmUsage {
            clinic_id: ctx.clinic().id,
            conversation_id: Some(ctx.conversation()),
            day,
            model: spent.model.clone(),
            prompt_tokens: spent.prompt_tokens,
            completion_tokens: spent.completion_tokens,
            requests: spent.cursor.requests,
            cost_micro_usd: spent.cost_micro_usd,
            outcome,
            created_at: ctx.now(),
        };
        if let Err(error) = self.usage.record_llm_usage(&usage).await {
            // The patient's reply matters more than the bookkeeping.
            tracing::error!(error = &error as &dyn std::error::Error, "could not record LLM usage");
        }
    }

    /// The rules brain's reply, with what the models spent before it.
    async fn fall_back(
        &self,
        ctx: &mut ToolContext<'_>,
        tools: &Tools,
        turn: &Turn,
        spent: &Spent,
    ) -> Result<Draft, BrainError> {
        let mut draft = self.last_resort.reply(ctx, tools, turn).await?;
        if spent.cursor.requests > 0 {
            draft.usage = Some(usage_of(spent));
        }
        Ok(draft)
    }
}

fn usage_of(spent: &Spent) -> Usage {
    Usage {
        model: spent.model.clone().unwrap_or_default(),
        prompt_tokens: spent.prompt_tokens,
        completion_tokens: spent.completion_tokens,
        requests: spent.cursor.requests,
    }
}

#[async_trait]
impl Brain for LlmBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Llm
    }

    fn sees_images(&self) -> bool {
        self.vision
    }

    async fn reply(
        &self,
        ctx: &mut ToolContext<'_>,
        tools: &Tools,
        turn: &Turn,
    ) -> Result<Draft, BrainError> {
        let clinic = ctx.clinic();
        let day = ctx.now().with_timezone(&clinic.timezone).date_naive();
        let tenant = clinic.tenant.clone();
        let used = self.usage.llm_tokens_on(clinic.id, day).await.unwrap_or_else(|error| {
            tracing::error!(error = &error as &dyn std::error::Error, "could not read today's LLM usage");
            0
        });
        if self.limits.over_budget(used) {
            tracing::warn!(
                clinic = %tenant,
                used,
                budget = self.limits.daily_tokens(),
                "the clinic's daily LLM token budget is spent; the rules brain answers"
            );
            self.record(ctx, day, &Spent::default(), LlmOutcome::OverBudget).await;
            return self.last_resort.reply(ctx, tools, turn).await;
        }
        let hour_ago = ctx.now() - chrono::Duration::hours(1);
        let asked = self.usage.llm_turns_since(ctx.conversation(), hour_ago).await.unwrap_or_else(|error| {
            // Unknown is not over the limit: the daily budget still bounds the spend.
            tracing::error!(
                error = &error as &dyn std::error::Error,
                "could not count the patient's model turns"
            );
            0
        });
        if !self.limits.patient_may_ask(asked) {
            tracing::warn!(
                clinic = %tenant,
                phone = %ctx.phone().masked(),
                "the patient used this hour's model turns; the rules brain answers"
            );
            self.record(ctx, day, &Spent::default(), LlmOutcome::OverBudget).await;
            return self.last_resort.reply(ctx, tools, turn).await;
        }
        let Some(_place) = self.limits.enter(ctx.clinic().id, self.wait_for_place).await else {
            tracing::warn!(clinic = %tenant, "every model place of the clinic stayed busy; the rules brain answers");
            self.record(ctx, day, &Spent::default(), LlmOutcome::Busy).await;
            return self.last_resort.reply(ctx, tools, turn).await;
        };

        let mut spent = Spent::default();
        let ending = turn::run(self, ctx, tools, turn, &mut spent).await;
        let (draft, outcome) = match ending {
            Ok(Ending::Reply { text, outcome }) => {
                let text = review::showing_proposal(ctx.unshown_proposal(), text);
                let text = if spent.input_cut { format!("{text}\n\n{}", review::INPUT_CUT) } else { text };
                let bubbles = review::bubbles(&text)?;
                (Draft { bubbles, usage: Some(usage_of(&spent)) }, outcome)
            }
            Ok(Ending::NoModel(error)) => {
                tracing::warn!(clinic = %tenant, error = %error, "no model answered; falling back");
                // A write that happened must be told as it happened, not re-guessed.
                let draft = match &spent.last_write {
                    Some(told) => Draft { bubbles: review::bubbles(told)?, usage: Some(usage_of(&spent)) },
                    None => self.fall_back(ctx, tools, turn, &spent).await?,
                };
                (draft, LlmOutcome::FellBack)
            }
            Err(TurnError::Prompt(error)) => {
                tracing::error!(
                    error = &error as &dyn std::error::Error,
                    "the prompt could not be rendered; falling back"
                );
                (self.fall_back(ctx, tools, turn, &spent).await?, LlmOutcome::FellBack)
            }
            Err(TurnError::Replay(error)) => return Err(BrainError::Model(error.to_string())),
        };
        // A reminder is answered by the message right after it (docs/reminders.md): the model
        // saw it this turn, and later messages are about whatever the patient says next.
        ctx.state_mut().reminder = None;
        self.record(ctx, day, &spent, outcome).await;
        Ok(draft)
    }
}
