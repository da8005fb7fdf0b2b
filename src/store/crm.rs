//! CRM webhooks: each clinic's endpoints (its `crm_webhooks:`) and the deliveries of events to
//! them, durable rows that a delivery loop posts as Standard Webhooks (`src/crm/`).
//!
//! A delivery is written by the store itself, in the transaction of the change that caused
//! it (a booking, a lead requalified, a handoff, an opt-out: see [`SqlStore::enqueue_crm`]), one
//! row per endpoint subscribed to the event, so a change is never committed without its
//! deliveries nor a delivery without its change. Claiming works as for jobs: one
//! `UPDATE … WHERE id IN (SELECT … LIMIT n)`, `FOR UPDATE SKIP LOCKED` on PostgreSQL, under a
//! lease that a dead replica's claim runs out of.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{ClinicId, CrmEvent};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType, placeholders};
use super::{StoreError, StoreResult};

/// A delivery's id; as `msg_<hex>` it is the `webhook-id` header, the same on every attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct DeliveryId(pub Uuid);

impl DeliveryId {
    /// `msg_<32 hex>` (as shown and sent) or the bare UUID.
    pub fn parse(text: &str) -> Option<DeliveryId> {
        let text = text.trim();
        Uuid::try_parse(text.strip_prefix("msg_").unwrap_or(text)).ok().map(DeliveryId)
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "msg_{}", self.0.simple())
    }
}

impl From<DeliveryId> for String {
    fn from(id: DeliveryId) -> String {
        id.to_string()
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    /// Claimed by a replica, under a lease.
    Sending,
    Delivered,
    /// Gave up after the retry schedule, or its endpoint answered 410: replayable.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sending => "sending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [DeliveryState::Pending, DeliveryState::Sending, DeliveryState::Delivered, DeliveryState::Failed]
            .into_iter()
            .find(|state| state.as_str() == text)
    }
}

/// A delivery as listed (`sofia crm deliveries`, the admin API). The body stays in the store:
/// it carries the patient's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrmDelivery {
    pub id: DeliveryId,
    pub clinic_id: ClinicId,
    pub url: String,
    pub event: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    /// The receiver's last HTTP status, when it answered.
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// A delivery a replica claimed, with what it posts.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    pub id: DeliveryId,
    pub clinic_id: ClinicId,
    pub endpoint_id: Uuid,
    pub url: String,
    pub event: String,
    /// The exact JSON to post.
    pub body: String,
    /// Including this claim.
    pub attempts: u32,
}

/// What became of an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum AttemptResult {
    /// A 2xx.
    Delivered { status: u16 },
    /// Tried again at `at`.
    Retry { at: DateTime<Utc>, status: Option<u16>, error: String },
    /// The retry schedule is spent.
    Failed { status: Option<u16>, error: String },
    /// 410 Gone: the endpoint is disabled and its other pending deliveries fail with this one.
    Gone,
}

