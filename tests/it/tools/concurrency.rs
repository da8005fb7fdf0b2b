use std::sync::Arc;

use chrono::Duration;
use serde_json::json;
use sofia::agent::tools::ToolError;
use sofia_core::domain::{AppointmentStatus, InteractionKind};

use super::{JOAO, MARIA, World, local};
use crate::support::{TestDb, at, conformance};

conformance!(
    fifty_confirmations_of_one_offered_slot_make_one_appointment,
    two_concurrent_cancellations_cancel_once,
    a_reschedule_racing_a_booking_for_the_same_slot_lets_one_win,
);

async fn fifty_confirmations_of_one_offered_slot_make_one_appointment(db: TestDb) {
    let world = Arc::new(World::new(db).await);
    let mut chats = Vec::new();
    for i in 0..50 {
        let mut chat = world.chat(&format!("+55119876{i:05}"), &format!("Paciente {i}")).await;
        let search = json!({ "service": "botox", "date": "2026-03-04", "period": "tarde", "limit": 10 });
        let slot = world.offer(&mut chat, search, "2026-03-04T14:00:00-03:00").await;
        world.ok(&mut chat, "book_appointment", json!({ "slot": slot })).await;
        chats.push(chat);
    }
    let confirmations = chats.into_iter().map(|mut chat| {
        let world = Arc::clone(&world);
        tokio::spawn(
            async move { world.call(&mut chat, "book_appointment", json!({ "confirm": true })).await },
        )
    });
    let (mut booked, mut taken) = (0, 0);
    for confirmation in confirmations {
        match confirmation.await.unwrap() {
            Ok(reply) if reply.json["status"] == "booked" => booked += 1,
            Err(ToolError::SlotTaken { alternatives }) => {
                assert!(
                    alternatives
                        .iter()
                        .all(|a| a.time != "14:00" || a.professional != "Dra. Ana Paula Souza")
                );
                taken += 1;
            }
            other => panic!("a confirmation ended the wrong way: {other:?}"),
        }
    }
    assert_eq!((booked, taken), (1, 49));
    let start = at("2026-03-04T14:00:00-03:00");
    let busy =
        world.store().busy_intervals(world.clinic.id, start, start + Duration::minutes(30)).await.unwrap();
    assert_eq!(busy.len(), 1, "exactly one appointment holds the slot");
}

async fn two_concurrent_cancellations_cancel_once(db: TestDb) {
    let world = Arc::new(World::new(db).await);
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    // Two brains (or a retried turn) holding the same confirmed summary.
    let mut first = world.chat(MARIA, "Maria").await;
    let arguments = json!({ "appointment_id": appointment.id.to_string(), "reason": "viagem" });
    world.ok(&mut first, "cancel_appointment", arguments).await;
    let mut second = world.chat(MARIA, "Maria").await;
    second.state = first.state.clone();

    let attempts = [first, second].map(|mut chat| {
        let world = Arc::clone(&world);
        tokio::spawn(
            async move { world.call(&mut chat, "cancel_appointment", json!({ "confirm": true })).await },
        )
    });
    let mut cancelled = 0;
    for attempt in attempts {
        match attempt.await.unwrap() {
            Ok(reply) if reply.json["status"] == "cancelled" => cancelled += 1,
            Err(ToolError::NotChangeable { status: AppointmentStatus::Cancelled, .. }) => {}
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(cancelled, 1);
    assert_eq!(world.reload(&appointment).await.status, AppointmentStatus::Cancelled);
    let timeline = world.store().interactions(world.clinic.id, patient.id).await.unwrap();
    assert_eq!(timeline.iter().filter(|i| i.kind == InteractionKind::Cancelled).count(), 1);
}

async fn a_reschedule_racing_a_booking_for_the_same_slot_lets_one_win(db: TestDb) {
    let world = Arc::new(World::new(db).await);
    let patient = world.patient(MARIA, "Maria").await;
    let appointment =
        world.appointment(&patient, "Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00").await;
    let target = "2026-03-04T15:00:00-03:00";
    let search = json!({ "service": "botox", "date": "2026-03-04", "period": "tarde", "limit": 10 });

    let mut maria = world.chat(MARIA, "Maria").await;
    let slot = world.offer(&mut maria, search.clone(), target).await;
    world
        .ok(
            &mut maria,
            "reschedule_appointment",
            json!({ "appointment_id": appointment.id.to_string(), "slot": slot }),
        )
        .await;
    let mut joao = world.chat(JOAO, "João").await;
    let slot = world.offer(&mut joao, search, target).await;
    world.ok(&mut joao, "book_appointment", json!({ "slot": slot })).await;

    let move_maria = {
        let world = Arc::clone(&world);
        tokio::spawn(async move {
            world.call(&mut maria, "reschedule_appointment", json!({ "confirm": true })).await
        })
    };
    let book_joao = {
        let world = Arc::clone(&world);
        tokio::spawn(
            async move { world.call(&mut joao, "book_appointment", json!({ "confirm": true })).await },
        )
    };
    let moved = move_maria.await.unwrap();
    let booked = book_joao.await.unwrap();
    assert!(moved.is_ok() != booked.is_ok(), "exactly one wins: reschedule {moved:?}, booking {booked:?}");
    let loser = if moved.is_ok() { booked } else { moved };
    assert!(matches!(loser, Err(ToolError::SlotTaken { .. })), "{loser:?}");

    let start = at(target);
    let busy =
        world.store().busy_intervals(world.clinic.id, start, start + Duration::minutes(30)).await.unwrap();
    assert_eq!(busy.len(), 1);
    let marias = world.reload(&appointment).await;
    let joaos = world.appointments_of(JOAO).await;
    if joaos.is_empty() {
        assert_eq!(local(marias.starts_at), "2026-03-04 15:00");
    } else {
        assert_eq!(
            local(marias.starts_at),
            "2026-03-04 10:00",
            "a refused move leaves the appointment where it was"
        );
    }
}
