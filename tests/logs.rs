//! What Sofia's JSON logs show of a turn: every event inside a `conversation` span that names
//! the clinic, the masked phone and the turn, with tool calls nested in it; never the patient's
//! number, a voice note's transcript or a media URL.
//!
//! A test binary of its own, with one test: it sets the process-wide subscriber, as `main` does
//! (a thread-scoped one misses events, since `tracing` caches per call site whether anyone
//! listens).

#![allow(
    clippy::unwrap_used,
    reason = "a test states its expectations with unwrap; its helpers are not #[test] functions"
)]

// Shared with tests/it; this binary uses only the database and the demo clinic.
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "it/support.rs"]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::{Value, json};
use sofia::agent::tools::{ToolContext, Tools};
use sofia::agent::{Brain, BrainError, BrainKind, Draft, Turn};
use sofia::channels::{Media, MediaSource, MessageContent};
use sofia::clinics::Clinics;
use sofia::config::EngineConfig;
use sofia::engine::{Engine, EngineParts};
use sofia::eval::media::EvalFiles;
use sofia::eval::suite::Said;
use sofia::inbox::{Console, Inbox, LogListener};
use sofia::metrics::Metrics;
use sofia_core::clock::FrozenClock;
use sofia_core::domain::Phone;
use tracing_subscriber::fmt::format::FmtSpan;

use support::{TestDb, at, demo_clinic};

const MARIA: &str = "+5511987654321";
const SPOKEN: &str = "queria marcar botox amanhã à tarde";

/// Calls a tool (one that does not exist: refused before anything runs), then echoes what the
/// patient wrote.
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
        Draft::text(format!("eco: {}", turn.text()))
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

/// The names of the spans entered on the thread that wrote the event, outermost first: for a
/// span's creation, the spans it was created in (the event's `span` is the new one).
fn span_names(line: &Value) -> Vec<&str> {
    line["spans"].as_array().into_iter().flatten().filter_map(|span| span["name"].as_str()).collect()
}

#[tokio::test]
async fn a_turn_logs_inside_a_conversation_span_with_the_phone_masked() {
    let captured = Captured::default();
    let writer = captured.clone();
    // As `SOFIA_LOG_FORMAT=json` logs, plus an event when each span is created and closes. A
    // span's nesting is read from its creation: it closes wherever its last handle drops, which
    // may be SQLite's worker thread (sqlx hands it the current span with each command), where
    // no span is entered.
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only test of this binary sets it");

    let now = at("2026-03-02T09:00:00-03:00");
    let db = TestDb::sqlite().await.with_demo(now).await;
    let clock = Arc::new(FrozenClock::at(now));
    // Voice notes served as `sofia eval` serves them: a file at a made-up URL, transcribed by
    // the scripted transcriber.
    let files = Arc::new(EvalFiles::default());
    let engine = Engine::new(
        EngineParts {
            store: db.store.clone(),
            clinics: Arc::new(Clinics::new(vec![demo_clinic()])),
            brain: Arc::new(CallsATool),
            tools: Arc::new(Tools::standard()),
            clock: clock.clone(),
        },
        EngineConfig::default(),
    )
    .with_attachments(files.attachments());
    let inbox = Inbox::standalone(
        db.store.clone(),
        clock,
        Arc::new(LogListener),
        Arc::new(Metrics::default()),
        &EngineConfig::default(),
    );
    let console = Console::new(inbox, &demo_clinic().clinic).unwrap();
    let maria = Phone::parse(MARIA).unwrap();
    let conversation = console.receive(&maria, None, &["oi"]).await.unwrap();
    engine.run_turn(conversation).await.unwrap();
    let note = files.message(&Said::VoiceNote { transcript: SPOKEN.into() }).unwrap();
    let MessageContent::Audio { media: Media { source: MediaSource::Url(url), .. }, .. } = &note else {
        panic!("a voice note at a URL: {note:?}")
    };
    let url = url.clone();
    console.receive_contents(&maria, None, vec![note]).await.unwrap();
    engine.run_turn(conversation).await.unwrap();

    let lines = captured.lines();
    let turn = lines
        .iter()
        .find(|line| line["span"]["name"] == "conversation" && line["fields"]["message"] == "close")
        .unwrap_or_else(|| panic!("the conversation span closed: {}", captured.text()));
    let span = &turn["span"];
    assert_eq!(span["clinic"], "demo");
    assert_eq!(span["phone"], maria.masked());
    assert_eq!(span["conversation"], conversation.to_string());
    assert!(span["turn"].as_str().is_some_and(|id| !id.is_empty()), "{span}");

    let tool = lines
        .iter()
        .find(|line| {
            line["span"]["name"] == "tool"
                && line["fields"]["message"] == "new"
                && span_names(line) == ["conversation"]
        })
        .unwrap_or_else(|| panic!("the tool call is a span inside the turn: {}", captured.text()));
    assert_eq!(tool["span"]["tool"], "no_such_tool");

    assert!(
        !captured.text().contains(MARIA.trim_start_matches('+')),
        "the patient's number is never logged: {}",
        captured.text()
    );
    assert!(!captured.text().contains("eco: oi"), "no message text in the logs: {}", captured.text());

    let transcribed = lines
        .iter()
        .find(|line| line["fields"]["message"] == "voice note transcribed")
        .unwrap_or_else(|| panic!("the transcription is logged: {}", captured.text()));
    assert_eq!(span_names(transcribed), ["conversation"], "inside the turn's span");
    assert!(!captured.text().contains(SPOKEN), "no transcript in the logs: {}", captured.text());
    assert!(!captured.text().contains(&url), "no media URL in the logs: {}", captured.text());
}
