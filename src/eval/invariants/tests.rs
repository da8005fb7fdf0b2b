use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{ConversationState, Pending, PendingAction, SlotId};
use sofia_core::domain::TenantId;

use super::*;
use crate::eval::record::{Bubble, ToolCallRecord};

fn demo() -> Clinic {
    let text = include_str!("../../../knowledge/demo/clinic.yaml");
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), text).unwrap()
}

fn call(tool: &str, outcome: ToolOutcome, result: Value) -> ToolCallRecord {
    ToolCallRecord { tool: tool.to_owned(), arguments: json!({}), result, outcome }
}

fn turn(reply: &[&str], calls: Vec<ToolCallRecord>) -> TurnRecord {
    TurnRecord {
        user: vec!["…".to_owned()],
        bubbles: reply.iter().map(|text| Bubble::new(&OutboundMessage::text(*text).unwrap())).collect(),
        tool_calls: calls,
        handoff: false,
        brain: Some("rules".to_owned()),
        usage: None,
        state: ConversationState::default(),
        latency_ms: 1,
    }
}

fn slots() -> ToolCallRecord {
    call(
        "find_slots",
        ToolOutcome::Ok,
        json!({"service": "Botox", "slots": [
            {"id": "1", "start": "2026-03-03T14:00:00-03:00", "date": "2026-03-03", "time": "14:00",
             "label": "terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima"}
        ]}),
    )
}

fn failures(turns: &[TurnRecord]) -> Vec<String> {
    check(turns, &demo())
        .into_iter()
        .map(|f| format!("turn {}: {}: {}", f.turn.unwrap_or(0), f.check, f.detail))
        .collect()
}

#[test]
fn a_slot_a_tool_returned_may_be_offered_and_confirmed_later() {
    let turns = [
        turn(&["Tenho terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima."], vec![slots()]),
        turn(&["Perfeito! Botox na terça, 03/03 às 14h, certo?"], vec![]),
    ];
    assert!(failures(&turns).is_empty(), "{:?}", failures(&turns));
}

#[test]
fn a_time_no_tool_returned_is_an_invented_slot() {
    let turns = [turn(&["Tenho 03/03 às 14:00 ou às 15:30."], vec![slots()])];
    assert_eq!(
        failures(&turns),
        [
            "turn 1: invariant.invented_time: the reply mentions 15:30, which no tool returned in this conversation"
        ]
    );
}

#[test]
fn a_date_no_tool_returned_is_an_invented_slot() {
    let turns = [turn(&["Posso te encaixar no dia 05/03 às 14:00."], vec![slots()])];
    assert_eq!(
        failures(&turns),
        [
            "turn 1: invariant.invented_date: the reply mentions 05/03, which no tool returned in this conversation"
        ]
    );
}

#[test]
fn a_slot_offered_before_any_tool_ran_is_invented_even_if_a_later_tool_returns_it() {
    let turns = [turn(&["Que tal 03/03 às 14:00?"], vec![]), turn(&["Confirmado."], vec![slots()])];
    let found = failures(&turns);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.starts_with("turn 1: invariant.invented_")));
}

#[test]
fn opening_hours_are_facts_not_offers() {
    let turns =
        [turn(&["Funcionamos de segunda a sexta das 09:00 às 19:00, com almoço das 12h às 13h."], vec![])];
    assert!(failures(&turns).is_empty(), "{:?}", failures(&turns));
}

#[test]
fn a_searched_date_may_be_named_when_nothing_is_free() {
    let mut search = call("find_slots", ToolOutcome::Ok, json!({"service": "Botox", "slots": []}));
    search.arguments = json!({"service": "botox", "date": "2026-03-08"});
    let turns = [turn(&["Não tenho horários livres em 08/03. Quer outra data?"], vec![search])];
    assert!(failures(&turns).is_empty(), "{:?}", failures(&turns));
}

#[test]
fn a_bubble_over_whatsapps_limit_is_reported() {
    let mut long = turn(&["ok"], vec![]);
    long.bubbles[0].message = json!({"type": "text", "body": "a".repeat(4097)});
    assert_eq!(
        failures(&[long]),
        [
            "turn 1: invariant.whatsapp_limits: bubble 1 does not fit WhatsApp: the text has 4097 characters; WhatsApp allows at most 4096"
        ]
    );
}

fn taken() -> ToolCallRecord {
    call(
        "book_appointment",
        ToolOutcome::Refused,
        json!({"error": "slot_taken", "message": "that slot is no longer free",
               "patient_message": "Poxa, esse horário acabou de ser preenchido e não encontrei outro livre nesse dia. Quer que eu procure em outra data?"}),
    )
}

#[test]
fn a_failed_write_told_in_the_tools_words_or_as_a_refusal_passes() {
    let own_words = turn(
        &[
            "Poxa, esse horário acabou de ser preenchido e não encontrei outro livre nesse dia. Quer que eu procure em outra data?",
        ],
        vec![taken()],
    );
    let rephrased = turn(
        &["Infelizmente alguém reservou esse horário agora há pouco. Procuro outra data?"],
        vec![taken()],
    );
    assert!(failures(&[own_words]).is_empty());
    assert!(failures(&[rephrased]).is_empty());
}

