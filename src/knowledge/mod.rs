//! The clinic's knowledge base: its markdown files and `clinic.yaml` facts, chunked, embedded
//! (BM25 always, dense vectors when an embeddings endpoint is configured) and searched through
//! one [`KnowledgeIndex`] port with two adapters: the embedded Qdrant engine (`qdrant-edge`,
//! default) and a Qdrant server (`vectors.url`). See docs/knowledge.md.

mod base;
pub mod chunking;
mod dense;
pub mod documents;
mod error;
pub mod index;
pub mod retrieval;
pub mod sparse;

pub use base::{
    IngestProgress, IngestSummary, KnowledgeBase, MIN_DENSE_SCORE, MIN_SPARSE_SCORE, Passage, Quiet,
};
pub use dense::{DenseEmbedder, EmbeddingsConfig};
pub use error::KnowledgeError;
pub use index::{IndexKind, KnowledgeIndex, VectorsConfig};
