//! Message retention (LGPD): the bodies and raw payloads of messages older than
//! `retention.messages_days` are blanked, once an hour, by one `serve` loop. What a patient
//! said stays as long as the clinic chose to keep it, and no longer; the rows themselves stay,
//! so counts, delivery statuses and the CRM's metrics still add up. Off (0) by default: the
//! clinic decides how long to keep conversations.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use sofia_core::clock::Clock;

use crate::store::Store;

/// How often the purge runs.
pub const EVERY: Duration = Duration::from_secs(3_600);

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Days a message's text is kept; 0 keeps it for ever.
    pub messages_days: u32,
}

impl RetentionConfig {
    /// How long message text is kept, if it is purged at all.
    pub fn messages(&self) -> Option<chrono::Duration> {
        (self.messages_days > 0).then(|| chrono::Duration::days(i64::from(self.messages_days)))
    }
}

/// Purges message bodies older than `keep`, every `every`, until `stop` resolves.
pub async fn run(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    keep: chrono::Duration,
    every: Duration,
    stop: impl Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        let before = clock.now() - keep;
        match store.purge_message_bodies(before).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, %before, "message bodies past the retention period blanked"),
            Err(error) => {
                tracing::warn!(error = &error as &dyn std::error::Error, "could not purge old messages")
            }
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(every) => {}
        }
    }
}
