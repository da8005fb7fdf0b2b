//! The router over a clinic's channels: failover, retries, fallbacks, breakers and pacing.
//! Time is a frozen clock that waiting moves forward, so nothing here sleeps for real.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::json;
use sofia::channels::{
    AdvanceClock, BreakerConfig, BreakerState, ConsoleProvider, Fault, OutboundMessage, Provider, RateLimit,
    RetryPolicy, Router, RouterConfig, SendError,
};
use sofia::core::clock::{Clock, FrozenClock};
use sofia::core::domain::ProviderKind;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::providers::{
    META_PATH, confirm_buttons, evolution, evolution_sent, meta, meta_error, meta_error_with_status,
    meta_sent, zapi, zapi_path, zapi_sent,
};
use crate::support::{id, phone};

fn frozen_clock() -> Arc<FrozenClock> {
    Arc::new(FrozenClock::at(DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap().to_utc()))
}

/// No rate limits unless a test asks for them, so the clock moves only for retries.
fn router(providers: Vec<Arc<dyn Provider>>, config: RouterConfig, clock: &Arc<FrozenClock>) -> Router {
    Router::new(providers, config, clock.clone(), Arc::new(AdvanceClock(clock.clone())))
}

fn waited(clock: &FrozenClock, since: DateTime<Utc>) -> Duration {
    (clock.now() - since).to_std().unwrap()
}

fn text() -> OutboundMessage {
    OutboundMessage::text("Oi Maria! Sua avaliação está confirmada.").unwrap()
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn fails_over_to_the_second_provider_while_the_first_returns_500s() {
    let (first, second) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).expect(3).mount(&first).await;
    Mock::given(method("POST")).respond_with(zapi_sent("3EB0ZAPI")).expect(1).mount(&second).await;
    let clock = frozen_clock();
    let start = clock.now();
    let router =
        router(vec![Arc::new(evolution(&first)), Arc::new(zapi(&second))], RouterConfig::default(), &clock);

    let delivered = router.send(&phone("+5511987654321"), &text()).await.unwrap();
    assert_eq!((delivered.provider, delivered.channel_index), (ProviderKind::Zapi, 1));
    assert_eq!(delivered.provider_message_id, id("3EB0ZAPI"));
    assert!(!delivered.as_numbered_text);
    // Two jittered back-offs: 0.5 s then 1 s, each between half and all of it.
    let backoff = waited(&clock, start);
    assert!((Duration::from_millis(750)..=Duration::from_millis(1500)).contains(&backoff), "{backoff:?}");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "2"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(meta_sent("wamid.OK")).with_priority(2).mount(&server).await;
    let clock = frozen_clock();
    let start = clock.now();
    let router = router(vec![Arc::new(meta(&server))], RouterConfig::default(), &clock);

    let delivered = router.send(&phone("+5511987654321"), &text()).await.unwrap();
    assert_eq!(delivered.provider_message_id, id("wamid.OK"));
    assert_eq!(waited(&clock, start), Duration::from_secs(2));
}

#[tokio::test]
async fn meta_throughput_errors_sent_as_400_are_retried_on_the_same_channel() {
    let (meta_server, backup) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(meta_error(130429))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&meta_server)
        .await;
    Mock::given(method("POST"))
        .respond_with(meta_sent("wamid.OK"))
        .with_priority(2)
        .mount(&meta_server)
        .await;
    Mock::given(method("POST")).respond_with(zapi_sent("unused")).expect(0).mount(&backup).await;
    let clock = frozen_clock();
    let router =
        router(vec![Arc::new(meta(&meta_server)), Arc::new(zapi(&backup))], RouterConfig::default(), &clock);

    let delivered = router.send(&phone("+5511987654321"), &text()).await.unwrap();
    assert_eq!((delivered.provider, delivered.provider_message_id), (ProviderKind::Meta, id("wamid.OK")));
}

#[tokio::test]
async fn rejected_interactive_messages_go_out_as_numbered_text() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/message/sendButtons/bella-forma"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({ "status": 400, "error": "Bad Request" })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let numbered = "Posso confirmar sua avaliação de terça, 03/03, às 14h?\n\n1) Confirmar\n2) Remarcar";
    Mock::given(method("POST"))
        .and(path("/message/sendText/bella-forma"))
        .and(body_json(json!({ "number": "5511987654321", "text": numbered, "linkPreview": false })))
        .respond_with(evolution_sent("3EB0TEXT"))
        .expect(1)
        .mount(&server)
        .await;
    let clock = frozen_clock();
    let router = router(vec![Arc::new(evolution(&server))], RouterConfig::default(), &clock);

    let delivered = router.send(&phone("+5511987654321"), &confirm_buttons()).await.unwrap();
    assert!(delivered.as_numbered_text);
    assert_eq!(delivered.provider_message_id, id("3EB0TEXT"));
}

#[tokio::test]
async fn a_closed_window_or_a_bad_recipient_is_not_tried_elsewhere() {
    for (reply, expected) in [(meta_error(131047), "window"), (meta_error(131026), "recipient")] {
        let (meta_server, backup) = (MockServer::start().await, MockServer::start().await);
        Mock::given(method("POST")).respond_with(reply).expect(1).mount(&meta_server).await;
        Mock::given(method("POST")).respond_with(zapi_sent("unused")).expect(0).mount(&backup).await;
        let clock = frozen_clock();
        let router = router(
            vec![Arc::new(meta(&meta_server)), Arc::new(zapi(&backup))],
            RouterConfig::default(),
            &clock,
        );

        let error = router.send(&phone("+5511987654321"), &text()).await.unwrap_err();
        match expected {
            "window" => assert_eq!(error, SendError::WindowClosed),
            _ => assert!(matches!(error, SendError::Permanent { fault: Fault::Recipient, .. }), "{error}"),
        }
    }
}

