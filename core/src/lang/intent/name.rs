//! The name a patient gives for themselves: "meu nome é Ana Souza", "me chamo joão".

use super::phrases::NAME_INTRODUCERS;
use crate::lang::normalize::normalize;

/// The most words a name is read as: "Maria da Silva Souza".
const MAX_NAME_WORDS: usize = 4;

/// The name introduced by "meu nome é", "me chamo", "pode me chamar de" or "aqui é a", with
/// each word capitalised. Reading stops at the first word that is not part of a name
/// ("me chamo Ana e queria marcar" → "Ana").
pub fn detect_name(text: &str) -> Option<String> {
    // Original words (for the name's spelling) beside their folded form (for matching), and
    // whether punctuation ends the phrase there ("aqui é a Ana, tudo bem?").
    let words: Vec<(&str, String, bool)> = text
        .split_whitespace()
        .map(|raw| {
            let word = raw.trim_end_matches(|c: char| c.is_ascii_punctuation());
            (word, normalize(word).as_str().to_owned(), word.len() < raw.len())
        })
        .filter(|(word, _, _)| !word.is_empty())
        .collect();
    let folded: Vec<&str> = words.iter().map(|(_, folded, _)| folded.as_str()).collect();
    let start = NAME_INTRODUCERS.iter().find_map(|phrase| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        folded
            .windows(phrase.len())
            .position(|window| window == phrase.as_slice())
            .map(|at| at + phrase.len())
    })?;
    let mut name: Vec<String> = Vec::new();
    for (i, (word, folded, ends_phrase)) in words.iter().enumerate().skip(start) {
        let linking = matches!(folded.as_str(), "da" | "de" | "do" | "das" | "dos");
        let next_is_name = words.get(i + 1).is_some_and(|(_, next, _)| is_name_word(next));
        let continues = linking && !name.is_empty() && next_is_name && !ends_phrase;
        if name.len() == MAX_NAME_WORDS || !(is_name_word(folded) || continues) {
            break;
        }
        name.push(if linking { folded.clone() } else { capitalised(word) });
        if *ends_phrase {
            break;
        }
    }
    (!name.is_empty()).then(|| name.join(" "))
}

/// A word that can be part of a name: letters only, and not a word that goes on with the
/// sentence. A voice note runs on without commas ("aqui é a Maria bom dia tudo bem"), so a
/// greeting or a courtesy after the name ends it: read as a surname, it would overwrite the
/// patient's name with "Maria Bom Dia Tudo".
fn is_name_word(folded: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "e", "eu", "quero", "queria", "gostaria", "tenho", "sou", "estou", "preciso", "para", "pra", "com",
        "da", "de", "do", "que", "aqui", "mas", "so", "entao", "ne", "sim", "nao", "ok",
    ];
    const COURTESIES: &[&str] = &[
        "oi", "ola", "bom", "boa", "dia", "tarde", "noite", "tudo", "td", "bem", "blz", "beleza", "obrigada",
        "obrigado", "brigada", "obg", "por", "favor", "pfv", "pf", "bjs", "beijos", "abracos", "tchau",
    ];
    folded.len() >= 2
        && folded.chars().all(char::is_alphabetic)
        && !NOT_NAMES.contains(&folded)
        && !COURTESIES.contains(&folded)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}
