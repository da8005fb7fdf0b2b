//! Serving the router over HTTP/1.1 with hyper directly, because `axum::serve` sets no timer:
//! without one, hyper never enforces a header-read timeout, and a client that opens a
//! connection and trickles its headers (or sends nothing) holds a file descriptor forever.
//!
//! Here every connection gets hyper's `header_read_timeout`; on shutdown the listener is
//! dropped, every connection is asked to finish its request in flight and close, and `serve`
//! returns once they all have.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::{Extension, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::Layer;

/// How long to wait before accepting again after `accept` failed (out of file descriptors,
/// most likely): connections closing meanwhile free some.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// Serves `router` on `listener` until `shutdown` resolves, then drains the connections.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    header_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let (stopping, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, client)) => {
                    let service = TowerToHyperService::new(with_client(router.clone(), client));
                    let stop = stop.clone();
                    connections.spawn(connection(TokioIo::new(stream), service, header_timeout, stop));
                }
                Err(error) => {
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            // Reaps finished connections so the set does not grow with every one ever served.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    while connections.join_next().await.is_some() {}
}

/// The router, with each request carrying its client's address (what axum's
/// `into_make_service_with_connect_info` does for `axum::serve`).
type WithClient = <Extension<ConnectInfo<SocketAddr>> as Layer<Router>>::Service;

/// `router` for one connection: its requests carry the client's address (`ConnectInfo`), for
/// the admin API's limit on failed keys.
fn with_client(router: Router, client: SocketAddr) -> WithClient {
    Extension(ConnectInfo(client)).layer(router)
}

async fn connection(
    io: TokioIo<tokio::net::TcpStream>,
    service: TowerToHyperService<WithClient>,
    header_timeout: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    let connection = builder.serve_connection(io, service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        served = connection.as_mut() => {
            if let Err(error) = served {
                // A client that went away or took too long with its headers: routine.
                tracing::debug!(%error, "connection closed");
            }
        }
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection closed while shutting down");
            }
        }
    }
}
