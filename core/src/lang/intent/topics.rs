//! The coarse topic of a message, for the rules brain to pick a dialogue: book, reschedule,
//! cancel, prices, hours…
//!
//! Each topic has cue phrases with a weight: 3 for a phrase that settles it ("quanto custa",
//! "remarcar"), 2 for a strong hint ("valor", "pacote"), 1 for a word that only leans
//! ("minha consulta"). A message scores the sum of the cues it contains, so "quero cancelar
//! minha consulta" is a cancellation (3) more than a question about appointments (1).

use super::age::detect_age;
use super::guards::is_opt_out;
use super::mentions_any;
use super::own_visit::asks_about_own_visit;
use crate::lang::normalize::{Normalized, normalize, split_clauses};
use crate::lang::services::is_typo;

/// What a patient wants to talk about. When scores tie, the earlier variant wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Intent {
    /// Book a new appointment: "quero marcar", "tem horário?", "tem vaga".
    Book,
    /// Move an appointment: "remarcar", "mudar o horário", "adiar".
    Reschedule,
    /// Cancel an appointment: "cancelar", "desmarcar", "não vou poder ir".
    Cancel,
    /// Confirm they will come: "confirmo minha consulta", "vou sim".
    ConfirmAttendance,
    /// Their own appointments: "quando é minha consulta?", "tenho consulta marcada?".
    ListAppointments,
    /// Sessions left in a package: "quantas sessões tenho?", "saldo do pacote".
    PackageBalance,
    Price,
    OpeningHours,
    Location,
    Payment,
    Parking,
    /// Care after a procedure: "posso deitar depois do botox?".
    Aftercare,
    /// How long a session takes: "quanto tempo demora a aplicação?", "a limpeza leva quanto
    /// tempo?".
    Duration,
    /// Someone under age: "minha filha de 15", "tenho 16 anos".
    Minor,
    /// Seeks a diagnosis or medical advice: "o que é essa mancha?", "que remédio tomo?".
    MedicalQuestion,
}

impl Intent {
    /// A question about the clinic itself (its prices, hours, address, payment, parking,
    /// aftercare, how long a session takes), which its facts or knowledge answer.
    pub fn is_about_the_clinic(self) -> bool {
        matches!(
            self,
            Intent::Price
                | Intent::OpeningHours
                | Intent::Location
                | Intent::Payment
                | Intent::Parking
                | Intent::Aftercare
                | Intent::Duration
        )
    }
}

/// Under this age a patient is a minor for the clinic's rules (demo policy: 18).
const ADULT_AGE: u8 = 18;

/// "queria fazer umas 3 sessões de limpeza": sessions counted or wished for, with an indefinite
/// article or a number before them, are a treatment wanted, not the balance of a package
/// ("quantas sessões ainda tenho?").
fn sessions_wished(message: &Normalized) -> bool {
    const HOW_MANY: &[&str] =
        &["umas", "algumas", "duas", "tres", "quatro", "cinco", "seis", "dez", "varias"];
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        *word == "sessoes"
            && at.checked_sub(1).is_some_and(|before| {
                HOW_MANY.contains(&words[before]) || words[before].chars().all(|c| c.is_ascii_digit())
            })
    })
}

/// "o pacote de 4 limpezas ainda tá 600?", "quanto custa o pacote de microagulhamento?",
/// "pensando em pegar esse pacote de 4 limpezas": a package with no possessive, beside a price
/// asked, an amount checked, a verb of acquiring it, or named as the clinic sells it (its
/// sessions counted). It is the package on offer, not the patient's balance ("quantas sessões
/// ainda tem no meu pacote?", "meu pacote vence quando?").
fn package_on_offer(message: &Normalized, price_asked: bool) -> bool {
    const ACQUIRING: &[&str] = &[
        "pegar",
        "pego",
        "pegaria",
        "fechar",
        "fecho",
        "fecharia",
        "comprar",
        "compro",
        "compraria",
        "adquirir",
        "contratar",
        "levar",
        "levo",
    ];
    const OWN: &[&str] =
        &["meu pacote", "minha", "meus pacotes", "saldo", "restantes", "faltam", "usei", "vence"];
    let words: Vec<&str> = message.tokens().collect();
    let amount = names_an_amount(message);
    let package_at: Vec<usize> =
        (0..words.len()).filter(|&at| matches!(words[at], "pacote" | "pacotes")).collect();
    let acquired =
        package_at.iter().any(|&at| words[at.saturating_sub(3)..at].iter().any(|w| ACQUIRING.contains(w)));
    // "pacote de 4 limpezas", "pacote com três sessões".
    let as_sold = package_at.iter().any(|&at| {
        words.get(at + 1).is_some_and(|w| matches!(*w, "de" | "com"))
            && words.get(at + 2).is_some_and(|w| w.parse::<u32>().is_ok() || COUNTS.contains(w))
    });
    (price_asked || amount || acquired || as_sold) && !package_at.is_empty() && !mentions_any(message, OWN)
}

/// Sessions counted in words: "pacote com três sessões".
const COUNTS: &[&str] = &["duas", "tres", "quatro", "cinco", "seis", "oito", "dez"];

/// A sum of money: "600", "R$ 1.200", "150 reais", "80 conto". A small bare number ("dia 12",
/// "às 10") is no sum.
fn names_an_amount(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        let number = word.split([',', '.']).next().and_then(|whole| whole.parse::<u32>().ok());
        let money_after =
            words.get(at + 1).is_some_and(|next| matches!(*next, "reais" | "conto" | "contos" | "pila"));
        let money_before = at.checked_sub(1).is_some_and(|before| words[before] == "r");
        number.is_some_and(|n| n >= 50 || money_after || money_before)
    })
}

