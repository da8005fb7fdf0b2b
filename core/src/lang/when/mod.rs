//! Reads when a patient wants to come: "amanhã à tarde", "sexta às 15h", "dia 12",
//! "semana que vem depois das 14".
//!
//! [`parse_when`] scans the folded words left to right; each reader in [`days`] and [`clock`]
//! recognises one kind of expression and records it in [`Mentions`] (the first mention of each
//! kind wins). Resolution against `today` happens last, so a weekday and a week can combine:
//! "quarta da semana que vem" is the Wednesday inside next week.
//!
//! Rules worth knowing:
//! - A bare weekday ("sexta", "na sexta", "próxima sexta", "sexta que vem") is its next
//!   occurrence *after* today: a patient who means today says "hoje". "essa sexta"/"esta sexta"
//!   may be today. So on a Monday "terça que vem" is tomorrow, as most patients mean it; the
//!   Tuesday after that is "terça da semana que vem".
//! - An hour from 1 to 7 with nothing saying morning means the afternoon ("às 3" → 15:00): the
//!   clinic is closed before 8 in the morning, and that is how people talk. "3 da manhã",
//!   or "de manhã" anywhere in the message, keeps it in the morning.
//! - `after` is the earliest acceptable start, inclusive ("a partir das 15" allows 15:00);
//!   `before` is exclusive ("antes das 11" means starting before 11:00).

mod clock;
mod days;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::normalize::{Normalized, normalize, split_clauses};
use crate::scheduling::Period;

/// The day or days a patient asked for, already resolved against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSpec {
    Day(NaiveDate),
    /// Every day from `first` to `last`, both included ("semana que vem" → Monday–Saturday).
    Range {
        first: NaiveDate,
        last: NaiveDate,
    },
}

impl DateSpec {
    pub fn first(self) -> NaiveDate {
        match self {
            DateSpec::Day(day) => day,
            DateSpec::Range { first, .. } => first,
        }
    }

    pub fn last(self) -> NaiveDate {
        match self {
            DateSpec::Day(day) => day,
            DateSpec::Range { last, .. } => last,
        }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        (self.first()..=self.last()).contains(&date)
    }
}

/// Everything a message says about when. All fields are optional: "à tarde" alone is a wish too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateWish {
    pub date: Option<DateSpec>,
    /// A precise start time: "às 15h", "9 e meia", "meio-dia".
    pub time: Option<NaiveTime>,
    pub period: Option<Period>,
    /// Earliest acceptable start, inclusive: "depois das 15h", "a partir das 15".
    pub after: Option<NaiveTime>,
    /// Latest acceptable start, exclusive: "antes das 11".
    pub before: Option<NaiveTime>,
}

impl DateWish {
    /// True when the message said nothing about when.
    pub fn is_empty(&self) -> bool {
        *self == DateWish::default()
    }

    /// Whether a slot starting at `start` (the clinic's local time) is one the wish asks for:
    /// on its day, at its time, in its period and within its bounds, for whichever of them it
    /// says. An empty wish admits every slot.
    pub fn admits(&self, start: NaiveDateTime) -> bool {
        let time = start.time();
        self.date.is_none_or(|date| date.contains(start.date()))
            && self.time.is_none_or(|wanted| wanted == time)
            && self.period.is_none_or(|period| Period::of(time) == period)
            && self.after.is_none_or(|after| time >= after)
            && self.before.is_none_or(|before| time < before)
    }
}

/// Reads the date and time wishes in `text`, relative to `today` (the clinic's local date).
pub fn parse_when(text: &str, today: NaiveDate) -> DateWish {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    scan(&tokens, today).resolve(today)
}

/// Words with which a patient corrects what she has just written: "terça.. não pera, quarta",
/// "sexta de manhã, quer dizer, às 15h", "amanhã, aliás sábado".
const CORRECTIONS: &[&str] = &[
    "pera",
    "perai",
    "quer dizer",
    "alias",
    "ou melhor",
    "melhor dizendo",
    "corrigindo",
    "na verdade",
    "pensando bem",
    // A conclusion drawn: "domingo não abre, né? então segunda às 9".
    "entao",
];

