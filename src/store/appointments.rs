//! Appointments and packages. The overlap guarantee is the engine's (see [`Dialect`]): SQLite
//! checks inside its single writer's transaction, PostgreSQL's exclusion constraint refuses.
//! A booking, a move and a cancellation queue their CRM event in their own transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{AppointmentId, ClinicId, CrmEvent, PatientId, PatientPackageId};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, Slot, SqlStore, SqlType};
use super::rows::{
    self, APPOINTMENT_COLUMNS, AppointmentRow, BusyRow, PATIENT_PACKAGE_COLUMNS, PatientPackageRow,
};
use super::{
    Appointment, AppointmentChange, BusyInterval, JobKind, NewAppointment, NewPatientPackage, PatientPackage,
    StoreError, StoreResult,
};

/// Every write is scoped by clinic and, where a patient acts, by patient: another patient's id
/// is simply not found.
#[async_trait]
pub trait AppointmentStore: Send + Sync {
    /// Books atomically: fails with [`StoreError::SlotTaken`] if the professional already has a
    /// live appointment overlapping it, whoever wrote it and however many write at once.
    async fn insert_appointment(&self, new: &NewAppointment, now: DateTime<Utc>) -> StoreResult<Appointment>;
    /// The appointment, if it belongs to this clinic (and to `patient`, when given).
    async fn appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
    ) -> StoreResult<Option<Appointment>>;
    /// A patient's appointments starting at or after `from`, earliest first, any status.
    async fn patient_appointments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        from: DateTime<Utc>,
    ) -> StoreResult<Vec<Appointment>>;
    /// Live appointments overlapping `[from, to)`, for slot computation.
    async fn busy_intervals(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BusyInterval>>;
    async fn change_appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
        change: &AppointmentChange,
        now: DateTime<Utc>,
    ) -> StoreResult<Appointment>;
    async fn add_patient_package(
        &self,
        new: &NewPatientPackage,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientPackage>;
    async fn patient_packages(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<PatientPackage>>;
    async fn patient_package(
        &self,
        clinic: ClinicId,
        id: PatientPackageId,
    ) -> StoreResult<Option<PatientPackage>>;
    /// How many of the patient's appointments were missed (`no_show`).
    async fn no_show_count(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<u32>;
}

#[async_trait]
impl<DB> AppointmentStore for SqlStore<DB>
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
    async fn insert_appointment(&self, new: &NewAppointment, now: DateTime<Utc>) -> StoreResult<Appointment> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin a booking"))?;
        if new.status.is_active() {
            let slot = Slot {
                professional: new.professional_id,
                starts: new.starts_at,
                ends: new.ends_at,
                except: None,
            };
            DB::refuse_overlap(&mut tx, slot).await?;
        }
        let sql = format!(
            "INSERT INTO appointments (id, clinic_id, patient_id, professional_id, service_id, \
             patient_package_id, starts_at, ends_at, status, booked_by, price_cents, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING {APPOINTMENT_COLUMNS}"
        );
        let row: AppointmentRow = sqlx::query_as(&sql)
            .bind(new.id.0)
            .bind(new.clinic_id.0)
            .bind(new.patient_id.0)
            .bind(new.professional_id.0)
            .bind(new.service_id.0)
            .bind(new.patient_package_id.map(|p| p.0))
            .bind(new.starts_at)
            .bind(new.ends_at)
            .bind(new.status.as_str())
            .bind(new.booked_by.as_str())
            .bind(new.price.centavos())
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| DB::slot_error(e, "book"))?;
        let appointment: Appointment = row.try_into()?;
        if appointment.status.is_active() {
            Self::appointment_event(&mut tx, CrmEvent::AppointmentBooked, &appointment, &appointment, now)
                .await?;
        }
        tx.commit().await.map_err(|e| DB::slot_error(e, "commit a booking"))?;
        Ok(appointment)
    }

    async fn appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
    ) -> StoreResult<Option<Appointment>> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments \
             WHERE clinic_id = $1 AND id = $2 AND ($3 IS NULL OR patient_id = $3)"
        );
        let row: Option<AppointmentRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(id.0)
            .bind(patient.map(|p| p.0))
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read an appointment"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn patient_appointments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        from: DateTime<Utc>,
    ) -> StoreResult<Vec<Appointment>> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments \
             WHERE clinic_id = $1 AND patient_id = $2 AND starts_at >= $3 ORDER BY starts_at, id"
        );
        let rows: Vec<AppointmentRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(patient.0)
            .bind(from)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list a patient's appointments"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn busy_intervals(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BusyInterval>> {
        let rows: Vec<BusyRow> = sqlx::query_as(
            "SELECT id, professional_id, starts_at, ends_at FROM appointments \
             WHERE clinic_id = $1 AND status IN ('scheduled', 'confirmed') AND starts_at < $3 AND ends_at > $2 \
             ORDER BY professional_id, starts_at",
        )
        .bind(clinic.0)
        .bind(from)
        .bind(to)
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read busy times"))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn change_appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
        change: &AppointmentChange,
        now: DateTime<Utc>,
    ) -> StoreResult<Appointment> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin an appointment change"))?;
        DB::lock_appointment(&mut tx, id).await?;
        if let AppointmentChange::Reschedule { professional_id, starts_at, ends_at, .. } = change {
            let slot =
                Slot { professional: *professional_id, starts: *starts_at, ends: *ends_at, except: Some(id) };
            DB::refuse_overlap(&mut tx, slot).await?;
        }
        let (before, appointment) = Self::apply_change(&mut tx, clinic, patient, id, change, now).await?;
        let event = match change {
            AppointmentChange::Reschedule { .. } => Some(CrmEvent::AppointmentRescheduled),
            AppointmentChange::Cancel { .. } => Some(CrmEvent::AppointmentCancelled),
            AppointmentChange::Confirm | AppointmentChange::Complete | AppointmentChange::NoShow => None,
        };
        if let Some(event) = event {
            Self::appointment_event(&mut tx, event, &appointment, &before, now).await?;
        }
        tx.commit().await.map_err(|e| DB::slot_error(e, "commit an appointment change"))?;
        Ok(appointment)
    }

    async fn add_patient_package(
        &self,
        new: &NewPatientPackage,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientPackage> {
        let sql = format!(
            "INSERT INTO patient_packages (id, clinic_id, patient_id, package_id, sessions_total, sessions_used, \
             purchased_on, expires_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING {PATIENT_PACKAGE_COLUMNS}"
        );
        let row: PatientPackageRow = sqlx::query_as(&sql)
            .bind(new.id.0)
            .bind(new.clinic_id.0)
            .bind(new.patient_id.0)
            .bind(new.package_id.0)
            .bind(i32::try_from(new.sessions_total).unwrap_or(i32::MAX))
            .bind(i32::try_from(new.sessions_used).unwrap_or(i32::MAX))
            .bind(new.purchased_on)
            .bind(new.expires_on)
            .bind(now)
            .fetch_one(&self.writer)
            .await
            .map_err(StoreError::db("add a package"))?;
        row.try_into()
    }

    async fn patient_packages(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<PatientPackage>> {
        let sql = format!(
            "SELECT {PATIENT_PACKAGE_COLUMNS} FROM patient_packages \
             WHERE clinic_id = $1 AND patient_id = $2 ORDER BY purchased_on, id"
        );
        let rows: Vec<PatientPackageRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(patient.0)
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list a patient's packages"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn patient_package(
        &self,
        clinic: ClinicId,
        id: PatientPackageId,
    ) -> StoreResult<Option<PatientPackage>> {
        let sql = format!(
            "SELECT {PATIENT_PACKAGE_COLUMNS} FROM patient_packages WHERE clinic_id = $1 AND id = $2"
        );
        let row: Option<PatientPackageRow> = sqlx::query_as(&sql)
            .bind(clinic.0)
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("read a package"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn no_show_count(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<u32> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM appointments WHERE clinic_id = $1 AND patient_id = $2 AND status = 'no_show'",
        )
        .bind(clinic.0)
        .bind(patient.0)
        .fetch_one(&self.reader)
        .await
        .map_err(StoreError::db("count a patient's no-shows"))?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}

/// Whether `change` gives back time still ahead that `current` held: a cancellation, a move
/// away from it, or a no-show marked before it ended.
fn frees_its_time(current: &Appointment, change: &AppointmentChange, now: DateTime<Utc>) -> bool {
    let moved_away = match change {
        AppointmentChange::Cancel { .. } | AppointmentChange::NoShow => true,
        AppointmentChange::Reschedule { professional_id, starts_at, .. } => {
            *professional_id != current.professional_id || *starts_at != current.starts_at
        }
        AppointmentChange::Confirm | AppointmentChange::Complete => false,
    };
    moved_away && current.status.is_active() && current.starts_at > now
}

impl<DB> SqlStore<DB>
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
    /// Applies a change inside the caller's transaction, after the caller has made sure a
    /// rescheduled time is free (or left that to the engine's constraint). Answers the
    /// appointment before and after.
    async fn apply_change(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
        change: &AppointmentChange,
        now: DateTime<Utc>,
    ) -> StoreResult<(Appointment, Appointment)> {
        let sql = format!(
            "SELECT {APPOINTMENT_COLUMNS} FROM appointments \
             WHERE clinic_id = $1 AND id = $2 AND ($3 IS NULL OR patient_id = $3)"
        );
        let current: Appointment = sqlx::query_as::<_, AppointmentRow>(&sql)
            .bind(clinic.0)
            .bind(id.0)
            .bind(patient.map(|p| p.0))
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::db("read an appointment"))?
            .ok_or(StoreError::NotFound("appointment"))?
            .try_into()?;
        rows::check_transition(current.status, change)?;
        let update = match change {
            AppointmentChange::Confirm => {
                sqlx::query("UPDATE appointments SET status = 'confirmed', updated_at = $2 WHERE id = $1")
                    .bind(id.0)
                    .bind(now)
            }
            AppointmentChange::Cancel { reason, late_fee, .. } => sqlx::query(
                "UPDATE appointments SET status = 'cancelled', cancellation_reason = $2, late_fee_cents = $3, \
                 cancelled_at = $4, updated_at = $4 WHERE id = $1",
            )
            .bind(id.0)
            .bind(reason.as_str())
            .bind(late_fee.map(|f| f.centavos()))
            .bind(now),
            AppointmentChange::Reschedule { professional_id, starts_at, ends_at, late_fee, .. } => sqlx::query(
                "UPDATE appointments SET professional_id = $2, starts_at = $3, ends_at = $4, \
                 status = 'scheduled', late_fee_cents = COALESCE($5, late_fee_cents), updated_at = $6 WHERE id = $1",
            )
            .bind(id.0)
            .bind(professional_id.0)
            .bind(*starts_at)
            .bind(*ends_at)
            .bind(late_fee.map(|f| f.centavos()))
            .bind(now),
            AppointmentChange::Complete => {
                sqlx::query("UPDATE appointments SET status = 'completed', updated_at = $2 WHERE id = $1")
                    .bind(id.0)
                    .bind(now)
            }
            AppointmentChange::NoShow => {
                sqlx::query("UPDATE appointments SET status = 'no_show', updated_at = $2 WHERE id = $1")
                    .bind(id.0)
                    .bind(now)
            }
        };
        update.execute(&mut **tx).await.map_err(|e| DB::slot_error(e, "change an appointment"))?;
        if frees_its_time(&current, change, now) {
            Self::offer_to_waitlist(tx, &current, now).await?;
        }
        if let (true, Some(package)) = (change.consumes_package_session(), current.patient_package_id) {
            Self::use_package_session(tx, package, now).await?;
        }
        let sql = format!("SELECT {APPOINTMENT_COLUMNS} FROM appointments WHERE id = $1");
        let changed = sqlx::query_as::<_, AppointmentRow>(&sql)
            .bind(id.0)
            .fetch_one(&mut **tx)
            .await
            .map_err(StoreError::db("read a changed appointment"))?
            .try_into()?;
        Ok((current, changed))
    }

    /// Plans offering the time `freed` held to the waitlist, in the transaction that freed it,
    /// so that no freeing is missed whoever made it (a tool, the team, the scheduler). Only
    /// when someone is waiting: most cancellations plan nothing.
    async fn offer_to_waitlist(
        tx: &mut Transaction<'_, DB>,
        freed: &Appointment,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let kind = JobKind::WaitlistOffer {
            appointment: freed.id,
            professional: freed.professional_id,
            starts_at: freed.starts_at,
        };
        sqlx::query(
            "INSERT INTO jobs (id, clinic_id, job_key, kind, appointment_id, subject_at, professional_id, state, \
             run_at, created_at, updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, 'due', $8, $8, $8 \
             WHERE EXISTS (SELECT 1 FROM waitlist WHERE clinic_id = $2 AND status IN ('waiting', 'offered')) \
             ON CONFLICT (job_key) DO NOTHING",
        )
        .bind(Uuid::now_v7())
        .bind(freed.clinic_id.0)
        .bind(kind.key().as_str())
        .bind(kind.as_str())
        .bind(freed.id.0)
        .bind(freed.starts_at)
        .bind(freed.professional_id.0)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::db("plan a waitlist offer"))?;
        Ok(())
    }

    /// Takes one session of the patient's package, or fails if none is left.
    async fn use_package_session(
        tx: &mut Transaction<'_, DB>,
        package: PatientPackageId,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let used = sqlx::query(
            "UPDATE patient_packages SET sessions_used = sessions_used + 1, updated_at = $2 \
             WHERE id = $1 AND sessions_used < sessions_total",
        )
        .bind(package.0)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::db("use a package session"))?;
        if DB::rows_affected(&used) == 0 { Err(StoreError::PackageExhausted) } else { Ok(()) }
    }
}
