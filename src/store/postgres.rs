//! The production adapter: PostgreSQL 15+.
//!
//! The overlap guarantee is the database's own: the `appointments_no_overlap` exclusion
//! constraint refuses a second live appointment of a professional at the same time, however
//! many replicas write at once. Its violation (SQLSTATE 23P01) becomes [`StoreError::SlotTaken`].

use std::str::FromStr;
use std::time::Duration;

use sofia_core::domain::AppointmentId;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};
use sqlx::{Pool, Postgres, Transaction};

use super::dialect::{Dialect, Slot, SqlStore};
use super::messages::batch::BatchWritten;
use super::messages::write_in_one_statement;
use super::{HeldWork, InboundWrite, StoreError, StoreResult};

pub type PgStore = SqlStore<Postgres>;

impl SqlStore<Postgres> {
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
        // Every connection reads what any other committed: one pool serves both.
        Ok(SqlStore { writer: pool.clone(), reader: pool, beside: None })
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

impl Dialect for Postgres {
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";

    async fn migrate(pool: &Pool<Self>) -> StoreResult<()> {
        sqlx::migrate!("./migrations/postgres").run(pool).await.map_err(StoreError::Migration)
    }

    /// Nothing to check first: `appointments_no_overlap` refuses the write itself, whoever
    /// writes, and [`Dialect::slot_error`] turns that into `SlotTaken`.
    async fn refuse_overlap(_tx: &mut Transaction<'_, Postgres>, _slot: Slot) -> StoreResult<()> {
        Ok(())
    }

    /// Row lock: two concurrent changes of one appointment apply one after the other.
    async fn lock_appointment(tx: &mut Transaction<'_, Postgres>, id: AppointmentId) -> StoreResult<()> {
        sqlx::query("SELECT id FROM appointments WHERE id = $1 FOR UPDATE")
            .bind(id.0)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("lock an appointment"))?;
        Ok(())
    }

    async fn write_inbound_batch(store: &PgStore, order: &[&InboundWrite]) -> StoreResult<BatchWritten> {
        write_in_one_statement(&store.writer, order).await
    }

    /// Many connections write at once, and a batch is one statement on whichever is free.
    const ONE_WRITER: bool = false;

    async fn hold_inbound_writer(_: &PgStore, _: HeldWork<'_>) -> StoreResult<()> {
        Err(StoreError::NoWriterToHold)
    }

    fn slot_error(error: sqlx::Error, operation: &'static str) -> StoreError {
        match &error {
            sqlx::Error::Database(db) if db.code().as_deref() == Some("23P01") => StoreError::SlotTaken,
            // Two writes racing for one slot can deadlock while the exclusion constraint is
            // checked; PostgreSQL aborts one, and the other gets the slot.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("40P01") => StoreError::SlotTaken,
            _ => StoreError::Database { operation, source: error },
        }
    }

    fn rows_affected(result: &PgQueryResult) -> u64 {
        result.rows_affected()
    }
}
