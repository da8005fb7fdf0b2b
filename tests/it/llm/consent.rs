//! Two-step writes are enforced by the server, not by the prompt: a model that proposes and
//! confirms in one tool loop changes nothing, the patient sees the real summary, and a
//! confirmation against the patient's "não" is refused.

use serde_json::json;
use sofia_core::domain::AppointmentStatus;

use super::{Llm, PRIMARY, call, says, tool_results};
use crate::support::{TestDb, conformance};
use crate::tools::MARIA;

const NEXT_WEEK: &str = "2026-03-10T10:00:00-03:00";

async fn a_model_that_proposes_and_confirms_in_one_turn_writes_nothing(db: TestDb) {
    let llm = Llm::new(db).await;
    let patient = llm.world.patient(MARIA, "Maria Silva").await;
    let appointment = llm.world.appointment(&patient, "Limpeza de Pele", "Juliana Reis", NEXT_WEEK).await;
    let id = appointment.id.0.to_string();
    llm.script(
        PRIMARY,
        vec![
            call("cancel_appointment", json!({ "appointment_id": id, "reason": "viagem" })),
            call("cancel_appointment", json!({ "confirm": true })),
            says("Pronto, Maria! Cancelei sua limpeza de pele. 😊"),
            // The next turn, after the patient's yes.
            call("cancel_appointment", json!({ "confirm": true })),
            says("Pronto, cancelado!"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let mut history = Vec::new();

    let reply = llm.says_to(&mut maria, &mut history, "preciso cancelar a limpeza, vou viajar").await;

    assert_eq!(llm.world.reload(&appointment).await.status, AppointmentStatus::Scheduled);
    assert!(reply.starts_with("Cancelar Limpeza de Pele de terça-feira, 10/03"), "{reply}");
    assert!(reply.ends_with("Posso confirmar?"), "the patient is asked, not told it is done: {reply}");
    let second_call = &tool_results(&llm.requests().await[2])[1].1;
    assert_eq!(second_call["status"], "needs_confirmation", "{second_call}");

    llm.says_to(&mut maria, &mut history, "sim").await;
    assert_eq!(
        llm.world.reload(&appointment).await.status,
        AppointmentStatus::Cancelled,
        "the yes of a later turn executes the proposal it saw"
    );
}

async fn a_confirmation_against_the_patient_s_no_is_refused(db: TestDb) {
    let llm = Llm::new(db).await;
    let patient = llm.world.patient(MARIA, "Maria Silva").await;
    let appointment = llm.world.appointment(&patient, "Limpeza de Pele", "Juliana Reis", NEXT_WEEK).await;
    let id = appointment.id.0.to_string();
    llm.script(
        PRIMARY,
        vec![
            call("cancel_appointment", json!({ "appointment_id": id, "reason": "viagem" })),
            says(
                "Cancelar Limpeza de Pele de terça-feira, 10/03 às 10:00 com Juliana Reis. Posso confirmar?",
            ),
            call("cancel_appointment", json!({ "confirm": true })),
            says("Tudo bem, mantive o seu horário."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let mut history = Vec::new();
    llm.says_to(&mut maria, &mut history, "preciso cancelar a limpeza, vou viajar").await;

    llm.says_to(&mut maria, &mut history, "não, pensando bem deixa como está").await;

    assert_eq!(llm.world.reload(&appointment).await.status, AppointmentStatus::Scheduled);
    let refused = &tool_results(&llm.requests().await[3])[0].1;
    assert_eq!(refused["error"], "declined", "{refused}");
}

async fn a_booking_proposed_and_confirmed_in_one_turn_waits_for_the_yes(db: TestDb) {
    let llm = Llm::new(db).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" })),
            call("book_appointment", json!({ "slot": "1" })),
            call("book_appointment", json!({ "slot": "1", "confirm": true })),
            says("Agendado! Te espero amanhã às 13:00."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;

    let reply =
        llm.says_to(&mut maria, &mut Vec::new(), "quero botox amanhã à tarde, pode marcar o primeiro").await;

    assert!(llm.world.appointments_of(MARIA).await.is_empty(), "nothing is booked before the patient's yes");
    assert!(reply.contains("R$ 800,00") && reply.ends_with("Posso confirmar?"), "{reply}");
}

conformance!(
    a_model_that_proposes_and_confirms_in_one_turn_writes_nothing,
    a_confirmation_against_the_patient_s_no_is_refused,
    a_booking_proposed_and_confirmed_in_one_turn_waits_for_the_yes,
);
