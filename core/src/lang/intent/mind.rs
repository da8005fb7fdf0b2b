//! A change of mind: "na verdade dá pra ser mais tarde?", "pensando bem, prefiro sexta". Said
//! right after a booking, it is about the appointment just made.

use super::mentions_any;
use crate::lang::normalize::normalize;

/// Phrases that take back what the patient said before, folded.
const CHANGING_MIND: &[&str] = &[
    "na verdade",
    "pensando bem",
    "mudei de ideia",
    "mudando de ideia",
    "mudei de planos",
    "mudei os planos",
    "reconsiderando",
    "melhor dizendo",
];

/// Whether the patient takes back what they said before: "na verdade…", "pensando bem…".
pub fn changes_mind(text: &str) -> bool {
    mentions_any(&normalize(text), CHANGING_MIND)
}

/// Insisting on what was turned down, folded: "quero fazer mesmo assim", "de qualquer jeito".
const INSISTING: &[&str] = &[
    "mesmo assim",
    "assim mesmo",
    "de qualquer jeito",
    "de qualquer forma",
    "de qualquer maneira",
    "nao quero avaliacao",
    "nao quero a avaliacao",
    "nao preciso de avaliacao",
    "sem avaliacao",
    "nao quero consulta",
    "eu me responsabilizo",
    "por minha conta",
];

/// Whether the patient insists on what Sofia turned down: "mas eu quero fazer mesmo assim".
pub fn insists_anyway(text: &str) -> bool {
    mentions_any(&normalize(text), INSISTING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insisting_on_what_was_turned_down_is_read() {
        for text in [
            "mas eu quero fazer mesmo assim, quinta às 15h",
            "nao quero avaliação nao, quero o preenchimento",
            "marca de qualquer jeito, eu me responsabilizo",
        ] {
            assert!(insists_anyway(text), "{text:?}");
        }
        for text in ["pode ser a avaliação quinta às 15h", "qualquer dia serve", "assim que der"] {
            assert!(!insists_anyway(text), "{text:?}");
        }
    }

    #[test]
    fn taking_back_what_was_said_is_a_change_of_mind() {
        for text in [
            "na verdade da pra ser mais tarde? tipo 11h",
            "Na verdade, prefiro às 15h",
            "pensando bem... sexta é melhor",
            "mudei de ideia, pode ser de manhã?",
            "ah, mudei de planos, tem quinta?",
        ] {
            assert!(changes_mind(text), "{text:?} changes the patient's mind");
        }
        for text in ["da pra ser mais tarde?", "quero marcar na sexta", "verdade, obrigada", "bem pensado"] {
            assert!(!changes_mind(text), "{text:?} takes nothing back");
        }
    }
}
