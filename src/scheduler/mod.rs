//! The scheduler: Sofia's proactive work (appointment reminders, the follow-up of a missed
//! appointment, freed slots offered to the waitlist, missed appointments marked by themselves,
//! package expiry alerts), durable in the `jobs` table and safe with any number of replicas
//! (docs/reminders.md).
//!
//! Each round, on every replica:
//! 1. **plans**: appointments coming within the longest reminder lead (and a day) get one job
//!    per lead, unique by (lead, appointment, start), so planning twice inserts nothing; with
//!    `noshow.auto_mark_after_h`, appointments still booked after their end get one to mark
//!    them; with `package_expiry.alert_days`, packages about to expire with sessions left get
//!    one alert each; waitlist entries past their last day leave the line (a no-show
//!    follow-up is planned when the appointment is marked, [`Scheduler::mark_no_show`], and a
//!    waitlist offer by the store, with the change that freed the time);
//! 2. **runs** what is due: jobs are claimed under a lease (`FOR UPDATE SKIP LOCKED` on
//!    PostgreSQL), each claimed by one replica; a job whose replica died is claimed again
//!    once its lease runs out, and what it sends is keyed by the job in the outbox, so it is
//!    queued once however often it runs.
//!
//! Time comes from the injected clock only: evals and tests move it and call [`Scheduler::round`].

pub mod command;
mod no_show;
mod outreach;
mod package_expiry;
mod reminder;
mod waitlist;

pub use reminder::payload;
pub use waitlist::payload as waitlist_payload;

use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveTime, TimeZone, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::{AppointmentId, ClinicId, ConversationId};
use sofia_core::reminders::{self, Plan};

use crate::channels::OutboundMessage;
use crate::clinics::Clinics;
use crate::engine::worker::Delivery;
use crate::metrics::Metrics;
use crate::store::{
    Appointment, AppointmentChange, ClaimedJob, JobKind, JobState, JobStats, NewJob, Store, StoreError,
};

