//! `sofia eval`: the starter suites, whole case runs through the real engine, and the
//! database grading on both backends.

mod all_suites;
mod grading;
mod runs;
mod starter;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use sofia::agent::tools::{ToolContext, Tools};
use sofia::agent::{Brain, BrainError, BrainKind, Draft, Turn};
use sofia::eval::record::Trial;
use sofia::eval::runner::run_trial;
use sofia::eval::suite::{self, Suite, SuiteError};

use crate::support::repo_path;

/// A careless brain that repeats what the patient wrote: what a model that parrots an
/// unchecked time looks like to the invariants.
pub struct ParrotBrain;

#[async_trait]
impl Brain for ParrotBrain {
    fn kind(&self) -> BrainKind {
        BrainKind::Llm
    }

    async fn reply(&self, _: &mut ToolContext<'_>, _: &Tools, turn: &Turn) -> Result<Draft, BrainError> {
        Draft::text(format!("Claro! {}", turn.text().replace('\n', " ")))
    }
}

/// A folder of suite files that disappears with the test.
pub struct SuiteDir(pub PathBuf);

impl SuiteDir {
    pub fn new() -> SuiteDir {
        let dir = std::env::temp_dir().join(format!("sofia-eval-it-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("create a temporary folder");
        SuiteDir(dir)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a folder");
        }
        std::fs::write(&path, text).expect("write a file");
        path
    }
}

impl Drop for SuiteDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Loads one suite text against `knowledge` (default: the repository's).
pub fn load(text: &str, knowledge: Option<&Path>) -> Result<Suite, SuiteError> {
    let dir = SuiteDir::new();
    let path = dir.write("suite.yaml", text);
    let knowledge = knowledge.map_or_else(|| repo_path("knowledge"), Path::to_path_buf);
    let mut loaded = suite::load(&[path], &knowledge)?;
    Ok(loaded.suites.remove(0))
}

/// Runs the suite's only case once with `brain`.
pub async fn run_only_case(suite: &Suite, brain: impl Brain + 'static) -> Trial {
    let tools = sofia::eval::runner::tools(std::slice::from_ref(suite), &Default::default())
        .await
        .expect("the suite's knowledge is indexed");
    run_trial(suite, &suite.cases[0], Arc::new(brain), tools).await
}

/// Failures as "check: detail" lines, for assertions.
pub fn failures(trial: &Trial) -> Vec<String> {
    trial.failures.iter().map(|f| format!("{}: {}", f.check, f.detail)).collect()
}
