//! `--baseline previous.json`: which cases got worse since a previous run.

use serde::Serialize;

use super::Report;

/// A case whose pass rate fell below the baseline's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regression {
    pub suite: String,
    pub case: String,
    pub before: f64,
    pub after: f64,
}

impl std::fmt::Display for Regression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {}: pass rate {:.0}% → {:.0}%",
            self.suite,
            self.case,
            100.0 * self.before,
            100.0 * self.after
        )
    }
}

/// Cases present in both runs whose pass rate dropped. New cases and cases the baseline did
/// not have are not regressions; a case left out of this run (by `--case`, `--tag` or a
/// deleted file) is not compared.
pub fn regressions(baseline: &Report, current: &Report) -> Vec<Regression> {
    current
        .cases
        .iter()
        .filter_map(|case| {
            let before = baseline.cases.iter().find(|b| b.suite == case.suite && b.id == case.id)?;
            let (before, after) = (before.pass_rate(), case.pass_rate());
            (after < before).then(|| Regression {
                suite: case.suite.clone(),
                case: case.id.clone(),
                before,
                after,
            })
        })
        .collect()
}
