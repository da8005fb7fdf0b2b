//! The age a message states: "tenho 16 anos", "minha filha de 15", "ela tem quinze anos".

use crate::lang::normalize::normalize;
use crate::lang::words::{digits, number_word, teen_word};

/// Oldest age taken at face value; anything above is a typo or not an age.
const MAX_AGE: u32 = 120;

/// The first age the message states, if any. A number is an age when followed by "anos"
/// after a word that introduces one ("tenho 16 anos", "com 17 anos", "de 15 anos"), when it
/// opens the message ("16 anos"), after "idade", after "filha de"/"filho de" even without
/// "anos", or after "tenho" (or "tem" said of a child: "minha filha tem 16") when nothing
/// follows that makes the number a count ("tenho 17, posso?" but not "tenho 2 filhos"). "Fiz
/// botox há 2 anos" states a time, not an age.
pub fn detect_age(text: &str) -> Option<u8> {
    let message = normalize(text);
    let tokens: Vec<&str> = message.tokens().collect();
    tokens.iter().enumerate().find_map(|(i, word)| {
        let age = age_number(word)?;
        let before = i.checked_sub(1).map(|b| tokens[b]);
        let two_before = i.checked_sub(2).map(|b| tokens[b]);
        let years_follow = matches!(tokens.get(i + 1), Some(&("anos" | "aninhos")));
        let introduced = matches!(
            before,
            None | Some(
                "tenho"
                    | "tem"
                    | "com"
                    | "de"
                    | "completei"
                    | "completa"
                    | "completou"
                    | "fiz"
                    | "fez"
                    | "idade"
            )
        );
        let child_of = matches!(before, Some("de")) && two_before.is_some_and(is_relative);
        let labelled = matches!(before, Some("idade"));
        // "tenho 17, posso fazer?": no "anos", but nothing after the number makes it a count.
        // "minha filha tem 16 e quer": "tem" said of a relative or of "ela"/"ele" claims an age too.
        let said_of_someone = matches!(before, Some("tem"))
            && two_before.is_some_and(|word| is_relative(word) || matches!(word, "ela" | "ele"));
        let bare_claim = (matches!(before, Some("tenho" | "sou")) || said_of_someone)
            && (12..=99).contains(&age)
            && matches!(
                tokens.get(i + 1),
                None | Some(&("e" | "mas" | "posso" | "pode" | "entao" | "ainda"))
            );
        ((years_follow && introduced) || child_of || labelled || bare_claim).then_some(age)
    })
}

fn age_number(word: &str) -> Option<u8> {
    let age = digits(word).or_else(|| spelled_age(word))?;
    u8::try_from(age).ok().filter(|a| (1..=MAX_AGE).contains(&u32::from(*a)))
}

/// Whether someone to be seen is under `minimum` years old: an age below it, "menor de idade",
/// "adolescente", or the minimum not reached yet ("ela ainda não fez 18", "não tem 18").
pub fn says_under_age(text: &str, minimum: u8) -> bool {
    let message = normalize(text);
    let not_yet = ["nao fez", "nao tem", "nao completou", "menor de"]
        .iter()
        .any(|phrase| message.contains_phrase(&format!("{phrase} {minimum}")));
    detect_age(text).is_some_and(|age| age < minimum)
        || not_yet
        || ["menor de idade", "adolescente"].iter().any(|phrase| message.contains_phrase(phrase))
}

/// The ages around the clinic's minimum, spelled out: twelve to twenty.
fn spelled_age(word: &str) -> Option<u32> {
    number_word(word).filter(|n| *n == 12).or_else(|| teen_word(word))
}

fn is_relative(word: &str) -> bool {
    matches!(
        word,
        "filha"
            | "filho"
            | "enteada"
            | "enteado"
            | "sobrinha"
            | "sobrinho"
            | "neta"
            | "neto"
            | "menina"
            | "menino"
    )
}