#[tokio::test]
async fn a_channel_with_revoked_credentials_fails_over_at_once() {
    let (meta_server, backup) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(meta_error_with_status(401, 190))
        .expect(1)
        .mount(&meta_server)
        .await;
    Mock::given(method("POST"))
        .and(path(zapi_path("send-text")))
        .respond_with(zapi_sent("3EB0Z"))
        .mount(&backup)
        .await;
    let clock = frozen_clock();
    let start = clock.now();
    let router =
        router(vec![Arc::new(meta(&meta_server)), Arc::new(zapi(&backup))], RouterConfig::default(), &clock);

    let delivered = router.send(&phone("+5511987654321"), &text()).await.unwrap();
    assert_eq!(delivered.provider, ProviderKind::Zapi);
    assert_eq!(waited(&clock, start), Duration::ZERO);
}

#[tokio::test]
async fn templates_skip_channels_that_cannot_send_them() {
    let (evolution_server, meta_server) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(evolution_sent("unused"))
        .expect(0)
        .mount(&evolution_server)
        .await;
    Mock::given(method("POST"))
        .and(path(META_PATH))
        .respond_with(meta_sent("wamid.T"))
        .mount(&meta_server)
        .await;
    let clock = frozen_clock();
    let template = OutboundMessage::template("lembrete_consulta", "pt_BR", vec!["Maria".into()]).unwrap();

    let both = router(
        vec![Arc::new(evolution(&evolution_server)), Arc::new(meta(&meta_server))],
        RouterConfig::default(),
        &clock,
    );
    assert_eq!(both.send(&phone("+5511987654321"), &template).await.unwrap().channel_index, 1);

    let evolution_only =
        router(vec![Arc::new(evolution(&evolution_server))], RouterConfig::default(), &clock);
    let error = evolution_only.send(&phone("+5511987654321"), &template).await.unwrap_err();
    assert!(matches!(error, SendError::Permanent { fault: Fault::Channel, .. }), "{error}");
}

#[tokio::test]
async fn the_breaker_opens_then_half_opens_and_closes_across_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(evolution_sent("3EB0OK")).with_priority(2).mount(&server).await;
    let clock = frozen_clock();
    let config = RouterConfig {
        retry: RetryPolicy { attempts: 1, ..RetryPolicy::default() },
        breaker: BreakerConfig {
            consecutive_failures: 2,
            cooldown: Duration::from_secs(30),
            ..Default::default()
        },
        ..RouterConfig::default()
    };
    let router = router(vec![Arc::new(evolution(&server))], config, &clock);
    let maria = phone("+5511987654321");

    for _ in 0..2 {
        assert!(matches!(router.send(&maria, &text()).await, Err(SendError::Retryable { .. })));
    }
    let opened_at = clock.now();
    assert_eq!(router.health()[0].breaker, BreakerState::Open { until: opened_at + TimeDelta::seconds(30) });

    // While open, the provider is not called and the caller learns when to come back.
    let error = router.send(&maria, &text()).await.unwrap_err();
    assert_eq!(
        error,
        SendError::Retryable {
            retry_after: Some(Duration::from_secs(30)),
            reason: "every channel is paused after repeated failures".into()
        }
    );
    assert_eq!(requests(&server).await, 2);

    clock.advance(TimeDelta::seconds(30));
    assert_eq!(router.health()[0].breaker, BreakerState::HalfOpen);
    let delivered = router.send(&maria, &text()).await.unwrap();
    assert_eq!(delivered.provider_message_id, id("3EB0OK"));
    assert_eq!(router.health()[0].breaker, BreakerState::Closed);
    assert_eq!(router.health()[0].provider, ProviderKind::Evolution);
}

#[tokio::test]
async fn the_per_recipient_limit_delays_rather_than_drops() {
    let clock = frozen_clock();
    let start = clock.now();
    let config = RouterConfig { recipient_limit: Some(RateLimit::RECIPIENT), ..RouterConfig::default() };
    let router = router(vec![Arc::new(ConsoleProvider)], config, &clock);
    let maria = phone("+5511987654321");

    // A burst of three goes out at once; the fourth and fifth wait their turn, one a second.
    for expected_wait in [0, 0, 0, 1, 2] {
        router.send(&maria, &text()).await.unwrap();
        assert_eq!(waited(&clock, start), Duration::from_secs(expected_wait));
    }
    // Another patient is not held up by Maria's queue.
    router.send(&phone("+5511912345678"), &text()).await.unwrap();
    assert_eq!(waited(&clock, start), Duration::from_secs(2));
}

#[tokio::test]
async fn the_business_number_limit_paces_all_patients_together() {
    let clock = frozen_clock();
    let start = clock.now();
    let config = RouterConfig { business_limit: RateLimit::new(2.0, 2), ..RouterConfig::default() };
    let router = router(vec![Arc::new(ConsoleProvider)], config, &clock);
    for patient in ["+5511987654321", "+5511912345678", "+5521987654321"] {
        router.send(&phone(patient), &text()).await.unwrap();
    }
    assert_eq!(waited(&clock, start), Duration::from_millis(500));
}

#[tokio::test]
async fn a_clinic_without_channels_gets_a_clear_error() {
    let clock = frozen_clock();
    let router = router(Vec::new(), RouterConfig::production(), &clock);
    let error = router.send(&phone("+5511987654321"), &text()).await.unwrap_err();
    assert!(matches!(error, SendError::Permanent { fault: Fault::Channel, .. }), "{error}");
}
