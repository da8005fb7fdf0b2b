//! The `sofia` command line.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Talk to the agent in the terminal as a patient would on WhatsApp, through the same
    /// engine and brain as `serve` (no debounce). Works offline. End with /sair or Ctrl-D.
    Chat(ChatArgs),
    /// Run eval suites (evals/*.yaml, see docs/evals.md) through the real engine and grade
    /// the replies, the tool calls and the database. Exits 0 only if every case passed (or
    /// --min-pass-rate holds) and nothing regressed against --baseline; 1 otherwise; 2 when the
    /// suites, the clinic or the options are wrong.
    Eval(crate::eval::EvalArgs),
    /// (Re)index the clinics' knowledge (knowledge/<tenant>/*.md and clinic.yaml) into the
    /// vector index, with a progress bar and a summary; unchanged chunks are skipped. `serve`
    /// does the same at start and when the files change, so this is for checking a change or
    /// filling a Qdrant server ahead of a deploy.
    Ingest(crate::ingest::IngestArgs),
    /// List the conversations handed to the clinic's team (id, clinic, masked phone, reason,
    /// age, status), or resolve one with `sofia handoffs resolve ID` so the bot answers the
    /// patient again. A handoff nobody from the team writes in for handoff.idle_return_h hours
    /// returns to the bot by itself.
    Handoffs(crate::handoff::command::HandoffsArgs),
    /// `sofia appointments mark ID no_show`: the patient missed the appointment; Sofia follows
    /// up offering to book again (docs/reminders.md).
    Appointments(crate::scheduler::command::AppointmentsArgs),
    /// Admin API keys (docs/admin-api.md): `sofia keys create --tenant demo --role agent --name
    /// recepcao` prints a new key once; `sofia keys list` shows every key but never the key
    /// itself; `sofia keys revoke PREFIX` ends one at once.
    Keys(crate::admin::command::KeysArgs),
    /// The events pushed to the clinics' CRMs (crm_webhooks in clinic.yaml, see
    /// docs/crm-webhooks.md): `sofia crm deliveries [--tenant T] [--failed]` lists them,
    /// `sofia crm replay ID` sends a failed one again.
    Crm(crate::crm::command::CrmArgs),
}

#[derive(Debug, Args)]
pub struct ChatArgs {
    /// The clinic to talk to (a folder under knowledge/).
    #[arg(long, default_value = "demo", value_name = "TENANT")]
    pub tenant: String,
    /// The patient's WhatsApp number; the same number continues the same conversation.
    #[arg(long, default_value = "+5511900000001", value_name = "+55...")]
    pub phone: String,
    /// The patient's WhatsApp profile name, used when a new patient books.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Also print tool calls, conversation state changes and CRM writes.
    #[arg(long)]
    pub trace: bool,
}

/// Rows of cells as left-aligned columns two spaces apart, the first row the header.
pub(crate) fn write_table<R: AsRef<[String]>>(out: &mut impl Write, rows: &[R]) -> io::Result<()> {
    let columns = rows.iter().map(|row| row.as_ref().len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .filter_map(|row| row.as_ref().get(column))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let cells: Vec<String> =
            row.as_ref().iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
    }
    Ok(())
}
