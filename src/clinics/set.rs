//! The clinics a process serves, as last loaded.
//!
//! Every part that needs a clinic's facts (the engine's turns, the scheduler's rounds, the admin
//! API) asks this set at the moment it needs them, and keeps the answer only for that turn,
//! round or request. So a reload ([`super::reload`]) is seen by the next one, and one already
//! running finishes on the file it started with.

use std::sync::{Arc, PoisonError, RwLock};

use sofia_core::domain::{ClinicId, TenantId};

use super::LoadedClinic;

/// The served clinics, in folder-name order.
#[derive(Debug)]
pub struct Clinics {
    // A std lock, never held across an await: readers clone the inner `Arc` and let go.
    loaded: RwLock<Arc<Vec<Arc<LoadedClinic>>>>,
}

impl Clinics {
    pub fn new(loaded: Vec<LoadedClinic>) -> Clinics {
        Clinics { loaded: RwLock::new(Arc::new(loaded.into_iter().map(Arc::new).collect())) }
    }

    /// Every clinic, as loaded now.
    pub fn all(&self) -> Arc<Vec<Arc<LoadedClinic>>> {
        Arc::clone(&self.loaded.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn by_tenant(&self, tenant: &TenantId) -> Option<Arc<LoadedClinic>> {
        self.all().iter().find(|loaded| &loaded.clinic.tenant == tenant).cloned()
    }

    pub fn by_id(&self, id: ClinicId) -> Option<Arc<LoadedClinic>> {
        self.all().iter().find(|loaded| loaded.clinic.id == id).cloned()
    }

    /// The ids of every served clinic, for queries scoped to them.
    pub fn ids(&self) -> Vec<ClinicId> {
        self.all().iter().map(|loaded| loaded.clinic.id).collect()
    }

    /// Puts `loaded` in the place of the clinic with its tenant. Only a clinic already served
    /// can be replaced: a new one needs channels, which are set up at start.
    pub(super) fn replace(&self, loaded: LoadedClinic) -> bool {
        let mut guard = self.loaded.write().unwrap_or_else(PoisonError::into_inner);
        let Some(index) = guard.iter().position(|old| old.clinic.tenant == loaded.clinic.tenant) else {
            return false;
        };
        let mut next = Vec::clone(&guard);
        next[index] = Arc::new(loaded);
        *guard = Arc::new(next);
        true
    }
}

impl From<Vec<LoadedClinic>> for Clinics {
    fn from(loaded: Vec<LoadedClinic>) -> Self {
        Clinics::new(loaded)
    }
}
