//! A turn's `expect` checks (docs/evals.md), graded on what the turn recorded.

use super::record::{Failure, TurnRecord};
use super::suite::Expect;

/// Every `expect` check of turn `number` (from 1) that did not hold.
pub fn check_turn(number: usize, expect: &Expect, turn: &TurnRecord) -> Vec<Failure> {
    let mut failures = Vec::new();
    let reply = turn.reply();
    let folded = reply.to_lowercase();
    let mut fail = |check: &str, detail: String| failures.push(Failure::turn(number, check, detail));

    for wanted in &expect.reply_contains {
        if !folded.contains(&wanted.to_lowercase()) {
            fail("reply_contains", format!("the reply does not contain \"{wanted}\"{}", quoted(&reply)));
        }
    }
    for unwanted in &expect.reply_not_contains {
        if folded.contains(&unwanted.to_lowercase()) {
            fail("reply_not_contains", format!("the reply contains \"{unwanted}\"{}", quoted(&reply)));
        }
    }
    for pattern in &expect.reply_matches {
        if !pattern.is_match(&reply) {
            fail(
                "reply_matches",
                format!("the reply does not match /{}/{}", pattern.as_str(), quoted(&reply)),
            );
        }
    }
    for pattern in &expect.reply_not_matches {
        if pattern.is_match(&reply) {
            fail("reply_not_matches", format!("the reply matches /{}/{}", pattern.as_str(), quoted(&reply)));
        }
    }
    let called: Vec<&str> = turn.tool_calls.iter().map(|call| call.tool.as_str()).collect();
    for tool in &expect.tools_called {
        if !turn.called(tool.as_str()) {
            fail("tools_called", format!("{tool} was not called (called: {})", list(&called)));
        }
    }
    for tool in &expect.tools_not_called {
        if turn.called(tool.as_str()) {
            fail("tools_not_called", format!("{tool} was called (called: {})", list(&called)));
        }
    }
    if let Some(wanted) = expect.handoff
        && turn.handoff != wanted
    {
        let detail =
            if wanted { "no handoff happened in this turn" } else { "the conversation was handed off" };
        fail("handoff", detail.to_owned());
    }
    if let Some(wanted) = expect.silent
        && turn.bubbles.is_empty() != wanted
    {
        let detail = if wanted {
            format!("the patient was sent \"{reply}\"")
        } else {
            "the patient was sent nothing".to_owned()
        };
        fail("silent", detail);
    }
    let writes = turn.writes();
    if let Some(wanted) = expect.nothing_written
        && writes.is_empty() != wanted
    {
        let detail = if wanted {
            format!("{} wrote in this turn", list(&writes))
        } else {
            "nothing was booked, moved, cancelled or confirmed in this turn".to_owned()
        };
        fail("nothing_written", detail);
    }
    failures
}