/// What keeps a clause after a correction from being the new wish: it says why a day or a part
/// of it does not suit ("de manhã tenho reunião", "terça tenho dentista").
const CLASHES: &[&str] = &["tenho", "trabalho", "nao posso", "nao consigo", "nao da"];

/// The wish a patient corrected herself into, when a [`CORRECTIONS`] word follows a when and
/// another when follows it: read from the clauses after the last correction, the latest first
/// (a clause that only says why a day does not suit is skipped), with the day from before the
/// correction kept when the new wish names none ("sexta de manhã. pera, às 15h"). `None` when
/// nothing was corrected, so the whole message is read as usual.
pub fn corrected_when(text: &str, today: NaiveDate) -> Option<DateWish> {
    let (earlier, after) = correction(text, today)?;
    let mut wish = DateWish::default();
    for clause in after.iter().rev().filter(|clause| !clause.is_empty()) {
        let folded = normalize(clause);
        if CLASHES.iter().any(|clash| folded.contains_phrase(clash)) {
            continue;
        }
        let said = parse_when(clause, today);
        wish.date = wish.date.or(said.date);
        wish.time = wish.time.or(said.time);
        wish.period = wish.period.or(said.period);
        wish.after = wish.after.or(said.after);
        wish.before = wish.before.or(said.before);
        if wish.date.is_some() {
            break;
        }
    }
    if wish.is_empty() {
        return None;
    }
    wish.date = wish.date.or(earlier.date);
    Some(wish)
}

/// The words a patient corrected herself into ("domingo não abre, né? então segunda 9" gives
/// "segunda 9"), when they name a day of their own: what a pick among the slots shown is read
/// from. "quinta então, umas 10h" keeps its Thursday, so the whole message is read.
pub fn after_a_correction(text: &str, today: NaiveDate) -> Option<String> {
    corrected_when(text, today)?;
    let (_, after) = correction(text, today)?;
    let after = after.join(". ");
    parse_when(&after, today).date.is_some().then_some(after)
}

/// The wish before the last correction marker, and the clauses after it (the marker's own
/// clause from just after the marker). `None` when no marker follows a when.
fn correction(text: &str, today: NaiveDate) -> Option<(DateWish, Vec<String>)> {
    let clauses: Vec<Normalized> =
        split_clauses(text).map(normalize).filter(|clause| !clause.is_empty()).collect();
    // A marker closing the message ("sexta 15h então?") corrects nothing: the one before it does.
    let (at, marker_at, start) = clauses.iter().enumerate().rev().find_map(|(at, clause)| {
        let words: Vec<&str> = clause.tokens().collect();
        let last_clause = at + 1 == clauses.len();
        CORRECTIONS.iter().find_map(|marker| {
            let marker: Vec<&str> = marker.split(' ').collect();
            (0..words.len())
                .rev()
                .filter(|&i| !(last_clause && i + marker.len() == words.len()))
                .find(|&i| words[i..].starts_with(&marker))
                .map(|i| (at, i, i + marker.len()))
        })
    })?;
    let words_of = |clause: &Normalized| clause.tokens().map(str::to_owned).collect::<Vec<_>>();
    let mut before: Vec<String> = clauses[..at].iter().flat_map(words_of).collect();
    let marked = words_of(&clauses[at]);
    before.extend(marked[..marker_at].iter().cloned());
    let earlier = parse_when(&before.join(" "), today);
    if earlier.is_empty() {
        return None;
    }
    let mut after: Vec<String> = vec![marked[start..].join(" ")];
    after.extend(clauses[at + 1..].iter().map(|clause| clause.as_str().to_owned()));
    Some((earlier, after))
}

