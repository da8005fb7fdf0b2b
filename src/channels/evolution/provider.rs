//! Sending through Evolution API v2: `POST {base}/message/<action>/{instance}`, header `apikey`.

use std::time::Duration;

use async_trait::async_trait;
use reqwest::{StatusCode, Url};
use serde_json::{Value, json};
use sofia_core::domain::{Phone, ProviderKind};

use crate::channels::event::ProviderMessageId;
use crate::channels::http::{BaseUrl, Reply, accepted_id, classify_status, send};
use crate::channels::outbound::OutboundMessage;
use crate::channels::provider::{ChannelConfigError, Fault, Provider, SendError, SentMessage};
use crate::secret::Secret;

/// How long "typing…" shows. Evolution holds the HTTP request for this long, so callers should
/// not await `typing` on the path of a reply.
const TYPING_FOR: Duration = Duration::from_secs(3);

pub struct EvolutionProvider {
    http: reqwest::Client,
    base_url: BaseUrl,
    instance: String,
    api_key: Secret,
}

impl EvolutionProvider {
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        instance: &str,
        api_key: Secret,
    ) -> Result<Self, ChannelConfigError> {
        Ok(EvolutionProvider {
            http,
            base_url: BaseUrl::parse(base_url)?,
            instance: instance.to_owned(),
            api_key,
        })
    }

    fn url(&self, group: &str, action: &str) -> Url {
        self.base_url.join(&[group, action, &self.instance]).into_url()
    }

    async fn post(&self, url: Url, body: &Value) -> Result<Reply, SendError> {
        send(self.http.post(url).header("apikey", self.api_key.expose()).json(body)).await
    }
}

#[async_trait]
impl Provider for EvolutionProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Evolution
    }

    async fn send(&self, to: &Phone, message: &OutboundMessage) -> Result<SentMessage, SendError> {
        let number = to.digits();
        let (action, body) = match message {
            OutboundMessage::Text(text) => {
                ("sendText", json!({ "number": number, "text": text.body(), "linkPreview": false }))
            }
            OutboundMessage::Buttons(buttons) => {
                let replies: Vec<Value> = buttons
                    .buttons()
                    .iter()
                    .map(|b| json!({ "type": "reply", "displayText": b.title, "id": b.id }))
                    .collect();
                let mut body = json!({ "number": number, "description": buttons.body(), "buttons": replies });
                if let Some(header) = buttons.header() {
                    body["title"] = json!(header);
                }
                ("sendButtons", body)
            }
            OutboundMessage::List(list) => {
                let rows: Vec<Value> = list
                    .rows()
                    .iter()
                    .map(|row| {
                        let mut value = json!({ "title": row.title, "rowId": row.id });
                        // Evolution refuses an empty description, so an absent one is left out.
                        if let Some(description) = &row.description {
                            value["description"] = json!(description);
                        }
                        value
                    })
                    .collect();
                // Evolution requires a list title; without a header the body takes that place.
                let mut body = json!({
                    "number": number,
                    "title": list.header().unwrap_or(list.body()),
                    "buttonText": list.button_label(),
                    "footerText": "",
                    "sections": [{ "title": list.button_label(), "rows": rows }],
                });
                if list.header().is_some() {
                    body["description"] = json!(list.body());
                }
                ("sendList", body)
            }
            OutboundMessage::Template(_) => {
                return Err(SendError::Permanent {
                    fault: Fault::Message,
                    reason: "templates exist only on the Meta Cloud API".to_owned(),
                });
            }
        };
        let reply = self.post(self.url("message", action), &body).await?;
        if !reply.status.is_success() {
            return Err(classify(&reply, message.is_interactive()));
        }
        let id = reply.body.pointer("/key/id").and_then(Value::as_str);
        Ok(SentMessage { provider_message_id: accepted_id(id)? })
    }

    async fn typing(&self, to: &Phone, _replying_to: &ProviderMessageId) -> Result<(), SendError> {
        let delay = u64::try_from(TYPING_FOR.as_millis()).unwrap_or(u64::MAX);
        let body = json!({ "number": to.digits(), "presence": "composing", "delay": delay });
        expect_success(self.post(self.url("chat", "sendPresence"), &body).await?)
    }

    async fn mark_read(&self, chat: &Phone, id: &ProviderMessageId) -> Result<(), SendError> {
        let jid = format!("{}@s.whatsapp.net", chat.digits());
        let body = json!({ "readMessages": [{ "remoteJid": jid, "fromMe": false, "id": id.as_str() }] });
        expect_success(self.post(self.url("chat", "markMessageAsRead"), &body).await?)
    }
}

fn expect_success(reply: Reply) -> Result<(), SendError> {
    if reply.status.is_success() { Ok(()) } else { Err(classify(&reply, false)) }
}

/// Evolution checks the number with WhatsApp first and answers 400 with
/// `response.message: [{"exists": false, …}]` when it is not on WhatsApp.
fn classify(reply: &Reply, interactive: bool) -> SendError {
    let not_on_whatsapp =
        reply.status == StatusCode::BAD_REQUEST
            && reply.body.pointer("/response/message").and_then(Value::as_array).is_some_and(|items| {
                items.iter().any(|item| item.get("exists") == Some(&Value::Bool(false)))
            });
    if not_on_whatsapp {
        return SendError::Permanent {
            fault: Fault::Recipient,
            reason: "the number is not on WhatsApp".to_owned(),
        };
    }
    classify_status(reply, interactive)
}
