//! The checks that run before any dialogue: an emergency, a request for a human, an opt-out.

use super::mentions_any;
use super::phrases::{
    EMERGENCIES, EMERGENCY_NEGATIONS, HUMAN, OPT_OUT_FILLERS, OPT_OUT_KEYWORDS, OPT_OUT_PHRASES, PEOPLE,
    PUT_THROUGH,
};
use crate::lang::normalize::normalize;

/// Asks for a person: "falar com atendente", "quero falar com uma pessoa", "humano", "recepção";
/// or, in one clause, a verb that puts someone through and a person, in either order: "pode
/// alguém me ligar?", "me transfere pra alguém", "prefiro resolver com uma pessoa".
pub fn wants_human(text: &str) -> bool {
    mentions_any(&normalize(text), HUMAN)
        || text.split(['.', ',', ';', '!', '?', '\n']).any(|clause| {
            let clause = normalize(clause);
            mentions_any(&clause, PUT_THROUGH) && mentions_any(&clause, PEOPLE)
        })
}

/// Asks to stop receiving messages. A keyword ("SAIR", "PARAR", "STOP") counts only when it is
/// essentially the whole message, so "parar de fumar" or "quero sair mais cedo" do not; an
/// explicit request ("não quero mais receber mensagens", "cancelar mensagens") counts anywhere.
/// "quero cancelar minha consulta" is about an appointment, not about messages.
pub fn is_opt_out(text: &str) -> bool {
    let message = normalize(text);
    if mentions_any(&message, OPT_OUT_PHRASES) {
        return true;
    }
    let mut keywords = 0;
    for word in message.tokens() {
        if OPT_OUT_KEYWORDS.contains(&word) {
            keywords += 1;
        } else if !OPT_OUT_FILLERS.contains(&word) {
            return false;
        }
    }
    keywords > 0
}

/// Describes a medical emergency: "falta de ar", "dor no peito", "desmaiei", "reação alérgica
/// grave", "garganta fechando", "sangramento que não para", "convulsão".
///
/// A symptom the patient denies is not an emergency: "não estou com falta de ar", "não tenho dor
/// no peito", "sem falta de ar". A negation counts only within the same clause and a few words
/// before the symptom (a clause ends at punctuation and at "mas"), so "não! estou com falta de
/// ar" and "não sei, mas estou com falta de ar" still are; any symptom not denied makes the
/// message an emergency.
pub fn is_emergency(text: &str) -> bool {
    text.split(['.', ',', ';', '!', '?', '\n']).any(|part| {
        let part = normalize(part);
        let words: Vec<&str> = part.tokens().collect();
        words
            .split(|word| *word == "mas")
            .any(|clause| EMERGENCIES.iter().any(|symptom| affirms(clause, symptom)))
    })
}

/// How many words before a symptom a negation reaches: "não [estou com] falta de ar", "não
/// [tô sentindo] dor no peito". Further away it is likely about something else ("não sei se é
/// falta de ar").
const NEGATION_REACH: usize = 3;

/// Whether `symptom` occurs in `clause` (its words) at least once without a negation just
/// before it.
fn affirms(clause: &[&str], symptom: &str) -> bool {
    let wanted: Vec<&str> = symptom.split(' ').collect();
    (0..clause.len()).filter(|&at| clause[at..].starts_with(&wanted)).any(|at| {
        let before = &clause[at.saturating_sub(NEGATION_REACH)..at];
        !before.iter().any(|word| EMERGENCY_NEGATIONS.contains(word))
    })
}
