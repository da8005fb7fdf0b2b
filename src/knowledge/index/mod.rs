//! The vector index port and its two adapters: [`EmbeddedIndex`] (the in-process Qdrant
//! engine under `vectors.path`, default) and [`ServerIndex`] (a Qdrant server at
//! `vectors.url`). Both hold every clinic in one collection with the tenant as an indexed
//! payload field, and both receive vectors computed by the caller.

mod embedded;
mod server;

use std::collections::BTreeSet;
use std::path::PathBuf;

use async_trait::async_trait;
use serde::Deserialize;
use sofia_core::domain::TenantId;
use uuid::Uuid;

pub use embedded::EmbeddedIndex;
pub use server::ServerIndex;

use super::KnowledgeError;
use super::chunking::Chunk;
use super::sparse::SparseVector;
use crate::secret::Secret;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VectorsConfig {
    /// Empty: the embedded engine. `http://qdrant:6334`: a Qdrant server (gRPC port).
    pub url: String,
    pub api_key: Secret,
    /// The server collection holding every clinic's chunks.
    pub collection: String,
    /// Where the embedded engine keeps its files.
    pub path: PathBuf,
}

impl Default for VectorsConfig {
    fn default() -> Self {
        VectorsConfig {
            url: String::new(),
            api_key: Secret::new(""),
            collection: "sofia_knowledge".to_owned(),
            path: PathBuf::from("data/vectors"),
        }
    }
}

impl VectorsConfig {
    pub fn uses_server(&self) -> bool {
        !self.url.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Embedded,
    Server,
}

impl IndexKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IndexKind::Embedded => "embedded",
            IndexKind::Server => "server",
        }
    }
}

/// A chunk with its vectors, ready to store.
#[derive(Debug, Clone)]
pub struct IndexedChunk {
    pub chunk: Chunk,
    pub sparse: SparseVector,
    pub dense: Option<Vec<f32>>,
}

/// A search: BM25 terms always; a dense vector when embeddings are on (then fused by RRF).
#[derive(Debug, Clone)]
pub struct IndexQuery {
    pub sparse: SparseVector,
    pub dense: Option<Vec<f32>>,
    pub limit: usize,
    /// Below this BM25 score a chunk shares too little with the question to be an answer.
    pub min_sparse_score: f32,
    /// Below this cosine similarity a chunk is not about the question.
    pub min_dense_score: f32,
}

/// A stored chunk found by a search, with its score (BM25 alone, or RRF when fused).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: Uuid,
    pub source: String,
    pub title: String,
    pub text: String,
    pub score: f32,
}

/// Candidates each side of a hybrid search brings to the fusion.
pub const PREFETCH_LIMIT: usize = 20;
/// Reciprocal rank fusion's usual constant.
pub const RRF_K: usize = 60;

#[async_trait]
pub trait KnowledgeIndex: Send + Sync {
    fn kind(&self) -> IndexKind;
    /// Prepares storage for vectors of `dense_dimensions` (none: BM25 only). The embedded
    /// engine rebuilds itself when the shape changed; a server collection must match.
    async fn prepare(&self, dense_dimensions: Option<usize>) -> Result<(), KnowledgeError>;
    /// The ids of every chunk stored for `tenant`.
    async fn chunk_ids(&self, tenant: &TenantId) -> Result<BTreeSet<Uuid>, KnowledgeError>;
    /// Stores `chunks` for `tenant`, durable when this returns.
    async fn upsert(&self, tenant: &TenantId, chunks: Vec<IndexedChunk>) -> Result<(), KnowledgeError>;
    /// Removes `ids` of `tenant`, durable when this returns.
    async fn remove(&self, tenant: &TenantId, ids: Vec<Uuid>) -> Result<(), KnowledgeError>;
    /// The best chunks of `tenant` only.
    async fn search(&self, tenant: &TenantId, query: IndexQuery) -> Result<Vec<Hit>, KnowledgeError>;
    /// For `/readyz`: answers when the index can serve searches.
    async fn check(&self) -> Result<(), KnowledgeError>;
}

/// The payload field holding the tenant, indexed as a keyword in both adapters.
pub(crate) const TENANT_FIELD: &str = "clinic";
