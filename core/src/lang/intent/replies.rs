//! Short replies to a question: yes, no, hello, thanks.

use chrono::NaiveDate;

use super::later::{CONDITIONS, opens_with_a_promise};
use super::phrases::{
    APPOINTMENT_ACTIONS, BUT, FILLER_WORDS, GREETINGS, NEGATIONS, NO_ANYWHERE, NO_OPENERS, NO_PROBLEM,
    THANKS, YES_OPENERS, YES_WORDS,
};
use super::question::asks_without_a_mark;
use super::{mentions_any, opens_with_any};
use crate::lang::normalize::{Normalized, normalize, split_clauses};
use crate::lang::when::parse_when;

/// A plain yes: "sim", "pode ser", "isso", "confirmo", "ok", "beleza", "pode marcar", "👍".
/// Not a yes when it also says no ("claro que não") or sets a condition ("sim, mas…"), and
/// "pode ser sexta?" is a counter-proposal, not a yes.
pub fn is_affirmative(text: &str) -> bool {
    if waits_on_a_condition(text) {
        return false;
    }
    let message =
        without_the_fee_accepted(without_interjection(without_time_of_day_greeting(normalize(text))));
    if mentions_any(&message, NO_PROBLEM) || goes_ahead_after_a_complaint(text) {
        return true;
    }
    if mentions_any(&message, NEGATIONS) || mentions_any(&message, BUT) {
        return false;
    }
    if message.is_empty() {
        return has_approving_emoji(text);
    }
    (opens_with_any(&message, YES_OPENERS) && !says_what_this_is(&message))
        || made_only_of_yes_words(&message)
}

/// A complaint or a regret, then the go-ahead in a clause of its own: "aff vou perder a sessão
/// né… mas pode remarcar", "que saco, fazer o que. pode mudar". The last clause decides, as
/// long as no earlier clause says no ("não, pode deixar", "não quero perder a sessão, mas…"),
/// the message says nothing of when ("então sexta às 11h, pode ser?" proposes another time)
/// and it does not end in a question.
fn goes_ahead_after_a_complaint(text: &str) -> bool {
    // Only whether any when is said matters here, not which day: any reference day will do.
    if text.trim_end().ends_with('?') || !parse_when(text, NaiveDate::default()).is_empty() {
        return false;
    }
    let clauses: Vec<Normalized> = split_clauses(text)
        .flat_map(|clause| split_at_but(&normalize(clause)))
        .filter(|clause| !clause.is_empty())
        .collect();
    let Some((last, earlier @ [_, ..])) = clauses.split_last() else {
        return false;
    };
    let refuses = |clause: &Normalized| {
        mentions_any(clause, NO_ANYWHERE)
            || (opens_with_any(clause, NO_OPENERS) && clause.tokens().count() <= 2)
    };
    !earlier.iter().any(refuses) && is_affirmative(last.as_str())
}

/// "consegui trocar!! pode marcar sim", "ela pode sim, confirma pfv": the message says in so many
/// words to go ahead, not only "ok" or "sim" (which may only acknowledge: "ok vlw").
pub fn names_a_go_ahead(text: &str) -> bool {
    split_clauses(text).map(normalize).any(|clause| go_ahead_in(&clause.tokens().collect::<Vec<_>>()))
}

/// Whether a go-ahead ([`GO_AHEADS`]) starts anywhere in `words`.
fn go_ahead_in(words: &[&str]) -> bool {
    (0..words.len()).any(|at| GO_AHEADS.iter().any(|go| message_starts_with(&words[at..], go)))
}

/// "Beleza. Assim que meu marido chegar, confirmo.": a go-ahead after a clause that opens with
/// a condition waits on it, and is no yes yet; so does one a condition holds back unpunctuated
/// ("ok quando receber o salario pode marcar", see [`goes_ahead_on_a_condition`]). A condition
/// closing the message ("sim, quando puder me manda o endereço") asks for something beside the
/// yes.
pub fn waits_on_a_condition(text: &str) -> bool {
    let clauses: Vec<Normalized> =
        split_clauses(text).map(normalize).filter(|clause| !clause.is_empty()).collect();
    let opened_by_one = clauses
        .split_last()
        .is_some_and(|(_, earlier)| earlier.iter().any(|clause| opens_with_any(clause, CONDITIONS)));
    opened_by_one || goes_ahead_on_a_condition(&clauses)
}

