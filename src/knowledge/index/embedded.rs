//! The embedded adapter: the in-process Qdrant engine (`qdrant-edge` 0.7.0), one shard under
//! `vectors.path/shard` holding every clinic.
//!
//! Three things about this engine version shape the code:
//! - it does not replay its write-ahead log when it opens, so every write is flushed to the
//!   segments before it returns;
//! - its `flush` panics when another write holds the log, so writes take this index's write
//!   lock (searches share the read lock);
//! - it has no guard against two processes opening one folder, so a `LOCK` file held with an
//!   OS lock for the life of the index refuses a second process.
//!
//! The index is derived data (the markdown and `clinic.yaml` are the truth): when its vector
//! shape no longer matches the configuration, it is rebuilt from scratch.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use qdrant_edge::{
    Condition, CreateIndex, Distance, EdgeConfig, EdgeConfigBuilder, EdgeShard, EdgeSparseVectorParams,
    EdgeVectorParams, FieldCondition, FieldIndexOperations, Filter, Fusion, JsonPath, Match, Modifier,
    NamedQuery, Payload, PayloadFieldSchema, PayloadSchemaType, PointId, PointInsertOperations,
    PointOperations, PointStructPersisted, Prefetch, QueryEnum, QueryRequest, ScoredPoint, ScoringQuery,
    ScrollRequest, UpdateOperation, VectorInternal, VectorPersisted, VectorStructPersisted,
    WithPayloadInterface, WithVector,
};
use serde_json::{Map, Value};
use sofia_core::domain::TenantId;
use uuid::Uuid;

use super::{Hit, IndexKind, IndexQuery, IndexedChunk, KnowledgeIndex, PREFETCH_LIMIT, RRF_K, TENANT_FIELD};
use crate::knowledge::KnowledgeError;
use crate::knowledge::dense::DENSE_VECTOR;
use crate::knowledge::sparse::{SPARSE_VECTOR, SparseVector};

/// Ids read per scroll page when listing a clinic's chunks.
const SCROLL_PAGE: usize = 1000;

pub struct EmbeddedIndex {
    inner: Arc<Inner>,
}

/// Fields drop in order: the shard flushes and closes before the lock is released and before
/// a temporary folder is removed (the engine panics if its folder vanished first).
struct Inner {
    path: PathBuf,
    shard: RwLock<Option<EdgeShard>>,
    _lock: File,
    _temporary: Option<TemporaryDir>,
}

/// A folder removed when dropped.
struct TemporaryDir(PathBuf);

impl Drop for TemporaryDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl EmbeddedIndex {
    /// Opens (creating) the index at `path`, refusing it if another process has it open.
    pub fn open(path: &Path) -> Result<EmbeddedIndex, KnowledgeError> {
        Self::open_inner(path, None)
    }

    /// An index in a fresh folder under the system's temporary directory, removed when the
    /// index is dropped: for evals, tests and a `sofia chat` started beside a running `serve`.
    pub fn temporary() -> Result<EmbeddedIndex, KnowledgeError> {
        let path = std::env::temp_dir().join(format!("sofia-vectors-{}", Uuid::new_v4().simple()));
        Self::open_inner(&path, Some(TemporaryDir(path.clone())))
    }

    fn open_inner(path: &Path, temporary: Option<TemporaryDir>) -> Result<EmbeddedIndex, KnowledgeError> {
        std::fs::create_dir_all(path)
            .map_err(|source| KnowledgeError::Read { path: path.to_owned(), source })?;
        let lock_path = path.join("LOCK");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| KnowledgeError::Read { path: lock_path.clone(), source })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(KnowledgeError::Locked { path: path.to_owned() });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(KnowledgeError::Read { path: lock_path, source });
            }
        }
        Ok(EmbeddedIndex {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                shard: RwLock::new(None),
                _lock: lock,
                _temporary: temporary,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `work` on a blocking thread: the engine's calls do file I/O.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, KnowledgeError> + Send + 'static,
    ) -> Result<T, KnowledgeError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|error| KnowledgeError::Task(error.to_string()))?
    }
}

impl Inner {
    fn error(&self, message: impl std::fmt::Display) -> KnowledgeError {
        KnowledgeError::Embedded { path: self.path.clone(), message: message.to_string() }
    }

    fn shard_dir(&self) -> PathBuf {
        self.path.join("shard")
    }

    /// Reads with the shard, which must have been prepared.
    fn read<T>(
        &self,
        work: impl FnOnce(&EdgeShard) -> Result<T, KnowledgeError>,
    ) -> Result<T, KnowledgeError> {
        let guard = self.shard.read().map_err(|_| self.error("a write panicked earlier"))?;
        let shard = guard.as_ref().ok_or_else(|| self.error("not prepared"))?;
        work(shard)
    }

