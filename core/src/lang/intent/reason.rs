//! The reason a message gives for what it asks: "quero cancelar pq vou viajar", or "preciso
//! desmarcar a de quinta" and "meu filho ficou doente" sent together.

use super::replies::{is_affirmative, is_greeting, is_negative, is_thanks};
use super::topics::{Intent, detect_intents};
use crate::lang::normalize::normalize;

/// A reason says more than a word such as "sim".
const MIN_LETTERS: usize = 3;

/// The words (folded) that ask for the change itself, or name the patient's own appointment
/// ("minha consulta"): the clause holding one is the request, not the reason. A bare "horário"
/// is not one: "marquei dentista no mesmo horário" is why.
const REQUEST_WORDS: &[&str] = &[
    "cancelar",
    "cancela",
    "cancelo",
    "cancelamento",
    "desmarcar",
    "desmarca",
    "desmarco",
    "remarcar",
    "remarca",
    "reagendar",
    "adiar",
    "marcar",
    "agendar",
    "tinha marcado",
    "tinha agendado",
    "tenho marcado",
    "estava marcado",
    "minha consulta",
    "meu horario",
    "meu agendamento",
    "minha avaliacao",
    "nao vou poder",
    "nao posso ir",
    "nao vou conseguir ir",
    "nao poderei",
    "nao vai poder ir",
    "nao vai conseguir ir",
];

/// A clause opening with one of these goes on naming the appointment ("no dia 12", "com a Dra.
/// Ana", "para sexta"), it does not explain.
const NAMING_OPENERS: &[&str] = &["no", "na", "do", "da", "de", "para", "com", "em"];

/// An article opens a clause that names the appointment when a preposition, a time or the
/// appointment itself follows ("o de quinta", "a das 15h", "a limpeza de terça"); before
/// anything else it opens a statement ("a escola do meu filho marcou uma reunião").
const ARTICLES: &[&str] = &["o", "a", "os", "as"];

/// What an appointment is called: "minha avaliação", "a limpeza".
const APPOINTMENT_NOUNS: &[&str] = &[
    "consulta",
    "avaliacao",
    "sessao",
    "horario",
    "agendamento",
    "procedimento",
    "aplicacao",
    "atendimento",
    "limpeza",
    "botox",
    "peeling",
    "preenchimento",
    "microagulhamento",
    "harmonizacao",
];

/// What completes an appointment's noun into a service's name: "limpeza de pele", "peeling
/// químico", "preenchimento labial".
const NOUN_TAILS: &[&str] = &["de pele", "quimico", "labial", "facial", "de papada", "de avaliacao"];

/// Words that say when: they go on naming the appointment ("minha avaliação de amanhã cedo").
const WHEN_WORDS: &[&str] = &[
    "hoje", "amanha", "cedo", "depois", "manha", "tarde", "noite", "segunda", "terca", "quarta", "quinta",
    "sexta", "sabado", "domingo", "feira", "proxima", "proximo", "semana", "dia", "horas", "h", "meio",
];

/// The reason `text` gives, as the patient wrote it: the words after "porque" ("pq"), "pois",
/// "por causa", "motivo" or "devido"; otherwise a statement beside the request, in another
/// message of the burst or after a comma ("meu filho ficou doente", "surgiu um imprevisto").
/// A question, a greeting, thanks, a yes or a no is no reason.
pub fn stated_reason(text: &str) -> Option<String> {
    after_connective(text).or_else(|| beside_the_request(text))
}

fn after_connective(text: &str) -> Option<String> {
    const CONNECTIVES: [&[&str]; 5] = [&["porque"], &["pois"], &["por", "causa"], &["motivo"], &["devido"]];
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded = fold_each(&words);
    let after = (0..folded.len()).find_map(|i| {
        CONNECTIVES
            .iter()
            .find_map(|connective| phrase_at(&folded, i, connective).then_some(i + connective.len()))
            .or_else(|| not_going_because(&words, &folded, i))
    })?;
    // "…porque meu filho ficou doente então cancela": the reason ends where the request is
    // joined on.
    let end = (after..folded.len())
        .find(|&at| JOINING.iter().any(|joining| phrase_at(&folded, at, joining)))
        .unwrap_or(folded.len());
    let reason = words[after..end].join(" ");
    says_something(&reason)
}

