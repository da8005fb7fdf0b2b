//! Changes of a conversation's owner on the patient's timeline (the `interactions` table).

use chrono::{DateTime, Utc};
use serde_json::Value;
use sofia_core::domain::InteractionKind;

use crate::store::{Conversation, Interaction, Store, StoreError};

/// Records `kind` on the timelines of the conversation's patient and lead, as the tools record
/// theirs. A number the clinic knows neither as does not become a patient because of it.
pub(crate) async fn record(
    store: &dyn Store,
    conversation: &Conversation,
    kind: InteractionKind,
    summary: String,
    data: Value,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let patient = match conversation.patient_id {
        Some(id) => Some(id),
        None => store.patient_by_phone(conversation.clinic_id, &conversation.phone).await?.map(|p| p.id),
    };
    let lead = store.lead_by_phone(conversation.clinic_id, &conversation.phone).await?;
    store
        .record_interaction(&Interaction {
            clinic_id: conversation.clinic_id,
            patient_id: patient,
            lead_id: lead.map(|lead| lead.id),
            kind,
            summary,
            data,
            created_at: now,
        })
        .await
}
