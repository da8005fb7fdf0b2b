//! Webhook ingest under load, on loopback: the real app on SQLite or PostgreSQL, C concurrent
//! clients POSTing N distinct deliveries, each acknowledged only once it is committed.
//!
//! ```text
//! cargo bench --bench ingest -- --db sqlite|postgres [--provider evolution|meta]
//!                               [--deliveries N] [--concurrency C] [--patients P]
//! ```
//!
//! PostgreSQL comes from `SOFIA_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each run uses a fresh schema and drops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use sofia::app::{Sofia, Wiring};
use sofia::config::Config;
use sofia::secret::Secret;
use sqlx::Connection;

const EVOLUTION_KEY: &str = "bench-evolution-webhook-key-0123456789";
const META_APP_SECRET: &str = "bench-meta-app-secret";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Evolution,
    Meta,
}

struct Options {
    db: String,
    provider: Provider,
    deliveries: usize,
    concurrency: usize,
    patients: usize,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        db: "sqlite".into(),
        provider: Provider::Evolution,
        deliveries: 20_000,
        concurrency: 64,
        patients: 500,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--db" => options.db = value()?,
            "--provider" => {
                options.provider = match value()?.as_str() {
                    "evolution" => Provider::Evolution,
                    "meta" => Provider::Meta,
                    other => bail!("--provider {other}: evolution or meta"),
                }
            }
            "--deliveries" => options.deliveries = value()?.parse()?,
            "--concurrency" => options.concurrency = value()?.parse()?,
            "--patients" => options.patients = value()?.parse()?,
            // What `cargo bench` adds.
            "--bench" => {}
            other => bail!("unknown argument {other}"),
        }
    }
    if !matches!(options.db.as_str(), "sqlite" | "postgres") {
        bail!("--db {}: sqlite or postgres", options.db);
    }
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = options()?;
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run(options))
}

/// A throwaway database: a SQLite file or a PostgreSQL schema.
struct Database {
    url: String,
    cleanup: Box<dyn FnOnce()>,
}

async fn database(kind: &str) -> anyhow::Result<Database> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    if kind == "sqlite" {
        let path = std::env::temp_dir().join(format!("sofia-bench-{id}.db"));
        let url = format!("sqlite://{}", path.display());
        return Ok(Database {
            url,
            cleanup: Box::new(move || {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }),
        });
    }
    let base = std::env::var("SOFIA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let schema = format!("sofia_bench_{id}");
    let mut admin = sqlx::PgConnection::connect(&base).await.context("PostgreSQL must be running")?;
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await?;
    let url = format!("{base}?options=-c%20search_path%3D{schema}");
    Ok(Database {
        url,
        cleanup: Box::new(move || {
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
                if let Ok(runtime) = runtime {
                    runtime.block_on(async move {
                        if let Ok(mut admin) = sqlx::PgConnection::connect(&base).await {
                            let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                                .execute(&mut admin)
                                .await;
                        }
                    });
                }
            })
            .join();
        }),
    })
}

/// The demo clinic with the test channels (`tests/fixtures/knowledge/channels.yaml`).
fn knowledge() -> anyhow::Result<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = std::fs::read_to_string(root.join("knowledge/demo/clinic.yaml"))?;
    let (without_channels, _) =
        demo.split_once("\nchannels:").context("the demo clinic declares channels")?;
    let channels = std::fs::read_to_string(root.join("tests/fixtures/knowledge/channels.yaml"))?
        .replace("{evolution}", "http://127.0.0.1:9")
        .replace("{zapi}", "http://127.0.0.1:9")
        .replace("{meta}", "http://127.0.0.1:9");
    let dir = std::env::temp_dir().join(format!("sofia-bench-knowledge-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("teste"))?;
    std::fs::write(dir.join("teste/clinic.yaml"), format!("{without_channels}\n{channels}"))?;
    Ok(dir)
}

fn evolution_body(n: usize, patients: usize) -> Vec<u8> {
    let phone = 5_511_900_000_000u64 + (n % patients) as u64;
    serde_json::json!({
        "event": "messages.upsert",
        "instance": "bella-forma",
        "data": {
            "key": { "remoteJid": format!("{phone}@s.whatsapp.net"), "fromMe": false, "id": format!("3EB0BENCH{n:012}") },
            "pushName": format!("Paciente {}", n % patients),
            "status": "DELIVERY_ACK",
            "message": { "conversation": "Oi! Queria marcar uma avaliação para sexta à tarde, tem horário?" },
            "messageType": "conversation",
            "messageTimestamp": 1_772_452_800 + n,
            "instanceId": "8f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "source": "android"
        },
        "destination": "https://sofia.exemplo.com.br/webhooks/evolution/key",
        "date_time": "2026-03-02T12:00:00.000Z",
        "sender": "5511912345678@s.whatsapp.net",
        "server_url": "https://evo.exemplo.com.br",
        "apikey": null
    })
    .to_string()
    .into_bytes()
}

fn meta_body(n: usize, patients: usize) -> Vec<u8> {
    let phone = 5_511_900_000_000u64 + (n % patients) as u64;
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102030405060708", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "5511912345678", "phone_number_id": "109876543210987" },
            "contacts": [{ "profile": { "name": format!("Paciente {}", n % patients) }, "wa_id": phone.to_string() }],
            "messages": [{ "from": phone.to_string(), "id": format!("wamid.BENCH{n:012}"),
                           "timestamp": (1_772_452_800 + n).to_string(), "type": "text",
                           "text": { "body": "Oi! Queria marcar uma avaliação para sexta à tarde, tem horário?" } }]
        }}]}]
    })
    .to_string()
    .into_bytes()
}

