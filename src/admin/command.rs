//! `sofia keys`: create, list and revoke the admin API's keys. A key is printed once, when it
//! is created; afterwards only its prefix names it.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use clap::{Args, Subcommand};
use sofia_core::clock::Clock;
use sofia_core::domain::TenantId;

use super::keys;
use crate::clinics;
use crate::config::Config;
use crate::store::{ApiKey, ApiRole, NewApiKey, Store, StoreError};

#[derive(Debug, Args)]
pub struct KeysArgs {
    #[command(subcommand)]
    pub action: KeysAction,
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Create a key and print it, once: only its SHA-256 and prefix are kept. The key goes to
    /// stdout alone (`KEY=$(sofia keys create …)`), what it may do to stderr.
    Create {
        /// The clinic the key sees (a folder under knowledge/).
        #[arg(long, value_name = "TENANT", required_unless_present = "all_tenants")]
        tenant: Option<String>,
        /// The key sees every clinic instead of one.
        #[arg(long, conflicts_with = "tenant")]
        all_tenants: bool,
        /// viewer reads; agent also resolves handoffs and marks and cancels appointments; admin
        /// also sells packages.
        #[arg(long, value_name = "ROLE", value_parser = ["viewer", "agent", "admin"])]
        role: String,
        /// Who or what uses the key (recepcao, crm-sync…), shown by `sofia keys list`.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// The key stops working after this many days; it never expires when left out.
        #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
    /// List every key (prefix, name, clinic, role, dates, status); never the key itself.
    List,
    /// Revoke a key at once: its next request gets 401. Fails (exit 1) for an unknown prefix.
    Revoke {
        /// The key's prefix, as `sofia keys list` shows it (sofia_ and 8 characters).
        #[arg(value_name = "PREFIX")]
        prefix: String,
    },
}

/// The longest key name: a label, not a document.
const MAX_NAME_CHARS: usize = 80;

/// Runs `sofia keys` on the configured database: results to `out`, notes to `notes`.
pub async fn run(
    args: &KeysArgs,
    config: &Config,
    clock: &dyn Clock,
    out: &mut impl Write,
    notes: &mut impl Write,
) -> anyhow::Result<()> {
    let store = crate::store::open(config.database.url.expose()).await.context("cannot open the database")?;
    match &args.action {
        KeysAction::Create { tenant, all_tenants: _, role, name, expires_in_days } => {
            let tenant = match tenant {
                Some(tenant) => {
                    let tenant: TenantId = tenant.parse().map_err(|e| anyhow::anyhow!("--tenant: {e}"))?;
                    clinics::load_clinic(&config.knowledge.dir, &tenant)
                        .with_context(|| format!("--tenant: no clinic '{tenant}' under knowledge/"))?;
                    Some(tenant)
                }
                None => None,
            };
            let role =
                ApiRole::parse(role).ok_or_else(|| anyhow::anyhow!("--role: viewer, agent or admin"))?;
            let name: String = name.trim().chars().filter(|c| !c.is_control()).collect();
            anyhow::ensure!(
                !name.is_empty() && name.chars().count() <= MAX_NAME_CHARS,
                "--name: 1 to {MAX_NAME_CHARS} characters"
            );
            let now = clock.now();
            let expires_at = expires_in_days.map(|days| now + Duration::days(i64::from(days)));
            let created = create(store.as_ref(), tenant, role, name, now, expires_at).await?;
            writeln!(out, "{}", created.0.expose())?;
            let key = created.1;
            writeln!(
                notes,
                "Created key {} ({}, {}, {}; {}). It is shown only this once: store it now.",
                key.prefix,
                key.name,
                scope(&key),
                key.role,
                expiry(key.expires_at)
            )?;
            Ok(())
        }
        KeysAction::List => list(&store.api_keys().await?, clock.now(), out),
        KeysAction::Revoke { prefix } => {
            let key = store.revoke_api_key(prefix, clock.now()).await.map_err(|error| match error {
                StoreError::NotFound(_) => anyhow::anyhow!("no key has the prefix '{prefix}'"),
                other => anyhow::Error::new(other).context("cannot revoke the key"),
            })?;
            writeln!(out, "Revoked key {} ({}): its next request gets 401.", key.prefix, key.name)?;
            Ok(())
        }
    }
}

/// Stores a newly drawn key; a prefix another key already has (48 random bits) draws again.
async fn create(
    store: &dyn Store,
    tenant: Option<TenantId>,
    role: ApiRole,
    name: String,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> anyhow::Result<(crate::secret::Secret, ApiKey)> {
    let mut attempts = 0;
    loop {
        let issued = keys::issue()?;
        let new = NewApiKey {
            prefix: issued.prefix,
            key_hash: issued.hash,
            name: name.clone(),
            tenant: tenant.clone(),
            role,
            created_at: now,
            expires_at,
        };
        match store.create_api_key(&new).await {
            Ok(key) => return Ok((issued.key, key)),
            Err(error) if error.lost_a_race() && attempts < 3 => attempts += 1,
            Err(error) => return Err(anyhow::Error::new(error).context("cannot store the key")),
        }
    }
}

fn list(keys: &[ApiKey], now: DateTime<Utc>, out: &mut impl Write) -> anyhow::Result<()> {
    if keys.is_empty() {
        writeln!(out, "No keys. Create one with sofia keys create --tenant demo --role viewer --name NAME.")?;
        return Ok(());
    }
    let mut rows = vec![
        ["PREFIX", "NAME", "CLINIC", "ROLE", "CREATED", "EXPIRES", "LAST USED", "STATUS"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for key in keys {
        rows.push(vec![
            key.prefix.clone(),
            key.name.clone(),
            scope(key),
            key.role.to_string(),
            day(key.created_at),
            key.expires_at.map_or_else(|| "never".to_owned(), day),
            key.last_used_at.map_or_else(|| "never".to_owned(), day),
            status(key, now).to_owned(),
        ]);
    }
    crate::cli::write_table(out, &rows)?;
    Ok(())
}

fn scope(key: &ApiKey) -> String {
    key.tenant.as_ref().map_or_else(|| "all clinics".to_owned(), ToString::to_string)
}

fn status(key: &ApiKey, now: DateTime<Utc>) -> &'static str {
    match (key.revoked_at, key.is_live(now)) {
        (Some(_), _) => "revoked",
        (None, false) => "expired",
        (None, true) => "active",
    }
}

fn expiry(expires_at: Option<DateTime<Utc>>) -> String {
    expires_at.map_or_else(|| "never expires".to_owned(), |at| format!("expires {}", day(at)))
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}
