//! Token counts, with the o200k BPE (GPT-4o family) compiled into the binary: nothing is
//! downloaded at run time. Other models tokenise differently, so for them the counts are
//! estimates — good enough to budget history and compare prompts, which is all they are for.

use super::wire::{Message, ToolDefinition};

/// What every chat message costs beyond its text (role and separators), per OpenAI's guide.
const PER_MESSAGE: usize = 4;
/// The tokens that prime the assistant's reply.
const PER_REQUEST: usize = 3;

pub fn count(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton().encode_ordinary(text).len()
}

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
    fn portuguese_text_is_counted_offline() {
        assert_eq!(count(""), 0);
        let short = count("Oi! Queria marcar botox amanhã à tarde");
        assert!((5..20).contains(&short), "{short}");
        assert!(count(&"botox ".repeat(100)) > short);
        assert_eq!(message(&Message::user("")), PER_MESSAGE);
    }
}
