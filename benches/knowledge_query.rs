//! Knowledge query latency on the embedded engine at 10,000 chunks: the demo clinic's
//! knowledge plus generated sections drawn from its own vocabulary, then the retrieval
//! suite's questions asked over and over through `KnowledgeBase::search` (BM25 embedding, the
//! blocking-pool hop and the qdrant-edge query; no embeddings endpoint).
//!
//! ```text
//! cargo bench --bench knowledge_query [-- --chunks N --queries N]
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use sofia::clinics;
use sofia::knowledge::retrieval::RetrievalSuiteFile;
use sofia::knowledge::{KnowledgeBase, Quiet};
use sofia_core::domain::TenantId;

const SECTIONS_PER_FILE: usize = 100;
const WORDS_PER_SECTION: usize = 60;

fn flag(args: &[String], name: &str, default: usize) -> anyhow::Result<usize> {
    args.windows(2)
        .find(|pair| pair[0] == name)
        .map(|pair| pair[1].parse())
        .transpose()
        .with_context(|| format!("{name} takes a number"))
        .map(|value| value.unwrap_or(default))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let chunks = flag(&args, "--chunks", 10_000)?;
    let queries = flag(&args, "--queries", 2_000)?;
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));

    // A clinic folder: the demo clinic, its markdown, and generated files.
    let dir = std::env::temp_dir().join(format!("sofia-bench-kb-{}", uuid::Uuid::new_v4().simple()));
    let clinic_dir = dir.join("demo");
    std::fs::create_dir_all(&clinic_dir)?;
    let mut vocabulary = Vec::new();
    for entry in std::fs::read_dir(repo.join("knowledge/demo"))? {
        let path = entry?.path();
        std::fs::copy(&path, clinic_dir.join(path.file_name().context("a file name")?))?;
        if path.extension().is_some_and(|ext| ext == "md") {
            let text = std::fs::read_to_string(&path)?;
            vocabulary.extend(
                text.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic)).map(str::to_owned),
            );
        }
    }
    let mut random = fastrand::Rng::with_seed(7);
    let files = chunks.div_ceil(SECTIONS_PER_FILE);
    for file in 0..files {
        let mut text = format!("# Artigo {file}\n\n");
        for section in 0..SECTIONS_PER_FILE {
            let words: Vec<&str> = (0..WORDS_PER_SECTION)
                .map(|_| vocabulary[random.usize(..vocabulary.len())].as_str())
                .collect();
            text.push_str(&format!("## Seção {file}.{section}\n\n{}.\n\n", words.join(" ")));
        }
        std::fs::write(clinic_dir.join(format!("gerado-{file:04}.md")), text)?;
    }
    let clinic = clinics::load_clinic(&dir, &"demo".parse::<TenantId>()?)?;

    let knowledge = KnowledgeBase::temporary(&Default::default(), reqwest::Client::new()).await?;
    let started = Instant::now();
    let summary = knowledge.ingest(&clinic.clinic, clinic.dir(), &Quiet).await?;
    let ingest = started.elapsed();
    println!(
        "ingest: {} chunks from {} documents in {:.1} s ({:.0} chunks/s)",
        summary.chunks,
        summary.documents,
        ingest.as_secs_f64(),
        summary.chunks as f64 / ingest.as_secs_f64()
    );

    let suite: RetrievalSuiteFile =
        serde_saphyr::from_str(&std::fs::read_to_string(repo.join("evals/retrieval/demo.yaml"))?)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let tenant = suite.tenant.clone();
    // Warm-up: the first queries page the segment files in.
    for case in &suite.cases {
        knowledge.search(&tenant, &case.question, 3).await?;
    }
    let mut timings: Vec<Duration> = Vec::with_capacity(queries);
    for index in 0..queries {
        let question = &suite.cases[index % suite.cases.len()].question;
        let started = Instant::now();
        knowledge.search(&tenant, question, 3).await?;
        timings.push(started.elapsed());
    }
    timings.sort();
    let at =
        |p: f64| timings[((timings.len() as f64 * p) as usize).min(timings.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "search_knowledge at {} chunks (embedded, BM25): {queries} queries — p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        summary.chunks,
        at(0.50),
        at(0.95),
        at(0.99),
        at(1.0)
    );
    drop(knowledge);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
