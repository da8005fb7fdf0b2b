//! Chatwoot's Application API, as much of it as Sofia uses: contacts, conversations in the
//! clinic's API inbox, messages and private notes, status, assignment and labels.
//!
//! Every call goes to `{base_url}/api/v1/accounts/{account_id}/…` with the `api_access_token`
//! header. Errors say whether trying again later may help ([`ChatwootError::is_retryable`]),
//! and never carry the token, the URL (a contact search puts the phone number in it) or a
//! message's text. Answers are read up to [`MAX_ANSWER_BYTES`].

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode, Url, header};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sofia_core::clinic::ChatwootSpec;
use sofia_core::domain::{
    ChatwootContactId, ChatwootConversationId, ChatwootInboxId, ChatwootMessageId, ChatwootTeamId, Phone,
    TenantId,
};

use crate::limited::ReadError;
use crate::secret::Secret;

/// Chatwoot's answers are small JSON documents; anything longer is not one of them.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024;
/// A `Retry-After` longer than this is read as this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Why a clinic's Chatwoot section cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatwootConfigError {
    #[error("chatwoot.base_url '{url}' cannot be used: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error("clinic {clinic}: chatwoot.api_access_token_env names {variable}, which is not set")]
    MissingToken { clinic: TenantId, variable: String },
    #[error("clinic {clinic}: chatwoot.webhook_key_env names {variable}, which is not set")]
    MissingWebhookKey { clinic: TenantId, variable: String },
    #[error(
        "clinic {clinic}: the Chatwoot webhook key in {variable} is shorter than {min} characters; use a long \
         random value, it is all that protects the route",
        min = crate::channels::MIN_WEBHOOK_KEY_LEN
    )]
    WeakWebhookKey { clinic: TenantId, variable: String },
    #[error("clinic {clinic}: the Chatwoot webhook key in {variable} is another clinic's key too")]
    SharedWebhookKey { clinic: TenantId, variable: String },
    #[error("clinic {clinic}: chatwoot.hmac_secret_env names {variable}, which is not set")]
    MissingHmacSecret { clinic: TenantId, variable: String },
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChatwootError {
    /// Chatwoot is down, overloaded or unreachable: the same call may succeed later.
    #[error("Chatwoot is unavailable: {reason}")]
    Unavailable { reason: String, retry_after: Option<Duration> },
    /// The token was refused. Retried rather than given up on: an operator fixes the token,
    /// and what waited is then mirrored.
    #[error("Chatwoot refused the access token (HTTP {status}); check api_access_token_env")]
    Unauthorized { status: u16 },
    /// Chatwoot refused this request for good (a 4xx other than the above).
    #[error("Chatwoot refused the request: HTTP {status}{detail}")]
    Refused { status: u16, detail: String },
    /// A 2xx answer without what it should carry.
    #[error("Chatwoot's answer to {call} was not understood: {problem}")]
    Unreadable { call: &'static str, problem: String },
}

impl ChatwootError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, ChatwootError::Unavailable { .. } | ChatwootError::Unauthorized { .. })
    }

    /// How long Chatwoot asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ChatwootError::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A Chatwoot contact, as search and create return it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Contact {
    pub id: ChatwootContactId,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone_number: Option<String>,
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub contact_inboxes: Vec<ContactInbox>,
}

impl Contact {
    /// The contact's session id in `inbox`, which a conversation there is created with.
    pub fn source_id_in(&self, inbox: ChatwootInboxId) -> Option<&str> {
        self.contact_inboxes
            .iter()
            .find(|c| c.inbox.as_ref().is_some_and(|i| i.id == inbox))
            .map(|c| c.source_id.as_str())
    }

    fn is_for(&self, phone: &Phone) -> bool {
        self.identifier.as_deref() == Some(phone.as_str())
            || self.phone_number.as_deref() == Some(phone.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ContactInbox {
    pub source_id: String,
    #[serde(default)]
    pub inbox: Option<InboxRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct InboxRef {
    pub id: ChatwootInboxId,
}

/// One of a contact's conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ConversationSummary {
    pub id: ChatwootConversationId,
    pub inbox_id: ChatwootInboxId,
}

/// A conversation's status. While the bot owns a conversation it is `pending`; agents work
/// `open` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConversationStatus {
    Open,
    Resolved,
    Pending,
    Snoozed,
}

/// A conversation to create in the client's inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConversation<'a> {
    pub contact_id: ChatwootContactId,
    /// The contact's session id in the inbox ([`Contact::source_id_in`]).
    pub source_id: &'a str,
    pub status: ConversationStatus,
    /// Shown in the conversation's sidebar (`additional_attributes`).
    pub attributes: Value,
}

/// Who wrote a message, as Chatwoot files it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageType {
    /// What the contact (the patient) wrote.
    Incoming,
    /// What the clinic said: the bot, an agent, staff. An API inbox sends it nowhere.
    Outgoing,
}

