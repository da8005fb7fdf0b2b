//! Evolution API v2 (Baileys) webhook events.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sofia_core::domain::{DeliveryStatus, Phone};

use crate::channels::event::{
    IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin, ParseError,
    StatusUpdate,
};
use crate::channels::json::{Node, parse_body};
use crate::channels::order::{OrderSummary, reais};
use crate::channels::vcard;

/// Reads one Evolution webhook body (one event; a `data` array is read element by element).
///
/// The body names its event in dotted lower case (`messages.upsert`); the configuration's
/// `MESSAGES_UPSERT` and the by-event URL suffix `messages-upsert` are accepted too.
pub fn parse_webhook(raw: &[u8]) -> Result<Vec<InboundEvent>, ParseError> {
    let body = parse_body(raw)?;
    let root = Node::root(&body);
    root.as_object()?;
    let event = normalise_event(root.req_str("event")?);
    let parse: fn(&Node<'_>) -> Result<InboundEvent, ParseError> = match event.as_str() {
        "messages.upsert" => |data| parse_message(data, false),
        // Sent through our own API: Evolution runs with `emitOwnEvents: false`, so these come
        // only as `send.message`, never as `messages.upsert`.
        "send.message" => |data| parse_message(data, true),
        "messages.update" => parse_status,
        "call" => parse_call,
        "connection.update" => |data| {
            let state = data.text("state")?.unwrap_or_else(|| "unknown".to_owned());
            Ok(IgnoreReason::Connection { state }.into())
        },
        _ => return Ok(vec![IgnoreReason::Unhandled { event }.into()]),
    };
    let data = root.req("data")?;
    if data.as_object().is_ok() {
        return Ok(vec![parse(&data)?]);
    }
    root.array("data")?.iter().map(parse).collect()
}

fn normalise_event(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace(['_', '-'], ".")
}

/// What the part of a JID after `@` says about the chat.
enum Chat {
    Person,
    Group,
    Broadcast,
}

fn chat_kind(jid: &str) -> Chat {
    match jid.rsplit_once('@').map(|(_, server)| server) {
        Some("g.us") => Chat::Group,
        Some("broadcast" | "newsletter") => Chat::Broadcast,
        _ => Chat::Person,
    }
}

/// The patient's phone from a Baileys key. Chats addressed by LID carry the phone JID in
/// `remoteJidAlt` (or `participantAlt`); a LID alone is not a phone number.
fn chat_phone(key: &Node<'_>) -> Result<Option<Phone>, ParseError> {
    let remote = key.req_str("remoteJid")?;
    let by_lid = remote.ends_with("@lid") || key.opt_str("addressingMode")? == Some("lid");
    let candidates: &[&str] =
        if by_lid { &["remoteJidAlt", "participantAlt", "remoteJid"] } else { &["remoteJid"] };
    for field in candidates {
        if let Some(jid) = key.opt_str(field)?
            && !jid.ends_with("@lid")
            && let Ok(phone) = Phone::parse(jid)
        {
            return Ok(Some(phone));
        }
    }
    Ok(None)
}

fn parse_message(data: &Node<'_>, sent_by_our_api: bool) -> Result<InboundEvent, ParseError> {
    let key = data.req("key")?;
    let id = key.req_message_id("id")?;
    match chat_kind(key.req_str("remoteJid")?) {
        Chat::Group => return Ok(IgnoreReason::Group.into()),
        Chat::Broadcast => return Ok(IgnoreReason::Broadcast.into()),
        Chat::Person => {}
    }
    let Some(phone) = chat_phone(&key)? else { return Ok(IgnoreReason::NoPhone.into()) };
    let origin = if sent_by_our_api {
        Origin::OurApi
    } else if key.bool_or("fromMe", false)? {
        Origin::StaffPhone
    } else {
        Origin::Patient
    };
    let message_type = data.opt_str("messageType")?;
    // Undecryptable placeholders and call logs arrive without a `message`.
    let Some(message) = data.get("message") else {
        return Ok(IgnoreReason::System { kind: message_type.unwrap_or("empty").to_owned() }.into());
    };
    if let Some(kind) =
        ["protocolMessage", "senderKeyDistributionMessage"].into_iter().find(|k| message.get(k).is_some())
        && message.get("conversation").is_none()
    {
        return Ok(IgnoreReason::System { kind: kind.to_owned() }.into());
    }
    let reply_to = match data.get("contextInfo").and_then(|context| context.get("stanzaId")) {
        Some(stanza) => Some(stanza.message_id()?),
        None => None,
    };
    Ok(InboundEvent::Message(InboundMessage {
        id,
        phone,
        // For fromMe messages Evolution fills in "Você" or the business name.
        push_name: if origin == Origin::Patient { data.text("pushName")? } else { None },
        timestamp: timestamp(&data.req("messageTimestamp")?)?,
        origin,
        reply_to,
        content: content(&message, message_type)?,
    }))
}

