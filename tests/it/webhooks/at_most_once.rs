//! "At most once" against a raw TCP provider that misbehaves after the request reached it:
//! it reads the request and closes, answers a proxy's 502 or 504, or never answers. Each is an
//! outcome Sofia cannot know, so the reply is never sent again — not by the router's retries,
//! not on the clinic's other channels, not by later sweeps.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration as StdDuration;

use chrono::Duration;
use sofia::outbox::CLAIM_TIMEOUT;
use sofia_core::domain::DeliveryStatus;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{MARIA, conversation_of, queue};
use crate::app::{ProviderUrls, TestApp, TestKnowledge};
use crate::support::{TestDb, at};

const TEXT: &str = "Seu horário está confirmado para amanhã.";

#[derive(Clone, Copy, Debug)]
enum Misbehaviour {
    /// Reads the whole request, then closes the connection without a word.
    ReadThenClose,
    /// A proxy in front of the provider answers 502 or 504 after taking the body.
    Proxy(u16),
    /// Never answers (past the client's timeout).
    Silence,
}

/// A provider on a raw socket, counting the requests that carried the reply's text.
async fn fake_provider(mode: Misbehaviour) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let carried = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&carried);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move { misbehave(stream, mode, &counter).await });
        }
    });
    (url, carried)
}

async fn misbehave(mut stream: TcpStream, mode: Misbehaviour, carried: &AtomicUsize) {
    loop {
        let Some(request) = read_request(&mut stream).await else { return };
        if !request.contains(TEXT) {
            // A read receipt or a typing indicator: answered normally.
            let ok = "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
            if stream.write_all(ok.as_bytes()).await.is_err() {
                return;
            }
            continue;
        }
        carried.fetch_add(1, Ordering::SeqCst);
        match mode {
            Misbehaviour::ReadThenClose => return,
            Misbehaviour::Proxy(status) => {
                let answer = format!(
                    "HTTP/1.1 {status} Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                let _ = stream.write_all(answer.as_bytes()).await;
                return;
            }
            Misbehaviour::Silence => {
                tokio::time::sleep(StdDuration::from_secs(5)).await;
                return;
            }
        }
    }
}

/// One HTTP/1.1 request (head and `content-length` body), or `None` when the client closed.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            if buffer.len() >= end + 4 + length {
                return Some(String::from_utf8_lossy(&buffer).into_owned());
            }
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

#[tokio::test]
async fn a_reply_whose_fate_is_unknown_is_sent_once_whatever_the_retries_failover_and_sweeps() {
    for mode in [
        Misbehaviour::ReadThenClose,
        Misbehaviour::Proxy(502),
        Misbehaviour::Proxy(504),
        Misbehaviour::Silence,
    ] {
        let db = TestDb::sqlite().await;
        let (url, carried) = fake_provider(mode).await;
        // Every channel of the clinic is the same misbehaving provider: a failover would show.
        let knowledge = TestKnowledge::with_channels(&ProviderUrls {
            evolution: url.clone(),
            zapi: url.clone(),
            meta: url,
        });
        let clinic = knowledge.clinic();
        let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
        let conversation = conversation_of(db.store.as_ref(), &clinic, MARIA, at(crate::app::NOW)).await;
        let id = queue(&db, &clinic, conversation, "turn:1:00", TEXT).await;

        let _ = app.dispatcher.dispatch(conversation).await;
        for _ in 0..3 {
            app.clock.advance(CLAIM_TIMEOUT + Duration::minutes(1));
            app.dispatcher.sweep().await.unwrap();
        }
        assert_eq!(carried.load(Ordering::SeqCst), 1, "{mode:?}: the reply went out once");
        let row = db.store.transcript(conversation).await.unwrap().into_iter().find(|m| m.id == id).unwrap();
        assert_eq!(row.delivery_status, Some(DeliveryStatus::Failed), "{mode:?}");
        assert!(
            row.error.as_deref().unwrap_or_default().starts_with("unknown:"),
            "{mode:?}: {:?}",
            row.error
        );
        app.shutdown().await;
    }
}