/// A message or private note to post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewMessage {
    pub content: String,
    pub message_type: MessageType,
    /// A note only agents see.
    pub private: bool,
    /// Tags the message as ours (the webhook side skips what Sofia posted).
    pub content_attributes: Value,
    /// Our message id, when the message mirrors one of ours.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
}

impl NewMessage {
    /// A private note for the clinic's agents (why a conversation was handed off, say).
    pub fn private_note(content: impl Into<String>) -> Self {
        NewMessage {
            content: content.into(),
            message_type: MessageType::Outgoing,
            private: true,
            content_attributes: json!({ "sofia": { "author": "bot" } }),
            source_id: None,
        }
    }
}

/// Whom a conversation is assigned to. Chatwoot ignores a team when an agent is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    Team(ChatwootTeamId),
    Agent(u64),
}

/// A client for one clinic's Chatwoot account and API inbox.
#[derive(Clone)]
pub struct ChatwootClient {
    http: reqwest::Client,
    /// `…/api/v1/accounts/{account_id}`.
    account: Url,
    inbox: ChatwootInboxId,
    token: Secret,
}

impl std::fmt::Debug for ChatwootClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatwootClient")
            .field("account", &self.account.as_str())
            .field("inbox", &self.inbox)
            .finish()
    }
}

