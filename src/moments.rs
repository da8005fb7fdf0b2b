//! Dates and times in a reply, and whether a tool gave them.
//!
//! The invariant (docs/evals.md, "Invariants"): no reply offers or confirms a date or time that
//! no tool returned in this conversation, nor a day and a time together that no slot had. The
//! LLM brain's review checks drafts with it before the patient reads them, and the eval suites
//! check every reply after. Replies are read after pt-BR folding (`sofia_core::lang::
//! normalize`), so "às 14h", "14:00", "14h30", "14 horas", "duas da tarde", "meio-dia e meia",
//! "03/03", "dia 3" and "3 de março" are all seen. Durations ("por 4 horas", "24h antes") are
//! not times.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use regex::Regex;
use serde_json::Value;
use sofia_core::lang::{normalize, number_word};

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
    /// A day and a time said together ("quarta, 04/03 às 14:00"): a slot.
    Slot {
        day: u32,
        month: Option<u32>,
        hour: u32,
        minute: u32,
    },
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Moment::Time { hour, minute } => write!(f, "{hour:02}:{minute:02}"),
            Moment::Date { day, month: Some(month) } => write!(f, "{day:02}/{month:02}"),
            Moment::Date { day, month: None } => write!(f, "dia {day}"),
            Moment::Slot { day, month, hour, minute } => {
                write!(f, "{} às {hour:02}:{minute:02}", Moment::Date { day, month })
            }
        }
    }
}

fn pattern(text: &str) -> Regex {
    Regex::new(text).unwrap_or_else(|error| unreachable!("a fixed pattern is valid: {error}"))
}

static CLOCK: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b([01]?\d|2[0-3])(?::|h)([0-5]\d)\b"));
/// "14h", "14 h", "14hs", "14 horas"; with the words around it, to tell a time from a duration.
static HOUR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\b(\w+) )?\b([01]?\d|2[0-3]) ?(?:h|hs|hrs|hora|horas)\b(?: (\w+))?"));
/// "às 9 da manhã", "duas da tarde", "3 e meia da tarde", "às 10 e 15", "às 14 horas": an
/// hour in digits or words, maybe "horas" and minutes, maybe the part of the day. Only read
/// as a time with the part of the day, or with "às" and "horas" or minutes ("as 3 opções"
/// is not a time).
static SPOKEN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:(as|das) )?(\d{1,2}|uma|um|duas|dois|tres|quatro|cinco|seis|sete|oito|nove|dez|onze|doze)( horas?)?(?: e (meia|quinze|\d{2}))?(?: (da manha|da tarde|da noite))?\b",
    )
});
/// The parts of the day that follow an hour.
const PARTS_OF_DAY: [&str; 3] = [" da manha", " da tarde", " da noite"];
/// "meio-dia", "meio-dia e meia" (folded to "meio dia").
static NOON: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bmeio dia(?: e (meia|quinze|\d{2}))?\b"));
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\b"));
/// "dia 3"; "dia 03/03" is a numeric date, told apart by the slash after it.
static DAY_OF_MONTH: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bdia (\d{1,2})(/\d{1,2})?\b"));
static DAY_AND_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(\d{1,2}) de (janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro)\b",
    )
});
/// A day named without its date: a time after it is not that of an earlier date.
static NAMED_DAY: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:segunda|terca|quarta|quinta|sexta|sabado|domingo|hoje|amanha)\b"));
static ISO: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b\d{4}-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?"));

/// Words before "4h" that make it a duration: "por 4h", "até 2h", "há 3h", "leva 2 horas".
const DURATION_BEFORE: [&str; 18] = [
    "por",
    "durante",
    "ate",
    "apos",
    "em",
    "ha",
    "de",
    "umas",
    "menos",
    "mais",
    "leva",
    "levam",
    "dura",
    "duram",
    "cerca",
    "primeiras",
    "proximas",
    "ultimas",
];
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

/// What the reader finds, where: a moment, or a day named without a date.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Found {
    Moment(Moment),
    NamedDay,
}

/// Every date and time `text` mentions, in order, each once.
pub fn mentioned(text: &str) -> Vec<Moment> {
    let mut seen = HashSet::new();
    read(text)
        .into_iter()
        .filter_map(|read| match read.found {
            Found::Moment(moment) => Some(moment),
            Found::NamedDay => None,
        })
        .filter(|moment| seen.insert(*moment))
        .collect()
}

