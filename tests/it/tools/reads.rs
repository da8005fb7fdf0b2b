use serde_json::json;
use sofia_core::domain::AppointmentStatus;

use super::{JOAO, MARIA, World};
use crate::support::{TestDb, conformance};

conformance!(
    list_appointments_shows_only_the_patients_own_upcoming_ones,
    package_balance_shows_only_the_patients_own_packages,
    confirm_appointment_marks_the_patients_own_appointment_confirmed,
);

async fn list_appointments_shows_only_the_patients_own_upcoming_ones(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    let joao = world.patient(JOAO, "João").await;
    let upcoming =
        world.appointment(&maria, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let cancelled =
        world.appointment(&maria, "Botox", "Dra. Ana Paula Souza", "2026-03-06T10:00:00-03:00").await;
    world
        .store()
        .change_appointment(
            world.clinic.id,
            Some(maria.id),
            cancelled.id,
            &sofia::store::AppointmentChange::Cancel {
                reason: "viagem".into(),
                late_fee: None,
                consume_package_session: false,
            },
            world.now(),
        )
        .await
        .unwrap();
    world.appointment(&joao, "Limpeza de Pele", "Juliana Reis", "2026-03-05T10:00:00-03:00").await;

    let mut chat = world.chat(MARIA, "Maria").await;
    let reply = world.call(&mut chat, "list_appointments", json!({})).await.unwrap();
    let listed = reply.json["appointments"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], upcoming.id.to_string());
    assert_eq!(listed[0]["status"], "scheduled");
    assert_eq!(
        reply.text.unwrap(),
        "Você tem este agendamento:\n• Botox — quarta-feira, 04/03 às 10:00 com Dra. Ana Paula Souza (agendado)"
    );

    // `null` arguments are read as none; a phone the clinic does not know has nothing.
    let mut stranger = world.chat("+5521999990000", "Ana").await;
    let reply = world.call(&mut stranger, "list_appointments", json!(null)).await.unwrap();
    assert_eq!(reply.json["appointments"], json!([]));
    assert_eq!(reply.text.unwrap(), "Não encontrei agendamentos futuros no seu cadastro.");
}

async fn package_balance_shows_only_the_patients_own_packages(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    let joao = world.patient(JOAO, "João").await;
    let limpeza = world.package(&maria, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    world.package(&maria, "Microagulhamento — 3 sessões", 1, "2025-06-01").await;
    world.package(&joao, "Microagulhamento — 3 sessões", 0, "2026-02-01").await;
    world
        .appointment_with(
            &maria,
            "Limpeza de Pele",
            "Juliana Reis",
            "2026-03-04T10:00:00-03:00",
            Some(&limpeza),
        )
        .await;

    let mut chat = world.chat(MARIA, "Maria").await;
    let reply = world.call(&mut chat, "package_balance", json!({})).await.unwrap();
    let packages = reply.json["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 2);
    assert_eq!(packages[0]["package"], "Microagulhamento — 3 sessões");
    assert_eq!(packages[0]["expired"], true);
    assert_eq!(packages[1]["package"], "Limpeza de Pele — 4 sessões");
    assert_eq!(
        (&packages[1]["sessions_used"], &packages[1]["sessions_remaining"], &packages[1]["sessions_booked"]),
        (&json!(1), &json!(3), &json!(1))
    );
    assert_eq!((&packages[1]["expires_on"], &packages[1]["expired"]), (&json!("2026-07-09"), &json!(false)));
    let text = reply.text.unwrap();
    assert!(text.contains("• Limpeza de Pele — 4 sessões: 1 de 4 sessões usadas, 3 restantes (1 já agendada), válido até 09/07/2026"), "{text}");
    assert!(
        text.contains(
            "Microagulhamento — 3 sessões: 1 de 3 sessões usadas, 2 restantes — venceu em 28/11/2025"
        ),
        "{text}"
    );
}

async fn confirm_appointment_marks_the_patients_own_appointment_confirmed(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&maria, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let mut chat = world.chat(MARIA, "Maria").await;
    let reply = world
        .call(&mut chat, "confirm_appointment", json!({ "appointment_id": appointment.id.to_string() }))
        .await
        .unwrap();
    assert_eq!(
        reply.text.unwrap(),
        "Presença confirmada: Botox — quarta-feira, 04/03 às 10:00 com Dra. Ana Paula Souza. Até lá!"
    );
    assert_eq!(world.reload(&appointment).await.status, AppointmentStatus::Confirmed);
    // Confirming twice is harmless.
    world.ok(&mut chat, "confirm_appointment", json!({ "appointment_id": appointment.id.to_string() })).await;
}
