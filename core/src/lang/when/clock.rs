//! Readers for times of day: "15h", "15:30", "às 10", "3 da tarde", "meio-dia", "9 e meia",
//! "depois das 15h", "antes das 11", "entre 14 e 16", "à tarde". Each returns how many words it
//! used.

use super::{ClockMention, Mentions, record};
use crate::lang::words::{digits, number_word, starts_with, teen_word};
use crate::scheduling::Period;

pub(super) fn read(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    not_a_time(rest)
        .or_else(|| lunch_bound(rest, mentions))
        .or_else(|| bound(rest, mentions))
        .or_else(|| between(rest, mentions))
        .or_else(|| past_the_hour(rest, mentions))
        .or_else(|| at(rest, mentions))
        .or_else(|| clock(rest, Marked::No).map(|(time, used)| record_clock(mentions, time, used)))
        .or_else(|| period(rest, mentions))
}

/// Verbs of the patient's own day before "tarde" said as an adverb, "late": "saio tarde do
/// escritório", "chego tarde em casa", "trabalho até tarde". The afternoon is not asked for.
const LATE_IN_ONES_DAY: &[&str] =
    &["saio", "sai", "chego", "chega", "cheguei", "largo", "volto", "acordo", "durmo", "ate"];

/// Greetings and comparatives that contain a period word but ask for nothing, and "tarde"
/// meaning late.
fn not_a_time(rest: &[&str]) -> Option<usize> {
    const PHRASES: [[&str; 2]; 5] =
        [["boa", "tarde"], ["boa", "noite"], ["bom", "dia"], ["mais", "tarde"], ["mais", "cedo"]];
    let late = matches!(rest, [verb, "tarde", ..] if LATE_IN_ONES_DAY.contains(verb));
    (late || PHRASES.iter().any(|phrase| starts_with(rest, phrase))).then_some(2)
}

/// "depois do almoço" starts after the clinic's lunch; "antes do almoço" before it; "na hora do
/// almoço" is noon.
fn lunch_bound(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    let lunch_at = |hour| Some(ClockMention { hour, minute: 0, qualifier: None });
    for after in [["depois", "do", "almoco"], ["apos", "o", "almoco"]] {
        if starts_with(rest, &after) {
            record(&mut mentions.after, lunch_at(13));
            return Some(3);
        }
    }
    if starts_with(rest, &["antes", "do", "almoco"]) {
        record(&mut mentions.before, lunch_at(12));
        return Some(3);
    }
    // "só consigo escapar na hora do almoço": noon asked for, which the clinic's own lunch may
    // leave to the nearest free times.
    for at_lunch in [["hora", "do", "almoco"], ["horario", "do", "almoco"], ["horario", "de", "almoco"]] {
        if starts_with(rest, &at_lunch) {
            record(&mut mentions.clock, lunch_at(12));
            return Some(3);
        }
    }
    None
}

const AFTER: [&[&str]; 9] = [
    &["a", "partir", "das"],
    &["a", "partir", "da"],
    &["a", "partir", "de"],
    &["a", "partir"],
    &["depois", "das"],
    &["depois", "da"],
    &["depois", "de"],
    &["apos", "as"],
    &["apos"],
];

const BEFORE: [&[&str]; 8] = [
    &["antes", "das"],
    &["antes", "da"],
    &["antes", "de"],
    &["no", "maximo", "as"],
    &["ate", "as"],
    &["ate", "a"],
    &["ate"],
    &["antes"],
];

/// "depois das 15h", "a partir das 15", "antes das 11", "até as 10".
fn bound(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    for (markers, slot) in [(&AFTER[..], &mut mentions.after), (&BEFORE[..], &mut mentions.before)] {
        for marker in markers.iter().filter(|m| starts_with(rest, m)) {
            let marker_len = marker.len() + spanish_article_after_de(marker, &rest[marker.len()..]);
            if let Some((time, used)) = clock(&rest[marker_len..], Marked::Yes) {
                record(slot, Some(time));
                return Some(marker_len + used);
            }
        }
    }
    None
}

/// "después de las 5", "antes de las 11": Spanish keeps the article after "de" where
/// Portuguese joins it ("depois das"); by now "las" reads "as". The words it takes: 1 or 0.
fn spanish_article_after_de(marker: &[&str], after: &[&str]) -> usize {
    usize::from(marker.last() == Some(&"de") && after.first() == Some(&"as"))
}

