//! What one clinic may spend: model turns running at once (a semaphore per clinic, so a busy
//! clinic cannot starve the others of the provider's rate limit), tokens per day, and model
//! turns per patient per hour (so one number flooding the clinic, a bot or a prank, cannot spend
//! the clinic's budget). Tokens and turns are counted in the database (`llm_usage`), so every
//! replica applies the same budget; only the places are per replica.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sofia_core::domain::ClinicId;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub struct ClinicLimits {
    per_clinic: usize,
    daily_tokens: u64,
    semaphores: Mutex<HashMap<ClinicId, Arc<Semaphore>>>,
    turns_per_patient_per_hour: u64,
}

impl ClinicLimits {
    /// `daily_tokens` 0 means no budget; `turns_per_patient_per_hour` 0, no limit per patient.
    pub fn new(per_clinic: u32, daily_tokens: u64, turns_per_patient_per_hour: u32) -> ClinicLimits {
        ClinicLimits {
            per_clinic: usize::try_from(per_clinic).unwrap_or(usize::MAX).max(1),
            daily_tokens,
            semaphores: Mutex::new(HashMap::new()),
            turns_per_patient_per_hour: u64::from(turns_per_patient_per_hour),
        }
    }

    /// Whether a patient who had `turns_this_hour` model turns in the past hour may have one
    /// more.
    pub fn patient_may_ask(&self, turns_this_hour: u64) -> bool {
        self.turns_per_patient_per_hour == 0 || turns_this_hour < self.turns_per_patient_per_hour
    }

    /// A place among the clinic's running model turns, waiting at most `wait` for one.
    pub async fn enter(&self, clinic: ClinicId, wait: Duration) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut semaphores = self.semaphores.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            Arc::clone(semaphores.entry(clinic).or_insert_with(|| Arc::new(Semaphore::new(self.per_clinic))))
        };
        tokio::time::timeout(wait, semaphore.acquire_owned()).await.ok()?.ok()
    }

    /// Whether a clinic that used `used` tokens today may not ask a model again.
    pub fn over_budget(&self, used: u64) -> bool {
        self.daily_tokens > 0 && used >= self.daily_tokens
    }

    pub fn daily_tokens(&self) -> u64 {
        self.daily_tokens
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_patient_may_ask_until_their_turns_this_hour_are_used() {
        let limits = ClinicLimits::new(1, 0, 2);
        assert!(limits.patient_may_ask(0));
        assert!(limits.patient_may_ask(1));
        assert!(!limits.patient_may_ask(2), "two turns an hour");
        assert!(ClinicLimits::new(1, 0, 0).patient_may_ask(u64::MAX), "0 is no limit");
    }

    #[tokio::test]
    async fn a_full_clinic_waits_while_another_clinic_runs() {
        let limits = ClinicLimits::new(1, 0, 0);
        let (a, b) = (ClinicId(Uuid::new_v4()), ClinicId(Uuid::new_v4()));
        let held = limits.enter(a, Duration::from_millis(10)).await;
        assert!(held.is_some());
        assert!(limits.enter(a, Duration::from_millis(10)).await.is_none(), "a's one place is taken");
        assert!(limits.enter(b, Duration::from_millis(10)).await.is_some(), "b has its own");
        drop(held);
        assert!(limits.enter(a, Duration::from_millis(10)).await.is_some());
    }

    #[test]
    fn a_budget_of_zero_is_no_budget() {
        assert!(!ClinicLimits::new(1, 0, 0).over_budget(u64::MAX));
        assert!(!ClinicLimits::new(1, 100, 0).over_budget(99));
        assert!(ClinicLimits::new(1, 100, 0).over_budget(100));
    }
}
