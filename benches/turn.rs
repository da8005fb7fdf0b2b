//! Turn overhead: console to outbox through the real inbox, engine and the rules brain on SQLite,
//! without the debounce wait (which is configuration, not work). Each conversation books a
//! procedure in three turns (ask → pick → confirm), so the turns cover `find_slots`,
//! `book_appointment` twice, `update_lead`, state loads and saves, and the outbox.
//!
//! ```text
//! cargo bench --bench turn [-- --conversations N]
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use sofia::agent::RulesBrain;
use sofia::agent::tools::Tools;
use sofia::clinics::{self, Clinics};
use sofia::config::EngineConfig;
use sofia::engine::{Engine, EngineParts};
use sofia::inbox::{Console, Inbox, LogListener};
use sofia::metrics::Metrics;
use sofia_core::clock::{Clock, FrozenClock};
use sofia_core::domain::{Phone, TenantId};

const SCRIPT: [&str; 3] = ["oi, queria marcar uma limpeza de pele amanhã à tarde", "o primeiro", "sim"];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let conversations: usize = args
        .windows(2)
        .find(|pair| pair[0] == "--conversations")
        .map(|pair| pair[1].parse())
        .transpose()
        .context("--conversations takes a number")?
        .unwrap_or(200);

    let dir = std::env::temp_dir().join(format!("sofia-bench-turn-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let store = sofia::store::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let tenant: TenantId = "demo".parse()?;
    let clinic =
        clinics::load_clinic(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge").as_path(), &tenant)?;
    // A Monday morning, so every conversation finds tomorrow afternoon's slots.
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00")?.to_utc();
    clinics::sync(store.as_ref(), &clinic, now).await?;
    let clock: Arc<dyn Clock> = Arc::new(FrozenClock::at(now));
    let settings = EngineConfig::default();
    let inbox = Inbox::standalone(
        Arc::clone(&store),
        Arc::clone(&clock),
        Arc::new(LogListener),
        Arc::new(Metrics::default()),
        &settings,
    );
    let console = Console::new(inbox, &clinic.clinic)?;
    let engine = Engine::new(
        EngineParts {
            store,
            clinics: Arc::new(Clinics::new(vec![clinic.clone()])),
            brain: Arc::new(RulesBrain),
            tools: Arc::new(Tools::standard()),
            clock,
        },
        settings,
    );

    let mut turns: Vec<Duration> = Vec::with_capacity(conversations * SCRIPT.len());
    for n in 0..conversations {
        let phone = Phone::parse(&format!("+55119{:08}", 10_000_000 + n))?;
        for text in SCRIPT {
            let started = Instant::now();
            let conversation = console.receive(&phone, Some("Paciente Bench"), &[text]).await?;
            let outcome = engine.run_turn(conversation).await?;
            turns.push(started.elapsed());
            anyhow::ensure!(!outcome.bubbles.is_empty(), "turn '{text}' of conversation {n} said nothing");
        }
    }
    std::fs::remove_dir_all(&dir).ok();

    turns.sort();
    let at = |q: f64| turns[((turns.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "turn overhead (rules brain, SQLite): {} turns in {} conversations — p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        turns.len(),
        conversations,
        at(0.50).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
    Ok(())
}