/// Words that turn a day down besides the patient's own [`NOT_SUITING`] verbs: "sexta não dá",
/// "pode parar de procurar na sexta", "esquece sexta". They count in the day's clause or in the
/// clause right after it ("…na sexta, lembrei q não dá"), and only when another day follows:
/// alone, "não dá sexta?" asks whether Friday is possible.
const TURNED_DOWN_BESIDES: &[&str] = &[
    "nao da",
    "nao vai dar",
    "nao rola",
    "nao serve",
    "parar de procurar",
    "para de procurar",
    "esquece",
    "esqueca",
    // The options of that day stopped: "pare de me mandar opções de quinta, sexta pode ser".
    "para de me mandar",
    "pare de me mandar",
    "parem de me mandar",
    "para de mandar",
    "pare de mandar",
    "parem de mandar",
    // Remembered a clash: "esqueci que amanhã cedo tenho prova. sábado de manhã tem?".
    "esqueci que",
    "lembrei que",
    // Taken by an errand or a commitment: "sexta tenho que levar minha mãe no médico".
    "tenho que levar",
    "tenho q levar",
    "preciso levar",
    "vou ter que levar",
    "tenho compromisso",
    "tenho um compromisso",
];

/// A day the patient turns down, and what they ask for instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TurnedDown {
    /// The day that does not suit: it tells which appointment, but picks no option shown on it.
    pub day: DateSpec,
    /// The wish read from the clause that names another day on: "pode parar de procurar na
    /// sexta, lembrei q nao da. segunda de manha tem?" asks for Monday morning. `None` when no
    /// other day follows in a clause of its own ("segunda não posso e terça?" is read whole by
    /// [`parse_when`], which skips the day refused).
    pub instead: Option<DateWish>,
}

/// The day `text` turns down, if any: by the patient's own verbs anywhere ("segunda não posso",
/// "não consigo ir na sexta", "el lunes no puedo"), or by other words when another day follows
/// ("sexta não dá, sábado?", "esquece sexta, tem sábado?"). Never "não dá sexta?", nor "sexta
/// não dá de manhã, só à tarde", which keep Friday.
pub fn turned_down(text: &str, today: NaiveDate) -> Option<TurnedDown> {
    let clauses: Vec<&str> = split_clauses(text).filter(|clause| !clause.trim().is_empty()).collect();
    let turns_down = |clause: &str| {
        let folded = normalize(clause);
        NOT_SUITING.iter().chain(TURNED_DOWN_BESIDES).any(|phrase| folded.contains_phrase(phrase))
            || day_then_no(&folded, today)
            || taken_by_an_engagement(&folded)
    };
    let dates: Vec<Option<DateSpec>> = clauses.iter().map(|clause| parse_when(clause, today).date).collect();
    let refused_clause = (0..clauses.len()).find(|&at| {
        dates[at].is_some()
            && (turns_down(clauses[at])
                || clauses.get(at + 1).is_some_and(|next| dates[at + 1].is_none() && turns_down(next)))
    });
    // The day turned down in a clause of its own, and the wish from the other day named on.
    let before_another = refused_clause.and_then(|refused| {
        let other = (refused + 1..clauses.len())
            .find(|&at| dates[at].is_some_and(|date| Some(date) != dates[refused]))?;
        Some((dates[refused]?, parse_when(&clauses[other..].join(","), today)))
    });
    let day = refused_by_own_verbs(text, today).or(before_another.map(|(day, _)| day))?;
    Some(TurnedDown { day, instead: before_another.map(|(_, wish)| wish) })
}

/// What "tenho" names when it fills no day: free time ("quinta tenho a tarde livre"), an
/// appointment here ("sexta tenho horário com vocês"), nothing, or a wish ("tenho interesse").
const NO_ENGAGEMENT: &[&str] = &[
    "tempo",
    "tempinho",
    "livre",
    "disponivel",
    "disponibilidade",
    "folga",
    "horario",
    "vaga",
    "agenda",
    "nada",
    "interesse",
    "vontade",
    "duvida",
    "pressa",
    "urgencia",
];

