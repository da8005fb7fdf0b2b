//! The chat-completions wire format, as OpenAI-compatible servers speak it.
//!
//! Requests are what every server accepts: non-streamed, tools as `function` entries, a
//! `max_tokens` bound on the answer, no sampling parameters (reasoning models refuse a
//! temperature). Responses are read leniently,
//! because compatible servers differ in what they leave out: `id`, `object`, `created` and
//! `index` may be missing, a tool call may lack its `type` or `id`, `content` may be `null`, a
//! string or a list of text parts, and `arguments` may be a JSON string or an object.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::agent::tools::ToolSchema;
use crate::channels::Downloaded;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatRequest {
    pub model: String,
    pub messages: Vec<Message>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolDefinition>,
    /// Streamed tool calls break on several compatible servers.
    pub stream: bool,
    /// The longest answer the model may give, so one turn's spend has a ceiling.
    pub max_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Message {
    System {
        content: String,
    },
    User {
        content: UserContent,
    },
    Assistant {
        #[serde(skip_serializing_if = "Option::is_none")]
        content: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ToolCallRequest>,
    },
    Tool {
        tool_call_id: String,
        content: String,
    },
}

impl Message {
    pub fn system(content: impl Into<String>) -> Message {
        Message::System { content: content.into() }
    }

    pub fn user(content: impl Into<String>) -> Message {
        Message::User { content: UserContent::Text(content.into()) }
    }

    /// The patient's words with the photos they sent, for a vision model: a text part, then
    /// one `image_url` part per photo, as a `data:` URL (the provider's URL would expire, and
    /// would need our credentials).
    pub fn user_with_images(text: impl Into<String>, images: &[Downloaded]) -> Message {
        let mut parts = vec![ContentPart::Text { text: text.into() }];
        parts.extend(images.iter().map(|image| ContentPart::ImageUrl {
            image_url: ImageUrl {
                url: format!("data:{};base64,{}", image.mime, STANDARD.encode(&image.bytes)),
            },
        }));
        Message::User { content: UserContent::Parts(parts) }
    }

    pub fn assistant(content: impl Into<String>) -> Message {
        Message::Assistant { content: Some(content.into()), tool_calls: Vec::new() }
    }

    /// The text the message carries, for token counts.
    pub fn text(&self) -> String {
        match self {
            Message::System { content } | Message::Tool { content, .. } => content.clone(),
            Message::User { content: UserContent::Text(text) } => text.clone(),
            Message::User { content: UserContent::Parts(parts) } => parts
                .iter()
                .filter_map(|part| match part {
                    ContentPart::Text { text } => Some(text.as_str()),
                    ContentPart::ImageUrl { .. } => None,
                })
                .collect(),
            Message::Assistant { content, tool_calls } => {
                let mut text = content.clone().unwrap_or_default();
                for call in tool_calls {
                    text.push_str(&call.function.name);
                    text.push_str(&call.function.arguments);
                }
                text
            }
        }
    }
}

/// A user message's content: text, or (with photos, for a vision model) a list of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum UserContent {
    Text(String),
    Parts(Vec<ContentPart>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentPart {
    Text { text: String },
    ImageUrl { image_url: ImageUrl },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageUrl {
    pub url: String,
}

/// A tool call as the assistant message that made it is sent back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolCallRequest {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: FunctionKind,
    pub function: FunctionCall,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FunctionKind {
    #[default]
    Function,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    /// JSON text, as the model wrote it.
    pub arguments: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDefinition {
    #[serde(rename = "type")]
    pub kind: FunctionKind,
    pub function: FunctionDefinition,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionDefinition {
    pub name: &'static str,
    pub description: &'static str,
    pub parameters: Value,
}

impl From<ToolSchema> for ToolDefinition {
    fn from(schema: ToolSchema) -> Self {
        ToolDefinition {
            kind: FunctionKind::Function,
            function: FunctionDefinition {
                name: schema.name,
                description: schema.description,
                parameters: compact(schema.parameters),
            },
        }
    }
}

/// The schema as the model needs it, about half the tokens of the generated one: an optional
/// field is one that is not `required` (not a `null` type), a closed set of words is an
/// `enum`, and integer formats go. What the model sends is still parsed by the tool's own
/// types, which accept `null` for every optional field.
pub fn compact(schema: Value) -> Value {
    let Value::Object(mut object) = schema else { return schema };
    object.remove("format");
    // `anyOf: [X, {"type": "null"}]` is X; the outer description wins over X's.
    if let Some(Value::Array(branches)) = object.get("anyOf") {
        let mut real = branches.iter().filter(|b| b.get("type") != Some(&Value::from("null")));
        if let (Some(only), None) = (real.next().cloned(), real.next()) {
            object.remove("anyOf");
            if let Value::Object(inner) = compact(only) {
                for (key, value) in inner {
                    object.entry(key).or_insert(value);
                }
            }
        }
    }
    // `oneOf` of constants (each maybe documented) is an enum.
    if let Some(Value::Array(branches)) = object.get("oneOf") {
        let words: Option<Vec<(Value, Option<Value>)>> = branches
            .iter()
            .map(|branch| {
                let values = match (branch.get("const"), branch.get("enum")) {
                    (Some(value), _) => vec![value.clone()],
                    (None, Some(Value::Array(values))) => values.clone(),
                    _ => return None,
                };
                Some(
                    values
                        .into_iter()
                        .map(|value| (value, branch.get("description").cloned()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect::<Option<Vec<_>>>()
            .map(|groups| groups.into_iter().flatten().collect());
        if let Some(words) = words {
            object.remove("oneOf");
            if !object.contains_key("description") {
                let documented: Vec<String> = words
                    .iter()
                    .filter_map(|(value, doc)| {
                        Some(format!("{}: {}", value.as_str()?, doc.as_ref()?.as_str()?))
                    })
                    .collect();
                if !documented.is_empty() {
                    object.insert("description".to_owned(), Value::from(documented.join("; ")));
                }
            }
            object.insert("type".to_owned(), Value::from("string"));
            object
                .insert("enum".to_owned(), Value::Array(words.into_iter().map(|(value, _)| value).collect()));
        }
    }
    if let Some(Value::Array(types)) = object.get("type") {
        let real: Vec<Value> = types.iter().filter(|t| t.as_str() != Some("null")).cloned().collect();
        if let [only] = real.as_slice() {
            object.insert("type".to_owned(), only.clone());
        }
    }
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        values.retain(|value| !value.is_null());
    }
    if let Some(Value::Object(properties)) = object.remove("properties") {
        let properties = properties.into_iter().map(|(name, schema)| (name, compact(schema))).collect();
        object.insert("properties".to_owned(), Value::Object(properties));
    }
    if let Some(items) = object.remove("items") {
        object.insert("items".to_owned(), compact(items));
    }
    Value::Object(object)
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChatResponse {
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Option<WireUsage>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Choice {
    pub message: ResponseMessage,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ResponseMessage {
    #[serde(default, deserialize_with = "content_text")]
    pub content: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub tool_calls: Vec<ResponseToolCall>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResponseToolCall {
    #[serde(default)]
    pub id: Option<String>,
    pub function: ResponseFunction,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResponseFunction {
    pub name: String,
    #[serde(default, deserialize_with = "arguments_text")]
    pub arguments: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct WireUsage {
    #[serde(default)]
    pub prompt_tokens: u32,
    #[serde(default)]
    pub completion_tokens: u32,
}

/// `null`, a string, or a list of parts of which the text ones are kept.
fn content_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => Some(text),
        Value::Array(parts) => {
            let text: String =
                parts.iter().filter_map(|part| part.get("text").and_then(Value::as_str)).collect();
            Some(text)
        }
        _ => None,
    })
}

/// Arguments as JSON text: an object some servers send is written back as text, `null` is `{}`.
fn arguments_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => text,
        Value::Null => "{}".to_owned(),
        other => other.to_string(),
    })
}

fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(body: Value) -> ChatResponse {
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn a_minimal_compatible_response_is_read() {
        // No id, object, created, index, tool-call type or id: llama.cpp- and gateway-style.
        let response = parse(json!({
            "choices": [{ "message": { "role": "assistant", "content": null,
                "tool_calls": [{ "function": { "name": "find_slots", "arguments": { "service": "botox" } } }] } }]
        }));
        let message = &response.choices[0].message;
        assert_eq!(message.content, None);
        assert_eq!(message.tool_calls[0].id, None);
        assert_eq!(message.tool_calls[0].function.arguments, r#"{"service":"botox"}"#);
        assert_eq!(response.usage, None);
    }

    #[test]
    fn content_may_be_a_list_of_parts_and_tool_calls_null() {
        let response = parse(json!({
            "choices": [{ "message": { "content": [{ "type": "text", "text": "Olá" }, { "type": "text", "text": "!" }],
                "tool_calls": null } }],
            "usage": { "prompt_tokens": 10, "completion_tokens": 2, "total_tokens": 12 }
        }));
        assert_eq!(response.choices[0].message.content.as_deref(), Some("Olá!"));
        assert_eq!(response.usage, Some(WireUsage { prompt_tokens: 10, completion_tokens: 2 }));
    }

    #[test]
    fn schemas_are_compacted_without_changing_what_is_allowed() {
        let generated = json!({
            "type": "object", "additionalProperties": false, "required": ["service"],
            "properties": {
                "service": { "type": "string", "description": "The service." },
                "limit": { "type": ["integer", "null"], "format": "uint8", "minimum": 1, "maximum": 10 },
                "period": { "description": "Part of the day.", "anyOf": [
                    { "description": "inner", "oneOf": [
                        { "const": "manha", "description": "Before 12:00.", "type": "string" },
                        { "const": "tarde", "type": "string" } ] },
                    { "type": "null" } ] },
                "urgency": { "anyOf": [ { "oneOf": [
                    { "enum": ["later", "this_week"], "type": "string" },
                    { "const": "browsing", "description": "Only looking.", "type": "string" } ] }, { "type": "null" } ] },
                "visit": { "enum": ["first", "returning", null], "type": ["string", "null"] }
            }
        });
        assert_eq!(
            compact(generated),
            json!({
                "type": "object", "additionalProperties": false, "required": ["service"],
                "properties": {
                    "service": { "type": "string", "description": "The service." },
                    "limit": { "type": "integer", "minimum": 1, "maximum": 10 },
                    "period": { "description": "Part of the day.", "type": "string", "enum": ["manha", "tarde"] },
                    "urgency": { "description": "browsing: Only looking.", "type": "string", "enum": ["later", "this_week", "browsing"] },
                    "visit": { "enum": ["first", "returning"], "type": "string" }
                }
            })
        );
    }

    #[test]
    fn photos_go_as_image_parts_after_the_words() {
        let photo = Downloaded {
            bytes: vec![0xFF, 0xD8, 0xFF],
            mime: crate::channels::MimeType::parse("image/jpeg").unwrap(),
        };
        let message = Message::user_with_images("[imagem] olha isso", &[photo]);
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            json!({ "role": "user", "content": [
                { "type": "text", "text": "[imagem] olha isso" },
                { "type": "image_url", "image_url": { "url": "data:image/jpeg;base64,/9j/" } }
            ] })
        );
        assert_eq!(message.text(), "[imagem] olha isso", "token counts read the words only");
        assert_eq!(
            serde_json::to_value(Message::user("oi")).unwrap(),
            json!({ "role": "user", "content": "oi" })
        );
    }

    #[test]
    fn requests_are_plain_openai_json() {
        let request = ChatRequest {
            model: "gpt-4o-mini".into(),
            messages: vec![
                Message::system("s"),
                Message::Assistant {
                    content: None,
                    tool_calls: vec![ToolCallRequest {
                        id: "call_1".into(),
                        kind: FunctionKind::Function,
                        function: FunctionCall { name: "find_slots".into(), arguments: "{}".into() },
                    }],
                },
                Message::Tool { tool_call_id: "call_1".into(), content: "{}".into() },
            ],
            tools: Vec::new(),
            stream: false,
            max_tokens: 800,
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({
                "model": "gpt-4o-mini",
                "messages": [
                    { "role": "system", "content": "s" },
                    { "role": "assistant", "tool_calls": [{ "id": "call_1", "type": "function",
                        "function": { "name": "find_slots", "arguments": "{}" } }] },
                    { "role": "tool", "tool_call_id": "call_1", "content": "{}" }
                ],
                "stream": false,
                "max_tokens": 800
            })
        );
    }
}
