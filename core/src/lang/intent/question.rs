//! What a goodbye asks besides. A question mark usually does, but not one that
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
    // Regional: "mais tarde eu lhe dou notícia, visse?".
    "visse",
    "viu",
];

/// Words that make the clause a question whatever ends it: "quanto tá?", "e aí, como tá?".
const QUESTION_WORDS: &[&str] = &[
    "quanto", "quanta", "qual", "quais", "quando", "onde", "como", "que", "quem", "porque", "por que", "sera",
];

/// "a avaliação é de graça mesmo, né?", "vcs aceitam pix né?": a tag after something said of
/// the clinic (its prices, hours, address, payment, parking, aftercare), not after a goodbye of
/// the patient's own, seeks that fact's confirmation, which is a question.
fn confirms_a_fact(clause: &str) -> bool {
    (of_the_clinic(clause) || says_what_the_clinic_does(clause)) && !super::later::leaves_for_later(clause)
}

/// "cês dão nota fiscal, né?", "vocês aceitam convênio, certo?": a statement of what the clinic
/// does, its subject "vocês", which the tag after it asks to confirm.
fn says_what_the_clinic_does(clause: &str) -> bool {
    let folded = normalize(clause);
    let mut words = folded.tokens().skip_while(|word| matches!(*word, "e" | "mas" | "ah" | "uai" | "entao"));
    words.next() == Some("voces") && words.next().is_some()
}

/// Whether the clause names something of the clinic's: its prices, hours, address, payment,
/// parking, aftercare, how long a session takes.
fn of_the_clinic(clause: &str) -> bool {
    super::topics::detect_intents(clause).iter().any(|intent| intent.is_about_the_clinic())
}

/// "ok", or a statement ending with one: "depois te aviso ok", never "quanto esta".
fn closes_a_tag(clause: &str) -> bool {
    let words: Vec<&str> = clause.split(' ').collect();
    TAGS.iter().any(|tag| {
        let tag: Vec<&str> = tag.split(' ').collect();
        words.ends_with(&tag) && (words.len() == tag.len() || !asks_by_its_words(clause))
    })
}

/// A question word the patient asks with, not one of what they will find out first: "quanto
/// fica", never "vou ver com meu namorado que horas ele pode".
fn asks_by_its_words(clause: &str) -> bool {
    let words: Vec<&str> = clause.split(' ').collect();
    QUESTION_WORDS.iter().any(|question| {
        let question: Vec<&str> = question.split(' ').collect();
        (0..words.len()).any(|at| words[at..].starts_with(&question) && !checked_first(&words[..at]))
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

/// Words that open a question asking what is allowed or needed, which a tag does not close:
/// "posso levar acompanhante, né?", "precisa ir de jejum né?".
const ASKS_LEAVE: &[&str] =
    &["posso", "pode", "podemos", "da para", "precisa", "tem que", "devo", "tenho que"];

/// What a goodbye for now asks besides, in the patient's words: "vou pensar e te falo. dói
/// muito?" asks "dói muito". The clauses that are not the goodbye's own, when one of them asks:
/// a question mark past a tag, a permission asked with a tag, or a request for information.
/// `None` when the goodbye asks nothing ("mais tarde eu falo com você, tá bom?").
pub fn asked_beside_goodbye(text: &str) -> Option<String> {
    let mut asks = false;
    let mut besides = Vec::new();
    let mut last_besides: Option<&str> = None;
    for (clause, marked) in clauses_with_their_mark(text) {
        let folded = normalize(clause);
        let words = folded.as_str();
        if words.is_empty() {
            continue;
        }
        if super::later::leaves_for_later(clause) {
            // "vou ver com meu marido e te falo qual o valor mesmo?", "vou ver e te falo 🙏 posso
            // parcelar?": asked in the goodbye's own clause, unless a tag closes it.
            if marked && !closes_a_tag(words) && (asks_by_its_words(words) || of_the_clinic(clause)) {
                asks = true;
                besides.push(clause.trim());
            }
            last_besides = None;
            continue;
        }
        if is_a_tag(words) {
            // "o estacionamento é conveniado, certo?": the tag asks to confirm the fact before it.
            asks |= marked && last_besides.is_some_and(confirms_a_fact);
            continue;
        }
        asks |= (marked
            && (!closes_a_tag(words)
                || ASKS_LEAVE.iter().any(|leave| folded.starts_with_phrase(leave))
                || confirms_a_fact(clause)))
            || asks_without_a_mark(clause);
        besides.push(clause.trim());
        last_besides = Some(clause);
    }
    asks.then(|| besides.join(", "))
}

/// What a lost patient puts a question mark after without asking anything: "hã?", "hein?",
/// "ué?", "como assim?".
const BEWILDERED: &[&str] =
    &["ha", "hein", "hm", "hmm", "ue", "que", "o que", "como", "como assim", "ahn", "eh"];

/// Whether a question mark in the message asks something, rather than showing the patient
/// lost: "hã? não entendi nada" asks nothing, "não entendi, quanto custa?" does.
pub fn asks_by_a_mark(text: &str) -> bool {
    clauses_with_their_mark(text).any(|(clause, marked)| {
        let folded = normalize(clause);
        marked && !folded.is_empty() && !BEWILDERED.contains(&folded.as_str())
    })
}

/// A tag alone: "tá bom?", "ok?".
fn is_a_tag(words: &str) -> bool {
    TAGS.contains(&words)
}

/// The message's clauses, each with whether a question mark ends it.
fn clauses_with_their_mark(text: &str) -> impl Iterator<Item = (&str, bool)> {
    let mut rest = text;
    split_clauses(text).map(move |clause| {
        let after = rest.get(clause.len()..).unwrap_or_default();
        let marked = after.starts_with('?');
        rest = after.get(after.chars().next().map_or(0, char::len_utf8)..).unwrap_or_default();
        (clause, marked)
    })
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