/// A clause that opens with what a decision waits on: "quando eu me recuperar te chamo",
/// "assim que ele disser".
pub fn opens_with_a_condition(clause: &str) -> bool {
    opens_with_any(&normalize(clause), CONDITIONS)
}

/// The clause cut where each condition opens, punctuated or not: "tudo bem pode cancelar qdo
/// eu for ai eu pago" is "tudo bem pode cancelar" and "quando eu for ai eu pago".
pub fn cut_at_conditions(clause: &str) -> Vec<Normalized> {
    let clause = normalize(clause);
    let words: Vec<&str> = clause.tokens().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for at in 1..words.len() {
        if condition_at(&words[at..]).is_some() {
            parts.push(normalize(&words[start..at].join(" ")));
            start = at;
        }
    }
    parts.push(normalize(&words[start..].join(" ")));
    parts
}

/// Go-aheads a condition can hold back: "pode marcar", "confirmo", "marca".
const GO_AHEADS: &[&str] = &[
    "pode marcar",
    "pode agendar",
    "pode confirmar",
    "pode remarcar",
    "pode desmarcar",
    "pode cancelar",
    "pode mudar",
    "pode trocar",
    "pode fechar",
    "pode passar",
    "pode ser",
    "marca",
    "marco",
    "agenda",
    "agendo",
    "confirma",
    "confirmo",
    "remarca",
    "desmarca",
    "cancela",
    "troca",
    "muda",
    "passa",
    "fecha",
    "fechado",
    "fechamos",
];
/// What follows "quando" in a courtesy to the clinic, not a condition of the patient's: "sim,
/// quando puder me manda o endereço", "quando você puder confirma pra mim".
const COURTESIES: &[&str] = &["puder", "puderem", "possivel", "quiser", "quiserem"];
/// Who a courtesy is asked of: "quando vc puder".
const YOU: &[&str] = &["voce", "vc", "voces", "vcs", "tu"];
/// Words that open what the patient will do once the condition is met: "pode cancelar qdo eu
/// for aí de novo eu pago", "pode marcar qdo eu for da pra parcelar?". The condition then leads
/// to them, not back to the go-ahead before it, unless what it leads to is a promise to get
/// back ("pode marcar qdo eu receber eu te aviso"): the go-ahead waits on that.
const CONSEQUENCES: &[&str] = &["eu", "a gente", "da pra", "da para", "posso", "vou"];

/// "ok quando receber o salario pode marcar", "pode marcar depois que eu falar com minha mae",
/// "beleza quando meu marido chegar, confirmo": patients seldom punctuate, so a condition
/// holds a go-ahead back wherever it stands: the go-ahead after it (in its clause or the next),
/// or before it in the same clause, unless the condition leads to a consequence of its own
/// ([`CONSEQUENCES`]). Separated by punctuation, a go-ahead before stands on its own ("pode
/// agendar, qdo for lá levo meus exames"). Reading a yes as waiting costs the patient a second
/// yes; reading a condition as a yes would book without one.
fn goes_ahead_on_a_condition(clauses: &[Normalized]) -> bool {
    let clauses: Vec<Vec<&str>> = clauses.iter().map(|clause| clause.tokens().collect()).collect();
    clauses.iter().enumerate().any(|(index, words)| {
        (0..words.len()).any(|at| {
            let Some(length) = condition_at(&words[at..]) else { return false };
            let event = &words[at + length..];
            // "quando puder", "quando vc puder": the clinic's convenience; "se meu marido puder"
            // is the patient's condition.
            let courtesy = match event {
                [first, ..] if COURTESIES.contains(first) => true,
                [you, second, ..] => YOU.contains(you) && COURTESIES.contains(second),
                _ => false,
            };
            let after = event.get(1..).is_some_and(go_ahead_in)
                || clauses.get(index + 1).is_some_and(|next| go_ahead_in(next));
            let leads_on = (1..event.len())
                .any(|at| CONSEQUENCES.iter().any(|word| message_starts_with(&event[at..], word)))
                && !(1..event.len()).any(|at| opens_with_a_promise(&event[at..]));
            !event.is_empty() && !courtesy && (after || (go_ahead_in(&words[..at]) && !leads_on))
        })
    })
}

/// How many words the condition opening `words` takes ("assim que": two), if one does.
fn condition_at(words: &[&str]) -> Option<usize> {
    CONDITIONS
        .iter()
        .filter(|condition| message_starts_with(words, condition))
        .map(|condition| condition.split(' ').count())
        .max()
}