/// Words between "tenho" and what fills the day: "tenho uma reunião", "tenho q trabalhar".
const BEFORE_ENGAGEMENT: &[&str] = &["um", "uma", "o", "a", "q", "que", "de"];

/// "quinta eu tenho reunião", "sexta vou ter prova", "terça tenho q trabalhar": the patient's
/// own engagement fills that day. Like the other words of [`TURNED_DOWN_BESIDES`], it counts
/// only when another day follows. Never free time ("quinta tenho a tarde livre") nor nothing
/// ("quinta não tenho nada").
fn taken_by_an_engagement(folded: &Normalized) -> bool {
    let words: Vec<&str> = folded.tokens().collect();
    if words.iter().any(|word| NO_ENGAGEMENT.contains(word)) {
        return false;
    }
    (0..words.len()).any(|at| {
        let has = match words[at] {
            "tenho" => at == 0 || words[at - 1] != "nao",
            "ter" => at > 0 && words[at - 1] == "vou",
            _ => false,
        };
        has && words[at + 1..].iter().any(|word| !BEFORE_ENGAGEMENT.contains(word))
    })
}

/// "quinta não", "na sexta não": a clause that is only a day and a "não", as a patient corrects
/// herself ("quinta não, sexta!"). Counts only when another day follows.
fn day_then_no(folded: &Normalized, today: NaiveDate) -> bool {
    const DAY_WORDS: usize = 3;
    let words: Vec<&str> = folded.tokens().collect();
    match words.split_last() {
        Some((&"nao", day)) if !day.is_empty() && day.len() <= DAY_WORDS => {
            parse_when(&day.join(" "), today).date.is_some()
        }
        _ => false,
    }
}

/// The weekday `text` names with nothing fixing its week ("a de sexta", "passa pra terça",
/// "na próxima quinta"): the caller may know better which one is meant, such as the one nearest
/// the appointment being moved. `None` when a date, a span or "essa" fixes it ("sexta dia 20",
/// "essa sexta", "sexta da semana que vem").
pub fn bare_weekday(text: &str) -> Option<Weekday> {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    let mentions = scan(&tokens, NaiveDate::default());
    match (mentions.weekday, mentions.day, mentions.range) {
        (Some(mention), None, None) if !mention.this_week => Some(mention.weekday),
        _ => None,
    }
}

/// The day the patient's own verbs refuse, wherever it is said: `parse_when` reads the refused
/// day only when no other is named.
fn refused_by_own_verbs(text: &str, today: NaiveDate) -> Option<DateSpec> {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    let mut refused = Mentions::default();
    let mut i = 0;
    while i < tokens.len() {
        i += day_refused(&tokens[i..], today, &mut refused).unwrap_or(1).max(1);
    }
    refused.date(today)
}

/// What the readers found, before combining: `choice` reads weekdays from here directly, since
/// "o de terça" picks an option by its weekday whatever its date.
#[derive(Debug, Default)]
pub(crate) struct Mentions {
    /// A specific day: "hoje", "amanhã", "dia 12", "12/03", "12 de março".
    pub day: Option<NaiveDate>,
    pub weekday: Option<WeekdayMention>,
    /// A span of days: a week, a month, a weekend.
    pub range: Option<(NaiveDate, NaiveDate)>,
    pub clock: Option<ClockMention>,
    pub after: Option<ClockMention>,
    pub before: Option<ClockMention>,
    pub period: Option<Period>,
    /// The day read is one the patient said does not suit, named alone ("segunda não posso"):
    /// it tells which appointment, but picks no option shown on it.
    pub refused: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WeekdayMention {
    pub weekday: Weekday,
    /// "essa sexta": today counts. Otherwise the next occurrence after today.
    pub this_week: bool,
}

/// An hour as written, before deciding whether "3" means 03:00 or 15:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClockMention {
    pub hour: u32,
    pub minute: u32,
    /// "da manhã", "da tarde" written right after the hour.
    pub qualifier: Option<Period>,
}

