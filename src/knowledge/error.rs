use std::path::PathBuf;

/// What can go wrong reading, indexing or searching a clinic's knowledge.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the BM25 model cannot be built: {0}")]
    Bm25(String),
    #[error(
        "the embedded vector index {path} is in use by another Sofia process; stop it, or point \
         vectors.path elsewhere"
    )]
    Locked { path: PathBuf },
    #[error("the embedded vector index at {path}: {message}")]
    Embedded { path: PathBuf, message: String },
    /// The Qdrant server refused or could not be reached. The message never holds the API key.
    #[error("the Qdrant server: {0}")]
    Server(String),
    #[error("the embeddings endpoint: {0}")]
    Embeddings(String),
    #[error("the vector index task stopped: {0}")]
    Task(String),
}
