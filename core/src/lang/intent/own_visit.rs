//! A question about a visit the patient already has: "minha limpeza de quinta é que horas
//! mesmo?", "esqueci o horário do meu botox", "só pra confirmar, minha limpeza é sábado às 10,
//! né?". It names the visit as the patient's own and asks when it is, or with whom, or whether it
//! still stands; it does not ask for a slot.

use super::mentions_any;
use crate::lang::normalize::normalize;

/// The patient's own: "meu", "minha" (and plurals).
const OWN: &[&str] = &["meu", "minha", "meus", "minhas"];

/// What a visit is called right after the possessive: the generic names and the procedures
/// patients name most. "minha mãe" and "meu horário de almoço" are not visits.
const VISITS: &[&str] = &[
    "consulta",
    "avaliacao",
    "sessao",
    "procedimento",
    "agendamento",
    "atendimento",
    "retorno",
    "aplicacao",
    "limpeza",
    "botox",
    "peeling",
    "microagulhamento",
    "preenchimento",
    "harmonizacao",
    "skinbooster",
    "papada",
    "horario",
];

/// Asks when, or with whom, the visit is, or whether it stands: "que horas", "quando é",
/// "ficou marcada", "ainda tá de pé", "esqueci o horário", "me lembra".
const WHEN_IT_IS: &[&str] = &[
    "que horas",
    "qual horario",
    "qual o horario",
    "que dia",
    "qual dia",
    "qual o dia",
    "quando e",
    "quando sera",
    "e quando",
    "ficou marcado",
    "ficou marcada",
    "ficou agendado",
    "ficou agendada",
    "ficou para",
    "esta marcado",
    "esta marcada",
    "ta marcado",
    "ta marcada",
    "de pe",
    "continua marcado",
    "continua marcada",
    "esqueci",
    "me lembra",
    "me lembrar",
    "me lembre",
    "com quem",
    "quem vai me atender",
    "de manha ou",
    "de tarde ou",
];

/// Words of a new booking or a change: "que dia tem pra marcar minha limpeza?" asks for a slot,
/// "que dia posso remarcar meu botox?" for a move.
const ASKS_FOR_A_SLOT: &[&str] = &[
    "marcar",
    "agendar",
    "remarcar",
    "desmarcar",
    "cancelar",
    "mudar",
    "trocar",
    "passar",
    "adiar",
    "vaga",
    "vagas",
    "disponivel",
    "livre",
    "encaixe",
    "tem",
];

/// A check that ends in a tag: "minha limpeza é sábado às 10, né?".
const TAGS: &[&str] = &["ne", "neh", "certo", "correto", "isso"];

/// Whether the message asks about a visit the patient already has (see the module's docs).
pub fn asks_about_own_visit(text: &str) -> bool {
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    let names_own_visit = words.windows(2).any(|pair| OWN.contains(&pair[0]) && VISITS.contains(&pair[1]))
        // "meu horário de almoço" is the patient's day, not a visit.
        && !message.contains_phrase("horario de");
    if !names_own_visit || words.iter().any(|word| ASKS_FOR_A_SLOT.contains(word)) {
        return false;
    }
    let checks_by_a_tag =
        text.trim_end().ends_with('?') && words.last().is_some_and(|last| TAGS.contains(last));
    mentions_any(&message, WHEN_IT_IS) || checks_by_a_tag
}
