use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use serde_json::Value;
use tokio::sync::{Notify, Semaphore};
use tower::ServiceExt;

use super::*;

const LIMITS: Limits = Limits { request_timeout: Duration::from_millis(200), max_in_flight: 2 };

async fn call(router: &Router, path: &str) -> (StatusCode, Value) {
    let request = Request::builder().uri(path).body(Body::empty()).unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_request_past_its_time_limit_gets_a_json_503() {
    let router = guard(
        Router::new().route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        ),
        LIMITS,
    );
    let (status, body) = call(&router, "/slow").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "unavailable");
    assert_eq!(body["error"]["message"], "temporarily unavailable; retry later");
}

#[tokio::test]
async fn past_the_cap_a_request_gets_a_fast_503_and_the_admitted_ones_complete() {
    let entered = Arc::new(Semaphore::new(0));
    let release = Arc::new(Notify::new());
    let limits = Limits { request_timeout: Duration::from_secs(30), ..LIMITS };
    let handler = {
        let (entered, release) = (Arc::clone(&entered), Arc::clone(&release));
        move || {
            let (entered, release) = (Arc::clone(&entered), Arc::clone(&release));
            async move {
                entered.add_permits(1);
                release.notified().await;
                "done"
            }
        }
    };
    // Two routes: the cap is one for the whole server, not one per route.
    let router =
        guard(Router::new().route("/held", get(handler)).route("/other", get(|| async { "other" })), limits);
    let admitted: Vec<_> = (0..2)
        .map(|_| {
            let router = router.clone();
            tokio::spawn(async move { call(&router, "/held").await.0 })
        })
        .collect();
    let _both_in = entered.acquire_many(2).await.unwrap();

    let (status, body) = call(&router, "/other").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::SERVICE_UNAVAILABLE, &Value::from("unavailable"))
    );

    release.notify_waiters();
    for request in admitted {
        assert_eq!(request.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(call(&router, "/other").await.0, StatusCode::OK, "free again");
}

fn explode() -> &'static str {
    panic!("the patient's text: Maria, 11 98765-4321")
}

#[tokio::test]
async fn a_handler_that_panics_gets_a_json_500_that_says_nothing_of_the_cause() {
    let router = guard(Router::new().route("/boom", get(|| async { explode() })), LIMITS);
    let (status, body) = call(&router, "/boom").await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal");
    assert!(!body.to_string().contains("Maria"), "{body}");
    let (status, _) = call(&router, "/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the router still works after a panic");
}