/// "não vou conseguir ir amanhã que meu filho tá doente": the bare "que" of speech is "porque"
/// right after a not going ("ir", "dar" with a "não" a few words before, and the words of when
/// between), in the same clause ("não vou poder ir, que pena" is a sigh). Where the reason
/// starts.
fn not_going_because(words: &[&str], folded: &[String], at: usize) -> Option<usize> {
    // "que dia", "que horas" ask which; "que pena" sighs.
    const QUE_ASKS_OR_SIGHS: &[&str] = &["pena", "dia", "dias", "hora", "horas", "horario"];
    const REACH: usize = 4;
    let going = folded.get(at).is_some_and(|word| matches!(word.as_str(), "ir" | "dar"));
    let negated = folded[at.saturating_sub(REACH)..at].iter().any(|word| word == "nao");
    let when = folded[(at + 1).min(folded.len())..].iter().take_while(|word| says_when(word)).count();
    let que = at + 1 + when;
    let then_que = folded.get(que).is_some_and(|word| word == "que")
        && !words[que - 1].ends_with([',', '.', '!', '?', ';'])
        && folded.get(que + 1).is_none_or(|next| !QUE_ASKS_OR_SIGHS.contains(&next.as_str()));
    (going && negated && then_que).then_some(que + 1)
}

/// Only when the text also holds the request: a lone "meu filho ficou doente" is the answer
/// to "why?", which the dialogue reads as a whole.
fn beside_the_request(text: &str) -> Option<String> {
    // A question ends its clause ("desmarca a de terça? to com covid") and keeps its mark, so
    // that it is never taken for a reason.
    let clauses: Vec<String> = text
        .split(ends_a_clause)
        .flat_map(|part| part.split_inclusive('?'))
        .flat_map(cut_at_connectives)
        .flat_map(|clause| cut_before_request(&clause))
        .flat_map(|clause| cut_after_naming(&clause))
        .collect();
    let clauses: Vec<&str> = clauses.iter().map(String::as_str).collect();
    if clauses.len() < 2 || !clauses.iter().any(|clause| is_request(clause)) {
        return None;
    }
    let reasons: Vec<&str> = clauses
        .iter()
        .map(|clause| clause.trim())
        .filter(|clause| !is_request(clause) && explains(clause))
        .collect();
    says_something(&reasons.join(", "))
}

/// Punctuation, a new message, or an emoji: "minha filha acordou com febre 🤒 não vou
/// conseguir ir" is two clauses, as a comma would make them.
fn ends_a_clause(c: char) -> bool {
    matches!(c, '\n' | ',' | ';' | '.' | '!') || is_pictograph(c)
}

