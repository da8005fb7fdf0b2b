//! Small word-level readers shared by the parsers: phrase prefixes and numbers.

/// Whether the words in `rest` begin with exactly `words`.
pub(crate) fn starts_with(rest: &[&str], words: &[&str]) -> bool {
    rest.len() >= words.len() && rest.iter().zip(words).all(|(a, b)| a == b)
}

/// A number written in digits ("12"). Four digits at most: longer runs are ids, phones or
/// amounts, never a day, an hour or an option.
pub(crate) fn digits(token: &str) -> Option<u32> {
    let short = (1..=4).contains(&token.len());
    if short && token.bytes().all(|b| b.is_ascii_digit()) { token.parse().ok() } else { None }
}

/// A number from one to twelve written as a word, as patients do for hours and counts.
pub fn number_word(token: &str) -> Option<u32> {
    let n = match token {
        "um" | "uma" => 1,
        "dois" | "duas" => 2,
        "tres" => 3,
        "quatro" => 4,
        "cinco" => 5,
        "seis" => 6,
        "sete" => 7,
        "oito" => 8,
        "nove" => 9,
        "dez" => 10,
        "onze" => 11,
        "doze" => 12,
        _ => return None,
    };
    Some(n)
}

/// A number from thirteen to twenty written as a word: hours past noon ("quinze horas") and
/// ages around the clinic's minimum ("dezessete anos").
pub(crate) fn teen_word(token: &str) -> Option<u32> {
    let n = match token {
        "treze" => 13,
        "quatorze" | "catorze" => 14,
        "quinze" => 15,
        "dezesseis" => 16,
        "dezessete" => 17,
        "dezoito" => 18,
        "dezenove" => 19,
        "vinte" => 20,
        _ => return None,
    };
    Some(n)
}

/// A number in digits or as a word.
pub(crate) fn number(token: &str) -> Option<u32> {
    digits(token).or_else(|| number_word(token))
}
