//! `sofia eval`'s command-line options.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::perturb::Perturbation;

/// Runs eval suites (evals/*.yaml, format in docs/evals.md): every case in its own fresh
/// SQLite database with its clinic loaded, its setup applied and the clock frozen at the
/// suite's `now`; each turn through the real engine and the chosen brain; graded on the
/// replies, the tool calls and the database. Exits 0 only if every case passed (or the
/// --min-pass-rate threshold holds) and nothing regressed against --baseline.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// Suite files, or folders searched recursively for *.yaml and *.yml.
    #[arg(value_name = "PATHS", default_value = "evals")]
    pub paths: Vec<PathBuf>,

    /// Which brain answers: the offline rules brain, or the LLM configured under [llm].
    #[arg(long, value_enum, default_value_t = BrainChoice::Rules)]
    pub brain: BrainChoice,

    /// Run each case K times and report pass^1 … pass^K (τ-bench: the chance that all of
    /// k runs pass).
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub repeat: u32,

    /// How many case runs at once (each has its own database).
    #[arg(short = 'j', long = "jobs", value_name = "N", default_value_t = default_jobs(), value_parser = clap::value_parser!(u32).range(1..=256))]
    pub jobs: u32,

    /// Only cases with this tag (repeatable: any of them).
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,

    /// Only the case with this id, or SUITE/ID (repeatable).
    #[arg(long = "case", value_name = "ID")]
    pub cases: Vec<String>,

    /// Write the full results (every run, transcript and tool call) as JSON.
    #[arg(long, value_name = "F")]
    pub json: Option<PathBuf>,

    /// Write JUnit XML for CI.
    #[arg(long, value_name = "F")]
    pub junit: Option<PathBuf>,

    /// Write a self-contained HTML page with charts and the failing transcripts.
    #[arg(long = "report", value_name = "F.html")]
    pub html: Option<PathBuf>,

    /// A previous --json report: list the cases whose pass rate dropped, and fail on any.
    #[arg(long, value_name = "F")]
    pub baseline: Option<PathBuf>,

    /// Succeed when at least this share of runs passed (0.95 or 95%) instead of requiring all.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub min_pass_rate: Option<f64>,

    /// Rewrite what the patient says before running (typos, abbreviations, no punctuation,
    /// capitals), to see how much of the pass rate rests on the suites' exact spelling. The
    /// expectations stay as written; the same case is rewritten alike on every run.
    #[arg(long, value_enum, value_name = "HOW")]
    pub perturb: Option<Perturbation>,

    /// LLM brain: save every model request and response under DIR, keyed by a request hash.
    #[arg(long, value_name = "DIR", conflicts_with = "replay")]
    pub record: Option<PathBuf>,

    /// LLM brain: answer model requests from the recordings under DIR (no key, no network).
    #[arg(long, value_name = "DIR")]
    pub replay: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BrainChoice {
    /// The deterministic pt-BR dialogue manager (offline).
    Rules,
    /// The model configured under [llm] (OpenAI-compatible).
    Llm,
}

impl BrainChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            BrainChoice::Rules => "rules",
            BrainChoice::Llm => "llm",
        }
    }
}

fn default_jobs() -> u32 {
    std::thread::available_parallelism().map_or(2, |n| u32::try_from(n.get()).unwrap_or(2))
}

/// "0.95", "95%" → 0.95.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let (number, scale) = match text.trim().strip_suffix('%') {
        Some(percent) => (percent, 100.0),
        None => (text.trim(), 1.0),
    };
    let rate =
        number.trim().parse::<f64>().map_err(|_| format!("'{text}' is not a rate such as 0.95 or 95%"))?
            / scale;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("'{text}' is not between 0 and 1 (0% and 100%)"))
    }
}

impl EvalArgs {
    /// Whether the selection (`--tag`, `--case`) keeps this case.
    pub fn selects(&self, suite: &str, id: &str, tags: &[String]) -> bool {
        let by_tag = self.tags.is_empty() || self.tags.iter().any(|t| tags.contains(t));
        let by_id =
            self.cases.is_empty() || self.cases.iter().any(|c| c == id || *c == format!("{suite}/{id}"));
        by_tag && by_id
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        eval: EvalArgs,
    }

    fn parse(args: &[&str]) -> Result<EvalArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("eval").chain(args.iter().copied())).map(|cli| cli.eval)
    }

    #[test]
    fn defaults_run_every_suite_once_with_the_rules_brain() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.paths, [PathBuf::from("evals")]);
        assert_eq!(args.brain, BrainChoice::Rules);
        assert_eq!(args.repeat, 1);
        assert!(args.jobs >= 1);
    }

    #[test]
    fn every_flag_parses() {
        let args = parse(&[
            "evals/booking.yaml",
            "--brain",
            "llm",
            "--repeat",
            "3",
            "-j",
            "4",
            "--tag",
            "booking",
            "--case",
            "booking/x",
            "--json",
            "r.json",
            "--junit",
            "r.xml",
            "--report",
            "r.html",
            "--baseline",
            "old.json",
            "--min-pass-rate",
            "90%",
            "--replay",
            "cassettes",
        ])
        .unwrap();
        assert_eq!(args.brain, BrainChoice::Llm);
        assert_eq!((args.repeat, args.jobs), (3, 4));
        assert_eq!(args.min_pass_rate, Some(0.9));
        assert_eq!(args.html, Some(PathBuf::from("r.html")));
        assert_eq!(args.replay, Some(PathBuf::from("cassettes")));
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(parse(&["--repeat", "0"]).is_err());
        assert!(parse(&["--brain", "gpt"]).is_err());
        assert!(parse(&["--min-pass-rate", "1.5"]).is_err());
        assert!(parse(&["--record", "a", "--replay", "b"]).is_err());
    }

    #[test]
    fn rates_read_as_fractions_or_percentages() {
        assert_eq!(parse_rate("0.95"), Ok(0.95));
        assert_eq!(parse_rate("95%"), Ok(0.95));
        assert!(parse_rate("abc").is_err());
    }

    #[test]
    fn selection_by_tag_and_case() {
        let args = parse(&["--tag", "booking", "--case", "books-botox"]).unwrap();
        let tags = ["booking".to_owned()];
        assert!(args.selects("booking", "books-botox", &tags));
        assert!(!args.selects("booking", "books-other", &tags));
        assert!(!args.selects("booking", "books-botox", &[]));
        let args = parse(&["--case", "cancel/late"]).unwrap();
        assert!(args.selects("cancel", "late", &[]));
        assert!(!args.selects("booking", "late", &[]));
    }
}
