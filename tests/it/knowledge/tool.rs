//! `search_knowledge` as a brain calls it: this clinic's passages only, arguments checked.

use std::sync::Arc;

use serde_json::json;
use sofia::agent::tools::{SearchKnowledge, Tools};
use sofia::knowledge::{KnowledgeBase, Quiet};
use sofia::store::ToolOutcome;

use super::KnowledgeDir;
use crate::support::TestDb;
use crate::tools::{MARIA, World};

async fn world_with_knowledge() -> (World, KnowledgeDir) {
    let dir = KnowledgeDir::new();
    let knowledge = KnowledgeBase::temporary(&Default::default(), reqwest::Client::new()).await.unwrap();
    for tenant in ["demo", "outra"] {
        let clinic = dir.clinic(tenant);
        knowledge.ingest(&clinic.clinic, clinic.dir(), &Quiet).await.unwrap();
    }
    let mut world = World::new(TestDb::sqlite().await).await;
    world.tools = Tools::standard().with(SearchKnowledge::new(Arc::new(knowledge)));
    (world, dir)
}

#[tokio::test]
async fn passages_come_with_their_source_and_the_best_one_is_the_patient_text() {
    let (world, _dir) = world_with_knowledge().await;
    let mut chat = world.chat(MARIA, "Maria Silva").await;
    let reply = world
        .call(&mut chat, "search_knowledge", json!({"query": "posso deitar depois do botox?"}))
        .await
        .unwrap();
    let passages = reply.json["passages"].as_array().unwrap();
    assert!(!passages.is_empty() && passages.len() <= 3, "{passages:?}");
    assert!(
        passages.iter().all(|p| p["source"].is_string() && p["title"].is_string() && p["score"].is_number())
    );
    let text = reply.text.unwrap();
    assert!(text.contains("4 horas"), "{text}");
}

#[tokio::test]
async fn another_clinic_knowledge_is_out_of_reach_whatever_the_model_sends() {
    let (world, _dir) = world_with_knowledge().await;
    let mut chat = world.chat(MARIA, "Maria Silva").await;
    let sauna = world
        .call(&mut chat, "search_knowledge", json!({"query": "sauna e hidromassagem", "limit": 5}))
        .await
        .unwrap();
    let sources: Vec<&str> =
        sauna.json["passages"].as_array().unwrap().iter().filter_map(|p| p["source"].as_str()).collect();
    assert!(!sources.contains(&"lazer.md"), "{sources:?}");
    assert_eq!(sauna.text, None, "nothing to tell the patient when nothing was found");

    let asked_for_another = world
        .call(&mut chat, "search_knowledge", json!({"query": "sauna", "tenant": "outra"}))
        .await
        .unwrap_err();
    assert_eq!(asked_for_another.code(), "bad_arguments");
}

#[tokio::test]
async fn empty_oversized_and_out_of_range_arguments_are_refused_and_audited() {
    let (world, _dir) = world_with_knowledge().await;
    let mut chat = world.chat(MARIA, "Maria Silva").await;
    for arguments in [
        json!({"query": "   "}),
        json!({"query": "a".repeat(501)}),
        json!({"query": "estacionamento", "limit": 0}),
        json!({"query": "estacionamento", "limit": 6}),
    ] {
        let error = world.call(&mut chat, "search_knowledge", arguments.clone()).await.unwrap_err();
        assert_eq!(error.code(), "invalid", "{arguments}");
    }
    let audit = world.store().tool_calls(chat.conversation).await.unwrap();
    assert_eq!(audit.len(), 4);
    assert!(audit.iter().all(|entry| entry.outcome == ToolOutcome::Refused));
}
