//! The LLM eval suite (`evals/llm/`) run three ways: against a scripted fake model (with the
//! token report), recorded into cassettes, and replayed from the committed cassettes with no
//! server at all — which is how CI runs it.
//!
//! This harness reads the few eval fields the suite uses; `sofia eval` is the full runner.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use serde_json::Value;
use sofia::agent::llm::baseline::{NaiveBaseline, sent_tokens};
use sofia::agent::llm::wire::Message;
use sofia::agent::llm::{Cassettes, LlmBrain, LlmConfig, Prompts};
use sofia::agent::tools::{SearchKnowledge, ToolContext, Tools};
use sofia::agent::{Brain, HistoryEntry, Speaker, Turn};
use sofia::channels::{Downloaded, Media, MediaSource, MessageContent, MimeType};
use sofia::store::Owner;
use wiremock::MockServer;
use wiremock::matchers::{method, path};

use super::{Script, StandInRulesBrain, call, calls, patient_safe, says};
use crate::support::{TestDb, demo_knowledge, repo_path};
use crate::tools::{World, local};

#[derive(Deserialize)]
struct Suite {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    patient: Patient,
    turns: Vec<TurnSpec>,
    outcome: Outcome,
}

#[derive(Deserialize)]
struct Patient {
    phone: String,
    name: String,
}

#[derive(Deserialize)]
struct TurnSpec {
    user: String,
    /// A photo sent with the words, relative to the suite file (the vision suite).
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    expect: Expect,
}

#[derive(Deserialize, Default)]
struct Expect {
    #[serde(default)]
    reply_contains: Vec<String>,
    #[serde(default)]
    reply_not_contains: Vec<String>,
    /// Regexes, as `sofia eval` reads them.
    #[serde(default)]
    reply_matches: Vec<String>,
    #[serde(default)]
    reply_not_matches: Vec<String>,
    #[serde(default)]
    tools_called: Vec<String>,
    #[serde(default)]
    tools_not_called: Vec<String>,
    handoff: Option<bool>,
}

#[derive(Deserialize)]
struct Outcome {
    appointments: Vec<ExpectedAppointment>,
    handoff: bool,
}

#[derive(Deserialize)]
struct ExpectedAppointment {
    service: String,
    date: String,
    time_from: String,
    time_to: String,
    status: String,
}

/// A scripted answer: a reply, or tool calls.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Scripted {
    Say(String),
    Call(Vec<ScriptedCall>),
}

#[derive(Deserialize)]
struct ScriptedCall {
    name: String,
    arguments: Value,
}

/// The suites, each with whether the model sees images: the LLM suite, and the photo suite
/// run with `llm.vision` on.
const SUITES: [(&str, bool); 3] = [
    ("evals/llm/booking.yaml", false),
    ("evals/llm/escalation.yaml", false),
    ("evals/llm-vision/photos.yaml", true),
];

