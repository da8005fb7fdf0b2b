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

#[cfg(test)]
mod tests {
    use super::*;

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
