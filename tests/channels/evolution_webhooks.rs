//! Evolution API v2 webhook fixtures → `InboundEvent`s.

use sofia::channels::evolution::parse_webhook;
use sofia::channels::{
    IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin,
};
use sofia::core::domain::DeliveryStatus;

use crate::support::{at, fixture, id, phone, single_message, single_status};

fn parse(name: &str) -> Vec<InboundEvent> {
    parse_webhook(&fixture("evolution", name)).unwrap()
}

fn ignored(name: &str) -> IgnoreReason {
    match <[InboundEvent; 1]>::try_from(parse(name)) {
        Ok([InboundEvent::Ignored { reason }]) => reason,
        other => panic!("{name}: expected one ignored event, got {other:?}"),
    }
}

/// A message from the patient Maria.
fn from_patient(name: &str) -> InboundMessage {
    let message = single_message(parse(name));
    assert_eq!(message.phone, phone("+5511987654321"), "{name}");
    assert_eq!(message.origin, Origin::Patient, "{name}");
    assert_eq!(message.push_name.as_deref(), Some("Maria Silva"), "{name}");
    message
}

#[test]
fn text() {
    let message = from_patient("text.json");
    assert_eq!(message.id, id("3EB0C431D5A2B7F8E9A1"));
    assert_eq!(message.timestamp, at(1_772_452_800));
    assert_eq!(message.reply_to, None);
    assert_eq!(message.content, MessageContent::Text { body: "Oi! Vocês atendem no sábado?".into() });
}

#[test]
fn upper_snake_event_names_and_extended_text_are_accepted() {
    assert_eq!(
        from_patient("text_upper_snake_event.json").content,
        MessageContent::Text { body: "Queria marcar uma limpeza de pele".into() }
    );
}

#[test]
fn native_flow_button_reply_reads_the_id_from_params_json() {
    let message = from_patient("button_reply.json");
    assert_eq!(message.reply_to, Some(id("3EB0AABBCCDDEEFF0011")));
    assert_eq!(
        message.content,
        MessageContent::ButtonReply { id: "confirmar_consulta".into(), title: "Confirmar".into() }
    );
}

#[test]
fn legacy_button_reply() {
    assert_eq!(
        from_patient("button_reply_legacy.json").content,
        MessageContent::ButtonReply { id: "remarcar".into(), title: "Remarcar".into() }
    );
}

#[test]
fn list_reply() {
    let message = from_patient("list_reply.json");
    assert_eq!(message.reply_to, Some(id("3EB0AABBCCDDEEFF0022")));
    assert_eq!(
        message.content,
        MessageContent::ListReply {
            id: "slot_2026-03-03T14:00".into(),
            title: "Ter 03/03 14:00".into(),
            description: Some("Dra. Ana Paula Souza".into()),
        }
    );
}

#[test]
fn voice_note_is_fetched_from_evolution_not_inlined() {
    assert_eq!(
        from_patient("audio_voice.json").content,
        MessageContent::Audio {
            voice: true,
            media: Media {
                mime_type: Some("audio/ogg; codecs=opus".into()),
                source: MediaSource::EvolutionMessage
            },
            transcript: None,
        }
    );
}

#[test]
fn image_with_caption_uses_the_object_storage_url() {
    assert_eq!(
        from_patient("image_caption.json").content,
        MessageContent::Image {
            caption: Some("Segue o comprovante do Pix".into()),
            media: Media {
                mime_type: Some("image/jpeg".into()),
                source: MediaSource::Url(
                    "https://s3.exemplo.com.br/evolution/bella-forma/3EB0112233445566CCDD.jpeg".into()
                ),
            },
        }
    );
}

#[test]
fn document() {
    assert_eq!(
        from_patient("document.json").content,
        MessageContent::Document {
            caption: Some("Pedido médico".into()),
            filename: Some("pedido-exame.pdf".into()),
            media: Media { mime_type: Some("application/pdf".into()), source: MediaSource::EvolutionMessage },
        }
    );
}

#[test]
fn location() {
    assert_eq!(
        from_patient("location.json").content,
        MessageContent::Location {
            latitude: -23.561414,
            longitude: -46.655881,
            name: Some("Av. Paulista, 1000".into()),
            address: Some("Av. Paulista, 1000 - Bela Vista, São Paulo - SP".into()),
        }
    );
}

