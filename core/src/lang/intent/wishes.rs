//! What a patient wants from the options being discussed: other slots, or any day at all.

use super::mentions_any;
use super::phrases::{ANY_DAY, EARLIEST, LATEST, MORE_OPTIONS};
use crate::lang::normalize::normalize;

/// Asks for other slots than those offered: "tem outro horário?", "nenhum desses", "mais opções".
pub fn asks_for_more_options(text: &str) -> bool {
    mentions_any(&normalize(text), MORE_OPTIONS)
}

/// Leaves the day to the clinic: "qualquer dia", "o quanto antes", "o mais próximo", "tanto faz".
pub fn leaves_day_open(text: &str) -> bool {
    mentions_any(&normalize(text), ANY_DAY)
}

/// Asks for the earliest free slot itself rather than a day: "o primeiro horário livre", "a
/// próxima vaga", "o primeiro que tiver". Sofia proposes that slot.
pub fn wants_earliest(text: &str) -> bool {
    mentions_any(&normalize(text), EARLIEST)
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
