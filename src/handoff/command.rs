//! `sofia handoffs`: the clinic's open and past handoffs in a table, and `sofia handoffs
//! resolve ID` to give a conversation back to the bot.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use sofia_core::clock::Clock;
use sofia_core::domain::{HandoffId, TenantId};

use super::{Desk, DeskError};
use crate::clinics::{self, LoadedClinic};
use crate::config::Config;
use crate::store::{Handoff, ResolvedBy, StaffMember, Store};

/// List handoffs (every clinic, newest last), or resolve one.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct HandoffsArgs {
    #[command(subcommand)]
    pub action: Option<HandoffsAction>,
    /// Only this clinic (a folder under knowledge/); every clinic when left out.
    #[arg(long, value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Only the handoffs still open (a person owns the conversation).
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Subcommand)]
pub enum HandoffsAction {
    /// Resolve an open handoff: the conversation goes back to the bot, which answers the
    /// patient's next message. Fails (exit 1) for an unknown or already resolved id.
    Resolve {
        /// The handoff's id, as `sofia handoffs` lists it.
        #[arg(value_name = "ID")]
        id: HandoffId,
        /// Who resolves it, for the patient's timeline.
        #[arg(long, value_name = "NAME", default_value = "operador")]
        by: String,
    },
}

/// Runs `sofia handoffs` on the configured database, printing to `out`.
pub async fn run(
    args: &HandoffsArgs,
    config: &Config,
    clock: Arc<dyn Clock>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let clinics = match &args.tenant {
        Some(tenant) => {
            let tenant: TenantId = tenant.parse().map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
            vec![clinics::load_clinic(&config.knowledge.dir, &tenant)?]
        }
        None => clinics::load_all(&config.knowledge.dir)?,
    };
    let store = crate::store::open(config.database.url.expose()).await.context("cannot open the database")?;
    match &args.action {
        None => list(store.as_ref(), &clinics, args.open, clock.now(), out).await,
        Some(HandoffsAction::Resolve { id, by }) => {
            let by = StaffMember::parse(by).map_err(|e| anyhow::anyhow!("--by: {e}"))?;
            let now = clock.now();
            let desk = Desk::new(Arc::clone(&store), clock, config.handoff.clone());
            let handoff = desk.resolve(*id, &by).await.map_err(|error| match error {
                DeskError::UnknownHandoff(_) | DeskError::AlreadyResolved { .. } => {
                    anyhow::anyhow!("{error}")
                }
                other => anyhow::Error::new(other).context(format!("cannot resolve handoff {id}")),
            })?;
            let phone = match store.conversation(handoff.conversation_id).await? {
                Some(conversation) => conversation.phone.masked(),
                None => "?".to_owned(),
            };
            writeln!(
                out,
                "Resolved handoff {} ({}, {phone}, opened {} ago: {}).",
                handoff.id,
                tenant_of(&clinics, &handoff),
                age(handoff.created_at, now),
                handoff.reason
            )?;
            writeln!(
                out,
                "The conversation is back with the bot, which answers the patient's next message."
            )?;
            Ok(())
        }
    }
}

async fn list(
    store: &dyn Store,
    clinics: &[LoadedClinic],
    only_open: bool,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut rows = vec![["ID", "CLINIC", "PHONE", "REASON", "AGE", "STATUS"].map(str::to_owned).to_vec()];
    for loaded in clinics {
        for handoff in store.handoffs(loaded.clinic.id, only_open).await? {
            let phone = match store.conversation(handoff.conversation_id).await? {
                Some(conversation) => conversation.phone.masked(),
                None => "?".to_owned(),
            };
            rows.push(vec![
                handoff.id.to_string(),
                loaded.clinic.tenant.to_string(),
                phone,
                shorten(&handoff.reason, 48),
                age(handoff.created_at, now),
                status(&handoff),
            ]);
        }
    }
    if rows.len() == 1 {
        let what = if only_open { "open handoffs" } else { "handoffs" };
        writeln!(out, "No {what}.")?;
        return Ok(());
    }
    crate::cli::write_table(out, &rows)?;
    Ok(())
}

fn tenant_of(clinics: &[LoadedClinic], handoff: &Handoff) -> String {
    clinics
        .iter()
        .find(|loaded| loaded.clinic.id == handoff.clinic_id)
        .map(|loaded| loaded.clinic.tenant.to_string())
        .unwrap_or_else(|| handoff.clinic_id.to_string())
}

/// "open", "open, Ana", "resolved by Ana", "returned (idle)".
fn status(handoff: &Handoff) -> String {
    match (&handoff.resolved_by, &handoff.assignee) {
        (None, None) => "open".to_owned(),
        (None, Some(assignee)) => format!("open, {assignee}"),
        (Some(ResolvedBy::Staff(by)), _) => format!("resolved by {by}"),
        (Some(ResolvedBy::Idle), _) => "returned (idle)".to_owned(),
    }
}

/// "12 min", "3 h", "2 d".
pub(crate) fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        0..60 => format!("{minutes} min"),
        60..2880 => format!("{} h", minutes / 60),
        _ => format!("{} d", minutes / 1440),
    }
}

pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_in_minutes_hours_then_days() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let after = |minutes| start + chrono::Duration::minutes(minutes);
        assert_eq!(age(start, after(12)), "12 min");
        assert_eq!(age(start, after(3 * 60 + 20)), "3 h");
        assert_eq!(age(start, after(47 * 60)), "47 h");
        assert_eq!(age(start, after(3 * 24 * 60)), "3 d");
        assert_eq!(age(after(5), start), "0 min", "a clock behind the store reads as now");
    }
}