    /// Applies `operation` and flushes it to the segments before returning.
    fn write(&self, operation: UpdateOperation) -> Result<(), KnowledgeError> {
        let guard = self.shard.write().map_err(|_| self.error("a write panicked earlier"))?;
        let shard = guard.as_ref().ok_or_else(|| self.error("not prepared"))?;
        shard.update(operation).map_err(|error| self.error(error))?;
        shard.flush();
        Ok(())
    }

    fn prepare(&self, dense_dimensions: Option<usize>) -> Result<(), KnowledgeError> {
        let wanted = shape(dense_dimensions);
        let mut guard = self.shard.write().map_err(|_| self.error("a write panicked earlier"))?;
        if guard.as_ref().is_some_and(|shard| same_shape(&shard.config(), &wanted)) {
            return Ok(());
        }
        // Close the current shard before touching its files.
        *guard = None;
        let dir = self.shard_dir();
        if dir.join("edge_config.json").is_file() {
            match EdgeShard::load(&dir, None) {
                Ok(shard) if same_shape(&shard.config(), &wanted) => {
                    *guard = Some(shard);
                    return Ok(());
                }
                Ok(shard) => {
                    tracing::info!(path = %dir.display(), "vector shape changed: rebuilding the embedded index");
                    drop(shard);
                }
                Err(error) => {
                    tracing::warn!(path = %dir.display(), error = %error, "unreadable embedded index: rebuilding it");
                }
            }
        }
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|error| self.error(error))?;
        }
        std::fs::create_dir_all(&dir).map_err(|error| self.error(error))?;
        let shard = EdgeShard::new(&dir, wanted).map_err(|error| self.error(error))?;
        shard
            .update(UpdateOperation::FieldIndexOperation(FieldIndexOperations::CreateIndex(CreateIndex {
                field_name: tenant_path(),
                field_schema: Some(PayloadFieldSchema::FieldType(PayloadSchemaType::Keyword)),
            })))
            .map_err(|error| self.error(error))?;
        shard.flush();
        *guard = Some(shard);
        Ok(())
    }
}

/// BM25 with IDF applied at query time; a cosine dense vector when embeddings are on.
fn shape(dense_dimensions: Option<usize>) -> EdgeConfig {
    let mut builder = EdgeConfigBuilder::new()
        .sparse_vector(SPARSE_VECTOR, EdgeSparseVectorParams::builder().modifier(Modifier::Idf).build());
    if let Some(size) = dense_dimensions {
        builder = builder.vector(DENSE_VECTOR, EdgeVectorParams::builder(size, Distance::Cosine).build());
    }
    builder.build()
}

fn same_shape(have: &EdgeConfig, wanted: &EdgeConfig) -> bool {
    let dense = |config: &EdgeConfig| {
        let mut sizes: Vec<(String, usize)> =
            config.vectors.iter().map(|(name, params)| (name.clone(), params.size)).collect();
        sizes.sort();
        sizes
    };
    let sparse = |config: &EdgeConfig| {
        let mut names: Vec<(String, bool)> = config
            .sparse_vectors
            .iter()
            .map(|(name, params)| (name.clone(), params.modifier == Some(Modifier::Idf)))
            .collect();
        names.sort();
        names
    };
    dense(have) == dense(wanted) && sparse(have) == sparse(wanted)
}

/// The payload field holding the tenant, as the engine names fields.
fn tenant_path() -> JsonPath {
    JsonPath { first_key: TENANT_FIELD.to_owned(), rest: Vec::new() }
}

fn tenant_filter(tenant: &TenantId) -> Filter {
    Filter::new_must(Condition::Field(FieldCondition::new_match(
        tenant_path(),
        Match::from(tenant.as_str().to_owned()),
    )))
}

fn sparse_query(sparse: &SparseVector) -> ScoringQuery {
    ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
        query: VectorInternal::Sparse(qdrant_edge::SparseVector {
            indices: sparse.indices.clone(),
            values: sparse.values.clone(),
        }),
        using: Some(SPARSE_VECTOR.to_owned()),
    }))
}

fn point(tenant: &TenantId, indexed: IndexedChunk) -> PointStructPersisted {
    let IndexedChunk { chunk, sparse, dense } = indexed;
    let mut vectors = HashMap::new();
    vectors.insert(
        SPARSE_VECTOR.to_owned(),
        VectorPersisted::Sparse(qdrant_edge::SparseVector { indices: sparse.indices, values: sparse.values }),
    );
    if let Some(dense) = dense {
        vectors.insert(DENSE_VECTOR.to_owned(), VectorPersisted::Dense(dense));
    }
    let mut payload = Map::new();
    payload.insert(TENANT_FIELD.to_owned(), Value::String(tenant.as_str().to_owned()));
    payload.insert("source".to_owned(), Value::String(chunk.source));
    payload.insert("title".to_owned(), Value::String(chunk.title));
    payload.insert("text".to_owned(), Value::String(chunk.text));
    PointStructPersisted {
        id: PointId::Uuid(chunk.id),
        vector: VectorStructPersisted::Named(vectors),
        payload: Some(Payload(payload)),
    }
}

