//! The LLM brain driven by a scripted model that emits random tool-call sequences: proposing
//! and confirming in one step, other patients' ids, 64 KB strings, invisible characters,
//! arguments that are not what the schema asks. Whatever the model does, these hold:
//! - no write without a proposal shown in an earlier turn, and none against the patient's no;
//! - another patient's appointment is never found, let alone changed;
//! - no handoff the patient did not need;
//! - every bubble fits WhatsApp's limits, and the patient always gets one.

use proptest::prelude::*;
use proptest::test_runner::{Config as Cases, TestRunner};
use serde_json::{Value, json};
use sofia::channels::limits;
use sofia_core::domain::AppointmentStatus;
use wiremock::ResponseTemplate;

use super::{Llm, PRIMARY, calls, says};
use crate::support::TestDb;
use crate::tools::{JOAO, MARIA};

const NEXT_WEEK: &str = "2026-03-10T10:00:00-03:00";
/// Stands for "the id of Maria's appointment" or "João's" in a generated call.
const OWN_ID: &str = "<own>";
const FOREIGN_ID: &str = "<foreign>";

fn text() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("imprevisto")),
        Just(json!("x".repeat(64 * 1024))),
        Just(json!("via\u{200B}gem\u{2060} \u{202E}urgente")),
        "[ -~]{0,40}".prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn appointment_id() -> impl Strategy<Value = Value> {
    prop_oneof![Just(json!(OWN_ID)), Just(json!(FOREIGN_ID)), text()]
}

/// One tool call a careless or manipulated model might make.
fn call() -> impl Strategy<Value = (&'static str, Value)> {
    prop_oneof![
        (appointment_id(), text(), any::<bool>()).prop_map(|(id, reason, confirm)| {
            ("cancel_appointment", json!({ "appointment_id": id, "reason": reason, "confirm": confirm }))
        }),
        Just(("cancel_appointment", json!({ "confirm": true }))),
        (prop::sample::select(vec!["1", "2", "3", "9", "<own>"]), any::<bool>())
            .prop_map(|(slot, confirm)| ("book_appointment", json!({ "slot": slot, "confirm": confirm }))),
        Just(("book_appointment", json!({ "confirm": true }))),
        (appointment_id(), prop::sample::select(vec!["1", "2", "3"]), any::<bool>()).prop_map(
            |(id, slot, confirm)| {
                ("reschedule_appointment", json!({ "appointment_id": id, "slot": slot, "confirm": confirm }))
            }
        ),
        (appointment_id()).prop_map(|id| ("confirm_appointment", json!({ "appointment_id": id }))),
        (prop::sample::select(vec!["botox", "limpeza de pele", "criolipólise", ""]), text())
            .prop_map(|(service, date)| ("find_slots", json!({ "service": service, "date": date }))),
        Just(("list_appointments", json!({}))),
        text().prop_map(|garbage| ("update_lead", json!({ "interest": garbage }))),
    ]
}

/// A model's whole turn: steps of one or more calls, then a reply.
fn script() -> impl Strategy<Value = Vec<Vec<(&'static str, Value)>>> {
    prop::collection::vec(prop::collection::vec(call(), 1..3), 1..5)
}

