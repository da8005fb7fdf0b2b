//! `sofia crm deliveries [--tenant T] [--failed]` lists the deliveries to the clinics' CRMs;
//! `sofia crm replay ID` sends a failed one again.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use sofia_core::clock::Clock;
use sofia_core::domain::TenantId;

use crate::cli::write_table;
use crate::clinics::{self, LoadedClinic};
use crate::config::Config;
use crate::handoff::command::{age, shorten};
use crate::store::{CrmDelivery, DeliveryId, StoreError};

#[derive(Debug, Args)]
pub struct CrmArgs {
    #[command(subcommand)]
    pub action: CrmAction,
}

#[derive(Debug, Subcommand)]
pub enum CrmAction {
    /// List the events pushed to the clinics' CRMs, newest first (at most 200): the
    /// webhook-id, clinic, event, state, attempts, last error, age and endpoint.
    Deliveries {
        /// Only this clinic (a folder under knowledge/); every clinic when left out.
        #[arg(long, value_name = "TENANT")]
        tenant: Option<String>,
        /// Only the failed ones (retries spent, or the endpoint answered 410): replayable.
        #[arg(long)]
        failed: bool,
    },
    /// Send a failed delivery again, with the same webhook-id and body, from its first
    /// attempt; `serve` posts it within seconds. Fails (exit 1) for an unknown id, one not
    /// failed, or one whose endpoint is disabled or gone from clinic.yaml.
    Replay {
        /// The delivery's webhook-id (msg_…), as `sofia crm deliveries` lists it.
        #[arg(value_name = "ID")]
        id: String,
    },
}

/// Runs `sofia crm` on the configured database, printing to `out`.
pub async fn run(
    args: &CrmArgs,
    config: &Config,
    clock: &dyn Clock,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let store = crate::store::open(config.database.url.expose()).await.context("cannot open the database")?;
    match &args.action {
        CrmAction::Deliveries { tenant, failed } => {
            let clinics = match tenant {
                Some(tenant) => {
                    let tenant: TenantId = tenant.parse().map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
                    vec![clinics::load_clinic(&config.knowledge.dir, &tenant)?]
                }
                None => clinics::load_all(&config.knowledge.dir)?,
            };
            let clinic = tenant.as_ref().and_then(|_| clinics.first()).map(|loaded| loaded.clinic.id);
            let listed = super::deliveries(store.as_ref(), clinic, *failed).await?;
            list(&listed, &clinics, *failed, clock.now(), out)
        }
        CrmAction::Replay { id } => {
            let id = DeliveryId::parse(id)
                .ok_or_else(|| anyhow::anyhow!("'{id}' is not a delivery id like msg_0190f1c2…"))?;
            let replayed =
                super::replay(store.as_ref(), None, id, clock.now()).await.map_err(|error| match error {
                    StoreError::NotFound(_) => anyhow::anyhow!(
                        "no failed delivery {id} to an enabled endpoint (see sofia crm deliveries --failed)"
                    ),
                    other => anyhow::Error::new(other).context(format!("cannot replay {id}")),
                })?;
            writeln!(out, "Replayed {} ({} to {}).", replayed.id, replayed.event, replayed.url)?;
            writeln!(out, "sofia serve posts it again at its next round, with the same webhook-id.")?;
            Ok(())
        }
    }
}

fn list(
    deliveries: &[CrmDelivery],
    clinics: &[LoadedClinic],
    only_failed: bool,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if deliveries.is_empty() {
        writeln!(out, "No {}CRM deliveries.", if only_failed { "failed " } else { "" })?;
        return Ok(());
    }
    let mut rows = vec![
        ["ID", "CLINIC", "EVENT", "STATE", "ATTEMPTS", "LAST", "AGE", "URL"].map(str::to_owned).to_vec(),
    ];
    for delivery in deliveries {
        let tenant = clinics
            .iter()
            .find(|loaded| loaded.clinic.id == delivery.clinic_id)
            .map_or_else(|| delivery.clinic_id.to_string(), |loaded| loaded.clinic.tenant.to_string());
        rows.push(vec![
            delivery.id.to_string(),
            tenant,
            delivery.event.clone(),
            delivery.state.as_str().to_owned(),
            delivery.attempts.to_string(),
            shorten(delivery.last_error.as_deref().unwrap_or("-"), 40),
            age(delivery.created_at, now),
            delivery.url.clone(),
        ]);
    }
    write_table(out, &rows)?;
    Ok(())
}
