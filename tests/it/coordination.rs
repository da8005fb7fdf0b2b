//! The coordination port: the in-process adapter and Redis pass the same tests. Each Redis
//! test works under its own random key prefix, so tests run in parallel on one Redis.

use std::sync::Arc;
use std::time::Duration;

use sofia::coordination::{Coordinator, LocalCoordinator, RedisCoordinator};
use sofia_core::clock::FrozenClock;
use sofia_core::domain::ConversationId;

use crate::support::{TcpProxy, at};

/// A coordinator and a way to let `ttl`-bounded keys expire.
struct Subject {
    coordinator: Arc<dyn Coordinator>,
    clock: Option<Arc<FrozenClock>>,
}

impl Subject {
    fn local() -> Subject {
        let clock = Arc::new(FrozenClock::at(at("2026-03-02T09:00:00-03:00")));
        Subject { coordinator: Arc::new(LocalCoordinator::new(clock.clone())), clock: Some(clock) }
    }

    async fn redis() -> Subject {
        let url =
            std::env::var("SOFIA_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        let prefix = format!("sofia-test-{}:", uuid::Uuid::new_v4().simple());
        let coordinator = RedisCoordinator::connect(&url, &prefix)
            .await
            .unwrap_or_else(|e| panic!("Redis must be running for the coordination tests ({url}): {e}"));
        Subject { coordinator: Arc::new(coordinator), clock: None }
    }

    /// Moves past `ttl`: the frozen clock for the in-process adapter, real time for Redis.
    async fn pass(&self, ttl: Duration) {
        match &self.clock {
            Some(clock) => {
                clock.advance(chrono::Duration::from_std(ttl).unwrap() + chrono::Duration::milliseconds(1))
            }
            None => tokio::time::sleep(ttl + Duration::from_millis(50)).await,
        }
    }
}

const TTL: Duration = Duration::from_millis(200);

async fn every_subscriber_hears_every_wake_up(subject: Subject) {
    let c = &subject.coordinator;
    let mut first = c.subscribe().await.unwrap();
    let mut second = c.subscribe().await.unwrap();
    let (a, b) = (ConversationId::new_random(), ConversationId::new_random());

    c.wake(a).await.unwrap();
    c.wake(b).await.unwrap();

    for subscriber in [&mut first, &mut second] {
        let heard = tokio::time::timeout(Duration::from_secs(5), async {
            vec![subscriber.next().await.unwrap(), subscriber.next().await.unwrap()]
        })
        .await
        .expect("wake-ups arrive");
        assert_eq!(heard, [a, b]);
    }
}

async fn a_lock_has_one_holder_until_released_or_expired(subject: Subject) {
    let c = &subject.coordinator;
    assert!(c.try_lock("debounce:1", "worker-a", TTL).await.unwrap());
    assert!(!c.try_lock("debounce:1", "worker-b", TTL).await.unwrap(), "held by a");
    assert!(c.try_lock("debounce:1", "worker-a", TTL).await.unwrap(), "a may extend its own hold");
    assert!(c.try_lock("debounce:2", "worker-b", TTL).await.unwrap(), "other keys are free");

    c.unlock("debounce:1", "worker-b").await.unwrap();
    assert!(!c.try_lock("debounce:1", "worker-b", TTL).await.unwrap(), "b cannot release a's lock");
    c.unlock("debounce:1", "worker-a").await.unwrap();
    assert!(c.try_lock("debounce:1", "worker-b", TTL).await.unwrap(), "released");

    subject.pass(TTL).await;
    assert!(c.try_lock("debounce:1", "worker-a", TTL).await.unwrap(), "expired");
    c.ping().await.unwrap();
}

macro_rules! both_adapters {
    ($($test:ident),+ $(,)?) => {
        mod local {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::Subject::local()).await;
                }
            )+
        }
        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(super::Subject::redis().await).await;
                }
            )+
        }
    };
}

both_adapters!(every_subscriber_hears_every_wake_up, a_lock_has_one_holder_until_released_or_expired,);

/// Redis restarted under a running replica (here: its connections cut by a proxy that keeps
/// accepting new ones): the subscriber subscribes again by itself, and commands work again
/// after the one that met the broken connection.
#[tokio::test]
async fn wake_ups_and_commands_come_back_after_redis_drops_the_connections() {
    let url = std::env::var("SOFIA_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
    let authority =
        url.trim_start_matches("redis://").split('/').next().unwrap_or("127.0.0.1:6379").to_owned();
    let proxy = TcpProxy::start(authority).await;
    let prefix = format!("sofia-test-{}:", uuid::Uuid::new_v4().simple());
    let through_proxy =
        RedisCoordinator::connect(&format!("redis://{}", proxy.address), &prefix).await.unwrap();
    let direct = RedisCoordinator::connect(&url, &prefix).await.unwrap();
    let mut wakeups = through_proxy.subscribe().await.unwrap();

    proxy.drop_connections();

    let conversation = ConversationId::new_random();
    let heard = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            // Wake-ups published before the subscriber is back are lost (the sweep covers
            // them); keep publishing until one arrives.
            direct.wake(conversation).await.unwrap();
            if let Ok(Some(heard)) = tokio::time::timeout(Duration::from_millis(250), wakeups.next()).await {
                return heard;
            }
        }
    })
    .await
    .expect("the subscriber came back");
    assert_eq!(heard, conversation);
    let _maybe_failed = through_proxy.ping().await;
    through_proxy.ping().await.expect("a new connection after the broken one");
}