/// Every day and time `text` names together, in order: a time goes with a date right after it
/// ("às 14h do dia 04/03"), or else with the last date before it, unless a day was named in
/// between without its date ("03/03 às 14h; na quarta, 15h").
pub fn slots_mentioned(text: &str) -> Vec<Moment> {
    let folded = normalize(text);
    let found = read_folded(folded.as_str());
    let mut slots = Vec::new();
    let mut date = None;
    for (index, item) in found.iter().enumerate() {
        match item.found {
            Found::Moment(Moment::Date { day, month }) => date = Some((day, month)),
            Found::NamedDay => date = None,
            Found::Moment(Moment::Time { hour, minute }) => {
                let next_date = found.get(index + 1).and_then(|next| match next.found {
                    Found::Moment(Moment::Date { day, month })
                        if joins_time_to_date(folded.as_str().get(item.end..next.start).unwrap_or("x")) =>
                    {
                        Some((day, month))
                    }
                    _ => None,
                });
                if let Some((day, month)) = next_date.or(date) {
                    let slot = Moment::Slot { day, month, hour, minute };
                    if !slots.contains(&slot) {
                        slots.push(slot);
                    }
                }
            }
            Found::Moment(Moment::Slot { .. }) => {}
        }
    }
    slots
}

/// Whether the words between a time and a date make them one slot: "do dia", "de", ",".
fn joins_time_to_date(between: &str) -> bool {
    matches!(between.trim(), "" | "do" | "do dia" | "de" | "dia" | "no dia" | "em" | "na" | "no")
}

/// A moment or named day, and where it is in the folded text.
struct Read {
    start: usize,
    end: usize,
    found: Found,
}

/// Reads `text` into moments and named days, in order.
fn read(text: &str) -> Vec<Read> {
    read_folded(normalize(text).as_str())
}

fn read_folded(text: &str) -> Vec<Read> {
    let mut found: Vec<Read> = Vec::new();
    let mut push = |span: (usize, usize), moment: Moment| {
        found.push(Read { start: span.0, end: span.1, found: Found::Moment(moment) });
    };
    let span = |m: Option<regex::Match<'_>>| m.map_or((0, 0), |m| (m.start(), m.end()));
    let number = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    for caps in CLOCK.captures_iter(text) {
        if let (Some(hour), Some(minute)) = (number(caps.get(1)), number(caps.get(2))) {
            push(span(caps.get(0)), Moment::Time { hour, minute });
        }
    }
    for caps in HOUR.captures_iter(text) {
        let before = caps.get(1).map(|m| m.as_str());
        let after = caps.get(3).map(|m| m.as_str());
        let duration = before.is_some_and(|word| DURATION_BEFORE.contains(&word))
            || after.is_some_and(|word| DURATION_AFTER.contains(&word));
        // "3 horas da tarde" is the spoken reader's: it knows the afternoon.
        let unit_end = caps.get(3).map_or(caps.get(0).map_or(0, |m| m.end()), |word| word.start() - 1);
        let rest = &text[unit_end..];
        let spoken = PARTS_OF_DAY.iter().any(|part| rest.starts_with(part)) || spoken_minutes_follow(rest);
        if let (false, false, Some(hour), Some(at)) = (duration, spoken, number(caps.get(2)), caps.get(2)) {
            push((at.start(), unit_end), Moment::Time { hour, minute: 0 });
        }
    }
    for caps in SPOKEN.captures_iter(text) {
        let said = |i: usize| caps.get(i).map(|m| m.as_str());
        let (Some(hour), part) = (caps.get(2), said(5)) else { continue };
        let after_as = said(1).is_some() && (said(3).is_some() || said(4).is_some());
        if part.is_none() && !after_as {
            continue;
        }
        let in_words = number_word(hour.as_str());
        if part.is_none() && in_words.is_none() && said(4).is_none() {
            continue; // "às 14 horas" is the hour reader's.
        }
        let Some(mut hour_of_day) = number(Some(hour)).or(in_words) else { continue };
        // "às duas e meia" at a clinic is in the afternoon; "da manhã" says otherwise.
        let afternoon = matches!(part, Some("da tarde" | "da noite"))
            || (part.is_none() && in_words.is_some() && hour_of_day <= 7);
        if hour_of_day > 23 || hour_of_day == 0 {
            continue;
        }
        if afternoon && hour_of_day < 12 {
            hour_of_day += 12;
        }
        let Some(minute) = spoken_minutes(caps.get(4)) else { continue };
        push(
            (hour.start(), caps.get(0).map_or(hour.end(), |m| m.end())),
            Moment::Time { hour: hour_of_day, minute },
        );
    }
    for caps in NOON.captures_iter(text) {
        if let (Some(minute), Some(at)) = (spoken_minutes(caps.get(1)), caps.get(0)) {
            push((at.start(), at.end()), Moment::Time { hour: 12, minute });
        }
    }
    for caps in NUMERIC_DATE.captures_iter(text) {
        if let (Some(day), Some(month)) = (number(caps.get(1)), number(caps.get(2)))
            && (1..=31).contains(&day)
            && (1..=12).contains(&month)
        {
            push(span(caps.get(0)), Moment::Date { day, month: Some(month) });
        }
    }
    for caps in DAY_OF_MONTH.captures_iter(text).filter(|caps| caps.get(2).is_none()) {
        if let Some(day) = number(caps.get(1)).filter(|day| (1..=31).contains(day)) {
            push(span(caps.get(0)), Moment::Date { day, month: None });
        }
    }
    for caps in DAY_AND_MONTH.captures_iter(text) {
        let month = MONTHS.iter().position(|name| *name == &caps[2]).map(|index| index as u32 + 1);
        if let Some(day) = number(caps.get(1)).filter(|day| (1..=31).contains(day)) {
            push(span(caps.get(0)), Moment::Date { day, month });
        }
    }
    for named in NAMED_DAY.find_iter(text) {
        found.push(Read { start: named.start(), end: named.end(), found: Found::NamedDay });
    }
    // A named day and its date ("quarta-feira, 04/03"): the day comes first, so the date,
    // read after it, is the one a following time goes with.
    found.sort_by_key(|read| (read.start, matches!(read.found, Found::Moment(_))));
    found
}

