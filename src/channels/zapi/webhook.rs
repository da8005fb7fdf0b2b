//! Z-API webhook callbacks, told apart by their `type`.

use sofia_core::domain::{DeliveryStatus, Phone};

use crate::channels::event::{
    IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin, ParseError,
    StatusUpdate,
};
use crate::channels::json::{Node, parse_body};
use crate::channels::vcard;

/// Reads one Z-API callback. A status callback names several messages (`ids[]`) and becomes one
/// status event per message.
pub fn parse_webhook(raw: &[u8]) -> Result<Vec<InboundEvent>, ParseError> {
    let body = parse_body(raw)?;
    let root = Node::root(&body);
    root.as_object()?;
    let kind = root.req_str("type")?;
    // The docs spell it both `ReceivedCallback` and `ReceivedCallBack`.
    Ok(match kind.to_ascii_lowercase().as_str() {
        "receivedcallback" => vec![parse_received(&root)?],
        "messagestatuscallback" => parse_statuses(&root)?,
        "connectedcallback" => vec![IgnoreReason::Connection { state: "connected".to_owned() }.into()],
        "disconnectedcallback" => vec![IgnoreReason::Connection { state: "disconnected".to_owned() }.into()],
        // DeliveryCallback (our send reached WhatsApp: the send response said so already),
        // PresenceChatCallback and anything new.
        _ => vec![IgnoreReason::Unhandled { event: kind.to_owned() }.into()],
    })
}

fn parse_received(root: &Node<'_>) -> Result<InboundEvent, ParseError> {
    let id = root.req_message_id("messageId")?;
    let chat = root.opt_str("phone")?;
    if root.bool_or("isGroup", false)? || chat.is_some_and(|c| c.ends_with("-group")) {
        return Ok(IgnoreReason::Group.into());
    }
    if root.bool_or("isNewsletter", false)? || root.bool_or("broadcast", false)? {
        return Ok(IgnoreReason::Broadcast.into());
    }
    // Payment notices, group joins and the like: no person wrote them.
    if let Some(notification) = root.text("notification")? {
        return Ok(IgnoreReason::System { kind: notification }.into());
    }
    // "Waiting for this message": WhatsApp has not decrypted it, so there is no content. Kept,
    // the placeholder would make the inbox drop the real message as a duplicate should it
    // arrive later under the same id.
    if root.bool_or("waitingMessage", false)? {
        return Ok(IgnoreReason::System { kind: "waiting_message".to_owned() }.into());
    }
    // The original was already received; an edit is not a new message to answer.
    if root.bool_or("isEdit", false)? {
        return Ok(IgnoreReason::System { kind: "edit".to_owned() }.into());
    }
    let phone = chat.filter(|c| !c.ends_with("@lid")).and_then(|c| Phone::parse(c).ok());
    let Some(phone) = phone else { return Ok(IgnoreReason::NoPhone.into()) };
    let origin = if root.bool_or("fromApi", false)? {
        Origin::OurApi
    } else if root.bool_or("fromMe", false)? {
        Origin::StaffPhone
    } else {
        Origin::Patient
    };
    let push_name = match origin {
        Origin::Patient => root.text("senderName")?.or(root.text("chatName")?),
        // On messages the clinic sent, senderName is the clinic.
        Origin::StaffPhone | Origin::OurApi => None,
    };
    let reply_to = match root.get("referenceMessageId") {
        Some(reference) => Some(reference.message_id()?),
        None => None,
    };
    Ok(InboundEvent::Message(InboundMessage {
        id,
        phone,
        push_name,
        timestamp: moment(root)?.as_unix_millis()?,
        origin,
        reply_to,
        content: content(root)?,
    }))
}

/// `momment` (sic) in milliseconds; one documented example spells it `moment`.
fn moment<'a>(root: &Node<'a>) -> Result<Node<'a>, ParseError> {
    root.get("moment").map_or_else(|| root.req("momment"), Ok)
}

