//! Voice notes, photos and documents end to end: a provider's webhook in, the file fetched
//! from a fake provider, the voice note transcribed by a fake `/audio/transcriptions` server,
//! and the patient's answer queued — on SQLite and PostgreSQL. Every failure ends in a useful
//! reply, never silence or a crash.

mod calls_and_orders;
mod chatwoot;
mod fetching;
mod gestures;
mod transcription;
mod vision;

use std::time::Duration;

use sofia::config::Config;
use sofia::store::{Author, StoredMessage};
use sofia_core::clinic::Clinic;
use sofia_core::domain::Direction;
use wiremock::MockServer;

use crate::app::{ProviderUrls, TestApp, TestKnowledge, fixture};
use crate::support::{TestDb, at};
use crate::webhooks::{MARIA, conversation_of};

/// What a voice note starts with: an Ogg page.
pub const OGG: &[u8] = b"OggS\x00\x02voice-note-bytes";
pub const SPOKEN: &str = "queria marcar botox amanhã à tarde";
/// The fixed reply to a voice note nobody could hear.
pub const ASKED_TO_WRITE: &str = "não consigo ouvir áudios";

pub struct Scene {
    pub db: TestDb,
    pub app: TestApp,
    pub clinic: Clinic,
    /// Every provider of the test clinic (Evolution, Z-API, Meta) answers here.
    pub providers: MockServer,
    /// The speech-to-text server.
    pub stt: MockServer,
    /// The clinic's folder, removed on drop.
    pub knowledge: TestKnowledge,
}

/// The app on the test clinic, its providers and its transcription server fakes. `configure`
/// changes the configuration after `stt.base_url` points at the fake.
pub async fn scene(db: TestDb, configure: impl FnOnce(&mut Config)) -> Scene {
    let providers = MockServer::start().await;
    let stt = MockServer::start().await;
    let uri = providers.uri();
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: uri.clone(), zapi: uri.clone(), meta: uri });
    scene_in(db, providers, stt, knowledge, configure).await
}

/// The scene on a test clinic whose `policies:` gain `line` (YAML, as `key: value`).
pub async fn scene_with_policy(db: TestDb, line: &str) -> Scene {
    let providers = MockServer::start().await;
    let uri = providers.uri();
    let knowledge =
        TestKnowledge::with_channels(&ProviderUrls { evolution: uri.clone(), zapi: uri.clone(), meta: uri });
    let file = knowledge.dir.join(crate::app::TEST_TENANT).join("clinic.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("\n  minors: >-", &format!("\n  {line}\n  minors: >-"), 1)).unwrap();
    scene_in(db, providers, MockServer::start().await, knowledge, |_| {}).await
}

pub async fn scene_in(
    db: TestDb,
    providers: MockServer,
    stt: MockServer,
    knowledge: TestKnowledge,
    configure: impl FnOnce(&mut Config),
) -> Scene {
    let clinic = knowledge.clinic();
    let stt_url = format!("{}/v1", stt.uri());
    let app = TestApp::spawn_configured(&db.url, &knowledge.dir, |config| {
        // A short debounce: the workers answer as soon as the webhook is stored.
        config.engine.debounce_ms = 20;
        config.stt.base_url = stt_url;
        config.stt.api_key = sofia::secret::Secret::new("stt-key");
        configure(config);
    })
    .await;
    Scene { db, app, clinic, providers, stt, knowledge }
}

impl Scene {
    /// Posts a provider's webhook fixture (`provider/name`, with `edit` applied to its text)
    /// and waits until Sofia's turn answered it; answers the text of the bubbles it queued.
    pub async fn patient_sends(&self, provider: &str, name: &str, edit: impl Fn(String) -> String) -> String {
        let body = edit(String::from_utf8(fixture(provider, name)).unwrap()).into_bytes();
        let before = self.bot_messages().await.len();
        let status = match provider {
            "meta" => self.app.post_meta(body).await.0,
            "evolution" => self.app.post_evolution(body).await.0,
            _ => self.app.post_zapi(body).await.0,
        };
        assert_eq!(status, 200);
        self.answer_after(before).await
    }

    /// Waits until every patient message is answered and bot messages beyond `before` exist.
    pub async fn answer_after(&self, before: usize) -> String {
        for _ in 0..400 {
            let conversation = self.conversation().await;
            let pending = self.db.store.pending_inbound(conversation).await.unwrap();
            let bot = self.bot_messages().await;
            if pending.is_empty() && bot.len() > before {
                return bot[before..].iter().map(|m| m.body.as_str()).collect::<Vec<_>>().join("\n\n");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("Sofia did not answer: {:?}", self.transcript().await);
    }

    pub async fn conversation(&self) -> sofia_core::domain::ConversationId {
        conversation_of(self.db.store.as_ref(), &self.clinic, MARIA, at(crate::app::NOW)).await
    }

    pub async fn transcript(&self) -> Vec<StoredMessage> {
        self.db.store.transcript(self.conversation().await).await.unwrap()
    }

    pub async fn bot_messages(&self) -> Vec<StoredMessage> {
        self.transcript()
            .await
            .into_iter()
            .filter(|m| m.direction == Direction::Outbound && m.author == Author::Bot)
            .collect()
    }

    /// The patient's messages, oldest first.
    pub async fn patient_messages(&self) -> Vec<StoredMessage> {
        self.transcript().await.into_iter().filter(|m| m.author == Author::Patient).collect()
    }

    pub fn transcriptions(&self, outcome: &str) -> u64 {
        self.app.metrics.transcriptions.get(&[outcome])
    }

    pub fn fetches(&self, kind: &str, outcome: &str) -> u64 {
        self.app.metrics.media.get(&[kind, outcome])
    }
}
