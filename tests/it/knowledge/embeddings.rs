//! Hybrid search: dense vectors from an OpenAI-compatible `/embeddings` endpoint (faked at
//! the HTTP level) fused with BM25; BM25 alone when the endpoint fails.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};
use sofia::knowledge::{EmbeddingsConfig, KnowledgeBase, KnowledgeError, Quiet};
use sofia::secret::Secret;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{KnowledgeDir, tenant};

/// Word groups a toy embedding model maps to one dimension each: texts about the same thing
/// point the same way even when they share no word (as "carro" and "estacionamento" do).
const TOPICS: &[&[&str]] = &[
    &["carro", "automóvel", "estacionamento", "estacionar", "manobrista"],
    &["pix", "cartão", "cartao", "parcel", "pagamento", "dinheiro"],
    &["botox", "toxina", "rugas"],
    &["sábado", "sabado", "domingo", "horário", "horario"],
];

fn embed(text: &str) -> Vec<f32> {
    let text = text.to_lowercase();
    let mut vector: Vec<f32> =
        TOPICS.iter().map(|words| words.iter().filter(|word| text.contains(*word)).count() as f32).collect();
    // A small constant direction, so no vector is zero.
    vector.push(0.05);
    vector
}

/// Answers like OpenAI's `/embeddings`: one `{index, embedding}` per input, in order.
fn embeddings_server_reply(request: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    let inputs: Vec<String> = body["input"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| json!({"object": "embedding", "index": index, "embedding": embed(text)}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "object": "list",
        "data": data,
        "model": body["model"],
        "usage": {"prompt_tokens": 8, "total_tokens": 8},
    }))
}

/// The endpoint, answering until `.0` says it is down, then 503.
struct Flaky(Arc<AtomicBool>);

impl Respond for Flaky {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if self.0.load(Ordering::SeqCst) {
            ResponseTemplate::new(503)
        } else {
            embeddings_server_reply(request)
        }
    }
}

/// A temporary index holding the demo clinic's knowledge, with `embeddings`.
async fn demo_knowledge(embeddings: &EmbeddingsConfig) -> (KnowledgeBase, KnowledgeDir) {
    let dir = KnowledgeDir::new();
    let demo = dir.clinic("demo");
    let knowledge = KnowledgeBase::temporary(embeddings, reqwest::Client::new()).await.unwrap();
    knowledge.ingest(&demo.clinic, demo.dir(), &Quiet).await.unwrap();
    (knowledge, dir)
}

fn config(server: &MockServer) -> EmbeddingsConfig {
    EmbeddingsConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Secret::new("sk-embeddings-secret"),
        model: "toy-embedding".to_owned(),
        timeout_s: 5,
    }
}

#[tokio::test]
async fn dense_vectors_find_what_shares_no_word_with_the_question() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/embeddings"))
        .and(header("authorization", "Bearer sk-embeddings-secret"))
        .respond_with(embeddings_server_reply)
        .mount(&server)
        .await;
    let (knowledge, _dir) = demo_knowledge(&config(&server)).await;
    assert!(knowledge.is_hybrid());

    // "manobrista" and "automóvel" appear nowhere in the clinic's text: only the dense side knows
    // they are about parking.
    let found =
        knowledge.search(&tenant("demo"), "tem manobrista? onde deixo o automóvel?", 3).await.unwrap();
    let sources: Vec<&str> = found.iter().map(|p| p.source.as_str()).collect();
    assert!(
        sources.iter().any(|s| *s == "localizacao-e-estacionamento.md" || *s == "clinic.yaml#politicas"),
        "{sources:?}"
    );
}

#[tokio::test]
async fn when_the_endpoint_fails_bm25_answers_alone() {
    let server = MockServer::start().await;
    let down = Arc::new(AtomicBool::new(false));
    Mock::given(method("POST"))
        .and(path("/v1/embeddings"))
        .respond_with(Flaky(Arc::clone(&down)))
        .mount(&server)
        .await;
    let (knowledge, _dir) = demo_knowledge(&config(&server)).await;
    down.store(true, Ordering::SeqCst);
    let found = knowledge.search(&tenant("demo"), "quanto custa o estacionamento?", 3).await.unwrap();
    assert!(found.iter().any(|p| p.text.contains("R$ 15,00")), "{found:?}");
}

#[tokio::test]
async fn an_endpoint_that_refuses_stops_the_start_without_showing_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let error = KnowledgeBase::temporary(&config(&server), reqwest::Client::new())
        .await
        .err()
        .expect("a refused key stops the start");
    assert!(matches!(error, KnowledgeError::Embeddings(_)), "{error}");
    let text = format!("{error} {error:?}");
    assert!(text.contains("401") && !text.contains("sk-embeddings-secret"), "{text}");
}
