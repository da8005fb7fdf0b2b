use sofia_core::domain::AppointmentStatus;

/// Why a store operation failed. Messages never carry personal data or connection secrets.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the professional already has an appointment at that time")]
    SlotTaken,
    #[error("the conversation already has an open handoff")]
    HandoffOpen,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("an appointment that is {status} cannot be {action}")]
    InvalidTransition { status: AppointmentStatus, action: &'static str },
    #[error("the package has no sessions left")]
    PackageExhausted,
    #[error("stored {table} row is invalid: {problem}")]
    Corrupt { table: &'static str, problem: String },
    #[error("database error while trying to {operation}")]
    Database {
        operation: &'static str,
        #[source]
        source: sqlx::Error,
    },
    /// A statement run on SQLite's own handle (the inbox's group commit, see
    /// `store::messages::sqlite_handle`).
    #[error("database error while trying to {operation}")]
    Embedded {
        operation: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    /// Asked to hold the one writer of an engine that has none (PostgreSQL).
    #[error("this database has no single writer to hold")]
    NoWriterToHold,
    #[error("could not apply database migrations")]
    Migration(#[source] sqlx::migrate::MigrateError),
    #[error("cannot open the database: {0}")]
    Connect(String),
}

impl StoreError {
    pub(crate) fn db(operation: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Database { operation, source }
    }

    /// Whether another writer got there first: a unique key it just wrote, or PostgreSQL
    /// breaking a deadlock or a serialization conflict by aborting this transaction. Running
    /// the same work again sees what the other committed.
    pub fn lost_a_race(&self) -> bool {
        match self {
            StoreError::Database { source: sqlx::Error::Database(db), .. } => {
                db.is_unique_violation() || matches!(db.code().as_deref(), Some("40P01" | "40001"))
            }
            _ => false,
        }
    }

    /// Whether retrying the same call may succeed (the database was busy or unreachable).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            StoreError::Database {
                source: sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed,
                ..
            }
        )
    }
}
