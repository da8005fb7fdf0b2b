//! Clinics, their catalogue (professionals, services, hours, packages), channels and CRM
//! endpoints.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use sofia_core::clinic::{Clinic, Professional};
use sofia_core::domain::{ChannelId, ClinicId, ProviderKind};
use sqlx::types::Json;
use sqlx::{ColumnIndex, Encode, Executor, IntoArguments, Transaction, Type};
use uuid::Uuid;

use super::dialect::{Dialect, SqlStore, SqlType};
use super::{CatalogCounts, StoreError, StoreResult, SyncOutcome};

#[async_trait]
pub trait ClinicStore: Send + Sync {
    /// Writes the clinic and everything in it; idempotent. Rows that left the file are
    /// deactivated, not deleted, so history keeps its references.
    async fn sync_clinic(
        &self,
        clinic: &Clinic,
        content_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<SyncOutcome>;
    async fn catalog_counts(&self, clinic: ClinicId) -> StoreResult<CatalogCounts>;
    /// The channel a webhook belongs to, by provider and external id (Meta phone_number_id,
    /// Evolution instance, Z-API instance id).
    async fn channel_id(
        &self,
        clinic: ClinicId,
        provider: ProviderKind,
        external_id: &str,
    ) -> StoreResult<Option<ChannelId>>;
    /// Round-trip to the database, for readiness checks.
    async fn ping(&self) -> StoreResult<()>;
}

#[async_trait]
impl<DB> ClinicStore for SqlStore<DB>
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
    async fn sync_clinic(
        &self,
        clinic: &Clinic,
        content_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<SyncOutcome> {
        let mut tx = self.writer.begin().await.map_err(StoreError::db("begin a clinic sync"))?;
        // Read in the sync's own transaction: the hash decides whether this sync writes at all.
        let existing: Option<String> = sqlx::query_scalar("SELECT content_hash FROM clinics WHERE id = $1")
            .bind(clinic.id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::db("read the clinic"))?;
        let outcome = match existing.as_deref() {
            Some(hash) if hash == content_hash => return Ok(SyncOutcome::Unchanged),
            Some(_) => SyncOutcome::Updated,
            None => SyncOutcome::Created,
        };
        Self::write_clinic(&mut tx, clinic, content_hash, now).await?;
        // Everything is deactivated, then what the file still has is reactivated: rows that
        // left the file stay for the history that references them.
        for table in ["services", "professionals", "packages", "channels"] {
            let sql = format!("UPDATE {table} SET active = false, updated_at = $2 WHERE clinic_id = $1");
            sqlx::query(&sql)
                .bind(clinic.id.0)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("deactivate the catalogue"))?;
        }
        Self::write_services(&mut tx, clinic, now).await?;
        for (position, professional) in clinic.professionals.iter().enumerate() {
            Self::write_professional(&mut tx, clinic.id, position, professional, now).await?;
        }
        Self::write_packages(&mut tx, clinic, now).await?;
        Self::write_channels(&mut tx, clinic, now).await?;
        Self::write_crm_endpoints(&mut tx, clinic, now).await?;
        tx.commit().await.map_err(StoreError::db("commit a clinic sync"))?;
        Ok(outcome)
    }

    async fn catalog_counts(&self, clinic: ClinicId) -> StoreResult<CatalogCounts> {
        let count = |table: &'static str| {
            let sql = format!("SELECT COUNT(*) FROM {table} WHERE clinic_id = $1 AND active = true");
            async move {
                sqlx::query_scalar::<_, i64>(&sql)
                    .bind(clinic.0)
                    .fetch_one(&self.reader)
                    .await
                    .map_err(StoreError::db("count the catalogue"))
            }
        };
        Ok(CatalogCounts {
            services: count("services").await?,
            professionals: count("professionals").await?,
            packages: count("packages").await?,
            channels: count("channels").await?,
        })
    }

    async fn channel_id(
        &self,
        clinic: ClinicId,
        provider: ProviderKind,
        external_id: &str,
    ) -> StoreResult<Option<ChannelId>> {
        sqlx::query_scalar::<_, Uuid>(
            "SELECT id FROM channels WHERE clinic_id = $1 AND provider = $2 AND external_id = $3 AND active = true",
        )
        .bind(clinic.0)
        .bind(provider.as_str())
        .bind(external_id)
        .fetch_optional(&self.reader)
        .await
        .map(|id| id.map(ChannelId))
        .map_err(StoreError::db("find a channel"))
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await.map_err(StoreError::db("ping the database"))?;
        Ok(())
    }
}

