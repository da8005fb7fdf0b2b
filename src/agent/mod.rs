//! The agent: the brains (rules and LLM) and the tools they act through.

pub mod brain;
pub mod llm;
pub mod tools;

pub use brain::{Brain, BrainError, BrainKind, Draft, HistoryEntry, Speaker, Turn, Usage};
pub use llm::{LlmBrain, LlmConfig};
