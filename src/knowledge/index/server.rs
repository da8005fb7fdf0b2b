//! The production adapter: a Qdrant server over gRPC (`qdrant-client`). One collection holds
//! every clinic; the tenant is a keyword payload index marked `is_tenant`, so Qdrant lays each
//! clinic's points out together, and every request carries the tenant filter. A hybrid search
//! is one query: BM25 and dense prefetches fused by RRF on the server.
//!
//! Requests are built by pure functions, unit-tested below; the integration test runs the
//! same contract as the embedded adapter when `SOFIA_TEST_QDRANT_URL` points at a server.

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use qdrant_client::qdrant::{
    Condition, CreateCollection, CreateCollectionBuilder, CreateFieldIndexCollection,
    CreateFieldIndexCollectionBuilder, DeletePoints, DeletePointsBuilder, Distance, FieldType, Filter,
    KeywordIndexParamsBuilder, Modifier, PointId, PointStruct, PrefetchQueryBuilder, Query, QueryPoints,
    QueryPointsBuilder, Rrf, ScrollPoints, ScrollPointsBuilder, SparseVectorParamsBuilder,
    SparseVectorsConfigBuilder, UpsertPoints, UpsertPointsBuilder, Vector, VectorInput, VectorParamsBuilder,
    VectorsConfigBuilder, point_id::PointIdOptions, vectors_config,
};
use qdrant_client::{Payload, Qdrant};
use serde_json::{Value, json};
use sofia_core::domain::TenantId;
use uuid::Uuid;

use super::{
    Hit, IndexKind, IndexQuery, IndexedChunk, KnowledgeIndex, PREFETCH_LIMIT, RRF_K, TENANT_FIELD,
    VectorsConfig,
};
use crate::knowledge::KnowledgeError;
use crate::knowledge::dense::DENSE_VECTOR;
use crate::knowledge::sparse::{SPARSE_VECTOR, SparseVector};

/// Ids read per scroll page when listing a clinic's chunks.
const SCROLL_PAGE: u32 = 1000;

pub struct ServerIndex {
    client: Qdrant,
    collection: String,
}

impl ServerIndex {
    pub fn connect(config: &VectorsConfig) -> Result<ServerIndex, KnowledgeError> {
        let mut builder = Qdrant::from_url(config.url.trim());
        if !config.api_key.is_empty() {
            builder = builder.api_key(config.api_key.expose().to_owned());
        }
        let client = builder.build().map_err(|error| server_error(&error))?;
        Ok(ServerIndex { client, collection: config.collection.clone() })
    }
}

/// The client's errors can quote request metadata; keep the status and message only.
fn server_error(error: &qdrant_client::QdrantError) -> KnowledgeError {
    let text = match error {
        qdrant_client::QdrantError::ResponseError { status } => {
            format!("{:?}: {}", status.code(), status.message())
        }
        other => other.to_string(),
    };
    KnowledgeError::Server(text)
}

/// The collection: BM25 with server-side IDF, and a cosine dense vector when embeddings are on.
pub fn create_collection(collection: &str, dense_dimensions: Option<usize>) -> CreateCollection {
    let mut sparse = SparseVectorsConfigBuilder::default();
    sparse
        .add_named_vector_params(SPARSE_VECTOR, SparseVectorParamsBuilder::default().modifier(Modifier::Idf));
    let mut builder = CreateCollectionBuilder::new(collection).sparse_vectors_config(sparse);
    if let Some(size) = dense_dimensions {
        let mut dense = VectorsConfigBuilder::default();
        dense.add_named_vector_params(DENSE_VECTOR, VectorParamsBuilder::new(size as u64, Distance::Cosine));
        builder = builder.vectors_config(dense);
    }
    builder.build()
}

/// The tenant field as a keyword index marked as the tenant, so each clinic's points are
/// stored together.
pub fn tenant_index(collection: &str) -> CreateFieldIndexCollection {
    CreateFieldIndexCollectionBuilder::new(collection, TENANT_FIELD, FieldType::Keyword)
        .field_index_params(KeywordIndexParamsBuilder::default().is_tenant(true))
        .wait(true)
        .build()
}

fn tenant_filter(tenant: &TenantId) -> Filter {
    Filter::must([Condition::matches(TENANT_FIELD, tenant.as_str().to_owned())])
}

