//! The LLM brain against an OpenAI-compatible fake server (wiremock, scripted chat-completions
//! answers) and the real store.

mod booking;
mod budget;
mod cassettes;
mod consent;
mod fallback;
mod fuzz;
mod injection;
mod review;
mod tool_errors;
mod usage_store;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde_json::{Value, json};
use sofia::agent::llm::{LlmBrain, LlmConfig};
use sofia::agent::tools::{ToolContext, Tools};
use sofia::agent::{Brain, BrainError, BrainKind, Draft, HistoryEntry, Speaker, Turn};
use sofia::channels::OutboundMessage;
use sofia::secret::Secret;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::TestDb;
use crate::tools::{Chat, MARIA, World};

/// Stands in for the rules brain (built in parallel, not on this branch yet) as the chain's
/// last step: a fixed reply, so a test can tell who answered.
pub struct StandInRulesBrain;

pub const STAND_IN_REPLY: &str = "Resposta do cérebro de regras (substituto de teste).";

#[async_trait]
impl Brain for StandInRulesBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Rules
    }

    async fn reply(&self, _: &mut ToolContext<'_>, _: &Tools, _: &Turn) -> Result<Draft, BrainError> {
        Draft::text(STAND_IN_REPLY)
    }
}

/// Answers one model's requests from a script, in order; a 500 once it runs out.
pub struct Script(Mutex<VecDeque<ResponseTemplate>>);

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.0
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or_else(|| ResponseTemplate::new(500).set_body_string("the test script ran out"))
    }
}

/// A chat completion calling tools, each `(name, arguments JSON text)`.
pub fn calls_raw(calls: &[(&str, &str)]) -> ResponseTemplate {
    let tool_calls: Vec<Value> = calls
        .iter()
        .enumerate()
        .map(|(i, (name, arguments))| {
            json!({ "id": format!("call_{i}"), "type": "function", "function": { "name": name, "arguments": arguments } })
        })
        .collect();
    completion(json!({ "role": "assistant", "content": null, "tool_calls": tool_calls }))
}

pub fn calls(calls: &[(&str, Value)]) -> ResponseTemplate {
    let raw: Vec<(&str, String)> = calls.iter().map(|(name, args)| (*name, args.to_string())).collect();
    let borrowed: Vec<(&str, &str)> = raw.iter().map(|(name, args)| (*name, args.as_str())).collect();
    calls_raw(&borrowed)
}

pub fn call(name: &str, arguments: Value) -> ResponseTemplate {
    calls(&[(name, arguments)])
}

/// A chat completion saying `text`.
pub fn says(text: &str) -> ResponseTemplate {
    completion(json!({ "role": "assistant", "content": text }))
}

fn completion(message: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-test", "object": "chat.completion", "created": 1_772_452_800, "model": "scripted",
        "choices": [{ "index": 0, "message": message, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110 }
    }))
}

/// The demo clinic, the store, a fake model server and a brain pointed at it.
pub struct Llm {
    pub world: World,
    pub server: MockServer,
    pub brain: LlmBrain,
}

pub const PRIMARY: &str = "primary-model";
pub const FALLBACK: &str = "fallback-model";

impl Llm {
    pub async fn new(db: TestDb) -> Llm {
        Llm::with(db, |_| {}).await
    }

    pub async fn with(db: TestDb, adjust: impl FnOnce(&mut LlmConfig)) -> Llm {
        let world = World::new(db).await;
        let server = MockServer::start().await;
        let mut config = config(&server);
        adjust(&mut config);
        let brain = LlmBrain::new(
            &config,
            reqwest::Client::new(),
            world.store().clone(),
            Arc::new(StandInRulesBrain),
        )
        .expect("the test configuration is valid");
        Llm { world, server, brain }
    }

    /// `model` answers with `script`, in order.
    pub async fn script(&self, model: &str, script: Vec<ResponseTemplate>) {
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .and(body_partial_json(json!({ "model": model })))
            .respond_with(Script(Mutex::new(script.into())))
            .mount(&self.server)
            .await;
    }

    pub async fn chat(&self) -> Chat {
        self.world.chat(MARIA, "Maria Silva").await
    }

    /// One patient turn, with the conversation so far as history.
    pub async fn turn(
        &self,
        chat: &mut Chat,
        history: &[HistoryEntry],
        text: &str,
    ) -> Result<Draft, BrainError> {
        let mut ctx = ToolContext::new(
            Arc::clone(self.world.store()),
            &self.world.clinic,
            &self.world.clock,
            chat.conversation,
            chat.phone.clone(),
            &mut chat.state,
        )
        .with_push_name(chat.push_name.clone())
        .with_patient_words(text);
        let turn = Turn { history: history.to_vec(), ..Turn::texts(&[text]) };
        self.brain.reply(&mut ctx, &self.world.tools, &turn).await
    }

    /// A turn whose reply must be safe to send; returns its text.
    pub async fn says_to(&self, chat: &mut Chat, history: &mut Vec<HistoryEntry>, text: &str) -> String {
        let draft = self.turn(chat, history, text).await.expect("the brain drafts a reply");
        let reply = patient_safe(&draft);
        history.push(HistoryEntry { speaker: Speaker::Patient, text: text.to_owned() });
        history.push(HistoryEntry { speaker: Speaker::Clinic, text: reply.clone() });
        reply
    }

    /// The JSON bodies the fake server received, in order.
    pub async fn requests(&self) -> Vec<Value> {
        let received = self.server.received_requests().await.unwrap_or_default();
        received.iter().map(|request| serde_json::from_slice(&request.body).unwrap()).collect()
    }
}

pub fn config(server: &MockServer) -> LlmConfig {
    LlmConfig {
        base_url: format!("{}/v1", server.uri()),
        api_key: Secret::new("sk-test"),
        model: PRIMARY.to_owned(),
        fallback_models: vec![FALLBACK.to_owned()],
        timeout_s: 2,
        ..LlmConfig::default()
    }
}

/// The reply's text, after checking what the engine will send: at least one bubble, none
/// empty, none carrying an error or internals.
pub fn patient_safe(draft: &Draft) -> String {
    assert!(!draft.bubbles.is_empty(), "the brain never answers with nothing");
    let texts: Vec<String> = draft
        .bubbles
        .iter()
        .map(|bubble| match bubble {
            OutboundMessage::Text(text) => text.body().to_owned(),
            other => panic!("the LLM brain sends text, got {other:?}"),
        })
        .collect();
    let reply = texts.join("\n");
    assert!(!reply.trim().is_empty(), "empty reply: {draft:?}");
    for leak in ["error", "HTTP", "tool_call", "sk-test", "{\"", "not_offered", "bad_arguments"] {
        assert!(!reply.contains(leak), "the reply leaks '{leak}': {reply}");
    }
    reply
}

/// The messages of a request, by role.
pub fn roles(request: &Value) -> Vec<String> {
    request["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap().to_owned()).collect()
}

/// The names of the tools a request offered.
pub fn offered(request: &Value) -> Vec<String> {
    request["tools"]
        .as_array()
        .map(|tools| tools.iter().map(|t| t["function"]["name"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// The tool results a request carries, parsed.
pub fn tool_results(request: &Value) -> Vec<(String, Value)> {
    request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| {
            (
                m["tool_call_id"].as_str().unwrap().to_owned(),
                serde_json::from_str(m["content"].as_str().unwrap()).unwrap(),
            )
        })
        .collect()
}

pub fn system(request: &Value) -> String {
    request["messages"][0]["content"].as_str().unwrap().to_owned()
}
