//! `sofia eval`: load, select, run, report, decide.

use std::path::Path;
use std::sync::Arc;

use sofia_core::clock::Clock;

use super::options::EvalArgs;
use super::provenance::Provenance;
use super::report::{self, Regression, Report, ReportError};
use super::runner::{self, RunSettings, Selected};
use super::suite::{self, SuiteError};
use super::{brains, perturb, retrieval};
use crate::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Suite(#[from] SuiteError),
    #[error("no case matches --tag {tags:?} --case {cases:?}")]
    NothingSelected { tags: Vec<String>, cases: Vec<String> },
    #[error(transparent)]
    Brain(#[from] brains::BrainSetupError),
    #[error("cannot hash the prompt files: {0}")]
    Prompts(#[source] std::io::Error),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("cannot index the clinics' knowledge for the suites: {0}")]
    Knowledge(#[from] crate::knowledge::KnowledgeError),
}

/// Prompt templates, hashed into every report (relative to where `sofia eval` runs).
const PROMPTS_DIR: &str = "prompts";

/// How the run ended.
#[derive(Debug)]
pub struct Verdict {
    pub report: Report,
    pub regressions: Vec<Regression>,
    pub passed: bool,
}

/// Runs `sofia eval` as `args` say, printing the table to stdout and writing the reports.
pub async fn run(args: &EvalArgs, config: &Config, clock: &dyn Clock) -> Result<Verdict, EvalError> {
    let mut loaded = suite::load(&args.paths, &config.knowledge.dir)?;
    if let Some(perturbation) = args.perturb {
        for suite in &mut loaded.suites {
            perturb::apply(perturbation, suite);
        }
    }
    let baseline = args.baseline.as_deref().map(Report::read_json).transpose()?;
    let selected: Vec<Selected> = loaded
        .suites
        .iter()
        .flat_map(|suite| {
            let suite = Arc::new(suite.clone());
            suite
                .cases
                .iter()
                .filter(|case| args.selects(&suite.name, &case.id, &case.tags))
                .map(|case| Selected { suite: Arc::clone(&suite), case: Arc::new(case.clone()) })
                .collect::<Vec<_>>()
        })
        .collect();
    if selected.is_empty() && loaded.retrieval.is_empty() {
        return Err(EvalError::NothingSelected { tags: args.tags.clone(), cases: args.cases.clone() });
    }

    let brain = brains::build(args, config).await?;
    let mut provenance =
        Provenance::new(args.brain.as_str(), brain.model.clone(), Path::new(PROMPTS_DIR), &loaded.suites)
            .map_err(EvalError::Prompts)?;
    if let Some(hash) = brain.prompts_hash.clone() {
        // The templates the LLM brain actually renders, wherever `llm.prompts_dir` points.
        provenance.prompts_hash = Some(hash);
    }
    provenance.perturbation = args.perturb.map(|how| how.as_str().to_owned());
    let tools = runner::tools(&loaded.suites, &config.embeddings).await?;
    let settings = RunSettings { brain: brain.brain, tools, repeat: args.repeat, jobs: args.jobs };
    let cases = runner::run(selected, settings).await;
    let graded = retrieval::grade(&loaded.retrieval, config).await;
    let report = Report::new(provenance, clock.now(), args.repeat, cases, graded);

    print!("{}", report::table(&report));
    if let Some(path) = &args.json {
        report::write(path, &report.to_json())?;
    }
    if let Some(path) = &args.junit {
        report::write(path, &report::junit(&report))?;
    }
    if let Some(path) = &args.html {
        report::write(path, &report::html(&report))?;
    }
    let regressions = baseline.as_ref().map(|b| report::regressions(b, &report)).unwrap_or_default();
    for regression in &regressions {
        println!("regression: {regression}");
    }
    let total = report.total();
    let threshold_holds = match args.min_pass_rate {
        Some(rate) => total.pass_rate() >= rate,
        None => total.cases_passed == total.cases,
    };
    let retrieval_holds = report.retrieval.iter().all(|suite| suite.passed);
    let passed = threshold_holds && retrieval_holds && regressions.is_empty();
    Ok(Verdict { report, regressions, passed })
}