pub fn upsert(collection: &str, tenant: &TenantId, chunks: Vec<IndexedChunk>) -> UpsertPoints {
    let points: Vec<PointStruct> = chunks
        .into_iter()
        .map(|IndexedChunk { chunk, sparse, dense }| {
            let mut vectors: HashMap<String, Vector> = HashMap::new();
            vectors.insert(SPARSE_VECTOR.to_owned(), Vector::new_sparse(sparse.indices, sparse.values));
            if let Some(dense) = dense {
                vectors.insert(DENSE_VECTOR.to_owned(), Vector::new_dense(dense));
            }
            let payload = json!({
                TENANT_FIELD: tenant.as_str(),
                "source": chunk.source,
                "title": chunk.title,
                "text": chunk.text,
            });
            let payload = match payload {
                Value::Object(map) => Payload::from(map),
                _ => Payload::new(),
            };
            PointStruct::new(chunk.id.to_string(), vectors, payload)
        })
        .collect();
    UpsertPointsBuilder::new(collection, points).wait(true).build()
}

/// Deletes `ids` only where they belong to `tenant`.
pub fn delete(collection: &str, tenant: &TenantId, ids: &[Uuid]) -> DeletePoints {
    let ids: Vec<PointId> = ids.iter().map(|id| PointId::from(id.to_string())).collect();
    let filter =
        Filter::must([Condition::matches(TENANT_FIELD, tenant.as_str().to_owned()), Condition::has_id(ids)]);
    DeletePointsBuilder::new(collection).points(filter).wait(true).build()
}

pub fn scroll(collection: &str, tenant: &TenantId, offset: Option<PointId>) -> ScrollPoints {
    let mut builder = ScrollPointsBuilder::new(collection)
        .filter(tenant_filter(tenant))
        .limit(SCROLL_PAGE)
        .with_payload(false)
        .with_vectors(false);
    if let Some(offset) = offset {
        builder = builder.offset(offset);
    }
    builder.build()
}

fn sparse_input(sparse: &SparseVector) -> VectorInput {
    VectorInput::new_sparse(sparse.indices.clone(), sparse.values.clone())
}

pub fn query(collection: &str, tenant: &TenantId, query: &IndexQuery) -> QueryPoints {
    let builder = QueryPointsBuilder::new(collection)
        .filter(tenant_filter(tenant))
        .limit(query.limit as u64)
        .with_payload(true);
    match &query.dense {
        None => builder
            .query(Query::new_nearest(sparse_input(&query.sparse)))
            .using(SPARSE_VECTOR)
            .score_threshold(query.min_sparse_score)
            .build(),
        Some(dense) => {
            let mut builder = builder.add_prefetch(
                PrefetchQueryBuilder::default()
                    .query(Query::new_nearest(VectorInput::new_dense(dense.clone())))
                    .using(DENSE_VECTOR)
                    .filter(tenant_filter(tenant))
                    .score_threshold(query.min_dense_score)
                    .limit(PREFETCH_LIMIT as u64),
            );
            if !query.sparse.is_empty() {
                builder = builder.add_prefetch(
                    PrefetchQueryBuilder::default()
                        .query(Query::new_nearest(sparse_input(&query.sparse)))
                        .using(SPARSE_VECTOR)
                        .filter(tenant_filter(tenant))
                        .score_threshold(query.min_sparse_score)
                        .limit(PREFETCH_LIMIT as u64),
                );
            }
            // The same k as the embedded adapter, so both rank alike.
            builder.query(Query::new_rrf(Rrf { k: Some(RRF_K as u32), weights: Vec::new() })).build()
        }
    }
}

fn uuid_of(id: Option<PointId>) -> Option<Uuid> {
    match id?.point_id_options? {
        PointIdOptions::Uuid(text) => Uuid::parse_str(&text).ok(),
        PointIdOptions::Num(_) => None,
    }
}

#[async_trait]
impl KnowledgeIndex for ServerIndex {
    fn kind(&self) -> IndexKind {
        IndexKind::Server
    }