/// A call the patient placed (Baileys' call event, which Evolution forwards as `call`). Only
/// the offer, when it starts to ring, is a message: `ringing`, `timeout`, `reject` and `accept`
/// are the same call again. Evolution's own `rejectCall`/`msgCall` settings may already answer
/// it; the patient then reads both.
fn parse_call(data: &Node<'_>) -> Result<InboundEvent, ParseError> {
    let status = data.opt_str("status")?.unwrap_or("offer");
    if status != "offer" {
        return Ok(IgnoreReason::System { kind: format!("call {status}") }.into());
    }
    if data.bool_or("isGroup", false)? {
        return Ok(IgnoreReason::Group.into());
    }
    let id = data.req_message_id("id")?;
    let mut phone = None;
    for field in ["from", "chatId"] {
        if let Some(jid) = data.opt_str(field)?.filter(|jid| !jid.ends_with("@lid")) {
            phone = Phone::parse(jid).ok();
            if phone.is_some() {
                break;
            }
        }
    }
    let Some(phone) = phone else { return Ok(IgnoreReason::NoPhone.into()) };
    Ok(InboundEvent::Message(InboundMessage {
        id,
        phone,
        push_name: None,
        timestamp: call_date(&data.req("date")?)?,
        origin: Origin::Patient,
        reply_to: None,
        content: MessageContent::Call { video: data.bool_or("isVideo", false)? },
    }))
}

/// A JavaScript `Date` as JSON writes it (ISO 8601), or seconds since the epoch.
fn call_date(node: &Node<'_>) -> Result<DateTime<Utc>, ParseError> {
    match node.value() {
        Value::String(text) if text.contains('T') => DateTime::parse_from_rfc3339(text)
            .map(|at| at.to_utc())
            .map_err(|error| node.invalid(format!("not a date: {error}"))),
        _ => node.as_unix_seconds(),
    }
}

/// Seconds since the epoch: a number, a numeric string, or a protobuf Long `{low, high}`.
fn timestamp(node: &Node<'_>) -> Result<DateTime<Utc>, ParseError> {
    if let Some(low) = node.get("low") {
        let high = node.get("high").map(|h| h.as_i64()).transpose()?.unwrap_or(0);
        let low = low.as_i64()? & 0xFFFF_FFFF;
        let seconds = high.checked_mul(1 << 32).and_then(|high| high.checked_add(low));
        return seconds
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .ok_or_else(|| node.invalid("time out of range"));
    }
    node.as_unix_seconds()
}

