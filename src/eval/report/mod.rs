//! What an eval run produced, and its renderings: the terminal table, JSON (which
//! `--baseline` reads back), JUnit XML and a self-contained HTML page.

mod baseline;
mod charts;
mod html;
mod junit;
mod table;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::pass_k::{PassHatK, pass_hat_ks};
use super::provenance::Provenance;
use super::record::Trial;

pub use baseline::{Regression, regressions};
pub use html::html;
pub use junit::junit;
pub use table::table;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: cannot write the report: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot read the baseline: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a `sofia eval --json` report: {source}")]
    NotAReport {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

/// The whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub provenance: Provenance,
    pub generated_at: DateTime<Utc>,
    /// How many times each case ran (`--repeat`).
    pub repeat: u32,
    pub cases: Vec<CaseReport>,
    /// pass^1 … pass^repeat over every case.
    pub pass_hat_k: Vec<PassHatK>,
    /// Retrieval suites, graded by the knowledge module (recall@k, MRR).
    #[serde(default)]
    pub retrieval: Vec<RetrievalSuite>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetrievalSuite {
    pub path: PathBuf,
    /// One line: the figures and the verdict, or why the suite could not be graded.
    pub status: String,
    /// False when the suite could not be run or its recall is under its `min_recall`.
    #[serde(default)]
    pub passed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<crate::knowledge::retrieval::RetrievalGrade>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    pub suite: String,
    pub file: PathBuf,
    pub id: String,
    pub tags: Vec<String>,
    pub trials: Vec<Trial>,
}

impl CaseReport {
    pub fn passes(&self) -> u32 {
        count(self.trials.iter().filter(|t| t.passed).count())
    }

    pub fn runs(&self) -> u32 {
        count(self.trials.len())
    }

    pub fn passed(&self) -> bool {
        !self.trials.is_empty() && self.trials.iter().all(|t| t.passed)
    }

    pub fn pass_rate(&self) -> f64 {
        if self.trials.is_empty() { 0.0 } else { f64::from(self.passes()) / f64::from(self.runs()) }
    }

    /// The first failing run, whose transcript the reports show.
    pub fn first_failure(&self) -> Option<&Trial> {
        self.trials.iter().find(|t| !t.passed)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Pass counts over a group of cases (a suite, a tag, the whole run).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub cases: u32,
    /// Cases whose every run passed.
    pub cases_passed: u32,
    pub runs: u32,
    pub runs_passed: u32,
}

impl Tally {
    fn add(&mut self, case: &CaseReport) {
        self.cases += 1;
        self.cases_passed += u32::from(case.passed());
        self.runs += case.runs();
        self.runs_passed += case.passes();
    }

    /// Passed runs over all runs (pass^1).
    pub fn pass_rate(&self) -> f64 {
        if self.runs == 0 { 0.0 } else { f64::from(self.runs_passed) / f64::from(self.runs) }
    }
}

impl Report {
    pub fn new(
        provenance: Provenance,
        generated_at: DateTime<Utc>,
        repeat: u32,
        cases: Vec<CaseReport>,
        retrieval: Vec<RetrievalSuite>,
    ) -> Report {
        let counts: Vec<(u32, u32)> = cases.iter().map(|c| (c.runs(), c.passes())).collect();
        let pass_hat_k = pass_hat_ks(&counts, repeat);
        Report { provenance, generated_at, repeat, cases, pass_hat_k, retrieval }
    }

    pub fn total(&self) -> Tally {
        let mut tally = Tally::default();
        self.cases.iter().for_each(|case| tally.add(case));
        tally
    }

    pub fn by_suite(&self) -> BTreeMap<&str, Tally> {
        let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
        for case in &self.cases {
            groups.entry(case.suite.as_str()).or_default().add(case);
        }
        groups
    }

    /// Per tag; a case with several tags counts in each, and an untagged case in none.
    pub fn by_tag(&self) -> BTreeMap<&str, Tally> {
        let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
        for case in &self.cases {
            for tag in &case.tags {
                groups.entry(tag.as_str()).or_default().add(case);
            }
        }
        groups
    }

    /// Whether any turn used a model (then tokens and latency are worth showing).
    pub fn used_a_model(&self) -> bool {
        self.cases.iter().flat_map(|c| &c.trials).flat_map(|t| &t.turns).any(|turn| turn.usage.is_some())
    }

    pub fn turn_latencies_ms(&self) -> impl Iterator<Item = u64> + '_ {
        self.cases.iter().flat_map(|c| &c.trials).flat_map(|t| &t.turns).map(|turn| turn.latency_ms)
    }

    /// Model tokens per run of a case, for runs that used a model.
    pub fn tokens_per_run(&self) -> impl Iterator<Item = u64> + '_ {
        self.cases.iter().flat_map(|c| &c.trials).map(Trial::tokens).filter(|tokens| *tokens > 0)
    }

    pub fn to_json(&self) -> String {
        // A report is plain data (strings, numbers, JSON values): serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn read_json(path: &Path) -> Result<Report, ReportError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ReportError::Read { path: path.to_owned(), source })?;
        serde_json::from_str(&text)
            .map_err(|source| ReportError::NotAReport { path: path.to_owned(), source })
    }
}

/// Writes `contents` to `path`, creating its folder.
pub fn write(path: &Path, contents: &str) -> Result<(), ReportError> {
    let failed = |source| ReportError::Write { path: path.to_owned(), source };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    std::fs::write(path, contents).map_err(failed)
}

/// The p-th percentile (0–100) of `values`, nearest rank.
pub fn percentile(values: &[u64], p: u32) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = (usize::try_from(p).unwrap_or(100).min(100) * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[cfg(test)]
mod tests;
