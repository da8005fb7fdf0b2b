//! Meta Cloud API webhook notifications (`POST`), after the signature has been checked.

use sofia_core::domain::{DeliveryStatus, Phone};

use crate::channels::event::{
    DeliveryError, IgnoreReason, InboundEvent, InboundMessage, Media, MediaSource, MessageContent, Origin,
    ParseError, StatusUpdate,
};
use crate::channels::json::{Node, parse_body};
use crate::channels::order::{OrderLine, OrderSummary, reais};

/// What a notification held: the events read, each with the `phone_number_id` of the business
/// number it belongs to (the key for routing it to a clinic), and the items that could not be
/// read, each kept whole with why.
#[derive(Debug, Default)]
pub struct Notification {
    pub events: Vec<(String, InboundEvent)>,
    pub rejected: Vec<Rejected>,
}

impl Notification {
    /// An item of the business number `phone_number_id`: its event, or the item kept whole
    /// with why it could not be read.
    fn add(&mut self, phone_number_id: &str, read: Result<InboundEvent, ParseError>, item: &Node<'_>) {
        match read {
            Ok(event) => self.events.push((phone_number_id.to_owned(), event)),
            Err(error) => self.rejected.push(Rejected {
                phone_number_id: Some(phone_number_id.to_owned()),
                error,
                item: item.value().clone(),
            }),
        }
    }
}

/// A change, message or status of a batch that could not be read.
#[derive(Debug)]
pub struct Rejected {
    /// The business number it was for, when that much could be read.
    pub phone_number_id: Option<String>,
    pub error: ParseError,
    /// The item as Meta sent it.
    pub item: serde_json::Value,
}

/// Reads every event of a notification.
///
/// Meta batches: every `entry[]`, every `changes[]` and every `messages[]` / `statuses[]` is
/// read. Changes of other webhook fields (template reviews, account updates…) carry no phone
/// number id in most cases and are skipped. A malformed item is rejected alone: the other
/// messages of the batch are patients' messages all the same. Only a body that is not a
/// notification at all (not JSON, no `entry`) is an error.
pub fn parse_webhook(raw: &[u8]) -> Result<Notification, ParseError> {
    let body = parse_body(raw)?;
    let root = Node::root(&body);
    root.as_object()?;
    root.req("entry")?;
    let mut notification = Notification::default();
    for entry in root.array("entry")? {
        for change in entry.array("changes")? {
            let field = change.opt_str("field").ok().flatten().unwrap_or("messages");
            let read: fn(&Node<'_>, &mut Notification) -> Result<(), ParseError> = match field {
                "messages" => read_change,
                "calls" => read_calls,
                _ => {
                    tracing::debug!(field, "meta: skipping a change of a field we do not subscribe to");
                    continue;
                }
            };
            if let Err(error) = read(&change, &mut notification) {
                notification.rejected.push(Rejected {
                    phone_number_id: None,
                    error,
                    item: change.value().clone(),
                });
            }
        }
    }
    Ok(notification)
}

/// One change's messages and statuses; an error here is the change's envelope's.
fn read_change(change: &Node<'_>, notification: &mut Notification) -> Result<(), ParseError> {
    let value = change.req("value")?;
    let phone_number_id = value.req("metadata")?.req_str("phone_number_id")?;
    let names = push_names(&value)?;
    let items = value
        .array("messages")?
        .into_iter()
        .map(|message| (parse_message(&message, &names), message))
        .chain(value.array("statuses")?.into_iter().map(|status| (parse_status(&status), status)));
    for (read, item) in items {
        notification.add(phone_number_id, read, &item);
    }
    Ok(())
}

/// A change of the `calls` field (the Calling API): a patient calling the clinic's number is
/// told to write, as a message would be answered. Only the `connect` of a call the patient
/// placed is one; its `terminate`, and calls the business placed, are not.
fn read_calls(change: &Node<'_>, notification: &mut Notification) -> Result<(), ParseError> {
    let value = change.req("value")?;
    let phone_number_id = value.req("metadata")?.req_str("phone_number_id")?;
    for call in value.array("calls")? {
        notification.add(phone_number_id, parse_call(&call), &call);
    }
    Ok(())
}