fn content(message: &Node<'_>, message_type: Option<&str>) -> Result<MessageContent, ParseError> {
    if let Some(body) = message.opt_str("conversation")? {
        return Ok(MessageContent::Text { body: body.to_owned() });
    }
    // Evolution rewrites these to `conversation`; older versions and forks do not.
    if let Some(extended) = message.get("extendedTextMessage") {
        return Ok(MessageContent::Text { body: extended.req_str("text")?.to_owned() });
    }
    if let Some(reply) = message.get("buttonsResponseMessage") {
        return Ok(MessageContent::ButtonReply {
            id: reply.req_str("selectedButtonId")?.to_owned(),
            title: reply.text("selectedDisplayText")?.unwrap_or_default(),
        });
    }
    if let Some(reply) = message.get("templateButtonReplyMessage") {
        return Ok(MessageContent::ButtonReply {
            id: reply.req_str("selectedId")?.to_owned(),
            title: reply.text("selectedDisplayText")?.unwrap_or_default(),
        });
    }
    if let Some(reply) = message.get("interactiveResponseMessage") {
        return interactive_response(&reply);
    }
    if let Some(reply) = message.get("listResponseMessage") {
        return Ok(MessageContent::ListReply {
            id: reply.req("singleSelectReply")?.req_str("selectedRowId")?.to_owned(),
            title: reply.text("title")?.unwrap_or_default(),
            description: reply.text("description")?,
        });
    }
    if let Some(audio) = message.get("audioMessage") {
        return Ok(MessageContent::Audio {
            voice: audio.bool_or("ptt", false)?,
            media: media(message, &audio)?,
            transcript: None,
        });
    }
    if let Some(image) = message.get("imageMessage") {
        return Ok(MessageContent::Image { caption: image.text("caption")?, media: media(message, &image)? });
    }
    if let Some(video) = message.get("videoMessage") {
        return Ok(MessageContent::Video { caption: video.text("caption")?, media: media(message, &video)? });
    }
    let wrapped = message.get("documentWithCaptionMessage").and_then(|w| w.get("message"));
    if let Some(document) =
        message.get("documentMessage").or_else(|| wrapped.and_then(|m| m.get("documentMessage")))
    {
        return Ok(MessageContent::Document {
            caption: document.text("caption")?,
            filename: document.text("fileName")?,
            media: media(message, &document)?,
        });
    }
    if let Some(location) = message.get("locationMessage") {
        return Ok(MessageContent::Location {
            latitude: location.req("degreesLatitude")?.as_f64()?,
            longitude: location.req("degreesLongitude")?.as_f64()?,
            name: location.text("name")?,
            address: location.text("address")?,
        });
    }
    if let Some(contact) = message.get("contactMessage") {
        return Ok(MessageContent::Contact {
            name: contact.text("displayName")?.unwrap_or_default(),
            phones: contact.opt_str("vcard")?.map(vcard::phones).unwrap_or_default(),
        });
    }
    if let Some(reaction) = message.get("reactionMessage") {
        return Ok(MessageContent::Reaction {
            emoji: reaction.text("text")?,
            target: reaction.req("key")?.req_message_id("id")?,
        });
    }
    if message.get("stickerMessage").is_some() {
        return Ok(MessageContent::Sticker);
    }
    if let Some(order) = message.get("orderMessage") {
        return order_message(&order);
    }
    Ok(MessageContent::Unsupported { kind: unsupported_kind(message, message_type)? })
}

/// A catalogue cart (Baileys' `orderMessage`): it counts the items and gives a title and a total
/// in thousandths of the currency; the products themselves are only in the order's details.
fn order_message(order: &Node<'_>) -> Result<MessageContent, ParseError> {
    // Numbers that may come as protobuf Longs or strings: what cannot be read is left out of
    // the summary rather than losing the message.
    let number = |key| order.get(key).and_then(|node| node.as_i64().ok());
    let (items, total) = (number("itemCount"), number("totalAmount1000"));
    let mut summary = OrderSummary::default();
    summary.counted(
        items.and_then(|n| u64::try_from(n).ok()),
        order.opt_str("orderTitle")?,
        reais(order.opt_str("totalCurrencyCode")?, total.map(|thousandths| thousandths / 10)),
    );
    summary.note(order.opt_str("message")?);
    Ok(MessageContent::Order { summary: summary.finish() })
}

/// Keys of `message` that are never the content itself.
const NOT_CONTENT: [&str; 5] = ["messageContextInfo", "base64", "mediaUrl", "speechToText", "contextInfo"];

