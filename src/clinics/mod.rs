//! Loading clinics from `knowledge/<tenant>/clinic.yaml` and writing them to the store; the
//! set of clinics a process serves ([`Clinics`]) and reloading one of them ([`Reloader`]).

mod reload;
mod set;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sofia_core::clinic::{Clinic, ClinicFileError};
use sofia_core::domain::{TenantId, TenantIdError};

use crate::store::{Store, StoreError, SyncOutcome};

pub use reload::{ReloadError, Reloaded, Reloader, WiredPart};
pub use set::Clinics;

/// A clinic as read from disk, with the hash of the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedClinic {
    pub clinic: Clinic,
    pub content_hash: String,
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ClinicLoadError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Invalid {
        path: PathBuf,
        #[source]
        source: ClinicFileError,
    },
    #[error("{path}: the folder name must be the clinic id: {source}")]
    FolderName {
        path: PathBuf,
        #[source]
        source: TenantIdError,
    },
    #[error("{0}: no clinic found (expected <tenant>/clinic.yaml folders)")]
    NoClinics(PathBuf),
    #[error("could not save clinic '{tenant}'")]
    Store {
        tenant: TenantId,
        #[source]
        source: StoreError,
    },
}

impl LoadedClinic {
    /// The clinic's folder: its `clinic.yaml` and knowledge markdown.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// A hash of the clinic's markdown files (names and contents), to tell when its knowledge
    /// must be re-ingested.
    pub fn knowledge_fingerprint(&self) -> std::io::Result<String> {
        knowledge_fingerprint(self.dir())
    }
}

/// A hash of the markdown files in `folder` (names and contents).
fn knowledge_fingerprint(folder: &Path) -> std::io::Result<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("md")))
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        hash.update(file.to_string_lossy().as_bytes());
        hash.update(std::fs::read(&file)?);
    }
    Ok(hex::encode(hash.finalize()))
}

/// The SHA-256 of a file's bytes, as [`LoadedClinic::content_hash`] holds it.
fn file_hash(path: &Path) -> std::io::Result<String> {
    Ok(hex::encode(Sha256::digest(std::fs::read(path)?)))
}

/// Reads and validates `knowledge_dir/<tenant>/clinic.yaml`.
pub fn load_clinic(knowledge_dir: &Path, tenant: &TenantId) -> Result<LoadedClinic, ClinicLoadError> {
    let path = knowledge_dir.join(tenant.as_str()).join("clinic.yaml");
    let text = std::fs::read_to_string(&path)
        .map_err(|source| ClinicLoadError::Read { path: path.clone(), source })?;
    let clinic = Clinic::from_yaml(tenant.clone(), &text)
        .map_err(|source| ClinicLoadError::Invalid { path: path.clone(), source })?;
    let content_hash = hex::encode(Sha256::digest(text.as_bytes()));
    Ok(LoadedClinic { clinic, content_hash, path })
}

/// Every clinic under `knowledge_dir`, in folder-name order.
pub fn load_all(knowledge_dir: &Path) -> Result<Vec<LoadedClinic>, ClinicLoadError> {
    let entries = std::fs::read_dir(knowledge_dir)
        .map_err(|source| ClinicLoadError::Read { path: knowledge_dir.to_owned(), source })?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|source| ClinicLoadError::Read { path: knowledge_dir.to_owned(), source })?;
        let path = entry.path();
        if path.join("clinic.yaml").is_file() {
            folders.push(path);
        }
    }
    folders.sort();
    if folders.is_empty() {
        return Err(ClinicLoadError::NoClinics(knowledge_dir.to_owned()));
    }
    folders
        .iter()
        .map(|folder| {
            let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let tenant = TenantId::parse(&name)
                .map_err(|source| ClinicLoadError::FolderName { path: folder.clone(), source })?;
            load_clinic(knowledge_dir, &tenant)
        })
        .collect()
}

/// Writes a loaded clinic to the store; unchanged files change nothing.
pub async fn sync(
    store: &dyn Store,
    loaded: &LoadedClinic,
    now: DateTime<Utc>,
) -> Result<SyncOutcome, ClinicLoadError> {
    let synced = match store.sync_clinic(&loaded.clinic, &loaded.content_hash, now).await {
        // Replicas starting together all write the same clinic: the one that lost the race
        // finds the winner's rows on a second pass.
        Err(error) if error.lost_a_race() => {
            tracing::info!(clinic = %loaded.clinic.tenant, "another replica wrote the clinic first; syncing again");
            store.sync_clinic(&loaded.clinic, &loaded.content_hash, now).await
        }
        other => other,
    };
    synced.map_err(|source| ClinicLoadError::Store { tenant: loaded.clinic.tenant.clone(), source })
}