impl ChatwootClient {
    /// A client for the account and inbox of `spec`. `http` carries the timeouts.
    pub fn new(
        spec: &ChatwootSpec,
        token: Secret,
        http: reqwest::Client,
    ) -> Result<Self, ChatwootConfigError> {
        let invalid = |reason: &str| ChatwootConfigError::InvalidBaseUrl {
            url: spec.base_url.clone(),
            reason: reason.to_owned(),
        };
        let mut account = Url::parse(&spec.base_url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(account.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        account.path_segments_mut().map_err(|()| invalid("it cannot have a path"))?.pop_if_empty().extend([
            "api",
            "v1",
            "accounts",
            &spec.account_id.to_string(),
        ]);
        Ok(ChatwootClient { http, account, inbox: spec.inbox_id, token })
    }

    /// The API inbox conversations are created in.
    pub fn inbox(&self) -> ChatwootInboxId {
        self.inbox
    }

    /// The contact whose identifier or phone number is `phone`, if Chatwoot has one.
    pub async fn search_contact(&self, phone: &Phone) -> Result<Option<Contact>, ChatwootError> {
        let request = self.request(Method::GET, &["contacts", "search"]).query(&[("q", phone.as_str())]);
        let found: Envelope<Vec<Contact>> = self.call("contact search", request).await?;
        Ok(found.payload.into_iter().find(|contact| contact.is_for(phone)))
    }

    /// Creates a contact in the inbox, identified by the phone number (E.164).
    pub async fn create_contact(&self, phone: &Phone, name: &str) -> Result<Contact, ChatwootError> {
        let body = json!({
            "inbox_id": self.inbox,
            "name": name,
            "phone_number": phone.as_str(),
            "identifier": phone.as_str(),
        });
        let request = self.request(Method::POST, &["contacts"]).json(&body);
        let created: Envelope<CreatedContact> = self.call("contact create", request).await?;
        let CreatedContact { mut contact, contact_inbox } = created.payload;
        // Versions differ in where they put the new contact_inbox; keep it with the contact.
        if let Some(inbox) = contact_inbox {
            contact.contact_inboxes.push(inbox);
        }
        Ok(contact)
    }

    /// Puts an existing contact in the inbox under `source_id`; answers the session id.
    pub async fn create_contact_inbox(
        &self,
        contact: ChatwootContactId,
        source_id: &str,
    ) -> Result<String, ChatwootError> {
        let body = json!({ "inbox_id": self.inbox, "source_id": source_id });
        let request =
            self.request(Method::POST, &["contacts", &contact.to_string(), "contact_inboxes"]).json(&body);
        let created: ContactInbox = self.call("contact inbox create", request).await?;
        Ok(created.source_id)
    }

    /// The contact's conversations, in every inbox.
    pub async fn contact_conversations(
        &self,
        contact: ChatwootContactId,
    ) -> Result<Vec<ConversationSummary>, ChatwootError> {
        let request = self.request(Method::GET, &["contacts", &contact.to_string(), "conversations"]);
        let found: Envelope<Vec<ConversationSummary>> = self.call("contact conversations", request).await?;
        Ok(found.payload)
    }

    /// Creates a conversation in the inbox; answers its display id.
    pub async fn create_conversation(
        &self,
        conversation: &NewConversation<'_>,
    ) -> Result<ChatwootConversationId, ChatwootError> {
        let body = json!({
            "source_id": conversation.source_id,
            "inbox_id": self.inbox,
            "contact_id": conversation.contact_id,
            "status": conversation.status,
            "additional_attributes": conversation.attributes,
        });
        let request = self.request(Method::POST, &["conversations"]).json(&body);
        let created: Created<ChatwootConversationId> = self.call("conversation create", request).await?;
        Ok(created.id)
    }

    /// Posts a message (or a private note) to a conversation; answers its id.
    pub async fn create_message(
        &self,
        conversation: ChatwootConversationId,
        message: &NewMessage,
    ) -> Result<ChatwootMessageId, ChatwootError> {
        let request = self
            .request(Method::POST, &["conversations", &conversation.to_string(), "messages"])
            .json(message);
        let created: Created<ChatwootMessageId> = self.call("message create", request).await?;
        Ok(created.id)
    }

    /// Sets a conversation's status (`open` hands it to the agents); answers the new status.
    pub async fn toggle_status(
        &self,
        conversation: ChatwootConversationId,
        status: ConversationStatus,
    ) -> Result<ConversationStatus, ChatwootError> {
        let request = self
            .request(Method::POST, &["conversations", &conversation.to_string(), "toggle_status"])
            .json(&json!({ "status": status }));
        let toggled: Envelope<Toggled> = self.call("toggle_status", request).await?;
        Ok(toggled.payload.current_status)
    }

    /// Assigns a conversation to a team or an agent.
    pub async fn assign(
        &self,
        conversation: ChatwootConversationId,
        assignee: Assignee,
    ) -> Result<(), ChatwootError> {
        let body = match assignee {
            Assignee::Team(team) => json!({ "team_id": team }),
            Assignee::Agent(agent) => json!({ "assignee_id": agent }),
        };
        let request = self
            .request(Method::POST, &["conversations", &conversation.to_string(), "assignments"])
            .json(&body);
        // The answer is the assignee (or nothing); nothing in it is needed.
        self.send(request).await.map(drop)
    }

    /// Sets a conversation's labels; answers the labels it now has.
    pub async fn add_labels(
        &self,
        conversation: ChatwootConversationId,
        labels: &[&str],
    ) -> Result<Vec<String>, ChatwootError> {
        let request = self
            .request(Method::POST, &["conversations", &conversation.to_string(), "labels"])
            .json(&json!({ "labels": labels }));
        let labelled: Envelope<Vec<String>> = self.call("labels", request).await?;
        Ok(labelled.payload)
    }

    fn request(&self, method: Method, segments: &[&str]) -> RequestBuilder {
        let mut url = self.account.clone();
        // Cannot fail: `new` checked that the URL can take a path.
        if let Ok(mut path) = url.path_segments_mut() {
            path.extend(segments);
        }
        self.http
            .request(method, url)
            .header("api_access_token", self.token.expose())
            .header(header::ACCEPT, "application/json")
    }

    /// Sends the request and reads a 2xx answer as `T`.
    async fn call<T: DeserializeOwned>(
        &self,
        call: &'static str,
        request: RequestBuilder,
    ) -> Result<T, ChatwootError> {
        let body = self.send(request).await?;
        serde_json::from_slice(&body).map_err(|e| ChatwootError::Unreadable {
            call,
            // serde names the position and the expected shape, never a value.
            problem: e.to_string(),
        })
    }

    /// Sends the request; answers a 2xx answer's body, or the error the answer means.
    async fn send(&self, request: RequestBuilder) -> Result<Vec<u8>, ChatwootError> {
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let retry_after = retry_after(&response);
        let body = read_limited(response).await?;
        if status.is_success() { Ok(body) } else { Err(classify(status, retry_after, &body)) }
    }
}

#[derive(Deserialize)]
struct Envelope<T> {
    payload: T,
}

#[derive(Deserialize)]
struct Created<Id> {
    id: Id,
}

#[derive(Deserialize)]
struct CreatedContact {
    contact: Contact,
    #[serde(default)]
    contact_inbox: Option<ContactInbox>,
}

#[derive(Deserialize)]
struct Toggled {
    current_status: ConversationStatus,
}

fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(|seconds| Duration::from_secs(seconds).min(MAX_RETRY_AFTER))
}

/// The answer's body, refused past [`MAX_ANSWER_BYTES`].
async fn read_limited(response: Response) -> Result<Vec<u8>, ChatwootError> {
    crate::limited::read_limited(response, MAX_ANSWER_BYTES).await.map_err(|error| match error {
        ReadError::TooLong { limit } => ChatwootError::Unavailable {
            reason: format!("the answer was longer than {limit} bytes"),
            retry_after: None,
        },
        ReadError::Transport(error) => transport_error(error),
    })
}

/// reqwest's own message names the URL, and a contact search's URL holds a phone number:
/// the reason is ours.
fn transport_error(error: reqwest::Error) -> ChatwootError {
    let reason = if error.is_connect() {
        "could not connect"
    } else if error.is_timeout() {
        "no answer in time"
    } else if error.is_body() || error.is_decode() {
        "the answer was cut off"
    } else {
        "the request failed"
    };
    ChatwootError::Unavailable { reason: reason.to_owned(), retry_after: None }
}

fn classify(status: StatusCode, retry_after: Option<Duration>, body: &[u8]) -> ChatwootError {
    if status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
    {
        return ChatwootError::Unavailable { reason: format!("HTTP {}", status.as_u16()), retry_after };
    }
    if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
        return ChatwootError::Unauthorized { status: status.as_u16() };
    }
    ChatwootError::Refused { status: status.as_u16(), detail: refusal_detail(body) }
}

