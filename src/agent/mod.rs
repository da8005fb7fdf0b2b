//! The agent: the brains (rules and LLM) and the tools they act through.

pub mod brain;
pub mod llm;
pub mod rules;
pub mod tools;

pub use brain::{Brain, BrainError, BrainKind, Draft, HistoryEntry, Speaker, Turn, Usage};
pub use llm::{LlmBrain, LlmConfig};
pub use rules::RulesBrain;