/// How long a claim holds a job: far longer than one job takes (a few store calls and a
/// queued message), so only a replica that died loses its jobs.
const LEASE: Duration = Duration::minutes(5);
/// Jobs claimed at once; a round claims batches until none is due.
const BATCH: u32 = 50;
/// Appointments planned per clinic and round (the rest the next round).
const PLAN_BATCH: u32 = 500;
/// How much further than its longest lead an appointment is planned: its jobs show as
/// `scheduled` a day ahead, and a round that is late still finds them.
const PLAN_AHEAD: Duration = Duration::days(1);
/// A job that failed this many claims is failed for good (it is in `/metrics`).
const MAX_ATTEMPTS: u32 = 5;
/// Meta's language code for the clinic's templates.
const TEMPLATE_LANGUAGE: &str = "pt_BR";
/// How long a job waits when the conversation it writes to is busy with a turn.
const BUSY_RETRY: Duration = Duration::seconds(30);
/// The window the confirmation and no-show rates in `/metrics` look back over.
pub const ATTENDANCE_WINDOW: Duration = Duration::days(30);
/// How far back an appointment nobody marked is still marked `no_show` by itself: turning
/// `noshow.auto_mark_after_h` on does not mark a clinic's whole past.
const AUTO_NO_SHOW_LOOKBACK: Duration = Duration::days(7);

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    #[error("could not read or write the jobs")]
    Store(#[from] StoreError),
    #[error("the reminder message could not be built")]
    Message(#[from] crate::channels::MessageError),
    #[error("the conversation state could not be written")]
    State(#[from] serde_json::Error),
}

/// A message the scheduler queued for a patient.
#[derive(Debug, Clone, PartialEq)]
pub struct Proactive {
    pub conversation: ConversationId,
    /// The appointment it is about (a package alert is about none).
    pub appointment: Option<AppointmentId>,
    pub message: OutboundMessage,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoundReport {
    pub planned: u64,
    pub sent: Vec<Proactive>,
    pub skipped: usize,
    pub postponed: usize,
    pub failed: usize,
}

/// What became of one claimed job.
enum Outcome {
    Sent(Proactive),
    /// Not worth doing (any more); the reason is recorded on the job.
    Skipped(&'static str),
    /// Due again at this time.
    Later(DateTime<Utc>, &'static str),
    /// Sent, and due again at this time (a waitlist offer, when its hold ends).
    Held(Proactive, DateTime<Utc>),
    /// Done without sending anything (the reason is recorded on the job).
    Finished(&'static str),
}

pub struct Scheduler {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    /// Read at each round and job, so a reloaded clinic's rules apply from the next one.
    clinics: Arc<Clinics>,
    /// Sends what a job queued at once (`serve`: the outbox dispatcher); without it the
    /// messages wait in the outbox (evals read them there).
    delivery: Option<Arc<dyn Delivery>>,
    /// This replica's name on its claims.
    holder: String,
}

impl Scheduler {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        metrics: Arc<Metrics>,
        clinics: Arc<Clinics>,
        delivery: Option<Arc<dyn Delivery>>,
    ) -> Scheduler {
        Scheduler {
            store,
            clock,
            metrics,
            clinics,
            delivery,
            holder: format!("scheduler:{}", uuid::Uuid::new_v4()),
        }
    }

    fn clinic_ids(&self) -> Vec<ClinicId> {
        self.clinics.ids()
    }

    /// Plans what came within reach, then runs everything due.
    #[tracing::instrument(name = "scheduler_round", skip_all)]
    pub async fn round(&self) -> Result<RoundReport, SchedulerError> {
        let mut report = RoundReport { planned: self.plan().await?, ..RoundReport::default() };
        loop {
            let now = self.clock.now();
            let jobs =
                self.store.claim_jobs(&self.clinic_ids(), &self.holder, now + LEASE, now, BATCH).await?;
            if jobs.is_empty() {
                return Ok(report);
            }
            for job in jobs {
                self.settle(job, &mut report).await?;
            }
        }
    }

    /// Rounds every `every` (the first at once) until `shutdown` resolves.
    pub async fn run(&self, every: std::time::Duration, shutdown: impl Future<Output = ()>) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    if let Err(error) = self.round().await {
                        tracing::warn!(error = %error, "scheduler round failed");
                    }
                }
                () = &mut shutdown => return,
            }
        }
    }

    /// Marks a missed appointment `no_show` (the team's word, from `sofia appointments mark`)
    /// and plans its follow-up for now; the next round sends it. Marking it again plans nothing
    /// more.
    pub async fn mark_no_show(
        &self,
        clinic: ClinicId,
        appointment: AppointmentId,
    ) -> Result<Appointment, SchedulerError> {
        let now = self.clock.now();
        let marked =
            self.store.change_appointment(clinic, None, appointment, &AppointmentChange::NoShow, now).await?;
        let job = NewJob {
            clinic,
            kind: JobKind::NoShowFollowUp { appointment },
            state: JobState::Due,
            run_at: now,
            outcome: None,
        };
        self.store.plan_jobs(&[job], now).await?;
        Ok(marked)
    }

    /// The time on the scheduler's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The jobs of this replica's clinics, and what became of their appointments over the last
    /// [`ATTENDANCE_WINDOW`], for `/readyz` and `/metrics`.
    pub async fn stats(&self) -> Result<JobStats, StoreError> {
        let (clinics, now) = (self.clinic_ids(), self.clock.now());
        let mut stats = self.store.job_stats(&clinics, now).await?;
        stats.attendance = self.store.attendance(&clinics, now - ATTENDANCE_WINDOW, now).await?;
        Ok(stats)
    }

    /// Plans what came within reach in every clinic, and takes expired entries off the waitlist.
    async fn plan(&self) -> Result<u64, SchedulerError> {
        let now = self.clock.now();
        let mut planned = 0;
        for loaded in self.clinics.all().iter() {
            let clinic = &loaded.clinic;
            planned += self.plan_reminders(clinic, now).await?;
            planned += self.plan_auto_no_shows(clinic, now).await?;
            planned += self.plan_package_alerts(clinic, now).await?;
            let today = now.with_timezone(&clinic.timezone).date_naive();
            let expired = self.store.expire_waitlist(clinic.id, today, now).await?;
            if expired > 0 {
                tracing::info!(clinic = %clinic.tenant, expired, "waitlist entries past their last day");
            }
        }
        Ok(planned)
    }

    /// With `noshow.auto_mark_after_h`, one job per appointment still booked after its end, due
    /// that many hours after it.
    async fn plan_auto_no_shows(&self, clinic: &Clinic, now: DateTime<Utc>) -> Result<u64, SchedulerError> {
        let Some(hours) = clinic.no_show.auto_mark_after_h else { return Ok(0) };
        let after = Duration::hours(i64::from(hours));
        let (from, to) = (now - after - AUTO_NO_SHOW_LOOKBACK, now - after + PLAN_AHEAD);
        let unmarked = self.store.unmarked_appointments(clinic.id, from, to, PLAN_BATCH).await?;
        let jobs: Vec<NewJob> = unmarked
            .into_iter()
            .map(|(appointment, ends_at)| NewJob {
                clinic: clinic.id,
                kind: JobKind::AutoNoShow { appointment },
                state: JobState::Due,
                run_at: ends_at + after,
                outcome: None,
            })
            .collect();
        self.plan_all(&jobs, now).await
    }

    /// With `package_expiry.alert_days`, one alert per package with sessions left, due that many
    /// days before it expires (at once for one expiring sooner).
    async fn plan_package_alerts(&self, clinic: &Clinic, now: DateTime<Utc>) -> Result<u64, SchedulerError> {
        let Some(days) = clinic.package_expiry_alert_days else { return Ok(0) };
        let today = now.with_timezone(&clinic.timezone).date_naive();
        let until = today + Days::new(u64::from(days) + 1);
        let expiring = self.store.unalerted_packages(clinic.id, today, until, PLAN_BATCH).await?;
        let jobs: Vec<NewJob> = expiring
            .into_iter()
            .map(|(package, expires_on)| {
                let day = expires_on - Days::new(u64::from(days));
                let midnight = clinic.timezone.from_local_datetime(&day.and_time(NaiveTime::MIN)).earliest();
                NewJob {
                    clinic: clinic.id,
                    kind: JobKind::PackageExpiry { package },
                    state: JobState::Due,
                    // Quiet hours move it to the morning when it runs.
                    run_at: midnight.map_or(now, |at| at.with_timezone(&Utc).max(now)),
                    outcome: None,
                }
            })
            .collect();
        self.plan_all(&jobs, now).await
    }

    async fn plan_all(&self, jobs: &[NewJob], now: DateTime<Utc>) -> Result<u64, SchedulerError> {
        if jobs.is_empty() {
            return Ok(0);
        }
        Ok(self.store.plan_jobs(jobs, now).await?)
    }

    /// One job per reminder lead for every appointment that came within reach.
    async fn plan_reminders(&self, clinic: &Clinic, now: DateTime<Utc>) -> Result<u64, SchedulerError> {
        let Some(reach) = clinic.reminders.reach() else { return Ok(0) };
        let until = now + reach + PLAN_AHEAD;
        let unplanned = self.store.unplanned_reminders(clinic.id, now, until, PLAN_BATCH).await?;
        let jobs: Vec<NewJob> = unplanned
            .iter()
            .flat_map(|appointment| {
                reminders::plan(
                    &clinic.reminders,
                    clinic.timezone,
                    appointment.starts_at,
                    appointment.booked_at,
                )
                .into_iter()
                .map(|(lead, plan)| {
                    let kind = JobKind::Reminder {
                        appointment: appointment.appointment,
                        starts_at: appointment.starts_at,
                        lead,
                    };
                    match plan {
                        Plan::SendAt(at) => NewJob {
                            clinic: clinic.id,
                            kind,
                            state: JobState::Due,
                            run_at: at,
                            outcome: None,
                        },
                        // Kept, so the appointment is not planned again every round.
                        Plan::Skip(why) => NewJob {
                            clinic: clinic.id,
                            kind,
                            state: JobState::Skipped,
                            run_at: now,
                            outcome: Some(format!("skipped: {}", why.as_str())),
                        },
                    }
                })
            })
            .collect();
        self.plan_all(&jobs, now).await
    }

    /// Runs a claimed job and records what became of it.
    #[tracing::instrument(name = "job", skip_all, fields(job = %job.id, attempt = job.attempts))]
    async fn settle(&self, job: ClaimedJob, report: &mut RoundReport) -> Result<(), SchedulerError> {
        let Some(loaded) = self.clinics.by_id(job.clinic) else { return Ok(()) };
        let clinic = &loaded.clinic;
        let tenant = clinic.tenant.as_str();
        if job.attempts > MAX_ATTEMPTS {
            tracing::warn!("a job failed too many times; it is given up");
            self.finish(&job, JobState::Failed, "failed: too many attempts").await?;
            self.metrics.jobs.inc(&[tenant, job.kind.as_str(), "failed"]);
            report.failed += 1;
            return Ok(());
        }
        let outcome = match job.kind {
            JobKind::Reminder { appointment, starts_at, lead } => {
                reminder::Reminder { scheduler: self, clinic, job: &job, appointment, starts_at, lead }
                    .run()
                    .await
            }
            JobKind::NoShowFollowUp { appointment } => {
                no_show::FollowUp { scheduler: self, clinic, job: &job, appointment }.run().await
            }
            JobKind::WaitlistOffer { appointment, professional, starts_at } => {
                waitlist::FreedSlot {
                    scheduler: self,
                    clinic,
                    job: &job,
                    appointment,
                    professional,
                    starts_at,
                }
                .run()
                .await
            }
            JobKind::AutoNoShow { appointment } => self.auto_no_show(clinic.id, appointment).await,
            JobKind::PackageExpiry { package } => {
                package_expiry::ExpiryAlert { scheduler: self, clinic, job: &job, package }.run().await
            }
        };
        let kind = job.kind.as_str();
        let now = self.clock.now();
        match outcome {
            Ok(Outcome::Sent(proactive)) => {
                self.finish(&job, JobState::Done, "sent").await?;
                self.sent(tenant, kind, proactive, report).await;
            }
            Ok(Outcome::Held(proactive, until)) => {
                self.store.postpone_job(job.id, &self.holder, until, "waiting: held", now).await?;
                self.sent(tenant, kind, proactive, report).await;
            }
            Ok(Outcome::Finished(why)) => {
                tracing::info!(reason = why, kind, "job done");
                self.finish(&job, JobState::Done, why).await?;
                self.metrics.jobs.inc(&[tenant, kind, why]);
            }
            Ok(Outcome::Skipped(why)) => {
                tracing::info!(reason = why, kind, "job skipped");
                self.finish(&job, JobState::Skipped, &format!("skipped: {why}")).await?;
                self.metrics.jobs.inc(&[tenant, kind, why]);
                report.skipped += 1;
            }
            Ok(Outcome::Later(at, why)) => {
                self.store.postpone_job(job.id, &self.holder, at, &format!("waiting: {why}"), now).await?;
                report.postponed += 1;
            }
            Err(error) => {
                // Its lease runs out and it is claimed again, up to MAX_ATTEMPTS.
                tracing::warn!(error = %error, "a job failed; it will be tried again");
                let retry = now + Duration::minutes(i64::from(job.attempts.min(MAX_ATTEMPTS)));
                self.store
                    .postpone_job(job.id, &self.holder, retry, "waiting: retry after an error", now)
                    .await?;
                report.postponed += 1;
            }
        }
        Ok(())
    }

    /// Counts and delivers what a job queued.
    async fn sent(&self, tenant: &str, kind: &str, proactive: Proactive, report: &mut RoundReport) {
        self.metrics.jobs.inc(&[tenant, kind, "sent"]);
        if let Some(delivery) = &self.delivery {
            delivery.deliver(proactive.conversation).await;
        }
        report.sent.push(proactive);
    }

    /// Marks an appointment nobody marked `no_show`, if it is still booked
    /// (`noshow.auto_mark_after_h`); its follow-up is planned as when the team marks it.
    async fn auto_no_show(
        &self,
        clinic: ClinicId,
        appointment: AppointmentId,
    ) -> Result<Outcome, SchedulerError> {
        let Some(found) = self.store.appointment(clinic, None, appointment).await? else {
            return Ok(Outcome::Skipped("appointment_gone"));
        };
        if !found.status.is_active() {
            return Ok(Outcome::Skipped("already_marked"));
        }
        self.mark_no_show(clinic, appointment).await?;
        Ok(Outcome::Finished("marked"))
    }

    async fn finish(&self, job: &ClaimedJob, state: JobState, outcome: &str) -> Result<(), StoreError> {
        let held = self.store.finish_job(job.id, &self.holder, state, outcome, self.clock.now()).await?;
        if !held {
            // Our lease ran out and another replica took the job: it settles it.
            tracing::warn!("a job's lease ran out before it was settled");
        }
        Ok(())
    }
}
