//! Praise for the clinic, its team or a result: "amei, vcs são ótimas", "a Juliana é um amor",
//! "ficou perfeito, super recomendo". The answer is a thank-you, not a passage of the clinic's
//! knowledge about the service the praise names.
//!
//! Two shapes: words that praise whatever follows them ("amei", "arrasaram", "nota 10"), and a
//! word of quality said of someone or something ("vocês são ótimas", "o resultado ficou lindo").
//! A quality word alone ("perfeito", "ótimo") is how patients say yes, so it needs its subject.
//! Either is taken back by a negation just before it ("não amei", "não ficou bom").

use super::phrases::{NEGATIONS, PRAISE, PRAISED_BY, QUALITIES};
use crate::lang::normalize::normalize;

/// How many words before a praise word a negation reaches: "não [gostei] muito", "nem [ficou]
/// tão bom".
const NEGATION_REACH: usize = 2;

/// How many words after its subject a quality word may come: "vocês [são] ótimas", "ficou
/// [muito] lindo", "a equipe [de vocês é] maravilhosa".
const QUALITY_REACH: usize = 3;

/// Praises the clinic, its team or a result.
pub fn is_praise(text: &str) -> bool {
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    let negated =
        |at: usize| words[at.saturating_sub(NEGATION_REACH)..at].iter().any(|w| NEGATIONS.contains(w));
    let phrase_at = |at: usize, phrase: &str| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        words.get(at..at + parts.len()) == Some(parts.as_slice())
    };
    let praises = |at: usize| PRAISE.iter().any(|phrase| phrase_at(at, phrase));
    let qualifies = |at: usize| {
        QUALITIES.contains(&words[at])
            && words[at.saturating_sub(QUALITY_REACH)..at].iter().any(|before| PRAISED_BY.contains(before))
    };
    (0..words.len()).any(|at| (praises(at) || qualifies(at)) && !negated(at))
}
