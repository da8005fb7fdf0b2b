//! What Sofia sends, validated against WhatsApp's limits once, when it is built.
//!
//! The limits are Meta's (the strictest provider); a message that passes them renders on every
//! provider, and its numbered-text fallback always fits in one text message.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sofia_core::domain::MessageKind;

/// A message ready to send. Built only through the constructors (deserialising runs them too),
/// so every value is within limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Repr", into = "Repr")]
pub enum OutboundMessage {
    Text(Text),
    Buttons(Buttons),
    List(List),
    /// Meta only; the one kind that may open a conversation outside the 24-hour window.
    Template(Template),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyButton {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buttons {
    header: Option<String>,
    body: String,
    buttons: Vec<ReplyButton>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListRow {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    header: Option<String>,
    body: String,
    button_label: String,
    rows: Vec<ListRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    language: String,
    body_params: Vec<String>,
    /// The payload of each quick-reply button the approved template has, in its order: what
    /// comes back when the patient taps it.
    quick_replies: Vec<String>,
}

/// Meta's limits, in characters (not bytes).
pub mod limits {
    pub const TEXT_BODY: usize = 4096;
    /// Meta allows 4096 on lists; 1024 keeps the numbered fallback within one text message.
    pub const INTERACTIVE_BODY: usize = 1024;
    pub const HEADER: usize = 60;
    pub const BUTTONS: usize = 3;
    pub const BUTTON_TITLE: usize = 20;
    pub const BUTTON_ID: usize = 256;
    pub const LIST_BUTTON_LABEL: usize = 20;
    pub const LIST_ROWS: usize = 10;
    pub const ROW_TITLE: usize = 24;
    pub const ROW_DESCRIPTION: usize = 72;
    pub const ROW_ID: usize = 200;
    pub const TEMPLATE_NAME: usize = 512;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("{what} cannot be empty")]
    Empty { what: &'static str },
    #[error("{what} has {chars} characters; WhatsApp allows at most {max}")]
    TooLong { what: &'static str, chars: usize, max: usize },
    #[error("{what}: at most {max} allowed, got {count}")]
    TooMany { what: &'static str, count: usize, max: usize },
    #[error("{what} '{value}' appears twice; each must be unique")]
    Duplicate { what: &'static str, value: String },
    #[error("template name '{0}' must be lower-case letters, digits and '_'")]
    TemplateName(String),
    #[error("only buttons and lists have a header")]
    HeaderNotAllowed,
    #[error("only templates have quick-reply payloads")]
    QuickRepliesNotAllowed,
}

fn checked(what: &'static str, value: impl Into<String>, max: usize) -> Result<String, MessageError> {
    let value = value.into();
    let chars = value.chars().count();
    if value.trim().is_empty() {
        Err(MessageError::Empty { what })
    } else if chars > max {
        Err(MessageError::TooLong { what, chars, max })
    } else {
        Ok(value)
    }
}

fn count(what: &'static str, count: usize, max: usize) -> Result<(), MessageError> {
    if count == 0 {
        Err(MessageError::Empty { what })
    } else if count > max {
        Err(MessageError::TooMany { what, count, max })
    } else {
        Ok(())
    }
}

fn unique<'a>(what: &'static str, values: impl Iterator<Item = &'a str>) -> Result<(), MessageError> {
    let mut seen = HashSet::new();
    for value in values {
        if !seen.insert(value) {
            return Err(MessageError::Duplicate { what, value: value.to_owned() });
        }
    }
    Ok(())
}

impl OutboundMessage {
    pub fn text(body: impl Into<String>) -> Result<Self, MessageError> {
        Ok(OutboundMessage::Text(Text { body: checked("the text", body, limits::TEXT_BODY)? }))
    }

    /// Reply buttons (1 to 3, titles of at most 20 characters, unique ids and titles).
    pub fn buttons(body: impl Into<String>, buttons: Vec<ReplyButton>) -> Result<Self, MessageError> {
        let body = checked("the body", body, limits::INTERACTIVE_BODY)?;
        count("buttons", buttons.len(), limits::BUTTONS)?;
        for button in &buttons {
            checked("a button id", button.id.as_str(), limits::BUTTON_ID)?;
            checked("a button title", button.title.as_str(), limits::BUTTON_TITLE)?;
        }
        unique("button id", buttons.iter().map(|b| b.id.as_str()))?;
        unique("button title", buttons.iter().map(|b| b.title.as_str()))?;
        Ok(OutboundMessage::Buttons(Buttons { header: None, body, buttons }))
    }

    /// A list behind a button (1 to 10 rows in total; row titles ≤ 24, descriptions ≤ 72).
    pub fn list(
        body: impl Into<String>,
        button_label: impl Into<String>,
        rows: Vec<ListRow>,
    ) -> Result<Self, MessageError> {
        let body = checked("the body", body, limits::INTERACTIVE_BODY)?;
        let button_label = checked("the list button label", button_label, limits::LIST_BUTTON_LABEL)?;
        count("list rows", rows.len(), limits::LIST_ROWS)?;
        for row in &rows {
            checked("a row id", row.id.as_str(), limits::ROW_ID)?;
            checked("a row title", row.title.as_str(), limits::ROW_TITLE)?;
            if let Some(description) = &row.description {
                checked("a row description", description.as_str(), limits::ROW_DESCRIPTION)?;
            }
        }
        unique("row id", rows.iter().map(|r| r.id.as_str()))?;
        Ok(OutboundMessage::List(List { header: None, body, button_label, rows }))
    }

    /// An approved Meta template with positional body parameters (`{{1}}`, `{{2}}`…).
    pub fn template(
        name: impl Into<String>,
        language: impl Into<String>,
        body_params: Vec<String>,
    ) -> Result<Self, MessageError> {
        let name = checked("the template name", name, limits::TEMPLATE_NAME)?;
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return Err(MessageError::TemplateName(name));
        }
        let language = checked("the template language", language, 16)?;
        for param in &body_params {
            checked("a template parameter", param.as_str(), limits::TEXT_BODY)?;
        }
        Ok(OutboundMessage::Template(Template { name, language, body_params, quick_replies: Vec::new() }))
    }

    /// Gives a template's quick-reply buttons their payloads (at most 3, each at most 256
    /// characters), in the order the approved template lists the buttons.
    pub fn with_quick_replies(mut self, payloads: Vec<String>) -> Result<Self, MessageError> {
        let OutboundMessage::Template(template) = &mut self else {
            return Err(MessageError::QuickRepliesNotAllowed);
        };
        if payloads.len() > limits::BUTTONS {
            return Err(MessageError::TooMany {
                what: "quick replies",
                count: payloads.len(),
                max: limits::BUTTONS,
            });
        }
        for payload in &payloads {
            checked("a quick-reply payload", payload.as_str(), limits::BUTTON_ID)?;
        }
        template.quick_replies = payloads;
        Ok(self)
    }

    /// Adds a header line (at most 60 characters) to buttons or a list.
    pub fn with_header(mut self, header: impl Into<String>) -> Result<Self, MessageError> {
        let header = Some(checked("the header", header, limits::HEADER)?);
        match &mut self {
            OutboundMessage::Buttons(buttons) => buttons.header = header,
            OutboundMessage::List(list) => list.header = header,
            OutboundMessage::Text(_) | OutboundMessage::Template(_) => {
                return Err(MessageError::HeaderNotAllowed);
            }
        }
        Ok(self)
    }

    /// The kind as stored in the outbox.
    pub fn kind(&self) -> MessageKind {
        match self {
            OutboundMessage::Text(_) => MessageKind::Text,
            OutboundMessage::Buttons(_) => MessageKind::Buttons,
            OutboundMessage::List(_) => MessageKind::List,
            OutboundMessage::Template(_) => MessageKind::Template,
        }
    }

    /// What the patient reads, as plain text: the body of a text, the numbered form of buttons
    /// and lists, a template's name and parameters. For the outbox's searchable body, the
    /// console, traces and evals.
    pub fn plain_text(&self) -> String {
        match self {
            OutboundMessage::Text(text) => text.body.clone(),
            OutboundMessage::Template(template) => {
                format!("[{}] {}", template.name, template.body_params.join(" | "))
            }
            OutboundMessage::Buttons(_) | OutboundMessage::List(_) => match self.to_numbered_text() {
                Some(OutboundMessage::Text(text)) => text.body,
                _ => String::new(),
            },
        }
    }

    pub fn is_interactive(&self) -> bool {
        matches!(self, OutboundMessage::Buttons(_) | OutboundMessage::List(_))
    }

    /// The same choices as plain text ("1) …" lines), for providers that cannot show buttons or
    /// lists. `None` for kinds that are not interactive.
    pub fn to_numbered_text(&self) -> Option<OutboundMessage> {
        let (header, body, choices): (_, _, Vec<String>) = match self {
            OutboundMessage::Buttons(b) => {
                (&b.header, &b.body, b.buttons.iter().map(|button| button.title.clone()).collect())
            }
            OutboundMessage::List(l) => (
                &l.header,
                &l.body,
                l.rows
                    .iter()
                    .map(|row| match &row.description {
                        Some(description) => format!("{} — {description}", row.title),
                        None => row.title.clone(),
                    })
                    .collect(),
            ),
            OutboundMessage::Text(_) | OutboundMessage::Template(_) => return None,
        };
        let mut text = String::new();
        if let Some(header) = header {
            text.push_str(&format!("*{header}*\n\n"));
        }
        text.push_str(body);
        text.push('\n');
        for (i, choice) in choices.iter().enumerate() {
            text.push_str(&format!("\n{}) {choice}", i + 1));
        }
        Some(OutboundMessage::Text(Text { body: text }))
    }
}

/// The stored form (e.g. in the outbox), read back through the validating constructors.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Repr {
    Text {
        body: String,
    },
    Buttons {
        header: Option<String>,
        body: String,
        buttons: Vec<ReplyButton>,
    },
    List {
        header: Option<String>,
        body: String,
        button_label: String,
        rows: Vec<ListRow>,
    },
    Template {
        name: String,
        language: String,
        body_params: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<String>,
    },
}

impl TryFrom<Repr> for OutboundMessage {
    type Error = MessageError;
    fn try_from(repr: Repr) -> Result<Self, MessageError> {
        let (message, header) = match repr {
            Repr::Text { body } => (OutboundMessage::text(body)?, None),
            Repr::Buttons { header, body, buttons } => (OutboundMessage::buttons(body, buttons)?, header),
            Repr::List { header, body, button_label, rows } => {
                (OutboundMessage::list(body, button_label, rows)?, header)
            }
            Repr::Template { name, language, body_params, quick_replies } => {
                let template = OutboundMessage::template(name, language, body_params)?;
                (
                    if quick_replies.is_empty() {
                        template
                    } else {
                        template.with_quick_replies(quick_replies)?
                    },
                    None,
                )
            }
        };
        match header {
            Some(header) => message.with_header(header),
            None => Ok(message),
        }
    }
}

impl From<OutboundMessage> for Repr {
    fn from(message: OutboundMessage) -> Repr {
        match message {
            OutboundMessage::Text(Text { body }) => Repr::Text { body },
            OutboundMessage::Buttons(Buttons { header, body, buttons }) => {
                Repr::Buttons { header, body, buttons }
            }
            OutboundMessage::List(List { header, body, button_label, rows }) => {
                Repr::List { header, body, button_label, rows }
            }
            OutboundMessage::Template(Template { name, language, body_params, quick_replies }) => {
                Repr::Template { name, language, body_params, quick_replies }
            }
        }
    }
}

impl Text {
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl Buttons {
    pub fn header(&self) -> Option<&str> {
        self.header.as_deref()
    }
    pub fn body(&self) -> &str {
        &self.body
    }
    pub fn buttons(&self) -> &[ReplyButton] {
        &self.buttons
    }
}

impl List {
    pub fn header(&self) -> Option<&str> {
        self.header.as_deref()
    }
    pub fn body(&self) -> &str {
        &self.body
    }
    pub fn button_label(&self) -> &str {
        &self.button_label
    }
    pub fn rows(&self) -> &[ListRow] {
        &self.rows
    }
}

impl Template {
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn language(&self) -> &str {
        &self.language
    }
    pub fn body_params(&self) -> &[String] {
        &self.body_params
    }
    pub fn quick_replies(&self) -> &[String] {
        &self.quick_replies
    }
}

impl ReplyButton {
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        ReplyButton { id: id.into(), title: title.into() }
    }
}

impl ListRow {
    pub fn new(id: impl Into<String>, title: impl Into<String>, description: Option<String>) -> Self {
        ListRow { id: id.into(), title: title.into(), description }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(n: usize) -> Vec<ListRow> {
        (0..n).map(|i| ListRow::new(format!("slot_{i}"), format!("Terça {i}h"), None)).collect()
    }

    #[test]
    fn buttons_respect_whatsapp_limits() {
        let ok = OutboundMessage::buttons("Confirma?", vec![ReplyButton::new("sim", "Sim")]);
        assert!(ok.is_ok());
        let four = (0..4).map(|i| ReplyButton::new(format!("b{i}"), format!("Opção {i}"))).collect();
        assert_eq!(
            OutboundMessage::buttons("Escolha", four),
            Err(MessageError::TooMany { what: "buttons", count: 4, max: 3 })
        );
        let long = vec![ReplyButton::new("x", "Quero falar com a recepção")];
        assert!(matches!(OutboundMessage::buttons("Oi", long), Err(MessageError::TooLong { max: 20, .. })));
        let twins = vec![ReplyButton::new("a", "Sim"), ReplyButton::new("b", "Sim")];
        assert!(matches!(OutboundMessage::buttons("Oi", twins), Err(MessageError::Duplicate { .. })));
        assert_eq!(OutboundMessage::buttons(" ", vec![]), Err(MessageError::Empty { what: "the body" }));
    }

    #[test]
    fn lists_respect_whatsapp_limits() {
        assert!(OutboundMessage::list("Horários", "Ver horários", slots(10)).is_ok());
        assert!(matches!(
            OutboundMessage::list("Horários", "Ver horários", slots(11)),
            Err(MessageError::TooMany { max: 10, .. })
        ));
        let described = vec![ListRow::new("a", "Manhã", Some("x".repeat(73)))];
        assert!(matches!(
            OutboundMessage::list("Horários", "Ver", described),
            Err(MessageError::TooLong { max: 72, .. })
        ));
        // Limits count characters, not bytes: accents are one character each.
        assert!(
            OutboundMessage::list("Horários", "Ver", vec![ListRow::new("a", "é".repeat(24), None)]).is_ok()
        );
    }

    #[test]
    fn stored_messages_are_validated_when_read_back() {
        let buttons = OutboundMessage::buttons("Confirma?", vec![ReplyButton::new("sim", "Sim")])
            .unwrap()
            .with_header("Consulta")
            .unwrap();
        let json = serde_json::to_value(&buttons).unwrap();
        assert_eq!(serde_json::from_value::<OutboundMessage>(json).unwrap(), buttons);
        let too_many = serde_json::json!({ "type": "buttons", "header": null, "body": "x",
            "buttons": [{"id":"1","title":"a"},{"id":"2","title":"b"},{"id":"3","title":"c"},{"id":"4","title":"d"}] });
        assert!(serde_json::from_value::<OutboundMessage>(too_many).is_err());
    }

    #[test]
    fn templates_need_a_meta_style_name() {
        assert!(OutboundMessage::template("lembrete_consulta", "pt_BR", vec!["Maria".into()]).is_ok());
        assert!(matches!(
            OutboundMessage::template("Lembrete Consulta", "pt_BR", vec![]),
            Err(MessageError::TemplateName(_))
        ));
    }

    #[test]
    fn template_quick_replies_are_kept_and_bounded() {
        let template = OutboundMessage::template("lembrete_consulta_v2", "pt_BR", vec!["Maria".into()])
            .unwrap()
            .with_quick_replies(vec!["a".into(), "b".into(), "c".into()])
            .unwrap();
        let json = serde_json::to_value(&template).unwrap();
        assert_eq!(json["quick_replies"], serde_json::json!(["a", "b", "c"]));
        assert_eq!(serde_json::from_value::<OutboundMessage>(json).unwrap(), template);
        let four = OutboundMessage::template("x", "pt_BR", vec![]).unwrap().with_quick_replies(vec![
            "1".into(),
            "2".into(),
            "3".into(),
            "4".into(),
        ]);
        assert!(matches!(four, Err(MessageError::TooMany { max: 3, .. })));
        assert_eq!(
            OutboundMessage::text("oi").unwrap().with_quick_replies(vec![]),
            Err(MessageError::QuickRepliesNotAllowed)
        );
    }

    #[test]
    fn interactive_messages_fall_back_to_numbered_text() {
        let list = OutboundMessage::list(
            "Qual horário prefere?",
            "Ver horários",
            vec![
                ListRow::new("s1", "Ter 14:00", Some("Dra. Ana".into())),
                ListRow::new("s2", "Ter 15:30", None),
            ],
        )
        .unwrap()
        .with_header("Horários livres")
        .unwrap();
        let Some(OutboundMessage::Text(text)) = list.to_numbered_text() else { panic!("expected text") };
        assert_eq!(
            text.body(),
            "*Horários livres*\n\nQual horário prefere?\n\n1) Ter 14:00 — Dra. Ana\n2) Ter 15:30"
        );
        assert_eq!(OutboundMessage::text("oi").unwrap().to_numbered_text(), None);
        assert_eq!(
            OutboundMessage::text("oi").unwrap().with_header("x"),
            Err(MessageError::HeaderNotAllowed)
        );
    }

    #[test]
    fn the_longest_fallback_still_fits_one_text_message() {
        let rows =
            (0..10).map(|i| ListRow::new(format!("r{i}"), "t".repeat(24), Some("d".repeat(72)))).collect();
        let list = OutboundMessage::list("b".repeat(1024), "l".repeat(20), rows)
            .unwrap()
            .with_header("h".repeat(60))
            .unwrap();
        let Some(OutboundMessage::Text(text)) = list.to_numbered_text() else { panic!("expected text") };
        assert!(text.body().chars().count() <= limits::TEXT_BODY);
    }
}