/// Every case, with whether its model sees images and its suite file.
fn cases() -> Vec<(Case, bool, PathBuf)> {
    SUITES
        .iter()
        .flat_map(|(file, vision)| {
            let path = repo_path(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let suite: Suite = serde_saphyr::from_str(&text).unwrap();
            suite.cases.into_iter().map(move |case| (case, *vision, path.clone()))
        })
        .collect()
}

/// The turn the engine builds for `spec`: the words, then the photo (as `sofia eval` sends an
/// `image:` after the `user:` text), the photo downloaded for a model that sees it.
fn turn_of(spec: &TurnSpec, suite_file: &Path, history: &[HistoryEntry]) -> Turn {
    let mut turn = Turn { history: history.to_vec(), ..Turn::texts(&[spec.user.as_str()]) };
    if let Some(image) = &spec.image {
        let bytes = std::fs::read(suite_file.parent().unwrap().join(image)).unwrap();
        let media =
            Media { mime_type: Some("image/jpeg".into()), source: MediaSource::Url("fixture".into()) };
        turn.messages.push(MessageContent::Image { caption: None, media });
        turn.images.push(Downloaded { bytes, mime: MimeType::parse("image/jpeg").unwrap() });
    }
    turn
}

fn scripts() -> BTreeMap<String, Vec<Scripted>> {
    let text = std::fs::read_to_string(repo_path("evals/cassettes/llm/scripts.yaml")).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn cassette_dir() -> PathBuf {
    repo_path("evals/cassettes/llm")
}

enum Model<'a> {
    /// A scripted fake server, optionally recording cassettes.
    Fake {
        record: Option<&'a Path>,
    },
    Replay,
}

/// Prompt tokens of one turn: what we sent, and what the naive baseline would have.
struct TurnTokens {
    case: String,
    turn: usize,
    ours: usize,
    naive: usize,
}

/// Runs every case, checking its expectations; returns the token figures (fake runs only).
async fn run_suite(model: Model<'_>) -> Vec<TurnTokens> {
    let scripts = scripts();
    let mut figures = Vec::new();
    // The tools `sofia eval` gives the brain, search_knowledge included, so the recorded
    // requests are the ones `sofia eval --replay` sends.
    let knowledge = demo_knowledge().await;
    for (case, vision, suite_file) in cases() {
        let mut world = World::new(TestDb::sqlite().await).await;
        world.tools = Tools::standard().with(SearchKnowledge::new(Arc::clone(&knowledge)));
        let server = MockServer::start().await;
        let mut config = LlmConfig { vision, ..LlmConfig::default() };
        match &model {
            Model::Fake { record } => {
                let script = scripts.get(&case.id).unwrap_or_else(|| panic!("no script for {}", case.id));
                let answers = script
                    .iter()
                    .map(|answer| match answer {
                        Scripted::Say(text) => says(text),
                        Scripted::Call(list) if list.len() == 1 => {
                            call(&list[0].name, list[0].arguments.clone())
                        }
                        Scripted::Call(list) => calls(
                            &list.iter().map(|c| (c.name.as_str(), c.arguments.clone())).collect::<Vec<_>>(),
                        ),
                    })
                    .collect::<Vec<_>>();
                wiremock::Mock::given(method("POST"))
                    .and(path("/v1/chat/completions"))
                    .respond_with(Script(std::sync::Mutex::new(answers.into())))
                    .mount(&server)
                    .await;
                config.base_url = format!("{}/v1", server.uri());
                config.record_dir = record.map(Path::to_path_buf);
            }
            Model::Replay => config.replay_dir = Some(cassette_dir()),
        }
        let brain = LlmBrain::new(
            &config,
            reqwest::Client::new(),
            world.store().clone(),
            Arc::new(StandInRulesBrain),
        )
        .unwrap();
        let clinic_file = std::fs::read_to_string(repo_path("knowledge/demo/clinic.yaml")).unwrap();
        let baseline = NaiveBaseline::new(
            &Prompts::load(None).unwrap(),
            &world.clinic,
            &clinic_file,
            &world.tools,
            world.now(),
        )
        .unwrap();
        let mut chat = world.chat(&case.patient.phone, &case.patient.name).await;
        let mut history: Vec<HistoryEntry> = Vec::new();
        let mut transcript: Vec<Message> = Vec::new();
        let mut seen = 0;
        for (n, spec) in case.turns.iter().enumerate() {
            // As the engine builds it: the patient's words heard for consent and health.
            let turn = turn_of(spec, &suite_file, &history);
            let mut ctx = ToolContext::new(
                Arc::clone(world.store()),
                &world.clinic,
                &world.clock,
                chat.conversation,
                chat.phone.clone(),
                &mut chat.state,
            )
            .with_push_name(chat.push_name.clone())
            .with_patient_words(&turn.text());
            let draft = brain
                .reply(&mut ctx, &world.tools, &turn)
                .await
                .unwrap_or_else(|error| panic!("{} turn {}: {error}", case.id, n + 1));
            let reply = patient_safe(&draft);
            let tools: Vec<String> = ctx.calls().iter().map(|c| c.tool.clone()).collect();
            check(&case.id, n + 1, &spec.expect, &reply, &tools);
            if let Some(handoff) = spec.expect.handoff {
                let owner = world.store().conversation(chat.conversation).await.unwrap().unwrap().owner;
                assert_eq!(owner == Owner::Human, handoff, "{} turn {}: handoff", case.id, n + 1);
            }

            if let Model::Fake { .. } = model {
                let requests: Vec<Value> = server
                    .received_requests()
                    .await
                    .unwrap_or_default()
                    .iter()
                    .map(|r| serde_json::from_slice(&r.body).unwrap())
                    .collect();
                let this_turn = &requests[seen..];
                seen = requests.len();
                let (mut ours, mut naive) = (0, 0);
                for request in this_turn {
                    ours += sent_tokens(request);
                    let mut conversation = transcript.clone();
                    conversation.extend(in_turn(request, &spec.user));
                    naive += baseline.request_tokens(&conversation);
                }
                if let Some(last) = this_turn.last() {
                    transcript.extend(in_turn(last, &spec.user));
                }
                transcript.push(Message::assistant(reply.clone()));
                figures.push(TurnTokens { case: case.id.clone(), turn: n + 1, ours, naive });
            }
            history.push(HistoryEntry { speaker: Speaker::Patient, text: spec.user.clone() });
            for bubble in &draft.bubbles {
                if let sofia::channels::OutboundMessage::Text(text) = bubble {
                    history.push(HistoryEntry { speaker: Speaker::Clinic, text: text.body().to_owned() });
                }
            }
        }
        check_outcome(&world, &case).await;
    }
    figures
}

/// The messages of a request from this turn's patient message on: what a naive agent would
/// also keep in its history.
fn in_turn(request: &Value, said: &str) -> Vec<Message> {
    let messages: Vec<Message> = request["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| serde_json::from_value(m.clone()).unwrap())
        .collect();
    let start = messages.iter().rposition(|m| *m == Message::user(said)).unwrap_or(messages.len());
    messages[start..].to_vec()
}

fn check(case: &str, turn: usize, expect: &Expect, reply: &str, tools: &[String]) {
    let folded = reply.to_lowercase();
    for wanted in &expect.reply_contains {
        assert!(folded.contains(&wanted.to_lowercase()), "{case} turn {turn}: no '{wanted}' in {reply}");
    }
    for unwanted in &expect.reply_not_contains {
        assert!(!folded.contains(&unwanted.to_lowercase()), "{case} turn {turn}: '{unwanted}' in {reply}");
    }
    for pattern in &expect.reply_matches {
        let regex = Regex::new(pattern).unwrap_or_else(|error| panic!("{case}: {pattern}: {error}"));
        assert!(regex.is_match(reply), "{case} turn {turn}: no match for '{pattern}' in {reply}");
    }
    for pattern in &expect.reply_not_matches {
        let regex = Regex::new(pattern).unwrap_or_else(|error| panic!("{case}: {pattern}: {error}"));
        assert!(!regex.is_match(reply), "{case} turn {turn}: '{pattern}' matches {reply}");
    }
    for tool in &expect.tools_called {
        assert!(tools.contains(tool), "{case} turn {turn}: {tool} not called ({tools:?})");
    }
    for tool in &expect.tools_not_called {
        assert!(!tools.contains(tool), "{case} turn {turn}: {tool} called");
    }
}

async fn check_outcome(world: &World, case: &Case) {
    let appointments = world.appointments_of(&case.patient.phone).await;
    assert_eq!(appointments.len(), case.outcome.appointments.len(), "{}: appointments", case.id);
    for (got, want) in appointments.iter().zip(&case.outcome.appointments) {
        let start = local(got.starts_at);
        let (date, time) = start.split_once(' ').unwrap();
        let service = world.clinic.service(got.service_id).unwrap();
        assert_eq!(service.name, want.service, "{}", case.id);
        assert_eq!(date, want.date, "{}", case.id);
        assert!(want.time_from.as_str() <= time && time <= want.time_to.as_str(), "{}: {time}", case.id);
        assert_eq!(got.status.as_str(), want.status, "{}", case.id);
    }
    let handoffs = world.store().handoffs(world.clinic.id, true).await.unwrap();
    assert_eq!(!handoffs.is_empty(), case.outcome.handoff, "{}: handoff", case.id);
}

/// CI's way: the committed cassettes answer, no server, no key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_suite_replays_offline_from_the_committed_cassettes() {
    run_suite(Model::Replay).await;
}

/// The token report: prompt tokens per turn, ours against the naive baseline, on the suite.
/// `cargo test --test it llm::cassettes::prompt_tokens -- --nocapture` prints the table.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_tokens_per_turn_are_at_most_half_the_naive_baseline() {
    let figures = run_suite(Model::Fake { record: None }).await;
    println!("{:<46} {:>4} {:>7} {:>7} {:>6}", "case", "turn", "ours", "naive", "ratio");
    for f in &figures {
        println!(
            "{:<46} {:>4} {:>7} {:>7} {:>5.0}%",
            f.case,
            f.turn,
            f.ours,
            f.naive,
            100.0 * f.ours as f64 / f.naive as f64
        );
    }
    let ours: usize = figures.iter().map(|f| f.ours).sum();
    let naive: usize = figures.iter().map(|f| f.naive).sum();
    let turns = figures.len();
    println!(
        "per turn: ours {} vs naive {} tokens ({:.0}%) over {turns} turns",
        ours / turns,
        naive / turns,
        100.0 * ours as f64 / naive as f64
    );
    assert!(ours * 2 <= naive, "ours {ours} is more than half of the naive {naive}");
}

