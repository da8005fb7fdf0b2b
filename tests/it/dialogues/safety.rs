//! What cannot be read. (Who gets a person, and when, is in `escalation.rs`; a patient who asks
//! for a person, or may be in an emergency, is answered by the engine's guards before the
//! brain: `tests/it/engine/guards.rs`.)

use sofia::agent::Turn;
use sofia::channels::{Media, MediaSource, MessageContent};

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::TestDb;

sqlite_only!(a_voice_note_is_answered_in_text);

async fn a_voice_note_is_answered_in_text(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let media = Media {
        mime_type: Some("audio/ogg".into()),
        source: MediaSource::Url("https://example.test/a.ogg".into()),
    };
    let turn = Turn {
        messages: vec![MessageContent::Audio { voice: true, media, transcript: None }],
        ..Turn::default()
    };
    chat.play(turn).await.called(&[]).says(&["só consigo ler mensagens de texto"]);
}