fn quoted(reply: &str) -> String {
    if reply.is_empty() { " (there was no reply)".to_owned() } else { String::new() }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() { "nothing".to_owned() } else { names.join(", ") }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use sofia_core::conversation::ConversationState;

    use super::*;
    use crate::channels::OutboundMessage;
    use crate::eval::record::{Bubble, ToolCallRecord};
    use crate::eval::suite::{Pattern, ToolName};
    use crate::store::ToolOutcome;

    fn turn(reply: &str, tools: &[&str], handoff: bool) -> TurnRecord {
        TurnRecord {
            user: vec!["oi".to_owned()],
            bubbles: vec![Bubble::new(&OutboundMessage::text(reply).unwrap())],
            tool_calls: tools
                .iter()
                .map(|tool| ToolCallRecord {
                    tool: (*tool).to_owned(),
                    arguments: json!({}),
                    result: json!({}),
                    outcome: ToolOutcome::Ok,
                })
                .collect(),
            handoff,
            brain: Some("rules".to_owned()),
            usage: None,
            state: ConversationState::default(),
            latency_ms: 3,
        }
    }

    fn checks(expect: Expect, turn: &TurnRecord) -> Vec<String> {
        check_turn(2, &expect, turn).into_iter().map(|f| format!("{}: {}", f.check, f.detail)).collect()
    }

    fn tools(names: &[&str]) -> Vec<ToolName> {
        names.iter().map(|n| ToolName::parse(n).unwrap()).collect()
    }

    #[test]
    fn reply_contains_ignores_case_and_reports_what_is_missing() {
        let reply = turn("Tenho horários para Botox amanhã", &[], false);
        let expect = Expect { reply_contains: vec!["botox".into(), "AMANHÃ".into()], ..Expect::default() };
        assert!(checks(expect, &reply).is_empty());
        let expect = Expect { reply_contains: vec!["preenchimento".into()], ..Expect::default() };
        assert_eq!(checks(expect, &reply), ["reply_contains: the reply does not contain \"preenchimento\""]);
    }

    #[test]
    fn reply_not_contains_fails_on_a_forbidden_word() {
        let reply = turn("Pelo que você descreve, é um diagnóstico de alergia", &[], false);
        let expect = Expect { reply_not_contains: vec!["Diagnóstico".into()], ..Expect::default() };
        assert_eq!(checks(expect, &reply), ["reply_not_contains: the reply contains \"Diagnóstico\""]);
        let expect = Expect { reply_not_contains: vec!["receita".into()], ..Expect::default() };
        assert!(checks(expect, &turn("Posso agendar uma avaliação", &[], false)).is_empty());
    }

    #[test]
    fn reply_matches_and_not_matches_use_the_regex_as_written() {
        let reply = turn("1) terça-feira, 03/03 às 14:00", &[], false);
        let time = || vec![Pattern::new(r"\b1[3-7]:[03]0\b").unwrap()];
        assert!(checks(Expect { reply_matches: time(), ..Expect::default() }, &reply).is_empty());
        assert_eq!(
            checks(Expect { reply_not_matches: time(), ..Expect::default() }, &reply),
            [r"reply_not_matches: the reply matches /\b1[3-7]:[03]0\b/"]
        );
        let morning = turn("1) terça-feira, 03/03 às 09:00", &[], false);
        assert_eq!(
            checks(Expect { reply_matches: time(), ..Expect::default() }, &morning),
            [r"reply_matches: the reply does not match /\b1[3-7]:[03]0\b/"]
        );
    }

    #[test]
    fn tools_called_is_a_subset_in_any_order() {
        let record = turn("ok", &["update_lead", "find_slots"], false);
        let expect = Expect { tools_called: tools(&["find_slots", "update_lead"]), ..Expect::default() };
        assert!(checks(expect, &record).is_empty());
        let expect = Expect { tools_called: tools(&["book_appointment"]), ..Expect::default() };
        assert_eq!(
            checks(expect, &record),
            ["tools_called: book_appointment was not called (called: update_lead, find_slots)"]
        );
    }

    #[test]
    fn tools_not_called_fails_when_the_tool_ran() {
        let record = turn("ok", &["book_appointment"], false);
        let expect = Expect { tools_not_called: tools(&["book_appointment"]), ..Expect::default() };
        assert_eq!(
            checks(expect, &record),
            ["tools_not_called: book_appointment was called (called: book_appointment)"]
        );
        let expect = Expect { tools_not_called: tools(&["cancel_appointment"]), ..Expect::default() };
        assert!(checks(expect, &record).is_empty());
    }

    #[test]
    fn handoff_is_checked_both_ways_and_only_when_given() {
        let handed = turn("Vou chamar alguém da equipe", &["handoff_to_human"], true);
        let quiet = turn("Claro!", &[], false);
        assert!(checks(Expect { handoff: Some(true), ..Expect::default() }, &handed).is_empty());
        assert_eq!(
            checks(Expect { handoff: Some(true), ..Expect::default() }, &quiet),
            ["handoff: no handoff happened in this turn"]
        );
        assert_eq!(
            checks(Expect { handoff: Some(false), ..Expect::default() }, &handed),
            ["handoff: the conversation was handed off"]
        );
        assert!(checks(Expect::default(), &handed).is_empty());
    }

    #[test]
    fn a_missing_reply_is_said_so() {
        let mut silent = turn("x", &[], false);
        silent.bubbles.clear();
        let expect = Expect { reply_contains: vec!["olá".into()], ..Expect::default() };
        assert_eq!(
            checks(expect, &silent),
            ["reply_contains: the reply does not contain \"olá\" (there was no reply)"]
        );
    }

    #[test]
    fn failures_name_their_turn() {
        let expect = Expect { reply_contains: vec!["nada".into()], ..Expect::default() };
        let failures = check_turn(3, &expect, &turn("oi", &[], false));
        assert_eq!(failures[0].turn, Some(3));
    }

    /// A summary waiting for the patient's yes writes nothing, nor does a refused write; the
    /// booking after the yes does.
    #[test]
    fn nothing_written_tells_a_summary_from_a_write() {
        let call = |result: serde_json::Value, outcome| ToolCallRecord {
            tool: "book_appointment".to_owned(),
            arguments: json!({}),
            result,
            outcome,
        };
        let mut summary = turn("Posso confirmar?", &[], false);
        summary.tool_calls = vec![call(json!({"status": "needs_confirmation"}), ToolOutcome::Ok)];
        let mut refused = turn("Esse horário acabou de ser ocupado.", &[], false);
        refused.tool_calls = vec![call(json!({"error": "slot_taken"}), ToolOutcome::Refused)];
        let mut booked = turn("Pronto, está agendado!", &[], false);
        booked.tool_calls = vec![call(json!({"status": "booked"}), ToolOutcome::Ok)];
        let nothing = |wanted| Expect { nothing_written: Some(wanted), ..Expect::default() };

        assert!(checks(nothing(true), &summary).is_empty());
        assert!(checks(nothing(true), &refused).is_empty());
        assert_eq!(checks(nothing(true), &booked), ["nothing_written: book_appointment wrote in this turn"]);
        assert!(checks(nothing(false), &booked).is_empty());
        assert_eq!(
            checks(nothing(false), &summary),
            ["nothing_written: nothing was booked, moved, cancelled or confirmed in this turn"]
        );
    }

    #[test]
    fn silent_means_the_patient_was_sent_nothing() {
        let mut quiet = turn("x", &[], false);
        quiet.bubbles.clear();
        let acknowledged = turn("Já avisei nossa equipe", &[], false);
        assert!(checks(Expect { silent: Some(true), ..Expect::default() }, &quiet).is_empty());
        assert!(checks(Expect { silent: Some(false), ..Expect::default() }, &acknowledged).is_empty());
        assert_eq!(
            checks(Expect { silent: Some(true), ..Expect::default() }, &acknowledged),
            ["silent: the patient was sent \"Já avisei nossa equipe\""]
        );
        assert_eq!(
            checks(Expect { silent: Some(false), ..Expect::default() }, &quiet),
            ["silent: the patient was sent nothing"]
        );
    }
}