pub(crate) fn scan(tokens: &[&str], today: NaiveDate) -> Mentions {
    let mut mentions = Mentions::default();
    let mut deadline = Mentions::default();
    let mut refused = Mentions::default();
    let mut i = 0;
    while i < tokens.len() {
        let rest = &tokens[i..];
        let used = gone_by(rest)
            .or_else(|| mood_of_today(rest))
            .or_else(|| until_a_day(rest, today, &mut deadline))
            .or_else(|| day_refused(rest, today, &mut refused))
            // A part of the day turned down is read and left out of the wish.
            .or_else(|| period_refused(rest, &mut Mentions::default()))
            .or_else(|| days::read(rest, today, &mut mentions))
            // So is a time turned down: "9h é muito cedo pra mim, pode ser às 11h?".
            .or_else(|| time_refused(rest))
            .or_else(|| own_day_ends(rest, &mut mentions))
            .or_else(|| clock::read(rest, &mut mentions));
        i += used.unwrap_or(1).max(1);
    }
    let no_day = |m: &Mentions| m.day.is_none() && m.weekday.is_none() && m.range.is_none();
    if no_day(&mentions) && !no_day(&refused) {
        mentions.day = refused.day;
        mentions.weekday = refused.weekday;
        mentions.range = refused.range;
        record(&mut mentions.clock, refused.clock);
        record(&mut mentions.period, refused.period);
        mentions.refused = true;
    }
    if no_day(&mentions) {
        mentions.day = deadline.day;
        mentions.weekday = deadline.weekday;
        mentions.range = deadline.range;
    }
    mentions
}

/// Ways of saying a day does not suit, after it ("segunda não posso", "sexta eu não consigo")
/// or before it ("não posso segunda", "não consigo ir na sexta"). Only the patient's own verbs:
/// "não dá sexta?", "sexta não rola?" ask whether Friday is possible.
const NOT_SUITING: &[&str] = &[
    "nao posso",
    "nao consigo",
    "nao vou conseguir",
    "nao vou poder",
    // Busy all that day: "segunda eu trabalho o dia todo, e terça?", "el lunes trabajo todo el día".
    "trabalho o dia todo",
    "trabalho o dia inteiro",
    "trabalho todo o dia",
    "trabajo todo el dia",
];

/// "uff segunda não posso. e a terça?": the day refused is read into `refused`, which counts
/// only when no other day is named; alone ("não posso dia 12") it still tells which day.
fn day_refused(rest: &[&str], today: NaiveDate, refused: &mut Mentions) -> Option<usize> {
    let refusal = |words: &[&str]| leading_phrase(words, NOT_SUITING);
    // The day, and the time said of it ("na quinta de manhã"), which goes with it.
    let day_and_time = |words: &[&str], into: &mut Mentions| {
        let day = days::read(words, today, into)?;
        Some(day + clock::read(&words[day..], into).unwrap_or(0))
    };
    if let Some(said) = refusal(rest) {
        let skip = said + usize::from(matches!(rest.get(said), Some(&("ir" | "comparecer"))));
        return day_and_time(rest.get(skip..)?, refused).map(|used| skip + used);
    }
    let used = day_and_time(rest, &mut Mentions::default())?;
    let after = &rest[used..];
    let subject = usize::from(matches!(after.first(), Some(&("eu" | "ja"))));
    let said = refusal(&after[subject..])?;
    day_and_time(rest, refused)?;
    // The refusal is taken with its day, so it does not refuse the day after it too.
    Some(used + subject + said)
}

/// Words after a part of the day that turn it down, besides the patient's own [`NOT_SUITING`]
/// verbs: "de manhã não dá", "à tarde fica difícil pra mim".
const PERIOD_TURNED_DOWN: &[&str] = &[
    "nao da",
    "nao vai dar",
    "nao rola",
    "nao vai rolar",
    "nao serve",
    "nao tem como",
    "fica dificil",
    "e dificil",
    "ta dificil",
    "fica complicado",
    "e complicado",
    "complica",
    "fica ruim",
    "e ruim",
];