fn signature(body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(META_APP_SECRET.as_bytes()).expect("any key length works");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

async fn run(options: Options) -> anyhow::Result<()> {
    let database = database(&options.db).await?;
    let knowledge = knowledge()?;
    let mut config = Config::default();
    config.database.url = Secret::new(database.url.clone());
    config.knowledge.dir = knowledge.clone();
    config.meta.app_secret = Secret::new(META_APP_SECRET);
    config.meta.verify_token = Secret::new("bench-verify-token");
    let env: std::collections::HashMap<&str, &str> = [
        ("TESTE_EVOLUTION_API_KEY", "x"),
        ("TESTE_EVOLUTION_WEBHOOK_KEY", EVOLUTION_KEY),
        ("TESTE_ZAPI_TOKEN", "x"),
        ("TESTE_ZAPI_CLIENT_TOKEN", "x"),
        ("TESTE_ZAPI_WEBHOOK_KEY", "bench-zapi-webhook-key-0123456789"),
        ("TESTE_META_TOKEN", "x"),
    ]
    .into_iter()
    .collect();
    let wiring = Wiring {
        env: Arc::new(move |name| env.get(name).map(|v| (*v).to_owned())),
        ..Wiring::production(&sofia::config::OutboxConfig::default())
    };
    let sofia = Sofia::start_with(config, wiring).await?;
    let store = Arc::clone(&sofia.store);
    let clinics: Vec<sofia_core::domain::ClinicId> = sofia.clinics.ids();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sofia.serve(listener, async move {
        let _ = stopped.await;
    }));

    type BodyMaker = fn(usize, usize) -> Vec<u8>;
    let (path, make_body): (String, BodyMaker) = match options.provider {
        Provider::Evolution => (format!("/webhooks/evolution/{EVOLUTION_KEY}"), evolution_body),
        Provider::Meta => ("/webhooks/meta".to_owned(), meta_body),
    };
    let url = format!("http://{address}{path}");
    let warmup = 500.min(options.deliveries / 10);
    let bodies: Arc<Vec<(Vec<u8>, Option<String>)>> = Arc::new(
        (0..options.deliveries + warmup)
            .map(|n| {
                let body = make_body(n, options.patients);
                let signature = (options.provider == Provider::Meta).then(|| signature(&body));
                (body, signature)
            })
            .collect(),
    );
    let client = reqwest::Client::builder().pool_max_idle_per_host(options.concurrency).build()?;

    // Warm-up: connections opened, conversations and patients created for most phones.
    load(&client, &url, &bodies, 0..warmup, options.concurrency).await?;
    let started = Instant::now();
    let mut latencies = load(&client, &url, &bodies, warmup..bodies.len(), options.concurrency).await?;
    let elapsed = started.elapsed();

    let stored = count_inbound(&store, &clinics).await?;
    let _ = stop.send(());
    server.await??;
    (database.cleanup)();
    let _ = std::fs::remove_dir_all(knowledge);

    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let rate = options.deliveries as f64 / elapsed.as_secs_f64();
    println!(
        "ingest  db={} provider={:?} deliveries={} concurrency={} patients={}",
        options.db, options.provider, options.deliveries, options.concurrency, options.patients
    );
    println!("        {rate:.0} deliveries/s over {:.2} s", elapsed.as_secs_f64());
    println!(
        "        ack latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(0.50)),
        ms(percentile(0.99)),
        ms(percentile(1.0))
    );
    println!("        stored {stored} of {} sent (warm-up included)", bodies.len());
    if stored != bodies.len() as u64 {
        bail!("{} deliveries were acknowledged but {stored} stored", bodies.len());
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// POSTs `range` of the bodies with `concurrency` clients; every answer must be a 200.
async fn load(
    client: &reqwest::Client,
    url: &str,
    bodies: &Arc<Vec<(Vec<u8>, Option<String>)>>,
    range: std::ops::Range<usize>,
    concurrency: usize,
) -> anyhow::Result<Vec<Duration>> {
    let next = Arc::new(AtomicUsize::new(range.start));
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, url, bodies, next, end) =
                (client.clone(), url.to_owned(), Arc::clone(bodies), Arc::clone(&next), range.end);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= end {
                        return Ok::<_, anyhow::Error>(latencies);
                    }
                    let (body, signature) = &bodies[n];
                    let mut request =
                        client.post(&url).header("content-type", "application/json").body(body.clone());
                    if let Some(signature) = signature {
                        request = request.header("x-hub-signature-256", signature);
                    }
                    let sent = Instant::now();
                    let response = request.send().await?;
                    let status = response.status();
                    response.bytes().await?;
                    latencies.push(sent.elapsed());
                    if status != 200 {
                        bail!("delivery {n} answered {status}");
                    }
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await??);
    }
    Ok(all)
}

async fn count_inbound(
    store: &Arc<dyn sofia::store::Store>,
    clinics: &[sofia_core::domain::ClinicId],
) -> anyhow::Result<u64> {
    // Through the store's own port: the rows a conversation engine would find.
    let mut total = 0;
    let mut seen = std::collections::HashSet::new();
    loop {
        let batch = store.conversations_waiting(sofia::store::Waiting::ForTurn, clinics, 10_000).await?;
        let fresh: Vec<_> = batch.into_iter().filter(|c| seen.insert(*c)).collect();
        if fresh.is_empty() {
            return Ok(total);
        }
        for conversation in fresh {
            total += store.pending_inbound(conversation).await?.len() as u64;
        }
    }
}
