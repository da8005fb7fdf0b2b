//! The embedded default: SQLite in one file under `data/`.
//!
//! SQLite allows one writer at a time, so all writes go through a pool of exactly one
//! connection: transactions never interleave, which is what makes the appointment overlap
//! check below as strong as PostgreSQL's exclusion constraint. Reads use a separate pool
//! (WAL mode lets them run beside the writer).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sofia_core::domain::ProfessionalId;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use super::appointments::appointment_queries;
use super::delivery::delivery_queries;
use super::llm_usage::llm_usage_queries;
use super::shared::shared_store_impls;

type Backend = Sqlite;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL or a plain path.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Connect(format!("cannot create {}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))
            .map_err(|e| StoreError::Connect(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable across application crashes in WAL mode; only a power loss
            // can lose the last commits, which is the trade every embedded default makes.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        let reader = SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await;
        // A brand-new file has no WAL yet, so a read-only connection may fail until the
        // writer has created the schema; migrate first, then open readers.
        let reader = match reader {
            Ok(reader) => reader,
            Err(_) => writer.clone(),
        };
        Ok(SqliteStore { writer, reader })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/sqlite").run(&self.writer).await.map_err(StoreError::Migration)
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// Whether the professional has a live appointment overlapping `[starts, ends)`, other
    /// than `except`. Runs inside the single writer's transaction.
    async fn overlaps(
        tx: &mut sqlx::Transaction<'_, Sqlite>,
        professional: ProfessionalId,
        starts: DateTime<Utc>,
        ends: DateTime<Utc>,
        except: Option<AppointmentId>,
    ) -> StoreResult<bool> {
        let clash: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM appointments WHERE professional_id = $1 AND status IN ('scheduled', 'confirmed') \
             AND starts_at < $3 AND ends_at > $2 AND ($4 IS NULL OR id <> $4) LIMIT 1",
        )
        .bind(professional.0)
        .bind(starts)
        .bind(ends)
        .bind(except.map(|id| id.0))
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::db("check for overlapping appointments"))?;
        Ok(clash.is_some())
    }
}

shared_store_impls!(SqliteStore);
appointment_queries!();
llm_usage_queries!(SqliteStore);
delivery_queries!(SqliteStore);

/// SQLite has no exclusion constraint: a clash is found by [`SqliteStore::overlaps`] first.
fn slot_error(error: sqlx::Error, operation: &'static str) -> StoreError {
    StoreError::Database { operation, source: error }
}

#[async_trait::async_trait]
impl AppointmentStore for SqliteStore {
    async fn insert_appointment(&self, new: &NewAppointment, now: DateTime<Utc>) -> StoreResult<Appointment> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin a booking"))?;
        if new.status.is_active()
            && Self::overlaps(&mut tx, new.professional_id, new.starts_at, new.ends_at, None).await?
        {
            return Err(StoreError::SlotTaken);
        }
        let appointment = insert_row(&mut tx, new, now).await.map_err(StoreError::db("book"))?;
        tx.commit().await.map_err(StoreError::db("commit a booking"))?;
        appointment.try_into()
    }

    async fn appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
    ) -> StoreResult<Option<Appointment>> {
        find(self.reader(), clinic, patient, id).await
    }

    async fn patient_appointments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        from: DateTime<Utc>,
    ) -> StoreResult<Vec<Appointment>> {
        of_patient(self.reader(), clinic, patient, from).await
    }

    async fn busy_intervals(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BusyInterval>> {
        busy(self.reader(), clinic, from, to).await
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
        if let AppointmentChange::Reschedule { professional_id, starts_at, ends_at, .. } = change
            && Self::overlaps(&mut tx, *professional_id, *starts_at, *ends_at, Some(id)).await?
        {
            return Err(StoreError::SlotTaken);
        }
        let appointment = apply_change(&mut tx, clinic, patient, id, change, now).await?;
        tx.commit().await.map_err(StoreError::db("commit an appointment change"))?;
        Ok(appointment)
    }

    async fn add_patient_package(
        &self,
        new: &NewPatientPackage,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientPackage> {
        add_package(self.writer(), new, now).await
    }

    async fn patient_packages(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<PatientPackage>> {
        packages_of(self.reader(), clinic, patient).await
    }
}