/// Words that may stand between a part of the day and its refusal: "de manhã eu já não
/// consigo", "à tarde pra mim não dá" ("pra" and "p" are "para" once normalized).
const BEFORE_THE_REFUSAL: &[&str] = &["eu", "ja", "para", "mim", "infelizmente", "realmente"];

/// "de manhã não posso", "à tarde não dá", "não consigo ir de manhã": a part of the day the
/// patient turns down, read into `refused` and left out of the wish, so that "de manhã não
/// posso, só à tarde" asks for the afternoon and "de manhã não dá não" for no part of the day.
/// Only the patient's own verbs count before the part of the day: "não dá de manhã?" asks
/// whether the morning is possible.
fn period_refused(rest: &[&str], refused: &mut Mentions) -> Option<usize> {
    if let Some(said) = leading_phrase(rest, NOT_SUITING) {
        let skip = said + usize::from(matches!(rest.get(said), Some(&("ir" | "vir" | "comparecer"))));
        return bare_period(rest.get(skip..)?, refused).map(|used| skip + used);
    }
    let mut period = Mentions::default();
    let used = bare_period(rest, &mut period)?;
    let after = &rest[used..];
    let between = after.iter().take(3).take_while(|word| BEFORE_THE_REFUSAL.contains(word)).count();
    let refusal = &after[between..];
    let said =
        leading_phrase(refusal, NOT_SUITING).or_else(|| leading_phrase(refusal, PERIOD_TURNED_DOWN))?;
    record(&mut refused.period, period.period);
    Some(used + between + said)
}

/// Words after a time of the clock that turn it down, besides those that turn down a part of
/// the day: the hour is too early or too late for the patient.
const TIME_TURNED_DOWN: &[&str] = &[
    "e muito cedo",
    "e cedo",
    "e cedinho",
    "muito cedo",
    "cedo demais",
    "fica cedo",
    "fica muito cedo",
    "e muito tarde",
    "e tarde",
    "muito tarde",
    "tarde demais",
    "fica tarde",
    "fica muito tarde",
];

/// "9h é muito cedo pra mim", "às 18h fica tarde", "14h não dá": a time of the clock the
/// patient turns down, read and left out of the wish, so that another time in the message is
/// the one asked for ("…, pode ser às 11h?"). Only words after the time count: "não dá às
/// 10?" asks whether 10 is possible.
fn time_refused(rest: &[&str]) -> Option<usize> {
    let (_, used) = clock_at(rest)?;
    let after = &rest[used..];
    let between = after.iter().take(3).take_while(|word| BEFORE_THE_REFUSAL.contains(word)).count();
    let refusal = &after[between..];
    let said = leading_phrase(refusal, NOT_SUITING)
        .or_else(|| leading_phrase(refusal, PERIOD_TURNED_DOWN))
        .or_else(|| leading_phrase(refusal, TIME_TURNED_DOWN))?;
    Some(used + between + said)
}

/// Verbs of the patient's own day that free her at a time: "saio do trabalho 16h", "minha
/// aula acaba 10h", "fico livre às 15h".
const OWN_DAY_ENDS: &[&str] = &[
    "saio",
    "largo",
    "acaba",
    "acabo",
    "termina",
    "termino",
    "chego do",
    "chego da",
    "volto do",
    "volto da",
    "fico livre",
    "estou livre",
];
/// Words at most between such a verb and its time: "saio do trabalho lá pelas 16h".
const OWN_DAY_REACH: usize = 4;

/// "só chego do trabalho 16h, tem 16h30?": when the patient's own day frees her is the
/// earliest start she can take (`after`), not the time she asks for, which another time later
/// in the message names. Without one, the time is the wish: "no fim do dia pq saio do trampo,
/// tipo 5 e meia".
fn own_day_ends(rest: &[&str], mentions: &mut Mentions) -> Option<usize> {
    let verb = leading_phrase(rest, OWN_DAY_ENDS)?;
    let (time, end) = (verb..=verb + OWN_DAY_REACH)
        .find_map(|at| clock_at(rest.get(at..)?).map(|(time, used)| (time, at + used)))?;
    let wished_later = (end..rest.len()).any(|at| clock_at(&rest[at..]).is_some());
    wished_later.then(|| {
        record(&mut mentions.after, Some(time));
        end
    })
}