/// Chatwoot explains a refusal in `message` or `error` (`"Identifier has already been taken"`);
/// quoted short, digits runs hidden, since it may echo what we sent.
fn refusal_detail(body: &[u8]) -> String {
    let Ok(value) = serde_json::from_slice::<Value>(body) else { return String::new() };
    let text = ["message", "error", "errors"]
        .iter()
        .find_map(|key| match value.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Array(items)) => {
                Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("; "))
            }
            _ => None,
        })
        .unwrap_or_default();
    if text.is_empty() { String::new() } else { format!(": {}", hide_numbers(&text)) }
}

fn hide_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut digits = 0;
    for c in text.chars().take(200) {
        if c.is_ascii_digit() {
            digits += 1;
            if digits == 5 {
                out.push('…');
            }
            if digits < 5 {
                out.push(c);
            }
        } else {
            digits = 0;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use sofia_core::domain::ChatwootAccountId;

    use super::*;

    fn spec(base_url: &str) -> ChatwootSpec {
        ChatwootSpec {
            base_url: base_url.into(),
            account_id: ChatwootAccountId(1),
            inbox_id: ChatwootInboxId(7),
            api_access_token_env: "TOKEN".into(),
            webhook_key_env: "KEY".into(),
            hmac_secret_env: None,
            team_id: None,
        }
    }

    #[test]
    fn every_path_is_under_the_account() {
        let client = ChatwootClient::new(
            &spec("https://cw.exemplo.com.br/suporte"),
            Secret::new("t"),
            reqwest::Client::new(),
        )
        .unwrap();
        let request = client.request(Method::GET, &["contacts", "search"]).build().unwrap();
        assert_eq!(
            request.url().as_str(),
            "https://cw.exemplo.com.br/suporte/api/v1/accounts/1/contacts/search"
        );
        assert!(ChatwootClient::new(&spec("ftp://cw"), Secret::new("t"), reqwest::Client::new()).is_err());
    }

    #[test]
    fn the_client_never_prints_its_token() {
        let client = ChatwootClient::new(
            &spec("https://cw.exemplo.com.br"),
            Secret::new("tok-123"),
            reqwest::Client::new(),
        )
        .unwrap();
        assert!(!format!("{client:?}").contains("tok-123"));
    }

    #[test]
    fn refusals_are_quoted_without_long_numbers() {
        let body = br#"{"message":"Phone number +5511987654321 has already been taken"}"#;
        let error = classify(StatusCode::UNPROCESSABLE_ENTITY, None, body);
        assert_eq!(
            error.to_string(),
            "Chatwoot refused the request: HTTP 422: Phone number +5511… has already been taken"
        );
        assert!(!error.is_retryable());
        assert!(classify(StatusCode::SERVICE_UNAVAILABLE, Some(Duration::from_secs(30)), b"").is_retryable());
        assert!(classify(StatusCode::UNAUTHORIZED, None, b"").is_retryable());
    }
}
