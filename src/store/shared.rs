//! The operations whose SQL is the same on SQLite and PostgreSQL, written once.
//!
//! sqlx has no backend-generic pool that carries uuid, chrono and JSON types (its `Any`
//! driver cannot), so the shared statements are instantiated per backend by this macro.
//! Each adapter provides `reader()` and `writer()` pools and implements what differs —
//! connecting, migrating and the appointment overlap guarantee — itself.

macro_rules! shared_store_impls {
    ($store:ty) => {
        use chrono::{DateTime, Utc};
        use serde_json::{json, Value};
        use sofia_core::clinic::Clinic;
        use sofia_core::domain::{
            ChannelId, ClinicId, ConversationId, DeliveryStatus, HandoffId, MessageId, PatientId, Phone,
        };
        use sqlx::types::Json;
        use uuid::Uuid;
        use $crate::store::rows::{self, *};
        use $crate::store::*;

        #[async_trait::async_trait]
        impl ClinicStore for $store {
            async fn sync_clinic(
                &self,
                clinic: &Clinic,
                content_hash: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<SyncOutcome> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin a clinic sync"))?;
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
                .bind(&clinic.name)
                .bind(&clinic.assistant_name)
                .bind(clinic.timezone.name())
                .bind(clinic.phone.as_str())
                .bind(&clinic.address)
                .bind(Json(&booking))
                .bind(Json(&policies))
                .bind(content_hash)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("write the clinic"))?;

                // Everything is deactivated, then what the file still has is reactivated:
                // rows that left the file stay for the history that references them.
                for table in ["services", "professionals", "packages", "channels"] {
                    let sql = format!("UPDATE {table} SET active = false, updated_at = $2 WHERE clinic_id = $1");
                    sqlx::query(&sql)
                        .bind(clinic.id.0)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::db("deactivate the catalogue"))?;
                }
                for (position, service) in clinic.services.iter().enumerate() {
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
                    .bind(&service.name)
                    .bind(Json(&service.aliases))
                    .bind(&service.description)
                    .bind(&service.aftercare)
                    .bind(service.price.centavos())
                    .bind(service.duration_minutes as i32)
                    .bind(service.minors_allowed)
                    .bind(position as i32)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("write a service"))?;
                }
                for (position, professional) in clinic.professionals.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO professionals (id, clinic_id, name, role, position, active, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, true, $6, $6) \
                         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, \
                         position = excluded.position, active = true, updated_at = excluded.updated_at",
                    )
                    .bind(professional.id.0)
                    .bind(clinic.id.0)
                    .bind(&professional.name)
                    .bind(&professional.role)
                    .bind(position as i32)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("write a professional"))?;
                    for table in ["professional_services", "availability", "time_off"] {
                        let sql = format!("DELETE FROM {table} WHERE professional_id = $1");
                        sqlx::query(&sql)
                            .bind(professional.id.0)
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::db("clear a professional's schedule"))?;
                    }
                    for service in &professional.service_ids {
                        sqlx::query("INSERT INTO professional_services (professional_id, service_id) VALUES ($1, $2)")
                            .bind(professional.id.0)
                            .bind(service.0)
                            .execute(&mut *tx)
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
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::db("write working hours"))?;
                        }
                    }
                    for off in &professional.time_off {
                        sqlx::query("INSERT INTO time_off (professional_id, starts_at, ends_at) VALUES ($1, $2, $3)")
                            .bind(professional.id.0)
                            .bind(off.start)
                            .bind(off.end)
                            .execute(&mut *tx)
                            .await
                            .map_err(StoreError::db("write time off"))?;
                    }
                }
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
                    .bind(&package.name)
                    .bind(package.sessions as i32)
                    .bind(package.price.centavos())
                    .bind(package.regular_price.map(|p| p.centavos()))
                    .bind(package.valid_days as i32)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("write a package"))?;
                }
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
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("write a channel"))?;
                }
                tx.commit().await.map_err(StoreError::db("commit a clinic sync"))?;
                Ok(outcome)
            }

            async fn catalog_counts(&self, clinic: ClinicId) -> StoreResult<CatalogCounts> {
                let count = |table: &'static str| {
                    let sql = format!("SELECT COUNT(*) FROM {table} WHERE clinic_id = $1 AND active = true");
                    async move {
                        sqlx::query_scalar::<_, i64>(&sql)
                            .bind(clinic.0)
                            .fetch_one(self.reader())
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
                provider: &str,
                external_id: &str,
            ) -> StoreResult<Option<ChannelId>> {
                sqlx::query_scalar::<_, Uuid>(
                    "SELECT id FROM channels WHERE clinic_id = $1 AND provider = $2 AND external_id = $3 AND active = true",
                )
                .bind(clinic.0)
                .bind(provider)
                .bind(external_id)
                .fetch_optional(self.reader())
                .await
                .map(|id| id.map(ChannelId))
                .map_err(StoreError::db("find a channel"))
            }

            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("SELECT 1").execute(self.reader()).await.map_err(StoreError::db("ping the database"))?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl PatientStore for $store {
            async fn upsert_patient(
                &self,
                clinic: ClinicId,
                phone: &Phone,
                name: Option<&str>,
                now: DateTime<Utc>,
            ) -> StoreResult<Patient> {
                let row: PatientRow = sqlx::query_as(concat!(
                    "INSERT INTO patients (id, clinic_id, phone, name, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $5) \
                     ON CONFLICT (clinic_id, phone) DO UPDATE SET name = COALESCE(patients.name, excluded.name), \
                     updated_at = CASE WHEN patients.name IS NULL AND excluded.name IS NOT NULL \
                     THEN excluded.updated_at ELSE patients.updated_at END \
                     RETURNING ",
                    rows::patient_columns!()
                ))
                .bind(PatientId::new_random().0)
                .bind(clinic.0)
                .bind(phone.as_str())
                .bind(name.map(str::trim).filter(|n| !n.is_empty()))
                .bind(now)
                .fetch_one(self.writer())
                .await
                .map_err(StoreError::db("save a patient"))?;
                row.try_into()
            }

            async fn patient_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Patient>> {
                let row: Option<PatientRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::patient_columns!(),
                    " FROM patients WHERE clinic_id = $1 AND phone = $2"
                ))
                .bind(clinic.0)
                .bind(phone.as_str())
                .fetch_optional(self.reader())
                .await
                .map_err(StoreError::db("find a patient"))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn set_opted_out(
                &self,
                clinic: ClinicId,
                patient: PatientId,
                at: Option<DateTime<Utc>>,
            ) -> StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE patients SET opted_out_at = $3, updated_at = COALESCE($3, updated_at) \
                     WHERE clinic_id = $1 AND id = $2",
                )
                .bind(clinic.0)
                .bind(patient.0)
                .bind(at)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("record an opt-out"))?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("patient")) } else { Ok(()) }
            }

            async fn save_lead(&self, lead: &Lead) -> StoreResult<Lead> {
                let row: LeadRow = sqlx::query_as(concat!(
                    "INSERT INTO leads (id, clinic_id, patient_id, phone, name, source, interest, facts, score, \
                     temperature, stage, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                     ON CONFLICT (clinic_id, phone) DO UPDATE SET patient_id = excluded.patient_id, \
                     name = excluded.name, source = excluded.source, interest = excluded.interest, \
                     facts = excluded.facts, score = excluded.score, temperature = excluded.temperature, \
                     stage = excluded.stage, updated_at = excluded.updated_at \
                     RETURNING ",
                    rows::lead_columns!()
                ))
                .bind(lead.id.0)
                .bind(lead.clinic_id.0)
                .bind(lead.patient_id.map(|p| p.0))
                .bind(lead.phone.as_str())
                .bind(&lead.name)
                .bind(&lead.source)
                .bind(&lead.interest)
                .bind(Json(&lead.facts))
                .bind(i32::from(lead.score.min(100)))
                .bind(lead.temperature.as_str())
                .bind(lead.stage.as_str())
                .bind(lead.created_at)
                .bind(lead.updated_at)
                .fetch_one(self.writer())
                .await
                .map_err(StoreError::db("save a lead"))?;
                row.try_into()
            }

            async fn lead_by_phone(&self, clinic: ClinicId, phone: &Phone) -> StoreResult<Option<Lead>> {
                let row: Option<LeadRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::lead_columns!(),
                    " FROM leads WHERE clinic_id = $1 AND phone = $2"
                ))
                .bind(clinic.0)
                .bind(phone.as_str())
                .fetch_optional(self.reader())
                .await
                .map_err(StoreError::db("find a lead"))?;
                row.map(TryInto::try_into).transpose()
            }
        }

        #[async_trait::async_trait]
        impl ConversationStore for $store {
            async fn conversation_for(
                &self,
                clinic: ClinicId,
                phone: &Phone,
                now: DateTime<Utc>,
            ) -> StoreResult<Conversation> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                let id = conversation_id_for(&mut tx, clinic, phone, now).await?;
                tx.commit().await.map_err(StoreError::db("commit a conversation"))?;
                self.conversation(id).await?.ok_or(StoreError::NotFound("conversation"))
            }

            async fn conversation(&self, id: ConversationId) -> StoreResult<Option<Conversation>> {
                let row: Option<ConversationRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::conversation_columns!(),
                    " FROM conversations WHERE id = $1"
                ))
                .bind(id.0)
                .fetch_optional(self.writer())
                .await
                .map_err(StoreError::db("read a conversation"))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn save_state(&self, id: ConversationId, state: &Value, now: DateTime<Utc>) -> StoreResult<()> {
                let done = sqlx::query("UPDATE conversations SET state = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.0)
                    .bind(Json(state))
                    .bind(now)
                    .execute(self.writer())
                    .await
                    .map_err(StoreError::db("save conversation state"))?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("conversation")) } else { Ok(()) }
            }

            async fn link_patient(&self, id: ConversationId, patient: PatientId, now: DateTime<Utc>) -> StoreResult<()> {
                let done = sqlx::query("UPDATE conversations SET patient_id = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.0)
                    .bind(patient.0)
                    .bind(now)
                    .execute(self.writer())
                    .await
                    .map_err(StoreError::db("link a patient"))?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("conversation")) } else { Ok(()) }
            }

            async fn set_owner(&self, id: ConversationId, owner: Owner, now: DateTime<Utc>) -> StoreResult<Owner> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                let previous: Option<(String, Option<DateTime<Utc>>)> =
                    sqlx::query_as("SELECT owner, paused_until FROM conversations WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(StoreError::db("read a conversation's owner"))?;
                let previous = match previous {
                    None => return Err(StoreError::NotFound("conversation")),
                    Some((owner, until)) => match (owner.as_str(), until) {
                        ("bot", _) => Owner::Bot,
                        ("human", _) => Owner::Human,
                        ("paused", Some(until)) => Owner::Paused(until),
                        (other, _) => {
                            return Err(StoreError::Corrupt { table: "conversations", problem: format!("owner '{other}'") });
                        }
                    },
                };
                let (owner, paused_until) = rows::owner_columns(owner);
                sqlx::query("UPDATE conversations SET owner = $2, paused_until = $3, updated_at = $4 WHERE id = $1")
                    .bind(id.0)
                    .bind(owner)
                    .bind(paused_until)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("change a conversation's owner"))?;
                tx.commit().await.map_err(StoreError::db("commit an owner change"))?;
                Ok(previous)
            }

            async fn claim_lease(
                &self,
                id: ConversationId,
                holder: &str,
                until: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let done = sqlx::query(
                    "UPDATE conversations SET lease_holder = $2, lease_until = $3 \
                     WHERE id = $1 AND (lease_holder IS NULL OR lease_holder = $2 OR lease_until <= $4)",
                )
                .bind(id.0)
                .bind(holder)
                .bind(until)
                .bind(now)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("claim a conversation"))?;
                Ok(done.rows_affected() == 1)
            }

            async fn release_lease(&self, id: ConversationId, holder: &str) -> StoreResult<()> {
                sqlx::query(
                    "UPDATE conversations SET lease_holder = NULL, lease_until = NULL WHERE id = $1 AND lease_holder = $2",
                )
                .bind(id.0)
                .bind(holder)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("release a conversation"))?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl MessageStore for $store {
            async fn record_inbound(&self, message: &NewInbound) -> StoreResult<InboundReceipt> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                let conversation =
                    conversation_id_for(&mut tx, message.clinic_id, &message.phone, message.received_at).await?;
                let inserted = sqlx::query(
                    "INSERT INTO messages (id, clinic_id, conversation_id, channel_id, direction, author, kind, body, \
                     payload, provider_message_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'inbound', $5, $6, $7, $8, $9, $10, $10) \
                     ON CONFLICT (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING",
                )
                .bind(message.id.0)
                .bind(message.clinic_id.0)
                .bind(conversation.0)
                .bind(message.channel_id.0)
                .bind(message.author.as_str())
                .bind(&message.kind)
                .bind(&message.body)
                .bind(Json(&message.payload))
                .bind(&message.provider_message_id)
                .bind(message.received_at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("store an inbound message"))?
                .rows_affected()
                    == 1;
                let receipt = if inserted {
                    InboundReceipt::Stored { conversation_id: conversation, message_id: message.id }
                } else {
                    let existing: (Uuid, Uuid) = sqlx::query_as(
                        "SELECT id, conversation_id FROM messages WHERE channel_id = $1 AND provider_message_id = $2",
                    )
                    .bind(message.channel_id.0)
                    .bind(&message.provider_message_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(StoreError::db("find a duplicate message"))?;
                    InboundReceipt::Duplicate {
                        conversation_id: ConversationId(existing.1),
                        message_id: MessageId(existing.0),
                    }
                };
                tx.commit().await.map_err(StoreError::db("commit an inbound message"))?;
                Ok(receipt)
            }

            async fn pending_inbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
                let rows: Vec<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::message_columns!(),
                    " FROM messages WHERE conversation_id = $1 AND direction = 'inbound' AND processed_at IS NULL \
                     ORDER BY created_at, id"
                ))
                .bind(conversation.0)
                .fetch_all(self.writer())
                .await
                .map_err(StoreError::db("read pending messages"))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn conversations_with_pending_inbound(&self, limit: u32) -> StoreResult<Vec<ConversationId>> {
                let ids: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT conversation_id FROM messages WHERE direction = 'inbound' AND processed_at IS NULL \
                     GROUP BY conversation_id ORDER BY MIN(created_at) LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("list conversations with pending messages"))?;
                Ok(ids.into_iter().map(ConversationId).collect())
            }

            async fn mark_processed(&self, ids: &[MessageId], now: DateTime<Utc>) -> StoreResult<()> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                for id in ids {
                    sqlx::query("UPDATE messages SET processed_at = $2, updated_at = $2 WHERE id = $1")
                        .bind(id.0)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::db("mark a message processed"))?;
                }
                tx.commit().await.map_err(StoreError::db("commit processed messages"))?;
                Ok(())
            }

            async fn enqueue_outbound(&self, message: &NewOutbound) -> StoreResult<OutboxReceipt> {
                let inserted = sqlx::query(
                    "INSERT INTO messages (id, clinic_id, conversation_id, direction, author, kind, body, payload, \
                     idempotency_key, delivery_status, created_at, updated_at) \
                     VALUES ($1, $2, $3, 'outbound', $4, $5, $6, $7, $8, 'pending', $9, $9) \
                     ON CONFLICT (idempotency_key) DO NOTHING",
                )
                .bind(message.id.0)
                .bind(message.clinic_id.0)
                .bind(message.conversation_id.0)
                .bind(message.author.as_str())
                .bind(&message.kind)
                .bind(&message.body)
                .bind(Json(&message.payload))
                .bind(&message.idempotency_key)
                .bind(message.created_at)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("queue a reply"))?
                .rows_affected()
                    == 1;
                if inserted {
                    return Ok(OutboxReceipt::Queued(message.id));
                }
                let existing: Uuid = sqlx::query_scalar("SELECT id FROM messages WHERE idempotency_key = $1")
                    .bind(&message.idempotency_key)
                    .fetch_one(self.writer())
                    .await
                    .map_err(StoreError::db("find a queued reply"))?;
                Ok(OutboxReceipt::AlreadyQueued(MessageId(existing)))
            }

            async fn pending_outbound(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
                let rows: Vec<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::message_columns!(),
                    " FROM messages WHERE conversation_id = $1 AND direction = 'outbound' \
                     AND delivery_status = 'pending' ORDER BY created_at, id"
                ))
                .bind(conversation.0)
                .fetch_all(self.writer())
                .await
                .map_err(StoreError::db("read the outbox"))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn mark_sent(
                &self,
                id: MessageId,
                channel: ChannelId,
                provider_message_id: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<()> {
                sqlx::query(
                    "UPDATE messages SET channel_id = $2, provider_message_id = $3, sent_at = $4, updated_at = $4, \
                     delivery_status = CASE WHEN delivery_status = 'pending' THEN 'sent' ELSE delivery_status END \
                     WHERE id = $1",
                )
                .bind(id.0)
                .bind(channel.0)
                .bind(provider_message_id)
                .bind(now)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("mark a reply sent"))?;
                Ok(())
            }

            async fn mark_send_failed(&self, id: MessageId, error: &str, now: DateTime<Utc>) -> StoreResult<()> {
                sqlx::query("UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.0)
                    .bind(error)
                    .bind(now)
                    .execute(self.writer())
                    .await
                    .map_err(StoreError::db("mark a reply failed"))?;
                Ok(())
            }

            async fn record_delivery_status(
                &self,
                channel: ChannelId,
                provider_message_id: &str,
                status: DeliveryStatus,
                error: Option<&str>,
                now: DateTime<Utc>,
            ) -> StoreResult<bool> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                let current: Option<(Uuid, Option<String>)> = sqlx::query_as(
                    "SELECT id, delivery_status FROM messages \
                     WHERE channel_id = $1 AND provider_message_id = $2 AND direction = 'outbound'",
                )
                .bind(channel.0)
                .bind(provider_message_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::db("find a sent message"))?;
                let Some((id, current)) = current else { return Ok(false) };
                let current = current.as_deref().and_then(DeliveryStatus::parse).unwrap_or(DeliveryStatus::Pending);
                if status.rank() > current.rank() {
                    sqlx::query(
                        "UPDATE messages SET delivery_status = $2, error = COALESCE($3, error), updated_at = $4 \
                         WHERE id = $1",
                    )
                    .bind(id)
                    .bind(status.as_str())
                    .bind(error)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("record a delivery status"))?;
                }
                tx.commit().await.map_err(StoreError::db("commit a delivery status"))?;
                Ok(true)
            }

            async fn transcript(&self, conversation: ConversationId) -> StoreResult<Vec<StoredMessage>> {
                let rows: Vec<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::message_columns!(),
                    " FROM messages WHERE conversation_id = $1 ORDER BY created_at, id"
                ))
                .bind(conversation.0)
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("read a transcript"))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }
        }

        #[async_trait::async_trait]
        impl AuditStore for $store {
            async fn record_tool_call(&self, entry: &AuditEntry) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO audit_log (id, clinic_id, conversation_id, tool, arguments, result, outcome, \
                     duration_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(Uuid::new_v4())
                .bind(entry.clinic_id.0)
                .bind(entry.conversation_id.map(|c| c.0))
                .bind(&entry.tool)
                .bind(Json(&entry.arguments))
                .bind(Json(&entry.result))
                .bind(entry.outcome.as_str())
                .bind(i32::try_from(entry.duration_ms).unwrap_or(i32::MAX))
                .bind(entry.created_at)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("audit a tool call"))?;
                Ok(())
            }

            async fn tool_calls(&self, conversation: ConversationId) -> StoreResult<Vec<AuditEntry>> {
                let rows: Vec<AuditRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::audit_columns!(),
                    " FROM audit_log WHERE conversation_id = $1 ORDER BY created_at, id"
                ))
                .bind(conversation.0)
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("read the audit log"))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn open_handoff(
                &self,
                clinic: ClinicId,
                conversation: ConversationId,
                reason: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<Handoff> {
                let row: HandoffRow = sqlx::query_as(concat!(
                    "INSERT INTO handoffs (id, clinic_id, conversation_id, reason, status, created_at) \
                     VALUES ($1, $2, $3, $4, 'open', $5) RETURNING ",
                    rows::handoff_columns!()
                ))
                .bind(HandoffId::new_random().0)
                .bind(clinic.0)
                .bind(conversation.0)
                .bind(reason)
                .bind(now)
                .fetch_one(self.writer())
                .await
                .map_err(StoreError::db("record a handoff"))?;
                Ok(row.into())
            }

            async fn resolve_handoff(&self, id: HandoffId, now: DateTime<Utc>) -> StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE handoffs SET status = 'resolved', resolved_at = $2 WHERE id = $1 AND status = 'open'",
                )
                .bind(id.0)
                .bind(now)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("resolve a handoff"))?;
                if done.rows_affected() == 0 { Err(StoreError::NotFound("open handoff")) } else { Ok(()) }
            }

            async fn handoffs(&self, clinic: ClinicId, only_open: bool) -> StoreResult<Vec<Handoff>> {
                let rows: Vec<HandoffRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::handoff_columns!(),
                    " FROM handoffs WHERE clinic_id = $1 AND ($2 = false OR status = 'open') ORDER BY created_at, id"
                ))
                .bind(clinic.0)
                .bind(only_open)
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("list handoffs"))?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn record_interaction(&self, interaction: &Interaction) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO interactions (id, clinic_id, patient_id, lead_id, kind, summary, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(Uuid::new_v4())
                .bind(interaction.clinic_id.0)
                .bind(interaction.patient_id.map(|p| p.0))
                .bind(interaction.lead_id.map(|l| l.0))
                .bind(&interaction.kind)
                .bind(&interaction.summary)
                .bind(Json(&interaction.data))
                .bind(interaction.created_at)
                .execute(self.writer())
                .await
                .map_err(StoreError::db("record an interaction"))?;
                Ok(())
            }

            async fn interactions(&self, clinic: ClinicId, patient: PatientId) -> StoreResult<Vec<Interaction>> {
                let rows: Vec<InteractionRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::interaction_columns!(),
                    " FROM interactions WHERE clinic_id = $1 AND patient_id = $2 ORDER BY created_at, id"
                ))
                .bind(clinic.0)
                .bind(patient.0)
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("read interactions"))?;
                Ok(rows.into_iter().map(Into::into).collect())
            }
        }

        /// The conversation of this phone, created inside the caller's transaction if new.
        async fn conversation_id_for(
            tx: &mut sqlx::Transaction<'_, Backend>,
            clinic: ClinicId,
            phone: &Phone,
            now: DateTime<Utc>,
        ) -> StoreResult<ConversationId> {
            sqlx::query(
                "INSERT INTO conversations (id, clinic_id, phone, owner, state, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'bot', $4, $5, $5) ON CONFLICT (clinic_id, phone) DO NOTHING",
            )
            .bind(ConversationId::new_random().0)
            .bind(clinic.0)
            .bind(phone.as_str())
            .bind(Json(json!({})))
            .bind(now)
            .execute(&mut **tx)
            .await
            .map_err(StoreError::db("create a conversation"))?;
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM conversations WHERE clinic_id = $1 AND phone = $2")
                .bind(clinic.0)
                .bind(phone.as_str())
                .fetch_one(&mut **tx)
                .await
                .map(ConversationId)
                .map_err(StoreError::db("find a conversation"))
        }
    };
}

pub(crate) use shared_store_impls;
