//! Dense vectors from an OpenAI-compatible `/embeddings` endpoint (OpenAI, LiteLLM, vLLM,
//! Ollama…), when `embeddings.base_url` is set. They are fused with BM25 (RRF); without them
//! retrieval is BM25 alone, which needs nothing outside this process.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use super::KnowledgeError;
use crate::secret::Secret;

/// Name of the dense vector in the embedded shard and the server collection.
pub const DENSE_VECTOR: &str = "dense";

/// Texts per request: providers cap the batch (OpenAI at 2048 inputs); small batches keep a
/// failed request cheap to retry.
const BATCH: usize = 64;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbeddingsConfig {
    /// API root, e.g. `https://api.openai.com/v1`. Empty: BM25 only.
    pub base_url: String,
    pub api_key: Secret,
    pub model: String,
    pub timeout_s: u64,
}

impl Default for EmbeddingsConfig {
    fn default() -> Self {
        EmbeddingsConfig {
            base_url: String::new(),
            api_key: Secret::new(""),
            model: "text-embedding-3-small".to_owned(),
            timeout_s: 20,
        }
    }
}

impl EmbeddingsConfig {
    pub fn is_enabled(&self) -> bool {
        !self.base_url.trim().is_empty()
    }
}

/// The embeddings client, with the vector size learnt from the endpoint.
#[derive(Debug, Clone)]
pub struct DenseEmbedder {
    client: reqwest::Client,
    url: String,
    api_key: Secret,
    model: String,
    timeout: Duration,
    dimensions: usize,
}

#[derive(Deserialize)]
struct Answer {
    data: Vec<Embedding>,
}

#[derive(Deserialize)]
struct Embedding {
    #[serde(default)]
    index: Option<usize>,
    embedding: Vec<f32>,
}

impl DenseEmbedder {
    /// Connects and embeds one word to learn the model's vector size, which the index needs
    /// before its first write.
    pub async fn connect(
        config: &EmbeddingsConfig,
        client: reqwest::Client,
    ) -> Result<DenseEmbedder, KnowledgeError> {
        let mut embedder = DenseEmbedder {
            client,
            url: format!("{}/embeddings", config.base_url.trim().trim_end_matches('/')),
            api_key: config.api_key.clone(),
            model: config.model.clone(),
            timeout: Duration::from_secs(config.timeout_s.max(1)),
            dimensions: 0,
        };
        let probe = embedder.request(&["dimensão".to_owned()]).await?;
        embedder.dimensions = probe.first().map_or(0, Vec::len);
        if embedder.dimensions == 0 {
            return Err(KnowledgeError::Embeddings("the endpoint returned an empty vector".to_owned()));
        }
        Ok(embedder)
    }

    pub fn dimensions(&self) -> usize {
        self.dimensions
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// One vector per text, in order.
    pub async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let mut vectors = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            let found = self.request(batch).await?;
            if let Some(wrong) = found.iter().find(|vector| vector.len() != self.dimensions) {
                return Err(KnowledgeError::Embeddings(format!(
                    "a vector of {} dimensions where the index holds {}",
                    wrong.len(),
                    self.dimensions
                )));
            }
            vectors.extend(found);
        }
        Ok(vectors)
    }

    async fn request(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let mut request = self
            .client
            .post(&self.url)
            .timeout(self.timeout)
            .json(&json!({ "model": self.model, "input": texts }));
        if !self.api_key.is_empty() {
            request = request.bearer_auth(self.api_key.expose());
        }
        // reqwest's errors quote the URL; only the kind of failure is kept.
        let response = request.send().await.map_err(|error| {
            KnowledgeError::Embeddings(
                if error.is_timeout() { "timed out" } else { "unreachable" }.to_owned(),
            )
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(KnowledgeError::Embeddings(format!("answered HTTP {}", status.as_u16())));
        }
        let mut answer: Answer = response
            .json()
            .await
            .map_err(|error| KnowledgeError::Embeddings(format!("unreadable answer: {error}")))?;
        if answer.data.len() != texts.len() {
            return Err(KnowledgeError::Embeddings(format!(
                "{} vectors for {} texts",
                answer.data.len(),
                texts.len()
            )));
        }
        answer.data.sort_by_key(|embedding| embedding.index.unwrap_or(usize::MAX));
        Ok(answer.data.into_iter().map(|embedding| embedding.embedding).collect())
    }
}
