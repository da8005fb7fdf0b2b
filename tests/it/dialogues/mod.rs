//! Scripted conversations with the rules brain over the demo clinic, on a Monday morning
//! (2026-03-02 09:00 in São Paulo): what the patient says, what Sofia answers, which tools she
//! called, and what the clinic's records hold afterwards.
//!
//! Every turn also checks the invariants of docs/evals.md: no reply names a date and time
//! that no tool returned in the conversation, and every failed write is told to the patient.
//! A representative subset runs on PostgreSQL too; the rest on SQLite.

mod appointments;
mod booking;
mod escalation;
mod health;
mod questions;
mod reminders;
mod rescheduling;
mod safety;

use std::sync::Arc;

use serde_json::Value;
use sofia::agent::tools::{ToolCall, ToolContext};
use sofia::agent::{Brain, RulesBrain, Turn};
use sofia::channels::{MessageContent, OutboundMessage};
use sofia::store::ToolOutcome;
use sofia_core::conversation::ConversationState;
use sofia_core::domain::{ConversationId, Phone};

use crate::support::TestDb;
use crate::tools::World;

pub use crate::tools::{JOAO, MARIA};

/// One patient's WhatsApp conversation with the rules brain, played turn by turn the way the
/// engine will: the state is read from the store before the turn and saved after it.
pub struct Dialogue {
    pub world: World,
    pub phone: Phone,
    push_name: Option<String>,
    conversation: ConversationId,
    /// Every (DD/MM, HH:MM) a tool returned so far: the only moments a reply may name.
    known_moments: Vec<(String, String)>,
}

/// What Sofia answered to one turn.
#[derive(Debug)]
pub struct Answer {
    pub bubbles: Vec<OutboundMessage>,
    /// The bubbles as a patient without buttons reads them, joined.
    pub text: String,
    pub calls: Vec<ToolCall>,
}

impl Answer {
    /// Asserts the reply contains every fragment (case-insensitive).
    #[track_caller]
    pub fn says(&self, fragments: &[&str]) -> &Self {
        let text = self.text.to_lowercase();
        for fragment in fragments {
            assert!(
                text.contains(&fragment.to_lowercase()),
                "expected {fragment:?} in the reply:\n{}",
                self.text
            );
        }
        self
    }

    #[track_caller]
    pub fn never_says(&self, fragments: &[&str]) -> &Self {
        let text = self.text.to_lowercase();
        for fragment in fragments {
            assert!(
                !text.contains(&fragment.to_lowercase()),
                "did not expect {fragment:?} in the reply:\n{}",
                self.text
            );
        }
        self
    }

    /// Asserts these tools, and only these, were called, in this order.
    #[track_caller]
    pub fn called(&self, tools: &[&str]) -> &Self {
        let called: Vec<&str> = self.calls.iter().map(|call| call.tool.as_str()).collect();
        assert_eq!(called, tools, "tools called; the reply was:\n{}", self.text);
        self
    }

    /// Asserts none of these tools was called.
    #[track_caller]
    pub fn not_called(&self, tools: &[&str]) -> &Self {
        let called: Vec<&str> = self.calls.iter().map(|call| call.tool.as_str()).collect();
        assert!(
            tools.iter().all(|tool| !called.contains(tool)),
            "{called:?} called; the reply was:\n{}",
            self.text
        );
        self
    }

    /// The arguments of the (last) call to `tool`.
    #[track_caller]
    pub fn arguments(&self, tool: &str) -> &Value {
        let call = self.calls.iter().rev().find(|call| call.tool == tool);
        &call.unwrap_or_else(|| panic!("{tool} was not called: {:?}", self.calls)).arguments
    }

    pub fn has_buttons(&self, titles: &[&str]) -> bool {
        self.bubbles.iter().any(|bubble| match bubble {
            OutboundMessage::Buttons(buttons) => {
                buttons.buttons().iter().map(|b| b.title.as_str()).eq(titles.iter().copied())
            }
            _ => false,
        })
    }

    pub fn list_rows(&self) -> Vec<String> {
        self.bubbles
            .iter()
            .filter_map(|bubble| match bubble {
                OutboundMessage::List(list) => {
                    Some(list.rows().iter().map(|r| r.title.clone()).collect::<Vec<_>>())
                }
                _ => None,
            })
            .flatten()
            .collect()
    }
}

impl Dialogue {
    pub async fn new(db: TestDb, phone: &str, push_name: &str) -> Dialogue {
        let world = World::new(db).await;
        Dialogue::with(world, phone, push_name).await
    }

    /// A conversation in a world already set up (patients, appointments, packages).
    pub async fn with(world: World, phone: &str, push_name: &str) -> Dialogue {
        let chat = world.chat(phone, push_name).await;
        Dialogue {
            world,
            phone: chat.phone,
            push_name: chat.push_name,
            conversation: chat.conversation,
            known_moments: Vec::new(),
        }
    }

    pub async fn say(&mut self, text: &str) -> Answer {
        self.turn(Turn::texts(&[text])).await
    }