/// The deliveries of some clinics at one moment, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CrmStats {
    /// Pending or being sent.
    pub pending: u64,
    pub failed: u64,
    /// The creation time of the oldest pending delivery.
    pub oldest_pending: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait CrmStore: Send + Sync {
    /// Takes up to `limit` deliveries of `clinics` due at `now` (or whose lease ran out), to
    /// endpoints still in the clinics' files and not disabled, for `holder` until
    /// `lease_until`, oldest first.
    async fn claim_crm_deliveries(
        &self,
        clinics: &[ClinicId],
        holder: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>>;
    /// Records an attempt of a claimed delivery. False when `holder` no longer holds it.
    async fn finish_crm_attempt(
        &self,
        delivery: &ClaimedDelivery,
        holder: &str,
        result: &AttemptResult,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Deliveries, newest first: of one clinic or all, only the failed ones or all.
    async fn crm_deliveries(
        &self,
        clinic: Option<ClinicId>,
        only_failed: bool,
        limit: u32,
    ) -> StoreResult<Vec<CrmDelivery>>;
    /// Sends a failed delivery again, with the same id and body, from its first attempt.
    /// `NotFound` unless it is failed, of `clinic` (when given), and its endpoint is in the
    /// clinic's file and enabled.
    async fn replay_crm_delivery(
        &self,
        clinic: Option<ClinicId>,
        id: DeliveryId,
        now: DateTime<Utc>,
    ) -> StoreResult<CrmDelivery>;
    async fn crm_stats(&self, clinics: &[ClinicId]) -> StoreResult<CrmStats>;
}

type ClaimRow = (Uuid, Uuid, Uuid, String, String, String, i32);
type ListRow = (
    Uuid,
    Uuid,
    String,
    String,
    String,
    i32,
    DateTime<Utc>,
    Option<i32>,
    Option<String>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

const LIST_COLUMNS: &str = "d.id, d.clinic_id, e.url, d.event, d.state, d.attempts, d.next_attempt_at, \
     d.last_status, d.last_error, d.created_at, d.delivered_at";

#[async_trait]
impl<DB> CrmStore for SqlStore<DB>
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
    async fn claim_crm_deliveries(
        &self,
        clinics: &[ClinicId],
        holder: &str,
        lease_until: DateTime<Utc>,
        now: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        if clinics.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE crm_deliveries SET state = 'sending', leased_by = $1, leased_until = $2, \
             attempts = attempts + 1, updated_at = $3 WHERE id IN (SELECT id FROM crm_deliveries WHERE \
             ((state = 'pending' AND next_attempt_at <= $3) OR (state = 'sending' AND leased_until <= $3)) \
             AND clinic_id IN ({}) AND endpoint_id IN \
             (SELECT id FROM crm_endpoints WHERE active = true AND disabled_at IS NULL) \
             ORDER BY next_attempt_at, id LIMIT $4{}) \
             RETURNING id, clinic_id, endpoint_id, event, body, \
             (SELECT url FROM crm_endpoints e WHERE e.id = crm_deliveries.endpoint_id), attempts",
            placeholders(5, clinics.len()),
            DB::SKIP_LOCKED,
        );
        let mut query = sqlx::query_as(&sql).bind(holder).bind(lease_until).bind(now).bind(i64::from(limit));
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        let rows: Vec<ClaimRow> =
            query.fetch_all(&self.writer).await.map_err(StoreError::db("claim CRM deliveries"))?;
        Ok(rows
            .into_iter()
            .map(|(id, clinic, endpoint, event, body, url, attempts)| ClaimedDelivery {
                id: DeliveryId(id),
                clinic_id: ClinicId(clinic),
                endpoint_id: endpoint,
                url,
                event,
                body,
                attempts: u32::try_from(attempts).unwrap_or(0),
            })
            .collect())
    }

    async fn finish_crm_attempt(
        &self,
        delivery: &ClaimedDelivery,
        holder: &str,
        result: &AttemptResult,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin recording a CRM attempt"))?;
        let (state, next, status, error, delivered_at) = match result {
            AttemptResult::Delivered { status } => ("delivered", now, Some(*status), None, Some(now)),
            AttemptResult::Retry { at, status, error } => {
                ("pending", *at, *status, Some(error.as_str()), None)
            }
            AttemptResult::Failed { status, error } => ("failed", now, *status, Some(error.as_str()), None),
            AttemptResult::Gone => ("failed", now, Some(410), Some(GONE), None),
        };
        let done = sqlx::query(
            "UPDATE crm_deliveries SET state = $3, next_attempt_at = $4, last_status = $5, last_error = $6, \
             delivered_at = $7, leased_by = NULL, leased_until = NULL, updated_at = $8 \
             WHERE id = $1 AND leased_by = $2 AND state = 'sending'",
        )
        .bind(delivery.id.0)
        .bind(holder)
        .bind(state)
        .bind(next)
        .bind(status.map(i64::from))
        .bind(error)
        .bind(delivered_at)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("record a CRM attempt"))?;
        if DB::rows_affected(&done) != 1 {
            return Ok(false);
        }
        if *result == AttemptResult::Gone {
            sqlx::query(
                "UPDATE crm_endpoints SET disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1",
            )
            .bind(delivery.endpoint_id)
            .bind(now)
            .bind(GONE)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("disable a CRM endpoint"))?;
            // Nothing more goes to it: what waited fails with the same reason, replayable
            // once the endpoint is enabled again.
            sqlx::query(
                "UPDATE crm_deliveries SET state = 'failed', last_error = $2, leased_by = NULL, \
                 leased_until = NULL, updated_at = $3 WHERE endpoint_id = $1 AND state IN ('pending', 'sending')",
            )
            .bind(delivery.endpoint_id)
            .bind(GONE)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::db("fail a disabled endpoint's deliveries"))?;
        }
        tx.commit().await.map_err(StoreError::db("commit a CRM attempt"))?;
        Ok(true)
    }

    async fn crm_deliveries(
        &self,
        clinic: Option<ClinicId>,
        only_failed: bool,
        limit: u32,
    ) -> StoreResult<Vec<CrmDelivery>> {
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM crm_deliveries d JOIN crm_endpoints e ON e.id = d.endpoint_id \
             WHERE ($1 IS NULL OR d.clinic_id = $1) AND ($2 = false OR d.state = 'failed') \
             ORDER BY d.created_at DESC, d.id DESC LIMIT $3"
        );
        let rows: Vec<ListRow> = sqlx::query_as(&sql)
            .bind(clinic.map(|c| c.0))
            .bind(only_failed)
            .bind(i64::from(limit))
            .fetch_all(&self.reader)
            .await
            .map_err(StoreError::db("list CRM deliveries"))?;
        rows.into_iter().map(listed).collect()
    }

    async fn replay_crm_delivery(
        &self,
        clinic: Option<ClinicId>,
        id: DeliveryId,
        now: DateTime<Utc>,
    ) -> StoreResult<CrmDelivery> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin a CRM replay"))?;
        let done = sqlx::query(
            "UPDATE crm_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $3, last_error = NULL, \
             last_status = NULL, updated_at = $3 WHERE id = $1 AND ($2 IS NULL OR clinic_id = $2) \
             AND state = 'failed' AND endpoint_id IN \
             (SELECT id FROM crm_endpoints WHERE active = true AND disabled_at IS NULL)",
        )
        .bind(id.0)
        .bind(clinic.map(|c| c.0))
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::db("replay a CRM delivery"))?;
        if DB::rows_affected(&done) != 1 {
            return Err(StoreError::NotFound("failed delivery to an enabled endpoint"));
        }
        let sql = format!(
            "SELECT {LIST_COLUMNS} FROM crm_deliveries d JOIN crm_endpoints e ON e.id = d.endpoint_id \
             WHERE d.id = $1"
        );
        let row: ListRow = sqlx::query_as(&sql)
            .bind(id.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::db("read a replayed CRM delivery"))?;
        tx.commit().await.map_err(StoreError::db("commit a CRM replay"))?;
        listed(row)
    }

    async fn crm_stats(&self, clinics: &[ClinicId]) -> StoreResult<CrmStats> {
        if clinics.is_empty() {
            return Ok(CrmStats::default());
        }
        let among = placeholders(1, clinics.len());
        let sql = format!(
            "SELECT state, COUNT(*) FROM crm_deliveries WHERE state IN ('pending', 'sending', 'failed') \
             AND clinic_id IN ({among}) GROUP BY state"
        );
        let mut query = sqlx::query_as(&sql);
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        let counts: Vec<(String, i64)> =
            query.fetch_all(&self.reader).await.map_err(StoreError::db("count CRM deliveries"))?;
        let mut stats = CrmStats::default();
        for (state, count) in counts {
            let count = u64::try_from(count).unwrap_or(0);
            if state == "failed" {
                stats.failed += count;
            } else {
                stats.pending += count;
            }
        }
        let sql = format!(
            "SELECT created_at FROM crm_deliveries WHERE state IN ('pending', 'sending') \
             AND clinic_id IN ({among}) ORDER BY created_at LIMIT 1"
        );
        let mut query = sqlx::query_scalar(&sql);
        for clinic in clinics {
            query = query.bind(clinic.0);
        }
        stats.oldest_pending = query
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("find the oldest pending CRM delivery"))?;
        Ok(stats)
    }
}

