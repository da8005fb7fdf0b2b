//! What a turn logs: every event inside a `conversation` span that names the clinic, the
//! masked phone and the turn, with tool calls nested in it; never the patient's number.

use std::io::Write;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::{Value, json};
use sofia::agent::tools::{ToolContext, Tools};
use sofia::agent::{Brain, BrainError, BrainKind, Draft, Turn};
use tracing_subscriber::fmt::format::FmtSpan;

use super::support::{EchoBrain, Harness, demo, maria};

/// Calls a tool (one that does not exist: refused before anything runs), then echoes.
struct CallsATool;

#[async_trait]
impl Brain for CallsATool {
    fn kind(&self) -> BrainKind {
        BrainKind::Rules
    }

    async fn reply(
        &self,
        ctx: &mut ToolContext<'_>,
        tools: &Tools,
        turn: &Turn,
    ) -> Result<Draft, BrainError> {
        let _refused = tools.call(ctx, "no_such_tool", json!({})).await;
        EchoBrain.reply(ctx, tools, turn).await
    }
}

/// What the JSON formatter wrote, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }

    fn lines(&self) -> Vec<Value> {
        self.text().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }
}

/// The names of the spans around an event, outermost first (for a span's closing event: the
/// spans around the closing one, which is the event's `span`).
fn span_names(line: &Value) -> Vec<&str> {
    line["spans"].as_array().into_iter().flatten().filter_map(|span| span["name"].as_str()).collect()
}

// One thread: the subscriber set for this test sees every task of the turn.
#[tokio::test(flavor = "current_thread")]
async fn a_turn_logs_inside_a_conversation_span_with_the_phone_masked() {
    let captured = Captured::default();
    let writer = captured.clone();
    // As `SOFIA_LOG_FORMAT=json` logs, plus an event when each span closes.
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_span_events(FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);

    let harness = Harness::sqlite().await;
    let engine = harness.engine(CallsATool);
    let conversation = engine.receive_console(&demo(), &maria(), None, "oi").await.unwrap();
    engine.run_turn(conversation).await.unwrap();

    let lines = captured.lines();
    let turn = lines
        .iter()
        .find(|line| line["span"]["name"] == "conversation" && line["fields"]["message"] == "close")
        .unwrap_or_else(|| panic!("the conversation span closed: {}", captured.text()));
    let span = &turn["span"];
    assert_eq!(span["clinic"], "demo");
    assert_eq!(span["phone"], maria().masked());
    assert_eq!(span["conversation"], conversation.to_string());
    assert!(span["turn"].as_str().is_some_and(|id| !id.is_empty()), "{span}");

    let tool = lines
        .iter()
        .find(|line| line["span"]["name"] == "tool" && span_names(line) == ["conversation"])
        .unwrap_or_else(|| panic!("the tool call is a span inside the turn: {}", captured.text()));
    assert_eq!(tool["span"]["tool"], "no_such_tool");

    let digits = "5511987654321";
    assert!(!captured.text().contains(digits), "the patient's number is never logged: {}", captured.text());
    assert!(!captured.text().contains("eco: oi"), "no message text in the logs: {}", captured.text());
}
