//! Z-API callback fixtures → `InboundEvent`s.

use sofia::channels::zapi::parse_webhook;
use sofia::channels::{
    IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin,
};
use sofia::core::domain::DeliveryStatus;

use crate::support::{at_millis, fixture, id, phone, single_message, single_status};

fn parse(name: &str) -> Vec<InboundEvent> {
    parse_webhook(&fixture("zapi", name)).unwrap()
}

fn ignored(name: &str) -> IgnoreReason {
    match <[InboundEvent; 1]>::try_from(parse(name)) {
        Ok([InboundEvent::Ignored { reason }]) => reason,
        other => panic!("{name}: expected one ignored event, got {other:?}"),
    }
}

fn from_patient(name: &str) -> InboundMessage {
    let message = single_message(parse(name));
    assert_eq!(message.phone, phone("+5511987654321"), "{name}");
    assert_eq!(message.origin, Origin::Patient, "{name}");
    assert_eq!(message.push_name.as_deref(), Some("Maria Silva"), "{name}");
    message
}

fn stored(file: &str) -> String {
    format!("https://storage.z-api.io/instances/3C67AB641C8AA0412F6A2242B4E23AC7/{file}")
}

#[test]
fn text_with_the_moment_in_milliseconds() {
    let message = from_patient("text.json");
    assert_eq!(message.id, id("3EB0C431D5A2B7F8E9A1"));
    assert_eq!(message.timestamp, at_millis(1_772_452_800_000));
    assert_eq!(message.content, MessageContent::Text { body: "Oi! Vocês atendem no sábado?".into() });
}

#[test]
fn button_reply() {
    let message = from_patient("button_reply.json");
    assert_eq!(message.reply_to, Some(id("3EB0AABBCCDDEEFF0011")));
    assert_eq!(
        message.content,
        MessageContent::ButtonReply { id: "confirmar_consulta".into(), title: "Confirmar".into() }
    );
}

#[test]
fn list_reply() {
    assert_eq!(
        from_patient("list_reply.json").content,
        MessageContent::ListReply {
            id: "slot_2026-03-03T14:00".into(),
            title: "Ter 03/03 14:00".into(),
            description: Some("Dra. Ana Paula Souza".into()),
        }
    );
}

#[test]
fn voice_note() {
    assert_eq!(
        from_patient("audio_voice.json").content,
        MessageContent::Audio {
            voice: true,
            media: Media {
                mime_type: Some("audio/ogg; codecs=opus".into()),
                source: MediaSource::Url(stored("3EB0F1E2D3C4B5A69788.ogg")),
            },
            transcript: None,
        }
    );
}

#[test]
fn image_with_caption() {
    assert_eq!(
        from_patient("image_caption.json").content,
        MessageContent::Image {
            caption: Some("Segue o comprovante do Pix".into()),
            media: Media {
                mime_type: Some("image/jpeg".into()),
                source: MediaSource::Url(stored("3EB0112233445566CCDD.jpeg")),
            },
        }
    );
}

#[test]
fn document() {
    assert_eq!(
        from_patient("document.json").content,
        MessageContent::Document {
            caption: None,
            filename: Some("pedido-exame.pdf".into()),
            media: Media {
                mime_type: Some("application/pdf".into()),
                source: MediaSource::Url(stored("3EB0223344556677DDEE.pdf")),
            },
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
fn contact() {
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
fn a_sticker_is_a_sticker() {
    assert_eq!(from_patient("sticker.json").content, MessageContent::Sticker);
}

#[test]
fn staff_on_the_phone_and_our_api_echo_are_told_apart() {
    let staff = single_message(parse("from_me_phone.json"));
    assert_eq!((staff.origin, staff.push_name.as_deref()), (Origin::StaffPhone, None));
    assert_eq!(staff.phone, phone("+5511987654321"));
    let echo = single_message(parse("our_api_echo.json"));
    assert_eq!((echo.origin, echo.id), (Origin::OurApi, id("3EB0AABBCCDDEEFF0011")));
}

#[test]
fn a_lid_sender_is_identified_by_the_phone_field() {
    assert_eq!(
        from_patient("lid_sender.json").content,
        MessageContent::Text { body: "Bom dia! Tem horário amanhã?".into() }
    );
    assert_eq!(ignored("lid_without_phone.json"), IgnoreReason::NoPhone);
}

#[test]
fn groups_and_system_notices_are_ignored() {
    assert_eq!(ignored("group.json"), IgnoreReason::Group);
    assert_eq!(ignored("notification.json"), IgnoreReason::System { kind: "CALL_MISSED_VOICE".into() });
    assert_eq!(ignored("waiting_message.json"), IgnoreReason::System { kind: "waiting_message".into() });
}

#[test]
fn one_status_event_per_message_id() {
    let delivered = single_status(parse("status_delivered.json"));
    assert_eq!(delivered.status, DeliveryStatus::Delivered);
    assert_eq!(delivered.timestamp, Some(at_millis(1_772_453_100_000)));
    assert_eq!(delivered.recipient, Some(phone("+5511987654321")));

    let read: Vec<_> = parse("status_read.json")
        .into_iter()
        .map(|event| match event {
            InboundEvent::Status(status) => (status.id, status.status),
            other => panic!("expected a status, got {other:?}"),
        })
        .collect();
    assert_eq!(
        read,
        [
            (id("3EB0AABBCCDDEEFF0011"), DeliveryStatus::Read),
            (id("3EB0AABBCCDDEEFF0022"), DeliveryStatus::Read)
        ]
    );
    assert_eq!(ignored("status_read_by_me.json"), IgnoreReason::ReceiptOfInbound);
}

#[test]
fn other_callbacks_are_recognised_and_ignored() {
    assert_eq!(
        ignored("delivery_callback.json"),
        IgnoreReason::Unhandled { event: "DeliveryCallback".into() }
    );
    assert_eq!(ignored("connected.json"), IgnoreReason::Connection { state: "connected".into() });
    assert_eq!(ignored("disconnected.json"), IgnoreReason::Connection { state: "disconnected".into() });
    assert_eq!(ignored("presence.json"), IgnoreReason::Unhandled { event: "PresenceChatCallback".into() });
    assert_eq!(ignored("unknown.json"), IgnoreReason::Unhandled { event: "NewsletterAdminCallback".into() });
}

#[test]
fn a_message_without_its_moment_is_refused_by_path() {
    let mut body: serde_json::Value = serde_json::from_slice(&fixture("zapi", "text.json")).unwrap();
    body.as_object_mut().unwrap().remove("momment");
    assert_eq!(parse_webhook(body.to_string().as_bytes()).unwrap_err().to_string(), "`momment` is missing");
    assert_eq!(parse_webhook(b"{\"phone\":1}").unwrap_err().to_string(), "`type` is missing");
}
