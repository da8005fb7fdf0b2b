//! One store, generic over the SQL engine: [`SqlStore`] holds the pools, and [`Dialect`] carries
//! the little that differs between SQLite and PostgreSQL (connecting, migrating, and how a
//! double booking is refused).
//!
//! # Why every impl block spells out the same `where` clause
//!
//! The statements are plain sqlx calls written once, generic over `DB: Dialect`. sqlx states
//! what a backend can do as bounds on *other* types (`Uuid: Encode<'q, DB>`,
//! `&mut DB::Connection: Executor`, `DB::Arguments: IntoArguments`…), and Rust carries only a
//! trait's bounds on `Self` over to the code that uses it: a `where` clause written on
//! `Dialect` would have to be repeated by every user anyway. So each aggregate file has one
//! trait impl block (and, where it has private steps, one inherent block) with this list, the
//! same everywhere so that it can be read once and copied:
//!
//! ```text
//! where
//!     DB: Dialect,
//!     for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
//!     for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
//!     for<'q> &'q str: Encode<'q, DB> + Type<DB> + ColumnIndex<DB::Row>,
//!     for<'q> Option<&'q str>: Encode<'q, DB>,
//!     for<'q> Json<&'q Value>: Encode<'q, DB> + Type<DB>,
//!     usize: ColumnIndex<DB::Row>,
//!     Uuid: SqlType<DB>,
//!     Option<Uuid>: SqlType<DB>,
//!     String: SqlType<DB>,
//!     DateTime<Utc>: SqlType<DB>,
//!     Option<DateTime<Utc>>: SqlType<DB>,
//!     NaiveDate: SqlType<DB>,
//!     NaiveTime: SqlType<DB>,
//!     i16: SqlType<DB>,
//!     i32: SqlType<DB>,
//!     i64: SqlType<DB>,
//!     Option<i64>: SqlType<DB>,
//!     bool: SqlType<DB>,
//!     Vec<u8>: SqlType<DB>,
//!     Json<Value>: SqlType<DB>,
//! ```
//!
//! [`SqlType`] keeps each line short: `Uuid: SqlType<DB>` says "binds and decodes on `DB`".
//! sqlx implements `Encode` for `Option<T>` per backend, hence the `Option<…>` lines; decoding
//! an `Option` needs nothing more. A type missing from the list is a compile error that names
//! it. (sqlx's `Any` driver would need none of this, but it cannot carry uuid, chrono or JSON.)

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sofia_core::domain::{AppointmentId, ProfessionalId};
use sqlx::{Database, Decode, Encode, Pool, Transaction, Type};

use super::messages::batch::BatchWritten;
use super::{HeldWork, InboundWrite, StoreError, StoreResult};

/// A Rust type that `DB` both binds and decodes (one predicate instead of three).
pub trait SqlType<DB: Database>: for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> + Type<DB> {}

impl<DB: Database, T> SqlType<DB> for T where T: for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> + Type<DB> {}

/// What differs between the engines. Everything else is in the aggregate files, once.
pub trait Dialect: Database {
    /// Ends the select that picks rows to claim: PostgreSQL's `FOR UPDATE SKIP LOCKED`, so
    /// that replicas claiming at once take different rows; nothing on SQLite, whose single
    /// writer runs the claiming statement whole.
    const SKIP_LOCKED: &'static str;

    /// Applies the engine's own migrations (`migrations/sqlite`, `migrations/postgres`).
    fn migrate(pool: &Pool<Self>) -> impl Future<Output = StoreResult<()>> + Send;

    /// Runs inside the booking transaction, before the professional's time is written.
    /// SQLite checks for an overlapping live appointment here; PostgreSQL leaves it to its
    /// exclusion constraint, reported by [`Dialect::slot_error`].
    fn refuse_overlap(
        tx: &mut Transaction<'_, Self>,
        slot: Slot,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Runs first in the transaction that changes an appointment, so that two changes of one
    /// appointment apply one after the other.
    fn lock_appointment(
        tx: &mut Transaction<'_, Self>,
        id: AppointmentId,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The error of a statement (or commit) that writes a professional's time.
    fn slot_error(error: sqlx::Error, operation: &'static str) -> StoreError;

    /// Writes the inbox's group commit (`order`: the batch in its global order). SQLite runs
    /// one transaction on its writer connection's own handle, where a statement is a function
    /// call rather than a hand-off to another thread (`messages::sqlite_handle`); PostgreSQL
    /// writes the whole batch in one statement (`messages::postgres_statement`).
    fn write_inbound_batch(
        store: &SqlStore<Self>,
        order: &[&InboundWrite],
    ) -> impl Future<Output = StoreResult<BatchWritten>> + Send;

    /// Whether the engine has one writer for inbound batches to hold (SQLite's writer
    /// connection), see [`MessageStore::hold_inbound_writer`](super::MessageStore::hold_inbound_writer).
    const ONE_WRITER: bool;

    /// Runs `work` with the one writer held (`messages::sqlite_handle`), or answers
    /// [`StoreError::NoWriterToHold`].
    fn hold_inbound_writer(
        store: &SqlStore<Self>,
        work: HeldWork<'_>,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// How many rows an `INSERT`, `UPDATE` or `DELETE` touched (sqlx has no trait for it).
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

/// A professional's time that a booking or a move is about to take.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub professional: ProfessionalId,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// The appointment being moved, which may overlap its own old time.
    pub except: Option<AppointmentId>,
}

/// The store, on either engine. Writes go through `writer`, reads through `reader`: on
/// PostgreSQL both are the same pool; on SQLite the writer is a single connection (see
/// `sqlite.rs`) and the readers run beside it in WAL mode, seeing every committed write.
#[derive(Debug)]
pub struct SqlStore<DB: Dialect> {
    pub(super) writer: Pool<DB>,
    pub(super) reader: Pool<DB>,
    /// Work the store runs beside its pools (SQLite's checkpointer), ended with the last clone.
    pub(super) beside: Option<Arc<Beside>>,
}

impl<DB: Dialect> Clone for SqlStore<DB> {
    fn clone(&self) -> Self {
        SqlStore { writer: self.writer.clone(), reader: self.reader.clone(), beside: self.beside.clone() }
    }
}

/// A task the store runs for as long as it is open: aborted when dropped.
#[derive(Debug)]
pub(super) struct Beside(pub(super) tokio::task::JoinHandle<()>);

impl Drop for Beside {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<DB: Dialect> SqlStore<DB> {
    pub async fn migrate(&self) -> StoreResult<()> {
        DB::migrate(&self.writer).await
    }
}

/// `$first, $first+1, …`: `count` numbered parameters, for an `IN (…)` list or a row of a
/// multi-row `VALUES`; both PostgreSQL and SQLite read them.
pub(super) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}
