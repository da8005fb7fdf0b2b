//! A small path-aware reader over `serde_json::Value` for the webhook parsers.
//!
//! Provider payloads are loose (numbers sent as strings, `null` for absent, fields that only
//! some versions send), and a parse error must name the exact path that was wrong. Walking the
//! `Value` with the path in hand gives both, where derived `Deserialize` structs would give a
//! line and column of a body nobody can see any more.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::event::{ParseError, ProviderMessageId};

/// A JSON value and the path it was reached by (`entry[0].changes[1].value`).
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    value: &'a Value,
    path: String,
}

/// Parses a webhook body, refusing anything that is not JSON.
pub(crate) fn parse_body(raw: &[u8]) -> Result<Value, ParseError> {
    serde_json::from_slice(raw).map_err(ParseError::NotJson)
}

impl<'a> Node<'a> {
    pub(crate) fn root(value: &'a Value) -> Self {
        Node { value, path: String::new() }
    }

    /// The JSON value itself (to keep an item that could not be read, as it came).
    pub(crate) fn value(&self) -> &'a Value {
        self.value
    }

    pub(crate) fn path(&self) -> &str {
        if self.path.is_empty() { "(body)" } else { &self.path }
    }

    pub(crate) fn invalid(&self, reason: impl Into<String>) -> ParseError {
        ParseError::Invalid { path: self.path().to_owned(), reason: reason.into() }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_owned() } else { format!("{}.{key}", self.path) }
    }

    /// The child `key`, or `None` when it is absent or `null` (providers use both for "none").
    pub(crate) fn get(&self, key: &str) -> Option<Node<'a>> {
        match self.value.get(key) {
            None | Some(Value::Null) => None,
            Some(value) => Some(Node { value, path: self.child_path(key) }),
        }
    }

    pub(crate) fn req(&self, key: &str) -> Result<Node<'a>, ParseError> {
        self.get(key).ok_or_else(|| ParseError::Missing { path: self.child_path(key) })
    }

    pub(crate) fn as_str(&self) -> Result<&'a str, ParseError> {
        self.value.as_str().ok_or_else(|| self.invalid("expected a string"))
    }

    pub(crate) fn as_object(&self) -> Result<&'a serde_json::Map<String, Value>, ParseError> {
        self.value.as_object().ok_or_else(|| self.invalid("expected an object"))
    }

    pub(crate) fn req_str(&self, key: &str) -> Result<&'a str, ParseError> {
        self.req(key)?.as_str()
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ParseError> {
        self.get(key).map(|node| node.as_str()).transpose()
    }

    /// An optional human text: absent, `null` and blank all mean "none".
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, ParseError> {
        Ok(self.opt_str(key)?.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned))
    }

    pub(crate) fn bool_or(&self, key: &str, default: bool) -> Result<bool, ParseError> {
        match self.get(key) {
            None => Ok(default),
            Some(node) => node.value.as_bool().ok_or_else(|| node.invalid("expected true or false")),
        }
    }

    /// A number, also accepted as a numeric string (Meta sends coordinates and times as both).
    pub(crate) fn as_f64(&self) -> Result<f64, ParseError> {
        let number = match self.value {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        number.filter(|n| n.is_finite()).ok_or_else(|| self.invalid("expected a number"))
    }

    /// An integer, also accepted as a numeric string (Meta's timestamps are strings).
    pub(crate) fn as_i64(&self) -> Result<i64, ParseError> {
        let number = match self.value {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        number.ok_or_else(|| self.invalid("expected an integer"))
    }

    /// A unix time in seconds (Meta: a string; Evolution: a number).
    pub(crate) fn as_unix_seconds(&self) -> Result<DateTime<Utc>, ParseError> {
        DateTime::from_timestamp(self.as_i64()?, 0).ok_or_else(|| self.invalid("time out of range"))
    }

    /// A unix time in milliseconds (Z-API's `momment`).
    pub(crate) fn as_unix_millis(&self) -> Result<DateTime<Utc>, ParseError> {
        DateTime::from_timestamp_millis(self.as_i64()?).ok_or_else(|| self.invalid("time out of range"))
    }

    /// The elements of the array at `key`; an absent or `null` array is empty.
    pub(crate) fn array(&self, key: &str) -> Result<Vec<Node<'a>>, ParseError> {
        let Some(node) = self.get(key) else { return Ok(Vec::new()) };
        let items = node.value.as_array().ok_or_else(|| node.invalid("expected an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| Node { value, path: format!("{}[{i}]", node.path) })
            .collect())
    }

    pub(crate) fn message_id(&self) -> Result<ProviderMessageId, ParseError> {
        ProviderMessageId::parse(self.as_str()?).map_err(|e| self.invalid(e.to_string()))
    }

    pub(crate) fn req_message_id(&self, key: &str) -> Result<ProviderMessageId, ParseError> {
        self.req(key)?.message_id()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn errors_name_the_path_that_was_wrong() {
        let value = json!({ "entry": [{ "id": 5, "changes": null }] });
        let root = Node::root(&value);
        let entry = root.array("entry").unwrap().remove(0);
        assert_eq!(
            entry.req_str("id").unwrap_err().to_string(),
            "`entry[0].id` is invalid: expected a string"
        );
        assert_eq!(entry.req("changes").unwrap_err().to_string(), "`entry[0].changes` is missing");
        assert!(entry.array("changes").unwrap().is_empty());
    }

    #[test]
    fn numbers_may_come_as_strings() {
        let value = json!({ "a": "1760968800", "b": 1.5, "c": "x", "d": "  " });
        let root = Node::root(&value);
        assert_eq!(root.req("a").unwrap().as_i64().unwrap(), 1_760_968_800);
        assert_eq!(root.req("b").unwrap().as_f64().unwrap(), 1.5);
        assert!(root.req("c").unwrap().as_i64().is_err());
        assert_eq!(root.text("d").unwrap(), None);
    }
}
