//! `sofia chat`: talk to the agent in the terminal as a patient would on WhatsApp, through the
//! clinic's console channel, the same inbox, engine, guards and brain as `serve`. Offline.
//!
//! The terminal can also play the clinic's team, through the same `handoff::Desk` a Chatwoot
//! agent's actions go through: `/staff texto` writes to the patient as the team (taking the
//! conversation over if the bot had it), `/resolve` resolves the open handoff.

use std::io::Write;

use serde_json::Value;
use sofia_core::domain::{Phone, TenantId};
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::agent::tools::{
    BookAppointment, CancelAppointment, ConfirmAppointment, HandoffToHuman, JoinWaitlist,
    RescheduleAppointment, Tool, ToolCall, UpdateLead,
};
use crate::engine::{Engine, TurnOutcome};
use crate::handoff::{DeskError, StaffMessage};
use crate::inbox::Console;
use crate::store::{StaffMember, ToolOutcome};

/// Who the terminal user is, and what to show besides the replies.
#[derive(Debug, Clone)]
pub struct ChatOptions {
    pub tenant: TenantId,
    pub phone: Phone,
    /// The WhatsApp profile name the patient's messages carry.
    pub name: Option<String>,
    /// Show tool calls, state changes and CRM writes.
    pub trace: bool,
    /// Print each line read after the prompt: input piped from a file is not echoed by a
    /// terminal, and the transcript should still read as a conversation.
    pub echo: bool,
}

/// Tools whose successful calls change the clinic's records.
const WRITES: &[&str] = &[
    BookAppointment::NAME,
    RescheduleAppointment::NAME,
    CancelAppointment::NAME,
    ConfirmAppointment::NAME,
    UpdateLead::NAME,
    HandoffToHuman::NAME,
    JoinWaitlist::NAME,
];

/// Reads the patient's lines from `input` until end of input (or `/sair`), answering each as
/// one turn on `out`.
pub async fn run(
    engine: &Engine,
    console: &Console,
    options: &ChatOptions,
    input: impl AsyncBufRead + Unpin,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Conversa com a clínica '{}' como {} ({} brain). Escreva e tecle Enter; /sair para terminar, \
         /staff texto para escrever como a equipe, /resolve para devolver a conversa à Sofia.",
        options.tenant,
        options.phone,
        engine.brain_kind().as_str()
    )?;
    let mut lines = input.lines();
    loop {
        write!(out, "você> ")?;
        out.flush()?;
        let Some(line) = lines.next_line().await? else { break };
        let line = line.trim();
        if options.echo {
            writeln!(out, "{line}")?;
        }
        if line.is_empty() {
            continue;
        }
        if line == "/sair" {
            break;
        }
        if let Some(command) = TeamCommand::parse(line) {
            team(engine, console, options, command, out).await?;
            continue;
        }
        let conversation = console.receive(&options.phone, options.name.as_deref(), &[line]).await?;
        let before = engine.store().conversation(conversation).await?.map(|c| c.state);
        let outcome = engine.run_turn(conversation).await?;
        if options.trace {
            trace(out, before.as_ref(), &outcome)?;
        }
        for (bubble, id) in outcome.bubbles.iter().zip(&outcome.queued) {
            writeln!(out, "sofia> {}", bubble.plain_text().replace('\n', "\n       "))?;
            // The terminal is this conversation's channel: what is printed is delivered.
            let now = engine.clock().now();
            engine.store().mark_sent(*id, console.channel(), &format!("console-{id}"), now).await?;
        }
        // A waiting patient's one acknowledgement is the bot's last word until the team is done;
        // the silence note is for the messages that get nothing.
        if outcome.silenced && outcome.bubbles.is_empty() {
            writeln!(out, "(sofia está em silêncio: uma pessoa da equipe assumiu a conversa)")?;
        }
    }
    Ok(())
}

/// What the terminal's user does as the clinic's team.
enum TeamCommand<'a> {
    Staff(&'a str),
    Resolve,
}

impl<'a> TeamCommand<'a> {
    fn parse(line: &'a str) -> Option<TeamCommand<'a>> {
        if line == "/resolve" {
            Some(TeamCommand::Resolve)
        } else {
            line.strip_prefix("/staff ").map(|text| TeamCommand::Staff(text.trim()))
        }
    }
}

/// The name the terminal's user acts under as the team.
const TEAM: &str = "equipe (chat)";

async fn team(
    engine: &Engine,
    console: &Console,
    options: &ChatOptions,
    command: TeamCommand<'_>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let conversation = console.conversation(&options.phone).await?;
    let by = StaffMember::parse(TEAM)?;
    match command {
        TeamCommand::Staff(text) => {
            let message = StaffMessage { text: text.to_owned(), by, reference: None };
            let wrote = engine.desk().staff_wrote(conversation, &message).await?;
            writeln!(out, "equipe> {text}")?;
            if wrote.took_over {
                writeln!(out, "(a equipe assumiu a conversa; a Sofia fica em silêncio)")?;
            }
            // The terminal is this conversation's channel: what is printed is delivered.
            let now = engine.clock().now();
            engine
                .store()
                .mark_sent(wrote.message, console.channel(), &format!("console-{}", wrote.message), now)
                .await?;
        }
        TeamCommand::Resolve => match engine.desk().resolve_conversation(conversation, &by).await {
            Ok(_) => writeln!(out, "(atendimento encerrado; a Sofia volta a responder)")?,
            Err(DeskError::NothingOpen(_)) => writeln!(out, "(não há atendimento da equipe em aberto)")?,
            Err(error) => return Err(error.into()),
        },
    }
    Ok(())
}

fn trace(out: &mut impl Write, before: Option<&Value>, outcome: &TurnOutcome) -> std::io::Result<()> {
    if let Some(guard) = outcome.guard {
        writeln!(out, "  · guard: {guard:?}")?;
    }
    for call in &outcome.tool_calls {
        writeln!(out, "  · tool {}({}) → {}", call.tool, call.arguments, summary(call))?;
        if is_write(call) {
            writeln!(out, "  · CRM: {} {}", call.tool, compact(&call.result, 160))?;
        }
    }
    let after = outcome.state.to_json().unwrap_or(Value::Null);
    let empty = Value::Object(serde_json::Map::new());
    if let (Some(before), Value::Object(after)) = (before.or(Some(&empty)), &after) {
        for (key, value) in after {
            if before.get(key) != Some(value) {
                writeln!(out, "  · state.{key} = {}", compact(value, 200))?;
            }
        }
    }
    if outcome.redone > 0 {
        writeln!(out, "  · draft redone {} time(s): new messages arrived", outcome.redone)?;
    }
    Ok(())
}

/// A write that happened (not one awaiting the patient's confirmation).
fn is_write(call: &ToolCall) -> bool {
    WRITES.contains(&call.tool.as_str())
        && call.outcome == ToolOutcome::Ok
        && call.result.get("status").and_then(Value::as_str) != Some("needs_confirmation")
}

fn summary(call: &ToolCall) -> String {
    match call.outcome {
        ToolOutcome::Ok => format!("ok {}", compact(&call.result, 160)),
        ToolOutcome::Refused | ToolOutcome::Error => {
            format!("{} {}", call.outcome.as_str(), call.result.get("error").unwrap_or(&Value::Null))
        }
    }
}

fn compact(value: &Value, max: usize) -> String {
    let text = value.to_string();
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}
