//! A clause saying something stays as it is: "o de manhã continua", "a da tarde pode manter".
//! Beside a change, it names what the change leaves alone, so two appointments on one day are
//! told apart by the one kept ("preciso mudar o horário da tarde, o de manhã continua").

use super::mentions_any;
use crate::lang::normalize::normalize;

/// Words that keep what the clause names, in folded form.
const KEPT: &[&str] = &[
    "continua",
    "continua igual",
    "permanece",
    "mantem",
    "mantenho",
    "pode manter",
    "fica como esta",
    "fica igual",
    "fica mantido",
    "fica mantida",
    "segue igual",
    "segue normal",
    "esta mantido",
    "esta mantida",
    "nao mexe",
    // "a limpeza eu vou normal": the patient still goes to that one.
    "vou normal",
    "vou normalmente",
];

/// Whether the clause says what it names stays as it is.
pub fn keeps_as_is(clause: &str) -> bool {
    mentions_any(&normalize(clause), KEPT)
}