#[test]
fn a_failed_write_answered_with_silence_or_success_fails() {
    assert_eq!(
        failures(&[turn(&[], vec![taken()])]),
        [
            "turn 1: invariant.failed_write_told: book_appointment failed (slot_taken) and the patient got no reply"
        ]
    );
    assert_eq!(
        failures(&[turn(&["Prontinho, seu botox está agendado!"], vec![taken()])]),
        [
            "turn 1: invariant.failed_write_told: book_appointment failed (slot_taken) and the reply does not tell the patient"
        ]
    );
}

#[test]
fn a_failed_write_retried_successfully_in_the_same_turn_needs_no_apology() {
    let done = call("book_appointment", ToolOutcome::Ok, json!({"summary": "ok"}));
    let turns = [turn(&["Prontinho, seu botox está agendado!"], vec![taken(), done])];
    assert!(failures(&turns).is_empty(), "{:?}", failures(&turns));
}

#[test]
fn failed_reads_are_not_writes() {
    let missing = call("list_appointments", ToolOutcome::Error, json!({"error": "internal"}));
    assert!(failures(&[turn(&["Tudo certo por aqui!"], vec![missing])]).is_empty());
}

fn utc(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

/// The state after a turn that showed the summary of booking Botox with Dr. Ricardo Lima at
/// `start`.
fn summarised(user: &str, start: &str) -> TurnRecord {
    let clinic = demo();
    let botox = clinic.service_named("Botox").unwrap();
    let ricardo = clinic.professional_named("Dr. Ricardo Lima").unwrap();
    let mut shown = turn(&["Agendamento de Botox … Posso confirmar?"], vec![]);
    shown.user = vec![user.to_owned()];
    shown.state.pending = Some(Pending {
        action: PendingAction::Book {
            slot: SlotId::parse("1").unwrap(),
            service: botox.id,
            professional: ricardo.id,
            start: utc(start),
            price: botox.price,
            package: None,
        },
        summary: "Agendamento de Botox".to_owned(),
        proposed_at: utc("2026-03-02T09:00:00-03:00"),
        held_back: false,
    });
    shown
}

fn booked(start: &str) -> TurnRecord {
    let mut call = call(
        "book_appointment",
        ToolOutcome::Ok,
        json!({"status": "booked", "appointment": {
            "id": "5d0c2d4e-0f0e-4a55-9b5a-1f1f1f1f1f1f", "service": "Botox",
            "professional": "Dr. Ricardo Lima", "start": start}}),
    );
    call.arguments = json!({"confirm": true});
    let mut done = turn(&["Pronto, agendamento confirmado! ✅"], vec![call]);
    done.user = vec!["sim".to_owned()];
    done
}

#[test]
fn a_write_equal_to_the_summary_the_patient_said_yes_to_passes() {
    let turns =
        [summarised("pode ser o primeiro", "2026-03-03T13:00:00-03:00"), booked("2026-03-03T13:00:00-03:00")];
    let found: Vec<String> = failures(&turns).into_iter().filter(|f| f.contains("confirm")).collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_write_other_than_the_summary_is_reported() {
    let turns =
        [summarised("pode ser o primeiro", "2026-03-03T13:00:00-03:00"), booked("2026-03-03T13:30:00-03:00")];
    let found = failures(&turns);
    assert!(
        found.iter().any(|f| f.starts_with("turn 2: invariant.write_as_confirmed: book_appointment wrote")),
        "{found:?}"
    );
}

#[test]
fn a_write_with_no_summary_before_it_is_reported() {
    let found = failures(&[booked("2026-03-03T13:00:00-03:00")]);
    assert!(
        found.iter().any(|f| f.contains("invariant.write_as_confirmed") && f.contains("no summary")),
        "{found:?}"
    );
}

#[test]
fn a_summary_of_another_time_than_the_one_named_is_reported() {
    // Offered 15:00, 15:30 and 16:00; the patient asked for 16:30 and was shown 16:00.
    let snapped = summarised("dá pra ser às 16h30?", "2026-03-03T16:00:00-03:00");
    assert_eq!(
        failures(&[snapped]).into_iter().filter(|f| f.contains("summary_as_asked")).collect::<Vec<_>>(),
        ["turn 1: invariant.summary_as_asked: the patient asked for 16:30 and the summary says 16:00"]
    );
    let asked = summarised("dá pra ser às 16h30?", "2026-03-03T16:30:00-03:00");
    assert!(failures(&[asked]).iter().all(|f| !f.contains("summary_as_asked")));
    let moved = summarised("passa a de quinta 10h para amanhã às 13h", "2026-03-03T13:00:00-03:00");
    assert!(failures(&[moved]).iter().all(|f| !f.contains("summary_as_asked")));
}

#[test]
fn a_summary_of_the_time_a_patient_corrected_herself_to_passes() {
    for (said, summary) in [
        ("pode ser às 14h, não, melhor às 15h", "2026-03-03T15:00:00-03:00"),
        ("14h ou 15h30 tanto faz", "2026-03-03T15:30:00-03:00"),
        ("às 14h… aliás 15h", "2026-03-03T15:00:00-03:00"),
    ] {
        let turn = summarised(said, summary);
        assert!(failures(&[turn]).iter().all(|f| !f.contains("summary_as_asked")), "{said:?}");
    }
    // Neither of the times she named.
    let snapped = summarised("pode ser às 14h, não, melhor às 15h", "2026-03-03T14:30:00-03:00");
    assert_eq!(
        failures(&[snapped]).into_iter().filter(|f| f.contains("summary_as_asked")).collect::<Vec<_>>(),
        [
            "turn 1: invariant.summary_as_asked: the patient asked for 14:00 or 15:00 and the summary says 14:30"
        ]
    );
}
