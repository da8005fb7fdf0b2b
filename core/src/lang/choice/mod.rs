//! Understands which of the offered options a patient picked: "o primeiro", "2", "opção 3",
//! "a das 15h", "pode ser o de terça", "qualquer um".
//!
//! A position ("a segunda", "3") wins over everything else, because it is what the list asked
//! for. Otherwise every date and time the message mentions (read by [`crate::lang::when`])
//! narrows the options; "qualquer um" takes the first of what is left.

mod position;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use super::intent::is_affirmative;
use super::normalize::{Normalized, normalize};
use super::when::{ClockMention, Mentions, scan};
use super::words::digits;
use crate::scheduling::Period;

/// The outcome of reading a pick among `n` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The index (from 0) of the option picked.
    Picked(usize),
    /// The message fits several options, by index: ask which one.
    Ambiguous(Vec<usize>),
    /// The message does not pick any of the options.
    NoMatch,
}

/// A pick among `count` numbered options that have no date or time ("1", "a segunda", "o último").
pub fn pick_numbered(text: &str, count: usize) -> Choice {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    match position::read(&tokens, count) {
        Some(position) => in_range(position, count),
        None if count > 0 && says_any(&normalized) => Choice::Picked(0),
        None => Choice::NoMatch,
    }
}

/// A pick among offered times on one day: "a das 15h", "10 e meia", "à tarde", "2". Words
/// about the day are ignored: the day is already settled.
pub fn pick_time(text: &str, options: &[NaiveTime]) -> Choice {
    let options: Vec<(Option<NaiveDate>, NaiveTime)> = options.iter().map(|t| (None, *t)).collect();
    pick(text, &options, None)
}

/// A pick among offered slots (local date and start time): "o de terça", "amanhã às 10",
/// "a das 15h", "o último". `today` is the clinic's local date, for "o de amanhã".
pub fn pick_slot(text: &str, options: &[(NaiveDate, NaiveTime)], today: NaiveDate) -> Choice {
    let options: Vec<(Option<NaiveDate>, NaiveTime)> = options.iter().map(|(d, t)| (Some(*d), *t)).collect();
    pick(text, &options, Some(today))
}

/// `today` is `None` when the options have no dates, and then day words narrow nothing.
fn pick(text: &str, options: &[(Option<NaiveDate>, NaiveTime)], today: Option<NaiveDate>) -> Choice {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    match position::read(&tokens, options.len()) {
        Some(position) if (1..=options.len()).contains(&position) => return Choice::Picked(position - 1),
        // A lone number past the end may be an hour ("15"): read on.
        Some(_) if tokens.len() > 1 => return Choice::NoMatch,
        _ => {}
    }
    let mentions = scan(&tokens, today.unwrap_or_default());
    let opening = opening_number(&tokens, &mentions).or_else(|| number_after_a_weekday(&tokens, &mentions));
    let mut candidates: Vec<usize> = (0..options.len()).collect();
    let by_day = today.is_some() && narrow_by_day(&mut candidates, options, &mentions);
    let narrowed = narrow_by_time(&mut candidates, options, &mentions, opening) || by_day;
    // "2 tá ótimo" with no option at 14:00: the number opening the message is a position.
    let position = opening.and_then(|number| usize::try_from(number).ok());
    if let Some(position) =
        position.filter(|p| candidates.is_empty() && !by_day && (1..=options.len()).contains(p))
    {
        return Choice::Picked(position - 1);
    }
    if says_any(&normalized) {
        return candidates.first().map_or(Choice::NoMatch, |first| Choice::Picked(*first));
    }
    match candidates.as_slice() {
        _ if !narrowed => Choice::NoMatch,
        [] => Choice::NoMatch,
        [only] => Choice::Picked(*only),
        _ => Choice::Ambiguous(candidates),
    }
}

/// A number from 1 to 23 opening the message, when nothing else in it says what the number is
/// (no clock, day or bound was read): the whole message ("15", "11 então"), or the start of an
/// acceptance ("11 serve", "9 tá ótimo", "10 pode ser"). "1 dúvida" is no pick.
fn opening_number(tokens: &[&str], m: &Mentions) -> Option<u32> {
    let read_as_something_else =
        m.clock.is_some() || m.after.is_some() || m.before.is_some() || m.day.is_some() || m.range.is_some();
    let [first, rest @ ..] = tokens else { return None };
    let accepts = match rest {
        [] | ["entao"] => true,
        _ => is_affirmative(&rest.join(" ")),
    };
    digits(first).filter(|number| !read_as_something_else && accepts && (1..=23).contains(number))
}

