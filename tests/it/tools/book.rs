use serde_json::json;
use sofia::agent::tools::ToolError;
use sofia_core::domain::{AppointmentStatus, FunnelStage, Money, Temperature};

use super::{JOAO, MARIA, World, botox_on, local};
use crate::support::{TestDb, conformance};

conformance!(
    a_slot_that_was_not_offered_is_refused,
    booking_needs_confirmation_and_then_books,
    a_slot_taken_after_it_was_offered_is_refused_with_fresh_alternatives,
    confirming_with_nothing_pending_is_refused,
    a_changed_choice_is_summarised_again_not_booked,
    a_package_session_pays_when_the_patient_has_one,
    a_booking_whose_crm_bookkeeping_fails_is_still_told_as_booked,
    a_procedure_the_patients_health_rules_out_is_not_booked_whoever_asks,
);

/// "estou amamentando" rules out the filler for the rest of the conversation, whatever a model
/// decides; a procedure it does not rule out books as usual.
async fn a_procedure_the_patients_health_rules_out_is_not_booked_whoever_asks(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria Silva").await;
    world.hears(&mut maria, "oi, estou amamentando meu bebê de 4 meses");
    world.hears(&mut maria, "queria fazer preenchimento na quarta");
    let filler = world
        .offer(
            &mut maria,
            json!({ "service": "preenchimento labial", "date": "2026-03-04", "period": "manha" }),
            "2026-03-04T09:00:00-03:00",
        )
        .await;

    let refused = world.call(&mut maria, "book_appointment", json!({ "slot": filler })).await;

    let Err(error @ ToolError::RuledOut { .. }) = refused else { panic!("{refused:?}") };
    assert_eq!(error.code(), "contraindicated");
    assert!(error.patient_message().contains("amamentando"), "{}", error.patient_message());
    assert!(error.patient_message().contains("Avaliação"), "{}", error.patient_message());
    assert!(maria.state.pending.is_none(), "nothing awaits a yes");

    let cleaning = world
        .offer(
            &mut maria,
            json!({ "service": "limpeza de pele", "date": "2026-03-04", "period": "manha" }),
            "2026-03-04T09:00:00-03:00",
        )
        .await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": cleaning })).await;
    world.ok(&mut maria, "book_appointment", json!({ "confirm": true })).await;
    assert_eq!(world.appointments_of(MARIA).await.len(), 1);
}

/// The appointment is committed before the lead and the timeline are updated; if those fail,
/// the patient is told what actually happened: booked.
async fn a_booking_whose_crm_bookkeeping_fails_is_still_told_as_booked(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria Silva").await;
    let slot = world
        .offer(
            &mut maria,
            json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" }),
            "2026-03-03T13:00:00-03:00",
        )
        .await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": slot })).await;
    world.db.execute("DROP TABLE interactions").await;

    let booked = world.call(&mut maria, "book_appointment", json!({ "confirm": true })).await;

    let booked = booked.expect("the booking is reported as done");
    assert_eq!(booked.json["status"], "booked", "{}", booked.json);
    assert_eq!(world.appointments_of(MARIA).await.len(), 1);
}

async fn a_slot_that_was_not_offered_is_refused(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let refused = world.call(&mut maria, "book_appointment", json!({ "slot": "1" })).await;
    assert!(matches!(refused, Err(ToolError::NotOffered { .. })), "{refused:?}");

    world.ok(&mut maria, "find_slots", json!({ "service": "botox" })).await;
    let refused = world.call(&mut maria, "book_appointment", json!({ "slot": "7", "confirm": true })).await;
    let Err(error @ ToolError::NotOffered { .. }) = refused else { panic!("{refused:?}") };
    assert_eq!(error.to_json()["offered"], json!(["1", "2", "3"]));
    assert!(error.patient_message().contains("não está entre as opções"));
    assert!(world.appointments_of(MARIA).await.is_empty());
}

async fn booking_needs_confirmation_and_then_books(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria Silva").await;
    let slot = world
        .offer(
            &mut maria,
            json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" }),
            "2026-03-03T13:00:00-03:00",
        )
        .await;

    let proposed = world.call(&mut maria, "book_appointment", json!({ "slot": slot })).await.unwrap();
    assert_eq!(proposed.json["status"], "needs_confirmation");
    assert_eq!(
        proposed.json["summary"],
        "Agendamento de Botox para terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima. Valor: R$ 800,00."
    );
    assert!(proposed.text.unwrap().ends_with("Posso confirmar?"));
    assert!(maria.state.pending.is_some());
    assert!(world.appointments_of(MARIA).await.is_empty(), "the first call books nothing");
    assert!(world.store().patient_by_phone(world.clinic.id, &maria.phone).await.unwrap().is_none());

    let booked = world.call(&mut maria, "book_appointment", json!({ "confirm": true })).await.unwrap();
    assert_eq!(booked.json["status"], "booked");
    assert_eq!(
        booked.json["appointment"]["label"],
        "Botox — terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima"
    );
    assert!(booked.text.unwrap().starts_with("Pronto, está agendado! Botox — terça-feira, 03/03 às 13:00"));

    let appointments = world.appointments_of(MARIA).await;
    assert_eq!(appointments.len(), 1);
    let appointment = &appointments[0];
    assert_eq!(local(appointment.starts_at), "2026-03-03 13:00");
    assert_eq!(
        (appointment.status, appointment.price),
        (AppointmentStatus::Scheduled, Money::from_centavos(80_000))
    );
    assert_eq!(appointment.service_id, world.clinic.service_named("Botox").unwrap().id);

    let patient = world.store().patient_by_phone(world.clinic.id, &maria.phone).await.unwrap().unwrap();
    assert_eq!(
        patient.name.as_deref(),
        Some("Maria Silva"),
        "a new patient is named by the WhatsApp push name"
    );
    let conversation = world.store().conversation(maria.conversation).await.unwrap().unwrap();
    assert_eq!(conversation.patient_id, Some(patient.id));
    let lead = world.store().lead_by_phone(world.clinic.id, &maria.phone).await.unwrap().unwrap();
    assert_eq!((lead.stage, lead.temperature), (FunnelStage::Scheduled, Temperature::Hot));
    assert_eq!(lead.interest.as_deref(), Some("Botox"));
    let timeline = world.store().interactions(world.clinic.id, patient.id).await.unwrap();
    assert_eq!(timeline.iter().map(|i| i.kind.as_str()).collect::<Vec<_>>(), ["booked"]);

    assert_eq!(maria.state.pending, None);
    assert!(maria.state.offered.is_empty());
    let again = world.call(&mut maria, "book_appointment", json!({ "confirm": true })).await;
    assert!(matches!(again, Err(ToolError::NothingPending { .. })), "a confirmation books once: {again:?}");
}

