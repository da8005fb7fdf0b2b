//! The `sofia` command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Sofia answers a clinic's WhatsApp like its best receptionist would: finds real free slots,
/// books, reschedules and cancels, answers from the clinic's knowledge and hands off to humans.
///
/// With no configuration at all it runs on embedded defaults (SQLite under data/, the demo
/// clinic from knowledge/demo). Every setting can come from sofia.toml or SOFIA_* variables:
/// see sofia.example.toml.
#[derive(Debug, Parser)]
#[command(name = "sofia", version)]
pub struct Cli {
    /// Configuration file (default: ./sofia.toml when it exists).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the service: HTTP (health checks), database migrations and clinic loading at start.
    /// Stops cleanly on Ctrl-C or SIGTERM.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Run eval suites (evals/*.yaml, see docs/evals.md) through the real engine and grade
    /// the replies, the tool calls and the database. Exits 0 only if every case passed (or
    /// --min-pass-rate holds) and nothing regressed against --baseline; 1 otherwise; 2 when the
    /// suites, the clinic or the options are wrong.
    Eval(crate::eval::EvalArgs),
}
