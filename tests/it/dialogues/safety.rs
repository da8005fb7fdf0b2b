//! A person after two failed clarifications, and what cannot be read. (A patient who asks for
//! a person, or may be in an emergency, is answered by the engine's guards before the brain:
//! `tests/it/engine/guards.rs`.)

use sofia::agent::Turn;
use sofia::channels::{Media, MediaSource, MessageContent};
use sofia::store::Owner;

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};

conformance!(two_failed_clarifications_offer_a_person);

sqlite_only!(declining_the_person_starts_over, a_voice_note_is_answered_in_text);

async fn owner(chat: &Dialogue) -> Owner {
    chat.world.store().conversation(chat.state_id()).await.unwrap().unwrap().owner
}

async fn two_failed_clarifications_offer_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await.called(&[]).says(&["não entendi bem"]);
    chat.say("qwerty uiop").await.called(&[]).says(&["Quer que eu chame alguém da nossa equipe"]);
    chat.say("sim").await.called(&["handoff_to_human"]).says(&["Vou chamar alguém da nossa equipe"]);
    assert_eq!(owner(&chat).await, Owner::Human);
    let handoffs = chat.world.store().handoffs(chat.world.clinic.id, true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
}

async fn declining_the_person_starts_over(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await;
    chat.say("qwerty").await;
    chat.say("não").await.called(&[]).says(&["Me conta com outras palavras"]);
    chat.say("zxcvb").await.says(&["não entendi bem"]).never_says(&["alguém da nossa equipe"]);
    assert_eq!(owner(&chat).await, Owner::Bot);
}

async fn a_voice_note_is_answered_in_text(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let media = Media {
        mime_type: Some("audio/ogg".into()),
        source: MediaSource::Url("https://example.test/a.ogg".into()),
    };
    let turn = Turn { messages: vec![MessageContent::Audio { voice: true, media }], history: Vec::new() };
    chat.play(turn).await.called(&[]).says(&["só consigo ler mensagens de texto"]);
}
