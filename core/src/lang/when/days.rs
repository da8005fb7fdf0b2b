//! Readers for days: "hoje", "depois de amanhã", "sexta", "essa quinta", "semana que vem",
//! "dia 12", "12/03", "12 de março". Each returns how many words it used.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::{Mentions, WeekdayMention, record};
use crate::lang::words::{digits, number, starts_with};

pub(super) fn read(rest: &[&str], today: NaiveDate, mentions: &mut Mentions) -> Option<usize> {
    relative_day(rest, today, mentions)
        .or_else(|| span(rest, today, mentions))
        .or_else(|| weekday(rest, mentions))
        .or_else(|| calendar_date(rest, today, mentions))
}

/// "ontem", "anteontem", "semana passada", "sexta passada", "mês passado": a day gone by, what
/// happened then and no wish. How many words it takes, so they are read as no day at all.
pub(super) fn past(rest: &[&str]) -> Option<usize> {
    const GONE: [&str; 4] = ["passada", "passado", "retrasada", "retrasado"];
    // "na sexta passada": the determiner belongs to the day gone by.
    let skip = usize::from(matches!(rest, ["na" | "no" | "de" | "da" | "do" | "desde", ..]));
    let used = match &rest[skip..] {
        ["ontem" | "anteontem", ..] => Some(1),
        ["antes", "de", "ontem", ..] => Some(3),
        ["semana" | "mes", gone, ..] if GONE.contains(gone) => Some(2),
        [day, "feira", gone, ..] if GONE.contains(gone) && weekday_named(day, false, true).is_some() => {
            Some(3)
        }
        [day, gone, ..] if GONE.contains(gone) && weekday_named(day, false, false).is_some() => Some(2),
        _ => None,
    }?;
    Some(skip + used)
}

fn relative_day(rest: &[&str], today: NaiveDate, mentions: &mut Mentions) -> Option<usize> {
    let (ahead, used) = if starts_with(rest, &["depois", "de", "amanha"]) {
        (2, 3)
    } else if starts_with(rest, &["amanha"]) {
        (1, 1)
    } else if starts_with(rest, &["hoje"]) || is_this_part_of_today(rest) {
        // "this evening", "essa tarde": today; the part of the day is read on by the clock.
        (0, 1)
    } else {
        in_so_many_days(rest)?
    };
    record(&mut mentions.day, today.checked_add_days(Days::new(ahead)));
    Some(used)
}

/// "this evening", "essa noite", "nesta tarde": a part of this very day.
fn is_this_part_of_today(rest: &[&str]) -> bool {
    matches!(rest, ["this" | "essa" | "esta" | "nessa" | "nesta", "manha" | "tarde" | "noite", ..])
}

/// "daqui a 3 dias", "daqui uma semana".
fn in_so_many_days(rest: &[&str]) -> Option<(u64, usize)> {
    if rest.first() != Some(&"daqui") {
        return None;
    }
    let skip = if rest.get(1) == Some(&"a") { 2 } else { 1 };
    let count = u64::from(number(rest.get(skip)?)?);
    let per_unit = match *rest.get(skip + 1)? {
        "dia" | "dias" => 1,
        "semana" | "semanas" => 7,
        _ => return None,
    };
    Some((count * per_unit, skip + 2))
}

/// Weeks, months and weekends, as inclusive ranges of days.
fn span(rest: &[&str], today: NaiveDate, mentions: &mut Mentions) -> Option<usize> {
    let (range, used) = if starts_with(rest, &["semana", "que", "vem"]) {
        (next_week(today), 3)
    } else if starts_with(rest, &["proxima", "semana"])
        || starts_with(rest, &["semana", "proxima"])
        // "pode ser na outra semana?": the week after this one, as patients say it.
        || starts_with(rest, &["outra", "semana"])
    {
        (next_week(today), 2)
    } else if rest.len() >= 2 && is_this(rest[0]) && rest[1] == "semana" {
        (saturday_from(today).map(|saturday| (today, saturday)), 2)
    } else if starts_with(rest, &["mes", "que", "vem"]) {
        (next_month(today), 3)
    } else if starts_with(rest, &["proximo", "mes"]) {
        (next_month(today), 2)
    } else if rest.len() >= 2 && is_this(rest[0]) && rest[1] == "mes" {
        (month_end(today).map(|end| (today, end)), 2)
    } else if starts_with(rest, &["fim", "de", "semana"]) || starts_with(rest, &["final", "de", "semana"]) {
        let used = if starts_with(&rest[3..], &["que", "vem"]) { 5 } else { 3 };
        (weekend(today), used)
    } else {
        return None;
    };
    record(&mut mentions.range, range);
    Some(used)
}

