//! Keeping the knowledge index in line with the clinics' knowledge folders: the ingest at start
//! and the reload loop of `serve`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::sync::Mutex;

use crate::clinics::LoadedClinic;
use crate::knowledge::{KnowledgeBase, Quiet};

/// Brings the index in line with `clinic`'s knowledge folder.
pub async fn ingest(knowledge: &KnowledgeBase, clinic: &LoadedClinic) -> anyhow::Result<()> {
    let summary = knowledge
        .ingest(&clinic.clinic, clinic.dir(), &Quiet)
        .await
        .with_context(|| format!("cannot ingest the knowledge of clinic '{}'", clinic.clinic.tenant))?;
    tracing::info!(
        clinic = %clinic.clinic.tenant,
        documents = summary.documents,
        chunks = summary.chunks,
        added = summary.added,
        unchanged = summary.unchanged,
        removed = summary.removed,
        "knowledge ingested"
    );
    Ok(())
}

/// Re-ingests the clinics whose knowledge files changed since they were last ingested.
pub struct KnowledgeReload {
    knowledge: Arc<KnowledgeBase>,
    clinics: Arc<Vec<LoadedClinic>>,
    /// Each clinic's knowledge fingerprint as last ingested, in `clinics` order. Behind a lock
    /// held while the loop runs, so a loop restarted after a panic goes on from where it was.
    seen: Mutex<Vec<Option<String>>>,
    every: Duration,
}

impl KnowledgeReload {
    /// `seen` holds the fingerprints taken at the ingest at start, in `clinics` order.
    pub fn new(
        knowledge: Arc<KnowledgeBase>,
        clinics: Arc<Vec<LoadedClinic>>,
        seen: Vec<Option<String>>,
        every: Duration,
    ) -> Self {
        KnowledgeReload { knowledge, clinics, seen: Mutex::new(seen), every }
    }

    /// Every `every`, re-ingests the clinics whose files changed, until `shutdown` resolves.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        let mut seen = self.seen.lock().await;
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = tokio::time::sleep(self.every) => {}
                () = &mut shutdown => return,
            }
            for (clinic, seen) in self.clinics.iter().zip(seen.iter_mut()) {
                let now = clinic.knowledge_fingerprint().ok();
                if now == *seen {
                    continue;
                }
                match ingest(&self.knowledge, clinic).await {
                    Ok(()) => *seen = now,
                    Err(error) => {
                        tracing::warn!(
                            error = format!("{error:#}"),
                            "knowledge reload failed; retrying later"
                        )
                    }
                }
            }
        }
    }
}
