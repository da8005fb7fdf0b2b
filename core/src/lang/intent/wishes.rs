//! What a patient wants from the options being discussed: other slots, or any day at all.

use super::mentions_any;
use super::phrases::{ANY_DAY, EARLIEST, LATEST, MORE_OPTIONS};
use chrono::NaiveDate;

use crate::lang::normalize::normalize;
use crate::lang::when::parse_when;

/// Asks for other slots than those offered: "tem outro horário?", "nenhum desses", "mais opções".
pub fn asks_for_more_options(text: &str) -> bool {
    mentions_any(&normalize(text), MORE_OPTIONS)
}

/// Leaves the day to the clinic: "qualquer dia", "o quanto antes", "o mais próximo", "tanto faz".
/// Words that only ask for the earliest slot ("o primeiro horário livre", "o horário mais
/// próximo", see [`wants_earliest`]) open no day by themselves: that slot is the earliest of the
/// day already asked for. Said besides, "qualquer dia serve" opens it.
pub fn leaves_day_open(text: &str) -> bool {
    let message = normalize(text);
    let mut words: Vec<&str> = message.tokens().collect();
    let at =
        |words: &[&str], phrase: &[&str]| words.windows(phrase.len()).position(|window| window == phrase);
    for phrase in EARLIEST {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        while let Some(start) = at(&words, &phrase) {
            // A stop where it was, so no phrase is read across the gap.
            words.splice(start..start + phrase.len(), [""]);
        }
    }
    ANY_DAY.iter().any(|phrase| at(&words, &phrase.split(' ').collect::<Vec<_>>()).is_some())
}

/// As soon as possible, in so many words: "o mais cedo possível", "o quanto antes".
const SOONEST: &[&str] = &[
    "o quanto antes",
    "quanto antes",
    "mais cedo possivel",
    "mais rapido possivel",
    "assim que possivel",
    "assim que der",
    "com urgencia",
    "urgente",
    "asap",
    "mais breve possivel",
    "o quanto antes possivel",
];

/// Words that make a clause naming a day a wish for it: "pode ser sábado?", "de preferência
/// sábado", "sábado é melhor".
const WISHING: &[&str] = &[
    "pode ser",
    "de preferencia",
    "prefiro",
    "preferencia",
    "melhor",
    "quero",
    "queria",
    "gostaria",
    "tem",
    "consegue",
    "da para",
    "marca",
    "marcar",
    "agendar",
    "horario",
    "vaga",
];

/// "o mais cedo possível, tenho festa sábado 🎉": as soon as possible, and a day named only
/// in another clause that does not ask for it. That day is the patient's occasion (a party, a
/// trip, a wedding), the reason for the hurry, not the day wanted: the soonest slot is, and it
/// must come before the occasion. A day in the same clause narrows the wish ("o quanto antes
/// na sexta"), and one asked for in its own clause is wanted ("o mais cedo possível, pode ser
/// sábado?"). Returns the occasion's (first) day.
pub fn occasion_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    // Cut at " e " too: "viajo dia 14 e queria fazer antes" names the day in a clause of its
    // own, and the wish is for before it.
    let clauses: Vec<&str> = text
        .split_inclusive(['\n', ',', '.', ';', '!', '?'])
        .flat_map(|clause| clause.split(" e "))
        .filter(|clause| !clause.trim().is_empty())
        .collect();
    let soonest = |clause: &str| mentions_any(&normalize(clause), SOONEST);
    let day_named = |clause: &str| parse_when(clause, today).date;
    let wishes = |clause: &str| clause.contains('?') || mentions_any(&normalize(clause), WISHING);
    let naming_a_day: Vec<&str> =
        clauses.iter().copied().filter(|clause| day_named(clause).is_some()).collect();
    let is_occasion = clauses.iter().any(|clause| soonest(clause))
        && naming_a_day.iter().all(|clause| !soonest(clause) && !wishes(clause));
    naming_a_day.first().filter(|_| is_occasion).and_then(|clause| day_named(clause)).map(|day| day.first())
}

/// Asks for the earliest free slot itself rather than a day: "o primeiro horário livre", "a
/// próxima vaga", "o primeiro que tiver", "a data mais próxima". Sofia proposes that slot.
pub fn wants_earliest(text: &str) -> bool {
    let message = normalize(text);
    mentions_any(&message, EARLIEST) || names_the_nearest_slot(&message.tokens().collect::<Vec<_>>())
}

/// What a slot is called when asking for the nearest one: "primeira data", "dia mais próximo".
/// Not "consulta" nor "atendimento": "minha primeira consulta" is the first visit.
const SLOT_NOUNS: &[&str] = &["horario", "horarios", "vaga", "vagas", "data", "datas", "dia", "dias", "hora"];
/// Words that make the day named a date or a part of something, not the nearest free one:
/// "próximo dia 12", "primeiro dia do mês".
const NOT_THE_NEAREST_AFTER: &[&str] = &["do", "da", "de", "dos", "das"];

