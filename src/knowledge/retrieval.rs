//! Retrieval quality: a suite of questions, each with the source documents that answer it,
//! graded by recall@k (a right source among the first k passages) and MRR (1 / rank of the
//! first right passage among the first [`RANKED`]).
//!
//! ```yaml
//! kind: retrieval
//! suite: demo-knowledge
//! tenant: demo
//! k: 3
//! min_recall: 0.9          # optional: below this the suite fails
//! cases:
//!   - id: parking-price
//!     question: "quanto custa o estacionamento?"
//!     sources: [localizacao-e-estacionamento.md, clinic.yaml#politicas]
//! ```

use serde::{Deserialize, Serialize};
use sofia_core::domain::TenantId;

use super::{KnowledgeBase, KnowledgeError};

/// How deep MRR looks.
pub const RANKED: usize = 10;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrievalSuiteFile {
    pub kind: String,
    pub suite: String,
    pub tenant: TenantId,
    #[serde(default = "default_k")]
    pub k: usize,
    #[serde(default)]
    pub min_recall: Option<f64>,
    pub cases: Vec<RetrievalCase>,
}

fn default_k() -> usize {
    3
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrievalCase {
    pub id: String,
    pub question: String,
    /// Any of these documents answers the question.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrievalGrade {
    pub suite: String,
    pub tenant: String,
    pub k: usize,
    pub cases: usize,
    pub recall_at_k: f64,
    pub mrr: f64,
    pub min_recall: Option<f64>,
    pub passed: bool,
    /// Cases with no right source among the first k, with what came instead.
    pub misses: Vec<RetrievalMiss>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrievalMiss {
    pub id: String,
    pub question: String,
    pub expected: Vec<String>,
    pub got: Vec<String>,
}

/// Asks every question of `suite` of `knowledge` (already holding the suite's clinic).
pub async fn run_retrieval_suite(
    knowledge: &KnowledgeBase,
    suite: &RetrievalSuiteFile,
) -> Result<RetrievalGrade, KnowledgeError> {
    let k = suite.k.max(1);
    let mut found_in_k = 0usize;
    let mut reciprocal_ranks = 0.0;
    let mut misses = Vec::new();
    for case in &suite.cases {
        let passages = knowledge.search(&suite.tenant, &case.question, RANKED.max(k)).await?;
        let rank = passages.iter().position(|p| case.sources.contains(&p.source)).map(|index| index + 1);
        if let Some(rank) = rank {
            reciprocal_ranks += 1.0 / rank as f64;
        }
        if rank.is_some_and(|rank| rank <= k) {
            found_in_k += 1;
        } else {
            misses.push(RetrievalMiss {
                id: case.id.clone(),
                question: case.question.clone(),
                expected: case.sources.clone(),
                got: passages.iter().take(k).map(|p| p.source.clone()).collect(),
            });
        }
    }
    let cases = suite.cases.len();
    let ratio = |value: f64| if cases == 0 { 0.0 } else { value / cases as f64 };
    let recall_at_k = ratio(found_in_k as f64);
    Ok(RetrievalGrade {
        suite: suite.suite.clone(),
        tenant: suite.tenant.to_string(),
        k,
        cases,
        recall_at_k,
        mrr: ratio(reciprocal_ranks),
        min_recall: suite.min_recall,
        passed: suite.min_recall.is_none_or(|min| recall_at_k >= min),
        misses,
    })
}
