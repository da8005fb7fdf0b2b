//! What a patient wants from the options being discussed: other slots, or any day at all.

use super::mentions_any;
use super::phrases::{ANY_DAY, EARLIEST, MORE_OPTIONS};
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
