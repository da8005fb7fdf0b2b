//! A call to the clinic's WhatsApp number and a cart from its catalogue are messages: the
//! patient who called is told to write (in the clinic's words when it has them), and an order is
//! handed to the team, who confirm it. Through the providers' webhooks, on SQLite and PostgreSQL.

use sofia_core::domain::MessageKind;

use super::{scene, scene_with_policy};
use crate::support::{TestDb, conformance};

conformance!(
    a_call_is_answered_with_an_invitation_to_write,
    a_clinic_can_say_in_its_own_words_that_it_takes_no_calls,
    the_end_of_a_call_is_not_a_second_message,
    an_order_is_handed_to_the_team
);

async fn a_call_is_answered_with_an_invitation_to_write(db: TestDb) {
    let scene = scene(db, |_| {}).await;

    let reply = scene.patient_sends("evolution", "call.json", |body| body).await;

    assert!(reply.contains("não consigo atender ligações"), "{reply}");
    assert!(reply.contains(&scene.clinic.phone.to_string()), "the clinic's phone is given: {reply}");
    let stored = scene.patient_messages().await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].kind, MessageKind::Call);
    assert!(scene.db.store.handoffs(scene.clinic.id, true).await.unwrap().is_empty(), "a call is no handoff");
}

async fn a_clinic_can_say_in_its_own_words_that_it_takes_no_calls(db: TestDb) {
    let calls = "calls: Não atendemos ligações pelo WhatsApp. Escreva aqui que a gente responde rapidinho!";
    let scene = scene_with_policy(db, calls).await;

    let reply = scene.patient_sends("meta", "call_connect.json", |body| body).await;

    assert_eq!(reply, "Não atendemos ligações pelo WhatsApp. Escreva aqui que a gente responde rapidinho!");
}

async fn the_end_of_a_call_is_not_a_second_message(db: TestDb) {
    let scene = scene(db, |_| {}).await;
    scene.patient_sends("evolution", "call.json", |body| body).await;

    let (status, _) = scene.app.post_evolution(crate::app::fixture("evolution", "call_timeout.json")).await;

    assert_eq!(status, 200);
    assert_eq!(scene.patient_messages().await.len(), 1, "ringing out is the same call");
    assert_eq!(scene.bot_messages().await.len(), 1);
}

async fn an_order_is_handed_to_the_team(db: TestDb) {
    let scene = scene(db, |_| {}).await;

    let reply = scene.patient_sends("meta", "order.json", |body| body).await;

    assert!(reply.contains("Recebi seu pedido pelo catálogo"), "{reply}");
    let stored = scene.patient_messages().await;
    assert_eq!(stored[0].kind, MessageKind::Order);
    assert!(
        stored[0].body.starts_with("1 × botox-50u (R$ 800,00)"),
        "the team reads the cart: {}",
        stored[0].body
    );
    let handoffs = scene.db.store.handoffs(scene.clinic.id, true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    assert_eq!(handoffs[0].reason, sofia::engine::ORDER_REASON);
}