fn hit(point: ScoredPoint) -> Option<Hit> {
    let PointId::Uuid(id) = point.id else { return None };
    let payload = point.payload?.0;
    let text = |key: &str| payload.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    Some(Hit { id, source: text("source"), title: text("title"), text: text("text"), score: point.score })
}

#[async_trait]
impl KnowledgeIndex for EmbeddedIndex {
    fn kind(&self) -> IndexKind {
        IndexKind::Embedded
    }

    async fn prepare(&self, dense_dimensions: Option<usize>) -> Result<(), KnowledgeError> {
        self.blocking(move |inner| inner.prepare(dense_dimensions)).await
    }

    async fn chunk_ids(&self, tenant: &TenantId) -> Result<BTreeSet<Uuid>, KnowledgeError> {
        let filter = tenant_filter(tenant);
        self.blocking(move |inner| {
            inner.read(|shard| {
                let mut ids = BTreeSet::new();
                let mut offset = None;
                loop {
                    let (records, next) = shard
                        .scroll(ScrollRequest {
                            offset,
                            limit: Some(SCROLL_PAGE),
                            filter: Some(filter.clone()),
                            with_payload: Some(WithPayloadInterface::Bool(false)),
                            with_vector: WithVector::Bool(false),
                            order_by: None,
                        })
                        .map_err(|error| inner.error(error))?;
                    ids.extend(records.into_iter().filter_map(|record| match record.id {
                        PointId::Uuid(id) => Some(id),
                        PointId::NumId(_) => None,
                    }));
                    match next {
                        Some(next) => offset = Some(next),
                        None => return Ok(ids),
                    }
                }
            })
        })
        .await
    }

    async fn upsert(&self, tenant: &TenantId, chunks: Vec<IndexedChunk>) -> Result<(), KnowledgeError> {
        if chunks.is_empty() {
            return Ok(());
        }
        let points: Vec<PointStructPersisted> =
            chunks.into_iter().map(|chunk| point(tenant, chunk)).collect();
        self.blocking(move |inner| {
            inner.write(UpdateOperation::PointOperation(PointOperations::UpsertPoints(
                PointInsertOperations::PointsList(points),
            )))
        })
        .await
    }

    /// Chunk ids hash the tenant in (chunking.rs), so an id names one clinic's chunk only.
    async fn remove(&self, _tenant: &TenantId, ids: Vec<Uuid>) -> Result<(), KnowledgeError> {
        if ids.is_empty() {
            return Ok(());
        }
        let ids = ids.into_iter().map(PointId::Uuid).collect();
        self.blocking(move |inner| {
            inner.write(UpdateOperation::PointOperation(PointOperations::DeletePoints { ids }))
        })
        .await
    }

    async fn search(&self, tenant: &TenantId, query: IndexQuery) -> Result<Vec<Hit>, KnowledgeError> {
        if query.sparse.is_empty() && query.dense.is_none() {
            return Ok(Vec::new());
        }
        let filter = tenant_filter(tenant);
        let request = match &query.dense {
            None => QueryRequest {
                prefetches: Vec::new(),
                query: Some(sparse_query(&query.sparse)),
                filter: Some(filter),
                score_threshold: Some(query.min_sparse_score.into()),
                limit: query.limit,
                offset: 0,
                params: None,
                with_vector: WithVector::Bool(false),
                with_payload: WithPayloadInterface::Bool(true),
            },
            Some(dense) => {
                let prefetch = |query: ScoringQuery, threshold: f32| Prefetch {
                    prefetches: Vec::new(),
                    query: Some(query),
                    limit: PREFETCH_LIMIT,
                    params: None,
                    filter: Some(filter.clone()),
                    score_threshold: Some(threshold.into()),
                };
                let dense = ScoringQuery::Vector(QueryEnum::Nearest(NamedQuery {
                    query: VectorInternal::Dense(dense.clone()),
                    using: Some(DENSE_VECTOR.to_owned()),
                }));
                let mut prefetches = vec![prefetch(dense, query.min_dense_score)];
                if !query.sparse.is_empty() {
                    prefetches.push(prefetch(sparse_query(&query.sparse), query.min_sparse_score));
                }
                QueryRequest {
                    prefetches,
                    query: Some(ScoringQuery::Fusion(Fusion::Rrf { k: RRF_K, weights: None })),
                    filter: Some(filter.clone()),
                    score_threshold: None,
                    limit: query.limit,
                    offset: 0,
                    params: None,
                    with_vector: WithVector::Bool(false),
                    with_payload: WithPayloadInterface::Bool(true),
                }
            }
        };
        self.blocking(move |inner| {
            inner.read(|shard| {
                let points = shard.query(request).map_err(|error| inner.error(error))?;
                Ok(points.into_iter().filter_map(hit).collect())
            })
        })
        .await
    }

    async fn check(&self) -> Result<(), KnowledgeError> {
        self.blocking(|inner| inner.read(|_| Ok(()))).await
    }
}