/// "a primeira data disponível", "próximo dia livre", "o dia mais próximo que tiver": the first
/// or the nearest slot by its shape, an ordinal before a slot's noun or "mais próximo" after it.
fn names_the_nearest_slot(words: &[&str]) -> bool {
    let names_a_slot = |at: usize| {
        words.get(at).is_some_and(|word| SLOT_NOUNS.contains(word))
            && words.get(at + 1).is_none_or(|next| {
                !next.starts_with(|c: char| c.is_ascii_digit()) && !NOT_THE_NEAREST_AFTER.contains(next)
            })
    };
    (0..words.len()).any(|at| match words[at] {
        "primeiro" | "primeira" | "proximo" | "proxima" => names_a_slot(at + 1),
        // "o 1º horário livre": the ordinal indicator folds away, the article stays.
        "1" | "1o" | "1a" => {
            at.checked_sub(1).is_some_and(|before| matches!(words[before], "o" | "a")) && names_a_slot(at + 1)
        }
        "mais" => {
            matches!(words.get(at + 1), Some(&("proximo" | "proxima")))
                && at.checked_sub(1).is_some_and(|noun| SLOT_NOUNS.contains(&words[noun]))
        }
        _ => false,
    })
}

/// "último horário", "última vaga": the last of the day, when words after it say of what.
const LAST: &[&str] = &["ultimo horario", "ultima vaga", "ultima hora", "ultimo atendimento", "ultimo"];
/// What makes "o último horário" the day's rather than the last option shown: "do dia", "de
/// quinta", "livre", "que tiver", "possível".
const OF_WHAT: &[&str] = &[
    "do",
    "da",
    "de",
    "no",
    "na",
    "livre",
    "livres",
    "disponivel",
    "vago",
    "que",
    "possivel",
    "hoje",
    "amanha",
];

/// The time of the appointment being moved, kept on its new day: "pra segunda no mesmo
/// horário", "mesma hora na quinta".
const SAME_TIME: &[&str] = &["mesmo horario", "mesma hora", "mesmo hora", "mesmo horarios", "mesma horario"];

/// Keeps the time of the appointment being moved: "consigo passar pra segunda no mesmo horário?".
pub fn keeps_the_time(text: &str) -> bool {
    mentions_any(&normalize(text), SAME_TIME)
}

/// The day of the appointment being moved, kept: "trocar pro fim da tarde desse mesmo dia".
const SAME_DAY: &[&str] = &["mesmo dia", "mesma data"];

/// Keeps the day of the appointment being moved, at another time: "dá pra passar pro fim da
/// tarde do mesmo dia?".
pub fn keeps_the_day(text: &str) -> bool {
    mentions_any(&normalize(text), SAME_DAY)
}

/// Asks for the day's last free slot: "qual o último horário do dia?", "a última vaga de
/// quinta", "o mais tarde possível". A bare "o último" picks the last option shown instead.
pub fn wants_latest(text: &str) -> bool {
    let message = normalize(text);
    if mentions_any(&message, LATEST) {
        return true;
    }
    let words: Vec<&str> = message.tokens().collect();
    (0..words.len()).any(|at| {
        LAST.iter().any(|last| {
            let last: Vec<&str> = last.split(' ').collect();
            words.get(at..at + last.len()) == Some(last.as_slice())
                && words.get(at + last.len()).is_some_and(|next| OF_WHAT.contains(next))
                // "o último do dia", never "o último de vocês" nor "o último que vocês mostraram".
                && (last.len() > 1 || words.get(at + 2) == Some(&"dia"))
        })
    })
}

/// Later or earlier than the time being talked about: the slots shown, or the appointment moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    Later,
    Earlier,
}

/// "tem algum mais tarde?", "mais pro fim do dia", "pode ser mais cedo?": a shift from the time
/// being talked about, without naming a time.
pub fn asks_to_shift(text: &str) -> Option<Shift> {
    // "pro" folds to "para": "mais pro fim do dia" reads "mais para fim do dia".
    const LATER: [&str; 7] = [
        "mais tarde",
        "mais para o fim",
        "mais para fim",
        "mais para o final",
        "mais para final",
        "mais no fim",
        "mais para tarde",
    ];
    const EARLIER: [&str; 4] = ["mais cedo", "mais para o inicio", "mais para inicio", "mais para cedo"];
    let message = normalize(text);
    if mentions_any(&message, &LATER) {
        Some(Shift::Later)
    } else if mentions_any(&message, &EARLIER) {
        Some(Shift::Earlier)
    } else {
        None
    }
}
