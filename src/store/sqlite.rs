//! The embedded default: SQLite in one file under `data/`.
//!
//! SQLite allows one writer at a time, so all writes go through a pool of exactly one
//! connection: transactions never interleave, which is what makes the appointment overlap
//! check below as strong as PostgreSQL's exclusion constraint (the inbox's group commit, too:
//! it runs on this connection's own handle, see `messages::sqlite_handle`). Reads use a separate pool
//! (WAL mode lets them run beside the writer, and they see every committed write).

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sofia_core::domain::AppointmentId;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult, SqliteSynchronous,
};
use sqlx::{Pool, Sqlite, Transaction};
use uuid::Uuid;

use super::dialect::{Beside, Dialect, Slot, SqlStore};
use super::messages::batch::BatchWritten;
use super::messages::{hold_handle, write_on_handle};
use super::{HeldWork, InboundWrite, StoreError, StoreResult};

pub type SqliteStore = SqlStore<Sqlite>;

impl SqlStore<Sqlite> {
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
            // FULL: every commit is on disk before it returns. Under WAL, NORMAL survives an
            // application crash but a power cut or an OS crash can lose the last commits, and
            // those include webhooks already acknowledged, which the provider never resends.
            // The inbox's group commit makes one fsync per batch affordable.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Statement journals (the undo log SQLite keeps while a multi-row insert runs inside
            // a transaction, in case the statement fails halfway) in memory, not in a temporary
            // file created, written and closed for every statement: under `bench/ingest-ratio`
            // those files were a fifth of the writer thread's profile. A journal is at most the
            // pages one statement changes, and nothing durable lives there.
            .pragma("temp_store", "memory")
            // The commit that takes the WAL past this many pages copies what is left of them into
            // the database file, with its own fsyncs, while every webhook of that commit waits.
            // The checkpointer ([`checkpoint_beside`]) copies them first, off the commit path; this
            // is its backstop, and what lets the WAL file start over.
            .pragma("wal_autocheckpoint", BACKSTOP_PAGES.to_string())
            .busy_timeout(Duration::from_secs(5));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A connection to a local file does not go stale; the pool already checks it when it
            // comes back. Skipping the second check saves every write, a group commit included, a
            // round trip to the connection's thread while the one writer is waited for.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        let beside = Some(Arc::new(Beside(tokio::spawn(checkpoint_beside(checkpointer)))));
        let reader = SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await;
        // A brand-new file has no WAL yet, so a read-only connection may fail until the
        // writer has created the schema; migrate first, then open readers.
        let reader = match reader {
            Ok(reader) => reader,
            Err(_) => writer.clone(),
        };
        Ok(SqlStore { writer, reader, beside })
    }
}

/// Pages the WAL may hold before a commit checkpoints it itself (64 MB).
const BACKSTOP_PAGES: u32 = 16_384;
/// How often the checkpointer copies the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(50);

/// Copies committed WAL pages into the database file, on a connection of its own, every
/// [`CHECKPOINT_EVERY`]. A passive checkpoint takes no lock a writer or a reader waits for, so
/// it runs beside the commits. Left to the commits (SQLite's automatic checkpoint), the copy and
/// its fsyncs ran inside the group commit that crossed the threshold, and every webhook of that
/// batch waited: under `bench/ingest-ratio sqlite` that stall set the p99, 26–108 ms against
/// 16–19 ms with this (docs/architecture.md).
async fn checkpoint_beside(checkpointer: Pool<Sqlite>) {
    let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        ticks.tick().await;
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&checkpointer).await {
            Ok(_) => failing = false,
            Err(error) if !failing => {
                // Commits still checkpoint at the backstop; said once until it works again.
                tracing::warn!(error = &error as &dyn std::error::Error, "could not checkpoint the WAL");
                failing = true;
            }
            Err(_) => {}
        }
    }
}

impl Dialect for Sqlite {
    const SKIP_LOCKED: &'static str = "";

    async fn migrate(pool: &Pool<Self>) -> StoreResult<()> {
        sqlx::migrate!("./migrations/sqlite").run(pool).await.map_err(StoreError::Migration)
    }

    /// SQLite has no exclusion constraint: the clash is looked for inside the single writer's
    /// transaction, where no other write can slip in between the check and the insert.
    async fn refuse_overlap(tx: &mut Transaction<'_, Sqlite>, slot: Slot) -> StoreResult<()> {
        let clash: Option<Uuid> = sqlx::query_scalar(
            "SELECT id FROM appointments WHERE professional_id = $1 AND status IN ('scheduled', 'confirmed') \
             AND starts_at < $3 AND ends_at > $2 AND ($4 IS NULL OR id <> $4) LIMIT 1",
        )
        .bind(slot.professional.0)
        .bind(slot.starts)
        .bind(slot.ends)
        .bind(slot.except.map(|id| id.0))
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::db("check for overlapping appointments"))?;
        if clash.is_some() { Err(StoreError::SlotTaken) } else { Ok(()) }
    }

    /// The single writer already runs one change at a time.
    async fn lock_appointment(_tx: &mut Transaction<'_, Sqlite>, _id: AppointmentId) -> StoreResult<()> {
        Ok(())
    }

    /// A clash was refused before the write (see `refuse_overlap`): any error here is the
    /// database's.
    fn slot_error(error: sqlx::Error, operation: &'static str) -> StoreError {
        StoreError::Database { operation, source: error }
    }

    async fn write_inbound_batch(store: &SqliteStore, order: &[&InboundWrite]) -> StoreResult<BatchWritten> {
        write_on_handle(&store.writer, order).await
    }

    const ONE_WRITER: bool = true;

    async fn hold_inbound_writer(store: &SqliteStore, work: HeldWork<'_>) -> StoreResult<()> {
        hold_handle(&store.writer, work).await
    }

    fn rows_affected(result: &SqliteQueryResult) -> u64 {
        result.rows_affected()
    }
}
