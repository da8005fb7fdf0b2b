//! Jobs: proactive work (reminders) planned ahead, taken by one replica at a time under a
//! lease, and kept afterwards with what became of it.
//!
//! A job is unique by its key, so planning it twice (a restart, two replicas) inserts nothing.
//! Claiming is one `UPDATE … WHERE id IN (SELECT … LIMIT n)`: on PostgreSQL the inner select
//! takes `FOR UPDATE SKIP LOCKED`, so replicas claiming at once take different rows; SQLite's
//! single writer runs the statement whole. A claimed row carries a lease; one whose lease ran
//! out (its replica died) is claimed again, and a job's work is once-only by itself.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{AppointmentId, ClinicId, PatientPackageId, ProfessionalId};
use sofia_core::reminders::Lead;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType, placeholders};
use super::{StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobId(pub Uuid);

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a job does, with what it needs to do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Reminds the patient of an appointment `lead` before the start it was planned for.
    Reminder { appointment: AppointmentId, starts_at: DateTime<Utc>, lead: Lead },
    /// Offers a patient who missed this appointment (marked `no_show`) to book again.
    NoShowFollowUp { appointment: AppointmentId },
    /// Offers the time this appointment freed (`professional`'s, from `starts_at`) to the
    /// waitlist, one patient at a time. Planned by the store with the change that freed it.
    WaitlistOffer { appointment: AppointmentId, professional: ProfessionalId, starts_at: DateTime<Utc> },
    /// Marks this appointment `no_show` if it is still booked when due (`noshow.auto_mark_after_h`).
    AutoNoShow { appointment: AppointmentId },
    /// Tells the patient this package of theirs, with sessions left, expires soon.
    PackageExpiry { package: PatientPackageId },
}

impl JobKind {
    /// The unique key: one reminder per lead, appointment and start (a moved appointment is
    /// reminded of its new time).
    pub fn key(&self) -> String {
        match self {
            JobKind::Reminder { appointment, starts_at, lead } => {
                format!("reminder/{lead}/{appointment}/{}", starts_at.timestamp())
            }
            JobKind::NoShowFollowUp { appointment } => format!("no_show/{appointment}"),
            JobKind::WaitlistOffer { appointment, professional, starts_at } => {
                format!("waitlist/{professional}/{}/{appointment}", starts_at.timestamp())
            }
            JobKind::AutoNoShow { appointment } => format!("auto_no_show/{appointment}"),
            JobKind::PackageExpiry { package } => format!("package_expiry/{package}"),
        }
    }

    /// The appointment the job is about, if it is about one.
    pub fn appointment(&self) -> Option<AppointmentId> {
        match self {
            JobKind::Reminder { appointment, .. }
            | JobKind::NoShowFollowUp { appointment }
            | JobKind::WaitlistOffer { appointment, .. }
            | JobKind::AutoNoShow { appointment } => Some(*appointment),
            JobKind::PackageExpiry { .. } => None,
        }
    }

    /// As stored, and in metrics.
    pub fn as_str(&self) -> &'static str {
        match self {
            JobKind::Reminder { .. } => "reminder",
            JobKind::NoShowFollowUp { .. } => "no_show",
            JobKind::WaitlistOffer { .. } => "waitlist",
            JobKind::AutoNoShow { .. } => "auto_no_show",
            JobKind::PackageExpiry { .. } => "package_expiry",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for its `run_at`.
    Due,
    /// Claimed by a replica, under a lease.
    Running,
    Done,
    /// Planned, then found not worth doing (the outcome says why).
    Skipped,
    /// Tried too many times.
    Failed,
}

impl JobState {
    fn as_str(self) -> &'static str {
        match self {
            JobState::Due => "due",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Skipped => "skipped",
            JobState::Failed => "failed",
        }
    }
}

/// A job to plan: due at `run_at`, or already skipped with `outcome` saying why.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub clinic: ClinicId,
    pub kind: JobKind,
    pub state: JobState,
    pub run_at: DateTime<Utc>,
    pub outcome: Option<String>,
}

/// A job a replica claimed.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: JobId,
    pub clinic: ClinicId,
    pub kind: JobKind,
    /// Including this claim.
    pub attempts: u32,
}