fn content(root: &Node<'_>) -> Result<MessageContent, ParseError> {
    if let Some(text) = root.get("text") {
        return Ok(MessageContent::Text { body: text.req_str("message")?.to_owned() });
    }
    if let Some(reply) = root.get("buttonsResponseMessage") {
        return Ok(MessageContent::ButtonReply {
            id: reply.req_str("buttonId")?.to_owned(),
            title: reply.text("message")?.unwrap_or_default(),
        });
    }
    if let Some(reply) = root.get("listResponseMessage") {
        return Ok(MessageContent::ListReply {
            id: reply.req_str("selectedRowId")?.to_owned(),
            title: reply.text("title")?.unwrap_or_default(),
            description: reply.text("message")?,
        });
    }
    if let Some(audio) = root.get("audio") {
        return Ok(MessageContent::Audio {
            voice: audio.bool_or("ptt", false)?,
            media: media(&audio, "audioUrl")?,
            transcript: None,
        });
    }
    if let Some(image) = root.get("image") {
        return Ok(MessageContent::Image {
            caption: image.text("caption")?,
            media: media(&image, "imageUrl")?,
        });
    }
    if let Some(video) = root.get("video") {
        return Ok(MessageContent::Video {
            caption: video.text("caption")?,
            media: media(&video, "videoUrl")?,
        });
    }
    if let Some(document) = root.get("document") {
        return Ok(MessageContent::Document {
            caption: document.text("caption")?,
            filename: document.text("fileName")?.or(document.text("title")?),
            media: media(&document, "documentUrl")?,
        });
    }
    if let Some(location) = root.get("location") {
        return Ok(MessageContent::Location {
            latitude: location.req("latitude")?.as_f64()?,
            longitude: location.req("longitude")?.as_f64()?,
            name: location.text("name")?,
            address: location.text("address")?,
        });
    }
    if let Some(contact) = root.get("contact") {
        let mut phones = Vec::new();
        for number in contact.array("phones")? {
            if let Ok(phone) = Phone::parse(number.as_str()?) {
                phones.push(phone);
            }
        }
        if phones.is_empty() {
            phones = contact.opt_str("vCard")?.map(vcard::phones).unwrap_or_default();
        }
        return Ok(MessageContent::Contact {
            name: contact.text("displayName")?.unwrap_or_default(),
            phones,
        });
    }
    if let Some(reaction) = root.get("reaction") {
        return Ok(MessageContent::Reaction {
            emoji: reaction.text("value")?,
            target: reaction.req("referencedMessage")?.req_message_id("messageId")?,
        });
    }
    if root.get("sticker").is_some() {
        return Ok(MessageContent::Sticker);
    }
    // Whatever object-valued field is left is the content we do not read (poll, order…).
    let kind = root.as_object()?.iter().find(|(_, value)| value.is_object()).map(|(key, _)| key.clone());
    Ok(MessageContent::Unsupported { kind: kind.unwrap_or_else(|| "unknown".to_owned()) })
}

fn media(object: &Node<'_>, url_field: &str) -> Result<Media, ParseError> {
    Ok(Media {
        mime_type: object.text("mimeType")?,
        source: MediaSource::Url(object.req_str(url_field)?.to_owned()),
    })
}

fn parse_statuses(root: &Node<'_>) -> Result<Vec<InboundEvent>, ParseError> {
    if root.bool_or("isGroup", false)? {
        return Ok(vec![IgnoreReason::Group.into()]);
    }
    let status = match root.req_str("status")? {
        "PENDING" => DeliveryStatus::Pending,
        "SENT" => DeliveryStatus::Sent,
        "RECEIVED" => DeliveryStatus::Delivered,
        "READ" => DeliveryStatus::Read,
        "PLAYED" => DeliveryStatus::Played,
        // Staff read the patient's message on the phone: not about anything we sent.
        "READ_BY_ME" => return Ok(vec![IgnoreReason::ReceiptOfInbound.into()]),
        other => return Ok(vec![IgnoreReason::UnknownStatus { status: other.to_owned() }.into()]),
    };
    // The docs' table says `id`, every example says `ids`; read both.
    let mut ids = Vec::new();
    for id in root.array("ids")? {
        ids.push(id.message_id()?);
    }
    if let Some(id) = root.get("id") {
        ids.push(id.message_id()?);
    }
    if ids.is_empty() {
        return Err(ParseError::Missing { path: "ids".to_owned() });
    }
    let timestamp = root.get("moment").or(root.get("momment")).map(|m| m.as_unix_millis()).transpose()?;
    let recipient = root.opt_str("phone")?.and_then(|raw| Phone::parse(raw).ok());
    Ok(ids
        .into_iter()
        .map(|id| {
            InboundEvent::Status(StatusUpdate {
                id,
                status,
                timestamp,
                recipient: recipient.clone(),
                error: None,
            })
        })
        .collect())
}