/// An emoji a patient puts between two thoughts (faces, hands, objects, symbols); not the
/// modifiers and joiners inside one, which never stand alone.
fn is_pictograph(c: char) -> bool {
    matches!(u32::from(c), 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

/// The request in any of the words the topics know ("não vai dar pra ir na sexta"), or naming
/// the patient's own appointment.
fn is_request(clause: &str) -> bool {
    let folded = normalize(clause);
    REQUEST_WORDS.iter().any(|words| folded.contains_phrase(words))
        || detect_intents(clause).iter().any(|intent| matches!(intent, Intent::Cancel | Intent::Reschedule))
}

/// "surgiu um imprevisto e não vou conseguir ir": a statement joined by "e" to the request that
/// follows it is two clauses. An "e" followed by anything else joins one ("meu filho pegou
/// virose e não tenho com quem deixar", "cancela a limpeza e o botox"). So does the slang
/// "aí" of "then" ("marcaram plantão aí vou ter que desmarcar"), but never in "e aí", a
/// greeting, nor where it means "there".
fn cut_before_request(clause: &str) -> Vec<String> {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let folded = fold_each(&words);
    // After "e" it greets ("e aí"), after a verb of going or being it is a place ("tô indo aí").
    const NOT_THEN_AFTER: &[&str] = &[
        "e", "indo", "vou", "vai", "ir", "passo", "passar", "chego", "chegar", "estou", "esta", "venho",
        "vem",
    ];
    let joins = |at: usize| match folded[at].as_str() {
        "e" => true,
        "ai" | "ae" => !NOT_THEN_AFTER.contains(&folded[at - 1].as_str()),
        _ => false,
    };
    // The last such word: "oi e o seguinte… ai vou ter que desmarcar" is cut before the
    // request, not after the greeting's "e".
    let cut = (1..words.len()).rfind(|&at| {
        joins(at) && is_request(&words[at + 1..].join(" ")) && !is_request(&words[..at].join(" "))
    });
    match cut {
        Some(at) => vec![words[..at].join(" "), words[at + 1..].join(" ")],
        None => vec![clause.to_owned()],
    }
}

/// "é sobre a minha avaliação de amanhã cedo a escola do meu filho marcou uma reunião…": a voice
/// note names the appointment and goes straight on to why, with no comma between. The clause
/// is cut after the appointment and the words that say when it is; what follows is a clause
/// of its own when it is a statement of some length, not another request.
fn cut_after_naming(clause: &str) -> Vec<String> {
    const STATEMENT: usize = 4;
    let words: Vec<&str> = clause.split_whitespace().collect();
    let folded = fold_each(&words);
    let owned = |at: usize| matches!(folded[at].as_str(), "minha" | "meu");
    let by_article = |at: usize| matches!(folded[at].as_str(), "a" | "o");
    let Some(noun) = (1..folded.len()).find(|&at| {
        (owned(at - 1) || by_article(at - 1)) && APPOINTMENT_NOUNS.contains(&folded[at].as_str())
    }) else {
        return vec![clause.to_owned()];
    };
    let mut end = noun + 1;
    // "minha limpeza de pele de amanhã": the rest of the service's name names it too.
    if let Some(tail) = NOUN_TAILS
        .iter()
        .map(|tail| tail.split(' ').collect::<Vec<_>>())
        .find(|tail| folded[end..].iter().map(String::as_str).take(tail.len()).eq(tail.iter().copied()))
    {
        end += tail.len();
    }
    // "a limpeza que eu marquei pra quinta": named by its article, the appointment is the
    // patient's by the clause that says it was booked; without one, "a limpeza" may be any.
    if !owned(noun - 1) {
        match after_booked(&folded, end) {
            Some(after) => end = after,
            None => return vec![clause.to_owned()],
        }
    }
    while end < folded.len() {
        if says_when(&folded[end]) {
            end += 1;
        } else if is_preposition(&folded[end]) && folded.get(end + 1).is_some_and(|next| says_when(next)) {
            end += 2;
        } else {
            break;
        }
    }
    let rest = words[end..].join(" ");
    if words.len() - end < STATEMENT || is_request(&rest) {
        return vec![clause.to_owned()];
    }
    vec![words[..end].join(" "), rest]
}

/// Where the clause saying the appointment was booked ends, if one starts at `at`: "que eu
/// marquei", "q tinha agendado", with "pra quinta" after it.
fn after_booked<S: AsRef<str>>(folded: &[S], at: usize) -> Option<usize> {
    const BOOKED: &[&str] = &["marquei", "agendei", "reservei", "marcou", "agendou", "marcamos"];
    let word = |at: usize| folded.get(at).map(AsRef::as_ref);
    let mut at = at;
    if word(at) != Some("que") {
        return None;
    }
    at += 1;
    if word(at) == Some("eu") {
        at += 1;
    }
    if word(at).is_some_and(|verb| BOOKED.contains(&verb)) {
        at += 1;
    } else if word(at) == Some("tinha")
        && word(at + 1).is_some_and(|done| matches!(done, "marcado" | "agendado"))
    {
        at += 2;
    } else {
        return None;
    }
    if word(at) == Some("para") && word(at + 1).is_some_and(says_when) {
        at += 2;
    }
    Some(at)
}

/// Each word of a clause, folded, in the clause's order (kept beside the words as written).
fn fold_each(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| normalize(word).as_str().to_owned()).collect()
}

/// Whether the folded words from `at` on start with `phrase`.
fn phrase_at(folded: &[String], at: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, word)| folded.get(at + k).is_some_and(|f| f == word))
}

