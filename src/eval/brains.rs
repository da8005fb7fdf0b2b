//! The brain a run uses (`--brain rules|llm`), built in one place so the record/replay
//! options and the model's name reach the report.

use std::sync::Arc;

use super::options::{BrainChoice, EvalArgs};
use crate::agent::{Brain, LlmBrain, RulesBrain};
use crate::config::Config;
use crate::store::{self, LlmUsageStore};

#[derive(Debug, thiserror::Error)]
pub enum BrainSetupError {
    #[error("--record and --replay are for the LLM brain (--brain llm)")]
    CassettesNeedTheLlm,
    #[error("--brain llm needs llm.base_url (or --replay DIR): {0}")]
    Llm(String),
    #[error("cannot open the store for the LLM usage records: {0}")]
    UsageStore(String),
}

/// The brain, and the model it asks (for the report).
pub struct ChosenBrain {
    pub brain: Arc<dyn Brain>,
    pub model: Option<String>,
    /// The hash of the prompt templates the LLM brain renders (embedded or overridden).
    pub prompts_hash: Option<String>,
}

pub async fn build(args: &EvalArgs, config: &Config) -> Result<ChosenBrain, BrainSetupError> {
    let rules: Arc<dyn Brain> = Arc::new(RulesBrain);
    match args.brain {
        BrainChoice::Rules if args.record.is_some() || args.replay.is_some() => {
            Err(BrainSetupError::CassettesNeedTheLlm)
        }
        BrainChoice::Rules => Ok(ChosenBrain { brain: rules, model: None, prompts_hash: None }),
        BrainChoice::Llm => {
            let mut llm = config.llm.clone();
            if let Some(dir) = &args.record {
                llm.record_dir = Some(dir.clone());
            }
            if let Some(dir) = &args.replay {
                llm.replay_dir = Some(dir.clone());
            }
            // Usage rows of an eval run are not the clinic's: they go to a scratch database.
            let scratch =
                std::env::temp_dir().join(format!("sofia-eval-usage-{}.db", uuid::Uuid::new_v4().simple()));
            let usage = store::open(&format!("sqlite://{}", scratch.display()))
                .await
                .map_err(|error| BrainSetupError::UsageStore(error.to_string()))?;
            let usage: Arc<dyn LlmUsageStore> = usage;
            let brain = LlmBrain::new(&llm, reqwest::Client::new(), usage, rules)
                .map_err(|error| BrainSetupError::Llm(error.to_string()))?;
            let prompts_hash = Some(brain.prompt_hash().to_owned());
            Ok(ChosenBrain { brain: Arc::new(brain), model: Some(llm.model.clone()), prompts_hash })
        }
    }
}