/// The topics a message touches, best first. Empty when it touches none (a greeting, a "sim").
pub fn detect_intents(text: &str) -> Vec<Intent> {
    let message = with_action_verbs_spelled(&normalize(text));
    let mut scores: Vec<(Intent, u32)> = Vec::new();
    let mut add = |intent: Intent, weight: u32| match scores.iter_mut().find(|(i, _)| *i == intent) {
        Some((_, score)) => *score += weight,
        None => scores.push((intent, weight)),
    };
    // "quanto tempo dura?" asks how long, not how much.
    let how_long = HOW_LONG.iter().any(|phrase| message.contains_phrase(phrase));
    let own_money = OWN_MONEY.iter().any(|phrase| message.contains_phrase(phrase));
    let own_schedule = OWN_SCHEDULE.iter().any(|phrase| message.contains_phrase(phrase));
    let own_sum = HOW_MUCH_I_HAVE.iter().any(|phrase| message.contains_phrase(phrase));
    let own_card = OWN_CARD.iter().any(|phrase| message.contains_phrase(phrase));
    let gym_as_business = gym_as_a_business(&message);
    let how_it_works = asks_how_something_works(&message);
    let sessions_wished = sessions_wished(&message);
    for (intent, weight, phrase) in CUES {
        if (how_long && *phrase == "quanto")
            || (gym_as_business && *phrase == "academia")
            || (how_it_works && phrase.starts_with("funciona"))
            || (own_money && *phrase == "dinheiro")
            || (own_sum && *phrase == "quanto")
            || (own_card && *phrase == "cartao")
            || (sessions_wished && *phrase == "sessoes")
            || (*phrase == "estou com" && in_a_state_not_a_symptom(&message))
            || changes_own_commitment(&message, phrase)
            || (own_schedule && *intent == Intent::ListAppointments && phrase.contains("horario"))
        {
            continue;
        }
        if message.contains_phrase(phrase)
            && !declines_action(&message, *intent, phrase)
            && !refused_in_its_clause(text, phrase)
        {
            add(*intent, u32::from(*weight));
        }
    }
    if misses_a_day(&message) || misses_the_one_named(text) {
        add(Intent::Cancel, 3);
    }
    if last_move_to_a_day(&message).is_some() {
        add(Intent::Reschedule, 4);
    }
    if asks_where_the_clinic_is(text) {
        add(Intent::Location, 4);
    }
    if asks_how_long_it_takes(&message) {
        add(Intent::Duration, 4);
    }
    if asks_about_the_sun_after(&message) {
        add(Intent::Aftercare, 4);
    }
    let own_visit = asks_about_own_visit(text);
    if own_visit {
        add(Intent::ListAppointments, 6);
    }
    if detect_age(text).is_some_and(|age| age < ADULT_AGE) {
        add(Intent::Minor, 3);
    }
    let when_to_pay = asks_when_to_pay(&message);
    if when_to_pay {
        add(Intent::Payment, 4);
    }
    if is_opt_out(text) {
        // "cancelar mensagens" is about messages, not an appointment.
        scores.retain(|(intent, _)| *intent != Intent::Cancel);
    }
    let price_asked = scores.iter().any(|(intent, _)| *intent == Intent::Price);
    if package_on_offer(&message, price_asked) {
        scores.retain(|(intent, _)| *intent != Intent::PackageBalance);
        if !price_asked && names_an_amount(&message) {
            scores.push((Intent::Price, 4));
        }
    }
    if own_visit {
        // "minha limpeza é sábado às 10, né?" checks the visit; it confirms nothing.
        scores.retain(|(intent, _)| *intent != Intent::ConfirmAttendance);
    }
    if when_to_pay {
        // "paga antes ou depois do procedimento?" asks when to pay, not what to do after it.
        scores.retain(|(intent, _)| *intent != Intent::Aftercare);
    }
    scores.sort_by_key(|(intent, score)| (std::cmp::Reverse(*score), *intent));
    scores.into_iter().map(|(intent, _)| intent).collect()
}

/// What "estou com" may name besides a symptom: "to com pressa", "estou com uma dúvida", and a
/// mood ("to com raiva do meu chefe", "estou com medo de agulha"), which is no health complaint.
const STATES: &[&str] = &[
    "pressa",
    "tempo",
    "duvida",
    "duvidas",
    "vontade",
    "interesse",
    "saudade",
    "saudades",
    "raiva",
    "odio",
    "medo",
    "receio",
    "vergonha",
    "ciume",
    "ciumes",
    "fome",
    "sono",
    "preguica",
    "inveja",
    "pena",
    "sorte",
    "azar",
    "nervoso",
    "ranco",
    "birra",
];

/// "to com pressa, qual o primeiro horário?": a hurry or a doubt, not a health complaint.
fn in_a_state_not_a_symptom(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    (0..words.len()).filter(|&at| words[at..].starts_with(&["estou", "com"])).all(|at| {
        let named = words[at + 2..].iter().find(|word| !["um", "uma", "muita", "muito"].contains(word));
        named.is_some_and(|word| STATES.contains(word))
    })
}

/// The sun, the beach or a pool.
/// ("sol" alone may be a name: "aqui é a Sol"; its phrases are cues of their own.)
const SUN_AND_WATER: &[&str] = &["praia", "litoral", "piscina", "bronzear", "bronzeado", "bronze"];

/// Words that ask whether something is allowed, or place it after the procedure.
const ALLOWED_AFTER: &[&str] =
    &["depois", "apos", "pos", "posso", "da para", "tem problema", "libera", "liberado", "liberada"];

/// "vou pro litoral esse fds, da pra fazer o peeling antes?", "posso pegar uma praia depois?":
/// whether the sun, the beach or a pool is allowed after a procedure, which its aftercare
/// answers, whatever day the trip is. "vcs ficam perto da praia?" asks neither.
fn asks_about_the_sun_after(message: &Normalized) -> bool {
    mentions_any(message, SUN_AND_WATER) && mentions_any(message, ALLOWED_AFTER)
}

/// `intents` (read from `text`) in the order the patient asked them: by the first clause or
/// message that touches each on its own. "vcs ficam onde? tem estacionamento?" is answered
/// address first, whatever reading was surer. An intent no single clause touches (its cue spans
/// two) keeps its place after the others.
pub fn in_order_asked(text: &str, intents: &[Intent]) -> Vec<Intent> {
    let clauses: Vec<Vec<Intent>> =
        split_clauses(text).filter(|clause| !clause.trim().is_empty()).map(detect_intents).collect();
    let asked_at = |intent: &Intent| {
        clauses.iter().position(|touched| touched.contains(intent)).unwrap_or(clauses.len())
    };
    let mut ordered = intents.to_vec();
    // A stable sort: intents asked in one clause keep the order they were read in.
    ordered.sort_by_key(asked_at);
    ordered
}