/// A folded clause cut at every "mas" (and its like) into the parts around it.
fn split_at_but(clause: &Normalized) -> Vec<Normalized> {
    let mut parts = Vec::new();
    let mut part: Vec<&str> = Vec::new();
    for word in clause.tokens() {
        if BUT.contains(&word) {
            parts.push(normalize(&part.join(" ")));
            part.clear();
        } else {
            part.push(word);
        }
    }
    parts.push(normalize(&part.join(" ")));
    parts
}

/// The message without a greeting by the time of day that opens it: "bom dia" is no yes for
/// its "bom", and "bom dia, pode confirmar" is still one.
fn without_time_of_day_greeting(message: Normalized) -> Normalized {
    const BY_TIME_OF_DAY: [&str; 3] = ["bom dia", "boa tarde", "boa noite"];
    match BY_TIME_OF_DAY.iter().find(|greeting| message.starts_with_phrase(greeting)) {
        Some(greeting) => normalize(&message.as_str()[greeting.len()..]),
        None => message,
    }
}

/// Interjections that open a reply without saying yes or no: "opa, pode sim!", "eba, serve".
const INTERJECTIONS: &[&str] = &[
    "opa", "opaa", "eba", "ebaa", "oba", "obaa", "oie", "oi", "ola", "ah", "ahh", "aah", "uau", "nossa",
    "eita", "oxe", "oxente", "vixe", "hmm", "hum", "humm", "ih", "ixi", "uhu", "uhul",
];

/// The message without the interjections that open it, when more follows: "opa, pode sim" is
/// read as "pode sim". Alone, an interjection stays what it is.
fn without_interjection(message: Normalized) -> Normalized {
    let words: Vec<&str> = message.tokens().collect();
    let opening = words.iter().take_while(|word| INTERJECTIONS.contains(word)).count();
    if opening == 0 || opening == words.len() {
        return message;
    }
    normalize(&words[opening..].join(" "))
}

/// The message without the late fee it accepts: "tá, pode passar mesmo com a taxa" is a yes to
/// the change whose summary named the fee.
pub fn without_the_fee_accepted(message: Normalized) -> Normalized {
    // Regret before the go-ahead: "que pena, mas tudo bem, pode mudar" (the session counted as
    // used, or the fee). Its "mas" gives way to the yes, not to a condition.
    const REGRETS: [&str; 8] = [
        "que pena mas",
        "uma pena mas",
        "que chato mas",
        "poxa que pena mas",
        "poxa mas",
        "paciencia",
        "que pena",
        "uma pena",
    ];
    let message = match REGRETS.iter().find(|regret| message.starts_with_phrase(regret)) {
        Some(regret) => {
            // "tudo bem" after a regret accepts; alone it may be a greeting.
            let rest = normalize(&message.as_str()[regret.len()..]);
            if rest.starts_with_phrase("tudo bem") {
                normalize(&rest.as_str()["tudo bem".len()..])
            } else {
                rest
            }
        }
        None => message,
    };
    const FEE_ACCEPTED: [&str; 7] = [
        // Resigned to it: "fazer o que né 🤷‍♀️ muda aí".
        "fazer o que ne",
        "mesmo com a taxa",
        "mesmo com taxa",
        "com a taxa mesmo",
        "com taxa mesmo",
        "pode cobrar a taxa",
        "pago a taxa",
    ];
    match FEE_ACCEPTED.iter().find(|accepted| message.contains_phrase(accepted)) {
        Some(accepted) => normalize(&message.as_str().replacen(accepted, " ", 1)),
        None => message,
    }
}

/// "isso é muito caro", "isso foi um absurdo": "isso" as the subject of a statement, not a yes.
/// "isso é perfeito" still is one: what it says "isso" is is a yes word.
fn says_what_this_is(message: &Normalized) -> bool {
    const BEING: [&str; 7] = ["e", "esta", "ficou", "foi", "era", "vai", "nao"];
    let mut words = message.tokens();
    if words.next() != Some("isso") || !words.next().is_some_and(|verb| BEING.contains(&verb)) {
        return false;
    }
    let said: Vec<&str> = words.collect();
    !said.is_empty() && !said.iter().all(|word| YES_WORDS.contains(word) || FILLER_WORDS.contains(word))
}

