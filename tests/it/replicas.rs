//! Two `sofia serve` replicas on PostgreSQL and Redis, every webhook delivered to both (as a
//! provider retrying through a load balancer would), one replica SIGKILLed mid-traffic: every
//! patient is answered, and exactly once. Replies the killed replica had claimed but not yet
//! started sending go back to the queue once its claim times out; none is sent twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::app::{EVOLUTION_KEY, ProviderUrls, TestKnowledge};
use crate::processes::{Scratch, free_port};
use crate::support::TestDb;

/// Texts, lists and buttons: every kind of reply bubble.
const SENDS: &str = "^/message/send";
/// Patients writing at once; a few hundred when run as a load check, fewer in CI.
const PATIENTS: usize = 40;

/// Evolution accepting a send, with a new message id each time, as the real one does.
struct Accepts(AtomicUsize);

impl Respond for Accepts {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(201).set_body_json(json!({
            "key": { "remoteJid": "5511900000000@s.whatsapp.net", "fromMe": true, "id": format!("3EB0SENT{n:08}") },
            "status": "PENDING", "messageType": "conversation", "messageTimestamp": 1_772_452_805,
        }))
    }
}

/// What Evolution posts for a patient's new text message.
fn delivery(patient: usize) -> Vec<u8> {
    let number = format!("55119{:08}", 70_000_000 + patient);
    serde_json::to_vec(&json!({
        "event": "messages.upsert",
        "instance": "bella-forma",
        "data": {
            "key": { "remoteJid": format!("{number}@s.whatsapp.net"), "fromMe": false, "id": format!("3EB0REPLICA{patient:06}") },
            "pushName": format!("Paciente {patient}"),
            "status": "DELIVERY_ACK",
            "message": { "conversation": "Oi! Vocês atendem no sábado?" },
            "messageType": "conversation",
            "messageTimestamp": 1_772_452_800,
            "instanceId": "8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "source": "android"
        },
        "destination": "https://sofia.exemplo.com.br/webhooks/evolution/k3y-s3cr3ta",
        "date_time": "2026-03-02T12:00:00.000Z",
        "sender": "5511912345678@s.whatsapp.net",
        "server_url": "https://evo.exemplo.com.br",
        "apikey": null
    }))
    .unwrap()
}

/// The bubbles Evolution was asked to send (their bodies, without the recipient), by number.
async fn sent_by_number(evolution: &MockServer) -> HashMap<String, Vec<String>> {
    let mut sent: HashMap<String, Vec<String>> = HashMap::new();
    for request in evolution.received_requests().await.unwrap_or_default() {
        if !request.url.path().starts_with("/message/send") {
            continue;
        }
        let mut body: Value = serde_json::from_slice(&request.body).unwrap();
        let number = body["number"].as_str().unwrap_or_default().to_owned();
        if let Some(fields) = body.as_object_mut() {
            fields.remove("number");
        }
        sent.entry(number).or_default().push(body.to_string());
    }
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_mid_traffic_leaves_every_patient_answered_exactly_once() {
    let evolution = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex(SENDS))
        .respond_with(Accepts(AtomicUsize::new(0)))
        .mount(&evolution)
        .await;
    // Read receipts and the typing indicator, slower than the replicas wait for each (2 s):
    // a replica spends most of each dispatch holding its claim with no request started, which
    // is where the SIGKILL finds the one that dies.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})).set_delay(Duration::from_secs(3)))
        .mount(&evolution)
        .await;
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: evolution.uri(), ..ProviderUrls::default() });
    let db = TestDb::postgres().await;
    let redis = std::env::var("SOFIA_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let env = [
        ("SOFIA_DATABASE_URL", db.url.clone()),
        ("SOFIA_REDIS_URL", redis),
        ("SOFIA_REDIS_PREFIX", format!("sofia-replicas-{}:", uuid::Uuid::new_v4().simple())),
        ("SOFIA_ENGINE_DEBOUNCE_MS", "50".to_owned()),
        ("SOFIA_ENGINE_LEASE_S", "2".to_owned()),
        ("SOFIA_ENGINE_SWEEP_S", "1".to_owned()),
        ("SOFIA_OUTBOX_SWEEP_S", "1".to_owned()),
        ("SOFIA_OUTBOX_SEND_TIMEOUT_S", "2".to_owned()),
        ("SOFIA_OUTBOX_CLAIM_TIMEOUT_S", "10".to_owned()),
    ];
    let scratch = Scratch::new("replicas");
    let ports = [free_port(), free_port()];
    // Each replica has its own embedded knowledge index, as each would on its own machine.
    let replica = |index: usize| {
        let mut own = env.to_vec();
        own.push(("SOFIA_VECTORS_PATH", scratch.dir.join(format!("vectors-{index}")).display().to_string()));
        scratch.serve(ports[index], &knowledge.dir, &own)
    };
    let mut doomed = replica(0);
    let mut survivor = replica(1);
    let client = reqwest::Client::new();
    let urls = ports.map(|port| format!("http://127.0.0.1:{port}/webhooks/evolution/{EVOLUTION_KEY}"));
    for port in ports {
        scratch
            .wait_until("both replicas to listen", Duration::from_secs(60), async || {
                client.get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_ok()
            })
            .await;
    }

    let deliver = async |patient: usize| {
        let body = delivery(patient);
        let to_both = urls
            .iter()
            .map(|url| client.post(url).header("content-type", "application/json").body(body.clone()).send());
        let answers = futures_util::future::join_all(to_both).await;
        let stored = answers.iter().filter(|answer| answer.as_ref().is_ok_and(|a| a.status() == 200)).count();
        assert!(stored >= 1, "patient {patient}: no replica stored the message: {answers:?}");
    };
    for patient in 0..PATIENTS / 2 {
        deliver(patient).await;
    }
    // Mid-traffic, while the first half's turns and sends are still under way.
    doomed.kill().expect("SIGKILL one replica");
    doomed.wait().unwrap();
    for patient in PATIENTS / 2..PATIENTS {
        deliver(patient).await;
    }

    let numbers: Vec<String> =
        (0..PATIENTS).map(|patient| format!("55119{:08}", 70_000_000 + patient)).collect();
    scratch
        .wait_until("every patient to be answered", Duration::from_secs(90), async || {
            let sent = sent_by_number(&evolution).await;
            numbers.iter().all(|number| sent.contains_key(number))
        })
        .await;
    // Past another claim timeout and several sweeps: a duplicate has every chance to appear.
    tokio::time::sleep(Duration::from_secs(12)).await;
    survivor.kill().unwrap();
    survivor.wait().unwrap();

    let sent = sent_by_number(&evolution).await;
    for number in &numbers {
        let texts = &sent[number];
        let mut distinct = texts.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            texts.len(),
            "{number} got a bubble twice: {texts:?}\nthe logs:\n{}",
            scratch.logs()
        );
    }
    assert_eq!(sent.len(), PATIENTS, "only the patients who wrote are written to");
}
