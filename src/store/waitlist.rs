//! The waitlist: patients waiting for a slot that fits when none was free, in order of arrival,
//! and the freed slots offered to them one at a time.
//!
//! An offer holds its slot for the patient it went to until `held_until`: [`WaitlistStore::holds`]
//! is what `find_slots` keeps out of everyone else's offers meanwhile. A job (`JobKind::WaitlistOffer`)
//! walks the line for one freed slot; each entry is offered that slot once (unique by job and
//! entry), so a patient who declined or let the hold lapse is not asked again about it.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ClinicId, PatientId, ProfessionalId, ServiceId};
use sofia_core::scheduling::Period;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::jobs::JobId;
use super::{StoreError, StoreResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WaitlistEntryId(pub Uuid);

impl fmt::Display for WaitlistEntryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a patient is waiting for: a slot of this service (with this professional, when named)
/// on one of these local days (in this period, when named).
#[derive(Debug, Clone, PartialEq)]
pub struct NewWaitlistEntry {
    pub clinic: ClinicId,
    pub patient: PatientId,
    pub service: ServiceId,
    pub professional: Option<ProfessionalId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: Option<Period>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitlistStatus {
    /// In line.
    Waiting,
    /// A freed slot is held for them now.
    Offered,
    /// They booked a slot they were offered.
    Booked,
    /// Its last day passed.
    Expired,
}

impl WaitlistStatus {
    fn as_str(self) -> &'static str {
        match self {
            WaitlistStatus::Waiting => "waiting",
            WaitlistStatus::Offered => "offered",
            WaitlistStatus::Booked => "booked",
            WaitlistStatus::Expired => "expired",
        }
    }

    fn parse(text: &str) -> Option<WaitlistStatus> {
        [WaitlistStatus::Waiting, WaitlistStatus::Offered, WaitlistStatus::Booked, WaitlistStatus::Expired]
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaitlistEntry {
    pub id: WaitlistEntryId,
    pub clinic: ClinicId,
    pub patient: PatientId,
    pub service: ServiceId,
    pub professional: Option<ProfessionalId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub period: Option<Period>,
    pub status: WaitlistStatus,
    pub created_at: DateTime<Utc>,
}

/// What became of a freed slot offered to one patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferStatus {
    /// Kept for them until `held_until`.
    Held,
    /// They said no: the next in line is offered it.
    Declined,
    /// The hold ran out without an answer: the next in line is offered it.
    Lapsed,
    /// They booked it.
    Booked,
    /// Someone else took the time before they booked it.
    Taken,
}

impl OfferStatus {
    fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Held => "held",
            OfferStatus::Declined => "declined",
            OfferStatus::Lapsed => "lapsed",
            OfferStatus::Booked => "booked",
            OfferStatus::Taken => "taken",
        }
    }

    fn parse(text: &str) -> Option<OfferStatus> {
        [
            OfferStatus::Held,
            OfferStatus::Declined,
            OfferStatus::Lapsed,
            OfferStatus::Booked,
            OfferStatus::Taken,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// A freed slot to offer to the entry `entry`, held until `held_until`.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWaitlistOffer {
    pub clinic: ClinicId,
    pub job: JobId,
    pub entry: WaitlistEntryId,
    pub patient: PatientId,
    pub professional: ProfessionalId,
    pub service: ServiceId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaitlistOffer {
    pub id: Uuid,
    pub entry: WaitlistEntryId,
    pub patient: PatientId,
    pub professional: ProfessionalId,
    pub starts_at: DateTime<Utc>,
    pub held_until: DateTime<Utc>,
    pub status: OfferStatus,
}

/// A professional's time held for the patient a freed slot was offered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    pub patient: PatientId,
    pub professional: ProfessionalId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

#[async_trait]
pub trait WaitlistStore: Send + Sync {
    async fn join_waitlist(&self, new: &NewWaitlistEntry, now: DateTime<Utc>) -> StoreResult<WaitlistEntry>;
    /// A patient's entries, oldest first, any status.
    async fn waitlist_entries(&self, clinic: ClinicId, patient: PatientId)
    -> StoreResult<Vec<WaitlistEntry>>;
    /// The entries in line for a slot on `day` that the job `job` has not offered it to yet,
    /// oldest first; patients who opted out are not in it.
    async fn waitlist_line(
        &self,
        clinic: ClinicId,
        job: JobId,
        day: NaiveDate,
    ) -> StoreResult<Vec<WaitlistEntry>>;
    /// Records the offer, holding the slot, and takes its entry out of line meanwhile.
    async fn offer_from_waitlist(&self, new: &NewWaitlistOffer, now: DateTime<Utc>) -> StoreResult<()>;
    /// The job's latest offer.
    async fn latest_offer(&self, job: JobId) -> StoreResult<Option<WaitlistOffer>>;
    /// Ends a held offer: its entry is booked (`Booked`) or back in line.
    async fn settle_offer(&self, offer: Uuid, status: OfferStatus, now: DateTime<Utc>) -> StoreResult<()>;
    /// The patient says no to the slot held for them: the hold ends and its job is due at
    /// once, to offer it to the next in line. False when nothing was held for them.
    async fn decline_waitlist_offer(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Slots held at `now` overlapping `[from, to)`.
    async fn holds(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Hold>>;
    /// Entries whose last day is before `today` leave the line. Returns how many.
    async fn expire_waitlist(
        &self,
        clinic: ClinicId,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
}

type EntryRow =
    (Uuid, Uuid, Uuid, Uuid, Option<Uuid>, NaiveDate, NaiveDate, Option<String>, String, DateTime<Utc>);
type OfferRow = (Uuid, Uuid, Uuid, Uuid, DateTime<Utc>, DateTime<Utc>, String);

const ENTRY_COLUMNS: &str = "w.id, w.clinic_id, w.patient_id, w.service_id, w.professional_id, w.date_from, \
    w.date_to, w.period, w.status, w.created_at";
const OFFER_COLUMNS: &str = "id, entry_id, patient_id, professional_id, starts_at, held_until, status";

#[async_trait]
impl<DB> WaitlistStore for SqlStore<DB>
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
    async fn join_waitlist(&self, new: &NewWaitlistEntry, now: DateTime<Utc>) -> StoreResult<WaitlistEntry> {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO waitlist (id, clinic_id, patient_id, service_id, professional_id, date_from, date_to, \
             period, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'waiting', $9, $9)",
        )
        .bind(id)
        .bind(new.clinic.0)
        .bind(new.patient.0)
        .bind(new.service.0)
        .bind(new.professional.map(|p| p.0))
        .bind(new.from)
        .bind(new.to)
        .bind(new.period.map(period_str))
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("join the waitlist"))?;
        Ok(WaitlistEntry {
            id: WaitlistEntryId(id),
            clinic: new.clinic,
            patient: new.patient,
            service: new.service,
            professional: new.professional,
            from: new.from,
            to: new.to,
            period: new.period,
            status: WaitlistStatus::Waiting,
            created_at: now,
        })
    }

    async fn waitlist_entries(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<WaitlistEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM waitlist w WHERE w.clinic_id = $1 AND w.patient_id = $2 \
             ORDER BY w.created_at, w.id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(patient.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read a patient's waitlist"))?;
        rows.into_iter().map(entry).collect()
    }

    async fn waitlist_line(
        &self,
        clinic: ClinicId,
        job: JobId,
        day: NaiveDate,
    ) -> StoreResult<Vec<WaitlistEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM waitlist w JOIN patients p ON p.id = w.patient_id \
             WHERE w.clinic_id = $1 AND w.status = 'waiting' AND w.date_from <= $3 AND w.date_to >= $3 \
             AND p.opted_out_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM waitlist_offers o WHERE o.job_id = $2 AND o.entry_id = w.id) \
             ORDER BY w.created_at, w.id"
        );
        let rows: Vec<EntryRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(job.0)
            .bind(day)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("read the waitlist"))?;
        rows.into_iter().map(entry).collect()
    }

    async fn offer_from_waitlist(&self, new: &NewWaitlistOffer, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin a waitlist offer"))?;
        sqlx::query(
            "INSERT INTO waitlist_offers (id, clinic_id, job_id, entry_id, patient_id, professional_id, \
             service_id, starts_at, ends_at, held_until, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'held', $11, $11)",
        )
        .bind(Uuid::now_v7())
        .bind(new.clinic.0)
        .bind(new.job.0)
        .bind(new.entry.0)
        .bind(new.patient.0)
        .bind(new.professional.0)
        .bind(new.service.0)
        .bind(new.starts_at)
        .bind(new.ends_at)
        .bind(new.held_until)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("record a waitlist offer"))?;
        set_entry(&mut tx, new.entry.0, WaitlistStatus::Offered, now).await?;
        tx.commit().await.map_err(StoreError::db("commit a waitlist offer"))
    }

    async fn latest_offer(&self, job: JobId) -> StoreResult<Option<WaitlistOffer>> {
        let sql = format!(
            "SELECT {OFFER_COLUMNS} FROM waitlist_offers WHERE job_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1"
        );
        let row: Option<OfferRow> = sqlx::query_as(&sql)
            .bind(job.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a waitlist offer"))?;
        row.map(offer).transpose()
    }

    async fn settle_offer(&self, offer: Uuid, status: OfferStatus, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin settling an offer"))?;
        let entry: Option<Uuid> = sqlx::query_scalar(
            "UPDATE waitlist_offers SET status = $2, updated_at = $3 WHERE id = $1 AND status = 'held' \
             RETURNING entry_id",
        )
        .bind(offer)
        .bind(status.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::db("settle a waitlist offer"))?;
        if let Some(entry) = entry {
            let back =
                if status == OfferStatus::Booked { WaitlistStatus::Booked } else { WaitlistStatus::Waiting };
            set_entry(&mut tx, entry, back, now).await?;
        }
        tx.commit().await.map_err(StoreError::db("commit a settled offer"))
    }

    async fn decline_waitlist_offer(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin declining an offer"))?;
        let declined: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "UPDATE waitlist_offers SET status = 'declined', updated_at = $3 \
             WHERE clinic_id = $1 AND patient_id = $2 AND status = 'held' AND held_until > $3 \
             RETURNING entry_id, job_id",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .bind(now)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::db("decline a waitlist offer"))?;
        for (entry, job) in &declined {
            set_entry(&mut tx, *entry, WaitlistStatus::Waiting, now).await?;
            // The next in line need not wait for the hold to run out.
            sqlx::query("UPDATE jobs SET run_at = $2, updated_at = $2 WHERE id = $1 AND state = 'due'")
                .bind(*job)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("pass a declined offer on"))?;
        }
        tx.commit().await.map_err(StoreError::db("commit a declined offer"))?;
        Ok(!declined.is_empty())
    }

    async fn holds(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Hold>> {
        let rows: Vec<(Uuid, Uuid, DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT patient_id, professional_id, starts_at, ends_at FROM waitlist_offers \
             WHERE clinic_id = $1 AND status = 'held' AND held_until > $4 AND starts_at < $3 AND ends_at > $2",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read held slots"))?;
        Ok(rows
            .into_iter()
            .map(|(patient, professional, starts_at, ends_at)| Hold {
                patient: PatientId(patient),
                professional: ProfessionalId(professional),
                starts_at,
                ends_at,
            })
            .collect())
    }

    async fn expire_waitlist(
        &self,
        clinic: ClinicId,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let expired = sqlx::query(
            "UPDATE waitlist SET status = 'expired', updated_at = $3 \
             WHERE clinic_id = $1 AND status = 'waiting' AND date_to < $2",
        )
        .bind(clinic.0)
        .bind(today)
        .bind(now)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("expire waitlist entries"))?;
        Ok(DB::rows_affected(&expired))
    }
}