/// "entre 14 e 16h", "entre as 2 e as 4 da tarde", "das 14 às 16".
fn between(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    let joiners: &[&str] = match rest.first() {
        Some(&"entre") => &["e"],
        Some(&"das") => &["as", "ate", "a"],
        _ => return None,
    };
    let mut used = 1 + usize::from(matches!(rest.get(1), Some(&("as" | "a"))));
    let (from, from_used) = clock(&rest[used..], Marked::YesBeforeAnd)?;
    used += from_used;
    if !rest.get(used).is_some_and(|w| joiners.contains(w)) {
        return None;
    }
    used += 1 + usize::from(matches!(rest.get(used + 1), Some(&("as" | "a"))));
    let (to, to_used) = clock(rest.get(used..)?, Marked::Yes)?;
    // "entre 2 e 4 da tarde": the period written once applies to both ends.
    let from = ClockMention { qualifier: from.qualifier.or(to.qualifier), ..from };
    record(&mut mentions.after, Some(from));
    record(&mut mentions.before, Some(to));
    Some(used + to_used)
}

/// "às 10", "pelas 3", "por volta das 15h", "lá pelas 4", "o das 10".
fn at(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    const MARKERS: [&[&str]; 8] = [
        &["as"],
        &["das"],
        &["pelas"],
        &["la", "pelas"],
        &["por", "volta", "das"],
        &["por", "volta", "de"],
        &["umas"],
        &["perto", "das"],
    ];
    MARKERS.iter().filter(|m| starts_with(rest, m)).find_map(|marker| {
        let (time, used) = clock(&rest[marker.len()..], Marked::Yes)?;
        Some(record_clock(mentions, time, marker.len() + used))
    })
}

/// "half past two", "quarter past 10": the English half or quarter hour, said before its hour
/// (the English hour words are already Portuguese here: "half past duas").
fn past_the_hour(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    let minute = match rest {
        ["half", "past", ..] => 30,
        ["quarter", "past", ..] => 15,
        _ => return None,
    };
    let (time, used) = clock(&rest[2..], Marked::Yes)?;
    // "half past 10:45" is no time.
    (time.minute == 0).then(|| record_clock(mentions, ClockMention { minute, ..time }, 2 + used))
}

fn record_clock(mentions: &mut Mentions, time: ClockMention, used: usize) -> usize {
    record(&mut mentions.clock, Some(time));
    used
}

/// Whether something before the words already says they are a time ("às", "depois das").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marked {
    No,
    Yes,
    /// The first end of "entre 14 e 16": its "e" joins the two ends, it is not "e meia".
    YesBeforeAnd,
}

/// One time of day. Unmarked numbers need a sign of being an hour ("15h", "15:30", "3 da
/// tarde", "9 e meia"): a bare "15" could be a day, an option or a price.
fn clock(rest: &[&str], marked: Marked) -> Option<(ClockMention, usize)> {
    let (first, meridiem) = split_meridiem(rest.first()?);
    let (hour, mut minute, mut explicit, mut used) = if meridiem.is_some() {
        let (hour, minute) = written_clock(first, true).or_else(|| Some((digits(first)?, 0)))?;
        (hour, minute, true, 1)
    } else if starts_with(rest, &["meio", "dia"]) {
        (12, 0, true, 2)
    } else if let Some((hour, minute)) = written_clock(first, marked != Marked::No) {
        (hour, minute, true, 1)
    } else if let Some(hour) = digits(first) {
        (hour, 0, false, 1)
    } else if marked != Marked::No
        || rest.get(1).is_some_and(|w| matches!(*w, "da" | "de" | "e") || is_hour_unit(w))
    {
        (hour_word(first)?, 0, false, 1)
    } else {
        return None;
    };
    if rest.get(used).is_some_and(|w| is_count_unit(w)) {
        return None;
    }
    if rest.get(used).is_some_and(|w| is_hour_unit(w)) {
        explicit = true;
        used += 1;
    }
    if marked != Marked::YesBeforeAnd
        && minute == 0
        && rest.get(used) == Some(&"e")
        && let Some(m) = rest.get(used + 1).and_then(|w| minutes_after_e(w))
    {
        minute = m;
        explicit = true;
        used += 2;
    }
    let qualifier = if meridiem.is_some() {
        meridiem
    } else if let Some(period) = rest.get(used).and_then(|word| meridiem_word(word)) {
        explicit = true;
        used += 1;
        Some(period)
    } else {
        let period = rest.get(used..).and_then(period_after_hour);
        if period.is_some() {
            explicit = true;
            used += 2;
        }
        period
    };
    let valid = hour <= 23 && minute <= 59;
    (valid && (explicit || marked != Marked::No)).then_some((ClockMention { hour, minute, qualifier }, used))
}

/// "h", "hs", "hrs", "horas" after an hour.
fn is_hour_unit(word: &str) -> bool {
    matches!(word, "h" | "hs" | "hr" | "hrs" | "hora" | "horas")
}

/// An hour written as a word: "dez", and past noon "quinze", "dezessete" ("quinze horas").
fn hour_word(word: &str) -> Option<u32> {
    number_word(word).or_else(|| teen_word(word))
}

