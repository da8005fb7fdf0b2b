//! Real `sofia serve` processes for the crash and replica tests: started with the test's
//! environment, their logs appended to one file that failure messages quote.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wiremock::MockServer;

use crate::app::{META_APP_SECRET, META_VERIFY_TOKEN, channel_env};

/// A scratch directory for the processes' working directory and their shared log.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("sofia-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    /// Every process's log so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.dir.join("serve.log")).unwrap_or_default()
    }

    fn log(&self) -> std::fs::File {
        std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("serve.log")).unwrap()
    }

    /// `sofia serve` on `port` with the clinics of `knowledge`, the test channels' secrets and
    /// `env` (database, timings…).
    pub fn serve(&self, port: u16, knowledge: &Path, env: &[(&str, String)]) -> Child {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sofia"));
        command
            .arg("serve")
            .current_dir(&self.dir)
            .env("SOFIA_HTTP_BIND", format!("127.0.0.1:{port}"))
            .env("SOFIA_KNOWLEDGE_DIR", knowledge)
            .env("SOFIA_META_APP_SECRET", META_APP_SECRET)
            .env("SOFIA_META_VERIFY_TOKEN", META_VERIFY_TOKEN)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(self.log());
        for (name, value) in channel_env() {
            command.env(name, value);
        }
        for (name, value) in env {
            command.env(name, value);
        }
        command.spawn().expect("start sofia serve")
    }

    /// Polls `done` every 50 ms; fails the test with the logs after `timeout`.
    pub async fn wait_until(&self, what: &str, timeout: Duration, mut done: impl AsyncFnMut() -> bool) {
        let started = Instant::now();
        while !done().await {
            assert!(started.elapsed() < timeout, "timed out waiting for {what}; the logs:\n{}", self.logs());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub async fn requests_to(server: &MockServer, route: &str) -> usize {
    server.received_requests().await.unwrap_or_default().iter().filter(|r| r.url.path() == route).count()
}