async fn set_entry<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    entry: Uuid,
    status: WaitlistStatus,
    now: DateTime<Utc>,
) -> StoreResult<()>
where
    DB: Dialect,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    Uuid: SqlType<DB>,
    DateTime<Utc>: SqlType<DB>,
{
    sqlx::query("UPDATE waitlist SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(entry)
        .bind(status.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::db("update a waitlist entry"))?;
    Ok(())
}

fn period_str(period: Period) -> &'static str {
    match period {
        Period::Manha => "manha",
        Period::Tarde => "tarde",
        Period::Noite => "noite",
    }
}

fn entry(row: EntryRow) -> StoreResult<WaitlistEntry> {
    let (id, clinic, patient, service, professional, from, to, period, status, created_at) = row;
    let corrupt = |problem: String| StoreError::Corrupt { table: "waitlist", problem };
    let period = match period {
        Some(text) => Some(
            Period::ALL
                .into_iter()
                .find(|period| period_str(*period) == text)
                .ok_or_else(|| corrupt(format!("period '{text}'")))?,
        ),
        None => None,
    };
    Ok(WaitlistEntry {
        id: WaitlistEntryId(id),
        clinic: ClinicId(clinic),
        patient: PatientId(patient),
        service: ServiceId(service),
        professional: professional.map(ProfessionalId),
        from,
        to,
        period,
        status: WaitlistStatus::parse(&status).ok_or_else(|| corrupt(format!("status '{status}'")))?,
        created_at,
    })
}

fn offer(row: OfferRow) -> StoreResult<WaitlistOffer> {
    let (id, entry, patient, professional, starts_at, held_until, status) = row;
    Ok(WaitlistOffer {
        id,
        entry: WaitlistEntryId(entry),
        patient: PatientId(patient),
        professional: ProfessionalId(professional),
        starts_at,
        held_until,
        status: OfferStatus::parse(&status).ok_or_else(|| StoreError::Corrupt {
            table: "waitlist_offers",
            problem: format!("status '{status}'"),
        })?,
    })
}