#[test]
fn contact_numbers_come_from_the_vcard() {
    assert_eq!(
        from_patient("contact.json").content,
        MessageContent::Contact { name: "Ana Souza".into(), phones: vec![phone("+5511976543210")] }
    );
}

#[test]
fn reaction() {
    assert_eq!(
        from_patient("reaction.json").content,
        MessageContent::Reaction { emoji: Some("❤️".into()), target: id("3EB0AABBCCDDEEFF0011") }
    );
}

#[test]
fn staff_typing_on_the_phone_is_reported_as_such() {
    let message = single_message(parse("from_me_phone.json"));
    assert_eq!(message.origin, Origin::StaffPhone);
    assert!(message.from_me());
    assert_eq!(message.phone, phone("+5511987654321"), "the chat's patient, not the clinic");
    assert_eq!(message.push_name, None, "'Você' is not the patient's name");
}

#[test]
fn our_own_sends_come_back_as_api_echoes() {
    let message = single_message(parse("our_api_echo.json"));
    assert_eq!(message.origin, Origin::OurApi);
    assert_eq!(message.id, id("3EB0AABBCCDDEEFF0011"));
    assert_eq!(message.phone, phone("+5511987654321"));
}

#[test]
fn a_lid_sender_is_identified_by_remote_jid_alt() {
    let message = from_patient("lid_sender.json");
    assert_eq!(message.content, MessageContent::Text { body: "Bom dia! Tem horário amanhã?".into() });
}

#[test]
fn a_lid_sender_without_a_phone_is_ignored() {
    assert_eq!(ignored("lid_without_phone.json"), IgnoreReason::NoPhone);
}

#[test]
fn group_messages_are_ignored() {
    assert_eq!(ignored("group.json"), IgnoreReason::Group);
}

#[test]
fn statuses_map_baileys_acks() {
    let delivered = single_status(parse("status_delivered.json"));
    assert_eq!(delivered.id, id("3EB0AABBCCDDEEFF0011"));
    assert_eq!(delivered.status, DeliveryStatus::Delivered);
    assert_eq!(delivered.recipient, Some(phone("+5511987654321")));
    assert_eq!(delivered.timestamp, None, "Evolution status events carry no time of their own");
    assert_eq!(single_status(parse("status_read.json")).status, DeliveryStatus::Read);
    let failed = single_status(parse("status_failed.json"));
    assert_eq!((failed.id, failed.status), (id("3EB0AABBCCDDEEFF0033"), DeliveryStatus::Failed));
}

#[test]
fn receipts_for_the_patients_own_messages_are_ignored() {
    assert_eq!(ignored("status_of_inbound.json"), IgnoreReason::ReceiptOfInbound);
}

#[test]
fn connection_updates_and_unknown_events_are_ignored() {
    assert_eq!(ignored("connection_update.json"), IgnoreReason::Connection { state: "close".into() });
    assert_eq!(ignored("unknown_event.json"), IgnoreReason::Unhandled { event: "presence.update".into() });
}

#[test]
fn a_message_without_an_id_is_refused_by_path() {
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("evolution", "text.json")).unwrap();
    body["data"]["key"]["id"] = serde_json::Value::Null;
    assert_eq!(
        parse_webhook(body.to_string().as_bytes()).unwrap_err().to_string(),
        "`data.key.id` is missing"
    );
    assert_eq!(parse_webhook(b"[]").unwrap_err().to_string(), "`(body)` is invalid: expected an object");
}

#[test]
fn a_call_is_a_message_when_it_rings_and_ignored_after() {
    let call = single_message(parse("call.json"));
    assert_eq!(call.id, id("7F3C1A9B2D4E6F8A0B1C2D3E4F5A6B7C"));
    assert_eq!(call.phone, phone("+5511987654321"));
    assert_eq!(call.origin, Origin::Patient);
    assert_eq!(call.timestamp, at(1_772_453_100));
    assert_eq!(call.content, MessageContent::Call { video: false });
    assert_eq!(ignored("call_timeout.json"), IgnoreReason::System { kind: "call timeout".into() });
}

#[test]
fn a_catalogue_order_is_summarised_for_the_team() {
    assert_eq!(
        from_patient("order.json").content,
        MessageContent::Order {
            summary: "2 itens: Limpeza de Pele (total R$ 360,00); obs.: Quero os dois, pode ser no sábado?"
                .into()
        }
    );
}