/// The script with the placeholders replaced by real ids, as model answers.
fn answers(script: &[Vec<(&'static str, Value)>], own: &str, foreign: &str) -> Vec<ResponseTemplate> {
    let resolve = |value: &Value| {
        let text = value.to_string().replace(OWN_ID, own).replace(FOREIGN_ID, foreign);
        serde_json::from_str::<Value>(&text).unwrap_or(Value::Null)
    };
    let mut answers: Vec<ResponseTemplate> = script
        .iter()
        .map(|step| {
            let step: Vec<(&str, Value)> = step.iter().map(|(name, args)| (*name, resolve(args))).collect();
            calls(&step)
        })
        .collect();
    answers.push(says("Pronto! Está tudo certo. 😊"));
    answers
}

async fn one_case(
    first: Vec<Vec<(&'static str, Value)>>,
    second: Vec<Vec<(&'static str, Value)>>,
) -> Result<(), TestCaseError> {
    let llm = Llm::new(TestDb::sqlite().await).await;
    let maria = llm.world.patient(MARIA, "Maria Silva").await;
    let joao = llm.world.patient(JOAO, "João Souza").await;
    let own = llm.world.appointment(&maria, "Limpeza de Pele", "Juliana Reis", NEXT_WEEK).await;
    let foreign = llm.world.appointment(&joao, "Botox", "Dr. Ricardo Lima", NEXT_WEEK).await;
    let (own_id, foreign_id) = (own.id.0.to_string(), foreign.id.0.to_string());
    let mut script = answers(&first, &own_id, &foreign_id);
    script.extend(answers(&second, &own_id, &foreign_id));
    llm.script(PRIMARY, script).await;
    let mut chat = llm.chat().await;
    let mut history = Vec::new();

    // Turn 1: whatever the model proposes and "confirms", nothing is written.
    let reply = llm.turn(&mut chat, &history, "oi, queria ver meus horários").await;
    let draft = reply.map_err(|error| TestCaseError::fail(format!("the brain failed: {error}")))?;
    check_bubbles(&draft)?;
    unchanged(&llm, &own, "turn 1").await?;
    history
        .push(sofia::agent::HistoryEntry { speaker: sofia::agent::Speaker::Patient, text: "oi".to_owned() });

    // Turn 2: the patient says no; whatever the model confirms, nothing is written.
    let draft = llm
        .turn(&mut chat, &history, "não, deixa como está")
        .await
        .map_err(|error| TestCaseError::fail(format!("the brain failed: {error}")))?;
    check_bubbles(&draft)?;
    unchanged(&llm, &own, "against the patient's no").await?;

    let untouched = llm.world.reload(&foreign).await;
    prop_assert_eq!(untouched.status, AppointmentStatus::Scheduled, "another patient's appointment changed");
    prop_assert_eq!(untouched.starts_at, foreign.starts_at);
    let open = llm.world.store().open_handoff_of(chat.conversation).await.unwrap();
    prop_assert!(open.is_none(), "a handoff nobody asked for: {:?}", open);
    for request in llm.requests().await {
        for message in request["messages"].as_array().into_iter().flatten().filter(|m| m["role"] == "tool") {
            let result = message["content"].as_str().unwrap_or_default();
            prop_assert!(!result.contains("João"), "another patient's data reached the model: {}", result);
        }
    }
    Ok(())
}

/// Maria still has her one appointment, at its time and not cancelled. (Confirming attendance
/// is the one change a single call may make: it is the patient's own yes, with no fee.)
async fn unchanged(llm: &Llm, own: &sofia::store::Appointment, when: &str) -> Result<(), TestCaseError> {
    let now = llm.world.reload(own).await;
    prop_assert!(now.status.is_active(), "{}: the appointment became {:?}", when, now.status);
    prop_assert_eq!(now.starts_at, own.starts_at, "{}: the appointment moved", when);
    prop_assert_eq!(llm.world.appointments_of(MARIA).await.len(), 1, "{}: something was booked", when);
    Ok(())
}

fn check_bubbles(draft: &sofia::agent::Draft) -> Result<(), TestCaseError> {
    prop_assert!(!draft.bubbles.is_empty(), "silence");
    for bubble in &draft.bubbles {
        let text = bubble.plain_text();
        prop_assert!(!text.trim().is_empty());
        prop_assert!(
            text.chars().count() <= limits::TEXT_BODY,
            "a bubble of {} characters",
            text.chars().count()
        );
    }
    Ok(())
}

#[test]
fn random_tool_calls_never_write_without_consent_nor_reach_another_patient() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut runner = TestRunner::new(Cases { cases: 48, failure_persistence: None, ..Cases::default() });
    runner.run(&(script(), script()), |(first, second)| runtime.block_on(one_case(first, second))).unwrap();
}