/// Re-records the committed cassettes from `scripts.yaml` (see evals/cassettes/llm/README.md).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "rewrites evals/cassettes/llm; run with SOFIA_RECORD_LLM_CASSETTES=1 and --ignored"]
async fn record() {
    assert_eq!(
        std::env::var("SOFIA_RECORD_LLM_CASSETTES").as_deref(),
        Ok("1"),
        "set SOFIA_RECORD_LLM_CASSETTES=1 to rewrite the cassettes"
    );
    let dir = cassette_dir();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            std::fs::remove_file(path).unwrap();
        }
    }
    run_suite(Model::Fake { record: Some(&dir) }).await;
    assert!(Cassettes::new(&dir).dir().read_dir().unwrap().count() > 2);
}

/// A replay without the cassette for a request fails loudly, naming its key.
#[tokio::test]
async fn a_replay_miss_is_an_error_naming_the_request() {
    let world = World::new(TestDb::sqlite().await).await;
    let empty = std::env::temp_dir().join(format!("sofia-no-cassettes-{}", uuid::Uuid::new_v4().simple()));
    let config = LlmConfig { replay_dir: Some(empty), ..LlmConfig::default() };
    let brain =
        LlmBrain::new(&config, reqwest::Client::new(), world.store().clone(), Arc::new(StandInRulesBrain))
            .unwrap();
    let mut chat = world.chat(crate::tools::MARIA, "Maria").await;
    let mut ctx = ToolContext::new(
        Arc::clone(world.store()),
        &world.clinic,
        &world.clock,
        chat.conversation,
        chat.phone.clone(),
        &mut chat.state,
    );
    let error = brain.reply(&mut ctx, &world.tools, &Turn::texts(&["oi"])).await.unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("no cassette for request ") && message.contains("sofia-no-cassettes"),
        "{message}"
    );
}