/// An appointment within reminder reach that has no reminders planned for its start yet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unplanned {
    pub appointment: AppointmentId,
    pub starts_at: DateTime<Utc>,
    pub booked_at: DateTime<Utc>,
}

/// The jobs of some clinics at one moment, for `/readyz` and `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct JobStats {
    /// Waiting and past their `run_at`: work the scheduler owes.
    pub due: u64,
    /// Waiting for a later `run_at`.
    pub scheduled: u64,
    pub running: u64,
    pub failed: u64,
    /// The `run_at` of the longest-waiting due job.
    pub oldest_due: Option<DateTime<Utc>>,
    /// What became of the appointments, for the confirmation and no-show rates.
    pub attendance: Attendance,
}

/// What patients did about their appointments over a recent window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attendance {
    /// Appointments a reminder went out for.
    pub reminded: u64,
    /// Of those, the ones now confirmed or attended.
    pub confirmed: u64,
    /// Appointments that started (not cancelled).
    pub started: u64,
    /// Of those, the ones missed (`no_show`).
    pub no_shows: u64,
}

impl Attendance {
    /// The share of reminded appointments confirmed (0 with none reminded).
    pub fn confirmation_rate(&self) -> f64 {
        ratio(self.confirmed, self.reminded)
    }

    /// The share of started appointments missed (0 with none started).
    pub fn no_show_rate(&self) -> f64 {
        ratio(self.no_shows, self.started)
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    // Counts of appointments are far below 2^52: the conversions are exact.
    part as f64 / whole as f64
}

#[async_trait]
pub trait JobStore: Send + Sync {
    /// Appointments of `clinic` still to happen (scheduled, starting in `(from, to]`) with no
    /// reminder planned for their current start, earliest first.
    async fn unplanned_reminders(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Unplanned>>;
    /// Appointments of `clinic` still booked (scheduled or confirmed) that ended in
    /// `(from, to]` with no automatic no-show planned, earliest first: `(id, ends_at)`.
    async fn unmarked_appointments(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(AppointmentId, DateTime<Utc>)>>;
    /// Packages of `clinic` with sessions left expiring in `[from, to]` with no expiry alert
    /// planned: `(id, expires_on)`.
    async fn unalerted_packages(
        &self,
        clinic: ClinicId,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<(PatientPackageId, NaiveDate)>>;
    /// Plans jobs; a job whose key exists is left as it is. Returns how many were new.
    async fn plan_jobs(&self, jobs: &[NewJob], now: DateTime<Utc>) -> StoreResult<u64>;
    /// Takes up to `limit` jobs of `clinics` due at `now` (or whose lease ran out) for `holder`
    /// until `lease_until`, earliest first. A job is held by one claim at a time.
    async fn claim_jobs(
        &self,
        clinics: &[ClinicId],
        holder: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedJob>>;
    /// Ends a claimed job (`Done`, `Skipped` or `Failed`) with what became of it. False when
    /// `holder` no longer holds it (its lease ran out and another claim took it).
    async fn finish_job(
        &self,
        id: JobId,
        holder: &str,
        state: JobState,
        outcome: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Gives a claimed job back, due again at `run_at`.
    async fn postpone_job(
        &self,
        id: JobId,
        holder: &str,
        run_at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    async fn job_stats(&self, clinics: &[ClinicId], now: DateTime<Utc>) -> StoreResult<JobStats>;
    /// What became of the appointments of `clinics` reminded, and of those that started, in
    /// `(since, now]`.
    async fn attendance(
        &self,
        clinics: &[ClinicId],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Attendance>;
}

type ClaimRow =
    (Uuid, Uuid, String, Option<Uuid>, Option<DateTime<Utc>>, Option<i32>, Option<Uuid>, Option<Uuid>, i32);

#[async_trait]
impl<DB> JobStore for SqlStore<DB>
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB> + ColumnIndex<DB::Row>,
    for<'q> Option<&'q str>: Encode<'q, DB>,
    for<'q> Json<&'q Value>: Encode<'q, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
    Uuid: SqlType<DB>,
    Option<Uuid>: SqlType<DB>,
    String: SqlType<DB>,
    DateTime<Utc>: SqlType<DB>,
    Option<DateTime<Utc>>: SqlType<DB>,
    NaiveDate: SqlType<DB>,
    NaiveTime: SqlType<DB>,
    i16: SqlType<DB>,
    i32: SqlType<DB>,
    i64: SqlType<DB>,
    Option<i64>: SqlType<DB>,
    bool: SqlType<DB>,
    Vec<u8>: SqlType<DB>,
    Json<Value>: SqlType<DB>,
{
    async fn unplanned_reminders(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Unplanned>> {
        let rows: Vec<(Uuid, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT a.id, a.starts_at, a.created_at FROM appointments a \
             WHERE a.clinic_id = $1 AND a.status = 'scheduled' AND a.starts_at > $2 AND a.starts_at <= $3 \
             AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.appointment_id = a.id AND j.kind = 'reminder' \
             AND j.subject_at = a.starts_at) \
             ORDER BY a.starts_at, a.id LIMIT $4",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("find appointments to remind"))?;
        Ok(rows
            .into_iter()
            .map(|(id, starts_at, booked_at)| Unplanned {
                appointment: AppointmentId(id),
                starts_at,
                booked_at,
            })
            .collect())
    }

    async fn unmarked_appointments(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<(AppointmentId, DateTime<Utc>)>> {
        let rows: Vec<(Uuid, DateTime<Utc>)> = sqlx::query_as(
            "SELECT a.id, a.ends_at FROM appointments a \
             WHERE a.clinic_id = $1 AND a.status IN ('scheduled', 'confirmed') AND a.ends_at > $2 \
             AND a.ends_at <= $3 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.appointment_id = a.id \
             AND j.kind = 'auto_no_show') ORDER BY a.ends_at, a.id LIMIT $4",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("find appointments nobody marked"))?;
        Ok(rows.into_iter().map(|(id, ends_at)| (AppointmentId(id), ends_at)).collect())
    }

    async fn unalerted_packages(
        &self,
        clinic: ClinicId,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> StoreResult<Vec<(PatientPackageId, NaiveDate)>> {
        let rows: Vec<(Uuid, NaiveDate)> = sqlx::query_as(
            "SELECT p.id, p.expires_on FROM patient_packages p \
             WHERE p.clinic_id = $1 AND p.sessions_used < p.sessions_total AND p.expires_on >= $2 \
             AND p.expires_on <= $3 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.patient_package_id = p.id \
             AND j.kind = 'package_expiry') ORDER BY p.expires_on, p.id LIMIT $4",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("find packages about to expire"))?;
        Ok(rows.into_iter().map(|(id, expires_on)| (PatientPackageId(id), expires_on)).collect())
    }

    async fn plan_jobs(&self, jobs: &[NewJob], now: DateTime<Utc>) -> StoreResult<u64> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin planning jobs"))?;
        let mut planned = 0;
        for job in jobs {
            let columns = Columns::of(&job.kind);
            let inserted = sqlx::query(
                "INSERT INTO jobs (id, clinic_id, job_key, kind, appointment_id, subject_at, lead_minutes, \
                 professional_id, patient_package_id, state, run_at, outcome, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) \
                 ON CONFLICT (job_key) DO NOTHING",
            )
            .bind(Uuid::now_v7())
            .bind(job.clinic.0)
            .bind(job.kind.key().as_str())
            .bind(job.kind.as_str())
            .bind(job.kind.appointment().map(|a| a.0))
            .bind(columns.subject_at)
            .bind(columns.lead_minutes)
            .bind(columns.professional)
            .bind(columns.package)
            .bind(job.state.as_str())
            .bind(job.run_at)
            .bind(job.outcome.as_deref())
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("plan a job"))?;
            planned += DB::rows_affected(&inserted);
        }
        tx.commit().await.map_err(StoreError::db("commit planned jobs"))?;
        Ok(planned)
    }

    async fn claim_jobs(
        &self,
        clinics: &[ClinicId],
        holder: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedJob>> {
        if clinics.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE jobs SET state = 'running', leased_by = $1, leased_until = $2, attempts = attempts + 1, \
             updated_at = $3 WHERE id IN (SELECT id FROM jobs WHERE \
             ((state = 'due' AND run_at <= $3) OR (state = 'running' AND leased_until <= $3)) \
             AND clinic_id IN ({}) ORDER BY run_at, id LIMIT $4{}) \
             RETURNING id, clinic_id, kind, appointment_id, subject_at, lead_minutes, professional_id, \
             patient_package_id, attempts",
            placeholders(5, clinics.len()),
            DB::SKIP_LOCKED,
        );
        let mut query = sqlx::query_as(&sql).bind(holder).bind(lease_until).bind(now).bind(i64::from(limit));
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        let rows: Vec<ClaimRow> =
            query.fetch_all(&self.writer).await.map_err(StoreError::db("claim due jobs"))?;
        rows.into_iter().map(claimed).collect()
    }

    async fn finish_job(
        &self,
        id: JobId,
        holder: &str,
        state: JobState,
        outcome: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = $3, outcome = $4, leased_by = NULL, leased_until = NULL, updated_at = $5 \
             WHERE id = $1 AND leased_by = $2 AND state = 'running'",
        )
        .bind(id.0)
        .bind(holder)
        .bind(state.as_str())
        .bind(outcome)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("finish a job"))?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn postpone_job(
        &self,
        id: JobId,
        holder: &str,
        run_at: DateTime<Utc>,
        note: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = 'due', run_at = $3, outcome = $4, leased_by = NULL, leased_until = NULL, \
             updated_at = $5 WHERE id = $1 AND leased_by = $2 AND state = 'running'",
        )
        .bind(id.0)
        .bind(holder)
        .bind(run_at)
        .bind(note)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("postpone a job"))?;
        Ok(DB::rows_affected(&done) == 1)
    }

    async fn job_stats(&self, clinics: &[ClinicId], now: DateTime<Utc>) -> StoreResult<JobStats> {
        if clinics.is_empty() {
            return Ok(JobStats::default());
        }
        let among = placeholders(2, clinics.len());
        let sql = format!(
            "SELECT CASE WHEN state = 'due' AND run_at <= $1 THEN 'owed' ELSE state END AS bucket, COUNT(*) \
             FROM jobs WHERE state IN ('due', 'running', 'failed') AND clinic_id IN ({among}) GROUP BY bucket"
        );
        let mut query = sqlx::query_as(&sql).bind(now);
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        let counts: Vec<(String, i64)> =
            query.fetch_all(&self.reader).await.map_err(StoreError::db("count jobs"))?;
        let mut stats = JobStats::default();
        for (bucket, count) in counts {
            let count = u64::try_from(count).unwrap_or(0);
            match bucket.as_str() {
                "owed" => stats.due = count,
                "due" => stats.scheduled = count,
                "running" => stats.running = count,
                "failed" => stats.failed = count,
                _ => {}
            }
        }
        // Read back as the column itself, so each engine decodes its own timestamp type.
        let sql = format!(
            "SELECT run_at FROM jobs WHERE state = 'due' AND run_at <= $1 AND clinic_id IN ({among}) \
             ORDER BY run_at LIMIT 1"
        );
        let mut query = sqlx::query_scalar(&sql).bind(now);
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        stats.oldest_due =
            query.fetch_optional(&self.reader).await.map_err(StoreError::db("find the oldest due job"))?;
        Ok(stats)
    }

    async fn attendance(
        &self,
        clinics: &[ClinicId],
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Attendance> {
        if clinics.is_empty() {
            return Ok(Attendance::default());
        }
        let among = placeholders(3, clinics.len());
        let reminded = format!(
            "SELECT a.status, COUNT(DISTINCT a.id) FROM appointments a JOIN jobs j ON j.appointment_id = a.id \
             WHERE j.kind = 'reminder' AND j.state = 'done' AND j.outcome = 'sent' AND j.updated_at > $1 \
             AND j.updated_at <= $2 AND a.clinic_id IN ({among}) GROUP BY a.status"
        );
        let started = format!(
            "SELECT status, COUNT(*) FROM appointments WHERE starts_at > $1 AND starts_at <= $2 \
             AND status <> 'cancelled' AND clinic_id IN ({among}) GROUP BY status"
        );
        let mut counts = [Vec::new(), Vec::new()];
        for (sql, counted) in [reminded, started].iter().zip(&mut counts) {
            let mut query = sqlx::query_as(sql).bind(since).bind(now);
            for clinic in clinics {
                query = query.bind(clinic.0);
            }
            let rows: Vec<(String, i64)> =
                query.fetch_all(&self.reader).await.map_err(StoreError::db("count attendance"))?;
            *counted = rows;
        }
        let [reminded, started] = counts;
        let sum = |rows: &[(String, i64)], statuses: &[&str]| -> u64 {
            rows.iter()
                .filter(|(status, _)| statuses.is_empty() || statuses.contains(&status.as_str()))
                .map(|(_, count)| u64::try_from(*count).unwrap_or(0))
                .sum()
        };
        Ok(Attendance {
            reminded: sum(&reminded, &[]),
            confirmed: sum(&reminded, &["confirmed", "completed"]),
            started: sum(&started, &[]),
            no_shows: sum(&started, &["no_show"]),
        })
    }
}

/// What a job's kind keeps in the columns beside its appointment.
struct Columns {
    /// A reminder's start as planned, or the start of the time a waitlist offer is about.
    subject_at: Option<DateTime<Utc>>,
    lead_minutes: Option<i64>,
    professional: Option<Uuid>,
    package: Option<Uuid>,
}

impl Columns {
    fn of(kind: &JobKind) -> Columns {
        let none = Columns { subject_at: None, lead_minutes: None, professional: None, package: None };
        match *kind {
            JobKind::Reminder { starts_at, lead, .. } => {
                Columns { subject_at: Some(starts_at), lead_minutes: Some(i64::from(lead.minutes())), ..none }
            }
            JobKind::WaitlistOffer { professional, starts_at, .. } => {
                Columns { subject_at: Some(starts_at), professional: Some(professional.0), ..none }
            }
            JobKind::PackageExpiry { package } => Columns { package: Some(package.0), ..none },
            JobKind::NoShowFollowUp { .. } | JobKind::AutoNoShow { .. } => none,
        }
    }
}

fn claimed(row: ClaimRow) -> StoreResult<ClaimedJob> {
    let (id, clinic, kind, appointment, subject_at, lead_minutes, professional, package, attempts) = row;
    let corrupt = |problem: String| StoreError::Corrupt { table: "jobs", problem };
    let missing = |what: &str| corrupt(format!("{kind} job {id} without its {what}"));
    let appointment = appointment.map(AppointmentId);
    let kind = match kind.as_str() {
        "reminder" => {
            let lead = lead_minutes
                .and_then(|minutes| u32::try_from(minutes).ok())
                .and_then(Lead::from_minutes)
                .ok_or_else(|| corrupt(format!("reminder {id} without a lead")))?;
            match (appointment, subject_at) {
                (Some(appointment), Some(starts_at)) => JobKind::Reminder { appointment, starts_at, lead },
                _ => return Err(corrupt(format!("reminder {id} without its appointment"))),
            }
        }
        "no_show" => {
            JobKind::NoShowFollowUp { appointment: appointment.ok_or_else(|| missing("appointment"))? }
        }
        "auto_no_show" => {
            JobKind::AutoNoShow { appointment: appointment.ok_or_else(|| missing("appointment"))? }
        }
        "waitlist" => JobKind::WaitlistOffer {
            appointment: appointment.ok_or_else(|| missing("appointment"))?,
            professional: ProfessionalId(professional.ok_or_else(|| missing("professional"))?),
            starts_at: subject_at.ok_or_else(|| missing("start"))?,
        },
        "package_expiry" => {
            JobKind::PackageExpiry { package: PatientPackageId(package.ok_or_else(|| missing("package"))?) }
        }
        other => return Err(corrupt(format!("kind '{other}'"))),
    };
    Ok(ClaimedJob {
        id: JobId(id),
        clinic: ClinicId(clinic),
        kind,
        attempts: u32::try_from(attempts).unwrap_or(0),
    })
}
