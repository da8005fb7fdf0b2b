//! What a patient says about their health that rules a procedure out until a professional has
//! seen them: the contraindication cues each service lists in the clinic file ("amamentando",
//! "isotretinoína"), found in a message whatever its accents, case or small typos.

use super::fuzzy::closeness;
use crate::clinic::Clinic;
use crate::lang::normalize::normalize;

/// Every contraindication cue of the clinic's services that `text` mentions, as the clinic
/// file writes it, each once. A cue's words must follow one another in the message, and a cue
/// the patient denies ("não estou grávida") does not count.
pub fn health_cues<'c>(clinic: &'c Clinic, text: &str) -> Vec<&'c str> {
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    let mut cues: Vec<&str> = Vec::new();
    for cue in clinic.services.iter().flat_map(|service| &service.contraindications) {
        if !cues.contains(&cue.as_str()) && mentions(&words, cue) {
            cues.push(cue);
        }
    }
    cues
}

/// Words that deny a cue just before it: "não estou grávida", "nem amamentando".
const NEGATIONS: [&str; 4] = ["nao", "nem", "sem", "nunca"];

/// How many words before a cue a negation reaches ("não [estou] grávida").
const NEGATION_REACH: usize = 3;

/// Shorter cue words must be spelled right: "gestante" is two edits from "restante".
const TYPO_FROM_LETTERS: usize = 9;

fn mentions(words: &[&str], cue: &str) -> bool {
    let cue = normalize(cue);
    let cue: Vec<&str> = cue.tokens().collect();
    if cue.is_empty() || words.len() < cue.len() {
        return false;
    }
    (0..=words.len() - cue.len()).any(|at| {
        let spelled = words[at..].iter().zip(&cue).all(|(typed, known)| {
            typed == known || (known.len() >= TYPO_FROM_LETTERS && closeness(typed, known).is_some())
        });
        let before = &words[at.saturating_sub(NEGATION_REACH)..at];
        spelled && !before.iter().any(|word| NEGATIONS.contains(word))
    })
}