fn says_when(folded: &str) -> bool {
    WHEN_WORDS.contains(&folded) || folded.chars().any(|c| c.is_ascii_digit())
}

fn is_preposition(folded: &str) -> bool {
    matches!(folded, "de" | "do" | "da" | "das" | "dos" | "no" | "na" | "as" | "a" | "o")
}

/// Words that join the request and its reason in one run-on sentence, as a voice note says it:
/// "meu marido vai operar o joelho nesse dia [então] cancela pra mim", "eu tinha marcado na
/// quinta [só que] vou viajar".
const JOINING: &[&[&str]] = &[&["entao"], &["so", "que"], &["mas"], &["dai"], &["por", "isso"]];

/// A clause cut where a joining word starts another: the parts, without the joining words.
fn cut_at_connectives(clause: &str) -> Vec<String> {
    let words: Vec<&str> = clause.split_whitespace().collect();
    let folded = fold_each(&words);
    let mut parts = Vec::new();
    let mut start = 0;
    let mut at = 0;
    while at < words.len() {
        let joining = JOINING.iter().find(|joining| phrase_at(&folded, at, joining));
        match joining {
            Some(joining) => {
                parts.push(words[start..at].join(" "));
                at += joining.len();
                start = at;
            }
            None => at += 1,
        }
    }
    parts.push(words[start..].join(" "));
    parts
}

fn explains(clause: &str) -> bool {
    let folded = normalize(clause);
    let words: Vec<&str> = folded.tokens().collect();
    (words.len() >= 2 || words.first().is_some_and(|word| ONE_WORD_REASONS.contains(word)))
        && !clause.contains('?')
        && !words.first().is_some_and(|first| NAMING_OPENERS.contains(first))
        && !names_by_article(&words)
        && !names_own_appointment(&words)
        // "oi sofia bom dia é a cida minha filha entrou em trabalho de parto…": a voice note
        // greets and goes straight on to why.
        && !(is_greeting(clause) && words.len() < GREETING_THEN_STORY)
        && !is_thanks(clause)
        && !is_affirmative(clause)
        // "nao tenho mais como pagar" explains; a bare "não, obrigada" does not.
        && !(is_negative(clause) && words.len() <= BARE_NO)
}

/// A reason a burst gives in one word of its own: "desmarca" + "sábado" + "viagem".
const ONE_WORD_REASONS: &[&str] = &[
    "viagem",
    "viajando",
    "doente",
    "doenca",
    "trabalho",
    "imprevisto",
    "febre",
    "covid",
    "gripe",
    "gripada",
    "gripado",
    "dengue",
    "emergencia",
    "compromisso",
    "reuniao",
    "enterro",
    "velorio",
    "cirurgia",
    "mudanca",
];

/// The fewest words of a clause that opens with a greeting and tells a story after it.
const GREETING_THEN_STORY: usize = 10;

/// "é sobre a minha limpeza de pele de amanhã": a clause naming the patient's own appointment
/// says which one, not why.
fn names_own_appointment(words: &[&str]) -> bool {
    words.windows(2).enumerate().any(|(at, pair)| {
        APPOINTMENT_NOUNS.contains(&pair[1])
            && (matches!(pair[0], "minha" | "meu")
                // "a limpeza que eu marquei pra sexta".
                || (matches!(pair[0], "a" | "o") && after_booked(words, at + 2).is_some()))
    })
}

/// "o de quinta", "a das 15h", "a limpeza de terça": an article before a preposition, a time
/// or the appointment itself.
fn names_by_article(words: &[&str]) -> bool {
    match words {
        [article, next, ..] if ARTICLES.contains(article) => {
            is_preposition(next) || says_when(next) || APPOINTMENT_NOUNS.contains(next)
        }
        [article] => ARTICLES.contains(article),
        _ => false,
    }
}

/// The most words of a no that says nothing more ("não, obrigada", "nao quero").
const BARE_NO: usize = 2;

fn says_something(reason: &str) -> Option<String> {
    let reason = reason.trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '.' | '-'));
    (reason.chars().filter(|c| c.is_alphabetic()).count() > MIN_LETTERS).then(|| reason.to_owned())
}