fn parse_call(call: &Node<'_>) -> Result<InboundEvent, ParseError> {
    let event = call.req_str("event")?;
    let direction = call.opt_str("direction")?.unwrap_or("USER_INITIATED");
    if event != "connect" || !direction.eq_ignore_ascii_case("user_initiated") {
        return Ok(IgnoreReason::System { kind: format!("call {event}") }.into());
    }
    let id = call.req_message_id("id")?;
    let Ok(phone) = Phone::parse(call.req_str("from")?) else { return Ok(IgnoreReason::NoPhone.into()) };
    Ok(InboundEvent::Message(InboundMessage {
        id,
        phone,
        push_name: None,
        timestamp: call.req("timestamp")?.as_unix_seconds()?,
        origin: Origin::Patient,
        reply_to: None,
        content: MessageContent::Call { video: false },
    }))
}

/// `contacts[].profile.name` by `wa_id`; matched on the canonical phone, because `wa_id` may
/// lack the Brazilian 9th digit that `from` has (or the other way round).
fn push_names(value: &Node<'_>) -> Result<Vec<(Phone, String)>, ParseError> {
    let mut names = Vec::new();
    for contact in value.array("contacts")? {
        let name = contact.get("profile").map(|profile| profile.text("name")).transpose()?.flatten();
        let phone = contact.opt_str("wa_id")?.and_then(|wa_id| Phone::parse(wa_id).ok());
        if let (Some(phone), Some(name)) = (phone, name) {
            names.push((phone, name));
        }
    }
    Ok(names)
}

fn parse_message(message: &Node<'_>, names: &[(Phone, String)]) -> Result<InboundEvent, ParseError> {
    let id = message.req_message_id("id")?;
    // Business-scoped user ids are replacing phone numbers for some users; without a number
    // there is no patient to match.
    let Ok(phone) = Phone::parse(message.req_str("from")?) else {
        return Ok(IgnoreReason::NoPhone.into());
    };
    let timestamp = message.req("timestamp")?.as_unix_seconds()?;
    let kind = message.req_str("type")?;
    if kind == "system" {
        let system = message.get("system").map(|s| s.text("type")).transpose()?.flatten();
        return Ok(IgnoreReason::System { kind: system.unwrap_or_else(|| kind.to_owned()) }.into());
    }
    let reply_to = match message.get("context").and_then(|context| context.get("id")) {
        Some(id) => Some(id.message_id()?),
        None => None,
    };
    let push_name = names.iter().find(|(known, _)| *known == phone).map(|(_, name)| name.clone());
    // Meta could not give us the message (code 131000 "Unsupported webhook payload", or a
    // message type the Cloud API does not support): it is still a message, stored as
    // unsupported so the patient gets an answer.
    let content = match meta_error(message)? {
        Some(error) => MessageContent::Unsupported { kind: format!("{kind} ({error})") },
        None => content(message, kind)?,
    };
    Ok(InboundEvent::Message(InboundMessage {
        id,
        phone,
        push_name,
        timestamp,
        origin: Origin::Patient,
        reply_to,
        content,
    }))
}

/// `errors[0]` of a message, as "error 131000: Unsupported webhook payload".
fn meta_error(message: &Node<'_>) -> Result<Option<String>, ParseError> {
    let Some(first) = message.array("errors")?.into_iter().next() else { return Ok(None) };
    let code = first.get("code").and_then(|code| code.as_i64().ok());
    let title = first.text("title")?.or(first.text("message")?).unwrap_or_default();
    Ok(Some(match code {
        Some(code) => format!("error {code}: {title}"),
        None => format!("error: {title}"),
    }))
}

