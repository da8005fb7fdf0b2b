//! What a case run recorded: every turn's messages, bubbles, tool calls and state, and why it
//! failed. These records are what the checks grade and what every report shows, and they
//! round-trip through the JSON report (so `--baseline` reads them back).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sofia_core::conversation::ConversationState;

use crate::agent::tools::ToolCall;
use crate::channels::OutboundMessage;
use crate::store::ToolOutcome;

/// One turn as it happened: the patient's messages (one, or a burst) and Sofia's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub user: Vec<String>,
    pub bubbles: Vec<Bubble>,
    pub tool_calls: Vec<ToolCallRecord>,
    /// A handoff to a human happened during this turn.
    pub handoff: bool,
    /// `rules` or `llm`; `None` when a guard answered before any brain.
    pub brain: Option<String>,
    pub usage: Option<TokenUsage>,
    /// The conversation state after the turn.
    pub state: ConversationState,
    /// Wall time of the turn, from the first message to the last bubble.
    pub latency_ms: u64,
}

impl TurnRecord {
    /// Every bubble's text, one bubble per paragraph: what `reply_*` checks read.
    pub fn reply(&self) -> String {
        self.bubbles.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n\n")
    }

    pub fn called(&self, tool: &str) -> bool {
        self.tool_calls.iter().any(|call| call.tool == tool)
    }

    /// The tools that changed an appointment in this turn, in call order.
    pub fn writes(&self) -> Vec<&str> {
        self.tool_calls.iter().filter(|call| call.wrote()).map(|call| call.tool.as_str()).collect()
    }
}

/// One reply bubble: its text as the patient reads it, and the message as built, which the
/// WhatsApp-limits invariant reads back through the validating constructors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bubble {
    pub text: String,
    pub message: Value,
}

impl Bubble {
    pub fn new(message: &OutboundMessage) -> Bubble {
        let text = match message {
            OutboundMessage::Text(text) => text.body().to_owned(),
            OutboundMessage::Template(template) => {
                format!("[template {}] {}", template.name(), template.body_params().join(" | "))
            }
            interactive => match interactive.to_numbered_text() {
                Some(OutboundMessage::Text(text)) => text.body().to_owned(),
                _ => String::new(),
            },
        };
        // An `OutboundMessage` always serialises (its stored form is plain strings and lists).
        let message = serde_json::to_value(message).unwrap_or(Value::Null);
        Bubble { text, message }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCallRecord {
    pub tool: String,
    pub arguments: Value,
    pub result: Value,
    pub outcome: ToolOutcome,
}

/// The tools that book, move, cancel or confirm an appointment.
const WRITES: [&str; 4] =
    ["book_appointment", "reschedule_appointment", "cancel_appointment", "confirm_appointment"];

impl ToolCallRecord {
    /// Whether the call changed an appointment: a write that went through, not one refused nor
    /// one that only returned the summary the patient must say yes to (`needs_confirmation`).
    pub fn wrote(&self) -> bool {
        WRITES.contains(&self.tool.as_str())
            && self.outcome == ToolOutcome::Ok
            && self.result["status"] != "needs_confirmation"
    }
}

impl From<&ToolCall> for ToolCallRecord {
    fn from(call: &ToolCall) -> Self {
        ToolCallRecord {
            tool: call.tool.clone(),
            arguments: call.arguments.clone(),
            result: call.result.clone(),
            outcome: call.outcome,
        }
    }
}

/// Model tokens spent in a turn.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenUsage {
    pub model: String,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub requests: u32,
}

impl TokenUsage {
    pub fn total(&self) -> u64 {
        u64::from(self.prompt_tokens) + u64::from(self.completion_tokens)
    }
}

/// A check that did not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The turn it concerns, from 1; `None` for the outcome and for errors before any turn.
    pub turn: Option<usize>,
    /// Which check: `reply_contains`, `outcome.appointments`, `invariant.invented_time`…
    pub check: String,
    pub detail: String,
}

impl Failure {
    pub fn turn(turn: usize, check: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure { turn: Some(turn), check: check.into(), detail: detail.into() }
    }

    pub fn case(check: impl Into<String>, detail: impl Into<String>) -> Failure {
        Failure { turn: None, check: check.into(), detail: detail.into() }
    }
}

/// One run of one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trial {
    pub passed: bool,
    pub failures: Vec<Failure>,
    pub turns: Vec<TurnRecord>,
    pub duration_ms: u64,
}

impl Trial {
    pub fn tokens(&self) -> u64 {
        self.turns.iter().filter_map(|t| t.usage.as_ref()).map(TokenUsage::total).sum()
    }

    /// The failures followed by the transcript: what a failing case prints.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        for failure in &self.failures {
            let turn = failure.turn.map(|t| format!("turn {t}: ")).unwrap_or_default();
            let _ = writeln!(out, "  ✗ {turn}{}: {}", failure.check, failure.detail);
        }
        out.push_str(&transcript(&self.turns));
        out
    }
}

/// The conversation as text: the patient's messages, tool calls and Sofia's bubbles.
pub fn transcript(turns: &[TurnRecord]) -> String {
    let mut out = String::new();
    for (index, turn) in turns.iter().enumerate() {
        let _ = writeln!(out, "  ── turn {}", index + 1);
        for message in &turn.user {
            let _ = writeln!(out, "  patient: {message}");
        }
        for call in &turn.tool_calls {
            let _ = writeln!(
                out,
                "    ⚙ {}({}) → {}: {}",
                call.tool,
                call.arguments,
                call.outcome.as_str(),
                call.result
            );
        }
        if turn.handoff {
            let _ = writeln!(out, "    ⇢ handed off to a human");
        }
        for bubble in &turn.bubbles {
            let text = bubble.text.replace('\n', "\n           ");
            let _ = writeln!(out, "  sofia:   {text}");
        }
    }
    out
}
