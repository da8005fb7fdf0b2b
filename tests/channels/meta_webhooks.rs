//! Meta Cloud API webhook fixtures → `InboundEvent`s.

use sofia::channels::meta::parse_webhook;
use sofia::channels::{
    DeliveryError, IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin,
    ParseError,
};
use sofia::core::domain::DeliveryStatus;

use crate::support::{at, fixture, id, phone, single_message, single_status};

const PHONE_NUMBER_ID: &str = "109876543210987";

/// Parses a fixture whose events all belong to the main business number.
fn parse(name: &str) -> Vec<InboundEvent> {
    let notification = parse_webhook(&fixture("meta", name)).unwrap();
    assert!(notification.rejected.is_empty(), "{name}: {:?}", notification.rejected);
    notification
        .events
        .into_iter()
        .map(|(phone_number_id, event)| {
            assert_eq!(phone_number_id, PHONE_NUMBER_ID, "{name}");
            event
        })
        .collect()
}

fn message(name: &str) -> InboundMessage {
    let message = single_message(parse(name));
    assert_eq!(message.phone, phone("+5511987654321"));
    assert_eq!(message.push_name.as_deref(), Some("Maria Silva"));
    assert_eq!(message.origin, Origin::Patient);
    assert!(!message.from_me());
    message
}

#[test]
fn text() {
    let message = message("text.json");
    assert_eq!(message.id, id("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNBMDFDMEZFOTk1QjU0RjM5QTQ3AA=="));
    assert_eq!(message.timestamp, at(1_760_968_800));
    assert_eq!(message.reply_to, None);
    assert_eq!(message.content, MessageContent::Text { body: "Oi! Vocês atendem no sábado?".into() });
}

#[test]
fn button_reply_names_the_button_and_the_message_it_answers() {
    let message = message("button_reply.json");
    assert_eq!(message.reply_to, Some(id("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEkE1RjQyNUE3NEYxMzAzMzQ5MkEA")));
    assert_eq!(
        message.content,
        MessageContent::ButtonReply { id: "confirmar_consulta".into(), title: "Confirmar".into() }
    );
}

#[test]
fn list_reply() {
    assert_eq!(
        message("list_reply.json").content,
        MessageContent::ListReply {
            id: "slot_2026-03-03T14:00".into(),
            title: "Ter 03/03 14:00".into(),
            description: Some("Dra. Ana Paula Souza".into()),
        }
    );
}

#[test]
fn voice_note_points_at_the_meta_media_id() {
    assert_eq!(
        message("audio_voice.json").content,
        MessageContent::Audio {
            voice: true,
            media: Media {
                mime_type: Some("audio/ogg; codecs=opus".into()),
                source: MediaSource::MetaId("1203456789012345".into()),
            },
            transcript: None,
        }
    );
}

#[test]
fn image_with_caption() {
    let MessageContent::Image { caption, media } = message("image_caption.json").content else {
        panic!("expected an image")
    };
    assert_eq!(caption.as_deref(), Some("Segue o comprovante do Pix"));
    assert_eq!(media.source, MediaSource::MetaId("1003383421387256".into()));
    assert_eq!(media.mime_type.as_deref(), Some("image/jpeg"));
}

#[test]
fn document_keeps_its_file_name() {
    let MessageContent::Document { caption, filename, media } = message("document.json").content else {
        panic!("expected a document")
    };
    assert_eq!(caption.as_deref(), Some("Pedido médico"));
    assert_eq!(filename.as_deref(), Some("pedido-exame.pdf"));
    assert_eq!(media.mime_type.as_deref(), Some("application/pdf"));
}

#[test]
fn location() {
    assert_eq!(
        message("location.json").content,
        MessageContent::Location {
            latitude: -23.561414,
            longitude: -46.655881,
            name: Some("Av. Paulista, 1000".into()),
            address: Some("Av. Paulista, 1000 - Bela Vista, São Paulo - SP".into()),
        }
    );
}

#[test]
fn shared_contact_keeps_every_valid_number() {
    assert_eq!(
        message("contact.json").content,
        MessageContent::Contact {
            name: "Ana Souza".into(),
            phones: vec![phone("+5511976543210"), phone("+551130001000")],
        }
    );
}

#[test]
fn reaction_names_the_message_reacted_to() {
    assert_eq!(
        message("reaction.json").content,
        MessageContent::Reaction {
            emoji: Some("👍".into()),
            target: id("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjVGNDI1QTc0RjEzMDMzNDkyQQA="),
        }
    );
}

#[test]
fn kinds_we_do_not_read_are_unsupported_not_errors() {
    assert_eq!(message("sticker.json").content, MessageContent::Sticker);
}

#[test]
fn a_sender_without_a_phone_number_is_ignored() {
    assert_eq!(parse("business_scoped_user.json"), [InboundEvent::Ignored { reason: IgnoreReason::NoPhone }]);
}

#[test]
fn delivered_and_read_statuses() {
    let delivered = single_status(parse("status_delivered.json"));
    assert_eq!(delivered.id, id("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjgxQkVFRDVBQTVDODFDOTg3MQA="));
    assert_eq!(delivered.status, DeliveryStatus::Delivered);
    assert_eq!(delivered.timestamp, Some(at(1_760_969_100)));
    assert_eq!(delivered.recipient, Some(phone("+5511987654321")));
    assert_eq!(delivered.error, None);
    let read = single_status(parse("status_read.json"));
    assert_eq!((read.id, read.status), (delivered.id, DeliveryStatus::Read));
}