    async fn prepare(&self, dense_dimensions: Option<usize>) -> Result<(), KnowledgeError> {
        let exists = self.client.collection_exists(&self.collection).await.map_err(|e| server_error(&e))?;
        if !exists {
            self.client
                .create_collection(create_collection(&self.collection, dense_dimensions))
                .await
                .map_err(|e| server_error(&e))?;
            self.client
                .create_field_index(tenant_index(&self.collection))
                .await
                .map_err(|e| server_error(&e))?;
            return Ok(());
        }
        let info = self.client.collection_info(&self.collection).await.map_err(|e| server_error(&e))?;
        let params = info.result.and_then(|result| result.config).and_then(|config| config.params);
        let has_sparse = params
            .as_ref()
            .and_then(|params| params.sparse_vectors_config.as_ref())
            .is_some_and(|sparse| sparse.map.contains_key(SPARSE_VECTOR));
        let dense_size = params
            .as_ref()
            .and_then(|params| params.vectors_config.as_ref())
            .and_then(|config| config.config.as_ref())
            .and_then(|config| match config {
                vectors_config::Config::ParamsMap(map) => map.map.get(DENSE_VECTOR).map(|p| p.size as usize),
                vectors_config::Config::Params(_) => None,
            });
        if !has_sparse || dense_size != dense_dimensions {
            return Err(KnowledgeError::Server(format!(
                "collection '{}' does not match the configuration (BM25 vector: {has_sparse}, dense size: \
                 {dense_size:?}, wanted: {dense_dimensions:?}); delete it or set vectors.collection to a new name",
                self.collection
            )));
        }
        Ok(())
    }

    async fn chunk_ids(&self, tenant: &TenantId) -> Result<BTreeSet<Uuid>, KnowledgeError> {
        let mut ids = BTreeSet::new();
        let mut offset = None;
        loop {
            let page = self
                .client
                .scroll(scroll(&self.collection, tenant, offset))
                .await
                .map_err(|e| server_error(&e))?;
            ids.extend(page.result.into_iter().filter_map(|point| uuid_of(point.id)));
            match page.next_page_offset {
                Some(next) => offset = Some(next),
                None => return Ok(ids),
            }
        }
    }

    async fn upsert(&self, tenant: &TenantId, chunks: Vec<IndexedChunk>) -> Result<(), KnowledgeError> {
        if chunks.is_empty() {
            return Ok(());
        }
        self.client
            .upsert_points(upsert(&self.collection, tenant, chunks))
            .await
            .map_err(|e| server_error(&e))?;
        Ok(())
    }

    async fn remove(&self, tenant: &TenantId, ids: Vec<Uuid>) -> Result<(), KnowledgeError> {
        if ids.is_empty() {
            return Ok(());
        }
        self.client
            .delete_points(delete(&self.collection, tenant, &ids))
            .await
            .map_err(|e| server_error(&e))?;
        Ok(())
    }

    async fn search(&self, tenant: &TenantId, request: IndexQuery) -> Result<Vec<Hit>, KnowledgeError> {
        if request.sparse.is_empty() && request.dense.is_none() {
            return Ok(Vec::new());
        }
        let found = self
            .client
            .query(query(&self.collection, tenant, &request))
            .await
            .map_err(|e| server_error(&e))?;
        Ok(found
            .result
            .into_iter()
            .filter_map(|point| {
                let id = uuid_of(point.id)?;
                let text = |key: &str| {
                    point
                        .payload
                        .get(key)
                        .and_then(|value| value.as_str().map(|s| s.to_owned()))
                        .unwrap_or_default()
                };
                Some(Hit {
                    id,
                    source: text("source"),
                    title: text("title"),
                    text: text("text"),
                    score: point.score,
                })
            })
            .collect())
    }

