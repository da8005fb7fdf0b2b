//! The production adapter: PostgreSQL 15+.
//!
//! The overlap guarantee is the database's own: the `appointments_no_overlap` exclusion
//! constraint refuses a second live appointment of a professional at the same time, however
//! many replicas write at once. Its violation (SQLSTATE 23P01) becomes [`StoreError::SlotTaken`].

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

use super::appointments::appointment_queries;
use super::delivery::delivery_queries;
use super::llm_usage::llm_usage_queries;
use super::shared::shared_store_impls;

type Backend = Postgres;

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Connect(redact_error(&e)))?;
        Self::connect_with(options).await
    }

    /// Connects with explicit options (tests use this to give each test its own schema).
    pub async fn connect_with(options: PgConnectOptions) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect(redact_error(&e)))?;
        Ok(PgStore { pool })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres").run(&self.pool).await.map_err(StoreError::Migration)
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }
}

/// sqlx's connection errors can quote the URL; keep only the kind of failure.
fn redact_error(error: &sqlx::Error) -> String {
    match error {
        sqlx::Error::Configuration(_) => "the database URL is not valid".to_owned(),
        sqlx::Error::Io(e) => format!("cannot reach the database: {}", e.kind()),
        sqlx::Error::Tls(_) => "TLS handshake with the database failed".to_owned(),
        sqlx::Error::PoolTimedOut => "timed out connecting to the database".to_owned(),
        sqlx::Error::Database(e) => format!("the database refused the connection: {}", e.message()),
        _ => "cannot connect to the database".to_owned(),
    }
}

shared_store_impls!(PgStore);
appointment_queries!();
llm_usage_queries!(PgStore);
delivery_queries!(PgStore);

fn slot_error(error: sqlx::Error, operation: &'static str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("23P01") => StoreError::SlotTaken,
        _ => StoreError::Database { operation, source: error },
    }
}

#[async_trait::async_trait]
impl AppointmentStore for PgStore {
    async fn insert_appointment(&self, new: &NewAppointment, now: DateTime<Utc>) -> StoreResult<Appointment> {
        let mut tx = self.pool.begin().await.map_err(StoreError::db("begin a booking"))?;
        let row = insert_row(&mut tx, new, now).await.map_err(|e| slot_error(e, "book"))?;
        tx.commit().await.map_err(|e| slot_error(e, "commit a booking"))?;
        row.try_into()
    }

    async fn appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
    ) -> StoreResult<Option<Appointment>> {
        find(&self.pool, clinic, patient, id).await
    }

    async fn patient_appointments(
        &self,
        clinic: ClinicId,
        patient: PatientId,
        from: DateTime<Utc>,
    ) -> StoreResult<Vec<Appointment>> {
        of_patient(&self.pool, clinic, patient, from).await
    }

    async fn busy_intervals(
        &self,
        clinic: ClinicId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<BusyInterval>> {
        busy(&self.pool, clinic, from, to).await
    }

    async fn change_appointment(
        &self,
        clinic: ClinicId,
        patient: Option<PatientId>,
        id: AppointmentId,
        change: &AppointmentChange,
        now: DateTime<Utc>,
    ) -> StoreResult<Appointment> {
        let mut tx = self.pool.begin().await.map_err(StoreError::db("begin an appointment change"))?;
        // Row lock: two concurrent changes of one appointment apply one after the other.
        sqlx::query("SELECT id FROM appointments WHERE id = $1 FOR UPDATE")
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("lock an appointment"))?;
        let appointment = apply_change(&mut tx, clinic, patient, id, change, now).await?;
        tx.commit().await.map_err(|e| slot_error(e, "commit an appointment change"))?;
        Ok(appointment)
    }

    async fn add_patient_package(
        &self,
        new: &NewPatientPackage,
        now: DateTime<Utc>,
    ) -> StoreResult<PatientPackage> {
        add_package(&self.pool, new, now).await
    }

    async fn patient_packages(
        &self,
        clinic: ClinicId,
        patient: PatientId,
    ) -> StoreResult<Vec<PatientPackage>> {
        packages_of(&self.pool, clinic, patient).await
    }
}
