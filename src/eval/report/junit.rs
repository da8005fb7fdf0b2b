//! JUnit XML, as CI systems read it: one `<testsuite>` per eval suite, one `<testcase>` per
//! case, a `<failure>` with the reasons and the transcript when any run of it failed.

use std::fmt::Write as _;

use super::Report;

pub fn junit(report: &Report) -> String {
    let total = report.total();
    let seconds = |ms: u64| ms as f64 / 1000.0;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let all_ms: u64 = report.cases.iter().flat_map(|c| &c.trials).map(|t| t.duration_ms).sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"sofia eval\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3}\">",
        total.cases,
        total.cases - total.cases_passed,
        seconds(all_ms)
    );
    for (suite, tally) in report.by_suite() {
        let cases: Vec<_> = report.cases.iter().filter(|c| c.suite == suite).collect();
        let suite_ms: u64 = cases.iter().flat_map(|c| &c.trials).map(|t| t.duration_ms).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{:.3}\" timestamp=\"{}\">",
            escape(suite),
            tally.cases,
            tally.cases - tally.cases_passed,
            seconds(suite_ms),
            report.generated_at.format("%Y-%m-%dT%H:%M:%S")
        );
        out.push_str("    <properties>\n");
        let provenance = &report.provenance;
        let mut properties = vec![
            ("brain", provenance.brain.clone()),
            ("repeat", report.repeat.to_string()),
            ("prompts_hash", provenance.prompts_hash.clone().unwrap_or_default()),
        ];
        properties.extend(provenance.model.clone().map(|m| ("model", m)));
        properties
            .extend(provenance.clinics.iter().map(|c| ("clinic_hash", format!("{} {}", c.tenant, c.hash))));
        for (name, value) in properties {
            let _ = writeln!(out, "      <property name=\"{name}\" value=\"{}\"/>", escape(&value));
        }
        out.push_str("    </properties>\n");
        for case in cases {
            let case_ms: u64 = case.trials.iter().map(|t| t.duration_ms).sum();
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"{:.3}\"",
                escape(&case.suite),
                escape(&case.id),
                escape(&case.file.display().to_string()),
                seconds(case_ms)
            );
            match case.first_failure() {
                None => out.push_str("/>\n"),
                Some(trial) => {
                    let headline = trial
                        .failures
                        .first()
                        .map(|f| format!("{}: {}", f.check, f.detail))
                        .unwrap_or_default();
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"{} of {} runs failed: {}\" type=\"eval\">{}</failure>\n    </testcase>",
                        case.runs() - case.passes(),
                        case.runs(),
                        escape(&headline),
                        escape(&trial.explain())
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// XML text and attribute escaping; characters XML 1.0 cannot carry at all are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' => {}
            c => out.push(c),
        }
    }
    out
}
