//! Stickers and reactions are gestures: a 👍 or a sticker closes a point, and a good
//! receptionist does not answer it — unless a summary waits for the patient's yes, which a
//! gesture is not.

use std::time::Duration;

use super::scene;
use crate::support::{TestDb, conformance};

conformance!(a_sticker_alone_gets_no_reply, a_sticker_while_a_summary_waits_asks_for_words);

const STICKER_ID: &str = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBU1RJMTIzNDU2Nzg5MEFCQ0RFAA==";
const TEXT_ID: &str = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMDFDMEZFOTk1QjU0RjM5QTQ3AA==";

/// A Meta text message saying `body`, under the message id `n` (each message its own).
fn text(n: usize, body: &str) -> impl Fn(String) -> String {
    let body = body.to_owned();
    move |fixture: String| {
        fixture.replace("Oi! Vocês atendem no sábado?", &body).replace(TEXT_ID, &format!("wamid.text-{n}"))
    }
}

async fn a_sticker_alone_gets_no_reply(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    let (status, _) = scene.app.post_meta(crate::app::fixture("meta", "sticker.json")).await;
    assert_eq!(status, 200);

    for _ in 0..200 {
        let conversation = scene.conversation().await;
        if scene.db.store.pending_inbound(conversation).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stored = scene.patient_messages().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kind, sofia_core::domain::MessageKind::Sticker);
    assert!(scene.bot_messages().await.is_empty(), "a sticker is not answered");
}

async fn a_sticker_while_a_summary_waits_asks_for_words(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    scene.patient_sends("meta", "text.json", text(1, "quero marcar botox amanhã à tarde")).await;
    let summary = scene.patient_sends("meta", "text.json", text(2, "o primeiro")).await;
    assert!(summary.contains("Posso confirmar"), "{summary}");

    let asked = scene
        .patient_sends("meta", "sticker.json", |fixture| fixture.replace(STICKER_ID, "wamid.sticker"))
        .await;

    assert!(asked.contains("pode me responder \"sim\" ou \"não\""), "{asked}");
    let phone = sofia_core::domain::Phone::parse(crate::webhooks::MARIA).unwrap();
    if let Some(patient) = scene.db.store.patient_by_phone(scene.clinic.id, &phone).await.unwrap() {
        let since = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let booked = scene.db.store.patient_appointments(scene.clinic.id, patient.id, since).await.unwrap();
        assert!(booked.is_empty(), "a sticker is not a yes: {booked:?}");
    }
}
