//! The starter suites under `evals/` load against the demo clinic and cover what the issue asks.

use std::collections::BTreeSet;

use sofia::eval::suite;

use crate::support::repo_path;

#[test]
fn the_starter_suites_load_and_cover_every_topic() {
    let loaded =
        suite::load(&[repo_path("evals")], &repo_path("knowledge")).unwrap_or_else(|e| panic!("{e}"));
    let cases: Vec<_> = loaded.suites.iter().flat_map(|s| &s.cases).collect();
    assert!(cases.len() >= 60, "at least 60 starter cases, found {}", cases.len());
    let tags: BTreeSet<&str> = cases.iter().flat_map(|c| &c.tags).map(String::as_str).collect();
    for topic in [
        "booking",
        "professional",
        "period",
        "burst",
        "typos",
        "rescheduling",
        "cancelling",
        "late",
        "confirming",
        "listing",
        "packages",
        "faq",
        "handoff",
        "emergency",
        "opt-out",
        "minors",
        "no-diagnosis",
        "privacy",
        "prompt-injection",
    ] {
        assert!(tags.contains(topic), "no starter case is tagged {topic}");
    }
    assert!(cases.iter().all(|c| !c.tags.is_empty()), "every starter case has a tag for --tag");
    for suite in &loaded.suites {
        assert_eq!(suite.tenant.as_str(), "demo");
    }
}
