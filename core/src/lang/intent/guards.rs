//! The checks that run before any dialogue: an emergency, a request for a human, an opt-out.

use super::mentions_any;
use super::phrases::{EMERGENCIES, HUMAN, OPT_OUT_FILLERS, OPT_OUT_KEYWORDS, OPT_OUT_PHRASES};
use crate::lang::normalize::normalize;

/// Asks for a person: "falar com atendente", "quero falar com uma pessoa", "humano", "recepção".
pub fn wants_human(text: &str) -> bool {
    mentions_any(&normalize(text), HUMAN)
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
pub fn is_emergency(text: &str) -> bool {
    mentions_any(&normalize(text), EMERGENCIES)
}