/// Of cancelling and moving, the one the message asks for last, by the explicit verbs only
/// ("cancelar", "remarcar", "mudar para"): in a burst the later word is a change of mind
/// ("quero cancelar a de sexta" then "pensando melhor, dá pra só mudar pro sábado?"). "não vou
/// poder ir" is why, not a verb of its own, so it does not count. A verb turned down ("não
/// cancela não") asks for nothing, and a move to a day ("passa pra quarta") is a move however
/// its verb is said.
pub fn latest_change(text: &str) -> Option<Intent> {
    let message = with_action_verbs_spelled(&normalize(text));
    // Positions in words: a cue is found by bytes, a move to a day by words.
    let word_at =
        |byte: usize| message.as_str().get(..byte).map_or(0, |before| before.split_whitespace().count());
    let by_cue = CUES
        .iter()
        .filter(|(intent, weight, phrase)| {
            matches!(intent, Intent::Cancel | Intent::Reschedule)
                && *weight >= EXPLICIT
                && !declines_action(&message, *intent, phrase)
                && !refused_in_its_clause(text, phrase)
                && !changes_own_commitment(&message, phrase)
        })
        .filter_map(|(intent, _, phrase)| message.last_position_of(phrase).map(|at| (word_at(at), *intent)));
    let by_shape = last_move_to_a_day(&message).map(|at| (at, Intent::Reschedule));
    by_cue.chain(by_shape).max_by_key(|(at, _)| *at).map(|(_, intent)| intent)
}

/// Of cancelling and moving, the one the message turns down in so many words, and asks for in
/// no other mention: "pensando bem, não cancela não, vou dar um jeito".
pub fn refused_change(text: &str) -> Option<Intent> {
    let message = with_action_verbs_spelled(&normalize(text));
    [Intent::Cancel, Intent::Reschedule].into_iter().find(|intent| {
        let mut named = REFUSABLE
            .iter()
            .filter(|(of, verb)| of == intent && message.contains_phrase(verb))
            .map(|(_, verb)| *verb)
            .peekable();
        named.peek().is_some() && named.all(|verb| refused_in_its_clause(text, verb))
    })
}

/// The verbs of a change (with the change each names) that a "não" right before them turns
/// down, in the imperative or the infinitive: "pensando bem, não cancela não", "nao desmarca".
/// Only these: "não tem horário?" asks, and "não marca" could be "vocês não marcam?".
const REFUSABLE: [(Intent, &str); 8] = [
    (Intent::Cancel, "cancela"),
    (Intent::Cancel, "cancelar"),
    (Intent::Cancel, "desmarca"),
    (Intent::Cancel, "desmarcar"),
    (Intent::Reschedule, "remarca"),
    (Intent::Reschedule, "remarcar"),
    (Intent::Reschedule, "reagenda"),
    (Intent::Reschedule, "reagendar"),
];

/// Whether every mention of `verb` has a "não" right before it in its own clause. The clause
/// matters: "não, cancela" says no to something else and yes to cancelling.
fn refused_in_its_clause(text: &str, verb: &str) -> bool {
    if !REFUSABLE.iter().any(|(_, refusable)| *refusable == verb) {
        return false;
    }
    let (mut mentions, mut refused) = (0, 0);
    for clause in split_clauses(text) {
        let clause = with_action_verbs_spelled(&normalize(clause));
        let words: Vec<&str> = clause.tokens().collect();
        for at in (0..words.len()).filter(|&at| words[at] == verb) {
            mentions += 1;
            if at > 0 && words[at - 1] == "nao" {
                refused += 1;
            }
        }
    }
    mentions > 0 && mentions == refused
}

/// The verbs that name an action, long enough for a typo to be told from another word.
const ACTION_VERBS: [&str; 8] = [
    "cancelar",
    "cancelamento",
    "desmarcar",
    "remarcar",
    "reagendar",
    "agendar",
    "agendamento",
    "remarcacao",
];

/// The message with typos of the action verbs spelled right ("desmacar", "cancelr",
/// "remarcra"), so their cues match: a word keeps its first letter and is close to one verb.
/// A word that is a cue of its own ("agenda", "cancela"), a plural ("agendamentos") or another
/// form of the verb ("agendado", "cancelei") is what it is.
fn with_action_verbs_spelled(message: &Normalized) -> Normalized {
    // "desmarcaram": what someone else did, not a typo of the verb asked for.
    const OTHER_FORMS: [&str; 7] = ["ado", "ada", "ados", "adas", "ei", "ou", "aram"];
    let is_cue = |word: &str| CUES.iter().any(|(_, _, phrase)| *phrase == word);
    let words: Vec<&str> = message
        .tokens()
        .map(|word| {
            // "agendamentos" is the plural, not a typo of "agendamento".
            let plural = word.strip_suffix('s').is_some_and(|single| ACTION_VERBS.contains(&single));
            let kept = is_cue(word) || plural || OTHER_FORMS.iter().any(|ending| word.ends_with(ending));
            ACTION_VERBS
                .iter()
                .find(|verb| !kept && word.chars().next() == verb.chars().next() && is_typo(word, verb))
                .copied()
                .unwrap_or(word)
        })
        .collect();
    normalize(&words.join(" "))
}

/// The weight of a cue that names the action in so many words.
const EXPLICIT: u8 = 4;

/// The most likely topic, if any.
pub fn detect_intent(text: &str) -> Option<Intent> {
    detect_intents(text).into_iter().next()
}

/// Ways of saying one will not make it.
const NOT_MAKING_IT: [&[&str]; 6] = [
    &["nao", "vou", "conseguir"],
    &["nao", "vou", "poder"],
    &["nao", "consigo"],
    &["nao", "posso"],
    &["nao", "vai", "rolar"],
    &["nao", "vai", "dar"],
];

/// "a limpeza não vou conseguir", "a de amanhã não vou poder ir": not making it ends the clause,
/// and the appointment is named just before, as its subject. "não consigo pagar" goes on to
/// say what; "minha pele não consigo cuidar" names no appointment.
fn misses_the_one_named(text: &str) -> bool {
    const AFTER: [&str; 3] = ["ir", "comparecer", "mais"];
    const REACH: usize = 6;
    const NAMING: [&str; 14] = [
        "consulta",
        "sessao",
        "horario",
        "agendamento",
        "avaliacao",
        "procedimento",
        "aplicacao",
        "limpeza",
        "botox",
        "peeling",
        "preenchimento",
        "microagulhamento",
        "skinbooster",
        "harmonizacao",
    ];
    split_clauses(text).any(|clause| {
        let clause = normalize(clause);
        let words: Vec<&str> = clause.tokens().collect();
        // The clause without a closing "ir", "comparecer" or "mais".
        let core = match words.split_last() {
            Some((last, rest)) if AFTER.contains(last) => rest,
            _ => &words[..],
        };
        NOT_MAKING_IT.iter().any(|phrase| {
            let Some(start) = core.len().checked_sub(phrase.len()).filter(|_| core.ends_with(phrase)) else {
                return false;
            };
            let before = &core[start.saturating_sub(REACH)..start];
            // "a de amanhã", "aquela do dia 24": an article or a pointer, then "de", names the
            // appointment by its day; so does the day alone, "amanhã não consigo", "sexta não
            // vou poder".
            let by_its_day = before.windows(2).any(|pair| {
                matches!(pair[0], "a" | "o" | "aquela" | "aquele" | "essa" | "esse")
                    && matches!(pair[1], "de" | "do" | "da")
            }) || before.iter().any(|word| DAY_NAMES.contains(word));
            by_its_day || before.iter().any(|word| NAMING.contains(word))
        })
    })
}