    /// Several messages sent in one burst, answered as one turn.
    pub async fn burst(&mut self, texts: &[&str]) -> Answer {
        self.turn(Turn::texts(texts)).await
    }

    /// Taps a reply button or list row.
    pub async fn tap(&mut self, id: &str, title: &str) -> Answer {
        let message = MessageContent::ButtonReply { id: id.to_owned(), title: title.to_owned() };
        self.turn(Turn { messages: vec![message], ..Turn::default() }).await
    }

    pub async fn state(&self) -> ConversationState {
        let stored = self.world.store().conversation(self.conversation).await.unwrap().unwrap();
        ConversationState::from_json(&stored.state)
    }

    /// The conversation's id, to look it up in the store.
    pub fn state_id(&self) -> ConversationId {
        self.conversation
    }

    /// Plays any turn (media, several kinds of messages).
    pub async fn play(&mut self, turn: Turn) -> Answer {
        self.turn(turn).await
    }

    async fn turn(&mut self, turn: Turn) -> Answer {
        let mut state = self.state().await;
        let mut ctx = ToolContext::new(
            Arc::clone(self.world.store()),
            &self.world.clinic,
            &self.world.clock,
            self.conversation,
            self.phone.clone(),
            &mut state,
        )
        .with_push_name(self.push_name.clone());
        let draft = RulesBrain
            .reply(&mut ctx, &self.world.tools, &turn)
            .await
            .expect("the rules brain drafts a reply");
        let calls = ctx.calls().to_vec();
        drop(ctx);
        self.world
            .store()
            .save_state(self.conversation, &state.to_json().unwrap(), self.world.now())
            .await
            .unwrap();

        let text = draft.bubbles.iter().map(readable).collect::<Vec<_>>().join("\n\n");
        assert!(!text.trim().is_empty(), "Sofia said nothing to {turn:?}");
        for call in &calls {
            collect_moments(&call.result, &mut self.known_moments);
        }
        for moment in moments(&text) {
            assert!(
                self.known_moments.contains(&moment),
                "the reply names {moment:?}, which no tool returned:\n{text}"
            );
        }
        for call in calls.iter().filter(|call| call.outcome != ToolOutcome::Ok && is_write(&call.tool)) {
            let told = call.result["patient_message"].as_str().unwrap_or_default();
            assert!(text.contains(told), "the failed {} was not told: {told:?}\n{text}", call.tool);
        }
        Answer { bubbles: draft.bubbles, text, calls }
    }
}

fn is_write(tool: &str) -> bool {
    matches!(
        tool,
        "book_appointment" | "reschedule_appointment" | "cancel_appointment" | "confirm_appointment"
    )
}

/// A bubble as it reads without buttons or lists (the channel's numbered fallback).
fn readable(bubble: &OutboundMessage) -> String {
    let shown = bubble.to_numbered_text().unwrap_or_else(|| bubble.clone());
    match shown {
        OutboundMessage::Text(text) => text.body().to_owned(),
        other => panic!("a reply bubble should be text or interactive: {other:?}"),
    }
}

/// Every (DD/MM, HH:MM) in `text`: a date followed, on the same line, by a time.
fn moments(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for line in text.lines() {
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_ascii_digit() || c == '/' || c == ':'))
            .filter(|w| !w.is_empty())
            .collect();
        for (i, word) in words.iter().enumerate() {
            if is_day(word)
                && let Some(time) = words[i + 1..].iter().find(|w| is_time(w))
            {
                found.push((word[..5].to_owned(), (*time).to_owned()));
            }
        }
    }
    found
}

fn is_day(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 5 && b[2] == b'/' && b[..2].iter().chain(&b[3..5]).all(u8::is_ascii_digit)
}

fn is_time(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 5 && b[2] == b':' && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
}

/// The moments in a tool result: every object with a `date` (YYYY-MM-DD) and a `time`.
fn collect_moments(value: &Value, into: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            if let (Some(Value::String(date)), Some(Value::String(time))) =
                (object.get("date"), object.get("time"))
                && let Some((_, month_day)) = date.split_once('-')
            {
                let (month, day) = month_day.split_once('-').unwrap_or_default();
                into.push((format!("{day}/{month}"), time.clone()));
            }
            object.values().for_each(|value| collect_moments(value, into));
        }
        Value::Array(items) => items.iter().for_each(|value| collect_moments(value, into)),
        _ => {}
    }
}

/// Runs each named dialogue on SQLite only: `sqlite_only!(a, b)` makes `sqlite_only::a`, ….
macro_rules! sqlite_only {
    ($($test:ident),+ $(,)?) => {
        mod sqlite_only {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::support::TestDb::sqlite().await).await;
                }
            )+
        }
    };
}
pub(crate) use sqlite_only;

#[test]
fn moments_are_read_as_a_patient_reads_them() {
    let text = "1) terça, 03/03 14:00\nTem dia 04/03 e às 15:00 também\nNosso horário: 09:00–12:00";
    assert_eq!(
        moments(text),
        [("03/03".to_owned(), "14:00".to_owned()), ("04/03".to_owned(), "15:00".to_owned())]
    );
}
