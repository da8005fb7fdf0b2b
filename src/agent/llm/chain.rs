//! The fallback chain: the primary model, then each fallback model, in order. A model that
//! times out, fails (5xx), refuses (4xx), answers something unusable (no choices, an empty
//! message, a tool call without a name) or stays rate limited is left for the rest of the
//! turn. A 429 is waited out once, when the server asks for a wait we can afford.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tracing::Instrument;

use super::client::{ModelError, Transport};
use super::tokens;
use super::wire::{ChatRequest, Message, ResponseToolCall, ToolDefinition};

/// The longest `Retry-After` worth waiting in a patient's turn; longer, the next model answers.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);
/// The wait after a 429 that named none.
const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);

pub struct ModelChain {
    transport: Transport,
    models: Vec<String>,
    max_tokens: u32,
}

/// A usable answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub model: String,
    /// Non-empty when there are no tool calls.
    pub content: Option<String>,
    pub tool_calls: Vec<ResponseToolCall>,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// Where one turn is in the chain.
#[derive(Debug, Default)]
pub struct Cursor {
    model: usize,
    /// Requests sent, retries included.
    pub requests: u32,
}

impl ModelChain {
    pub fn new(transport: Transport, models: Vec<String>, max_tokens: u32) -> ModelChain {
        ModelChain { transport, models, max_tokens }
    }

    /// The first usable answer from the current model onwards. `Err` carries the last
    /// model's failure once every model has failed, or a cassette problem at once (a replay
    /// that misses must fail loudly, not fall back).
    pub async fn ask(
        &self,
        cursor: &mut Cursor,
        messages: &[Message],
        tools: &[ToolDefinition],
        now: DateTime<Utc>,
    ) -> Result<Answer, ModelError> {
        let mut last = ModelError::Malformed("no model is configured".to_owned());
        while let Some(model) = self.models.get(cursor.model) {
            let request = ChatRequest {
                model: model.clone(),
                messages: messages.to_vec(),
                tools: tools.to_vec(),
                stream: false,
                max_tokens: self.max_tokens,
            };
            let json = serde_json::to_value(&request)
                .map_err(|error| ModelError::Malformed(format!("could not encode the request: {error}")))?;
            let mut waited = false;
            loop {
                cursor.requests += 1;
                let span = tracing::info_span!("model", %model, request = cursor.requests);
                let outcome = self
                    .transport
                    .send(&json, now)
                    .instrument(span)
                    .await
                    .and_then(|response| usable(model, response));
                match outcome {
                    Ok(mut answer) => {
                        if answer.prompt_tokens == 0 {
                            // The server did not report usage: the budget still counts it.
                            answer.prompt_tokens = saturate(tokens::request(messages, tools));
                            answer.completion_tokens = saturate(completion_estimate(&answer));
                        }
                        return Ok(answer);
                    }
                    Err(error @ ModelError::Cassette(_)) => return Err(error),
                    Err(ModelError::RateLimited { retry_after }) if !waited => {
                        let wait = retry_after.unwrap_or(DEFAULT_RETRY_WAIT);
                        if wait > MAX_RETRY_WAIT {
                            tracing::warn!(model = %model, wait_s = wait.as_secs(), "model rate limited for longer than a turn can wait; trying the next");
                            last = ModelError::RateLimited { retry_after };
                            break;
                        }
                        tracing::info!(model = %model, wait_ms = wait.as_millis() as u64, "model rate limited; waiting as asked");
                        tokio::time::sleep(wait).await;
                        waited = true;
                    }
                    Err(error) => {
                        tracing::warn!(model = %model, error = %error, "model failed; trying the next");
                        last = error;
                        break;
                    }
                }
            }
            cursor.model += 1;
        }
        Err(last)
    }
}

/// The answer of the first choice, if it says something or calls a tool.
fn usable(model: &str, response: super::wire::ChatResponse) -> Result<Answer, ModelError> {
    let usage = response.usage.unwrap_or_default();
    let Some(choice) = response.choices.into_iter().next() else {
        return Err(ModelError::Malformed("no choices".to_owned()));
    };
    let message = choice.message;
    if message.tool_calls.iter().any(|call| call.function.name.trim().is_empty()) {
        return Err(ModelError::Malformed("a tool call without a name".to_owned()));
    }
    let content = message.content.filter(|text| !text.trim().is_empty());
    if content.is_none() && message.tool_calls.is_empty() {
        return Err(ModelError::Malformed("an empty reply".to_owned()));
    }
    Ok(Answer {
        model: model.to_owned(),
        content,
        tool_calls: message.tool_calls,
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
    })
}

fn completion_estimate(answer: &Answer) -> usize {
    let calls: usize = answer
        .tool_calls
        .iter()
        .map(|call| tokens::count(&call.function.name) + tokens::count(&call.function.arguments))
        .sum();
    answer.content.as_deref().map_or(0, tokens::count) + calls
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