/// "3pm", "10am", "3:30pm" as tourists write them: the number, and the half of the day.
fn split_meridiem(token: &str) -> (&str, Option<Period>) {
    for suffix in ["pm", "am"] {
        if let Some(number) =
            token.strip_suffix(suffix).filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        {
            return (number, meridiem_word(suffix));
        }
    }
    (token, None)
}

/// "pm" and "am" written apart from the hour: "3 pm".
fn meridiem_word(word: &str) -> Option<Period> {
    match word {
        "pm" => Some(Period::Tarde),
        "am" => Some(Period::Manha),
        _ => None,
    }
}

/// "15h", "15h30", "15hs", "15:30"; and "15.30" when already marked as a time (unmarked, it
/// could be an amount).
fn written_clock(token: &str, marked: bool) -> Option<(u32, u32)> {
    // "10:30hs", "10:30h": the unit after a written clock adds nothing.
    let token = ["horas", "hrs", "hr", "hs", "h"]
        .iter()
        .find_map(|unit| token.strip_suffix(unit).filter(|clock| clock.contains([':', '.'])))
        .unwrap_or(token);
    if let Some((hour, suffix)) = token.split_once('h') {
        let minute = match suffix {
            "" | "s" | "r" | "rs" | "ora" | "oras" => 0,
            minutes if minutes.len() == 2 => digits(minutes)?,
            _ => return None,
        };
        return Some((digits(hour).filter(|_| hour.len() <= 2)?, minute));
    }
    let (hour, minute) = token.split_once(':').or_else(|| token.split_once('.').filter(|_| marked))?;
    (hour.len() <= 2 && minute.len() == 2).then_some((digits(hour)?, digits(minute)?))
}

/// Words that make a number a count rather than an hour: "até 3 dias", "às 2 opções".
fn is_count_unit(word: &str) -> bool {
    matches!(
        word,
        "dia"
            | "dias"
            | "semana"
            | "semanas"
            | "mes"
            | "meses"
            | "ano"
            | "anos"
            | "vezes"
            | "vez"
            | "sessao"
            | "sessoes"
            | "parcela"
            | "parcelas"
            | "opcao"
            | "opcoes"
            | "pessoas"
            | "minutos"
    )
}

fn minutes_after_e(word: &str) -> Option<u32> {
    match word {
        "meia" => Some(30),
        "quinze" => Some(15),
        "trinta" => Some(30),
        "15" | "30" | "45" => digits(word),
        _ => None,
    }
}

/// "da manhã", "da tarde", "de noite" written right after an hour.
fn period_after_hour(rest: &[&str]) -> Option<Period> {
    match rest {
        ["da" | "de" | "a" | "pela", word, ..] => period_named(word),
        _ => None,
    }
}

/// "à tarde", "de manhã", "pela manhã", "noite", "cedo", "fim da tarde".
fn period(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    if let [edge, "da", part @ ("tarde" | "manha"), ..] = rest
        && let Some(late) = edge_is_late(edge)
    {
        // Late afternoon starts at 16:00, early afternoon ends at 15:00; late morning starts
        // at 10:00, early morning ends then: a useful narrowing.
        let (period, hour) = match (*part, late) {
            ("tarde", true) => (Period::Tarde, 16),
            ("tarde", false) => (Period::Tarde, 15),
            (_, _) => (Period::Manha, 10),
        };
        let bound = ClockMention { hour, minute: 0, qualifier: None };
        record(if late { &mut mentions.after } else { &mut mentions.before }, Some(bound));
        record(&mut mentions.period, Some(period));
        return Some(3);
    }
    let (word, used) = match rest {
        ["de" | "pela" | "a" | "na" | "da" | "durante", word, ..] if period_named(word).is_some() => {
            (*word, 2)
        }
        [word, ..] => (*word, 1),
        [] => return None,
    };
    let period =
        period_named(word).or_else(|| matches!(word, "cedo" | "cedinho").then_some(Period::Manha))?;
    record(&mut mentions.period, Some(period));
    Some(used)
}

/// Whether the edge of a part of the day is its end ("fim", "finalzinho") or its start
/// ("início", "comecinho"); `None` for any other word.
fn edge_is_late(word: &str) -> Option<bool> {
    match word {
        "fim" | "final" | "finalzinho" | "fimzinho" => Some(true),
        "inicio" | "comeco" | "comecinho" | "iniciozinho" => Some(false),
        _ => None,
    }
}

fn period_named(word: &str) -> Option<Period> {
    match word {
        "manha" | "manhazinha" => Some(Period::Manha),
        "tarde" | "tardinha" => Some(Period::Tarde),
        "noite" | "noitinha" => Some(Period::Noite),
        _ => None,
    }
}