/// The steps of [`ClinicStore::sync_clinic`], each inside its transaction.
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
    async fn write_clinic(
        tx: &mut Transaction<'_, DB>,
        clinic: &Clinic,
        content_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let booking = json!({
            "grid_minutes": clinic.booking.grid_minutes,
            "min_notice_minutes": clinic.booking.min_notice_minutes,
            "horizon_days": clinic.booking.horizon_days,
        });
        let policies = json!({
            "free_cancellation_hours": clinic.policies.free_cancellation_hours,
            "late_cancellation_fee_cents": clinic.policies.late_cancellation_fee.centavos(),
            "minimum_age": clinic.policies.minimum_age,
            "payment_methods": clinic.policies.payment_methods,
            "arrival": clinic.policies.arrival,
            "parking": clinic.policies.parking,
            "minors": clinic.policies.minors,
        });
        sqlx::query(
            "INSERT INTO clinics (id, slug, name, assistant_name, timezone, phone, address, booking, \
             policies, content_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, assistant_name = excluded.assistant_name, \
             timezone = excluded.timezone, phone = excluded.phone, address = excluded.address, \
             booking = excluded.booking, policies = excluded.policies, \
             content_hash = excluded.content_hash, updated_at = excluded.updated_at",
        )
        .bind(clinic.id.0)
        .bind(clinic.tenant.as_str())
        .bind(clinic.name.as_str())
        .bind(clinic.assistant_name.as_str())
        .bind(clinic.timezone.name())
        .bind(clinic.phone.as_str())
        .bind(clinic.address.as_str())
        .bind(Json(&booking))
        .bind(Json(&policies))
        .bind(content_hash)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::db("write the clinic"))?;
        Ok(())
    }

    async fn write_services(
        tx: &mut Transaction<'_, DB>,
        clinic: &Clinic,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for (position, service) in clinic.services.iter().enumerate() {
            let aliases = json!(service.aliases);
            sqlx::query(
                "INSERT INTO services (id, clinic_id, name, aliases, description, aftercare, price_cents, \
                 duration_minutes, minors_allowed, position, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, true, $11, $11) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, aliases = excluded.aliases, \
                 description = excluded.description, aftercare = excluded.aftercare, \
                 price_cents = excluded.price_cents, duration_minutes = excluded.duration_minutes, \
                 minors_allowed = excluded.minors_allowed, position = excluded.position, active = true, \
                 updated_at = excluded.updated_at",
            )
            .bind(service.id.0)
            .bind(clinic.id.0)
            .bind(service.name.as_str())
            .bind(Json(&aliases))
            .bind(service.description.as_str())
            .bind(service.aftercare.as_deref())
            .bind(service.price.centavos())
            .bind(service.duration_minutes as i32)
            .bind(service.minors_allowed)
            .bind(position as i32)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("write a service"))?;
        }
        Ok(())
    }

    /// The professional, and their services, weekly hours and time off replaced by the file's.
    async fn write_professional(
        tx: &mut Transaction<'_, DB>,
        clinic: ClinicId,
        position: usize,
        professional: &Professional,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO professionals (id, clinic_id, name, role, position, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, true, $6, $6) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, \
             position = excluded.position, active = true, updated_at = excluded.updated_at",
        )
        .bind(professional.id.0)
        .bind(clinic.0)
        .bind(professional.name.as_str())
        .bind(professional.role.as_str())
        .bind(position as i32)
        .bind(now)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::db("write a professional"))?;
        for table in ["professional_services", "availability", "time_off"] {
            let sql = format!("DELETE FROM {table} WHERE professional_id = $1");
            sqlx::query(&sql)
                .bind(professional.id.0)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("clear a professional's schedule"))?;
        }
        for service in &professional.service_ids {
            sqlx::query("INSERT INTO professional_services (professional_id, service_id) VALUES ($1, $2)")
                .bind(professional.id.0)
                .bind(service.0)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("write a professional's service"))?;
        }
        for day in sofia_core::clinic::WEEK {
            for range in professional.hours.on(day) {
                sqlx::query(
                    "INSERT INTO availability (professional_id, weekday, start_time, end_time) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(professional.id.0)
                .bind(day.num_days_from_monday() as i16)
                .bind(range.start)
                .bind(range.end)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("write working hours"))?;
            }
        }
        for off in &professional.time_off {
            sqlx::query("INSERT INTO time_off (professional_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                .bind(professional.id.0)
                .bind(off.start)
                .bind(off.end)
                .execute(&mut **tx)
                .await
                .map_err(StoreError::db("write time off"))?;
        }
        Ok(())
    }

    async fn write_packages(
        tx: &mut Transaction<'_, DB>,
        clinic: &Clinic,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for package in &clinic.packages {
            sqlx::query(
                "INSERT INTO packages (id, clinic_id, service_id, name, sessions, price_cents, \
                 regular_price_cents, valid_days, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $9) \
                 ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id, name = excluded.name, \
                 sessions = excluded.sessions, price_cents = excluded.price_cents, \
                 regular_price_cents = excluded.regular_price_cents, valid_days = excluded.valid_days, \
                 active = true, updated_at = excluded.updated_at",
            )
            .bind(package.id.0)
            .bind(clinic.id.0)
            .bind(package.service_id.0)
            .bind(package.name.as_str())
            .bind(package.sessions as i32)
            .bind(package.price.centavos())
            .bind(package.regular_price.map(|p| p.centavos()))
            .bind(package.valid_days as i32)
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("write a package"))?;
        }
        Ok(())
    }

    async fn write_channels(
        tx: &mut Transaction<'_, DB>,
        clinic: &Clinic,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for (priority, channel) in clinic.channels.iter().enumerate() {
            sqlx::query(
                "INSERT INTO channels (id, clinic_id, priority, provider, external_id, active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, true, $6, $6) \
                 ON CONFLICT (id) DO UPDATE SET priority = excluded.priority, active = true, \
                 updated_at = excluded.updated_at",
            )
            .bind(channel.id(&clinic.tenant).0)
            .bind(clinic.id.0)
            .bind(priority as i32)
            .bind(channel.provider().as_str())
            .bind(channel.external_id())
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("write a channel"))?;
        }
        Ok(())
    }
}
