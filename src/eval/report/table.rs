//! The terminal summary: per suite, per tag and per case, then every failing case's reasons
//! and transcript.

use std::fmt::Write as _;

use super::{Report, Tally, percentile};

pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let model = report.used_a_model();

    let _ = writeln!(out, "\n{:<28} {:>6} {:>7} {:>10}", "suite", "cases", "passed", "pass rate");
    for (suite, tally) in report.by_suite() {
        let _ = writeln!(out, "{}", group_row(suite, tally));
    }
    let tags = report.by_tag();
    if !tags.is_empty() {
        let _ = writeln!(out, "\n{:<28} {:>6} {:>7} {:>10}", "tag", "cases", "passed", "pass rate");
        for (tag, tally) in tags {
            let _ = writeln!(out, "{}", group_row(tag, tally));
        }
    }

    let _ = write!(out, "\n{:<3} {:<22} {:<44} {:>6}", "", "suite", "case", "runs");
    if model {
        let _ = write!(out, " {:>9} {:>9}", "tokens", "p50 ms");
    }
    out.push('\n');
    for case in &report.cases {
        let mark = if case.passed() { "✓" } else { "✗" };
        let _ = write!(
            out,
            "{mark:<3} {:<22} {:<44} {:>6}",
            clip(&case.suite, 22),
            clip(&case.id, 44),
            format!("{}/{}", case.passes(), case.runs())
        );
        if model {
            let tokens: u64 =
                case.trials.iter().map(|t| t.tokens()).sum::<u64>() / u64::from(case.runs().max(1));
            let latencies: Vec<u64> =
                case.trials.iter().flat_map(|t| &t.turns).map(|t| t.latency_ms).collect();
            let p50 = percentile(&latencies, 50).map_or("-".to_owned(), |ms| ms.to_string());
            let _ = write!(out, " {tokens:>9} {p50:>9}");
        }
        out.push('\n');
    }

    for case in &report.cases {
        if let Some(trial) = case.first_failure() {
            let _ = writeln!(
                out,
                "\n✗ {} / {} ({}/{} runs passed)",
                case.suite,
                case.id,
                case.passes(),
                case.runs()
            );
            out.push_str(&trial.explain());
        }
    }

    for suite in &report.retrieval {
        let mark = if suite.passed { "✓" } else { "✗" };
        let _ = writeln!(out, "\n{mark} retrieval suite {}: {}", suite.path.display(), suite.status);
        for miss in suite.grade.iter().flat_map(|grade| &grade.misses) {
            let _ = writeln!(
                out,
                "    miss {}: \"{}\" wanted {} got [{}]",
                miss.id,
                miss.question,
                miss.expected.join(" | "),
                miss.got.join(", ")
            );
        }
    }

    let total = report.total();
    let _ = writeln!(
        out,
        "\n{} of {} cases passed; {} of {} runs ({:.1}%)",
        total.cases_passed,
        total.cases,
        total.runs_passed,
        total.runs,
        100.0 * total.pass_rate()
    );
    if report.repeat > 1 {
        let ks: Vec<String> =
            report.pass_hat_k.iter().map(|p| format!("pass^{} = {:.3}", p.k, p.value)).collect();
        let _ = writeln!(out, "{}", ks.join("   "));
    }
    if model {
        let latencies: Vec<u64> = report.turn_latencies_ms().collect();
        let tokens: Vec<u64> = report.tokens_per_run().collect();
        let show = |v: Option<u64>| v.map_or("-".to_owned(), |v| v.to_string());
        let _ = writeln!(
            out,
            "turn latency p50 {} ms, p95 {} ms; tokens per run p50 {}, total {}",
            show(percentile(&latencies, 50)),
            show(percentile(&latencies, 95)),
            show(percentile(&tokens, 50)),
            tokens.iter().sum::<u64>()
        );
    }
    let provenance = &report.provenance;
    let _ = writeln!(
        out,
        "brain {}{}; prompts {}; clinics {}{}",
        provenance.brain,
        provenance.model.as_ref().map(|m| format!(" ({m})")).unwrap_or_default(),
        provenance.prompts_hash.as_deref().map_or("none".to_owned(), short),
        provenance
            .clinics
            .iter()
            .map(|c| format!("{} {}", c.tenant, short(&c.hash)))
            .collect::<Vec<_>>()
            .join(", "),
        provenance
            .perturbation
            .as_ref()
            .map(|how| format!("; patients' words perturbed: {how}"))
            .unwrap_or_default()
    );
    out
}

fn group_row(name: &str, tally: Tally) -> String {
    format!(
        "{:<28} {:>6} {:>7} {:>9.1}%",
        clip(name, 28),
        tally.cases,
        tally.cases_passed,
        100.0 * tally.pass_rate()
    )
}

fn short(hash: &str) -> String {
    hash.chars().take(12).collect()
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let kept: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}
