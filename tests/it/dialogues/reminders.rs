//! Answering an appointment reminder: the tapped button carries its appointment; "1", "ok",
//! "👍", "não vou poder" answer the reminder the conversation state holds, and only that one.

use sofia_core::conversation::{ConversationState, Reminded};
use sofia_core::domain::AppointmentStatus;

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};
use crate::tools::World;

conformance!(a_tapped_confirmar_button_confirms_the_appointment_it_carries);

sqlite_only!(
    a_thumbs_up_right_after_the_reminder_confirms_it,
    nao_vou_poder_after_the_reminder_starts_moving_it,
    a_one_with_no_reminder_sent_confirms_nothing,
    the_reminder_is_answered_by_the_next_message_only,
);

const WEDNESDAY_10: &str = "2026-03-04T10:00:00-03:00";

/// Maria with a Botox on Wednesday 10:00, and the dialogue with her.
async fn maria(db: TestDb) -> (Dialogue, sofia::store::Appointment) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let appointment = world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", WEDNESDAY_10).await;
    (Dialogue::with(world, MARIA, "Maria").await, appointment)
}

/// As the scheduler leaves it after sending the reminder.
async fn reminded(chat: &Dialogue, appointment: &sofia::store::Appointment) {
    let mut state = chat.state().await;
    state.reminder = Some(Reminded {
        appointment: appointment.id,
        starts_at: appointment.starts_at,
        sent_at: chat.world.now(),
    });
    save(chat, &state).await;
}

async fn save(chat: &Dialogue, state: &ConversationState) {
    let json = state.to_json().unwrap();
    chat.world.store().save_state(chat.state_id(), &json, chat.world.now()).await.unwrap();
}

async fn status(chat: &Dialogue, appointment: &sofia::store::Appointment) -> AppointmentStatus {
    chat.world.reload(appointment).await.status
}

async fn a_tapped_confirmar_button_confirms_the_appointment_it_carries(db: TestDb) {
    let (mut chat, appointment) = maria(db).await;
    chat.tap(&format!("reminder:confirm:{}", appointment.id), "Confirmar")
        .await
        .called(&["list_appointments", "confirm_appointment"])
        .says(&["Presença confirmada: Botox — quarta-feira, 04/03 às 10:00"]);
    assert_eq!(status(&chat, &appointment).await, AppointmentStatus::Confirmed);
}

async fn a_thumbs_up_right_after_the_reminder_confirms_it(db: TestDb) {
    let (mut chat, appointment) = maria(db).await;
    reminded(&chat, &appointment).await;
    chat.say("👍").await.called(&["list_appointments", "confirm_appointment"]);
    assert_eq!(status(&chat, &appointment).await, AppointmentStatus::Confirmed);
    assert_eq!(chat.state().await.reminder, None, "answered");
}

async fn nao_vou_poder_after_the_reminder_starts_moving_it(db: TestDb) {
    let (mut chat, appointment) = maria(db).await;
    reminded(&chat, &appointment).await;
    chat.say("não vou poder").await.says(&["Vamos remarcar: Botox — quarta-feira, 04/03 às 10:00"]);
    let state = chat.state().await;
    assert_eq!(state.dialogue.request.and_then(|request| request.moving), Some(appointment.id));
    assert_eq!(status(&chat, &appointment).await, AppointmentStatus::Scheduled);
}

async fn a_one_with_no_reminder_sent_confirms_nothing(db: TestDb) {
    let (mut chat, appointment) = maria(db).await;
    let answer = chat.say("1").await;
    assert!(!answer.calls.iter().any(|call| call.tool == "confirm_appointment"), "{answer:?}");
    assert_eq!(status(&chat, &appointment).await, AppointmentStatus::Scheduled);
}

async fn the_reminder_is_answered_by_the_next_message_only(db: TestDb) {
    let (mut chat, appointment) = maria(db).await;
    reminded(&chat, &appointment).await;
    chat.say("qual o endereço de vocês?").await.says(&["Paulista"]);
    let answer = chat.say("1").await;
    assert!(!answer.calls.iter().any(|call| call.tool == "confirm_appointment"), "{answer:?}");
    assert_eq!(status(&chat, &appointment).await, AppointmentStatus::Scheduled);
}
