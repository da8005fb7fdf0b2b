//! The real app, started on port 0 against a real database, as a client sees it.

use std::path::PathBuf;
use std::sync::Arc;

use sofia::app::{IndexPlacement, Sofia, Wiring};
use sofia::config::Config;
use sofia::secret::Secret;
use sofia_core::clock::FrozenClock;

use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture};
use crate::support::{TcpProxy, TestDb, at, postgres_url, repo_path};

async fn health_and_readiness(db: TestDb, backend: &str) {
    let app = TestApp::spawn(&db.url).await;
    assert_eq!(app.get("/healthz").await, (200, serde_json::json!({"status": "ok"})));
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["checks"][0]["backend"], backend);
    assert_eq!(body["checks"][0]["up"], true);
    assert_eq!(
        (
            body["checks"][1]["name"].as_str(),
            body["checks"][1]["backend"].as_str(),
            body["checks"][1]["up"].as_bool()
        ),
        (Some("vectors"), Some("embedded"), Some(true)),
        "{body}"
    );
    let (status, body) = app.get("/no-such-route").await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));
    let counts = db
        .store
        .catalog_counts(sofia::core::domain::ClinicId::for_tenant(&"demo".parse().unwrap()))
        .await
        .unwrap();
    assert_eq!((counts.services, counts.professionals, counts.packages), (9, 3, 2));
    app.shutdown().await;
}

#[tokio::test]
async fn serves_health_and_readiness_on_sqlite() {
    health_and_readiness(TestDb::sqlite().await, "sqlite").await;
}

#[tokio::test]
async fn serves_health_and_readiness_on_postgres() {
    health_and_readiness(TestDb::postgres().await, "postgres").await;
}

#[tokio::test]
async fn readiness_turns_503_when_the_database_is_unreachable() {
    let db = TestDb::postgres().await;
    let proxy = TcpProxy::start(postgres_authority()).await;
    let through_proxy = db.url.replacen(&postgres_authority(), &proxy.address.to_string(), 1);
    let app = TestApp::spawn(&through_proxy).await;
    assert_eq!(app.get("/readyz").await.0, 200);
    proxy.cut();
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["checks"][0]["up"], false);
    assert!(!body.to_string().contains("postgres://"), "no connection details leak: {body}");
    assert_eq!(app.get("/healthz").await.0, 200, "liveness does not depend on the database");
}

#[tokio::test]
async fn a_webhook_is_answered_503_while_the_database_is_down_so_the_provider_retries() {
    let db = TestDb::postgres().await;
    let proxy = TcpProxy::start(postgres_authority()).await;
    let through_proxy = db.url.replacen(&postgres_authority(), &proxy.address.to_string(), 1);
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&through_proxy, &knowledge.dir).await;
    proxy.cut();
    let (status, body) = app.post_evolution(fixture("evolution", "text.json")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (503, Some("unavailable")), "{body}");
    assert!(!body.to_string().contains("postgres"), "no connection details leak: {body}");
    assert_eq!(app.metrics.webhooks.get(&["evolution", "unavailable"]), 1);
}

#[tokio::test]
async fn a_broken_clinic_file_stops_the_start_with_its_path_and_field() {
    let db = TestDb::sqlite().await;
    let dir = std::env::temp_dir().join(format!("sofia-knowledge-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("demo")).unwrap();
    let demo = std::fs::read_to_string(repo_path("knowledge/demo/clinic.yaml")).unwrap();
    std::fs::write(
        dir.join("demo/clinic.yaml"),
        demo.replace("duration_minutes: 120", "duration_minutes: 0"),
    )
    .unwrap();
    let mut config = Config::default();
    config.database.url = Secret::new(db.url.clone());
    config.knowledge.dir = dir.clone();
    let wiring = Wiring {
        clock: Arc::new(FrozenClock::at(at("2026-03-02T09:00:00-03:00"))),
        index: IndexPlacement::Temporary,
        ..Wiring::production(&sofia::config::OutboxConfig::default())
    };
    let error = Sofia::start_with(config, wiring).await.err().unwrap();
    let message = format!("{error:#}");
    let expected_path: PathBuf = dir.join("demo").join("clinic.yaml");
    assert!(
        message.contains(&format!("{}: services[8].duration_minutes", expected_path.display())),
        "{message}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

fn postgres_authority() -> String {
    let url = postgres_url();
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let after_user = after_scheme.rsplit_once('@').map_or(after_scheme, |(_, host)| host);
    after_user.split(['/', '?']).next().unwrap_or(after_user).to_owned()
}
