//! Retrieval suites (`kind: retrieval`, conventionally `evals/retrieval/*.yaml`): each is run
//! against a fresh temporary index holding its clinic's knowledge, with the configured
//! embeddings (BM25 alone by default), and graded by [`run_retrieval_suite`].

use std::path::{Path, PathBuf};

use super::report::RetrievalSuite;
use crate::clinics;
use crate::config::Config;
use crate::knowledge::retrieval::{RetrievalGrade, RetrievalSuiteFile, run_retrieval_suite};
use crate::knowledge::{KnowledgeBase, Quiet};

pub async fn grade(paths: &[PathBuf], config: &Config) -> Vec<RetrievalSuite> {
    let mut graded = Vec::with_capacity(paths.len());
    for path in paths {
        graded.push(match grade_one(path, config).await {
            Ok(grade) => RetrievalSuite {
                path: path.clone(),
                status: summary(&grade),
                passed: grade.passed,
                grade: Some(grade),
            },
            Err(error) => RetrievalSuite {
                path: path.clone(),
                status: format!("error: {error:#}"),
                passed: false,
                grade: None,
            },
        });
    }
    graded
}

async fn grade_one(path: &Path, config: &Config) -> anyhow::Result<RetrievalGrade> {
    let text = std::fs::read_to_string(path)?;
    let suite: RetrievalSuiteFile =
        serde_saphyr::from_str(&text).map_err(|error| anyhow::anyhow!("{error}"))?;
    let clinic = clinics::load_clinic(&config.knowledge.dir, &suite.tenant)?;
    let knowledge = KnowledgeBase::temporary(&config.embeddings, reqwest::Client::new()).await?;
    knowledge.ingest(&clinic.clinic, clinic.dir(), &Quiet).await?;
    Ok(run_retrieval_suite(&knowledge, &suite).await?)
}

fn summary(grade: &RetrievalGrade) -> String {
    let verdict = match grade.min_recall {
        Some(min) if grade.passed => format!(" — passed (goal recall@{} ≥ {min:.2})", grade.k),
        Some(min) => format!(" — FAILED (goal recall@{} ≥ {min:.2})", grade.k),
        None => String::new(),
    };
    format!(
        "{} ({}): recall@{} {:.3}, MRR {:.3} over {} questions{verdict}",
        grade.suite, grade.tenant, grade.k, grade.recall_at_k, grade.mrr, grade.cases
    )
}
