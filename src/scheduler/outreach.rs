//! Writing first to a patient: what every proactive job does once it decided to send. The
//! message goes to the patient's conversation through the outbox, once (keyed by the job), and
//! what the patient is now answering is put in the conversation state.

use sofia_core::clinic::Clinic;
use sofia_core::conversation::ConversationState;
use sofia_core::domain::{AppointmentId, MessageId};

use super::{BUSY_RETRY, Outcome, Proactive, Scheduler, SchedulerError};
use crate::channels::OutboundMessage;
use crate::store::{Author, NewOutbound, Patient};

/// Queues `message` for `patient` after `remember` wrote its context into the conversation
/// state, under `key` (the job's, or one per message of a job that sends several). A job run
/// again after a crash finds its message already queued and queues nothing.
pub(super) async fn write_first(
    scheduler: &Scheduler,
    clinic: &Clinic,
    key: &str,
    patient: &Patient,
    appointment: Option<AppointmentId>,
    message: OutboundMessage,
    remember: impl FnOnce(&mut ConversationState) + Send,
) -> Result<Outcome, SchedulerError> {
    let store = &scheduler.store;
    let now = scheduler.clock.now();
    let conversation = store.conversation_for(clinic.id, &patient.phone, now).await?;
    if conversation.patient_id.is_none() {
        store.link_patient(conversation.id, patient.id, now).await?;
    }
    // The state is the conversation worker's: written only under its lease, so a turn under
    // way is never overwritten.
    let holder = format!("job:{key}");
    if !store.claim_lease(conversation.id, &holder, now + BUSY_RETRY, now).await? {
        return Ok(Outcome::Later(now + BUSY_RETRY, "conversation_busy"));
    }
    let queued = async {
        let current = store.conversation(conversation.id).await?;
        let mut state = current.map(|c| ConversationState::from_json(&c.state)).unwrap_or_default();
        remember(&mut state);
        store.save_state(conversation.id, &state.to_json()?, now).await?;
        let outbound = NewOutbound {
            id: MessageId(uuid::Uuid::now_v7()),
            clinic_id: clinic.id,
            conversation_id: conversation.id,
            idempotency_key: format!("job:{key}"),
            author: Author::Bot,
            kind: message.kind(),
            body: message.plain_text(),
            payload: serde_json::to_value(&message)?,
            created_at: now,
        };
        store.enqueue_outbound(&outbound).await?;
        Ok::<(), SchedulerError>(())
    }
    .await;
    store.release_lease(conversation.id, &holder).await?;
    queued?;
    Ok(Outcome::Sent(Proactive { conversation: conversation.id, appointment, message }))
}
