//! Moving messages in and out: group-committed webhook ingest, the outbox dispatcher's claims,
//! staff pauses and dead letters. The statements are shared by both adapters and instantiated
//! per backend like `shared_store_impls!`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sofia_core::domain::{ChannelId, ConversationId, MessageId, ProviderKind};
use uuid::Uuid;

use super::{InboundReceipt, NewInbound, Owner, StoreResult, StoredMessage};

/// One inbound message of a group-committed batch.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundWrite {
    pub message: NewInbound,
    /// The patient's WhatsApp name: fills the patient's name when the clinic has none.
    pub push_name: Option<String>,
}

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
    /// Stores inbound messages in one transaction, each once per channel and provider id (the
    /// receipts are in the batch's order), and fills a new patient's name from the push name.
    /// Messages not written by the patient are stored as processed: they are context for the
    /// next turn, not a turn of their own.
    async fn record_inbound_batch(&self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>>;
    /// Silences the bot until `until` (or a later pause already set) because staff wrote on the
    /// phone, unless a human owns the conversation. Returns the owner afterwards.
    async fn pause_for_staff(
        &self,
        id: ConversationId,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Owner>;
    /// Takes every queued reply of the conversation for one dispatcher, oldest first. Empty when
    /// another claim of this conversation is still in flight, so bubbles never overtake each
    /// other. A claimed row is never handed out again.
    async fn claim_outbound(
        &self,
        conversation: ConversationId,
        claim: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<StoredMessage>>;
    /// Gives claimed rows back to the queue, for rows that certainly were not sent.
    async fn release_outbound(&self, ids: &[MessageId], reason: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// Fails rows claimed before `claimed_before` and still pending: their dispatcher died
    /// while sending, and whether the provider got them is unknown. Returns how many.
    async fn fail_stale_claims(
        &self,
        claimed_before: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// Conversations with unclaimed queued replies, oldest first (for the periodic sweep).
    async fn conversations_with_pending_outbound(&self, limit: u32) -> StoreResult<Vec<ConversationId>>;
    /// The patient's most recent message in the conversation (for read receipts and typing).
    async fn latest_patient_message(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Option<StoredMessage>>;
    async fn record_dead_letter(&self, letter: &DeadLetter) -> StoreResult<()>;
    /// The most recent dead letters first.
    async fn dead_letters(&self, limit: u32) -> StoreResult<Vec<DeadLetter>>;
}

macro_rules! delivery_queries {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl DeliveryStore for $store {
            async fn record_inbound_batch(&self, batch: &[InboundWrite]) -> StoreResult<Vec<InboundReceipt>> {
                use std::collections::{BTreeMap, HashMap, HashSet};
                if batch.is_empty() {
                    return Ok(Vec::new());
                }
                // A handful of multi-row statements per batch, whatever its size: round trips,
                // not rows, are what a batch costs. Rows go in one global order (conversation,
                // then message) so that concurrent batches on PostgreSQL wait for each other
                // instead of deadlocking.
                let mut order: Vec<&InboundWrite> = batch.iter().collect();
                order.sort_by(|a, b| {
                    let (a, b) = (&a.message, &b.message);
                    (a.clinic_id, a.phone.as_str(), a.channel_id, a.provider_message_id.as_str())
                        .cmp(&(b.clinic_id, b.phone.as_str(), b.channel_id, b.provider_message_id.as_str()))
                });
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;

                // Conversations: created when new, then all read back.
                let mut phones: BTreeMap<ClinicId, Vec<(&Phone, DateTime<Utc>)>> = BTreeMap::new();
                for write in &order {
                    let of_clinic = phones.entry(write.message.clinic_id).or_default();
                    if of_clinic.last().is_none_or(|(phone, _)| *phone != &write.message.phone) {
                        of_clinic.push((&write.message.phone, write.message.received_at));
                    }
                }
                let mut conversations = HashMap::new();
                for (clinic, phones) in &phones {
                    let mut insert = sqlx::QueryBuilder::<Backend>::new(
                        "INSERT INTO conversations (id, clinic_id, phone, owner, state, created_at, updated_at) ",
                    );
                    insert.push_values(phones, |mut row, (phone, at)| {
                        row.push_bind(ConversationId::new_random().0)
                            .push_bind(clinic.0)
                            .push_bind(phone.as_str())
                            .push_bind("bot")
                            .push_bind(Json(json!({})))
                            .push_bind(*at)
                            .push_bind(*at);
                    });
                    insert.push(" ON CONFLICT (clinic_id, phone) DO NOTHING");
                    insert.build().execute(&mut *tx).await.map_err(StoreError::db("create conversations"))?;
                    let mut select =
                        sqlx::QueryBuilder::<Backend>::new("SELECT id, phone FROM conversations WHERE clinic_id = ");
                    select.push_bind(clinic.0).push(" AND phone IN (");
                    let mut list = select.separated(", ");
                    for (phone, _) in phones {
                        list.push_bind(phone.as_str());
                    }
                    select.push(")");
                    let found: Vec<(Uuid, String)> = select
                        .build_query_as()
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(StoreError::db("find conversations"))?;
                    for (id, phone) in found {
                        conversations.insert((*clinic, phone), ConversationId(id));
                    }
                }
                let conversation_of = |message: &NewInbound| {
                    conversations
                        .get(&(message.clinic_id, message.phone.as_str().to_owned()))
                        .copied()
                        .ok_or(StoreError::NotFound("conversation"))
                };

                // Messages: the ones inserted come back; the rest were delivered before.
                let rows = order
                    .iter()
                    .map(|write| Ok((&write.message, conversation_of(&write.message)?)))
                    .collect::<StoreResult<Vec<_>>>()?;
                let mut insert = sqlx::QueryBuilder::<Backend>::new(
                    "INSERT INTO messages (id, clinic_id, conversation_id, channel_id, direction, author, kind, \
                     body, payload, provider_message_id, processed_at, created_at, updated_at) ",
                );
                insert.push_values(&rows, |mut row, (message, conversation)| {
                    // Only the patient's messages wait for a turn; what staff typed is context.
                    let processed_at = (message.author != Author::Patient).then_some(message.received_at);
                    row.push_bind(message.id.0)
                        .push_bind(message.clinic_id.0)
                        .push_bind(conversation.0)
                        .push_bind(message.channel_id.0)
                        .push_bind("inbound")
                        .push_bind(message.author.as_str())
                        .push_bind(message.kind.as_str())
                        .push_bind(message.body.as_str())
                        .push_bind(Json(&message.payload))
                        .push_bind(message.provider_message_id.as_str())
                        .push_bind(processed_at)
                        .push_bind(message.received_at)
                        .push_bind(message.received_at);
                });
                insert.push(
                    " ON CONFLICT (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL \
                     DO NOTHING RETURNING id",
                );
                let inserted: HashSet<Uuid> = insert
                    .build_query_scalar::<Uuid>()
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(StoreError::db("store inbound messages"))?
                    .into_iter()
                    .collect();

                let mut repeated: BTreeMap<ChannelId, Vec<&str>> = BTreeMap::new();
                for (message, _) in &rows {
                    if !inserted.contains(&message.id.0) {
                        repeated.entry(message.channel_id).or_default().push(message.provider_message_id.as_str());
                    }
                }
                let mut earlier = HashMap::new();
                for (channel, ids) in &repeated {
                    let mut select = sqlx::QueryBuilder::<Backend>::new(
                        "SELECT id, conversation_id, provider_message_id FROM messages WHERE channel_id = ",
                    );
                    select.push_bind(channel.0).push(" AND provider_message_id IN (");
                    let mut list = select.separated(", ");
                    for id in ids {
                        list.push_bind(*id);
                    }
                    select.push(")");
                    let found: Vec<(Uuid, Uuid, String)> = select
                        .build_query_as()
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(StoreError::db("find duplicate messages"))?;
                    for (id, conversation, provider_id) in found {
                        earlier.insert((*channel, provider_id), (MessageId(id), ConversationId(conversation)));
                    }
                }

                // A new patient's name, from the first stored message that carries one.
                let mut names: BTreeMap<(ClinicId, &str), &str> = BTreeMap::new();
                for write in &order {
                    let message = &write.message;
                    if let Some(name) = write.push_name.as_deref().map(str::trim).filter(|n| !n.is_empty())
                        && message.author == Author::Patient
                        && inserted.contains(&message.id.0)
                    {
                        names.entry((message.clinic_id, message.phone.as_str())).or_insert(name);
                    }
                }
                if !names.is_empty() {
                    let mut upsert = sqlx::QueryBuilder::<Backend>::new(
                        "INSERT INTO patients (id, clinic_id, phone, name, created_at, updated_at) ",
                    );
                    let now = order[0].message.received_at;
                    upsert.push_values(&names, |mut row, ((clinic, phone), name)| {
                        row.push_bind(PatientId::new_random().0)
                            .push_bind(clinic.0)
                            .push_bind(*phone)
                            .push_bind(*name)
                            .push_bind(now)
                            .push_bind(now);
                    });
                    upsert.push(
                        " ON CONFLICT (clinic_id, phone) DO UPDATE SET name = excluded.name, \
                         updated_at = excluded.updated_at WHERE patients.name IS NULL",
                    );
                    upsert.build().execute(&mut *tx).await.map_err(StoreError::db("save patients' WhatsApp names"))?;
                }
                tx.commit().await.map_err(StoreError::db("commit inbound messages"))?;

                batch
                    .iter()
                    .map(|write| {
                        let message = &write.message;
                        if inserted.contains(&message.id.0) {
                            return Ok(InboundReceipt::Stored {
                                conversation_id: conversation_of(message)?,
                                message_id: message.id,
                            });
                        }
                        let (message_id, conversation_id) = earlier
                            .get(&(message.channel_id, message.provider_message_id.clone()))
                            .copied()
                            .ok_or(StoreError::NotFound("duplicate message"))?;
                        Ok(InboundReceipt::Duplicate { conversation_id, message_id })
                    })
                    .collect()
            }

            async fn pause_for_staff(
                &self,
                id: ConversationId,
                until: DateTime<Utc>,
                now: DateTime<Utc>,
            ) -> StoreResult<Owner> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                sqlx::query(
                    "UPDATE conversations SET owner = 'paused', updated_at = $3, paused_until = \
                     CASE WHEN owner = 'paused' AND paused_until > $2 THEN paused_until ELSE $2 END \
                     WHERE id = $1 AND owner <> 'human'",
                )
                .bind(id.0)
                .bind(until)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("pause the bot for staff"))?;
                let owner: Option<(String, Option<DateTime<Utc>>)> =
                    sqlx::query_as("SELECT owner, paused_until FROM conversations WHERE id = $1")
                        .bind(id.0)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(StoreError::db("read a conversation's owner"))?;
                tx.commit().await.map_err(StoreError::db("commit a staff pause"))?;
                match owner {
                    None => Err(StoreError::NotFound("conversation")),
                    Some((owner, until)) => match (owner.as_str(), until) {
                        ("bot", _) => Ok(Owner::Bot),
                        ("human", _) => Ok(Owner::Human),
                        ("paused", Some(until)) => Ok(Owner::Paused(until)),
                        (other, _) => {
                            Err(StoreError::Corrupt { table: "conversations", problem: format!("owner '{other}'") })
                        }
                    },
                }
            }

            async fn claim_outbound(
                &self,
                conversation: ConversationId,
                claim: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<Vec<StoredMessage>> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                // A no-op write that locks the conversation's row on PostgreSQL (SQLite's single
                // writer serialises anyway), so two claims of one conversation never interleave.
                let found = sqlx::query("UPDATE conversations SET updated_at = updated_at WHERE id = $1")
                    .bind(conversation.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("lock a conversation's outbox"))?
                    .rows_affected();
                if found == 0 {
                    return Err(StoreError::NotFound("conversation"));
                }
                // Someone is sending this conversation's bubbles: leave the rest to them, or
                // a later bubble could overtake an earlier one.
                let in_flight: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND direction = 'outbound' \
                     AND delivery_status = 'pending' AND claimed_at IS NOT NULL",
                )
                .bind(conversation.0)
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::db("look for a send in flight"))?;
                if in_flight > 0 {
                    return Ok(Vec::new());
                }
                sqlx::query(
                    "UPDATE messages SET claimed_by = $2, claimed_at = $3 WHERE conversation_id = $1 \
                     AND direction = 'outbound' AND delivery_status = 'pending' AND claimed_at IS NULL",
                )
                .bind(conversation.0)
                .bind(claim)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::db("claim queued replies"))?;
                let rows: Vec<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::message_columns!(),
                    " FROM messages WHERE conversation_id = $1 AND claimed_by = $2 \
                     AND delivery_status = 'pending' ORDER BY created_at, idempotency_key"
                ))
                .bind(conversation.0)
                .bind(claim)
                .fetch_all(&mut *tx)
                .await
                .map_err(StoreError::db("read claimed replies"))?;
                tx.commit().await.map_err(StoreError::db("commit a claim"))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn release_outbound(
                &self,
                ids: &[MessageId],
                reason: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<()> {
                let mut tx = self.writer().begin().await.map_err(StoreError::db("begin"))?;
                for id in ids {
                    sqlx::query(
                        "UPDATE messages SET claimed_by = NULL, claimed_at = NULL, error = $2, updated_at = $3 \
                         WHERE id = $1 AND delivery_status = 'pending'",
                    )
                    .bind(id.0)
                    .bind(reason)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::db("release a reply"))?;
                }
                tx.commit().await.map_err(StoreError::db("commit released replies"))?;
                Ok(())
            }

            async fn fail_stale_claims(
                &self,
                claimed_before: DateTime<Utc>,
                error: &str,
                now: DateTime<Utc>,
            ) -> StoreResult<u64> {
                sqlx::query(
                    "UPDATE messages SET delivery_status = 'failed', error = $2, updated_at = $3 \
                     WHERE direction = 'outbound' AND delivery_status = 'pending' AND claimed_at < $1",
                )
                .bind(claimed_before)
                .bind(error)
                .bind(now)
                .execute(self.writer())
                .await
                .map(|done| done.rows_affected())
                .map_err(StoreError::db("fail abandoned sends"))
            }

            async fn conversations_with_pending_outbound(&self, limit: u32) -> StoreResult<Vec<ConversationId>> {
                let ids: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT conversation_id FROM messages WHERE direction = 'outbound' \
                     AND delivery_status = 'pending' AND claimed_at IS NULL \
                     GROUP BY conversation_id ORDER BY MIN(created_at) LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(self.writer())
                .await
                .map_err(StoreError::db("list conversations with queued replies"))?;
                Ok(ids.into_iter().map(ConversationId).collect())
            }

            async fn latest_patient_message(&self, conversation: ConversationId) -> StoreResult<Option<StoredMessage>> {
                let row: Option<MessageRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    rows::message_columns!(),
                    " FROM messages WHERE conversation_id = $1 AND direction = 'inbound' AND author = 'patient' \
                     ORDER BY created_at DESC, id DESC LIMIT 1"
                ))
                .bind(conversation.0)
                .fetch_optional(self.reader())
                .await
                .map_err(StoreError::db("read the patient's last message"))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn record_dead_letter(&self, letter: &DeadLetter) -> StoreResult<()> {
                sqlx::query(
                    "INSERT INTO dead_letters (id, provider, channel_id, reason, body, received_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(letter.id)
                .bind(letter.provider.as_str())
                .bind(letter.channel_id.map(|c| c.0))
                .bind(&letter.reason)
                .bind(&letter.body)
                .bind(letter.received_at)
                .execute(self.writer())
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
                .fetch_all(self.reader())
                .await
                .map_err(StoreError::db("read unreadable webhooks"))?;
                rows.into_iter()
                    .map(|(id, provider, channel_id, reason, body, received_at)| {
                        Ok(DeadLetter {
                            id,
                            provider: sofia_core::domain::ProviderKind::parse(&provider).ok_or_else(|| {
                                StoreError::Corrupt { table: "dead_letters", problem: format!("provider '{provider}'") }
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
    };
}

pub(crate) use delivery_queries;
