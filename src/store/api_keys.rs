//! Admin API keys: who may call `/api/v1`, for which clinic, with which role.
//!
//! A key itself is never stored, only its SHA-256 (`key_hash`, looked up on every request) and
//! a short `prefix` that names it to operators. Revoking keeps the row, so `sofia keys list`
//! still shows who had access and until when.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;
use serde_json::Value;
use sofia_core::domain::TenantId;
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::{StoreError, StoreResult};

/// What a key may do. Each role may do everything the roles before it may: a viewer reads; an
/// agent also resolves handoffs and marks and cancels appointments; an admin also sells
/// packages and reloads clinics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiRole {
    Viewer,
    Agent,
    Admin,
}

impl ApiRole {
    pub const ALL: [ApiRole; 3] = [ApiRole::Viewer, ApiRole::Agent, ApiRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            ApiRole::Viewer => "viewer",
            ApiRole::Agent => "agent",
            ApiRole::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        ApiRole::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: ApiRole) -> bool {
        self >= needed
    }
}

impl std::fmt::Display for ApiRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key to be stored: its hash and prefix, never the key.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApiKey {
    pub prefix: String,
    /// SHA-256 of the whole key, lower-case hex.
    pub key_hash: String,
    pub name: String,
    /// The one clinic the key may see; every clinic when `None`.
    pub tenant: Option<TenantId>,
    pub role: ApiRole,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiKey {
    pub id: Uuid,
    pub prefix: String,
    pub name: String,
    pub tenant: Option<TenantId>,
    pub role: ApiRole,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expires| now < expires)
    }

    /// Whether the key may see `tenant`'s data.
    pub fn sees(&self, tenant: &TenantId) -> bool {
        self.tenant.as_ref().is_none_or(|own| own == tenant)
    }
}

/// How stale `last_used_at` may get: a key used many times a minute is written once a minute,
/// not on every request.
const LAST_USED_GRANULARITY: chrono::Duration = chrono::Duration::minutes(1);

#[async_trait]
pub trait ApiKeyStore: Send + Sync {
    /// Stores a new key. A prefix or hash already stored is a database error (a collision of
    /// 48 random bits: the caller draws another key).
    async fn create_api_key(&self, key: &NewApiKey) -> StoreResult<ApiKey>;
    /// The key whose SHA-256 is `key_hash`, live or not.
    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKey>>;
    /// Every key, oldest first.
    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>>;
    /// Revokes the key named by `prefix`; revoking it again keeps the first time.
    /// `NotFound("api key")` for an unknown prefix.
    async fn revoke_api_key(&self, prefix: &str, now: DateTime<Utc>) -> StoreResult<ApiKey>;
    /// The key was used at `at` (written at most once a minute per key).
    async fn api_key_used(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()>;
}

const API_KEY_COLUMNS: &str =
    "id, prefix, name, tenant, role, created_at, expires_at, last_used_at, revoked_at";

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: Uuid,
    prefix: String,
    name: String,
    tenant: Option<String>,
    role: String,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<ApiKeyRow> for ApiKey {
    type Error = StoreError;
    fn try_from(row: ApiKeyRow) -> Result<Self, StoreError> {
        let corrupt = |problem: String| StoreError::Corrupt { table: "api_keys", problem };
        Ok(ApiKey {
            id: row.id,
            prefix: row.prefix,
            name: row.name,
            tenant: row
                .tenant
                .map(|t| TenantId::parse(&t).map_err(|e| corrupt(e.to_string())))
                .transpose()?,
            role: ApiRole::parse(&row.role).ok_or_else(|| corrupt(format!("role '{}'", row.role)))?,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
    }
}

#[async_trait]
impl<DB> ApiKeyStore for SqlStore<DB>
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
    async fn create_api_key(&self, key: &NewApiKey) -> StoreResult<ApiKey> {
        let sql = format!(
            "INSERT INTO api_keys (id, prefix, key_hash, name, tenant, role, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {API_KEY_COLUMNS}"
        );
        let row: ApiKeyRow = sqlx::query_as(&sql)
            .bind(Uuid::now_v7())
            .bind(key.prefix.as_str())
            .bind(key.key_hash.as_str())
            .bind(key.name.as_str())
            .bind(key.tenant.as_ref().map(TenantId::as_str))
            .bind(key.role.as_str())
            .bind(key.created_at)
            .bind(key.expires_at)
            .fetch_one(&self.writer)
            .await
            .map_err(StoreError::db("create an API key"))?;
        row.try_into()
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<ApiKey>> {
        let sql = format!("SELECT {API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1");
        let row: Option<ApiKeyRow> = sqlx::query_as(&sql)
            .bind(key_hash)
            .fetch_optional(&self.reader)
            .await
            .map_err(StoreError::db("find an API key"))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn api_keys(&self) -> StoreResult<Vec<ApiKey>> {
        let sql = format!("SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id");
        let rows: Vec<ApiKeyRow> =
            sqlx::query_as(&sql).fetch_all(&self.reader).await.map_err(StoreError::db("list API keys"))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn revoke_api_key(&self, prefix: &str, now: DateTime<Utc>) -> StoreResult<ApiKey> {
        let sql = format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE prefix = $1 \
             RETURNING {API_KEY_COLUMNS}"
        );
        let row: Option<ApiKeyRow> = sqlx::query_as(&sql)
            .bind(prefix)
            .bind(now)
            .fetch_optional(&self.writer)
            .await
            .map_err(StoreError::db("revoke an API key"))?;
        row.ok_or(StoreError::NotFound("api key"))?.try_into()
    }

    async fn api_key_used(&self, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(id)
        .bind(at)
        .bind(at - LAST_USED_GRANULARITY)
        .execute(&self.writer)
        .await
        .map_err(StoreError::db("record an API key's use"))?;
        Ok(())
    }
}
