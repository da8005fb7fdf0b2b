//! Reloading a clinic from its folder while `serve` runs: its `clinic.yaml` (prices, hours,
//! professionals, policies, reminders, templates) and the knowledge documents beside it.
//!
//! Two ways in, one code path: `POST /api/v1/clinics/{tenant}/reload`, and the loop that looks
//! at every served folder each `knowledge.reload_s`, so every replica of a deployment picks up
//! a changed folder without being called.
//!
//! A reload is all or nothing for the clinic file: a file that does not load, or one that
//! changes what was wired at start, leaves the running clinic as it was. The WhatsApp channels,
//! the Chatwoot bridge and the CRM endpoints hold HTTP clients and secrets read from the
//! environment when `serve` starts, so changing them needs a restart ([`WiredPart`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::TenantId;
use tokio::sync::Mutex;

use super::{ClinicLoadError, Clinics, LoadedClinic, load_clinic};
use crate::knowledge::{IngestSummary, KnowledgeBase, KnowledgeError, Quiet};
use crate::store::{Store, SyncOutcome};

/// A part of `clinic.yaml` that `serve` wires once, at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WiredPart {
    Channels,
    Chatwoot,
    CrmWebhooks,
}

impl WiredPart {
    /// Its key in `clinic.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            WiredPart::Channels => "channels",
            WiredPart::Chatwoot => "chatwoot",
            WiredPart::CrmWebhooks => "crm_webhooks",
        }
    }

    /// The wired parts that differ between the running clinic and the one on disk.
    fn changed(running: &Clinic, on_disk: &Clinic) -> Vec<WiredPart> {
        let mut parts = Vec::new();
        if running.channels != on_disk.channels {
            parts.push(WiredPart::Channels);
        }
        if running.chatwoot != on_disk.chatwoot {
            parts.push(WiredPart::Chatwoot);
        }
        if running.crm_webhooks != on_disk.crm_webhooks {
            parts.push(WiredPart::CrmWebhooks);
        }
        parts
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// Only clinics served since start can be reloaded: a new one needs channels.
    #[error("clinic '{0}' is not served by this process")]
    NotServed(TenantId),
    /// The folder's `clinic.yaml` does not load; the running clinic is unchanged.
    #[error("{0}")]
    Load(#[source] ClinicLoadError),
    /// The file changes parts wired at start; the running clinic is unchanged.
    #[error("clinic '{tenant}': {} changed; restart `sofia serve` to apply them (nothing was reloaded)", parts.iter().map(|part| part.as_str()).collect::<Vec<_>>().join(", "))]
    NeedsRestart { tenant: TenantId, parts: Vec<WiredPart> },
    /// The knowledge could not be indexed. On a reload the clinic file was applied all the
    /// same, and the loop tries the index again.
    #[error("clinic '{tenant}': its knowledge could not be indexed")]
    Knowledge {
        tenant: TenantId,
        #[source]
        source: KnowledgeError,
    },
}

/// What a reload did.
#[derive(Debug, Clone)]
pub struct Reloaded {
    /// The clinic as it now runs.
    pub clinic: Arc<LoadedClinic>,
    /// What changed in the store's copy of the clinic (its catalogue).
    pub catalog: SyncOutcome,
    pub knowledge: IngestSummary,
}

/// What was last applied, or refused, for one clinic folder, so the loop touches a folder
/// only when it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Seen {
    /// SHA-256 of `clinic.yaml` as last read.
    clinic_file: String,
    /// [`LoadedClinic::knowledge_fingerprint`], taken before that read.
    knowledge: Option<String>,
}

impl Seen {
    fn now(dir: &std::path::Path, tenant: &TenantId) -> Option<Seen> {
        let folder = dir.join(tenant.as_str());
        // Taken before the file is read, so a change made meanwhile is seen on the next look.
        let knowledge = super::knowledge_fingerprint(&folder).ok();
        let clinic_file = super::file_hash(&folder.join("clinic.yaml")).ok()?;
        Some(Seen { clinic_file, knowledge })
    }
}

/// Applies a clinic folder to the running service: the store's catalogue, the knowledge index,
/// then the clinic every part reads.
pub struct Reloader {
    store: Arc<dyn Store>,
    clinics: Arc<Clinics>,
    knowledge: Arc<KnowledgeBase>,
    clock: Arc<dyn Clock>,
    /// The knowledge folder: one `<tenant>/` per clinic.
    dir: PathBuf,
    /// Per clinic, what was last applied or refused. An async lock held for a whole reload:
    /// the API and the loop never apply one folder twice at once, and a loop restarted after a
    /// panic goes on from where it was.
    seen: Mutex<HashMap<TenantId, Seen>>,
}

impl Reloader {
    pub fn new(
        store: Arc<dyn Store>,
        clinics: Arc<Clinics>,
        knowledge: Arc<KnowledgeBase>,
        clock: Arc<dyn Clock>,
        dir: PathBuf,
    ) -> Reloader {
        Reloader { store, clinics, knowledge, clock, dir, seen: Mutex::new(HashMap::new()) }
    }

