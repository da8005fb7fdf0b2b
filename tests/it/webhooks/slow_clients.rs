//! Clients that are slow, idle or send what nobody asked for, against the real server: their
//! connections are closed, and they cannot make Sofia read a body before proving who they are.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::{EVOLUTION_KEY, ProviderUrls, TestApp, TestKnowledge};
use crate::support::TestDb;

/// Everything the server writes until it closes the connection (bounded, so a server that
/// never closes fails the test instead of hanging it).
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open: {:?}", String::from_utf8_lossy(&answer));
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn a_client_that_trickles_its_headers_is_disconnected_after_the_header_timeout() {
    let db = TestDb::sqlite().await;
    let app = TestApp::spawn_configured(&db.url, &crate::support::repo_path("knowledge"), |config| {
        config.http.header_timeout_s = 1;
    })
    .await;
    let mut slow = TcpStream::connect(app.address).await.unwrap();
    slow.write_all(b"POST /webhooks/meta HTTP/1.1\r\nHost: sofia\r\n").await.unwrap();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(400)).await;
        // One more header line now and then, never the end of the headers.
        if slow.write_all(b"X-Trickle: 1\r\n").await.is_err() {
            break;
        }
    }
    let answer = until_closed(&mut slow).await;
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer}");

    // An idle connection that never sends anything is closed too.
    let mut idle = TcpStream::connect(app.address).await.unwrap();
    until_closed(&mut idle).await;
    // The server still serves everyone else.
    assert_eq!(app.get("/healthz").await.0, 200);
    app.shutdown().await;
}

#[tokio::test]
async fn a_body_is_not_read_before_the_key_is_checked() {
    let db = TestDb::sqlite().await;
    let knowledge = TestKnowledge::with_channels(&ProviderUrls::default());
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    // Announces 3 MB and sends none of it: a wrong key is refused at once, without waiting.
    let mut stream = TcpStream::connect(app.address).await.unwrap();
    stream
        .write_all(
            b"POST /webhooks/evolution/not-a-key-of-any-clinic HTTP/1.1\r\nHost: sofia\r\n\
              Content-Type: application/json\r\nContent-Length: 3000000\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut head = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(10), stream.read_exact(&mut head)).await.unwrap().unwrap();
    assert_eq!(&head, b"HTTP/1.1 404");

    // With the right key, a body over the limit is refused as too large.
    let big = vec![b' '; 3 * 1024 * 1024 + 1];
    let (status, body) = app.post(&format!("/webhooks/evolution/{EVOLUTION_KEY}"), big, &[]).await;
    assert_eq!((status, &body["error"]["code"]), (413, &serde_json::json!("payload_too_large")));
    app.shutdown().await;
}
