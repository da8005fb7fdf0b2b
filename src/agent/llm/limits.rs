//! What one clinic may spend: model turns running at once (a semaphore per clinic, so a busy
//! clinic cannot starve the others of the provider's rate limit), tokens per day, and model
//! turns per patient per hour (so one number flooding the clinic, a bot or a prank, cannot spend
//! the clinic's budget).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sofia_core::domain::{ClinicId, Phone};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// When each patient's recent model turns began, newest last.
type RecentTurns = HashMap<(ClinicId, Phone), VecDeque<DateTime<Utc>>>;

/// Patients remembered before idle ones are forgotten.
const PATIENTS_KEPT: usize = 10_000;

pub struct ClinicLimits {
    per_clinic: usize,
    daily_tokens: u64,
    semaphores: Mutex<HashMap<ClinicId, Arc<Semaphore>>>,
    turns_per_patient_per_hour: usize,
    patient_turns: Mutex<RecentTurns>,
}

impl ClinicLimits {
    /// `daily_tokens` 0 means no budget; `turns_per_patient_per_hour` 0, no limit per patient.
    pub fn new(per_clinic: u32, daily_tokens: u64, turns_per_patient_per_hour: u32) -> ClinicLimits {
        ClinicLimits {
            per_clinic: usize::try_from(per_clinic).unwrap_or(usize::MAX).max(1),
            daily_tokens,
            semaphores: Mutex::new(HashMap::new()),
            turns_per_patient_per_hour: usize::try_from(turns_per_patient_per_hour).unwrap_or(usize::MAX),
            patient_turns: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a model turn for the patient, unless they already had their turns this past
    /// hour: then `false`, and the turn is not counted.
    pub fn admit_patient(&self, clinic: ClinicId, phone: &Phone, now: DateTime<Utc>) -> bool {
        if self.turns_per_patient_per_hour == 0 {
            return true;
        }
        let hour_ago = now - chrono::Duration::hours(1);
        let mut turns = self.patient_turns.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if turns.len() > PATIENTS_KEPT {
            turns.retain(|_, recent| recent.back().is_some_and(|last| *last > hour_ago));
        }
        let recent = turns.entry((clinic, phone.clone())).or_default();
        while recent.front().is_some_and(|first| *first <= hour_ago) {
            recent.pop_front();
        }
        if recent.len() >= self.turns_per_patient_per_hour {
            return false;
        }
        recent.push_back(now);
        true
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
    fn a_patient_past_their_turns_this_hour_waits_until_the_oldest_is_an_hour_old() {
        let limits = ClinicLimits::new(1, 0, 2);
        let clinic = ClinicId(Uuid::new_v4());
        let (maria, joao) =
            (Phone::parse("+5511987654321").unwrap(), Phone::parse("+5511912345678").unwrap());
        let start = DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap().to_utc();
        let at = |minutes| start + chrono::Duration::minutes(minutes);
        assert!(limits.admit_patient(clinic, &maria, at(0)));
        assert!(limits.admit_patient(clinic, &maria, at(10)));
        assert!(!limits.admit_patient(clinic, &maria, at(20)), "two turns an hour");
        assert!(limits.admit_patient(clinic, &joao, at(20)), "another patient has their own");
        assert!(!limits.admit_patient(clinic, &maria, at(59)));
        assert!(limits.admit_patient(clinic, &maria, at(61)), "the first turn is an hour old");
        assert!(ClinicLimits::new(1, 0, 0).admit_patient(clinic, &maria, at(0)), "0 is no limit");
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
