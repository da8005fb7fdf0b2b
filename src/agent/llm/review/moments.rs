//! Dates and times in a reply, and whether a tool gave them.
//!
//! The invariant (docs/evals.md, "Invariants"): no reply offers or confirms a date or time that no tool
//! returned in this conversation. Replies are read after pt-BR folding (`sofia_core::lang::
//! normalize`), so "às 14h", "14:00", "14h30", "03/03", "dia 3" and "3 de março" are all seen.
//! Durations ("por 4 horas", "24h antes") are not times.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use regex::Regex;
use serde_json::Value;
use sofia_core::lang::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    Time {
        hour: u32,
        minute: u32,
    },
    /// A day of a month; the month is unknown in "dia 3".
    Date {
        day: u32,
        month: Option<u32>,
    },
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::Time { hour, minute } => write!(f, "{hour:02}:{minute:02}"),
            Moment::Date { day, month: Some(month) } => write!(f, "{day:02}/{month:02}"),
            Moment::Date { day, month: None } => write!(f, "dia {day}"),
        }
    }
}

fn pattern(text: &str) -> Regex {
    Regex::new(text).unwrap_or_else(|error| unreachable!("a fixed pattern is valid: {error}"))
}

static CLOCK: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b([01]?\d|2[0-3])(?::|h)([0-5]\d)\b"));
/// "14h", "14 h", "14hs"; with the words around it, to tell a time from a duration.
static HOUR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\b(\w+) )?\b([01]?\d|2[0-3]) ?(?:h|hs|hrs)\b(?: (\w+))?"));
/// "às 14 horas", "às 9 da manhã".
static SPOKEN_HOUR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:as|das) ([01]?\d|2[0-3]) (?:horas|da manha|da tarde|da noite)\b"));
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\b"));
/// "dia 3"; "dia 03/03" is a numeric date, told apart by the slash after it.
static DAY_OF_MONTH: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bdia (\d{1,2})(/\d{1,2})?\b"));
static DAY_AND_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(\d{1,2}) de (janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)\b",
    )
});
static ISO: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b\d{4}-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?"));

/// Words before "4h" that make it a duration: "por 4h", "até 2h", "há 3h".
const DURATION_BEFORE: [&str; 9] = ["por", "durante", "ate", "apos", "em", "ha", "de", "umas", "menos"];
/// Words after "24h" that make it a duration: "24h antes", "2h de antecedencia".
const DURATION_AFTER: [&str; 4] = ["antes", "depois", "de", "apos"];
const MONTHS: [&str; 12] = [
    "janeiro",
    "fevereiro",
    "marco",
    "abril",
    "maio",
    "junho",
    "julho",
    "agosto",
    "setembro",
    "outubro",
    "novembro",
    "dezembro",
];

