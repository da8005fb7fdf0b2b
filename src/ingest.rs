//! `sofia ingest`: (re)index the clinics' knowledge into the vector index, with a progress
//! bar on the terminal and a summary per clinic. Unchanged chunks are skipped.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use anyhow::Context;
use clap::Args;
use sofia_core::domain::TenantId;

use crate::clinics;
use crate::config::Config;
use crate::knowledge::{IngestProgress, IngestSummary, KnowledgeBase};

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Only this clinic (a folder under knowledge/); every clinic when left out.
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
}

/// Ingests the clinics `args` select, printing one summary line per clinic and a total to `out`.
pub async fn run(args: &IngestArgs, config: &Config, out: &mut impl Write) -> anyhow::Result<()> {
    let clinics = match &args.tenant {
        Some(tenant) => {
            let tenant: TenantId = tenant.parse().map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
            vec![clinics::load_clinic(&config.knowledge.dir, &tenant)?]
        }
        None => clinics::load_all(&config.knowledge.dir)?,
    };
    let knowledge = KnowledgeBase::open(&config.vectors, &config.embeddings, reqwest::Client::new())
        .await
        .context("cannot open the knowledge index")?;
    let search = if knowledge.is_hybrid() { "BM25 + dense" } else { "BM25" };
    writeln!(out, "Índice: {} ({search})", knowledge.index_kind().as_str())?;
    let bar = Bar::on_stderr();
    let mut total = IngestSummary::default();
    for clinic in &clinics {
        let summary = knowledge
            .ingest(&clinic.clinic, clinic.dir(), &bar)
            .await
            .with_context(|| format!("cannot ingest clinic '{}'", clinic.clinic.tenant))?;
        bar.finish();
        writeln!(out, "{}: {}", clinic.clinic.tenant, line(&summary))?;
        total.documents += summary.documents;
        total.chunks += summary.chunks;
        total.added += summary.added;
        total.unchanged += summary.unchanged;
        total.removed += summary.removed;
    }
    if clinics.len() > 1 {
        writeln!(out, "total: {}", line(&total))?;
    }
    Ok(())
}

fn line(summary: &IngestSummary) -> String {
    format!(
        "{} documents, {} chunks: {} added, {} unchanged, {} removed",
        summary.documents, summary.chunks, summary.added, summary.unchanged, summary.removed
    )
}

/// A one-line progress bar redrawn on stderr, only when stderr is a terminal.
struct Bar {
    terminal: bool,
    /// The clinic being ingested and its chunk count.
    current: Mutex<Option<(String, usize)>>,
}

const WIDTH: usize = 30;

impl Bar {
    fn on_stderr() -> Bar {
        Bar { terminal: std::io::stderr().is_terminal(), current: Mutex::new(None) }
    }

    fn draw(&self, done: usize) {
        let Ok(current) = self.current.lock() else { return };
        let Some((tenant, total)) = current.as_ref() else { return };
        let filled = if *total == 0 { WIDTH } else { WIDTH * done.min(*total) / total };
        eprint!("\r{tenant} [{}{}] {done}/{total} chunks", "#".repeat(filled), "·".repeat(WIDTH - filled));
    }

    fn finish(&self) {
        if self.terminal && self.current.lock().is_ok_and(|current| current.is_some()) {
            eprintln!();
        }
    }
}

impl IngestProgress for Bar {
    fn start(&self, tenant: &TenantId, total: usize) {
        if let Ok(mut current) = self.current.lock() {
            *current = Some((tenant.to_string(), total));
        }
        if self.terminal {
            self.draw(0);
        }
    }

    fn advance(&self, done: usize) {
        if self.terminal {
            self.draw(done);
        }
    }
}
