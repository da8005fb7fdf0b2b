//! A real `sofia serve` process killed with SIGKILL in the middle of a turn (waiting for the
//! model), then started again: the patient's message is not lost and the reply is sent exactly
//! once. The model and Evolution API are faked at the HTTP level; the database is a real
//! SQLite file shared by both processes.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::app::{EVOLUTION_KEY, ProviderUrls, TestKnowledge, fixture};
use crate::processes::{Scratch, free_port, requests_to};

/// How long the fake model thinks: long enough to kill the process while it waits.
const MODEL_DELAY: Duration = Duration::from_secs(3);
const SEND_PATH: &str = "/message/sendText/bella-forma";

/// One process on a SQLite file both lives of the service share.
fn serve(scratch: &Scratch, port: u16, knowledge: &std::path::Path, model: &str) -> std::process::Child {
    let env = [
        ("SOFIA_DATABASE_URL", format!("sqlite://{}", scratch.dir.join("sofia.db").display())),
        ("SOFIA_ENGINE_DEBOUNCE_MS", "100".to_owned()),
        // A crashed worker's conversation is taken over after its lease; keep the test short.
        ("SOFIA_ENGINE_LEASE_S", "2".to_owned()),
        ("SOFIA_ENGINE_SWEEP_S", "1".to_owned()),
        ("SOFIA_LLM_BASE_URL", model.to_owned()),
        ("SOFIA_LLM_TIMEOUT_S", "20".to_owned()),
    ];
    scratch.serve(port, knowledge, &env)
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
    let scratch = Scratch::new("crash");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();

    let mut first = serve(&scratch, port, &knowledge.dir, &model.uri());
    scratch
        .wait_until("the first process to listen", Duration::from_secs(60), async || {
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
    scratch
        .wait_until("the turn to reach the model", Duration::from_secs(30), async || {
            requests_to(&model, "/chat/completions").await >= 1
        })
        .await;
    first.kill().expect("SIGKILL the first process");
    first.wait().unwrap();
    assert_eq!(requests_to(&evolution, SEND_PATH).await, 0, "nothing was sent before the crash");

    let mut second = serve(&scratch, port, &knowledge.dir, &model.uri());
    scratch
        .wait_until("the restarted process to send the reply", Duration::from_secs(60), async || {
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
    let logs = scratch.logs();
    assert_eq!(sends.len(), 1, "the reply is sent exactly once: {sends:?}\n{logs}");
    assert_eq!(sends[0]["number"], "5511987654321");
    assert!(sends[0]["text"].as_str().unwrap().contains("Atendemos aos sábados"), "{sends:?}");
}
