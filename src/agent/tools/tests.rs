use serde_json::Value;
use sofia_core::conversation::SlotId;
use sofia_core::domain::AppointmentStatus;

use super::error::{Catalogue, Change};
use super::*;

/// The tool names eval files use (docs/architecture.md, "Agent tools"), minus `search_knowledge`, which brings its
/// own index and is registered where the engine is wired.
const DOCUMENTED: [&str; 11] = [
    "find_slots",
    "book_appointment",
    "reschedule_appointment",
    "cancel_appointment",
    "confirm_appointment",
    "join_waitlist",
    "decline_waitlist_offer",
    "list_appointments",
    "package_balance",
    "update_lead",
    "handoff_to_human",
];

fn parameters(name: &str) -> Value {
    let schema = Tools::standard().schemas().into_iter().find(|s| s.name == name);
    schema.unwrap_or_else(|| panic!("no tool {name}")).parameters
}

#[test]
fn the_standard_tools_are_the_contract_s() {
    assert_eq!(Tools::standard().names(), DOCUMENTED);
}

#[test]
fn every_schema_is_a_closed_self_contained_object() {
    for schema in Tools::standard().schemas() {
        let text = schema.parameters.to_string();
        assert_eq!(schema.parameters["type"], "object", "{}", schema.name);
        assert_eq!(schema.parameters["additionalProperties"], false, "{}", schema.name);
        assert!(!text.contains("$ref") && !text.contains("$schema"), "{}: {text}", schema.name);
        assert!(schema.description.len() > 40, "{}", schema.name);
    }
}

#[test]
fn schemas_say_what_is_required_and_which_words_are_allowed() {
    assert_eq!(parameters("find_slots")["required"], serde_json::json!(["service"]));
    assert_eq!(parameters("confirm_appointment")["required"], serde_json::json!(["appointment_id"]));
    assert_eq!(parameters("handoff_to_human")["required"], serde_json::json!(["reason"]));
    assert!(parameters("book_appointment").get("required").is_none(), "a confirming call sends only confirm");
    let period = parameters("find_slots")["properties"]["period"].to_string();
    for word in ["manha", "tarde", "noite"] {
        assert!(period.contains(word), "{period}");
    }
    assert_eq!(parameters("find_slots")["properties"]["limit"]["maximum"], 10);
    let urgency = parameters("update_lead")["properties"]["urgency"].to_string();
    assert!(urgency.contains("this_week") && urgency.contains("browsing"), "{urgency}");
}

#[test]
fn registering_a_tool_again_replaces_it() {
    let tools = Tools::standard().with(find_slots::FindSlots);
    assert_eq!(tools.names().len(), DOCUMENTED.len());
    assert_eq!(tools.names().last(), Some(&"find_slots"));
}

#[test]
fn errors_are_refusals_with_a_code_and_a_patient_message() {
    let taken = ToolError::SlotTaken { alternatives: Vec::new() };
    assert_eq!(taken.outcome(), crate::store::ToolOutcome::Refused);
    let json = taken.to_json();
    assert_eq!(
        (json["error"].as_str(), json["alternatives"].as_array().map(Vec::len)),
        (Some("slot_taken"), Some(0))
    );
    assert!(json["patient_message"].as_str().unwrap().contains("outra data"));

    let store = ToolError::Store(crate::store::StoreError::NotFound("conversation"));
    assert_eq!(store.outcome(), crate::store::ToolOutcome::Error);
    assert_eq!(store.code(), "internal");
    assert!(!store.patient_message().contains("conversation"), "internals stay internal");

    let unknown = ToolError::UnknownName {
        catalogue: Catalogue::Professional,
        given: "Dr. House".into(),
        valid: vec!["Dra. Ana Paula Souza".into(), "Juliana Reis".into()],
    };
    assert_eq!(
        unknown.to_string(),
        "no professional matches 'Dr. House'; the clinic's professionals are: Dra. Ana Paula Souza, Juliana Reis"
    );
    assert!(
        unknown.patient_message().contains("Nossos profissionais são: Dra. Ana Paula Souza, Juliana Reis.")
    );

    let not_offered = ToolError::NotOffered { slot: SlotId::nth(4).unwrap(), offered: Vec::new() };
    assert_eq!(
        not_offered.to_string(),
        "slot 5 was not offered in this conversation (on offer: nothing); call find_slots first"
    );

    let done = ToolError::NotChangeable { status: AppointmentStatus::Completed, change: Change::Reschedule };
    assert_eq!(done.to_string(), "the appointment is completed and cannot be rescheduled");
    assert_eq!(done.patient_message(), "Esse agendamento já foi realizado e não pode mais ser remarcado.");
}

#[test]
fn free_text_arguments_are_bounded() {
    assert_eq!(parse::text("reason", "  viagem a trabalho ").unwrap(), "viagem a trabalho");
    assert!(parse::text("reason", "   ").is_err());
    let longest = "a".repeat(parse::MAX_TEXT_CHARS);
    assert_eq!(parse::text("name", &longest).unwrap(), longest);
    let error = parse::text("name", &format!("{longest}a")).unwrap_err();
    assert!(error.to_string().contains("at most 300 characters"), "{error}");
    // Characters, not bytes: a long accented name is not cut at half the limit.
    assert!(parse::text("name", &"ã".repeat(parse::MAX_TEXT_CHARS)).is_ok());
}
