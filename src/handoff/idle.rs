//! The idle return as a loop of `serve`: human-owned conversations nobody from the team wrote
//! in for `handoff.idle_return_h` go back to the bot even if the patient never writes again
//! (a turn also returns its own conversation first, see `Desk::return_if_idle`).

use std::future::Future;
use std::time::Duration;

use super::Desk;

/// How often `serve` looks for idle handoffs. The return is measured in hours; a minute late
/// is nothing, and a patient who writes meanwhile gets it at once from the turn.
pub const EVERY: Duration = Duration::from_secs(60);

/// Returns idle conversations every `every` (the first at once) until `shutdown` resolves; a
/// sweep under way is finished first.
pub async fn run(desk: &Desk, every: Duration, shutdown: impl Future<Output = ()>) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            _ = ticks.tick() => match desk.return_idle().await {
                Ok(returned) if !returned.is_empty() => {
                    tracing::info!(returned = returned.len(), "idle handoffs returned to the bot");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(
                    error = &error as &dyn std::error::Error,
                    "could not return idle handoffs to the bot"
                ),
            },
            () = &mut shutdown => return,
        }
    }
}