/// A time of the clock that `words` start with, and how many words it takes.
fn clock_at(words: &[&str]) -> Option<(ClockMention, usize)> {
    let mut said = Mentions::default();
    let used = clock::read(words, &mut said)?;
    Some((said.clock?, used))
}

/// How many words the first of `phrases` that `words` starts with takes.
fn leading_phrase(words: &[&str], phrases: &[&str]) -> Option<usize> {
    phrases.iter().find_map(|phrase| {
        let len = phrase.split(' ').count();
        words.get(..len).is_some_and(|start| phrase.split(' ').eq(start.iter().copied())).then_some(len)
    })
}

/// A part of the day named alone ("de manhã", "à tarde"), without a time or an edge that
/// narrows it ("no fim da tarde" is a wish of its own), nor a greeting ("boa tarde").
fn bare_period(rest: &[&str], into: &mut Mentions) -> Option<usize> {
    let mut said = Mentions::default();
    let used = clock::read(rest, &mut said)?;
    let alone = said.clock.is_none() && said.after.is_none() && said.before.is_none();
    let period = said.period.filter(|_| alone)?;
    record(&mut into.period, Some(period));
    Some(used)
}

/// The part of the day `text` turns down: "de manhã não dá, só no fim da tarde" turns down
/// the morning. A slot shown in it is no pick.
pub fn turned_down_period(text: &str) -> Option<Period> {
    let normalized = normalize(text);
    let tokens: Vec<&str> = normalized.tokens().collect();
    let mut refused = Mentions::default();
    let mut i = 0;
    while i < tokens.len() {
        // A time read whole is skipped whole: the "tarde" of "boa tarde" is no part of the day.
        let rest = &tokens[i..];
        let used = period_refused(rest, &mut refused).or_else(|| clock::read(rest, &mut Mentions::default()));
        i += used.unwrap_or(1).max(1);
    }
    refused.period
}

/// "só estou em SP até amanhã", "fico aqui até sexta": a day after "até" is a deadline, and
/// the day asked for is another one when the message names it ("botox hoje à noite? só fico
/// até amanhã"). Alone ("consegue até sexta?") it is the day to look at. Read into `deadline`,
/// used only when no other day is named.
fn until_a_day(rest: &[&str], today: NaiveDate, deadline: &mut Mentions) -> Option<usize> {
    if rest.first() != Some(&"ate") {
        return None;
    }
    let after = rest.get(1..)?;
    let skip = usize::from(matches!(after, ["a" | "o", ..]));
    let used = days::read(after.get(skip..)?, today, deadline)?;
    Some(1 + skip + used)
}

/// Verbs of how the patient is or feels: "estou cansada", "acordei péssima".
const FEELING_VERBS: &[&str] =
    &["estou me sentindo", "estou", "ando", "fiquei", "acordei", "estava", "me sinto"];
/// Words that may stand between such a verb and the mood: "estou muito cansada".
const INTENSIFIERS: &[&str] = &["muito", "tao", "meio", "bem", "super", "mega"];
/// How the patient feels, not whether she is free ("estou livre hoje" asks for today).
const MOODS: &[&str] = &[
    "cansada",
    "cansado",
    "exausta",
    "exausto",
    "pessima",
    "pessimo",
    "mal",
    "triste",
    "estressada",
    "estressado",
    "irritada",
    "irritado",
    "chateada",
    "chateado",
    "brava",
    "bravo",
    "nervosa",
    "nervoso",
    "ansiosa",
    "ansioso",
    "doente",
    "morta",
    "morto",
    "acabada",
    "acabado",
    "baqueada",
    "baqueado",
    "indisposta",
    "indisposto",
    "desanimada",
    "desanimado",
    "puta",
    "possessa",
    "revoltada",
    "revoltado",
];

