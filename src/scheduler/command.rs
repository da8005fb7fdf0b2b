//! `sofia appointments mark ID no_show`: the team says a patient missed an appointment; the
//! follow-up offering to book again goes out with `serve`'s next scheduler round.

use std::io::Write;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use sofia_core::clock::Clock;
use sofia_core::domain::AppointmentId;

use super::Scheduler;
use crate::clinics::{self, Clinics};
use crate::config::Config;
use crate::metrics::Metrics;

#[derive(Debug, Args)]
pub struct AppointmentsArgs {
    #[command(subcommand)]
    pub action: AppointmentsAction,
}

#[derive(Debug, Subcommand)]
pub enum AppointmentsAction {
    /// Record what became of an appointment. `no_show`: the patient did not come; Sofia sends
    /// a kind follow-up offering to book again (Meta: the template `templates.no_show`).
    Mark {
        /// The appointment's id.
        #[arg(value_name = "ID")]
        id: AppointmentId,
        #[arg(value_name = "STATUS")]
        status: Mark,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Mark {
    #[value(name = "no_show")]
    NoShow,
}

/// Runs `sofia appointments` on the configured database, printing to `out`.
pub async fn run(
    args: &AppointmentsArgs,
    config: &Config,
    clock: Arc<dyn Clock>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let AppointmentsAction::Mark { id, status: Mark::NoShow } = args.action;
    let loaded = clinics::load_all(&config.knowledge.dir)?;
    let store = crate::store::open(config.database.url.expose()).await.context("cannot open the database")?;
    let mut found = None;
    for clinic in &loaded {
        if store.appointment(clinic.clinic.id, None, id).await?.is_some() {
            found = Some(clinic.clinic.id);
            break;
        }
    }
    let clinic =
        found.ok_or_else(|| anyhow::anyhow!("no appointment {id} in the clinics under knowledge/"))?;
    let clinics = Arc::new(Clinics::new(loaded));
    let scheduler = Scheduler::new(store, clock, Arc::new(Metrics::default()), clinics, None);
    let marked =
        scheduler.mark_no_show(clinic, id).await.with_context(|| format!("cannot mark {id} no_show"))?;
    writeln!(
        out,
        "Appointment {} marked no_show; the follow-up goes out with the service's next scheduler round.",
        marked.id
    )?;
    Ok(())
}