fn unsupported_kind(message: &Node<'_>, message_type: Option<&str>) -> Result<String, ParseError> {
    if let Some(kind) = message_type {
        return Ok(kind.to_owned());
    }
    let first = message.as_object()?.keys().find(|key| !NOT_CONTENT.contains(&key.as_str()));
    Ok(first.map_or_else(|| "unknown".to_owned(), String::clone))
}

/// Replies to Evolution ≥ 2.3 buttons: the button id sits in a JSON string.
fn interactive_response(reply: &Node<'_>) -> Result<MessageContent, ParseError> {
    let params =
        reply.get("nativeFlowResponseMessage").map(|flow| flow.opt_str("paramsJson")).transpose()?.flatten();
    let id = params
        .and_then(|params| serde_json::from_str::<Value>(params).ok())
        .and_then(|params| params.get("id").and_then(Value::as_str).map(str::to_owned));
    Ok(match id {
        Some(id) => MessageContent::ButtonReply {
            id,
            title: reply.get("body").map(|body| body.text("text")).transpose()?.flatten().unwrap_or_default(),
        },
        None => MessageContent::Unsupported { kind: "interactiveResponseMessage".to_owned() },
    })
}

/// With object storage enabled Evolution adds `message.mediaUrl`; otherwise the file is fetched
/// from Evolution by the message id (the WhatsApp `url` is encrypted and useless to us).
fn media(message: &Node<'_>, object: &Node<'_>) -> Result<Media, ParseError> {
    let source = match message.text("mediaUrl")? {
        Some(url) => MediaSource::Url(url),
        None => MediaSource::EvolutionMessage,
    };
    Ok(Media { mime_type: object.text("mimetype")?, source })
}

fn parse_status(data: &Node<'_>) -> Result<InboundEvent, ParseError> {
    // `data` is flat (`keyId`, `status`); a Baileys-shaped `key` is accepted from older versions.
    let id = match data.get("keyId") {
        Some(key_id) => key_id.message_id()?,
        None => data.req("key")?.req_message_id("id")?,
    };
    let remote = match data.opt_str("remoteJid")? {
        Some(jid) => Some(jid),
        None => data.get("key").map(|key| key.opt_str("remoteJid")).transpose()?.flatten(),
    };
    match remote.map(chat_kind) {
        Some(Chat::Group) => return Ok(IgnoreReason::Group.into()),
        Some(Chat::Broadcast) => return Ok(IgnoreReason::Broadcast.into()),
        Some(Chat::Person) | None => {}
    }
    if !data.bool_or("fromMe", true)? {
        return Ok(IgnoreReason::ReceiptOfInbound.into());
    }
    let status_node = data.req("status")?;
    let raw = match status_node.as_i64() {
        // Baileys' numeric acks, in case a version forwards them untranslated.
        Ok(code) => ["ERROR", "PENDING", "SERVER_ACK", "DELIVERY_ACK", "READ", "PLAYED"]
            .get(usize::try_from(code).unwrap_or(usize::MAX))
            .copied()
            .unwrap_or("UNKNOWN"),
        Err(_) => status_node.as_str()?,
    };
    let status = match raw {
        "PENDING" => DeliveryStatus::Pending,
        "SERVER_ACK" => DeliveryStatus::Sent,
        "DELIVERY_ACK" => DeliveryStatus::Delivered,
        "READ" => DeliveryStatus::Read,
        "PLAYED" => DeliveryStatus::Played,
        "ERROR" => DeliveryStatus::Failed,
        "DELETED" => return Ok(IgnoreReason::System { kind: "deleted".to_owned() }.into()),
        other => return Ok(IgnoreReason::UnknownStatus { status: other.to_owned() }.into()),
    };
    Ok(InboundEvent::Status(StatusUpdate {
        id,
        status,
        timestamp: data.get("messageTimestamp").map(|t| timestamp(&t)).transpose()?,
        recipient: remote.filter(|jid| !jid.ends_with("@lid")).and_then(|jid| Phone::parse(jid).ok()),
        error: None,
    }))
}