fn content(message: &Node<'_>, kind: &str) -> Result<MessageContent, ParseError> {
    Ok(match kind {
        "text" => MessageContent::Text { body: message.req("text")?.req_str("body")?.to_owned() },
        "interactive" => {
            let interactive = message.req("interactive")?;
            match interactive.req_str("type")? {
                "button_reply" => {
                    let reply = interactive.req("button_reply")?;
                    MessageContent::ButtonReply {
                        id: reply.req_str("id")?.to_owned(),
                        title: reply.req_str("title")?.to_owned(),
                    }
                }
                "list_reply" => {
                    let reply = interactive.req("list_reply")?;
                    MessageContent::ListReply {
                        id: reply.req_str("id")?.to_owned(),
                        title: reply.req_str("title")?.to_owned(),
                        description: reply.text("description")?,
                    }
                }
                other => MessageContent::Unsupported { kind: format!("interactive.{other}") },
            }
        }
        // A tap on a template's quick-reply button.
        "button" => {
            let button = message.req("button")?;
            MessageContent::ButtonReply {
                id: button.req_str("payload")?.to_owned(),
                title: button.req_str("text")?.to_owned(),
            }
        }
        "audio" => {
            let audio = message.req("audio")?;
            MessageContent::Audio {
                voice: audio.bool_or("voice", false)?,
                media: media(&audio)?,
                transcript: None,
            }
        }
        "image" => {
            let image = message.req("image")?;
            MessageContent::Image { caption: image.text("caption")?, media: media(&image)? }
        }
        "video" => {
            let video = message.req("video")?;
            MessageContent::Video { caption: video.text("caption")?, media: media(&video)? }
        }
        "document" => {
            let document = message.req("document")?;
            MessageContent::Document {
                caption: document.text("caption")?,
                filename: document.text("filename")?,
                media: media(&document)?,
            }
        }
        "location" => {
            let location = message.req("location")?;
            MessageContent::Location {
                latitude: location.req("latitude")?.as_f64()?,
                longitude: location.req("longitude")?.as_f64()?,
                name: location.text("name")?,
                address: location.text("address")?,
            }
        }
        "contacts" => {
            let cards = message.array("contacts")?;
            let card = cards
                .first()
                .ok_or_else(|| ParseError::Missing { path: format!("{}.contacts[0]", message.path()) })?;
            let name = card.get("name").map(|name| name.text("formatted_name")).transpose()?.flatten();
            let mut phones = Vec::new();
            for number in card.array("phones")? {
                let raw = number.opt_str("wa_id")?.or(number.opt_str("phone")?);
                if let Some(phone) = raw.and_then(|raw| Phone::parse(raw).ok()) {
                    phones.push(phone);
                }
            }
            MessageContent::Contact { name: name.unwrap_or_default(), phones }
        }
        "reaction" => {
            let reaction = message.req("reaction")?;
            MessageContent::Reaction {
                emoji: reaction.text("emoji")?,
                target: reaction.req_message_id("message_id")?,
            }
        }
        "sticker" => MessageContent::Sticker,
        "order" => order(&message.req("order")?)?,
        other => MessageContent::Unsupported { kind: other.to_owned() },
    })
}

/// A cart from the catalogue: each product with its quantity and unit price (in the currency's
/// units, with decimals), and what the patient wrote along.
fn order(order: &Node<'_>) -> Result<MessageContent, ParseError> {
    let mut summary = OrderSummary::default();
    for item in order.array("product_items")? {
        let quantity = item.req("quantity")?.as_i64()?;
        let price = item.get("item_price").map(|price| price.as_f64()).transpose()?;
        let centavos =
            price.map(|price| (price * 100.0).round()).filter(|c| c.abs() < 1e15).map(|c| c as i64);
        summary.line(&OrderLine {
            product: item.req_str("product_retailer_id")?,
            quantity: u64::try_from(quantity).map_err(|_| item.invalid("negative quantity"))?,
            price: reais(item.opt_str("currency")?, centavos),
        });
    }
    summary.note(order.opt_str("text")?);
    Ok(MessageContent::Order { summary: summary.finish() })
}

fn media(object: &Node<'_>) -> Result<Media, ParseError> {
    Ok(Media {
        mime_type: object.text("mime_type")?,
        source: MediaSource::MetaId(object.req_str("id")?.to_owned()),
    })
}

fn parse_status(status: &Node<'_>) -> Result<InboundEvent, ParseError> {
    let id = status.req_message_id("id")?;
    let delivery = match status.req_str("status")? {
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        "played" => DeliveryStatus::Played,
        "failed" => DeliveryStatus::Failed,
        other => return Ok(IgnoreReason::UnknownStatus { status: other.to_owned() }.into()),
    };
    let timestamp = status.get("timestamp").map(|t| t.as_unix_seconds()).transpose()?;
    let recipient = status.opt_str("recipient_id")?.and_then(|raw| Phone::parse(raw).ok());
    let mut error = None;
    if let Some(first) = status.array("errors")?.first() {
        let title = match first.text("title")? {
            Some(title) => Some(title),
            None => first.text("message")?,
        };
        error = Some(DeliveryError { code: first.req("code")?.as_i64()?, title: title.unwrap_or_default() });
    }
    Ok(InboundEvent::Status(StatusUpdate { id, status: delivery, timestamp, recipient, error }))
}