/// "essa", "neste", "dessa"…: the current week or month.
fn is_this(word: &str) -> bool {
    matches!(
        word,
        "essa"
            | "esta"
            | "nessa"
            | "nesta"
            | "dessa"
            | "desta"
            | "esse"
            | "este"
            | "nesse"
            | "neste"
            | "desse"
            | "deste"
    )
}

/// Monday to Saturday of the week after this one: the clinic's working week.
fn next_week(today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let monday = today.checked_add_days(Days::new(u64::from(7 - today.weekday().num_days_from_monday())))?;
    Some((monday, monday.checked_add_days(Days::new(5))?))
}

/// The coming Saturday, today included; from a Sunday, the Saturday six days later.
fn saturday_from(today: NaiveDate) -> Option<NaiveDate> {
    let ahead = (Weekday::Sat.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    today.checked_add_days(Days::new(u64::from(ahead)))
}

fn weekend(today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let saturday = saturday_from(today)?;
    Some((saturday, saturday.succ_opt()?))
}

fn next_month(today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first = month_end(today)?.succ_opt()?;
    Some((first, month_end(first)?))
}

fn month_end(day: NaiveDate) -> Option<NaiveDate> {
    let (year, month) = if day.month() == 12 { (day.year() + 1, 1) } else { (day.year(), day.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1)?.pred_opt()
}

/// "sexta", "na sexta-feira", "próxima terça", "essa quinta", "segunda que vem", "2ª feira".
fn weekday(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    let (this_week, skip) = match *rest.first()? {
        "essa" | "esta" | "nessa" | "nesta" => (true, 1),
        "proxima" | "proximo" | "na" | "no" | "de" | "da" => (false, 1),
        _ => (false, 0),
    };
    let word = *rest.get(skip)?;
    let after = &rest[skip + 1..];
    let feira = after.first() == Some(&"feira");
    // "de ter" is the verb after a preposition ("nao para de ter cravo", "antes de ter alta"),
    // so "de"/"da" mark "ter" as a weekday no more than nothing does.
    let marked = skip > 0 && !(word == "ter" && matches!(rest[0], "de" | "da"));
    let weekday = weekday_named(word, marked, feira)?;
    if is_ordinal_use(word, after) {
        return None;
    }
    let mut used = skip + 1 + usize::from(feira);
    if starts_with(&rest[used..], &["que", "vem"]) {
        used += 2;
    }
    record(&mut mentions.weekday, Some(WeekdayMention { weekday, this_week }));
    Some(used)
}

/// A weekday's name or short form. "ter" is also the verb "to have", so it counts only after
/// a determiner or before "feira" ("na ter", "próxima ter", "ter feira"; never "de ter");
/// "2ª feira" folds to "2 feira", so a bare digit counts only before "feira".
fn weekday_named(word: &str, determiner: bool, feira: bool) -> Option<Weekday> {
    let weekday = match word {
        "segunda" | "seg" | "2a" => Weekday::Mon,
        "terca" | "3a" => Weekday::Tue,
        "ter" if determiner || feira => Weekday::Tue,
        "quarta" | "qua" | "4a" => Weekday::Wed,
        "quinta" | "qui" | "5a" => Weekday::Thu,
        "sexta" | "sex" | "6a" => Weekday::Fri,
        "sabado" | "sab" => Weekday::Sat,
        "domingo" | "dom" => Weekday::Sun,
        "2" if feira => Weekday::Mon,
        "3" if feira => Weekday::Tue,
        "4" if feira => Weekday::Wed,
        "5" if feira => Weekday::Thu,
        "6" if feira => Weekday::Fri,
        _ => return None,
    };
    Some(weekday)
}

/// "segunda vez", "quinta sessão": the ordinal, not the weekday.
fn is_ordinal_use(word: &str, after: &[&str]) -> bool {
    let ordinal = matches!(word, "segunda" | "quarta" | "quinta" | "sexta");
    let noun = matches!(
        after.first().copied(),
        Some("vez" | "opcao" | "sessao" | "aplicacao" | "consulta" | "dose" | "parcela" | "alternativa")
    );
    ordinal && noun
}

/// "12/03", "12/3/2026", "dia 12", "dia 12 de março", "12 de março de 2026".
fn calendar_date(rest: &[&str], today: NaiveDate, mentions: &mut Mentions) -> Option<usize> {
    let (date, used) = slashed_date(rest.first()?, today)
        .map(|date| (Some(date), 1))
        .or_else(|| named_month_date(rest, today))
        .or_else(|| day_of_month(rest, today))?;
    record(&mut mentions.day, date);
    Some(used)
}

fn slashed_date(token: &str, today: NaiveDate) -> Option<NaiveDate> {
    let mut parts = token.split('/');
    let day = digits(parts.next()?)?;
    let month = digits(parts.next()?)?;
    match (parts.next(), parts.next()) {
        (None, _) => upcoming_date(today, month, day),
        (Some(year), None) => NaiveDate::from_ymd_opt(full_year(year)?, month, day),
        _ => None,
    }
}

/// Two-digit years are this century's: "26" → 2026.
fn full_year(token: &str) -> Option<i32> {
    let year = i32::try_from(digits(token)?).ok()?;
    match token.len() {
        2 => Some(2000 + year),
        4 => Some(year),
        _ => None,
    }
}

fn named_month_date(rest: &[&str], today: NaiveDate) -> Option<(Option<NaiveDate>, usize)> {
    let skip = usize::from(rest.first() == Some(&"dia"));
    let day = day_number(rest.get(skip)?)?;
    if rest.get(skip + 1) != Some(&"de") {
        return None;
    }
    let month = month_named(rest.get(skip + 2)?)?;
    let used = skip + 3;
    let year = rest.get(used + 1).filter(|_| rest.get(used) == Some(&"de")).and_then(|y| full_year(y));
    Some(match year {
        Some(year) => (NaiveDate::from_ymd_opt(year, month, day), used + 2),
        None => (upcoming_date(today, month, day), used),
    })
}

/// "dia 12": this month unless the 12th has passed, then the next month that has that day.
fn day_of_month(rest: &[&str], today: NaiveDate) -> Option<(Option<NaiveDate>, usize)> {
    if rest.first() != Some(&"dia") {
        return None;
    }
    let day = day_number(rest.get(1)?)?;
    let mut first_of_month = today.with_day(1)?;
    for _ in 0..12 {
        let candidate = first_of_month.with_day(day).filter(|d| *d >= today);
        if candidate.is_some() {
            return Some((candidate, 2));
        }
        first_of_month = month_end(first_of_month)?.succ_opt()?;
    }
    Some((None, 2))
}

fn day_number(token: &str) -> Option<u32> {
    if token == "primeiro" {
        return Some(1);
    }
    digits(token).filter(|d| (1..=31).contains(d))
}

/// This year's date unless it has passed, then next year's.
fn upcoming_date(today: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    (today.year()..=today.year() + 4)
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .find(|date| *date >= today)
}

fn month_named(word: &str) -> Option<u32> {
    let month = match word {
        "janeiro" | "jan" => 1,
        "fevereiro" | "fev" => 2,
        "marco" | "mar" => 3,
        "abril" | "abr" => 4,
        "maio" | "mai" => 5,
        "junho" | "jun" => 6,
        "julho" | "jul" => 7,
        "agosto" | "ago" => 8,
        "setembro" | "set" => 9,
        "outubro" | "out" => 10,
        "novembro" | "nov" => 11,
        "dezembro" | "dez" => 12,
        _ => return None,
    };
    Some(month)
}