/// Every date and time `text` mentions, in order, each once.
pub fn mentioned(text: &str) -> Vec<Moment> {
    let folded = normalize(text);
    let text = folded.as_str();
    let mut found: Vec<(usize, Moment)> = Vec::new();
    let number = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    for caps in CLOCK.captures_iter(text) {
        if let (Some(hour), Some(minute)) = (number(caps.get(1)), number(caps.get(2))) {
            found.push((caps.get(0).map_or(0, |m| m.start()), Moment::Time { hour, minute }));
        }
    }
    for caps in HOUR.captures_iter(text) {
        let before = caps.get(1).map(|m| m.as_str());
        let after = caps.get(3).map(|m| m.as_str());
        let duration = before.is_some_and(|word| DURATION_BEFORE.contains(&word))
            || after.is_some_and(|word| DURATION_AFTER.contains(&word));
        if let (false, Some(hour), Some(at)) = (duration, number(caps.get(2)), caps.get(2)) {
            found.push((at.start(), Moment::Time { hour, minute: 0 }));
        }
    }
    for caps in SPOKEN_HOUR.captures_iter(text) {
        if let (Some(hour), Some(at)) = (number(caps.get(1)), caps.get(1)) {
            let hour = if hour < 12 && (caps[0].ends_with("tarde") || caps[0].ends_with("noite")) {
                hour + 12
            } else {
                hour
            };
            found.push((at.start(), Moment::Time { hour, minute: 0 }));
        }
    }
    for caps in NUMERIC_DATE.captures_iter(text) {
        if let (Some(day), Some(month)) = (number(caps.get(1)), number(caps.get(2)))
            && (1..=31).contains(&day)
            && (1..=12).contains(&month)
        {
            found.push((caps.get(0).map_or(0, |m| m.start()), Moment::Date { day, month: Some(month) }));
        }
    }
    for caps in DAY_OF_MONTH.captures_iter(text).filter(|caps| caps.get(2).is_none()) {
        if let Some(day) = number(caps.get(1)).filter(|day| (1..=31).contains(day)) {
            found.push((caps.get(0).map_or(0, |m| m.start()), Moment::Date { day, month: None }));
        }
    }
    for caps in DAY_AND_MONTH.captures_iter(text) {
        let month = MONTHS.iter().position(|name| *name == &caps[2]).map(|index| index as u32 + 1);
        if let Some(day) = number(caps.get(1)).filter(|day| (1..=31).contains(day)) {
            found.push((caps.get(0).map_or(0, |m| m.start()), Moment::Date { day, month }));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    let mut seen = HashSet::new();
    found.into_iter().map(|(_, moment)| moment).filter(|moment| seen.insert(*moment)).collect()
}

/// The dates and times a reply may mention: what tools returned, the clinic's hours, today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grounding {
    times: HashSet<(u32, u32)>,
    /// (day, month).
    dates: HashSet<(u32, u32)>,
}

impl Grounding {
    pub fn add_time(&mut self, time: NaiveTime) {
        self.times.insert((time.hour(), time.minute()));
    }

    pub fn add_date(&mut self, date: NaiveDate) {
        self.dates.insert((date.day(), date.month()));
    }

    /// Every date and time in `text`.
    pub fn add_text(&mut self, text: &str) {
        for moment in mentioned(text) {
            match moment {
                Moment::Time { hour, minute } => {
                    self.times.insert((hour, minute));
                }
                Moment::Date { day, month: Some(month) } => {
                    self.dates.insert((day, month));
                }
                Moment::Date { month: None, .. } => {}
            }
        }
    }

    /// Only the dates in `text`: what the patient or a tool's arguments named may be talked
    /// about ("no dia 12 não tenho horário"), but a time is offered only if a tool returned it.
    pub fn add_dates_of(&mut self, text: &str) {
        let mut dates = Grounding::default();
        dates.add_text(text);
        self.dates.extend(dates.dates);
    }

    /// Every date and time in the strings of a tool's JSON result, ISO timestamps included.
    pub fn add_json(&mut self, value: &Value) {
        match value {
            Value::String(text) => {
                for caps in ISO.captures_iter(text) {
                    let number = |i| caps.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
                    if let (Some(month), Some(day)) = (number(1), number(2)) {
                        self.dates.insert((day, month));
                    }
                    if let (Some(hour), Some(minute)) = (number(3), number(4)) {
                        self.times.insert((hour, minute));
                    }
                }
                self.add_text(text);
            }
            Value::Array(items) => items.iter().for_each(|item| self.add_json(item)),
            Value::Object(object) => object.values().for_each(|item| self.add_json(item)),
            _ => {}
        }
    }

    fn grounds(&self, moment: Moment) -> bool {
        match moment {
            Moment::Time { hour, minute } => self.times.contains(&(hour, minute)),
            Moment::Date { day, month: Some(month) } => self.dates.contains(&(day, month)),
            Moment::Date { day, month: None } => self.dates.iter().any(|(d, _)| *d == day),
        }
    }

    /// The dates and times in `reply` that nothing grounds.
    pub fn ungrounded(&self, reply: &str) -> Vec<Moment> {
        mentioned(reply).into_iter().filter(|moment| !self.grounds(*moment)).collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn time(hour: u32, minute: u32) -> Moment {
        Moment::Time { hour, minute }
    }

    fn date(day: u32, month: u32) -> Moment {
        Moment::Date { day, month: Some(month) }
    }

    #[test]
    fn times_and_dates_are_seen_however_they_are_written() {
        assert_eq!(
            mentioned("Tenho terça-feira, 03/03 às 14:00 ou às 15h30, e também 16h."),
            [date(3, 3), time(14, 0), time(15, 30), time(16, 0)]
        );
        assert_eq!(
            mentioned("Pode ser no dia 12 às 9 da manhã?"),
            [Moment::Date { day: 12, month: None }, time(9, 0)]
        );
        assert_eq!(mentioned("ou 5 de março às 3 da tarde"), [date(5, 3), time(15, 0)]);
        assert_eq!(mentioned("Às 14 h"), [time(14, 0)]);
    }

    #[test]
    fn durations_and_counts_are_not_times() {
        for text in [
            "Não se deite por 4 horas e evite exercícios por 24 horas.",
            "Cancelamentos até 24h antes são gratuitos.",
            "Agendamos com 2h de antecedência.",
            "Escolha uma das 3 opções.",
            "O pacote tem 4 sessões, válido por 180 dias.",
            "Custa R$ 1.200,00 em até 3x.",
        ] {
            assert_eq!(mentioned(text), [], "{text}");
        }
    }

    #[test]
    fn only_what_a_tool_returned_is_grounded() {
        let mut grounding = Grounding::default();
        grounding.add_json(&json!({ "slots": [
            { "start": "2026-03-03T14:00:00-03:00", "label": "terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima" },
            { "start": "2026-03-03T14:30:00-03:00" }
        ]}));
        assert_eq!(grounding.ungrounded("Tenho 03/03 às 14:00 ou 14h30, no dia 3."), []);
        assert_eq!(
            grounding.ungrounded("Posso te encaixar às 15:00 do dia 04/03."),
            [time(15, 0), date(4, 3)]
        );

        grounding.add_dates_of("e no dia 10/03?");
        assert_eq!(grounding.ungrounded("No dia 10/03 não tenho."), []);
        grounding.add_dates_of("às 16:00");
        assert_eq!(grounding.ungrounded("16:00"), [time(16, 0)], "a patient's time is not a tool's");
    }
}
