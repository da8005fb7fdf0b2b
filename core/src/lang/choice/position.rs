//! Reads a position in a numbered list: "1", "1)", "opção 2", "a segunda", "o último".

use crate::lang::words::digits;

/// The position (from 1) the message names, if it names one. It may be past the end of the
/// list; the caller decides what that means.
pub(super) fn read(tokens: &[&str], count: usize) -> Option<usize> {
    tokens.iter().enumerate().find_map(|(i, word)| {
        let before = i.checked_sub(1).map(|b| tokens[b]);
        let after = tokens.get(i + 1).copied();
        ordinal(word, before, after, count).or_else(|| numeral(tokens, i, before, after))
    })
}

/// "primeiro", "a segunda", "3a", "o último". The feminine "segunda", "quarta", "quinta" and
/// "sexta" are also weekdays: they count as positions only after an article ("a segunda") or
/// before "opção", never before "feira" or after "de"/"na" ("o de segunda" is Monday's).
fn ordinal(word: &str, before: Option<&str>, after: Option<&str>, count: usize) -> Option<usize> {
    if matches!(after, Some("vez" | "feira")) {
        return None;
    }
    if is_first_as_adverb(word, before, after) {
        return None;
    }
    let position = match word {
        "primeiro" | "primeira" | "1o" | "1a" => 1,
        "segundo" | "2o" | "2a" => 2,
        "terceiro" | "terceira" | "3o" | "3a" => 3,
        "quarto" | "4o" | "4a" => 4,
        "quinto" | "5o" | "5a" => 5,
        "sexto" | "6o" | "6a" => 6,
        "ultimo" | "ultima" => count,
        "penultimo" | "penultima" => count.checked_sub(1)?,
        "segunda" | "quarta" | "quinta" | "sexta" => {
            let article = matches!(before, Some("a" | "o"));
            let noun = matches!(after, Some("opcao" | "alternativa" | "opcoes"));
            if !(article || noun) {
                return None;
            }
            match word {
                "segunda" => 2,
                "quarta" => 4,
                "quinta" => 5,
                _ => 6,
            }
        }
        _ => return None,
    };
    Some(position)
}

/// "2", "2)", "opção 2", "a 2", "número 2". A number counts as a position only when it is the
/// whole message or follows a word that introduces one, so "às 2" and "dia 2" are not.
fn numeral(tokens: &[&str], i: usize, before: Option<&str>, after: Option<&str>) -> Option<usize> {
    let number = usize::try_from(digits(tokens[i])?).ok()?;
    let introduced = matches!(before, Some("opcao" | "numero" | "alternativa" | "item" | "a" | "o"));
    let alone = tokens.len() == 1;
    let time_follows = matches!(after, Some("h" | "hs" | "hora" | "horas" | "e" | "da" | "de"));
    ((alone || introduced) && !time_follows).then_some(number)
}

/// Words that may come right before a position picked: an article, a preposition that takes
/// one ("no primeiro"), a verb of choosing ("quero a primeira"), or a tourist's article ("la
/// primera", "the first").
const BEFORE_A_POSITION: &[&str] = &[
    "o", "a", "os", "as", "no", "na", "pelo", "pela", "do", "da", "ser", "quero", "querer", "prefiro",
    "escolho", "fico", "pego", "e", "la", "el", "the",
];

/// "vou ver minha agenda primeiro": "primeiro" closing a clause after anything but an article or
/// a verb of choosing means "first", not the first option.
fn is_first_as_adverb(word: &str, before: Option<&str>, after: Option<&str>) -> bool {
    matches!(word, "primeiro" | "primeira")
        && after.is_none()
        && before.is_some_and(|before| !BEFORE_A_POSITION.contains(&before))
}
