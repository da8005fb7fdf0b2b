//! The `[llm]` section of the configuration (README.md, "Configuration"; every key in `sofia.example.toml`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use crate::secret::Secret;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// The OpenAI-compatible endpoint, up to and including the version
    /// (`https://api.openai.com/v1`, `http://localhost:11434/v1`). Empty: no model; the rules
    /// brain answers.
    pub base_url: String,
    /// Sent as `Authorization: Bearer …`; empty sends none (Ollama, vLLM without a key).
    pub api_key: Secret,
    pub model: String,
    /// Tried in order when the model before them times out, is rate limited past the wait we
    /// accept, fails or answers something unusable. The rules brain comes after the last one.
    pub fallback_models: Vec<String>,
    /// Per request.
    pub timeout_s: u64,
    /// Model requests in one turn (tool-loop steps, the corrective retry) before a safe reply.
    pub max_steps: u32,
    /// Model turns of one clinic running at once; more wait for a place.
    pub concurrency_per_clinic: u32,
    /// Prompt plus completion tokens one clinic may spend per day (its own calendar day);
    /// over it, the rules brain answers. 0: no limit.
    pub daily_token_budget: u64,
    /// The longest answer asked of a model (`max_tokens` on every request): a WhatsApp reply
    /// or a tool call, never an essay.
    pub max_tokens: u32,
    /// Characters of the patient's messages of one turn sent to the model; the rest is cut,
    /// and the reply says so.
    pub max_input_chars: usize,
    /// Model turns one patient may cause per hour; past it, the rules brain answers them.
    /// 0: no limit.
    pub turns_per_patient_per_hour: u32,
    /// US dollars per million tokens, `model=prompt/completion` separated by commas
    /// (`gpt-4o-mini=0.15/0.60`), to estimate each turn's cost. Empty: costs are not estimated.
    pub prices: PriceTable,
    /// Save every model request and response here as a cassette (empty: off).
    #[serde(deserialize_with = "optional_dir")]
    pub record_dir: Option<PathBuf>,
    /// Answer from cassettes in this folder instead of a server: no key, no network (empty: off).
    #[serde(deserialize_with = "optional_dir")]
    pub replay_dir: Option<PathBuf>,
    /// Prompt templates here replace the embedded ones with the same file name (empty: off).
    #[serde(deserialize_with = "optional_dir")]
    pub prompts_dir: Option<PathBuf>,
    /// The model takes images: photos patients send reach it as image content parts. Off, a
    /// photo without words gets a fixed reply instead (docs/media.md).
    pub vision: bool,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            base_url: String::new(),
            api_key: Secret::new(""),
            model: "gpt-4o-mini".to_owned(),
            fallback_models: Vec::new(),
            timeout_s: 30,
            max_steps: 8,
            concurrency_per_clinic: 4,
            daily_token_budget: 5_000_000,
            max_tokens: 800,
            max_input_chars: 2_000,
            turns_per_patient_per_hour: 30,
            prices: PriceTable::default(),
            record_dir: None,
            replay_dir: None,
            prompts_dir: None,
            vision: false,
        }
    }
}

impl LlmConfig {
    /// Whether a model brain can run: a server to ask, or cassettes to answer from.
    pub fn is_enabled(&self) -> bool {
        !self.base_url.trim().is_empty() || self.replay_dir.is_some()
    }

    /// The models to try, in order.
    pub fn models(&self) -> Vec<String> {
        std::iter::once(&self.model)
            .chain(&self.fallback_models)
            .map(|model| model.trim().to_owned())
            .filter(|model| !model.is_empty())
            .collect()
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_s)
    }

    /// What is wrong with the section, if anything, as `(key, problem)`.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        if self.models().is_empty() {
            return Some(("llm.model", "must name a model".to_owned()));
        }
        let base = self.base_url.trim();
        if !(base.is_empty() || base.starts_with("http://") || base.starts_with("https://")) {
            return Some(("llm.base_url", "must start with http:// or https://".to_owned()));
        }
        if self.timeout_s == 0 {
            return Some(("llm.timeout_s", "must be at least 1".to_owned()));
        }
        if self.max_steps == 0 {
            return Some(("llm.max_steps", "must be at least 1".to_owned()));
        }
        if self.concurrency_per_clinic == 0 {
            return Some(("llm.concurrency_per_clinic", "must be at least 1".to_owned()));
        }
        if self.max_tokens == 0 {
            return Some(("llm.max_tokens", "must be at least 1".to_owned()));
        }
        if self.max_input_chars < 100 {
            return Some(("llm.max_input_chars", "must be at least 100".to_owned()));
        }
        None
    }
}

