//! What a chat request costs in tokens: its texts, counted by [`crate::tokens`], plus what the
//! chat format adds around them.

pub use crate::tokens::count;

use super::wire::{Message, ToolDefinition};

/// What every chat message costs beyond its text (role and separators), per OpenAI's guide.
const PER_MESSAGE: usize = 4;
/// The tokens that prime the assistant's reply.
const PER_REQUEST: usize = 3;

pub fn message(message: &Message) -> usize {
    PER_MESSAGE + count(&message.text())
}

/// The prompt tokens of a request: its messages and its tool definitions.
pub fn request(messages: &[Message], tools: &[ToolDefinition]) -> usize {
    let tools = if tools.is_empty() { 0 } else { count(&serde_json::to_string(tools).unwrap_or_default()) };
    PER_REQUEST + messages.iter().map(message).sum::<usize>() + tools
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_message_costs_its_framing() {
        assert_eq!(message(&Message::user("")), PER_MESSAGE);
    }
}