async fn a_slot_taken_after_it_was_offered_is_refused_with_fresh_alternatives(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let slot = world.offer(&mut maria, botox_on("2026-03-03"), "2026-03-03T09:00:00-03:00").await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": slot })).await;

    // Between the offer and the patient's yes, the clinic's staff give that time to João.
    let joao = world.patient(JOAO, "João").await;
    world.appointment(&joao, "Botox", "Dr. Ricardo Lima", "2026-03-03T09:00:00-03:00").await;

    let refused = world.call(&mut maria, "book_appointment", json!({ "slot": slot, "confirm": true })).await;
    let Err(error @ ToolError::SlotTaken { .. }) = refused else { panic!("{refused:?}") };
    let ToolError::SlotTaken { alternatives } = &error else { unreachable!() };
    let times: Vec<String> = alternatives.iter().map(|a| format!("{} {} {}", a.id, a.date, a.time)).collect();
    assert_eq!(times, ["1 2026-03-03 09:30", "2 2026-03-03 10:00", "3 2026-03-03 10:30"]);
    assert!(error.patient_message().contains("1) terça-feira, 03/03 às 09:30 com Dr. Ricardo Lima"));

    // The alternatives are the new offer; nothing is pending and nothing was booked for Maria.
    let offered: Vec<String> = maria.state.offered.iter().map(|o| local(o.slot.start)).collect();
    assert_eq!(offered, ["2026-03-03 09:30", "2026-03-03 10:00", "2026-03-03 10:30"]);
    assert_eq!(maria.state.pending, None);
    assert!(world.appointments_of(MARIA).await.is_empty());

    // Picking one of them works as usual.
    world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;
    world.ok(&mut maria, "book_appointment", json!({ "confirm": true })).await;
    let booked: Vec<String> = world.appointments_of(MARIA).await.iter().map(|a| local(a.starts_at)).collect();
    assert_eq!(booked, ["2026-03-03 09:30"]);
}

async fn confirming_with_nothing_pending_is_refused(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    for tool in ["book_appointment", "reschedule_appointment", "cancel_appointment"] {
        let refused = world.call(&mut maria, tool, json!({ "confirm": true })).await;
        let Err(error @ ToolError::NothingPending { .. }) = refused else { panic!("{tool}: {refused:?}") };
        assert!(error.to_string().contains(tool));
    }
}

async fn a_changed_choice_is_summarised_again_not_booked(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", botox_on("2026-03-04")).await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;

    // The patient said yes to slot 1; a confirmation naming slot 2 was never shown to them.
    let other = world.ok(&mut maria, "book_appointment", json!({ "slot": "2", "confirm": true })).await;
    assert_eq!(other["status"], "needs_confirmation");
    assert!(other["summary"].as_str().unwrap().contains("quarta-feira, 04/03 às 09:30"));
    assert!(world.appointments_of(MARIA).await.is_empty());

    // Refusing a package when the summary said single procedure is the same booking.
    let booked = world
        .ok(&mut maria, "book_appointment", json!({ "slot": "2", "package": false, "confirm": true }))
        .await;
    assert_eq!(booked["status"], "booked");
}

async fn a_package_session_pays_when_the_patient_has_one(db: TestDb) {
    let world = World::new(db).await;
    let maria_patient = world.patient(MARIA, "Maria").await;
    let package = world.package(&maria_patient, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", json!({ "service": "limpeza de pele", "date": "2026-03-04" })).await;
    let proposed = world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;
    assert_eq!(
        proposed["summary"],
        "Agendamento de Limpeza de Pele para quarta-feira, 04/03 às 09:00 com Juliana Reis. \
         Será usada uma sessão do seu pacote Limpeza de Pele — 4 sessões (3 disponíveis)."
    );
    world.ok(&mut maria, "book_appointment", json!({ "confirm": true })).await;
    let booked = &world.appointments_of(MARIA).await[0];
    assert_eq!((booked.patient_package_id, booked.price), (Some(package.id), Money::ZERO));

    // Botox is not in any package: asking for one is refused, leaving it out pays the price.
    world.ok(&mut maria, "find_slots", botox_on("2026-03-05")).await;
    let refused = world.call(&mut maria, "book_appointment", json!({ "slot": "1", "package": true })).await;
    assert!(matches!(refused, Err(ToolError::NoPackageSession { .. })), "{refused:?}");
    let proposed = world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;
    assert!(proposed["summary"].as_str().unwrap().ends_with("Valor: R$ 800,00."));
}
