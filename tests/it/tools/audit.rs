use chrono::Duration;
use serde_json::json;
use sofia::agent::tools::ToolError;
use sofia::store::ToolOutcome;

use super::{MARIA, World};
use crate::support::{TestDb, conformance};

conformance!(
    every_call_is_audited_including_refused_ones,
    unknown_tools_and_malformed_arguments_change_nothing
);

async fn every_call_is_audited_including_refused_ones(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let calls = [
        ("find_slots", json!({ "service": "botox", "date": "2026-03-04" })),
        ("book_appointment", json!({ "slot": "9" })),
        ("book_appointment", json!({ "slot": "1" })),
        ("send_pix", json!({ "amount": 800 })),
        ("find_slots", json!({ "service": "botox", "when": "amanhã" })),
        ("book_appointment", json!({ "confirm": true })),
    ];
    for (tool, arguments) in calls.clone() {
        let _ = world.call(&mut maria, tool, arguments).await;
        // Entries are ordered by time; the frozen clock moves on so the order is the calls'.
        world.clock.advance(Duration::seconds(1));
    }
    let audit = world.store().tool_calls(maria.conversation).await.unwrap();
    let seen: Vec<(&str, ToolOutcome)> = audit.iter().map(|e| (e.tool.as_str(), e.outcome)).collect();
    assert_eq!(
        seen,
        [
            ("find_slots", ToolOutcome::Ok),
            ("book_appointment", ToolOutcome::Refused),
            ("book_appointment", ToolOutcome::Ok),
            ("send_pix", ToolOutcome::Refused),
            ("find_slots", ToolOutcome::Refused),
            ("book_appointment", ToolOutcome::Ok),
        ]
    );
    for (entry, (_, arguments)) in audit.iter().zip(calls) {
        assert_eq!(entry.arguments, arguments);
        assert_eq!(entry.clinic_id, world.clinic.id);
    }
    assert_eq!(audit[1].result["error"], "not_offered");
    assert_eq!(audit[2].result["status"], "needs_confirmation");
    assert_eq!(audit[3].result["error"], "unknown_tool");
    assert_eq!(audit[5].result["status"], "booked");
}

async fn unknown_tools_and_malformed_arguments_change_nothing(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", json!({ "service": "botox" })).await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;
    let before = maria.state.clone();

    let unknown = world.call(&mut maria, "book_everything", json!({ "slot": "1", "confirm": true })).await;
    let Err(error @ ToolError::UnknownTool { .. }) = unknown else { panic!("{unknown:?}") };
    assert!(error.to_string().contains("find_slots, book_appointment, reschedule_appointment"), "{error}");
    let malformed = [
        ("book_appointment", json!({ "slot": "1", "confirm": true, "patient_id": "someone-else" })),
        ("book_appointment", json!({ "slot": "um", "confirm": true })),
        ("book_appointment", json!({ "slot": "1", "confirm": "yes" })),
        ("find_slots", json!({ "service": 5 })),
        ("find_slots", json!({ "service": "botox", "period": "madrugada" })),
        ("cancel_appointment", json!("cancel everything")),
    ];
    for (tool, arguments) in malformed {
        let refused = world.call(&mut maria, tool, arguments.clone()).await;
        let Err(ToolError::BadArguments { .. }) = refused else { panic!("{tool} {arguments}: {refused:?}") };
    }
    assert_eq!(maria.state, before);
    assert!(world.appointments_of(MARIA).await.is_empty());
    assert!(world.store().patient_by_phone(world.clinic.id, &maria.phone).await.unwrap().is_none());
    assert!(world.store().lead_by_phone(world.clinic.id, &maria.phone).await.unwrap().is_none());
}