/// A plain no: "não", "n", "não quero", "melhor não", "nenhum". Not a no when it is about the
/// appointment itself ("não, quero cancelar", "não vou poder ir"): that is a cancellation or a
/// change, which the caller handles as such. "Não tem problema" is a yes.
pub fn is_negative(text: &str) -> bool {
    let message = normalize(text);
    if mentions_any(&message, NO_PROBLEM) || mentions_any(&message, APPOINTMENT_ACTIONS) {
        return false;
    }
    opens_with_any(&message, NO_OPENERS) || mentions_any(&message, NO_ANYWHERE)
}

/// Opens with a greeting: "oi", "olá", "bom dia", "boa tarde", "e aí". The message may go on to
/// ask something.
pub fn is_greeting(text: &str) -> bool {
    opens_with_any(&normalize(text), GREETINGS)
}

/// Words that go with a greeting and ask nothing: "oi Sofia, tudo bem com você?".
const WITH_A_GREETING: &[&str] = &[
    "tudo bem",
    "tudo bom",
    "tudo certo",
    "tudo joia",
    "com voce",
    "e voce",
    "contigo",
    "como vai",
    "como voce esta",
    "como esta",
    "sofia",
    "gente",
    "pessoal",
    "querida",
    "amiga",
    "tem alguem ai",
    "alguem ai",
    "por ai",
    "ai",
    "e",
    "ne",
    "pode me ajudar",
    "alguem pode me ajudar",
    "me ajuda",
    "preciso de ajuda",
    "tenho uma duvida",
    "uma duvida",
    "posso tirar uma duvida",
];

/// A greeting that goes on to ask something: "oi, e o esquema da indicação?". Answered with the
/// introduction alone, the question would go unanswered.
pub fn greets_and_asks(text: &str) -> bool {
    // "Boa tarde. Gostaria de saber se vocês trabalham com…" asks without its mark.
    if !(text.contains('?') || asks_without_a_mark(text)) || !is_greeting(text) {
        return false;
    }
    let message = normalize(text);
    let words: Vec<&str> = message.tokens().collect();
    let mut asked = 0;
    let mut at = 0;
    while at < words.len() {
        let greeting = GREETINGS
            .iter()
            .chain(WITH_A_GREETING)
            .map(|phrase| phrase.split(' ').count())
            .zip(GREETINGS.iter().chain(WITH_A_GREETING))
            .filter(|(_, phrase)| message_starts_with(&words[at..], phrase))
            .map(|(len, _)| len)
            .max();
        match greeting {
            Some(len) => at += len,
            None => {
                asked += 1;
                at += 1;
            }
        }
    }
    asked > 0
}

/// Words that call for attention with a greeting and say nothing else: "alô??", "oi, tem
/// alguém aí?", "psiu".
const CALLING_OUT: &[&str] =
    &["ai", "alguem", "tem", "gente", "pessoal", "sofia", "por", "ne", "e", "psiu", "ue"];

/// Only calls for attention: a greeting and nothing else ("alô??", "oi?", "ei, tem alguém
/// aí?"), or only question marks ("???"). After a turn Sofia could not place, the patient is
/// still waiting for the answer she did not give.
pub fn only_calls_attention(text: &str) -> bool {
    let message = normalize(text);
    if message.is_empty() {
        return text.contains('?');
    }
    let greeting_words =
        |word: &&str| GREETINGS.iter().any(|greeting| greeting.split(' ').any(|part| part == *word));
    is_greeting(text) && message.tokens().all(|word| greeting_words(&word) || CALLING_OUT.contains(&word))
}

fn message_starts_with(words: &[&str], phrase: &str) -> bool {
    let phrase: Vec<&str> = phrase.split(' ').collect();
    words.starts_with(&phrase)
}

/// Says thanks anywhere: "obrigada!", "obg", "valeu", "muito obrigado pela ajuda".
pub fn is_thanks(text: &str) -> bool {
    mentions_any(&normalize(text), THANKS)
}

fn made_only_of_yes_words(message: &Normalized) -> bool {
    let mut saw_yes = false;
    for word in message.tokens() {
        if YES_WORDS.contains(&word) {
            saw_yes = true;
        } else if !FILLER_WORDS.contains(&word) {
            return false;
        }
    }
    saw_yes
}

/// 👍 (any skin tone), 👌, ✅, 🙏: how many patients say yes.
fn has_approving_emoji(text: &str) -> bool {
    text.chars().any(|c| matches!(c, '\u{1F44D}' | '\u{1F44C}' | '\u{2705}' | '\u{2714}' | '\u{1F64F}'))
}
