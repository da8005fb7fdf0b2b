//! How one of our stored messages appears in Chatwoot: who wrote it (`incoming` for the
//! patient, `outgoing` for the clinic), what agents read, and the tag that marks it as ours.

use serde_json::json;
use sofia_core::domain::{DeliveryStatus, MessageKind};

use super::client::{MessageType, NewMessage};
use crate::store::{Author, StoredMessage};

/// Shown above what staff typed on the clinic's phone, so agents know it did not come from
/// Sofia or from Chatwoot.
pub const FROM_THE_PHONE: &str = "📱 Enviada pelo celular da clínica:";
/// Shown above a reply of Sofia's that never reached the patient (posted as a private note).
pub const NOT_DELIVERED: &str = "⚠️ Resposta da Sofia que não chegou ao paciente:";
/// Shown above an agent's reply that WhatsApp did not take (posted as a private note, with why).
pub const AGENT_NOT_DELIVERED: &str = "⚠️ Esta mensagem não chegou ao paciente pelo WhatsApp:";

/// The Chatwoot message that mirrors `message`. Every one carries
/// `content_attributes.sofia = {message_id, author}` and our id as `source_id`, so that the
/// webhook side can recognise (and skip) what Sofia posted.
pub fn mirrored(message: &StoredMessage) -> NewMessage {
    let text = content(message);
    let (message_type, private, content) = match message.author {
        Author::Patient => (MessageType::Incoming, false, text),
        Author::StaffPhone => (MessageType::Outgoing, false, format!("{FROM_THE_PHONE}\n{text}")),
        Author::Bot if message.delivery_status == Some(DeliveryStatus::Failed) => {
            (MessageType::Outgoing, true, format!("{NOT_DELIVERED}\n{text}"))
        }
        // Only an agent's reply that failed is mirrored: the ones that left are in Chatwoot.
        Author::Agent if message.delivery_status == Some(DeliveryStatus::Failed) => {
            let why = message.error.as_deref().map(|error| format!("\n({error})")).unwrap_or_default();
            (MessageType::Outgoing, true, format!("{AGENT_NOT_DELIVERED}\n{text}{why}"))
        }
        Author::Bot | Author::Agent => (MessageType::Outgoing, false, text),
    };
    NewMessage {
        content,
        message_type,
        private,
        content_attributes: json!({
            "sofia": { "message_id": message.id, "author": message.author.as_str() }
        }),
        source_id: Some(message.id.to_string()),
    }
}

/// Shown above a voice note's transcript, so agents know the patient spoke it.
pub const TRANSCRIBED: &str = "🎤 Áudio transcrito:";

/// The message's text, or what it was when it has none (a voice note, a photo…).
fn content(message: &StoredMessage) -> String {
    let body = message.body.trim();
    if !body.is_empty() && message.kind == MessageKind::Audio {
        return format!("{TRANSCRIBED}\n{body}");
    }
    if !body.is_empty() {
        return body.to_owned();
    }
    let what = match message.kind {
        MessageKind::Audio => "[áudio]",
        MessageKind::Image => "[imagem]",
        MessageKind::Video => "[vídeo]",
        MessageKind::Document => "[documento]",
        MessageKind::Location => "[localização]",
        MessageKind::Contact => "[contato]",
        MessageKind::Reaction => "[reação]",
        MessageKind::Sticker => "[figurinha]",
        MessageKind::Call => "[ligação pelo WhatsApp]",
        MessageKind::Order => "[pedido pelo catálogo]",
        MessageKind::Unsupported => "[mensagem que a Sofia não lê]",
        MessageKind::Text
        | MessageKind::ButtonReply
        | MessageKind::ListReply
        | MessageKind::Buttons
        | MessageKind::List
        | MessageKind::Template => "[mensagem vazia]",
    };
    what.to_owned()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::Value;
    use sofia_core::domain::{ClinicId, ConversationId, Direction, MessageId};

    use super::*;

    fn stored(direction: Direction, author: Author, kind: MessageKind, body: &str) -> StoredMessage {
        StoredMessage {
            id: MessageId::new_random(),
            clinic_id: ClinicId::new_random(),
            conversation_id: ConversationId::new_random(),
            channel_id: None,
            direction,
            author,
            kind,
            body: body.into(),
            payload: Value::Null,
            provider_message_id: None,
            idempotency_key: None,
            delivery_status: (direction == Direction::Outbound).then_some(DeliveryStatus::Sent),
            error: None,
            processed_at: None,
            sent_at: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn the_patient_is_incoming_and_the_clinic_outgoing() {
        let patient =
            stored(Direction::Inbound, Author::Patient, MessageKind::Text, "Oi, vocês abrem sábado?");
        let posted = mirrored(&patient);
        assert_eq!((posted.message_type, posted.private), (MessageType::Incoming, false));
        assert_eq!(posted.content, "Oi, vocês abrem sábado?");
        assert_eq!(posted.content_attributes["sofia"]["message_id"], patient.id.to_string());
        assert_eq!(posted.content_attributes["sofia"]["author"], "patient");

        let bot = stored(Direction::Outbound, Author::Bot, MessageKind::Text, "Abrimos sim, das 9h às 13h!");
        let posted = mirrored(&bot);
        assert_eq!((posted.message_type, posted.private), (MessageType::Outgoing, false));
        assert_eq!(posted.content_attributes["sofia"]["author"], "bot");
        assert_eq!(posted.source_id, Some(bot.id.to_string()));

        let staff = stored(Direction::Inbound, Author::StaffPhone, MessageKind::Text, "Te espero amanhã!");
        let posted = mirrored(&staff);
        assert_eq!(posted.message_type, MessageType::Outgoing);
        assert_eq!(posted.content, format!("{FROM_THE_PHONE}\nTe espero amanhã!"));
    }

    #[test]
    fn an_undelivered_reply_is_a_private_note_and_media_is_named() {
        let mut failed = stored(Direction::Outbound, Author::Bot, MessageKind::Text, "Confirmado!");
        failed.delivery_status = Some(DeliveryStatus::Failed);
        let posted = mirrored(&failed);
        assert!(posted.private);
        assert!(posted.content.starts_with(NOT_DELIVERED));
        let audio = stored(Direction::Inbound, Author::Patient, MessageKind::Audio, "");
        assert_eq!(mirrored(&audio).content, "[áudio]");
        let transcribed =
            stored(Direction::Inbound, Author::Patient, MessageKind::Audio, "queria marcar botox");
        assert_eq!(mirrored(&transcribed).content, "🎤 Áudio transcrito:\nqueria marcar botox");
    }
}
