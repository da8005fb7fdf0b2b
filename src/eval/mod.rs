//! `sofia eval`: multi-turn conversations run through the real engine, graded on the replies,
//! the tool calls and the database (the format is in `docs/evals.md`).
//!
//! The pieces, in the order a run uses them:
//! - [`suite`]: suite files → validated cases (names resolved against the clinic);
//! - [`setup`]: a fresh SQLite database per case run, the clinic, the case's setup;
//! - [`runner`]: the turns through the engine and the chosen brain, with a frozen clock
//!   ([`media`] serves the voice notes and photos of `audio:` and `image:` turns);
//! - [`checks`], [`invariants`], [`outcome`]: what each turn and the final database must show;
//! - [`pass_k`], [`report`]: pass^k, the terminal table, JSON, JUnit, HTML, baselines;
//! - [`retrieval`]: where `kind: retrieval` suites are handed to the knowledge module.

pub mod brains;
pub mod checks;
pub mod command;
pub mod invariants;
pub mod media;
pub mod options;
pub mod outcome;
pub mod pass_k;
pub mod perturb;
pub mod provenance;
pub mod record;
pub mod report;
pub mod retrieval;
pub mod runner;
pub mod setup;
pub mod suite;

pub use command::{EvalError, Verdict, run};
pub use options::{BrainChoice, EvalArgs};