/// Whether minutes said in words follow an hour: " e meia", " e quinze", " e 40".
fn spoken_minutes_follow(rest: &str) -> bool {
    let Some(minutes) = rest.strip_prefix(" e ") else { return false };
    let word = minutes.split(' ').next().unwrap_or_default();
    word == "meia" || word == "quinze" || (word.len() == 2 && word.bytes().all(|b| b.is_ascii_digit()))
}

/// "e meia" is 30, "e quinze" 15, "e 40" 40; none is on the hour.
fn spoken_minutes(minutes: Option<regex::Match<'_>>) -> Option<u32> {
    match minutes.map(|m| m.as_str()) {
        None => Some(0),
        Some("meia") => Some(30),
        Some("quinze") => Some(15),
        Some(digits) => digits.parse().ok().filter(|minute| *minute < 60),
    }
}

/// The dates and times a reply may mention: what tools returned, the clinic's hours, today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grounding {
    times: HashSet<(u32, u32)>,
    /// (day, month).
    dates: HashSet<(u32, u32)>,
    /// (day, month, hour, minute): the slots tools returned, and those replies already named.
    slots: HashSet<(u32, u32, u32, u32)>,
    /// Times true of every day (the clinic's opening and closing), which go with any date.
    daily: HashSet<(u32, u32)>,
}

impl Grounding {
    /// A time that goes with any day: an opening or closing time.
    pub fn add_daily_time(&mut self, time: NaiveTime) {
        self.times.insert((time.hour(), time.minute()));
        self.daily.insert((time.hour(), time.minute()));
    }

    pub fn add_date(&mut self, date: NaiveDate) {
        self.dates.insert((date.day(), date.month()));
    }

    /// A slot: its day, its time, and the two together.
    pub fn add_slot(&mut self, date: NaiveDate, time: NaiveTime) {
        self.add_date(date);
        self.times.insert((time.hour(), time.minute()));
        self.slots.insert((date.day(), date.month(), time.hour(), time.minute()));
    }

