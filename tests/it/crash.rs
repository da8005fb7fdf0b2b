//! A real `sofia serve` process killed with SIGKILL in the middle of a turn (waiting for the
//! model), then started again: the patient's message is not lost and the reply is sent exactly
//! once. The model and Evolution API are faked at the HTTP level; the database is a real
//! SQLite file shared by both processes.

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::app::{
    EVOLUTION_KEY, META_APP_SECRET, META_VERIFY_TOKEN, ProviderUrls, TestKnowledge, channel_env, fixture,
};

/// How long the fake model thinks: long enough to kill the process while it waits.
const MODEL_DELAY: Duration = Duration::from_secs(3);
const SEND_PATH: &str = "/message/sendText/bella-forma";

/// Both processes' logs, appended to one file the failure messages quote.
fn log(dir: &Path) -> std::fs::File {
    std::fs::OpenOptions::new().create(true).append(true).open(dir.join("serve.log")).unwrap()
}

fn logs(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("serve.log")).unwrap_or_default()
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn serve(port: u16, dir: &Path, knowledge: &Path, model: &str) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sofia"));
    command
        .arg("serve")
        .current_dir(dir)
        .env("SOFIA_HTTP_BIND", format!("127.0.0.1:{port}"))
        .env("SOFIA_DATABASE_URL", format!("sqlite://{}", dir.join("sofia.db").display()))
        .env("SOFIA_KNOWLEDGE_DIR", knowledge)
        .env("SOFIA_ENGINE_DEBOUNCE_MS", "100")
        // A crashed worker's conversation is taken over after its lease; keep the test short.
        .env("SOFIA_ENGINE_LEASE_S", "2")
        .env("SOFIA_ENGINE_SWEEP_S", "1")
        .env("SOFIA_LLM_BASE_URL", model)
        .env("SOFIA_LLM_TIMEOUT_S", "20")
        .env("SOFIA_META_APP_SECRET", META_APP_SECRET)
        .env("SOFIA_META_VERIFY_TOKEN", META_VERIFY_TOKEN)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(log(dir));
    for (name, value) in channel_env() {
        command.env(name, value);
    }
    command.spawn().expect("start sofia serve")
}

async fn wait_until(what: &str, dir: &Path, timeout: Duration, mut done: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < timeout, "timed out waiting for {what}; the logs:\n{}", logs(dir));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn requests_to(server: &MockServer, route: &str) -> usize {
    server.received_requests().await.unwrap_or_default().iter().filter(|r| r.url.path() == route).count()
}

#[tokio::test]
async fn a_turn_killed_mid_model_call_is_answered_exactly_once_after_a_restart() {
    let model = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/chat/completions"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(MODEL_DELAY)
                .set_body_json(json!({
                    "id": "chatcmpl-crash", "object": "chat.completion", "created": 1_772_452_800, "model": "m",
                    "choices": [{ "index": 0, "finish_reason": "stop",
                        "message": { "role": "assistant", "content": "Oi, Maria! Atendemos aos sábados, sim. Quer agendar?" } }],
                    "usage": { "prompt_tokens": 100, "completion_tokens": 12, "total_tokens": 112 }
                })),
        )
        .mount(&model)
        .await;
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(SEND_PATH))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "key": { "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": true, "id": "3EB0CRASH0001" },
            "status": "PENDING", "messageType": "conversation", "messageTimestamp": 1_772_452_805,
        })))
        .mount(&evolution)
        .await;
    // Read receipts and the typing indicator.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&evolution)
        .await;

    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let dir = std::env::temp_dir().join(format!("sofia-crash-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();

    let mut first = serve(port, &dir, &knowledge.dir, &model.uri());
    wait_until("the first process to listen", &dir, Duration::from_secs(60), async || {
        client.get(format!("{base}/healthz")).send().await.is_ok()
    })
    .await;
    let delivered = client
        .post(format!("{base}/webhooks/evolution/{EVOLUTION_KEY}"))
        .header("content-type", "application/json")
        .body(fixture("evolution", "text.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(delivered.status(), 200, "the message is stored before the acknowledgement");

    // The turn is running: the model has the request and is still thinking.
    wait_until("the turn to reach the model", &dir, Duration::from_secs(30), async || {
        requests_to(&model, "/chat/completions").await >= 1
    })
    .await;
    first.kill().expect("SIGKILL the first process");
    first.wait().unwrap();
    assert_eq!(requests_to(&evolution, SEND_PATH).await, 0, "nothing was sent before the crash");

    let mut second = serve(port, &dir, &knowledge.dir, &model.uri());
    wait_until("the restarted process to send the reply", &dir, Duration::from_secs(60), async || {
        requests_to(&evolution, SEND_PATH).await >= 1
    })
    .await;
    // Sweeps keep running; give a duplicate every chance to appear.
    tokio::time::sleep(Duration::from_secs(3)).await;
    second.kill().unwrap();
    second.wait().unwrap();

    let sends: Vec<serde_json::Value> = evolution
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == SEND_PATH)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    let logs = logs(&dir);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(sends.len(), 1, "the reply is sent exactly once: {sends:?}\n{logs}");
    assert_eq!(sends[0]["number"], "5511987654321");
    assert!(sends[0]["text"].as_str().unwrap().contains("Atendemos aos sábados"), "{sends:?}");
}