    async fn check(&self) -> Result<(), KnowledgeError> {
        self.client.health_check().await.map_err(|e| server_error(&e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use qdrant_client::qdrant::{condition, r#match, query, vector_input};

    use super::*;
    use crate::knowledge::chunking::Chunk;

    fn tenant() -> TenantId {
        TenantId::parse("demo").unwrap()
    }

    fn tenant_of(filter: &Filter) -> Option<String> {
        filter.must.iter().find_map(|condition| match &condition.condition_one_of {
            Some(condition::ConditionOneOf::Field(field)) if field.key == TENANT_FIELD => {
                match field.r#match.as_ref()?.match_value.as_ref()? {
                    r#match::MatchValue::Keyword(keyword) => Some(keyword.clone()),
                    _ => None,
                }
            }
            _ => None,
        })
    }

    fn index_query(dense: Option<Vec<f32>>) -> IndexQuery {
        IndexQuery {
            sparse: SparseVector { indices: vec![3, 9], values: vec![1.0, 1.0] },
            dense,
            limit: 3,
            min_sparse_score: 0.5,
            min_dense_score: 0.3,
        }
    }

    #[test]
    fn the_collection_has_bm25_with_idf_and_a_dense_vector_only_when_embeddings_are_on() {
        let bm25_only = create_collection("kb", None);
        let sparse = bm25_only.sparse_vectors_config.unwrap();
        assert_eq!(sparse.map[SPARSE_VECTOR].modifier, Some(Modifier::Idf as i32));
        assert!(bm25_only.vectors_config.is_none());

        let hybrid = create_collection("kb", Some(1536));
        match hybrid.vectors_config.unwrap().config.unwrap() {
            vectors_config::Config::ParamsMap(map) => {
                assert_eq!(map.map[DENSE_VECTOR].size, 1536);
                assert_eq!(map.map[DENSE_VECTOR].distance, Distance::Cosine as i32);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_tenant_field_is_a_keyword_index_marked_as_tenant() {
        let index = tenant_index("kb");
        assert_eq!(index.field_name, TENANT_FIELD);
        assert_eq!(index.field_type, Some(FieldType::Keyword as i32));
        let params = format!("{:?}", index.field_index_params.unwrap());
        assert!(params.contains("is_tenant: Some(true)"), "{params}");
    }

    #[test]
    fn a_bm25_search_is_filtered_to_the_tenant_with_a_score_threshold() {
        let request = query("kb", &tenant(), &index_query(None));
        assert_eq!(tenant_of(request.filter.as_ref().unwrap()).as_deref(), Some("demo"));
        assert_eq!(request.using.as_deref(), Some(SPARSE_VECTOR));
        assert_eq!(request.limit, Some(3));
        assert_eq!(request.score_threshold, Some(0.5));
        assert!(request.prefetch.is_empty());
        let nearest = match request.query.unwrap().variant.unwrap() {
            query::Variant::Nearest(input) => input.variant.unwrap(),
            other => panic!("{other:?}"),
        };
        assert!(matches!(nearest, vector_input::Variant::Sparse(sparse) if sparse.indices == [3, 9]));
    }

    #[test]
    fn a_hybrid_search_fuses_dense_and_bm25_prefetches_each_filtered_to_the_tenant() {
        let request = query("kb", &tenant(), &index_query(Some(vec![0.1, 0.2])));
        assert!(
            matches!(request.query.unwrap().variant.unwrap(), query::Variant::Rrf(rrf) if rrf.k == Some(RRF_K as u32))
        );
        let usings: Vec<&str> = request.prefetch.iter().map(|p| p.using.as_deref().unwrap()).collect();
        assert_eq!(usings, [DENSE_VECTOR, SPARSE_VECTOR]);
        for prefetch in &request.prefetch {
            assert_eq!(tenant_of(prefetch.filter.as_ref().unwrap()).as_deref(), Some("demo"));
            assert_eq!(prefetch.limit, Some(PREFETCH_LIMIT as u64));
        }
        assert_eq!(tenant_of(request.filter.as_ref().unwrap()).as_deref(), Some("demo"));
    }

    #[test]
    fn points_carry_the_tenant_source_and_both_vectors() {
        let chunk = Chunk { id: Uuid::nil(), source: "a.md".into(), title: "A".into(), text: "texto".into() };
        let request = upsert(
            "kb",
            &tenant(),
            vec![IndexedChunk {
                chunk,
                sparse: SparseVector { indices: vec![1], values: vec![2.0] },
                dense: Some(vec![0.5]),
            }],
        );
        assert_eq!(request.wait, Some(true));
        let point = &request.points[0];
        assert_eq!(uuid_of(point.id.clone()), Some(Uuid::nil()));
        assert_eq!(point.payload[TENANT_FIELD].as_str().map(String::as_str), Some("demo"));
        assert_eq!(point.payload["source"].as_str().map(String::as_str), Some("a.md"));
        let vectors = format!("{:?}", point.vectors);
        assert!(vectors.contains(SPARSE_VECTOR) && vectors.contains(DENSE_VECTOR), "{vectors}");
    }

    #[test]
    fn deleting_and_listing_never_leave_the_tenant() {
        let request = delete("kb", &tenant(), &[Uuid::nil()]);
        let selector = format!("{:?}", request.points.unwrap());
        assert!(selector.contains("Keyword(\"demo\")") && selector.contains("HasId"), "{selector}");
        let page = scroll("kb", &tenant(), None);
        assert_eq!(tenant_of(page.filter.as_ref().unwrap()).as_deref(), Some("demo"));
    }
}
