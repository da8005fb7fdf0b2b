//! The worker loop: wake-ups, the debounce window, delivery.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use sofia::coordination::{Coordinator, LocalCoordinator};
use sofia::engine::worker::{Delivery, Workers};
use sofia_core::domain::ConversationId;

use super::support::{EchoBrain, Harness, maria};

/// Records which conversations had something to deliver.
#[derive(Default)]
struct Deliveries(Mutex<Vec<ConversationId>>);

#[async_trait]
impl Delivery for Deliveries {
    async fn deliver(&self, conversation: ConversationId) {
        self.0.lock().unwrap().push(conversation);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_inside_the_debounce_window_becomes_one_turn() {
    let harness = Harness::sqlite().await;
    let engine = Arc::new(harness.engine(EchoBrain));
    let coordinator: Arc<dyn Coordinator> = Arc::new(LocalCoordinator::new(harness.clock.clone()));
    let deliveries = Arc::new(Deliveries::default());
    let workers = Workers::new(Arc::clone(&engine), coordinator, deliveries.clone());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(Arc::clone(&workers).run(async {
        let _ = stopped.await;
    }));

    let mut conversation = None;
    for text in ["oi", "tudo bem?", "queria marcar botox"] {
        let id = harness.receive(&maria(), None, text).await.unwrap();
        workers.wake(id).await;
        conversation = Some(id);
    }
    let conversation = conversation.unwrap();
    for _ in 0..100 {
        if !harness.outbox(conversation).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Give a wrongly split burst the time to show a second reply.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let _ = stop.send(());
    running.await.unwrap();

    assert_eq!(harness.outbox(conversation).await, ["eco: oi | tudo bem? | queria marcar botox"]);
    assert_eq!(*deliveries.0.lock().unwrap(), [conversation]);
}
