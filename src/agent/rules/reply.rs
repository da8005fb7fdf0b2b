//! The reply a turn builds: a few short paragraphs, and at most one question with choices
//! (reply buttons, or a list when there are more than three or they need a second line).
//!
//! The question's body always makes sense on its own, because the channel layer turns the
//! choices into numbered text ("1) …") where a provider cannot show them.

use sofia_core::conversation::SlotId;

use crate::agent::brain::{BrainError, Draft};
use crate::channels::{ListRow, OutboundMessage, ReplyButton};

/// Ids of the choices the rules brain offers, read back from a tapped button or row.
pub(super) mod ids {
    pub const YES: &str = "yes";
    pub const NO: &str = "no";
    pub const SLOT: &str = "slot:";
    pub const APPOINTMENT: &str = "appointment:";
    pub const SERVICE: &str = "service:";
}

#[derive(Debug, Default)]
pub(super) struct Reply {
    greeting: Option<String>,
    paragraphs: Vec<String>,
    question: Option<Question>,
}

#[derive(Debug)]
struct Question {
    body: String,
    /// `None` for an open question.
    choices: Option<Choices>,
}

#[derive(Debug)]
pub(super) enum Choices {
    Buttons(Vec<ReplyButton>),
    List { label: String, rows: Vec<ListRow> },
}

impl Choices {
    pub fn yes_no() -> Choices {
        Choices::Buttons(vec![button(ids::YES, "Sim"), button(ids::NO, "Não")])
    }
}

pub(super) fn button(id: impl Into<String>, title: impl Into<String>) -> ReplyButton {
    ReplyButton { id: id.into(), title: title.into() }
}

pub(super) fn row(id: impl Into<String>, title: impl Into<String>, description: Option<String>) -> ListRow {
    ListRow { id: id.into(), title: title.into(), description }
}

pub(super) fn slot_choice(id: SlotId) -> String {
    format!("{}{id}", ids::SLOT)
}

impl Reply {
    /// Opens the reply with a greeting ("Oi, Maria!").
    pub fn greet(&mut self, greeting: String) {
        self.greeting = Some(greeting);
    }

    pub fn say(&mut self, paragraph: impl Into<String>) {
        let paragraph = paragraph.into();
        if !paragraph.trim().is_empty() {
            self.paragraphs.push(paragraph);
        }
    }

    /// Ends the reply with a question the patient answers by picking one of `choices`. A later
    /// question replaces an earlier one: a turn asks one thing.
    pub fn ask(&mut self, body: impl Into<String>, choices: Choices) {
        self.question = Some(Question { body: body.into(), choices: Some(choices) });
    }

    /// Ends the reply with an open question ("Para qual dia?").
    pub fn ask_text(&mut self, body: impl Into<String>) {
        self.question = Some(Question { body: body.into(), choices: None });
    }

    pub fn asks(&self) -> bool {
        self.question.is_some()
    }

    pub fn into_draft(self) -> Result<Draft, BrainError> {
        let mut paragraphs = self.paragraphs;
        let mut question = self.question;
        if let Some(greeting) = self.greeting {
            match (paragraphs.first_mut(), question.as_mut()) {
                (Some(first), _) => *first = format!("{greeting} {first}"),
                (None, Some(question)) => question.body = format!("{greeting} {}", question.body),
                (None, None) => paragraphs.push(greeting),
            }
        }
        let interactive = match question {
            Some(Question { body, choices: None }) => {
                paragraphs.push(body);
                None
            }
            Some(Question { body, choices: Some(choices) }) => Some(match choices {
                Choices::Buttons(buttons) => OutboundMessage::buttons(body, buttons)?,
                Choices::List { label, rows } => OutboundMessage::list(body, label, rows)?,
            }),
            None => None,
        };
        let mut bubbles = Vec::new();
        if !paragraphs.is_empty() {
            bubbles.push(OutboundMessage::text(paragraphs.join("\n\n"))?);
        }
        bubbles.extend(interactive);
        Ok(Draft { bubbles, usage: None })
    }
}