    /// Indexes every served clinic's knowledge: `serve` does it once, at start.
    pub async fn ingest_all(&self) -> Result<(), ReloadError> {
        let mut seen = self.seen.lock().await;
        for loaded in self.clinics.all().iter() {
            let tenant = &loaded.clinic.tenant;
            let knowledge = loaded.knowledge_fingerprint().ok();
            ingest(&self.knowledge, loaded).await?;
            seen.insert(tenant.clone(), Seen { clinic_file: loaded.content_hash.clone(), knowledge });
        }
        Ok(())
    }

    /// Reloads `tenant` from its folder now, whether or not it changed.
    #[tracing::instrument(name = "clinic_reload", skip(self), fields(clinic = %tenant))]
    pub async fn reload(&self, tenant: &TenantId) -> Result<Reloaded, ReloadError> {
        let mut seen = self.seen.lock().await;
        let reloaded = self.apply(tenant, &mut seen).await;
        log(tenant, &reloaded);
        reloaded
    }

    /// Reloads the served clinics whose folder changed since it was last applied or refused.
    pub async fn reload_changed(&self) {
        let mut seen = self.seen.lock().await;
        for loaded in self.clinics.all().iter() {
            let tenant = &loaded.clinic.tenant;
            let now = Seen::now(&self.dir, tenant);
            if now.is_none() || now.as_ref() == seen.get(tenant) {
                continue;
            }
            let span = tracing::info_span!("clinic_reload", clinic = %tenant);
            let reloaded = tracing::Instrument::instrument(self.apply(tenant, &mut seen), span).await;
            log(tenant, &reloaded);
        }
    }

    /// Every `every`, [`Reloader::reload_changed`], until `shutdown` resolves.
    pub async fn run(&self, every: Duration, shutdown: impl Future<Output = ()>) {
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = tokio::time::sleep(every) => {}
                () = &mut shutdown => return,
            }
            self.reload_changed().await;
        }
    }

    async fn apply(
        &self,
        tenant: &TenantId,
        seen: &mut HashMap<TenantId, Seen>,
    ) -> Result<Reloaded, ReloadError> {
        let running = self.clinics.by_tenant(tenant).ok_or_else(|| ReloadError::NotServed(tenant.clone()))?;
        let knowledge = running.knowledge_fingerprint().ok();
        let fresh = match load_clinic(&self.dir, tenant) {
            Ok(fresh) => fresh,
            Err(error) => {
                // Remembered as refused, so the loop does not report it again until it changes.
                if let Some(now) = Seen::now(&self.dir, tenant) {
                    seen.insert(tenant.clone(), now);
                }
                return Err(ReloadError::Load(error));
            }
        };
        let mark = Seen { clinic_file: fresh.content_hash.clone(), knowledge };
        let parts = WiredPart::changed(&running.clinic, &fresh.clinic);
        if !parts.is_empty() {
            seen.insert(tenant.clone(), mark);
            return Err(ReloadError::NeedsRestart { tenant: tenant.clone(), parts });
        }
        let catalog = if fresh.content_hash == running.content_hash {
            SyncOutcome::Unchanged
        } else {
            super::sync(self.store.as_ref(), &fresh, self.clock.now()).await.map_err(ReloadError::Load)?
        };
        // The index also holds the clinic file's facts (prices, professionals), so it is
        // brought in line before the new file is served.
        let indexed = ingest(&self.knowledge, &fresh).await;
        self.clinics.replace(fresh);
        let clinic = self.clinics.by_tenant(tenant).ok_or_else(|| ReloadError::NotServed(tenant.clone()))?;
        match indexed {
            Ok(knowledge) => {
                seen.insert(tenant.clone(), mark);
                Ok(Reloaded { clinic, catalog, knowledge })
            }
            Err(error) => {
                // Not marked as seen: the loop tries the index again.
                seen.remove(tenant);
                Err(error)
            }
        }
    }
}

/// Brings the index in line with `clinic`'s file and knowledge folder.
async fn ingest(knowledge: &KnowledgeBase, clinic: &LoadedClinic) -> Result<IngestSummary, ReloadError> {
    let summary = knowledge
        .ingest(&clinic.clinic, clinic.dir(), &Quiet)
        .await
        .map_err(|source| ReloadError::Knowledge { tenant: clinic.clinic.tenant.clone(), source })?;
    tracing::info!(
        clinic = %clinic.clinic.tenant,
        documents = summary.documents,
        chunks = summary.chunks,
        added = summary.added,
        unchanged = summary.unchanged,
        removed = summary.removed,
        "knowledge ingested"
    );
    Ok(summary)
}

fn log(tenant: &TenantId, reloaded: &Result<Reloaded, ReloadError>) {
    match reloaded {
        Ok(reloaded) => tracing::info!(
            clinic = %tenant,
            catalog = ?reloaded.catalog,
            file = %reloaded.clinic.path.display(),
            "clinic reloaded from its folder"
        ),
        Err(error) => tracing::warn!(
            clinic = %tenant,
            error = error as &dyn std::error::Error,
            "clinic not reloaded; it runs as before"
        ),
    }
}