/// "não vou conseguir sexta", "nao posso dia 12": not making it, with the day right after (a
/// "na", "no", "dia" or "ir" between). "não vou conseguir pagar à vista" is about paying.
fn misses_a_day(message: &Normalized) -> bool {
    const BETWEEN: [&str; 7] = ["ir", "na", "no", "nessa", "nesse", "essa", "esse"];
    const DAYS: [&str; 10] =
        ["segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo", "hoje", "amanha", "dia"];
    let words: Vec<&str> = message.tokens().collect();
    (0..words.len()).any(|at| {
        NOT_MAKING_IT.iter().any(|phrase| {
            words[at..].starts_with(phrase)
                && words[at + phrase.len()..]
                    .iter()
                    .find(|word| !BETWEEN.contains(word))
                    .is_some_and(|word| DAYS.contains(word))
        })
    })
}

/// "não quero marcar, quero saber se dura": an action the patient says they do not want is
/// not asked for. Only for the actions, and only when every mention of the cue is declined.
fn declines_action(message: &Normalized, intent: Intent, phrase: &str) -> bool {
    const DECLINING: [&[&str]; 6] = [
        &["nao", "quero"],
        &["nao", "precisa"],
        &["nao", "e", "para"],
        &["nao", "vou"],
        &["nem", "quero"],
        &["nao", "pretendo"],
    ];
    if !matches!(intent, Intent::Book | Intent::Reschedule | Intent::Cancel) || phrase.starts_with("nao ") {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    let cue: Vec<&str> = phrase.split(' ').collect();
    let mut mentions = (0..words.len()).filter(|&at| words[at..].starts_with(&cue)).peekable();
    // "[não] quero marcar": a cue that holds its own "quero" is declined by a "não" alone.
    let wanting = matches!(cue.first(), Some(&("quero" | "queria" | "vou" | "preciso" | "gostaria")));
    mentions.peek().is_some()
        && mentions.all(|at| {
            let before = &words[..at];
            DECLINING.iter().any(|declining| before.ends_with(declining))
                || (wanting && before.ends_with(&["nao"]))
        })
}

/// The days a patient names an appointment by: "amanhã não consigo".
const DAY_NAMES: [&str; 9] =
    ["segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo", "hoje", "amanha"];

/// Days a patient names after "para" or after not making it.
const DAY_WORDS: [&str; 13] = [
    "segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo", "hoje", "amanha", "dia", "semana",
    "proxima", "outro",
];

/// "passar o botox de quarta pra sexta", "jogar a limpeza pro dia 12": a verb of moving, then
/// within a few words "para" and a day. "passar o endereço" names no day, and "me passa o
/// valor pra sexta" tells something to the patient. Returns where the last such verb is, in
/// words.
fn last_move_to_a_day(message: &Normalized) -> Option<usize> {
    const MOVING: [&str; 12] = [
        "passar",
        "passa",
        "mudar",
        "muda",
        "trocar",
        "troca",
        "jogar",
        "joga",
        "transferir",
        "transfere",
        "empurrar",
        "empurra",
    ];
    const REACH: usize = 6;
    let words: Vec<&str> = message.tokens().collect();
    let to_me = |at: usize| at > 0 && words[at - 1] == "me";
    let moves = |at: usize| {
        let window = &words[at + 1..(at + 1 + REACH).min(words.len())];
        window.windows(2).any(|pair| pair[0] == "para" && DAY_WORDS.contains(&pair[1]))
            || window.windows(3).any(|w| {
                w[0] == "para" && matches!(w[1], "a" | "o" | "na" | "no") && DAY_WORDS.contains(&w[2])
            })
    };
    (0..words.len()).rev().find(|&at| MOVING.contains(&words[at]) && !to_me(at) && moves(at))
}

/// "vcs ficam onde?", "onde é que vocês estão?", "em que bairro fica?": "onde" (or "bairro")
/// and a verb of being somewhere within a few words of it, in either order, in one clause.
/// "onde eu pago?" and "onde estaciono?" ask where to do something else (parking has its own
/// cues), and "fica inchado onde aplicou?" is about the skin, not the clinic: the verb must be
/// said of the clinic or of "vocês", or stand alone next to "onde".
fn asks_where_the_clinic_is(text: &str) -> bool {
    const WHERE: [&str; 3] = ["onde", "aonde", "bairro"];
    const BEING_THERE: [&str; 11] = [
        "fica",
        "ficam",
        "e",
        "esta",
        "estao",
        "localiza",
        "localizada",
        "localizado",
        "localizados",
        "situada",
        "atendem",
    ];
    const THE_CLINIC: [&str; 4] = ["voces", "clinica", "consultorio", "endereco"];
    const REACH: usize = 3;
    split_clauses(text).any(|clause| {
        let clause = normalize(clause);
        let words: Vec<&str> = clause.tokens().collect();
        let about_the_clinic = words.iter().any(|word| THE_CLINIC.contains(word));
        words.iter().enumerate().filter(|(_, word)| WHERE.contains(word)).any(|(at, _)| {
            let near = &words[at.saturating_sub(REACH)..(at + 1 + REACH).min(words.len())];
            let being = near.iter().any(|word| BEING_THERE.contains(word));
            being && (about_the_clinic || words.len() <= REACH)
        })
    })
}

/// "dinheiro" as the patient's own money, not cash as a way to pay: "vou ver se sobra um
/// dinheiro", "to sem dinheiro agora".
const OWN_MONEY: &[&str] = &[
    "um dinheiro",
    "sobra dinheiro",
    "sobrar dinheiro",
    "juntar dinheiro",
    "guardar dinheiro",
    "sem dinheiro",
    "meu dinheiro",
];

/// "quanto" of what the patient has, not of a price: "deixa eu ver qnto tenho de limite".
const HOW_MUCH_I_HAVE: &[&str] = &[
    "quanto tenho",
    "quanto eu tenho",
    "quanto me sobra",
    "quanto sobra",
    "quanto ganho",
    "quanto recebo",
    "quanto posso gastar",
    "quanto consigo pagar",
];

/// "cartão" as the patient's own card, not a way to pay asked about: "ver o limite no cartão".
const OWN_CARD: &[&str] = &[
    "limite no cartao",
    "limite do cartao",
    "limite no meu cartao",
    "limite do meu cartao",
    "limite de cartao",
    "limite disponivel no cartao",
];

/// Words of a deal between businesses, or what a customer gets from one: near "academia" they
/// make the gym a company ("o cupom da parceria com a academia", "desconto pra aluno da
/// academia"), not the workout that aftercare is about ("posso voltar pra academia?").
const DEALS: &[&str] = &[
    "parceria",
    "parcerias",
    "parceira",
    "parceiras",
    "parceiro",
    "parceiros",
    "convenio",
    "conveniada",
    "conveniado",
    "cupom",
    "cupons",
    "desconto",
    "descontos",
    "voucher",
    "codigo",
    "beneficio",
    "aluno",
    "aluna",
    "alunos",
    "alunas",
];
/// How many words apart a deal and the gym may be: "desconto [pra quem é da] academia".
const DEAL_REACH: usize = 5;

/// Whether every "academia" in the message is a business, with a word of a deal within a few
/// words of it.
fn gym_as_a_business(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    let mut gyms = (0..words.len()).filter(|&at| words[at] == "academia").peekable();
    gyms.peek().is_some()
        && gyms.all(|at| {
            let from = at.saturating_sub(DEAL_REACH);
            let to = (at + 1 + DEAL_REACH).min(words.len());
            words[from..to].iter().any(|word| DEALS.contains(word))
        })
}

/// The patient's own commitments, which a verb of changing may take as well as an appointment:
/// "vou ver se consigo trocar meu plantão" changes the patient's shift, not a visit.
const OWN_COMMITMENTS: &[&str] =
    &["plantao", "turno", "escala", "folga", "expediente", "trabalho", "servico", "ferias", "voo"];

/// What names the thing whose workings are asked: "como funciona [o] cashback", "como funciona
/// [esse] pacote".
const THE_THING: &[&str] = &[
    "o", "a", "os", "as", "esse", "essa", "esses", "essas", "este", "esta", "isso", "aquele", "aquela",
    "seu", "sua",
];

/// Asking how long something takes: "quanto tempo demora?", "leva quanto tempo?", "é demorado?".
const TAKES_HOW_LONG: &[&str] = &[
    "quanto tempo demora",
    "quanto tempo leva",
    "quanto tempo dura a sessao",
    "quanto tempo dura a aplicacao",
    "quanto tempo dura o procedimento",
    "quanto tempo dura a consulta",
    "quanto tempo dura o atendimento",
    "demora quanto tempo",
    "leva quanto tempo",
    "dura quanto tempo a sessao",
    "dura quanto tempo a aplicacao",
    "dura quanto tempo o procedimento",
    "tempo de duracao",
    "duracao da sessao",
    "duracao do procedimento",
    "e demorado",
    "e demorada",
    "demora muito",
];

/// What else may take long, which the session's length does not answer: the effect, the
/// result, recovery, a package's validity, an answer or a wait ("demora muito pra responder").
const TAKES_LONG_BESIDES: &[&str] = &[
    "efeito",
    "resultado",
    "resultados",
    "recuperacao",
    "cicatrizar",
    "cicatrizacao",
    "inchaco",
    "desinchar",
    "roxo",
    "roxos",
    "hematoma",
    "validade",
    "pacote",
    "vale",
    "responder",
    "resposta",
    "atender",
    "chegar",
    "espera",
    "esperar",
    "fila",
    "para",
];

/// "quanto tempo demora a aplicação?", "a limpeza leva quanto tempo?": how long a session
/// takes, which the clinic's file says. Not "quanto tempo dura o efeito?" nor "demora quanto
/// tempo pra ver o resultado?", nor anything taking long "para" something else.
/// "paga antes ou depois do procedimento?", "o pagamento é na hora?": a verb or noun of paying
/// with when it is done.
fn asks_when_to_pay(message: &Normalized) -> bool {
    const PAYING: &[&str] = &["paga", "pago", "pagar", "pagamento", "pagto", "acerto", "acertar"];
    const WHEN: &[&str] = &["antes", "depois", "na hora", "no dia", "adiantado", "na saida", "na entrada"];
    mentions_any(message, PAYING) && mentions_any(message, WHEN)
}

fn asks_how_long_it_takes(message: &Normalized) -> bool {
    TAKES_HOW_LONG.iter().any(|phrase| message.contains_phrase(phrase))
        && !TAKES_LONG_BESIDES.iter().any(|word| message.contains_phrase(word))
}

/// "como funciona o cashback?", "como funciona esse esquema de indicação?": how a thing works,
/// not when the clinic is open ("vcs funcionam sábado?", "até que horas funciona?").
fn asks_how_something_works(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    // "e o cashback, como funciona?": the thing named first, the question closing the message.
    let closes_with_it = matches!(words.as_slice(), [.., "como", "funciona" | "funcionam"]);
    closes_with_it
        || words
            .windows(3)
            .any(|w| w[0] == "como" && matches!(w[1], "funciona" | "funcionam") && THE_THING.contains(&w[2]))
}

/// Whether a cue of changing "meu"/"minha" something ("trocar meu") names one of the patient's
/// own commitments at every mention, rather than an appointment.
fn changes_own_commitment(message: &Normalized, phrase: &str) -> bool {
    if !(phrase.ends_with(" meu") || phrase.ends_with(" minha")) {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    let cue: Vec<&str> = phrase.split(' ').collect();
    let mut mentions = (0..words.len()).filter(|&at| words[at..].starts_with(&cue)).peekable();
    mentions.peek().is_some()
        && mentions.all(|at| words.get(at + cue.len()).is_some_and(|next| OWN_COMMITMENTS.contains(next)))
}

/// "horário" of the patient's own day, not of an appointment: "é o meu horário de almoço",
/// "no meu horário de trabalho".
const OWN_SCHEDULE: &[&str] = &[
    "horario de almoco",
    "horario do almoco",
    "horario de trabalho",
    "horario do trabalho",
    "horario de servico",
    "horario do servico",
    "horario de expediente",
    "horario do expediente",
    "horario de saida",
    "horario da aula",
    "horario de aula",
];

/// "quanto" asking about time, not money (folded); "o quanto antes" is as soon as possible.
const HOW_LONG: &[&str] =
    &["quanto tempo", "quantos dias", "quantas horas", "quantos meses", "quantas semanas", "quanto antes"];

/// (topic, weight, folded phrase).
pub(super) const CUES: &[(Intent, u8, &str)] = &[
    (Intent::Book, 3, "marcar"),
    (Intent::Book, 3, "agendar"),
    (Intent::Book, 3, "agendamento"),
    (Intent::Book, 2, "marca"),
    // Wins over a word that leans elsewhere: "chega de adiar! quero marcar meu botox".
    (Intent::Book, 2, "quero marcar"),
    // Putting it off no longer, which books: "não vou mais adiar! quero agendar…".
    (Intent::Book, 4, "chega de adiar"),
    (Intent::Book, 4, "nao vou mais adiar"),
    (Intent::Book, 4, "nao quero mais adiar"),
    (Intent::Book, 4, "nao da mais para adiar"),
    (Intent::Book, 4, "parar de adiar"),
    (Intent::Book, 4, "parei de adiar"),
    (Intent::Book, 4, "cansei de adiar"),
    (Intent::Book, 2, "agenda"),
    (Intent::Book, 2, "quero fazer"),
    (Intent::Book, 2, "queria fazer"),
    (Intent::Book, 2, "gostaria de fazer"),
    (Intent::Book, 3, "tem horario"),
    (Intent::Book, 3, "tem horarios"),
    (Intent::Book, 2, "tem vaga"),
    (Intent::Book, 2, "tem vagas"),
    (Intent::Book, 3, "disponibilidade"),
    (Intent::Book, 2, "disponivel"),
    (Intent::Book, 2, "horarios disponiveis"),
    (Intent::Book, 2, "encaixe"),
    (Intent::Book, 2, "encaixar"),
    (Intent::Reschedule, 4, "remarcar"),
    // The passive: "a limpeza precisa ser remarcada".
    (Intent::Reschedule, 4, "ser remarcada"),
    (Intent::Reschedule, 4, "ser remarcado"),
    (Intent::Reschedule, 4, "ser reagendada"),
    (Intent::Reschedule, 4, "ser reagendado"),
    (Intent::Reschedule, 4, "reagendar"),
    (Intent::Reschedule, 4, "remarcacao"),
    (Intent::Reschedule, 4, "mudar o horario"),
    (Intent::Reschedule, 4, "mudar meu horario"),
    (Intent::Reschedule, 4, "mudar a data"),
    (Intent::Reschedule, 4, "mudar o dia"),
    (Intent::Reschedule, 4, "trocar o dia"),
    (Intent::Reschedule, 4, "trocar o horario"),
    (Intent::Reschedule, 4, "trocar a data"),
    (Intent::Reschedule, 4, "trocar de horario"),
    (Intent::Reschedule, 4, "adiar"),
    (Intent::Reschedule, 3, "mudar minha consulta"),
    (Intent::Reschedule, 3, "passar para outro dia"),
    (Intent::Reschedule, 2, "outro dia"),
    (Intent::Reschedule, 4, "passar para"),
    (Intent::Reschedule, 4, "mudar o"),
    (Intent::Reschedule, 4, "mudar a"),
    (Intent::Reschedule, 4, "mudar meu"),
    (Intent::Reschedule, 4, "mudar minha"),
    (Intent::Reschedule, 4, "mudar para"),
    (Intent::Reschedule, 4, "trocar para"),
    (Intent::Reschedule, 4, "trocar minha"),
    (Intent::Reschedule, 4, "trocar meu"),
    (Intent::Reschedule, 4, "trocar o"),
    (Intent::Reschedule, 4, "trocar a"),
    (Intent::Reschedule, 3, "passar minha"),
    (Intent::Reschedule, 3, "passar meu"),
    (Intent::Reschedule, 4, "antecipar"),
    (Intent::Reschedule, 4, "adiantar minha"),
    (Intent::Reschedule, 4, "adiantar meu"),
    (Intent::Reschedule, 4, "adiantar o"),
    (Intent::Reschedule, 4, "adiantar a"),
    (Intent::Cancel, 4, "cancelar"),
    (Intent::Cancel, 4, "cancela"),
    (Intent::Cancel, 4, "cancelamento"),
    (Intent::Cancel, 4, "desmarcar"),
    (Intent::Cancel, 4, "desmarca"),
    (Intent::Cancel, 4, "ser cancelada"),
    (Intent::Cancel, 4, "ser cancelado"),
    (Intent::Cancel, 4, "ser desmarcada"),
    (Intent::Cancel, 4, "ser desmarcado"),
    (Intent::Cancel, 3, "nao vou poder ir"),
    (Intent::Cancel, 3, "nao vou conseguir ir"),
    (Intent::Cancel, 3, "nao vou poder comparecer"),
    (Intent::Cancel, 3, "nao poderei ir"),
    (Intent::Cancel, 3, "nao posso ir"),
    // Said for someone else, as a grandchild writing for a grandparent: "ela não vai conseguir ir".
    (Intent::Cancel, 3, "nao vai poder ir"),
    (Intent::Cancel, 3, "nao vai conseguir ir"),
    (Intent::Cancel, 3, "nao vai poder comparecer"),
    (Intent::Cancel, 3, "nao vai conseguir comparecer"),
    // Not making it on a day: "não vou conseguir na quinta", "não vou poder amanhã".
    (Intent::Cancel, 3, "nao vou conseguir na"),
    (Intent::Cancel, 3, "nao vou conseguir no"),
    (Intent::Cancel, 3, "nao vou conseguir hoje"),
    (Intent::Cancel, 3, "nao vou conseguir amanha"),
    (Intent::Cancel, 3, "nao vou poder na"),
    (Intent::Cancel, 3, "nao vou poder no"),
    (Intent::Cancel, 3, "nao vou poder hoje"),
    (Intent::Cancel, 3, "nao vou poder amanha"),
    (Intent::Cancel, 3, "nao consigo ir"),
    (Intent::Cancel, 3, "nao da para ir"),
    (Intent::Cancel, 3, "nao vai dar para ir"),
    (Intent::ConfirmAttendance, 4, "confirmar presenca"),
    (Intent::ConfirmAttendance, 4, "confirmo presenca"),
    (Intent::ConfirmAttendance, 4, "confirmo minha presenca"),
    (Intent::ConfirmAttendance, 4, "confirmo minha consulta"),
    (Intent::ConfirmAttendance, 4, "confirmo a consulta"),
    (Intent::ConfirmAttendance, 4, "confirmar minha consulta"),
    (Intent::ConfirmAttendance, 4, "confirmo o horario"),
    (Intent::ConfirmAttendance, 4, "vou sim"),
    (Intent::ConfirmAttendance, 4, "estarei ai"),
    (Intent::ConfirmAttendance, 4, "estarei la"),
    (Intent::ConfirmAttendance, 4, "vou comparecer"),
    (Intent::ConfirmAttendance, 3, "confirmo"),
    (Intent::ConfirmAttendance, 3, "confirmar"),
    (Intent::ConfirmAttendance, 4, "confirmar meu horario"),
    (Intent::ConfirmAttendance, 4, "confirmar o horario"),
    (Intent::ListAppointments, 3, "meus horarios"),
    (Intent::ListAppointments, 3, "meu horario"),
    (Intent::ListAppointments, 3, "minhas consultas"),
    (Intent::ListAppointments, 1, "minha consulta"),
    (Intent::ListAppointments, 3, "quando e minha consulta"),
    (Intent::ListAppointments, 3, "que horas e minha consulta"),
    (Intent::ListAppointments, 3, "tenho consulta"),
    (Intent::ListAppointments, 3, "tenho horario"),
    (Intent::ListAppointments, 3, "tenho algo marcado"),
    // "quais horários eu tenho marcado amanhã?".
    (Intent::ListAppointments, 3, "tenho marcado"),
    (Intent::ListAppointments, 3, "tenho agendado"),
    (Intent::ListAppointments, 3, "meu agendamento"),
    (Intent::ListAppointments, 3, "meus agendamentos"),
    (Intent::ListAppointments, 2, "consulta marcada"),
    (Intent::ListAppointments, 3, "horario marcado"),
    (Intent::ListAppointments, 3, "algo agendado"),
    (Intent::ListAppointments, 3, "horario agendado"),
    (Intent::PackageBalance, 2, "pacote"),
    // A session of the package booked, or the package bought: "bora marcar a segunda sessão do
    // meu pacote", "queria usar mais uma sessão", "queria fechar o pacote de microagulhamento".
    (Intent::Book, 5, "sessao do meu pacote"),
    (Intent::Book, 5, "sessao do pacote"),
    (Intent::Book, 5, "usar mais uma sessao"),
    (Intent::Book, 5, "usar uma sessao"),
    (Intent::Book, 5, "marcar a sessao"),
    (Intent::Book, 5, "marcar minha sessao"),
    (Intent::Book, 5, "fechar o pacote"),
    (Intent::Book, 5, "fechar um pacote"),
    (Intent::Book, 5, "comprar o pacote"),
    // A package on offer, asked about: "tem pacote de limpeza?", not the sessions left.
    (Intent::Price, 3, "tem pacote"),
    (Intent::Price, 3, "tem pacotes"),
    (Intent::Price, 3, "algum pacote"),
    // A package on offer, not one bought: "queria aquele pacote da promoção".
    (Intent::Price, 3, "promocao"),
    (Intent::Price, 3, "promocoes"),
    (Intent::Price, 3, "promo"),
    (Intent::Price, 3, "desconto"),
    (Intent::Price, 3, "descontos"),
    (Intent::PackageBalance, 2, "meu pacote"),
    (Intent::PackageBalance, 2, "sessoes"),
    (Intent::PackageBalance, 4, "quantas sessoes"),
    (Intent::PackageBalance, 4, "saldo"),
    (Intent::PackageBalance, 4, "sessoes restantes"),
    (Intent::PackageBalance, 3, "quantas faltam"),
    (Intent::Price, 4, "quanto custa"),
    (Intent::Price, 4, "quanto fica"),
    (Intent::Price, 4, "quanto sai"),
    (Intent::Price, 4, "quanto esta"),
    (Intent::Price, 3, "quanto e"),
    (Intent::Price, 2, "quanto"),
    (Intent::Price, 3, "valor"),
    (Intent::Price, 3, "valores"),
    (Intent::Price, 4, "preco"),
    (Intent::Price, 4, "precos"),
    (Intent::Price, 2, "custa"),
    (Intent::Price, 3, "e paga"),
    (Intent::Price, 3, "e pago"),
    (Intent::Price, 3, "e gratuita"),
    (Intent::Price, 3, "e gratuito"),
    (Intent::Price, 3, "e gratis"),
    (Intent::Price, 3, "tem custo"),
    // Whether a service is free, or what the clinic charges for it: "a avaliação vcs cobram ou é
    // de graça?", "cobram pela consulta?". Not a bare "cobram": "vcs cobram taxa se eu
    // desmarcar?" asks about the policy.
    (Intent::Price, 3, "de graca"),
    (Intent::Price, 3, "cobram pela"),
    (Intent::Price, 3, "cobram pelo"),
    (Intent::Price, 3, "cobram por"),
    (Intent::Price, 3, "cobra pela"),
    (Intent::Price, 3, "cobra pelo"),
    (Intent::Price, 3, "cobram a avaliacao"),
    (Intent::Price, 3, "cobram a consulta"),
    (Intent::Price, 3, "cobra a avaliacao"),
    (Intent::Price, 3, "cobra a consulta"),
    (Intent::Price, 3, "orcamento"),
    (Intent::Price, 3, "quais procedimentos"),
    (Intent::Price, 3, "quais servicos"),
    (Intent::Price, 3, "quais tratamentos"),
    (Intent::Price, 3, "o que voces fazem"),
    // Tourists: "how much is the botox?" ("cuánto cuesta" folds to "quanto custa").
    (Intent::Price, 4, "how much"),
    (Intent::OpeningHours, 4, "horario de funcionamento"),
    (Intent::OpeningHours, 4, "horario de atendimento"),
    (Intent::OpeningHours, 4, "que horas abre"),
    (Intent::OpeningHours, 4, "que horas fecha"),
    (Intent::OpeningHours, 4, "abre sabado"),
    (Intent::OpeningHours, 3, "abre"),
    (Intent::OpeningHours, 3, "abrem"),
    (Intent::OpeningHours, 3, "fecha"),
    (Intent::OpeningHours, 3, "fecham"),
    (Intent::OpeningHours, 2, "funciona"),
    (Intent::OpeningHours, 2, "funcionam"),
    (Intent::OpeningHours, 2, "aberto"),
    (Intent::OpeningHours, 2, "aberta"),
    (Intent::Location, 4, "onde fica"),
    (Intent::Location, 4, "fica onde"),
    (Intent::Location, 4, "endereco"),
    (Intent::Location, 4, "localizacao"),
    (Intent::Location, 4, "como chegar"),
    (Intent::Location, 3, "onde e"),
    (Intent::Location, 3, "onde voces ficam"),
    (Intent::Location, 2, "qual a rua"),
    // "vcs ficam em q rua msm?", "qual bairro?".
    (Intent::Location, 3, "que rua"),
    (Intent::Location, 3, "qual rua"),
    (Intent::Location, 3, "que bairro"),
    (Intent::Location, 3, "qual bairro"),
    (Intent::Location, 2, "mapa"),
    // Tourists: "where are you located?", "¿dónde están?".
    (Intent::Location, 4, "where are you"),
    (Intent::Location, 4, "located"),
    (Intent::Location, 4, "where is the clinic"),
    (Intent::Location, 4, "where s the clinic"),
    (Intent::Location, 4, "wheres the clinic"),
    (Intent::Location, 4, "where is it"),
    (Intent::Location, 4, "location"),
    (Intent::Location, 4, "how do i get there"),
    (Intent::Location, 4, "where can i find you"),
    (Intent::Location, 4, "address"),
    (Intent::Location, 4, "direccion"),
    (Intent::Location, 4, "donde estan"),
    (Intent::Location, 4, "donde quedan"),
    (Intent::Location, 4, "ubicacion"),
    (Intent::Location, 4, "ubicados"),
    (Intent::Payment, 4, "forma de pagamento"),
    (Intent::Payment, 4, "formas de pagamento"),
    (Intent::Payment, 3, "pagamento"),
    (Intent::Payment, 3, "pagar"),
    (Intent::Payment, 4, "parcela"),
    (Intent::Payment, 4, "parcelas"),
    (Intent::Payment, 4, "parcelar"),
    (Intent::Payment, 4, "parcelado"),
    (Intent::Payment, 4, "parcelam"),
    (Intent::Payment, 4, "parcelamento"),
    (Intent::Payment, 4, "pix"),
    (Intent::Payment, 4, "cartao"),
    (Intent::Payment, 3, "credito"),
    (Intent::Payment, 3, "debito"),
    (Intent::Payment, 3, "dinheiro"),
    (Intent::Payment, 3, "boleto"),
    // Tourists: "can I pay with credit card?", "¿aceptan tarjeta?".
    (Intent::Payment, 4, "credit card"),
    (Intent::Payment, 4, "debit card"),
    (Intent::Payment, 3, "card"),
    (Intent::Payment, 3, "pay"),
    (Intent::Payment, 3, "payment"),
    (Intent::Payment, 3, "cash"),
    (Intent::Payment, 4, "tarjeta"),
    (Intent::Payment, 3, "efectivo"),
    (Intent::Parking, 5, "estacionamento"),
    (Intent::Parking, 5, "estacionar"),
    (Intent::Parking, 5, "onde estacionar"),
    (Intent::Parking, 5, "valet"),
    (Intent::Parking, 5, "manobrista"),
    (Intent::Parking, 2, "carro"),
    (Intent::Aftercare, 4, "cuidados depois"),
    (Intent::Aftercare, 4, "cuidados apos"),
    (Intent::Aftercare, 4, "cuidados pos"),
    (Intent::Aftercare, 3, "cuidados"),
    (Intent::Aftercare, 3, "cuidado"),
    (Intent::Aftercare, 3, "pos"),
    (Intent::Aftercare, 3, "depois do procedimento"),
    (Intent::Aftercare, 3, "depois da aplicacao"),
    (Intent::Aftercare, 4, "posso deitar"),
    (Intent::Aftercare, 4, "pode deitar"),
    (Intent::Aftercare, 4, "posso malhar"),
    (Intent::Aftercare, 4, "posso treinar"),
    (Intent::Aftercare, 4, "posso tomar sol"),
    (Intent::Aftercare, 4, "posso usar maquiagem"),
    (Intent::Aftercare, 4, "posso me maquiar"),
    (Intent::Aftercare, 4, "posso lavar"),
    (Intent::Aftercare, 4, "posso beber"),
    // The sun after a procedure: "posso ir pra praia no fds depois do peeling?".
    (Intent::Aftercare, 4, "ir a praia"),
    (Intent::Aftercare, 4, "ir na praia"),
    (Intent::Aftercare, 4, "ir para praia"),
    (Intent::Aftercare, 4, "ir para a praia"),
    (Intent::Aftercare, 4, "ir para piscina"),
    (Intent::Aftercare, 4, "ir na piscina"),
    (Intent::Aftercare, 4, "entrar na piscina"),
    (Intent::Aftercare, 4, "entrar no mar"),
    (Intent::Aftercare, 4, "pegar sol"),
    (Intent::Aftercare, 4, "pegar praia"),
    (Intent::Aftercare, 4, "tomar sol"),
    (Intent::Aftercare, 2, "academia"),
    (Intent::Aftercare, 2, "recomendacoes"),
    (Intent::Minor, 4, "menor de idade"),
    (Intent::Minor, 3, "adolescente"),
    (Intent::Minor, 2, "minha filha"),
    (Intent::Minor, 2, "meu filho"),
    (Intent::Minor, 2, "menor"),
    (Intent::MedicalQuestion, 4, "o que e essa"),
    (Intent::MedicalQuestion, 4, "o que e esse"),
    (Intent::MedicalQuestion, 4, "o que e isso"),
    (Intent::MedicalQuestion, 4, "o que pode ser"),
    (Intent::MedicalQuestion, 4, "e normal"),
    (Intent::MedicalQuestion, 4, "normal ficar"),
    (Intent::MedicalQuestion, 2, "estou com"),
    (Intent::MedicalQuestion, 4, "alergia"),
    (Intent::MedicalQuestion, 4, "que remedio"),
    (Intent::MedicalQuestion, 3, "remedio"),
    (Intent::MedicalQuestion, 3, "medicamento"),
    (Intent::MedicalQuestion, 4, "diagnostico"),
    (Intent::MedicalQuestion, 2, "mancha"),
    (Intent::MedicalQuestion, 2, "dor"),
    (Intent::MedicalQuestion, 2, "doendo"),
    (Intent::MedicalQuestion, 2, "inchado"),
    (Intent::MedicalQuestion, 2, "inchada"),
    (Intent::MedicalQuestion, 2, "roxo"),
    (Intent::MedicalQuestion, 2, "roxa"),
    (Intent::MedicalQuestion, 2, "hematoma"),
    (Intent::MedicalQuestion, 2, "vermelhidao"),
    (Intent::MedicalQuestion, 2, "coceira"),
    (Intent::MedicalQuestion, 2, "cocando"),
    (Intent::MedicalQuestion, 2, "ardendo"),
    (Intent::MedicalQuestion, 2, "sintoma"),
    (Intent::MedicalQuestion, 2, "sintomas"),
    (Intent::MedicalQuestion, 2, "febre"),
    (Intent::MedicalQuestion, 2, "infeccao"),
    (Intent::MedicalQuestion, 2, "pus"),
    (Intent::MedicalQuestion, 3, "pinta"),
    (Intent::MedicalQuestion, 3, "verruga"),
    (Intent::MedicalQuestion, 3, "caroco"),
    (Intent::MedicalQuestion, 4, "cancer"),
    (Intent::MedicalQuestion, 3, "mudou de cor"),
];