/// "estou cansada hoje, mas queria limpeza terça", "hoje acordei péssima": "hoje" said of the
/// patient's mood tells how she is, not when she wants to come, so it is read and left out of
/// the wish. "estou livre hoje" and "hoje à tarde tem?" keep today.
fn mood_of_today(rest: &[&str]) -> Option<usize> {
    let mood = |words: &[&str]| {
        let verb = leading_phrase(words, FEELING_VERBS)?;
        let between = words[verb..].iter().take(2).take_while(|word| INTENSIFIERS.contains(word)).count();
        MOODS.contains(words.get(verb + between)?).then_some(verb + between + 1)
    };
    if rest.first() == Some(&"hoje") {
        let subject = usize::from(rest.get(1) == Some(&"eu"));
        return mood(&rest[1 + subject..]).map(|used| 1 + subject + used);
    }
    let used = mood(rest)?;
    (rest.get(used) == Some(&"hoje")).then_some(used + 1)
}

/// "ontem à noite", "sexta passada às 10": a day gone by and the time said of it tell what
/// happened ("aquilo que eu te mandei ontem à noite"), so both are read and left out of the wish.
fn gone_by(rest: &[&str]) -> Option<usize> {
    let day = days::past(rest)?;
    let mut then = Mentions::default();
    let time = rest.get(day..).and_then(|after| clock::read(after, &mut then)).unwrap_or(0);
    Some(day + time)
}

impl Mentions {
    fn resolve(&self, today: NaiveDate) -> DateWish {
        let at = |clock: Option<ClockMention>| clock.and_then(|c| c.resolve(self.period));
        let (time, after, before) = (at(self.clock), at(self.after), at(self.before));
        // "de manhã não dá, só no fim da tarde": a part of the day that the times said cannot
        // fall in was turned down or slipped in; the times are the wish.
        let period = self.period.filter(|&period| {
            let starts = |time: NaiveTime| Period::of(time) == period;
            time.is_none_or(starts)
                && after.is_none_or(|after| period == Period::of(after) || after < period.start())
                && before.is_none_or(|before| before > period.start())
        });
        DateWish { date: self.date(today), time, period, after, before }
    }

    fn date(&self, today: NaiveDate) -> Option<DateSpec> {
        if let Some(day) = self.day {
            return Some(DateSpec::Day(day));
        }
        let range = self.range.map(|(first, last)| DateSpec::Range { first, last });
        match (self.weekday, range) {
            (Some(mention), Some(range)) => {
                let inside = range.first().iter_days().take(7).find(|d| d.weekday() == mention.weekday);
                match inside.filter(|d| range.contains(*d)) {
                    Some(day) => Some(DateSpec::Day(day)),
                    None => mention.resolve(today).map(DateSpec::Day),
                }
            }
            (Some(mention), None) => mention.resolve(today).map(DateSpec::Day),
            (None, range) => range,
        }
    }
}

impl WeekdayMention {
    fn resolve(self, today: NaiveDate) -> Option<NaiveDate> {
        let ahead = (self.weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
        let ahead = if ahead == 0 && !self.this_week { 7 } else { ahead };
        today.checked_add_days(Days::new(u64::from(ahead)))
    }
}

impl ClockMention {
    /// The wall-clock time meant, given the period the message asked for (if any).
    pub(crate) fn resolve(self, period: Option<Period>) -> Option<NaiveTime> {
        let hour = match (self.qualifier.or(period), self.hour) {
            (Some(Period::Tarde | Period::Noite), h) if h < 12 => h + 12,
            (None, h @ 1..=7) => h + 12,
            (_, h) => h,
        };
        NaiveTime::from_hms_opt(hour, self.minute, 0)
    }
}

/// Keeps the first mention of each kind: a later one is usually a detail or an alternative
/// ("sexta ou sábado"), which the dialogue asks about again rather than guessing.
fn record<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

#[cfg(test)]
mod tests;
