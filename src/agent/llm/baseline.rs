//! The naive prompt the token report compares against: the same persona and rules, the whole
//! clinic file as text, every tool with its full generated schema, and the whole conversation
//! so far, tool calls and results included, on every request. It is what an agent with a
//! plain message memory sends; ours sends the state instead of old tool traffic, a window of
//! the history, the descriptions of the services in play, and the tools that can apply.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sofia_core::clinic::Clinic;

use super::prompt::{PromptError, Prompts};
use super::tokens;
use super::view::PromptView;
use super::wire::Message;
use crate::agent::tools::Tools;

pub struct NaiveBaseline {
    /// The system message and every tool: what each naive request starts with.
    fixed: usize,
}

impl NaiveBaseline {
    /// `clinic_text` is the clinic's file (`knowledge/<tenant>/clinic.yaml`) as it is written.
    pub fn new(
        prompts: &Prompts,
        clinic: &Clinic,
        clinic_text: &str,
        tools: &Tools,
        now: DateTime<Utc>,
    ) -> Result<Self, PromptError> {
        let view = PromptView::naive(clinic, now);
        let system = Message::system(format!(
            "{}\n\n{}\n\nA clínica (arquivo completo):\n{clinic_text}",
            prompts.render("persona.j2", &view)?,
            prompts.render("rules.j2", &view)?
        ));
        let tools: Vec<Value> = tools
            .schemas()
            .into_iter()
            .map(|schema| json!({ "type": "function", "function": schema }))
            .collect();
        let tools = tokens::count(&Value::Array(tools).to_string());
        Ok(NaiveBaseline { fixed: tokens::request(&[system], &[]) + tools })
    }

    /// The prompt tokens of a naive request carrying `conversation` (every message after the
    /// system one).
    pub fn request_tokens(&self, conversation: &[Message]) -> usize {
        self.fixed + conversation.iter().map(tokens::message).sum::<usize>()
    }
}

/// The prompt tokens of a request as it was sent (its JSON body).
pub fn sent_tokens(request: &Value) -> usize {
    let messages: Vec<Message> = request["messages"]
        .as_array()
        .map(|items| items.iter().filter_map(|item| serde_json::from_value(item.clone()).ok()).collect())
        .unwrap_or_default();
    let tools = match &request["tools"] {
        Value::Array(tools) if !tools.is_empty() => tokens::count(&request["tools"].to_string()),
        _ => 0,
    };
    tokens::request(&messages, &[]) + tools
}
