//! Dead letters: webhook bodies from an authenticated provider that could not be read, kept
//! for an operator to inspect and replay.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::Value;
use sofia_core::domain::{ChannelId, ProviderKind};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::{StoreError, StoreResult};

/// A webhook body from an authenticated provider that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    pub id: Uuid,
    pub provider: ProviderKind,
    pub channel_id: Option<ChannelId>,
    /// Why it could not be read (a JSON path, never a value).
    pub reason: String,
    pub body: Vec<u8>,
    pub received_at: DateTime<Utc>,
}

#[async_trait]
pub trait DeliveryStore: Send + Sync {
    async fn record_dead_letter(&self, letter: &DeadLetter) -> StoreResult<()>;
    /// The most recent dead letters first.
    async fn dead_letters(&self, limit: u32) -> StoreResult<Vec<DeadLetter>>;
}

#[async_trait]
impl<DB> DeliveryStore for SqlStore<DB>
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
    async fn record_dead_letter(&self, letter: &DeadLetter) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO dead_letters (id, provider, channel_id, reason, body, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(letter.id)
        .bind(letter.provider.as_str())
        .bind(letter.channel_id.map(|c| c.0))
        .bind(letter.reason.as_str())
        .bind(&letter.body)
        .bind(letter.received_at)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("keep an unreadable webhook"))?;
        Ok(())
    }

    async fn dead_letters(&self, limit: u32) -> StoreResult<Vec<DeadLetter>> {
        let rows: Vec<(Uuid, String, Option<Uuid>, String, Vec<u8>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT id, provider, channel_id, reason, body, received_at FROM dead_letters \
             ORDER BY received_at DESC, id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await
        .map_err(StoreError::db("read unreadable webhooks"))?;
        rows.into_iter()
            .map(|(id, provider, channel_id, reason, body, received_at)| {
                Ok(DeadLetter {
                    id,
                    provider: ProviderKind::parse(&provider).ok_or_else(|| StoreError::Corrupt {
                        table: "dead_letters",
                        problem: format!("provider '{provider}'"),
                    })?,
                    channel_id: channel_id.map(ChannelId),
                    reason,
                    body,
                    received_at,
                })
            })
            .collect()
    }
}
