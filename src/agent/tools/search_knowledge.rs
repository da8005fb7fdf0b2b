//! `search_knowledge`: the clinic's own words on a question (procedures, aftercare, payment,
//! parking, policies), from its knowledge base. Always the clinic of this conversation,
//! whatever the model asks.

use std::sync::Arc;

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{PatientText, Tool, ToolContext, ToolError};
use crate::knowledge::{KnowledgeBase, Passage};

/// Longest question searched: a WhatsApp paragraph, not a pasted document.
const MAX_QUERY_CHARS: usize = 500;
const DEFAULT_LIMIT: u8 = 3;
const MAX_LIMIT: u8 = 5;

pub struct SearchKnowledge {
    knowledge: Arc<KnowledgeBase>,
}

impl SearchKnowledge {
    pub fn new(knowledge: Arc<KnowledgeBase>) -> SearchKnowledge {
        SearchKnowledge { knowledge }
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchKnowledgeArgs {
    /// The question, in Portuguese.
    pub query: String,
    /// 1 to 5 (default 3).
    #[serde(default)]
    pub limit: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnowledgeFound {
    /// Best first. Empty: the knowledge base says nothing about it; do not guess.
    pub passages: Vec<Passage>,
}

#[async_trait]
impl Tool for SearchKnowledge {
    const NAME: &'static str = "search_knowledge";
    const DESCRIPTION: &'static str =
        "The clinic's own texts (procedures, care, policies, FAQ) on a question.";
    type Args = SearchKnowledgeArgs;
    type Output = KnowledgeFound;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        args: SearchKnowledgeArgs,
    ) -> Result<KnowledgeFound, ToolError> {
        let query = args.query.trim();
        if query.is_empty() {
            return Err(ToolError::Invalid { field: "query", problem: "is empty".to_owned() });
        }
        if query.chars().count() > MAX_QUERY_CHARS {
            return Err(ToolError::Invalid {
                field: "query",
                problem: format!("is longer than {MAX_QUERY_CHARS} characters"),
            });
        }
        let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ToolError::Invalid { field: "limit", problem: format!("must be 1 to {MAX_LIMIT}") });
        }
        let passages = self.knowledge.search(&ctx.clinic().tenant, query, usize::from(limit)).await?;
        Ok(KnowledgeFound { passages })
    }
}

impl PatientText for KnowledgeFound {
    /// The best passage, under its section heading, for a brain that answers with text.
    fn patient_text(&self) -> Option<String> {
        let best = self.passages.first()?;
        let heading = best.title.rsplit(" › ").next().unwrap_or(&best.title);
        Some(format!("*{heading}*\n{}", best.text))
    }
}
