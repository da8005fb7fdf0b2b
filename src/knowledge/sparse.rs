//! BM25 sparse vectors over Portuguese text, computed here for both adapters: the embedded
//! engine and a Qdrant server then only store and score them (the collection applies IDF).

use qdrant_edge::bm25_embed::{EdgeBm25, EdgeBm25Config};
use serde_json::json;

use super::KnowledgeError;

/// Name of the sparse vector in the embedded shard and the server collection.
pub const SPARSE_VECTOR: &str = "bm25";

/// Words patients type on WhatsApp that carry no meaning for retrieval, on top of the
/// Portuguese stop words ("vcs tem estacionamento?" is about parking, not about "vcs").
const CHAT_STOPWORDS: &[&str] = &[
    "vc", "vcs", "voce", "voces", "q", "pq", "pra", "pro", "tb", "tbm", "tambem", "oi", "ola", "bom", "boa",
    "obrigado", "obrigada", "por", "favor", "gostaria", "queria", "quero", "saber", "sobre", "alguma",
    "algum", "tem", "ter", "posso", "pode", "vou", "ai", "aí", "ne", "né", "ok", "blz", "clinica", "clínica",
];

/// A sparse vector: term ids and their weights, ids unique.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseVector {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl SparseVector {
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

/// The BM25 model: Portuguese stemming and stop words, accents folded (patients often skip
/// them: "avaliacao", "horario").
pub struct Bm25 {
    model: EdgeBm25,
}

impl Bm25 {
    pub fn portuguese() -> Result<Bm25, KnowledgeError> {
        // The stop-word set type is not exported by qdrant-edge; its config is plain serde.
        let config: EdgeBm25Config = serde_json::from_value(json!({
            "language": "portuguese",
            "ascii_folding": true,
            // Chunks are short sections: a few dozen to a few hundred words.
            "avg_len": 120.0,
            "stopwords": { "languages": ["portuguese"], "custom": CHAT_STOPWORDS },
        }))
        .map_err(|error| KnowledgeError::Bm25(error.to_string()))?;
        let model = EdgeBm25::new(config).map_err(|error| KnowledgeError::Bm25(error.to_string()))?;
        Ok(Bm25 { model })
    }

    pub fn embed_document(&self, text: &str) -> SparseVector {
        let vector = self.model.embed_document(text);
        SparseVector { indices: vector.indices, values: vector.values }
    }

    pub fn embed_query(&self, text: &str) -> SparseVector {
        let vector = self.model.embed_query(text);
        SparseVector { indices: vector.indices, values: vector.values }
    }
}

impl std::fmt::Debug for Bm25 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bm25(portuguese)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_inflections_and_chat_words_do_not_change_the_terms() {
        let bm25 = Bm25::portuguese().unwrap();
        let written = bm25.embed_query("avaliação estacionamento");
        let typed = bm25.embed_query("vcs tem avaliacao? e estacionamentos?");
        let mut a = written.indices.clone();
        let mut b = typed.indices.clone();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn a_question_of_only_stop_words_has_no_terms() {
        let bm25 = Bm25::portuguese().unwrap();
        assert!(bm25.embed_query("oi, vcs tem?").is_empty());
    }
}
