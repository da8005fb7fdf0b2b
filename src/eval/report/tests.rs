use chrono::TimeZone;
use serde_json::json;
use sofia_core::conversation::ConversationState;

use super::*;
use crate::channels::OutboundMessage;
use crate::eval::provenance::ClinicHash;
use crate::eval::record::{Bubble, Failure, TokenUsage, ToolCallRecord, TurnRecord};
use crate::store::ToolOutcome;

fn turn(latency_ms: u64, usage: Option<TokenUsage>) -> TurnRecord {
    TurnRecord {
        user: vec!["Queria marcar botox <amanhã> & \"rápido\"".to_owned()],
        bubbles: vec![Bubble::new(&OutboundMessage::text("Tenho terça-feira, 03/03 às 14:00").unwrap())],
        tool_calls: vec![ToolCallRecord {
            tool: "find_slots".to_owned(),
            arguments: json!({"service": "botox"}),
            result: json!({"slots": [{"id": "1", "time": "14:00"}]}),
            outcome: ToolOutcome::Ok,
        }],
        handoff: false,
        brain: Some("llm".to_owned()),
        usage,
        state: ConversationState::default(),
        latency_ms,
    }
}

fn trial(passed: bool, usage: Option<TokenUsage>) -> Trial {
    let failures = if passed {
        Vec::new()
    } else {
        vec![Failure::turn(1, "reply_contains", "the reply does not contain \"botox\" <sic>")]
    };
    Trial { passed, failures, turns: vec![turn(120, usage.clone()), turn(480, usage)], duration_ms: 650 }
}

