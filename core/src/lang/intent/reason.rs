//! The reason a message gives for what it asks: "quero cancelar pq vou viajar".

use crate::lang::normalize::normalize;

/// A reason says more than a word such as "sim".
const MIN_LETTERS: usize = 3;

/// The words after "porque" ("pq"), "pois", "por causa" or "motivo", as the patient wrote them.
pub fn stated_reason(text: &str) -> Option<String> {
    const CONNECTIVES: [&[&str]; 5] = [&["porque"], &["pois"], &["por", "causa"], &["motivo"], &["devido"]];
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|word| normalize(word).as_str().to_owned()).collect();
    let after = (0..folded.len()).find_map(|i| {
        CONNECTIVES.iter().find_map(|connective| {
            let fits =
                connective.iter().enumerate().all(|(k, word)| folded.get(i + k).is_some_and(|f| f == word));
            fits.then_some(i + connective.len())
        })
    })?;
    let reason = words[after..].join(" ");
    let reason = reason.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '.' | '-'));
    (reason.chars().filter(|c| c.is_alphabetic()).count() > MIN_LETTERS).then(|| reason.to_owned())
}
