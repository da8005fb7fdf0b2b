//! [`KnowledgeBase`]: ingest a clinic's documents into the index and search them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use sofia_core::clinic::Clinic;
use sofia_core::domain::TenantId;

use super::KnowledgeError;
use super::chunking::{self, Chunk};
use super::dense::{DenseEmbedder, EmbeddingsConfig};
use super::documents;
use super::index::{
    EmbeddedIndex, IndexKind, IndexQuery, IndexedChunk, KnowledgeIndex, ServerIndex, VectorsConfig,
};
use super::sparse::Bm25;

/// Below this BM25 score a chunk shares only common words with the question. Calibrated on
/// the demo clinic: on-topic questions score above 3, off-topic ones below 1.5.
pub const MIN_SPARSE_SCORE: f32 = 1.5;
/// Below this cosine similarity a chunk is not about the question (embedding models put
/// unrelated Portuguese text around 0.1–0.3).
pub const MIN_DENSE_SCORE: f32 = 0.35;
/// Chunks embedded and written per index call during an ingest.
const INGEST_BATCH: usize = 64;

/// A passage of the clinic's knowledge found for a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    pub source: String,
    pub title: String,
    pub text: String,
    pub score: f32,
}

/// What an ingest did, per clinic (also the admin API's answer to a reload).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IngestSummary {
    pub documents: usize,
    pub chunks: usize,
    pub added: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Told how an ingest advances, for `sofia ingest`'s progress bar.
pub trait IngestProgress: Send + Sync {
    /// `total` chunks are about to be embedded and stored.
    fn start(&self, tenant: &TenantId, total: usize);
    /// `done` of them are stored.
    fn advance(&self, done: usize);
}

/// Reports nothing (`serve` logs the summary instead).
pub struct Quiet;

impl IngestProgress for Quiet {
    fn start(&self, _: &TenantId, _: usize) {}
    fn advance(&self, _: usize) {}
}

pub struct KnowledgeBase {
    index: Arc<dyn KnowledgeIndex>,
    bm25: Bm25,
    dense: Option<DenseEmbedder>,
}

impl KnowledgeBase {
    /// The index the configuration names (a Qdrant server when `vectors.url` is set, the
    /// embedded engine under `vectors.path` otherwise), ready for vectors of the configured
    /// embeddings model.
    pub async fn open(
        vectors: &VectorsConfig,
        embeddings: &EmbeddingsConfig,
        client: reqwest::Client,
    ) -> Result<KnowledgeBase, KnowledgeError> {
        let index: Arc<dyn KnowledgeIndex> = if vectors.uses_server() {
            Arc::new(ServerIndex::connect(vectors)?)
        } else {
            Arc::new(EmbeddedIndex::open(&vectors.path)?)
        };
        Self::over(index, embeddings, client).await
    }

    /// An embedded index in a temporary folder, removed when dropped.
    pub async fn temporary(
        embeddings: &EmbeddingsConfig,
        client: reqwest::Client,
    ) -> Result<KnowledgeBase, KnowledgeError> {
        Self::over(Arc::new(EmbeddedIndex::temporary()?), embeddings, client).await
    }

    /// `index`, prepared for the configured embeddings.
    pub async fn over(
        index: Arc<dyn KnowledgeIndex>,
        embeddings: &EmbeddingsConfig,
        client: reqwest::Client,
    ) -> Result<KnowledgeBase, KnowledgeError> {
        let dense = match embeddings.is_enabled() {
            true => Some(DenseEmbedder::connect(embeddings, client).await?),
            false => None,
        };
        index.prepare(dense.as_ref().map(DenseEmbedder::dimensions)).await?;
        Ok(KnowledgeBase { index, bm25: Bm25::portuguese()?, dense })
    }

    pub fn index_kind(&self) -> IndexKind {
        self.index.kind()
    }

    /// Whether dense vectors are fused with BM25.
    pub fn is_hybrid(&self) -> bool {
        self.dense.is_some()
    }

    pub async fn check(&self) -> Result<(), KnowledgeError> {
        self.index.check().await
    }

    /// Brings the index in line with the clinic's documents in `dir`: new and changed chunks
    /// are embedded and stored, chunks no longer in any document are removed, the rest is
    /// left alone.
    pub async fn ingest(
        &self,
        clinic: &Clinic,
        dir: &Path,
        progress: &dyn IngestProgress,
    ) -> Result<IngestSummary, KnowledgeError> {
        let tenant = &clinic.tenant;
        let documents = documents::load(clinic, dir)?;
        // Two identical sections of one document are one chunk.
        let chunks: BTreeMap<uuid::Uuid, Chunk> = documents
            .iter()
            .flat_map(|document| chunking::chunk(tenant, document))
            .map(|chunk| (chunk.id, chunk))
            .collect();
        let stored = self.index.chunk_ids(tenant).await?;
        let wanted: BTreeSet<uuid::Uuid> = chunks.keys().copied().collect();
        let stale: Vec<uuid::Uuid> = stored.difference(&wanted).copied().collect();
        let new: Vec<Chunk> = chunks.into_values().filter(|chunk| !stored.contains(&chunk.id)).collect();
        let summary = IngestSummary {
            documents: documents.len(),
            chunks: wanted.len(),
            added: new.len(),
            unchanged: wanted.len() - new.len(),
            removed: stale.len(),
        };
        progress.start(tenant, new.len());
        let mut done = 0;
        for batch in new.chunks(INGEST_BATCH) {
            let texts: Vec<String> = batch.iter().map(Chunk::indexed_text).collect();
            let dense = match &self.dense {
                Some(embedder) => Some(embedder.embed(&texts).await?),
                None => None,
            };
            let mut dense = dense.map(Vec::into_iter);
            let indexed = batch
                .iter()
                .zip(&texts)
                .map(|(chunk, text)| IndexedChunk {
                    chunk: chunk.clone(),
                    sparse: self.bm25.embed_document(text),
                    dense: dense.as_mut().and_then(Iterator::next),
                })
                .collect();
            self.index.upsert(tenant, indexed).await?;
            done += batch.len();
            progress.advance(done);
        }
        self.index.remove(tenant, stale).await?;
        Ok(summary)
    }

    /// The clinic's passages that best answer `question`, best first, at most `limit`, none
    /// below the relevance thresholds. If the embeddings endpoint fails, BM25 answers alone.
    pub async fn search(
        &self,
        tenant: &TenantId,
        question: &str,
        limit: usize,
    ) -> Result<Vec<Passage>, KnowledgeError> {
        let sparse = self.bm25.embed_query(question);
        let dense = match &self.dense {
            None => None,
            Some(embedder) => match embedder.embed(&[question.to_owned()]).await {
                Ok(mut vectors) => vectors.pop(),
                Err(error) => {
                    tracing::warn!(error = %error, "embeddings failed: searching with BM25 alone");
                    None
                }
            },
        };
        let query = IndexQuery {
            sparse,
            dense,
            limit,
            min_sparse_score: MIN_SPARSE_SCORE,
            min_dense_score: MIN_DENSE_SCORE,
        };
        let hits = self.index.search(tenant, query).await?;
        Ok(hits
            .into_iter()
            .map(|hit| Passage { source: hit.source, title: hit.title, text: hit.text, score: hit.score })
            .collect())
    }
}