#[test]
fn failed_status_carries_the_error_code() {
    let failed = single_status(parse("status_failed.json"));
    assert_eq!(failed.status, DeliveryStatus::Failed);
    assert_eq!(failed.error, Some(DeliveryError { code: 131_047, title: "Re-engagement message".into() }));
}

#[test]
fn a_batch_yields_every_message_and_status_with_its_business_number() {
    let events = parse_webhook(&fixture("meta", "batch.json")).unwrap().events;
    let numbers: Vec<&str> = events.iter().map(|(number, _)| number.as_str()).collect();
    assert_eq!(numbers, [PHONE_NUMBER_ID, PHONE_NUMBER_ID, "109876543210999", "109876543210999"]);

    let InboundEvent::Message(second) = &events[1].1 else { panic!("expected a message") };
    // `wa_id` lacks the 9th digit; the push name is still matched to the sender.
    assert_eq!(second.phone, phone("+5511987651234"));
    assert_eq!(second.push_name.as_deref(), Some("João Prado"));
    assert_eq!(second.content, MessageContent::Text { body: "Qual o valor do botox?".into() });

    let statuses: Vec<DeliveryStatus> = events[2..]
        .iter()
        .map(|(_, event)| match event {
            InboundEvent::Status(status) => status.status,
            other => panic!("expected a status, got {other:?}"),
        })
        .collect();
    assert_eq!(statuses, [DeliveryStatus::Sent, DeliveryStatus::Read]);
}

#[test]
fn changes_of_other_fields_yield_nothing() {
    let notification = parse_webhook(&fixture("meta", "unknown_field.json")).unwrap();
    assert!(notification.events.is_empty() && notification.rejected.is_empty());
}

#[test]
fn broken_bodies_are_refused_and_a_broken_item_is_rejected_alone_with_the_path_at_fault() {
    assert!(matches!(parse_webhook(b"<xml/>"), Err(ParseError::NotJson(_))));
    assert_eq!(parse_webhook(b"{}").unwrap_err().to_string(), "`entry` is missing");
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("meta", "batch.json")).unwrap();
    let message = "/entry/0/changes/0/value/messages/0";
    body.pointer_mut(message).unwrap()["timestamp"] = "ontem".into();
    let notification = parse_webhook(body.to_string().as_bytes()).unwrap();
    assert_eq!(notification.events.len(), 3, "the rest of the batch is read");
    let [rejected] = &notification.rejected[..] else { panic!("{:?}", notification.rejected) };
    assert_eq!(
        rejected.error.to_string(),
        "`entry[0].changes[0].value.messages[0].timestamp` is invalid: expected an integer"
    );
    assert_eq!(rejected.phone_number_id.as_deref(), Some(PHONE_NUMBER_ID));
    assert_eq!(rejected.item["timestamp"], "ontem", "kept as Meta sent it");

    body.pointer_mut(message).unwrap().as_object_mut().unwrap().remove("id");
    let notification = parse_webhook(body.to_string().as_bytes()).unwrap();
    assert_eq!(
        notification.rejected[0].error.to_string(),
        "`entry[0].changes[0].value.messages[0].id` is missing"
    );
}

/// Meta's own words for a message it could not pass on: `type` says what it was, there is no
/// object of that type, and `errors` says why. It is still a patient's message.
#[test]
fn a_message_meta_could_not_pass_on_is_kept_as_unsupported_with_the_error() {
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("meta", "text.json")).unwrap();
    let message = body.pointer_mut("/entry/0/changes/0/value/messages/0").unwrap().as_object_mut().unwrap();
    message.remove("text");
    message.insert("type".into(), "interactive".into());
    message.insert(
        "errors".into(),
        serde_json::json!([{
            "code": 131000,
            "title": "Something went wrong",
            "message": "Something went wrong",
            "error_data": { "details": "Unsupported webhook payload" }
        }]),
    );
    let notification = parse_webhook(body.to_string().as_bytes()).unwrap();
    assert!(notification.rejected.is_empty());
    let [(_, InboundEvent::Message(message))] = &notification.events[..] else { panic!("{notification:?}") };
    assert_eq!(
        message.content,
        MessageContent::Unsupported { kind: "interactive (error 131000: Something went wrong)".into() }
    );
}

#[test]
fn an_order_lists_each_product_with_its_price() {
    assert_eq!(
        message("order.json").content,
        MessageContent::Order {
            summary:
                "1 × botox-50u (R$ 800,00); 2 × limpeza-pele (R$ 180,50); obs.: Pode ser no sábado de manhã?"
                    .into()
        }
    );
}

#[test]
fn a_call_the_patient_places_is_a_message_and_its_end_is_not() {
    let call = single_message(parse("call_connect.json"));
    assert_eq!(call.id, id("wacid.HBgNNTUxMTk4NzY1NDMyMRUCABEYFDNBQ0FMTDEyMzQ1Njc4OTBBQgA="));
    assert_eq!(call.phone, phone("+5511987654321"));
    assert_eq!(call.timestamp, at(1_760_969_500));
    assert_eq!(call.content, MessageContent::Call { video: false });
    match <[InboundEvent; 1]>::try_from(parse("call_terminate.json")) {
        Ok([InboundEvent::Ignored { reason }]) => {
            assert_eq!(reason, IgnoreReason::System { kind: "call terminate".into() })
        }
        other => panic!("expected the call's end to be ignored, got {other:?}"),
    }
}