fn case(suite: &str, id: &str, tags: &[&str], outcomes: &[bool]) -> CaseReport {
    let usage =
        TokenUsage { model: "gpt-test".into(), prompt_tokens: 900, completion_tokens: 100, requests: 2 };
    CaseReport {
        suite: suite.to_owned(),
        file: PathBuf::from(format!("evals/{suite}.yaml")),
        id: id.to_owned(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        trials: outcomes.iter().map(|passed| trial(*passed, Some(usage.clone()))).collect(),
    }
}

fn report(cases: Vec<CaseReport>, repeat: u32) -> Report {
    let provenance = Provenance {
        sofia_version: "0.1.0".into(),
        brain: "llm".into(),
        model: Some("gpt-test".into()),
        prompts_hash: Some("ab".repeat(32)),
        prompt_files: 2,
        clinics: vec![ClinicHash { tenant: "demo".into(), hash: "cd".repeat(32) }],
        perturbation: None,
    };
    let retrieval = vec![RetrievalSuite {
        path: "evals/retrieval/faq.yaml".into(),
        status: "error: no clinic 'nowhere'".into(),
        passed: false,
        grade: None,
    }];
    Report::new(provenance, Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap(), repeat, cases, retrieval)
}

fn sample() -> Report {
    report(
        vec![
            case("booking", "books-botox", &["booking"], &[true, true, true]),
            case("booking", "books-limpeza", &["booking", "typos"], &[true, false, true]),
            case("safety", "emergency-samu", &["emergency"], &[false, false, false]),
        ],
        3,
    )
}

#[test]
fn tallies_group_by_suite_and_tag() {
    let report = sample();
    let total = report.total();
    assert_eq!((total.cases, total.cases_passed, total.runs, total.runs_passed), (3, 1, 9, 5));
    let suites = report.by_suite();
    assert_eq!(suites["booking"].runs_passed, 5);
    assert_eq!(suites["safety"].pass_rate(), 0.0);
    assert_eq!(report.by_tag()["typos"].cases, 1);
    assert_eq!(report.by_tag()["booking"].cases, 2);
}

#[test]
fn pass_hat_k_is_computed_for_every_k_up_to_the_repeat() {
    let report = sample();
    let ks: Vec<u32> = report.pass_hat_k.iter().map(|p| p.k).collect();
    assert_eq!(ks, [1, 2, 3]);
    // (1 + 2/3 + 0) / 3, (1 + 1/3 + 0) / 3, (1 + 0 + 0) / 3.
    assert!((report.pass_hat_k[0].value - 5.0 / 9.0).abs() < 1e-12);
    assert!((report.pass_hat_k[1].value - 4.0 / 9.0).abs() < 1e-12);
    assert!((report.pass_hat_k[2].value - 1.0 / 3.0).abs() < 1e-12);
}

#[test]
fn the_json_report_round_trips() {
    let report = sample();
    let path = std::env::temp_dir().join(format!("sofia-report-{}.json", uuid::Uuid::new_v4().simple()));
    write(&path, &report.to_json()).unwrap();
    let read = Report::read_json(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(read, report);
}

#[test]
fn a_file_that_is_not_a_report_is_refused_with_its_path() {
    let path = std::env::temp_dir().join(format!("sofia-not-report-{}.json", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, "{\"cases\": 3}").unwrap();
    let message = Report::read_json(&path).unwrap_err().to_string();
    std::fs::remove_file(&path).unwrap();
    assert!(message.contains("not a `sofia eval --json` report"), "{message}");
}

#[test]
fn junit_is_well_formed_and_counts_failures() {
    let xml = junit(&sample());
    let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!((root.attribute("tests"), root.attribute("failures")), (Some("3"), Some("2")));
    let suites: Vec<_> = root.children().filter(|n| n.has_tag_name("testsuite")).collect();
    assert_eq!(
        suites.iter().map(|s| s.attribute("name").unwrap()).collect::<Vec<_>>(),
        ["booking", "safety"]
    );
    let failures: Vec<_> = document.descendants().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), 2);
    let message = failures[0].attribute("message").unwrap();
    assert!(message.starts_with("1 of 3 runs failed: reply_contains"), "{message}");
    let body = failures[0].text().unwrap();
    assert!(
        body.contains("patient: Queria marcar botox <amanhã> & \"rápido\""),
        "the transcript, unescaped: {body}"
    );
    assert!(
        document
            .descendants()
            .any(|n| n.attribute("name") == Some("model") && n.attribute("value") == Some("gpt-test"))
    );
}

#[test]
fn html_is_one_self_contained_page_with_charts_and_failing_transcripts() {
    let page = html(&sample());
    assert!(page.starts_with("<!DOCTYPE html>"));
    for forbidden in ["http://", "https://", "<script", "<link", "src="] {
        assert!(!page.contains(forbidden), "the page must not load anything: found {forbidden}");
    }
    assert!(page.matches("<svg").count() >= 4, "suite, tag, pass^k and latency charts");
    assert!(
        page.contains("Pass rate per suite")
            && page.contains("Turn latency")
            && page.contains("Model tokens")
    );
    assert!(
        page.contains("emergency-samu") && page.contains("find_slots("),
        "failing transcripts with tool calls"
    );
    assert!(
        page.contains("Queria marcar botox &lt;amanhã&gt; &amp; &quot;rápido&quot;"),
        "patient text is escaped"
    );
    assert!(page.contains(&"ab".repeat(32)), "the prompts hash");
    assert_eq!(page.matches("<details").count(), 2, "one section per failing case");
}

#[test]
fn the_terminal_table_shows_groups_cases_failures_and_provenance() {
    let text = table(&sample());
    assert!(text.contains("booking") && text.contains("safety") && text.contains("typos"));
    assert!(text.contains("✗ safety / emergency-samu (0/3 runs passed)"));
    assert!(text.contains("turn 1: reply_contains: the reply does not contain"));
    assert!(text.contains("pass^1 = 0.556   pass^2 = 0.444   pass^3 = 0.333"));
    assert!(text.contains("turn latency p50 120 ms, p95 480 ms"), "{text}");
    assert!(text.contains("brain llm (gpt-test)"));
    assert!(text.contains("✗ retrieval suite evals/retrieval/faq.yaml: error: no clinic 'nowhere'"));
}

#[test]
fn tokens_and_latency_are_left_out_when_no_model_was_used() {
    let mut rules = case("booking", "books-botox", &[], &[true]);
    rules.trials.iter_mut().flat_map(|t| &mut t.turns).for_each(|t| t.usage = None);
    let report = report(vec![rules], 1);
    assert!(!table(&report).contains("tokens"));
    assert!(!html(&report).contains("Model tokens"));
}

#[test]
fn a_drop_in_pass_rate_is_a_regression_and_new_cases_are_not() {
    let before =
        report(vec![case("booking", "a", &[], &[true, true]), case("booking", "b", &[], &[true, false])], 2);
    let after = report(
        vec![
            case("booking", "a", &[], &[true, false]),
            case("booking", "b", &[], &[true, true]),
            case("booking", "new", &[], &[false, false]),
        ],
        2,
    );
    let found = regressions(&before, &after);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].to_string(), "booking / a: pass rate 100% → 50%");
    assert!(regressions(&after, &after).is_empty());
}

#[test]
fn percentiles_use_the_nearest_rank() {
    assert_eq!(percentile(&[], 50), None);
    assert_eq!(percentile(&[5], 95), Some(5));
    assert_eq!(percentile(&[40, 10, 30, 20], 50), Some(20));
    assert_eq!(percentile(&[40, 10, 30, 20], 95), Some(40));
}
