//! Sending through the Meta Cloud API: `POST {base}/{version}/{phone_number_id}/messages`.

use async_trait::async_trait;
use reqwest::Url;
use serde_json::{Value, json};
use sofia_core::domain::{Phone, ProviderKind};

use crate::channels::event::ProviderMessageId;
use crate::channels::http::{BaseUrl, Reply, accepted_id, classify_status, quote, send};
use crate::channels::outbound::OutboundMessage;
use crate::channels::provider::{ChannelConfigError, Fault, Provider, SendError, SentMessage};
use crate::secret::Secret;

pub struct MetaProvider {
    http: reqwest::Client,
    messages_url: Url,
    access_token: Secret,
}

impl MetaProvider {
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        api_version: &str,
        phone_number_id: &str,
        access_token: Secret,
    ) -> Result<Self, ChannelConfigError> {
        let messages_url =
            BaseUrl::parse(base_url)?.join(&[api_version, phone_number_id, "messages"]).into_url();
        Ok(MetaProvider { http, messages_url, access_token })
    }

    async fn post(&self, body: &Value) -> Result<Reply, SendError> {
        send(self.http.post(self.messages_url.clone()).bearer_auth(self.access_token.expose()).json(body))
            .await
    }
}

#[async_trait]
impl Provider for MetaProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Meta
    }

    fn can_send(&self, _message: &OutboundMessage) -> bool {
        true
    }

    async fn send(&self, to: &Phone, message: &OutboundMessage) -> Result<SentMessage, SendError> {
        let reply = self.post(&request_body(to, message)).await?;
        if !reply.status.is_success() {
            return Err(classify(&reply, message.is_interactive()));
        }
        let id = reply.body.pointer("/messages/0/id").and_then(Value::as_str);
        Ok(SentMessage { provider_message_id: accepted_id(id)? })
    }

    async fn typing(&self, _to: &Phone, replying_to: &ProviderMessageId) -> Result<(), SendError> {
        let body = json!({
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": replying_to.as_str(),
            "typing_indicator": { "type": "text" },
        });
        expect_success(self.post(&body).await?)
    }

    async fn mark_read(&self, _chat: &Phone, id: &ProviderMessageId) -> Result<(), SendError> {
        let body = json!({ "messaging_product": "whatsapp", "status": "read", "message_id": id.as_str() });
        expect_success(self.post(&body).await?)
    }

    /// Meta's typing indicator marks the message read itself: one call instead of two.
    async fn before_reply(&self, chat: &Phone, last_received: &ProviderMessageId) -> Result<(), SendError> {
        self.typing(chat, last_received).await
    }
}

fn expect_success(reply: Reply) -> Result<(), SendError> {
    if reply.status.is_success() { Ok(()) } else { Err(classify(&reply, false)) }
}

/// The `/messages` request for each kind, as Meta documents it.
fn request_body(to: &Phone, message: &OutboundMessage) -> Value {
    let mut body = json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to.digits(),
    });
    let (kind, payload) = match message {
        OutboundMessage::Text(text) => ("text", json!({ "preview_url": false, "body": text.body() })),
        OutboundMessage::Buttons(buttons) => {
            let replies: Vec<Value> = buttons
                .buttons()
                .iter()
                .map(|b| json!({ "type": "reply", "reply": { "id": b.id, "title": b.title } }))
                .collect();
            let mut interactive = json!({
                "type": "button",
                "body": { "text": buttons.body() },
                "action": { "buttons": replies },
            });
            if let Some(header) = buttons.header() {
                interactive["header"] = json!({ "type": "text", "text": header });
            }
            ("interactive", interactive)
        }
        OutboundMessage::List(list) => {
            let rows: Vec<Value> = list
                .rows()
                .iter()
                .map(|row| {
                    let mut value = json!({ "id": row.id, "title": row.title });
                    if let Some(description) = &row.description {
                        value["description"] = json!(description);
                    }
                    value
                })
                .collect();
            // One section: Meta requires section titles only when there are several.
            let mut interactive = json!({
                "type": "list",
                "body": { "text": list.body() },
                "action": { "button": list.button_label(), "sections": [{ "rows": rows }] },
            });
            if let Some(header) = list.header() {
                interactive["header"] = json!({ "type": "text", "text": header });
            }
            ("interactive", interactive)
        }
        OutboundMessage::Template(template) => {
            let mut payload = json!({ "name": template.name(), "language": { "code": template.language() } });
            let mut components = Vec::new();
            if !template.body_params().is_empty() {
                let parameters: Vec<Value> =
                    template.body_params().iter().map(|p| json!({ "type": "text", "text": p })).collect();
                components.push(json!({ "type": "body", "parameters": parameters }));
            }
            // Each quick-reply button is its own component, by its index in the approved
            // template; the payload is what Meta sends back when the patient taps it.
            for (index, payload) in template.quick_replies().iter().enumerate() {
                components.push(json!({
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": index.to_string(),
                    "parameters": [{ "type": "payload", "payload": payload }],
                }));
            }
            if !components.is_empty() {
                payload["components"] = Value::Array(components);
            }
            ("template", payload)
        }
    };
    body["type"] = json!(kind);
    body[kind] = payload;
    body
}

/// Meta reports most errors as HTTP 400 with a code that says what really happened, so the code
/// decides first and the HTTP status only when there is no code.
fn classify(reply: &Reply, interactive: bool) -> SendError {
    let error = reply.body.get("error");
    let Some(code) = error.and_then(|e| e.get("code")).and_then(Value::as_i64) else {
        return classify_status(reply, interactive);
    };
    let message = error.and_then(|e| e.get("message")).and_then(Value::as_str).map(quote).unwrap_or_default();
    let reason = format!("Meta error {code}: {message}");
    match code {
        // Throughput (130429), pair rate limit (131056: Meta asks for 4^n s back-off),
        // maintenance (131057), transient service errors and app/WABA rate limits.
        130429 | 131056 | 131057 | 131000 | 131016 | 1 | 2 | 4 | 80007 => {
            SendError::Retryable { retry_after: reply.retry_after, reason }
        }
        131047 => SendError::WindowClosed,
        // Undeliverable, held back by Meta, opted out of marketing, recipient is the sender.
        131026 | 131049 | 131050 | 131021 => SendError::Permanent { fault: Fault::Recipient, reason },
        // Token expired, permissions, account locked or unregistered, policy block.
        190 | 10 | 200 | 131005 | 131031 | 133010 | 368 => {
            SendError::Permanent { fault: Fault::Channel, reason }
        }
        131051 if interactive => SendError::InteractiveUnsupported { reason },
        _ if reply.status.is_server_error() => {
            SendError::Retryable { retry_after: reply.retry_after, reason }
        }
        _ => SendError::Permanent { fault: Fault::Message, reason },
    }
}
