//! `serve` re-ingests a clinic whose knowledge files changed, without a restart.

use std::time::{Duration, Instant};

use sofia::app::{IndexPlacement, Sofia, Wiring};
use sofia::config::Config;
use sofia::secret::Secret;
use sofia_core::clock::FrozenClock;
use tokio::sync::oneshot;

use super::{KnowledgeDir, tenant};
use crate::support::{TestDb, at};

#[tokio::test]
async fn a_new_knowledge_file_is_searchable_while_serve_runs() {
    let db = TestDb::sqlite().await;
    let dir = KnowledgeDir::new();
    let mut config = Config::default();
    config.database.url = Secret::new(db.url.clone());
    config.knowledge.dir = dir.root.clone();
    config.knowledge.reload_s = 1;
    let wiring = Wiring {
        clock: std::sync::Arc::new(FrozenClock::at(at("2026-03-02T09:00:00-03:00"))),
        sweep_every: None,
        index: IndexPlacement::Temporary,
        ..Wiring::production(&sofia::config::OutboxConfig::default())
    };
    let sofia = Sofia::start_with(config, wiring).await.unwrap();
    let knowledge = std::sync::Arc::clone(&sofia.knowledge);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(sofia.serve(listener, async move {
        let _ = stopped.await;
    }));

    let question = "qual a senha do wifi?";
    assert!(
        !knowledge.search(&tenant("demo"), question, 3).await.unwrap().iter().any(|p| p.source == "wifi.md")
    );
    std::fs::write(
        dir.file("demo", "wifi.md"),
        "# Wi-Fi\n\n## Senha do wi-fi\n\nA rede é BellaForma e a senha é pele-bonita-2026.\n",
    )
    .unwrap();
    let started = Instant::now();
    loop {
        let found = knowledge.search(&tenant("demo"), question, 3).await.unwrap();
        if found.first().is_some_and(|p| p.source == "wifi.md") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the new file was never ingested: {found:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
