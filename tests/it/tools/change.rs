use serde_json::json;
use sofia::agent::tools::ToolError;
use sofia_core::domain::{AppointmentStatus, FunnelStage, Money};

use super::{JOAO, MARIA, World, botox_on, local};
use crate::support::{TestDb, conformance};

conformance!(
    another_patients_appointment_is_refused_and_untouched,
    an_early_cancellation_is_free_and_needs_confirmation,
    a_late_cancellation_of_a_single_procedure_carries_the_fee,
    a_late_cancellation_of_a_package_session_uses_the_session,
    rescheduling_moves_to_an_offered_slot_after_confirmation,
    a_late_reschedule_says_what_it_costs,
    rescheduling_needs_a_slot_of_the_same_service,
    only_live_future_appointments_can_be_changed,
);

async fn another_patients_appointment_is_refused_and_untouched(db: TestDb) {
    let world = World::new(db).await;
    let joao = world.patient(JOAO, "João").await;
    let joaos = world.appointment(&joao, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    world.patient(MARIA, "Maria").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let id = joaos.id.to_string();
    world.offer(&mut maria, botox_on("2026-03-05"), "2026-03-05T09:00:00-03:00").await;

    let attempts = [
        ("cancel_appointment", json!({ "appointment_id": id, "reason": "não vou poder" })),
        ("reschedule_appointment", json!({ "appointment_id": id, "slot": "1" })),
        ("confirm_appointment", json!({ "appointment_id": id })),
    ];
    for (tool, arguments) in attempts {
        let refused = world.call(&mut maria, tool, arguments).await;
        let Err(error @ ToolError::NotFound(_)) = refused else { panic!("{tool}: {refused:?}") };
        assert_eq!(error.patient_message(), "Não encontrei esse agendamento no seu cadastro.");
    }
    assert_eq!(maria.state.pending, None);
    assert_eq!(world.reload(&joaos).await, joaos, "João's appointment is untouched");

    // A made-up id and a patient the clinic does not know get the same answer.
    let mut stranger = world.chat("+5521999990000", "Ana").await;
    let refused = world.call(&mut stranger, "confirm_appointment", json!({ "appointment_id": id })).await;
    assert!(matches!(refused, Err(ToolError::NotFound(_))), "{refused:?}");
    let refused = world.call(&mut maria, "confirm_appointment", json!({ "appointment_id": "abc" })).await;
    assert!(matches!(refused, Err(ToolError::Invalid { field: "appointment_id", .. })), "{refused:?}");
}

async fn an_early_cancellation_is_free_and_needs_confirmation(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let arguments = json!({ "appointment_id": appointment.id.to_string(), "reason": "viagem" });
    let proposed = world.ok(&mut maria, "cancel_appointment", arguments).await;
    assert_eq!(proposed["status"], "needs_confirmation");
    assert_eq!(
        proposed["summary"],
        "Cancelar Botox de quarta-feira, 04/03 às 10:00 com Dra. Ana Paula Souza."
    );
    assert_eq!(world.reload(&appointment).await.status, AppointmentStatus::Scheduled);

    let cancelled = world.ok(&mut maria, "cancel_appointment", json!({ "confirm": true })).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["late_change"], json!(null));
    let stored = world.reload(&appointment).await;
    assert_eq!(stored.status, AppointmentStatus::Cancelled);
    assert_eq!((stored.cancellation_reason.as_deref(), stored.late_fee), (Some("viagem"), None));
    let lead = world.store().lead_by_phone(world.clinic.id, &maria.phone).await.unwrap().unwrap();
    assert_ne!(lead.stage, FunnelStage::Scheduled, "nothing is booked any more");
}

