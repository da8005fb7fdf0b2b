//! A test engine over the demo clinic, and brains that make the engine's mechanics visible.

use std::sync::Arc;

use async_trait::async_trait;
use sofia::agent::tools::{ToolContext, Tools};
use sofia::agent::{Brain, BrainError, BrainKind, Draft, Turn};
use sofia::clinics::Clinics;
use sofia::config::EngineConfig;
use sofia::engine::{Engine, EngineParts};
use sofia::inbox::{Console, ConsoleError, Inbox, LogListener};
use sofia::metrics::Metrics;
use sofia::store::{Store, StoredMessage};
use sofia_core::clock::FrozenClock;
use sofia_core::domain::{ConversationId, Phone};
use tokio::sync::Notify;

use crate::support::{TestDb, at, demo_clinic};

pub const MONDAY_9AM: &str = "2026-03-02T09:00:00-03:00";

pub fn maria() -> Phone {
    Phone::parse("+5511987654321").expect("a valid phone")
}

pub struct Harness {
    pub db: TestDb,
    pub clock: Arc<FrozenClock>,
    /// The demo clinic's console channel, into the inbox `sofia chat` uses.
    console: Console,
}

impl Harness {
    pub async fn sqlite() -> Harness {
        Harness::on(TestDb::sqlite().await).await
    }

    pub async fn on(db: TestDb) -> Harness {
        let now = at(MONDAY_9AM);
        let db = db.with_demo(now).await;
        let clock = Arc::new(FrozenClock::at(now));
        let inbox = Inbox::standalone(
            Arc::clone(&db.store),
            clock.clone(),
            Arc::new(LogListener),
            Arc::new(Metrics::default()),
            &settings(),
        );
        let console = Console::new(inbox, &demo_clinic().clinic).expect("the demo clinic has a console");
        Harness { db, clock, console }
    }

    /// Stores what the patient typed at the console, as `sofia chat` does; returns the
    /// conversation.
    pub async fn receive(
        &self,
        phone: &Phone,
        push_name: Option<&str>,
        text: &str,
    ) -> Result<ConversationId, ConsoleError> {
        self.console.receive(phone, push_name, &[text]).await
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.db.store)
    }

    pub fn engine(&self, brain: impl Brain + 'static) -> Engine {
        self.engine_with(brain, settings())
    }

    pub fn engine_with(&self, brain: impl Brain + 'static, settings: EngineConfig) -> Engine {
        Engine::new(
            EngineParts {
                store: self.store(),
                clinics: Arc::new(Clinics::new(vec![demo_clinic()])),
                brain: Arc::new(brain),
                tools: Arc::new(Tools::standard()),
                clock: self.clock.clone(),
            },
            settings,
        )
    }

    /// The bubbles queued for the conversation, as text, oldest first.
    pub async fn outbox(&self, conversation: ConversationId) -> Vec<String> {
        self.store()
            .transcript(conversation)
            .await
            .expect("read the transcript")
            .into_iter()
            .filter(|message| message.idempotency_key.is_some())
            .map(|message: StoredMessage| message.body)
            .collect()
    }
}

pub fn settings() -> EngineConfig {
    EngineConfig { debounce_ms: 300, ..EngineConfig::default() }
}

/// Answers with what the patient wrote in this turn, one line per message.
pub struct EchoBrain;

#[async_trait]
impl Brain for EchoBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Rules
    }

    async fn reply(&self, _: &mut ToolContext<'_>, _: &Tools, turn: &Turn) -> Result<Draft, BrainError> {
        Draft::text(format!("eco: {}", turn.text().replace('\n', " | ")))
    }
}

/// Echoes, but only once `release` is notified: a turn caught in the middle.
pub struct HeldBrain {
    pub entered: Arc<Notify>,
    pub release: Arc<Notify>,
}

impl HeldBrain {
    pub fn new() -> (HeldBrain, Arc<Notify>, Arc<Notify>) {
        let (entered, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        (HeldBrain { entered: entered.clone(), release: release.clone() }, entered, release)
    }
}

#[async_trait]
impl Brain for HeldBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Rules
    }

    async fn reply(
        &self,
        ctx: &mut ToolContext<'_>,
        tools: &Tools,
        turn: &Turn,
    ) -> Result<Draft, BrainError> {
        self.entered.notify_one();
        self.release.notified().await;
        EchoBrain.reply(ctx, tools, turn).await
    }
}

/// Always fails, as a model that never answers would.
pub struct BrokenBrain;

#[async_trait]
impl Brain for BrokenBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Llm
    }

    async fn reply(&self, _: &mut ToolContext<'_>, _: &Tools, _: &Turn) -> Result<Draft, BrainError> {
        Err(BrainError::Model("connection refused by api.example (key sk-secret)".to_owned()))
    }
}

/// Proposes a booking through the tools, then fails before replying, as a model that went
/// away mid-turn would: the summary never reaches the patient.
pub struct ProposesThenFails;

#[async_trait]
impl Brain for ProposesThenFails {
    fn kind(&self) -> BrainKind {
        BrainKind::Llm
    }

    async fn reply(&self, ctx: &mut ToolContext<'_>, tools: &Tools, _: &Turn) -> Result<Draft, BrainError> {
        let search = serde_json::json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" });
        tools.call(ctx, "find_slots", search).await?;
        tools.call(ctx, "book_appointment", serde_json::json!({ "slot": "1" })).await?;
        Err(BrainError::Model("the model went away".to_owned()))
    }
}
