//! Sending through Z-API: `POST {base}/instances/{id}/token/{token}/<action>`, header
//! `Client-Token`.

use async_trait::async_trait;
use serde_json::{Value, json};
use sofia_core::domain::{Phone, ProviderKind};

use crate::channels::event::ProviderMessageId;
use crate::channels::http::{BaseUrl, Reply, accepted_id, classify_status, send};
use crate::channels::outbound::OutboundMessage;
use crate::channels::provider::{ChannelConfigError, Fault, Provider, SendError, SentMessage};
use crate::secret::Secret;

pub struct ZapiProvider {
    http: reqwest::Client,
    /// Holds the instance token in its path: never logged, never put in an error.
    instance_url: BaseUrl,
    client_token: Secret,
}

impl ZapiProvider {
    pub fn new(
        http: reqwest::Client,
        base_url: &str,
        instance_id: &str,
        token: Secret,
        client_token: Secret,
    ) -> Result<Self, ChannelConfigError> {
        let instance_url =
            BaseUrl::parse(base_url)?.join(&["instances", instance_id, "token", token.expose()]);
        Ok(ZapiProvider { http, instance_url, client_token })
    }

    async fn post(&self, action: &str, body: &Value) -> Result<Reply, SendError> {
        let url = self.instance_url.join(&[action]).into_url();
        send(self.http.post(url).header("Client-Token", self.client_token.expose()).json(body)).await
    }
}

#[async_trait]
impl Provider for ZapiProvider {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Zapi
    }

    async fn send(&self, to: &Phone, message: &OutboundMessage) -> Result<SentMessage, SendError> {
        let phone = to.digits();
        let (action, body) = match message {
            OutboundMessage::Text(text) => ("send-text", json!({ "phone": phone, "message": text.body() })),
            OutboundMessage::Buttons(buttons) => {
                let list: Vec<Value> =
                    buttons.buttons().iter().map(|b| json!({ "id": b.id, "label": b.title })).collect();
                // Z-API button messages have no header field; it leads the text in bold instead.
                let text = match buttons.header() {
                    Some(header) => format!("*{header}*\n\n{}", buttons.body()),
                    None => buttons.body().to_owned(),
                };
                (
                    "send-button-list",
                    json!({ "phone": phone, "message": text, "buttonList": { "buttons": list } }),
                )
            }
            OutboundMessage::List(list) => {
                let options: Vec<Value> = list
                    .rows()
                    .iter()
                    .map(|row| {
                        let mut option = json!({ "id": row.id, "title": row.title });
                        if let Some(description) = &row.description {
                            option["description"] = json!(description);
                        }
                        option
                    })
                    .collect();
                let body = json!({
                    "phone": phone,
                    "message": list.body(),
                    "optionList": {
                        "title": list.header().unwrap_or(list.button_label()),
                        "buttonLabel": list.button_label(),
                        "options": options,
                    },
                });
                ("send-option-list", body)
            }
            OutboundMessage::Template(_) => {
                return Err(SendError::Permanent {
                    fault: Fault::Message,
                    reason: "templates exist only on the Meta Cloud API".to_owned(),
                });
            }
        };
        let reply = self.post(action, &body).await?;
        if !reply.status.is_success() {
            return Err(classify_status(&reply, message.is_interactive()));
        }
        let id = ["messageId", "id"].iter().find_map(|field| reply.body.get(field).and_then(Value::as_str));
        Ok(SentMessage { provider_message_id: accepted_id(id)? })
    }

    async fn mark_read(&self, chat: &Phone, id: &ProviderMessageId) -> Result<(), SendError> {
        let reply =
            self.post("read-message", &json!({ "phone": chat.digits(), "messageId": id.as_str() })).await?;
        if reply.status.is_success() { Ok(()) } else { Err(classify_status(&reply, false)) }
    }
}