async fn a_late_cancellation_of_a_single_procedure_carries_the_fee(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    // Today at 15:00: six hours away, inside the 24-hour window.
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-02T15:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let arguments = json!({ "appointment_id": appointment.id.to_string(), "reason": "imprevisto" });
    let proposed = world.ok(&mut maria, "cancel_appointment", arguments).await;
    assert_eq!(
        proposed["summary"],
        "Cancelar Botox de segunda-feira, 02/03 às 15:00 com Dra. Ana Paula Souza. \
         Como faltam menos de 24 horas para o horário, será cobrada a taxa de R$ 50,00."
    );
    let cancelled = world.ok(&mut maria, "cancel_appointment", json!({ "confirm": true })).await;
    assert!(cancelled["late_change"].as_str().unwrap().contains("R$ 50,00"));
    assert_eq!(world.reload(&appointment).await.late_fee, Some(Money::from_centavos(5_000)));
}

async fn a_late_cancellation_of_a_package_session_uses_the_session(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let package = world.package(&patient, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    let appointment = world
        .appointment_with(
            &patient,
            "Limpeza de Pele",
            "Juliana Reis",
            "2026-03-03T08:00:00-03:00",
            Some(&package),
        )
        .await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let arguments = json!({ "appointment_id": appointment.id.to_string(), "reason": "doente" });
    let proposed = world.ok(&mut maria, "cancel_appointment", arguments).await;
    assert!(
        proposed["summary"].as_str().unwrap().ends_with("esta sessão do pacote será contada como usada."),
        "{proposed}"
    );
    world.ok(&mut maria, "cancel_appointment", json!({ "confirm": true })).await;
    let stored = world.reload(&appointment).await;
    assert_eq!((stored.status, stored.late_fee), (AppointmentStatus::Cancelled, None));
    let packages = world.store().patient_packages(world.clinic.id, patient.id).await.unwrap();
    assert_eq!(packages[0].sessions_used, 2);
}

async fn rescheduling_moves_to_an_offered_slot_after_confirmation(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let slot = world.offer(&mut maria, botox_on("2026-03-05"), "2026-03-05T09:00:00-03:00").await;
    let arguments = json!({ "appointment_id": appointment.id.to_string(), "slot": slot });
    let proposed = world.ok(&mut maria, "reschedule_appointment", arguments).await;
    assert_eq!(
        proposed["summary"],
        "Remarcar Botox de quarta-feira, 04/03 às 10:00 para quinta-feira, 05/03 às 09:00 com Dr. Ricardo Lima."
    );
    assert_eq!(world.reload(&appointment).await, appointment, "the first call moves nothing");

    let moved = world.ok(&mut maria, "reschedule_appointment", json!({ "confirm": true })).await;
    assert_eq!(moved["status"], "rescheduled");
    let stored = world.reload(&appointment).await;
    assert_eq!(local(stored.starts_at), "2026-03-05 09:00");
    assert_eq!(stored.professional_id, world.clinic.professional_named("Dr. Ricardo Lima").unwrap().id);
    assert_eq!(stored.late_fee, None);
    // The old time is free again.
    let found = world
        .ok(&mut maria, "find_slots", json!({ "service": "botox", "date": "2026-03-04", "limit": 10 }))
        .await;
    assert!(found["slots"].as_array().unwrap().iter().any(|s| s["time"] == "10:00"));
}

async fn a_late_reschedule_says_what_it_costs(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let single =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-02T16:00:00-03:00").await;
    let package = world.package(&patient, "Limpeza de Pele — 4 sessões", 2, "2026-01-10").await;
    let session = world
        .appointment_with(
            &patient,
            "Limpeza de Pele",
            "Juliana Reis",
            "2026-03-02T17:00:00-03:00",
            Some(&package),
        )
        .await;
    let mut maria = world.chat(MARIA, "Maria").await;

    let slot = world.offer(&mut maria, botox_on("2026-03-05"), "2026-03-05T09:00:00-03:00").await;
    let proposed = world
        .ok(
            &mut maria,
            "reschedule_appointment",
            json!({ "appointment_id": single.id.to_string(), "slot": slot }),
        )
        .await;
    assert!(
        proposed["summary"].as_str().unwrap().ends_with("será cobrada a taxa de R$ 50,00."),
        "{proposed}"
    );
    world.ok(&mut maria, "reschedule_appointment", json!({ "confirm": true })).await;
    assert_eq!(world.reload(&single).await.late_fee, Some(Money::from_centavos(5_000)));

    // Two sessions left, one held by this appointment: a late move uses it up and takes the other.
    let limpeza = json!({ "service": "limpeza", "date": "2026-03-06" });
    let slot = world.offer(&mut maria, limpeza.clone(), "2026-03-06T09:00:00-03:00").await;
    let proposed = world
        .ok(
            &mut maria,
            "reschedule_appointment",
            json!({ "appointment_id": session.id.to_string(), "slot": slot }),
        )
        .await;
    assert!(proposed["summary"].as_str().unwrap().ends_with("será contada como usada."), "{proposed}");
    world.ok(&mut maria, "reschedule_appointment", json!({ "confirm": true })).await;
    let packages = world.store().patient_packages(world.clinic.id, patient.id).await.unwrap();
    assert_eq!(packages[0].sessions_used, 3);

    // Now the moved session holds the last one: moving it late again would leave it unpaid.
    world.clock.set(crate::support::at("2026-03-05T12:00:00-03:00"));
    let slot = world
        .offer(&mut maria, json!({ "service": "limpeza", "date": "2026-03-07" }), "2026-03-07T09:00:00-03:00")
        .await;
    let refused = world
        .call(
            &mut maria,
            "reschedule_appointment",
            json!({ "appointment_id": session.id.to_string(), "slot": slot }),
        )
        .await;
    assert!(matches!(refused, Err(ToolError::NoSpareSession { hours: 24 })), "{refused:?}");
}

async fn rescheduling_needs_a_slot_of_the_same_service(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", json!({ "service": "limpeza" })).await;
    let refused = world
        .call(
            &mut maria,
            "reschedule_appointment",
            json!({ "appointment_id": appointment.id.to_string(), "slot": "1" }),
        )
        .await;
    let Err(ToolError::Invalid { field: "slot", problem }) = refused else { panic!("{refused:?}") };
    assert!(problem.contains("is for Limpeza de Pele, but the appointment is for Botox"), "{problem}");
}

async fn only_live_future_appointments_can_be_changed(db: TestDb) {
    let world = World::new(db).await;
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let id = appointment.id.to_string();
    world.ok(&mut maria, "cancel_appointment", json!({ "appointment_id": id, "reason": "viagem" })).await;
    world.ok(&mut maria, "cancel_appointment", json!({ "confirm": true })).await;
    for (tool, arguments) in [
        ("cancel_appointment", json!({ "appointment_id": id, "reason": "de novo" })),
        ("confirm_appointment", json!({ "appointment_id": id })),
    ] {
        let refused = world.call(&mut maria, tool, arguments).await;
        let Err(error @ ToolError::NotChangeable { status: AppointmentStatus::Cancelled, .. }) = refused
        else {
            panic!("{tool}: {refused:?}")
        };
        assert!(
            error.patient_message().starts_with("Esse agendamento já foi cancelado"),
            "{}",
            error.patient_message()
        );
    }

    // Today at 08:00: an hour ago.
    let started =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-02T08:00:00-03:00").await;
    let arguments = json!({ "appointment_id": started.id.to_string(), "reason": "esqueci" });
    let refused = world.call(&mut maria, "cancel_appointment", arguments).await;
    let Err(error @ ToolError::AlreadyStarted { .. }) = refused else { panic!("{refused:?}") };
    assert_eq!(error.patient_message(), "Esse horário já começou e não pode mais ser cancelado.");
    assert_eq!(world.reload(&started).await.status, AppointmentStatus::Scheduled);
}