    /// Every date and time in `text`, and the slots it names.
    pub fn add_text(&mut self, text: &str) {
        for moment in mentioned(text) {
            match moment {
                Moment::Time { hour, minute } => {
                    self.times.insert((hour, minute));
                }
                Moment::Date { day, month: Some(month) } => {
                    self.dates.insert((day, month));
                }
                Moment::Date { month: None, .. } | Moment::Slot { .. } => {}
            }
        }
        for slot in slots_mentioned(text) {
            if let Moment::Slot { day, month: Some(month), hour, minute } = slot {
                self.slots.insert((day, month, hour, minute));
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

    /// Only the dates in the strings of a tool's arguments ("2026-03-03" included).
    pub fn add_dates_of_json(&mut self, value: &Value) {
        let mut dates = Grounding::default();
        dates.add_json(value);
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
                        if let (Some(hour), Some(minute)) = (number(3), number(4)) {
                            self.times.insert((hour, minute));
                            self.slots.insert((day, month, hour, minute));
                        }
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
            Moment::Slot { day, month, hour, minute } => {
                self.daily.contains(&(hour, minute))
                    || self.slots.iter().any(|&(d, m, h, min)| {
                        (d, h, min) == (day, hour, minute) && month.is_none_or(|month| month == m)
                    })
            }
        }
    }

    /// The dates, times and slots in `reply` that nothing grounds. A day and a time that were
    /// each offered, but never together ("04/03" in one slot, "14:00" in another), are a slot
    /// nobody offered.
    pub fn ungrounded(&self, reply: &str) -> Vec<Moment> {
        let mut ungrounded: Vec<Moment> =
            mentioned(reply).into_iter().filter(|moment| !self.grounds(*moment)).collect();
        let parts_grounded = |slot: &Moment| match *slot {
            Moment::Slot { day, month, hour, minute } => {
                !ungrounded.contains(&Moment::Date { day, month })
                    && !ungrounded.contains(&Moment::Time { hour, minute })
            }
            _ => false,
        };
        let slots: Vec<Moment> = slots_mentioned(reply)
            .into_iter()
            .filter(|slot| parts_grounded(slot) && !self.grounds(*slot))
            .collect();
        ungrounded.extend(slots);
        ungrounded
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
    fn spoken_times_are_seen() {
        assert_eq!(mentioned("Pode ser às 14 horas?"), [time(14, 0)]);
        assert_eq!(mentioned("tenho duas da tarde ou dez e meia da manhã"), [time(14, 0), time(10, 30)]);
        assert_eq!(mentioned("meio-dia e meia, ou meio-dia"), [time(12, 30), time(12, 0)]);
        assert_eq!(mentioned("às 3 horas da tarde"), [time(15, 0)], "not also 03:00");
        assert_eq!(mentioned("às duas e meia"), [time(14, 30)], "a clinic's \"duas\" is in the afternoon");
        assert_eq!(mentioned("às 14 horas e 30"), [time(14, 30)], "not also 14:00");
        assert_eq!(mentioned("Escolha uma das 3 opções, as 2 primeiras são à tarde"), []);
        assert_eq!(mentioned("O procedimento leva 2 horas e dura umas 3 horas"), []);
    }

    #[test]
    fn a_day_and_a_time_said_together_are_a_slot() {
        let slot = |day, month, hour, minute| Moment::Slot { day, month: Some(month), hour, minute };
        assert_eq!(
            slots_mentioned("Tenho quarta-feira, 04/03 às 14:00 ou 15h30, e quinta-feira, 05/03 às 9h."),
            [slot(4, 3, 14, 0), slot(4, 3, 15, 30), slot(5, 3, 9, 0)]
        );
        assert_eq!(slots_mentioned("03/03 às 14h; na quarta, às 15h"), [slot(3, 3, 14, 0)]);
    }

    #[test]
    fn a_day_and_a_time_offered_apart_are_not_a_slot() {
        let mut grounding = Grounding::default();
        grounding.add_json(&json!({ "slots": [
            { "start": "2026-03-03T14:00:00-03:00", "label": "terça-feira, 03/03 às 14:00" },
            { "start": "2026-03-04T10:00:00-03:00", "label": "quarta-feira, 04/03 às 10:00" }
        ]}));
        grounding.add_daily_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        assert_eq!(grounding.ungrounded("Confirmo: quarta-feira, 04/03 às 10:00."), []);
        assert_eq!(
            grounding.ungrounded("Confirmo: quarta-feira, 04/03 às 14:00."),
            [Moment::Slot { day: 4, month: Some(3), hour: 14, minute: 0 }]
        );
        assert_eq!(grounding.ungrounded("No dia 04/03 abrimos às 9h."), [], "opening hours go with any day");
        assert_eq!(
            grounding.ungrounded("posso às duas da tarde do dia 04/03?"),
            [Moment::Slot { day: 4, month: Some(3), hour: 14, minute: 0 }]
        );
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
