//! `--report F.html`: one self-contained page (inline CSS and SVG, no scripts, no external
//! URL) with the run's provenance, charts of pass rates and latency/token distributions, every
//! case, and each failing case's transcript with its tool calls.

use std::fmt::Write as _;

use super::charts::{Bar, histogram, rate_bars};
use super::{Report, Tally};
use crate::eval::record::{Trial, TurnRecord};

const STYLE: &str = "
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#263238;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #cfd8dc;padding-bottom:.3rem}
.meta{color:#607d8b;font-size:.9rem}.meta code{font-size:.85rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #cfd8dc;border-radius:8px;padding:.7rem 1rem;min-width:150px}
.card b{display:block;font-size:1.6rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts svg{border:1px solid #eceff1;border-radius:6px;max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #eceff1;padding:.3rem .5rem;text-align:left}
.pass{color:#2e7d32}.fail{color:#c62828;font-weight:bold}
details{border:1px solid #ffcdd2;border-radius:8px;margin:1rem 0;padding:.5rem 1rem}
summary{cursor:pointer;font-weight:bold}
.failure{color:#c62828;margin:.2rem 0}
.turn{border-left:3px solid #cfd8dc;margin:.6rem 0;padding-left:.8rem}
.patient{background:#e3f2fd;border-radius:8px;padding:.3rem .6rem;margin:.2rem 0;display:inline-block}
.sofia{background:#e8f5e9;border-radius:8px;padding:.3rem .6rem;margin:.2rem 0;white-space:pre-wrap}
.tool{font-family:ui-monospace,monospace;font-size:.8rem;background:#fafafa;border:1px solid #eceff1;padding:.3rem;margin:.2rem 0;white-space:pre-wrap;word-break:break-all}
.tool.refused,.tool.error{border-color:#ef9a9a}
.handoff{color:#6a1b9a}
";

pub fn html(report: &Report) -> String {
    let mut page = String::new();
    let total = report.total();
    let provenance = &report.provenance;
    let _ = write!(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Sofia eval — {} of {} cases passed</title><style>{STYLE}</style></head><body>\
         <h1>Sofia eval</h1><p class=\"meta\">{} · brain <b>{}</b>{} · repeat {} · prompts <code>{}</code> · clinics {} · sofia {}</p>",
        total.cases_passed,
        total.cases,
        report.generated_at.format("%Y-%m-%d %H:%M UTC"),
        escape(&provenance.brain),
        provenance.model.as_ref().map(|m| format!(" (model <code>{}</code>)", escape(m))).unwrap_or_default(),
        report.repeat,
        provenance.prompts_hash.as_deref().map_or("none".to_owned(), escape),
        provenance
            .clinics
            .iter()
            .map(|c| format!("{} <code>{}</code>", escape(&c.tenant), escape(&c.hash)))
            .collect::<Vec<_>>()
            .join(", "),
        escape(&provenance.sofia_version),
    );

    page.push_str("<div class=\"cards\">");
    card(&mut page, "cases passed", &format!("{} / {}", total.cases_passed, total.cases));
    card(&mut page, "runs passed", &format!("{:.1}%", 100.0 * total.pass_rate()));
    for p in &report.pass_hat_k {
        card(&mut page, &format!("pass^{}", p.k), &format!("{:.3}", p.value));
    }
    page.push_str("</div>");

    page.push_str("<h2>Charts</h2><div class=\"charts\">");
    page.push_str(&rate_bars("Pass rate per suite", &bars(report.by_suite())));
    let tags = report.by_tag();
    if !tags.is_empty() {
        page.push_str(&rate_bars("Pass rate per tag", &bars(tags)));
    }
    if report.pass_hat_k.len() > 1 {
        let ks: Vec<Bar> = report
            .pass_hat_k
            .iter()
            .map(|p| Bar { label: format!("pass^{}", p.k), value: p.value, note: format!("{:.3}", p.value) })
            .collect();
        page.push_str(&rate_bars("pass^k (all of k runs pass)", &ks));
    }
    let latencies: Vec<u64> = report.turn_latencies_ms().collect();
    page.push_str(&histogram("Turn latency", &latencies, "ms", 20));
    let tokens: Vec<u64> = report.tokens_per_run().collect();
    if !tokens.is_empty() {
        page.push_str(&histogram("Model tokens per case run", &tokens, "tokens", 20));
    }
    page.push_str("</div>");

    page.push_str("<h2>Cases</h2><table><tr><th></th><th>suite</th><th>case</th><th>tags</th><th>runs passed</th><th>tokens</th></tr>");
    for case in &report.cases {
        let (class, mark) = if case.passed() { ("pass", "✓") } else { ("fail", "✗") };
        let tokens: u64 = case.trials.iter().map(Trial::tokens).sum();
        let _ = write!(
            page,
            "<tr><td class=\"{class}\">{mark}</td><td>{}</td><td>{}</td><td>{}</td><td>{}/{}</td><td>{}</td></tr>",
            escape(&case.suite),
            escape(&case.id),
            escape(&case.tags.join(", ")),
            case.passes(),
            case.runs(),
            if tokens == 0 { "–".to_owned() } else { tokens.to_string() }
        );
    }
    page.push_str("</table>");

    let failing: Vec<_> = report.cases.iter().filter(|c| !c.passed()).collect();
    if !failing.is_empty() {
        page.push_str("<h2>Failing cases</h2>");
    }
    for case in failing {
        let Some(trial) = case.first_failure() else { continue };
        let _ = write!(
            page,
            "<details open><summary>{} / {} — {} of {} runs failed <span class=\"meta\">({})</span></summary>",
            escape(&case.suite),
            escape(&case.id),
            case.runs() - case.passes(),
            case.runs(),
            escape(&case.file.display().to_string())
        );
        for failure in &trial.failures {
            let turn = failure.turn.map(|t| format!("turn {t} · ")).unwrap_or_default();
            let _ = write!(
                page,
                "<p class=\"failure\">✗ {turn}<b>{}</b>: {}</p>",
                escape(&failure.check),
                escape(&failure.detail)
            );
        }
        for (index, turn) in trial.turns.iter().enumerate() {
            transcript_turn(&mut page, index + 1, turn);
        }
        page.push_str("</details>");
    }

    if !report.retrieval.is_empty() {
        page.push_str("<h2>Retrieval suites</h2><ul>");
        for suite in &report.retrieval {
            let _ = write!(
                page,
                "<li><code>{}</code>: {}</li>",
                escape(&suite.path.display().to_string()),
                escape(&suite.status)
            );
        }
        page.push_str("</ul>");
    }
    page.push_str("</body></html>\n");
    page
}

fn card(page: &mut String, label: &str, value: &str) {
    let _ = write!(page, "<div class=\"card\">{}<b>{}</b></div>", escape(label), escape(value));
}

fn bars<'a>(groups: impl IntoIterator<Item = (&'a str, Tally)>) -> Vec<Bar> {
    groups
        .into_iter()
        .map(|(name, tally)| Bar {
            label: name.to_owned(),
            value: tally.pass_rate(),
            note: format!("{:.0}% ({}/{} cases)", 100.0 * tally.pass_rate(), tally.cases_passed, tally.cases),
        })
        .collect()
}

fn transcript_turn(page: &mut String, number: usize, turn: &TurnRecord) {
    let _ = write!(page, "<div class=\"turn\"><div class=\"meta\">turn {number} · {} ms", turn.latency_ms);
    if let Some(brain) = &turn.brain {
        let _ = write!(page, " · {}", escape(brain));
    }
    if let Some(usage) = &turn.usage {
        let _ = write!(page, " · {} tokens", usage.total());
    }
    page.push_str("</div>");
    for message in &turn.user {
        let _ = write!(page, "<div class=\"patient\">{}</div><br>", escape(message));
    }
    for call in &turn.tool_calls {
        let _ = write!(
            page,
            "<div class=\"tool {}\">⚙ {}({}) → {}\n{}</div>",
            call.outcome.as_str(),
            escape(&call.tool),
            escape(&call.arguments.to_string()),
            call.outcome.as_str(),
            escape(&serde_json::to_string_pretty(&call.result).unwrap_or_default())
        );
    }
    if turn.handoff {
        page.push_str("<div class=\"handoff\">⇢ handed off to a human</div>");
    }
    for bubble in &turn.bubbles {
        let _ = write!(page, "<div class=\"sofia\">{}</div>", escape(&bubble.text));
    }
    page.push_str("</div>");
}

pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
