//! Dates and times mentioned in text, the way Sofia and the tools write them: "14:00", "14h",
//! "9h30", "03/03", "03/03/2026", and the ISO forms in tool results ("2026-03-03",
//! "2026-03-03T14:00:00-03:00"). The no-invented-slot invariant compares what replies mention
//! with what tools returned.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime};
use regex::Regex;
use serde_json::Value;

/// A day of the year as a reply writes it ("03/03"): replies rarely carry the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayMonth {
    pub day: u32,
    pub month: u32,
}

impl DayMonth {
    pub fn of(date: NaiveDate) -> DayMonth {
        DayMonth { day: date.day(), month: date.month() }
    }
}

impl std::fmt::Display for DayMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}/{:02}", self.day, self.month)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    pub times: BTreeSet<NaiveTime>,
    pub dates: BTreeSet<DayMonth>,
}

// The patterns are constants: a failure to compile is a bug caught by the first test.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([01]?\d|2[0-3])(?::([0-5]\d)|h([0-5]\d)?)(?:hs|h)?\b").expect("constant regex")
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(0?[1-9]|[12]\d|3[01])/(0?[1-9]|1[0-2])(?:/(?:\d{4}|\d{2}))?\b").expect("constant regex")
});
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?").expect("constant regex"));

impl Mentions {
    /// The dates and times written in `text`.
    pub fn in_text(text: &str) -> Mentions {
        let mut mentions = Mentions::default();
        mentions.add_text(text);
        mentions
    }

    pub fn add_text(&mut self, text: &str) {
        // ISO timestamps first, and blanked out, so "T14:00:00-03:00" is one time (14:00)
        // and not also the offset "03:00".
        let mut rest = text.to_owned();
        for captures in ISO.captures_iter(text) {
            let number = |i: usize| captures.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(year), Some(month), Some(day)) = (number(1), number(2), number(3))
                && let Some(date) =
                    i32::try_from(year).ok().and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
            {
                self.dates.insert(DayMonth::of(date));
            }
            if let (Some(hour), Some(minute)) = (number(4), number(5))
                && let Some(time) = NaiveTime::from_hms_opt(hour, minute, 0)
            {
                self.times.insert(time);
            }
            if let Some(whole) = captures.get(0) {
                let end = text[whole.end()..]
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .map_or(text.len(), |i| whole.end() + i);
                rest.replace_range(whole.start()..end, &" ".repeat(end - whole.start()));
            }
        }
        for captures in TIME.captures_iter(&rest) {
            let hour = captures.get(1).and_then(|m| m.as_str().parse::<u32>().ok());
            let minute = captures
                .get(2)
                .or_else(|| captures.get(3))
                .map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
            if let (Some(hour), Some(minute)) = (hour, minute)
                && let Some(time) = NaiveTime::from_hms_opt(hour, minute, 0)
            {
                self.times.insert(time);
            }
        }
        for captures in DATE.captures_iter(&rest) {
            let number = |i: usize| captures.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            if let (Some(day), Some(month)) = (number(1), number(2)) {
                self.dates.insert(DayMonth { day, month });
            }
        }
    }

    /// Every date and time in the strings of a JSON value (a tool's result or arguments).
    pub fn add_json(&mut self, value: &Value) {
        match value {
            Value::String(text) => self.add_text(text),
            Value::Array(items) => items.iter().for_each(|item| self.add_json(item)),
            Value::Object(fields) => fields.values().for_each(|field| self.add_json(field)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    pub fn add_dates_from_json(&mut self, value: &Value) {
        let mut found = Mentions::default();
        found.add_json(value);
        self.dates.extend(found.dates);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(text: &str) -> Vec<String> {
        Mentions::in_text(text).times.iter().map(|t| t.format("%H:%M").to_string()).collect()
    }

    fn dates(text: &str) -> Vec<String> {
        Mentions::in_text(text).dates.iter().map(DayMonth::to_string).collect()
    }

    #[test]
    fn reads_times_as_replies_write_them() {
        assert_eq!(times("1) terça-feira, 03/03 às 14:00 com Dr. Ricardo"), ["14:00"]);
        assert_eq!(times("pode ser às 14h ou 9h30?"), ["09:30", "14:00"]);
        assert_eq!(times("das 13:30h às 15H"), ["13:30", "15:00"]);
    }

    #[test]
    fn ignores_numbers_that_are_not_times() {
        assert!(times("Ligue para o SAMU 192 e para (11) 3000-1000").is_empty());
        assert!(times("R$ 1.200,00 em 3x, não se deite por 4 horas, 24 horas antes").is_empty());
        assert!(times("CEP 01310-100, conj. 52").is_empty());
    }

    #[test]
    fn reads_day_month_dates() {
        assert_eq!(dates("terça-feira, 03/03 às 14:00"), ["03/03"]);
        assert_eq!(dates("dia 5/3 ou 10/03/2026"), ["05/03", "10/03"]);
        assert!(dates("nota 10/10 não é data? é sim; 32/13 não").iter().all(|d| d == "10/10"));
    }

    #[test]
    fn reads_iso_forms_without_taking_the_offset_for_a_time() {
        let found = Mentions::in_text("\"start\": \"2026-03-03T14:00:00-03:00\", \"date\": \"2026-03-04\"");
        assert_eq!(found.times.iter().map(|t| t.format("%H:%M").to_string()).collect::<Vec<_>>(), ["14:00"]);
        assert_eq!(found.dates.iter().map(DayMonth::to_string).collect::<Vec<_>>(), ["03/03", "04/03"]);
    }

    #[test]
    fn walks_every_string_of_a_tool_result() {
        let mut found = Mentions::default();
        found.add_json(&serde_json::json!({
            "slots": [{"id": "1", "time": "14:00", "label": "terça-feira, 03/03 às 14:00"}],
            "count": 1400,
        }));
        assert_eq!(found.times.len(), 1);
        assert_eq!(found.dates.iter().map(DayMonth::to_string).collect::<Vec<_>>(), ["03/03"]);
    }
}
