//! Whether a goodbye asks something besides. A question mark usually does, but not one that
//! closes a tag ("mais tarde eu falo com você, tá bom?", "depois te aviso ok?"): a tag only
//! seeks agreement with what was just said, so a goodbye that ends with one is still a goodbye.
//! Elsewhere the tag may well ask ("vou atrasar 10 min, tudo bem?"), so only goodbyes read it.

use crate::lang::normalize::{normalize, split_clauses};

/// Tags that close a statement, folded ("tá" folds to "esta", "blz" to "beleza"): "tá bom?",
/// "ok?", "beleza?", "combinado?".
const TAGS: &[&str] = &[
    "esta bom",
    "esta bem",
    "esta",
    "ok",
    "okay",
    "beleza",
    "combinado",
    "certo",
    "ne",
    "pode ser",
    "tudo bem",
    "fechado",
];

/// Words that make the clause a question whatever ends it: "quanto tá?", "e aí, como tá?".
const QUESTION_WORDS: &[&str] = &[
    "quanto", "quanta", "qual", "quais", "quando", "onde", "como", "que", "quem", "porque", "por que", "sera",
];

/// Whether a question mark in a goodbye asks something, rather than closing a tag. A bare "?"
/// or "??" asks: it is the patient waiting for an answer.
pub fn asks_past_a_tag(text: &str) -> bool {
    let mut asked: Vec<&str> = text.split('?').collect();
    // The text after the last '?' is not a question.
    asked.pop();
    let clauses: Vec<String> = asked
        .iter()
        // The clause is its last part: after its last comma or full stop.
        .map(|clause| clause.rsplit([',', '.', '!', ';', '\n']).next().unwrap_or(clause))
        .map(|tail| normalize(tail).as_str().to_owned())
        .filter(|tail| !tail.is_empty())
        .collect();
    if clauses.is_empty() {
        return !asked.is_empty();
    }
    // The statement a tag closes runs back to the sentence's start: "o estacionamento é
    // conveniado, certo?".
    let statements = asked.iter().map(|asked| asked.rsplit(['.', '!', ';', '\n']).next().unwrap_or(asked));
    clauses.iter().any(|clause| !closes_a_tag(clause)) || statements.into_iter().any(confirms_a_fact)
}

/// "a avaliação é de graça mesmo, né?", "vcs aceitam pix né?": a tag after something said of
/// the clinic (its prices, hours, address, payment, parking, aftercare), not after a goodbye of
/// the patient's own, seeks that fact's confirmation, which is a question.
fn confirms_a_fact(clause: &str) -> bool {
    use super::topics::detect_intents;
    let of_the_clinic = detect_intents(clause).iter().any(|intent| intent.is_about_the_clinic());
    of_the_clinic && !super::later::leaves_for_later(clause)
}

/// "ok", or a statement ending with one: "depois te aviso ok", never "quanto esta".
fn closes_a_tag(clause: &str) -> bool {
    let words: Vec<&str> = clause.split(' ').collect();
    TAGS.iter().any(|tag| {
        let tag: Vec<&str> = tag.split(' ').collect();
        words.ends_with(&tag)
            && (words.len() == tag.len()
                || !QUESTION_WORDS.iter().any(|question| {
                    let question: Vec<&str> = question.split(' ').collect();
                    (0..words.len())
                        .any(|at| words[at..].starts_with(&question) && !checked_first(&words[..at]))
                }))
    })
}

/// Verbs of finding something out, which turn the question word after them into what the
/// patient will find out: "vou ver com meu namorado que horas ele pode", "vou perguntar quando
/// ela folga".
const FINDING_OUT: &[&str] = &[
    "ver",
    "vejo",
    "saber",
    "sei",
    "perguntar",
    "pergunto",
    "checar",
    "conferir",
    "confirmar",
    "confirmo",
    "olhar",
    "decidir",
    "combinar",
    "combino",
    "descobrir",
    "verificar",
    "pensar",
];

/// How many words before a question word its verb of finding out may come: "ver [com meu
/// namorado] que horas".
const FINDING_OUT_REACH: usize = 4;

/// Whether the words just before a question word find something out, so the question is
/// the patient's own to settle, not one asked of Sofia.
fn checked_first(before: &[&str]) -> bool {
    before[before.len().saturating_sub(FINDING_OUT_REACH)..].iter().any(|word| FINDING_OUT.contains(word))
}

/// Asking for something without a question mark: "me passa o valor", "quero saber o preço".
const ASKING_FOR: &[&str] = &[
    "me passa",
    "me manda",
    "me envia",
    "me fala",
    "me diz",
    "me informa",
    "me explica",
    "quero saber",
    "queria saber",
    "gostaria de saber",
    "preciso saber",
];

/// Question words that open a question even without its mark: "quanto custa o botox, vou
/// pensar". Not "quando" nor "como", which open goodbyes too ("quando eu decidir te aviso").
const OPENING_QUESTION_WORDS: &[&str] = &["quanto", "quanta", "qual", "quais", "onde"];

/// Whether a message without a question that asks asks something all the same: a request for
/// information, or a clause opened by a question word. "vou ver o valor com meu marido e te
/// aviso" only names the price it will think over.
pub fn asks_without_a_mark(text: &str) -> bool {
    let message = normalize(text);
    ASKING_FOR.iter().any(|phrase| message.contains_phrase(phrase))
        || split_clauses(text).any(|clause| {
            normalize(clause).tokens().next().is_some_and(|first| OPENING_QUESTION_WORDS.contains(&first))
        })
}
