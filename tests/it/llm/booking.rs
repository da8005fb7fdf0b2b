use serde_json::json;
use sofia_core::domain::AppointmentStatus;

use super::{Llm, PRIMARY, call, offered, roles, says, system, tool_results};
use crate::support::TestDb;
use crate::tools::{MARIA, local};

/// A booking through tool calls: find_slots → book_appointment (summary) → confirmed.
#[tokio::test]
async fn a_booking_goes_through_the_tools_and_the_patient_s_yes() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" })),
            says("Tenho terça-feira, 03/03: 1) 13:00, 2) 13:30 ou 3) 14:00, com Dr. Ricardo Lima. Qual prefere?"),
            call("book_appointment", json!({ "slot": "1" })),
            says("Agendamento de Botox para terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima. Valor: R$ 800,00. Posso confirmar?"),
            call("book_appointment", json!({ "confirm": true })),
            says("Pronto, Maria! Botox agendado para terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima. 😊"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let mut history = Vec::new();

    let offer = llm.says_to(&mut maria, &mut history, "Oi! Queria marcar botox amanhã à tarde").await;
    assert!(offer.contains("13:00"), "{offer}");
    let summary = llm.says_to(&mut maria, &mut history, "pode ser o primeiro").await;
    assert!(summary.ends_with("Posso confirmar?"), "{summary}");
    assert!(llm.world.appointments_of(MARIA).await.is_empty(), "nothing is booked before the patient's yes");
    let done = llm.says_to(&mut maria, &mut history, "sim, pode confirmar").await;
    assert!(done.contains("agendado"), "{done}");

    let booked = llm.world.appointments_of(MARIA).await;
    assert_eq!(booked.len(), 1);
    assert_eq!(
        (local(booked[0].starts_at), booked[0].status),
        ("2026-03-03 13:00".to_owned(), AppointmentStatus::Scheduled)
    );

    let requests = llm.requests().await;
    assert_eq!(requests.len(), 6);
    // Booking is offered only once there is an offer to book from.
    assert!(!offered(&requests[0]).contains(&"book_appointment".to_owned()), "{:?}", offered(&requests[0]));
    assert!(offered(&requests[2]).contains(&"book_appointment".to_owned()));
    // Turn 2 starts from the state, not from remembered tool results: the offer and its ids
    // are in the system message, and no tool message of turn 1 is sent again.
    assert!(system(&requests[2]).contains("id 1: Botox — terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima"));
    assert_eq!(roles(&requests[2]), ["system", "user", "assistant", "user"]);
    // Turn 3 shows the pending confirmation the patient is answering.
    assert!(system(&requests[4]).contains("Aguardando o \"sim\" do paciente para: Agendamento de Botox"));
    let (_, booked_result) = &tool_results(&requests[5])[0];
    assert_eq!(booked_result["status"], "booked");
    assert_eq!(booked_result["appointment"]["time"], "13:00");
}

/// What the prompt shows of the patient: their appointments and packages, read through the
/// tools before the model is asked.
#[tokio::test]
async fn the_prompt_shows_the_patient_s_appointments_and_packages() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    let patient = llm.world.patient(MARIA, "Maria Silva").await;
    let appointment =
        llm.world.appointment(&patient, "Limpeza de Pele", "Juliana Reis", "2026-03-04T10:00:00-03:00").await;
    llm.world.package(&patient, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    llm.script(PRIMARY, vec![says("Oi, Maria! Sua Limpeza de Pele é na quarta-feira, 04/03 às 10:00.")])
        .await;
    let mut maria = llm.chat().await;

    let reply = llm.says_to(&mut maria, &mut Vec::new(), "quando é minha limpeza?").await;
    assert!(reply.contains("04/03 às 10:00"), "a time a tool returned passes the review: {reply}");
    let request = &llm.requests().await[0];
    let system = system(request);
    assert!(system.contains(&format!(
        "id {}: Limpeza de Pele — quarta-feira, 04/03 às 10:00 com Juliana Reis (agendado)",
        appointment.id.0
    )));
    assert!(
        system.contains("Limpeza de Pele — 4 sessões: 3 de 4 sessões restantes, válido até 09/07/2026"),
        "{system}"
    );
    assert!(
        system.contains("Cuidados depois: Não use maquiagem"),
        "the service in play is described: {system}"
    );
    assert!(!system.contains("Cuidados depois: Não se deite"), "Botox's aftercare is not in play: {system}");
    // With an appointment to change, the tools that change one are offered.
    for tool in ["cancel_appointment", "reschedule_appointment", "confirm_appointment"] {
        assert!(offered(request).contains(&tool.to_owned()), "{tool}");
    }
}

/// A reminder is in the prompt for the message right after it, and forgotten once the model
/// answered that message, as the rules brain does.
#[tokio::test]
async fn a_reminder_is_in_the_prompt_for_the_next_message_only() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    let patient = llm.world.patient(MARIA, "Maria Silva").await;
    let appointment =
        llm.world.appointment(&patient, "Limpeza de Pele", "Juliana Reis", "2026-03-04T10:00:00-03:00").await;
    llm.script(PRIMARY, vec![says("Oi, Maria! Como posso ajudar?"), says("Claro!")]).await;
    let mut maria = llm.chat().await;
    maria.state.reminder = Some(sofia_core::conversation::Reminded {
        appointment: appointment.id,
        starts_at: appointment.starts_at,
        sent_at: llm.world.now(),
    });

    llm.says_to(&mut maria, &mut Vec::new(), "oi").await;
    assert_eq!(maria.state.reminder, None);
    llm.says_to(&mut maria, &mut Vec::new(), "e o estacionamento?").await;

    let requests = llm.requests().await;
    assert!(system(&requests[0]).contains("Lembrete enviado ao paciente"), "the first message sees it");
    assert!(!system(&requests[1]).contains("Lembrete enviado ao paciente"), "the next one does not");
}
