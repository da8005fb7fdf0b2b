//! The brain port: what turns a patient's turn into a reply.
//!
//! Two adapters: the rules brain (deterministic pt-BR dialogue manager, the embedded default and
//! the last fallback) and the LLM brain. Both act on the world only through [`Tools`] on the
//! [`ToolContext`] the engine builds, so traces, audits and evals are uniform; a brain never
//! touches the store or the channels itself.
//!
//! The engine runs the guards (emergency, opt-out, a request for a person) before a brain is
//! asked, and cuts the draft into WhatsApp-sized bubbles after: a brain only drafts.

use async_trait::async_trait;
use serde::Serialize;

use super::tools::{ToolContext, ToolError, Tools};
use crate::channels::{Downloaded, MessageContent, OutboundMessage};

/// Everything the patient sent since the last reply, and what came before.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Turn {
    /// This turn's messages, oldest first: one, or several sent in a burst.
    pub messages: Vec<MessageContent>,
    /// Earlier messages of the conversation, oldest first, for brains that read context.
    pub history: Vec<HistoryEntry>,
    /// The photos among `messages`, downloaded, in order: only for a brain that
    /// [sees images](Brain::sees_images), and only for this turn (never stored).
    pub images: Vec<Downloaded>,
}

impl Turn {
    /// A turn of plain text messages, as `sofia chat` and tests send them.
    pub fn texts<S: AsRef<str>>(texts: &[S]) -> Turn {
        let messages =
            texts.iter().map(|text| MessageContent::Text { body: text.as_ref().to_owned() }).collect();
        Turn { messages, history: Vec::new(), images: Vec::new() }
    }

    /// What the patient wrote, one message per line: texts, captions, transcripts of voice
    /// notes, and the titles of the buttons and list rows they tapped.
    pub fn text(&self) -> String {
        self.messages.iter().filter_map(written_text).collect::<Vec<_>>().join("\n")
    }

    /// The id of the button or list row the patient tapped last in this turn, if any.
    pub fn choice_id(&self) -> Option<&str> {
        self.messages.iter().rev().find_map(|message| match message {
            MessageContent::ButtonReply { id, .. } | MessageContent::ListReply { id, .. } => {
                Some(id.as_str())
            }
            _ => None,
        })
    }
}

fn written_text(message: &MessageContent) -> Option<&str> {
    match message {
        MessageContent::Text { body } => Some(body.as_str()),
        MessageContent::ButtonReply { title, .. } | MessageContent::ListReply { title, .. } => {
            Some(title.as_str())
        }
        MessageContent::Image { caption, .. }
        | MessageContent::Video { caption, .. }
        | MessageContent::Document { caption, .. } => caption.as_deref(),
        MessageContent::Audio { transcript, .. } => transcript.as_deref(),
        _ => None,
    }
    .map(str::trim)
    .filter(|text| !text.is_empty())
}

/// One earlier message of the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub speaker: Speaker,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Patient,
    /// Sofia, or a human answering for the clinic.
    Clinic,
}

/// A brain's reply, before the engine cuts it into bubbles.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Draft {
    /// The bubbles to send, in order. Empty means "say nothing" (the engine decides whether
    /// silence is acceptable).
    pub bubbles: Vec<OutboundMessage>,
    /// Model usage, when a model was asked.
    pub usage: Option<Usage>,
}

impl Draft {
    pub fn text(body: impl Into<String>) -> Result<Draft, BrainError> {
        Ok(Draft { bubbles: vec![OutboundMessage::text(body)?], usage: None })
    }
}

/// What a model turn cost.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Usage {
    /// The model that produced the final answer.
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Model requests made during the turn (tool-loop steps, retries, fallbacks).
    pub requests: u32,
}

/// Which brain answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BrainKind {
    Rules,
    Llm,
}

impl BrainKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BrainKind::Rules => "rules",
            BrainKind::Llm => "llm",
        }
    }
}

/// A brain that could not draft a reply at all. The engine then tells the patient it had a
/// problem (never the error itself) and keeps the messages for the next turn.
#[derive(Debug, thiserror::Error)]
pub enum BrainError {
    #[error("a tool failed: {0}")]
    Tool(#[from] ToolError),
    #[error("the reply does not fit WhatsApp: {0}")]
    Message(#[from] crate::channels::MessageError),
    #[error("no model answered: {0}")]
    Model(String),
}

#[async_trait]
pub trait Brain: Send + Sync {
    fn kind(&self) -> BrainKind;

    /// Whether photos reach this brain as images ([`Turn::images`]). A brain that does not see
    /// them never gets a photo-only turn: the engine answers it.
    fn sees_images(&self) -> bool {
        false
    }

    /// Drafts the reply to `turn`, acting through `tools` on `ctx` (whose state it may change).
    async fn reply(&self, ctx: &mut ToolContext<'_>, tools: &Tools, turn: &Turn)
    -> Result<Draft, BrainError>;
}