/// Why a 410 failed a delivery, and disabled its endpoint.
const GONE: &str = "410 Gone: the endpoint is disabled until its crm_webhooks entry changes";

fn listed(row: ListRow) -> StoreResult<CrmDelivery> {
    let (
        id,
        clinic,
        url,
        event,
        state,
        attempts,
        next_attempt_at,
        last_status,
        last_error,
        created_at,
        delivered_at,
    ) = row;
    Ok(CrmDelivery {
        id: DeliveryId(id),
        clinic_id: ClinicId(clinic),
        url,
        event,
        state: DeliveryState::parse(&state).ok_or_else(|| StoreError::Corrupt {
            table: "crm_deliveries",
            problem: format!("state '{state}'"),
        })?,
        attempts: u32::try_from(attempts).unwrap_or(0),
        next_attempt_at,
        last_status: last_status.and_then(|status| u16::try_from(status).ok()),
        last_error,
        created_at,
        delivered_at,
    })
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
    /// Writes the clinic's `crm_webhooks:` inside its sync: entries that left the file are
    /// inactive (their deliveries wait, unclaimed); an entry whose secret variable or events
    /// changed is enabled again after a 410.
    pub(super) async fn write_crm_endpoints(
        tx: &mut Transaction<'_, DB>,
        clinic: &Clinic,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE crm_endpoints SET active = false, updated_at = $2 WHERE clinic_id = $1")
            .bind(clinic.id.0)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("deactivate CRM endpoints"))?;
        for hook in &clinic.crm_webhooks {
            let events: String =
                hook.events.iter().fold(String::from(","), |list, event| format!("{list}{event},"));
            let hash = hex::encode(Sha256::digest(format!("{}\n{}", hook.secret_env, events)));
            sqlx::query(
                "INSERT INTO crm_endpoints (id, clinic_id, url, secret_env, events, config_hash, active, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, true, $7, $7) \
                 ON CONFLICT (clinic_id, url) DO UPDATE SET secret_env = excluded.secret_env, \
                 events = excluded.events, active = true, updated_at = excluded.updated_at, \
                 disabled_at = CASE WHEN crm_endpoints.config_hash = excluded.config_hash \
                 THEN crm_endpoints.disabled_at END, \
                 disabled_reason = CASE WHEN crm_endpoints.config_hash = excluded.config_hash \
                 THEN crm_endpoints.disabled_reason END, config_hash = excluded.config_hash",
            )
            .bind(Uuid::now_v7())
            .bind(clinic.id.0)
            .bind(hook.url.as_str())
            .bind(hook.secret_env.as_str())
            .bind(events.as_str())
            .bind(hash.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("write a CRM endpoint"))?;
        }
        Ok(())
    }

    /// The enabled endpoints of `clinic` subscribed to `event`: none means nothing to write.
    pub(super) async fn crm_subscribers(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        event: CrmEvent,
    ) -> StoreResult<Vec<Uuid>> {
        sqlx::query_scalar(
            "SELECT id FROM crm_endpoints WHERE clinic_id = $1 AND active = true AND disabled_at IS NULL \
             AND events LIKE $2 ORDER BY created_at, id",
        )
        .bind(clinic.0)
        .bind(format!("%,{event},%"))
        .fetch_all(&mut **tx)
        .await
        .map_err(StoreError::db("find a CRM event's endpoints"))
    }

    /// Queues `event` with `data` for each of `endpoints`, in the caller's transaction. The
    /// body is fixed now: every attempt posts the same bytes.
    pub(super) async fn enqueue_crm(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        endpoints: &[Uuid],
        event: CrmEvent,
        data: Value,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let body = json!({ "type": event.as_str(), "timestamp": now, "data": data }).to_string();
        for endpoint in endpoints {
            sqlx::query(
                "INSERT INTO crm_deliveries (id, clinic_id, endpoint_id, event, body, state, attempts, \
                 next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6, $6)",
            )
            .bind(Uuid::now_v7())
            .bind(clinic.0)
            .bind(*endpoint)
            .bind(event.as_str())
            .bind(body.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("queue a CRM delivery"))?;
        }
        Ok(())
    }
}