/// "segunda 9", "quarta 15 então": a number from 1 to 23 right after the weekday it is said of,
/// closing the message, is its hour when nothing else in it says what the number is. "dia 9",
/// "segunda dia 9" are dates.
fn number_after_a_weekday(tokens: &[&str], m: &Mentions) -> Option<u32> {
    let read_as_something_else =
        m.clock.is_some() || m.after.is_some() || m.before.is_some() || m.day.is_some() || m.range.is_some();
    if read_as_something_else || m.weekday.is_none() {
        return None;
    }
    let at = match tokens {
        [.., _, "entao" | "mesmo"] => tokens.len() - 2,
        [_, ..] => tokens.len() - 1,
        [] => return None,
    };
    let after_a_weekday = at > 0 && WEEKDAY_WORDS.contains(&tokens[at - 1]);
    digits(tokens[at]).filter(|hour| after_a_weekday && (1..=23).contains(hour))
}

/// The weekdays as a number may follow them: "segunda 9", "sexta feira 10".
const WEEKDAY_WORDS: &[&str] =
    &["segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo", "feira"];

fn in_range(position: usize, count: usize) -> Choice {
    if (1..=count).contains(&position) { Choice::Picked(position - 1) } else { Choice::NoMatch }
}

/// "qualquer um", "tanto faz", "o que tiver": the patient leaves it to us.
fn says_any(message: &Normalized) -> bool {
    ["qualquer", "tanto faz", "o que tiver", "o que for melhor", "voce escolhe"]
        .iter()
        .any(|phrase| message.contains_phrase(phrase))
}

/// Keeps the options on the day the message names. A weekday matches by weekday whatever the
/// date: "o de terça" is the Tuesday option even if it is today.
fn narrow_by_day(
    candidates: &mut Vec<usize>,
    options: &[(Option<NaiveDate>, NaiveTime)],
    m: &Mentions,
) -> bool {
    // "segunda não posso" refuses the options on Monday: it picks none of them.
    if m.refused || (m.day.is_none() && m.weekday.is_none() && m.range.is_none()) {
        return false;
    }
    let fits = |date: NaiveDate| match m.day {
        Some(day) => date == day,
        None => {
            m.weekday.is_none_or(|w| w.weekday == date.weekday())
                && m.range.is_none_or(|(first, last)| (first..=last).contains(&date))
        }
    };
    candidates.retain(|i| options[*i].0.is_some_and(fits));
    true
}

/// Keeps the options at the time the message names (the same hour if no exact match: "a das 15"
/// for a 15:30 option), in its period, and within its bounds.
fn narrow_by_time(
    candidates: &mut Vec<usize>,
    options: &[(Option<NaiveDate>, NaiveTime)],
    m: &Mentions,
    opening: Option<u32>,
) -> bool {
    let time_of = |i: &usize| options[*i].1;
    let at = |clock: Option<ClockMention>| clock.and_then(|c| c.resolve(m.period));
    let mut narrowed = false;
    // A number that is not an option's position may still be an hour: "15", "11 serve".
    let bare_hour = opening.map(|hour| ClockMention { hour, minute: 0, qualifier: None });
    if let Some(wanted) = at(m.clock.or(bare_hour)) {
        let exact: Vec<usize> = candidates.iter().copied().filter(|i| time_of(i) == wanted).collect();
        *candidates = if exact.is_empty() {
            candidates.iter().copied().filter(|i| time_of(i).hour() == wanted.hour()).collect()
        } else {
            exact
        };
        narrowed = true;
    }
    if let Some(period) = m.period {
        candidates.retain(|i| Period::of(time_of(i)) == period);
        narrowed = true;
    }
    if let Some(after) = at(m.after) {
        candidates.retain(|i| time_of(i) >= after);
        narrowed = true;
    }
    if let Some(before) = at(m.before) {
        candidates.retain(|i| time_of(i) < before);
        narrowed = true;
    }
    narrowed
}

#[cfg(test)]
mod tests;