/// A comma-separated list as the environment gives it: `a, b`.
pub fn parse_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()
}

/// The price of a model's tokens, in US dollars per million.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub prompt: f64,
    pub completion: f64,
}

impl Price {
    /// The estimated cost in millionths of a dollar.
    pub fn micro_usd(self, prompt_tokens: u64, completion_tokens: u64) -> u64 {
        // Tokens × dollars per million tokens = micro-dollars.
        let cost = prompt_tokens as f64 * self.prompt + completion_tokens as f64 * self.completion;
        cost.round() as u64
    }
}

/// Prices by model name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriceTable(BTreeMap<String, Price>);

impl PriceTable {
    /// Reads `model=prompt/completion, …`.
    pub fn parse(text: &str) -> Result<PriceTable, String> {
        let mut table = BTreeMap::new();
        for entry in parse_list(text) {
            let problem =
                || format!("'{entry}' is not model=prompt/completion, such as gpt-4o-mini=0.15/0.60");
            let (model, prices) = entry.rsplit_once('=').ok_or_else(problem)?;
            let (prompt, completion) = prices.split_once('/').ok_or_else(problem)?;
            let number = |text: &str| text.trim().parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0);
            let (Some(prompt), Some(completion)) = (number(prompt), number(completion)) else {
                return Err(problem());
            };
            table.insert(model.trim().to_owned(), Price { prompt, completion });
        }
        Ok(PriceTable(table))
    }

    pub fn get(&self, model: &str) -> Option<Price> {
        self.0.get(model).copied()
    }
}

impl<'de> Deserialize<'de> for PriceTable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        PriceTable::parse(&String::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// An empty string means "not set", so the example file can show every key.
fn optional_dir<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<PathBuf>, D::Error> {
    Ok(Some(String::deserialize(deserializer)?).filter(|dir| !dir.trim().is_empty()).map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_read_as_the_environment_writes_them() {
        let table = PriceTable::parse("gpt-4o-mini=0.15/0.60, llama3=0/0").unwrap();
        assert_eq!(table.get("gpt-4o-mini"), Some(Price { prompt: 0.15, completion: 0.60 }));
        assert_eq!(table.get("llama3").map(|p| p.micro_usd(1000, 1000)), Some(0));
        assert_eq!(table.get("gpt-4o"), None);
        assert_eq!(PriceTable::parse("").unwrap(), PriceTable::default());
        let error = PriceTable::parse("gpt-4o=cheap").unwrap_err();
        assert!(error.contains("'gpt-4o=cheap'"), "{error}");
        assert!(PriceTable::parse("m=-1/2").is_err(), "negative prices are refused");
    }

    #[test]
    fn a_million_tokens_cost_the_listed_price() {
        let price = Price { prompt: 0.15, completion: 0.60 };
        assert_eq!(price.micro_usd(1_000_000, 0), 150_000);
        assert_eq!(price.micro_usd(2_000, 500), 600);
    }

    #[test]
    fn the_model_brain_is_off_until_a_server_or_cassettes_are_given() {
        let mut config = LlmConfig::default();
        assert!(!config.is_enabled());
        config.replay_dir = Some(PathBuf::from("evals/cassettes/llm"));
        assert!(config.is_enabled());
        config.fallback_models = vec![" ".into(), "gpt-4o".into()];
        assert_eq!(config.models(), ["gpt-4o-mini", "gpt-4o"]);
        config.base_url = "localhost:11434".into();
        assert_eq!(config.problem().map(|p| p.0), Some("llm.base_url"));
    }
}
