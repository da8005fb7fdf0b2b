//! A patient leaving the conversation for later: "vou ver com meu marido e te aviso", "mais
//! tarde eu retorno", "vou pensar". The answer is a short, warm goodbye, not the offer again.
//!
//! The set phrases catch the common goodbyes; the rest are caught by their shape, since
//! patients put them in endless words: a promise to get back ("amanhã te confirmo", "depois
//! falo com você"), or an intention to check something first ("vou olhar minha escala").

use super::mentions_any;
use super::phrases::FOR_LATER;
use super::replies::is_affirmative;
use crate::lang::normalize::{Normalized, normalize};

/// "te confirmo", "te digo": the patient promising to get back, whatever comes before.
const GETS_BACK: &[&str] = &[
    "te confirmo",
    "te digo",
    "te mando mensagem",
    "te escrevo",
    "te dou um retorno",
    "te dou retorno",
    "te procuro",
    "volto a chamar",
    "volto a te chamar",
    "volto a entrar em contato",
    "volto a procurar",
    "volto aqui",
    "chamo voces",
    "chamo de novo",
    // The verb, then who: "aviso vc", "falo com você".
    "aviso voce",
    "aviso voces",
    // "lhe", as older and northeastern patients say it: "eu lhe dou notícia", "lhe aviso".
    "lhe dou noticia",
    "lhe dou noticias",
    "te dou noticia",
    "te dou noticias",
    "lhe aviso",
    "lhe retorno",
    "lhe confirmo",
    "lhe dou um retorno",
    "lhe dou retorno",
    "falo com voce",
    "falo com voces",
    "falo contigo",
    // A nudge: "te dou um toque", "dou um alô".
    "dou um toque",
    "dou um alo",
];

/// "vou ver … e te aviso", "deixa eu ver … e já te falo": a promise to get back joined by "e"
/// to what the patient will see to first.
const JOINED_PROMISES: &[&str] = &[
    "te aviso",
    "ja te aviso",
    "te falo",
    "ja te falo",
    "te retorno",
    "ja te retorno",
    "te respondo",
    "ja te respondo",
    "te chamo",
    "ja te chamo",
];

/// Waiting before deciding, or declining for now: "no momento vou aguardar", "prefiro esperar
/// um pouco", "futuramente entrarei em contato", "vou segurar por enquanto", "irei avaliar minha
/// agenda e em breve darei retorno".
const WAITS: &[&str] = &[
    "vou aguardar",
    "prefiro aguardar",
    "vou esperar",
    "prefiro esperar",
    "no momento nao",
    "neste momento nao",
    "nesse momento nao",
    "entrarei em contato",
    "farei contato",
    "vou segurar",
    "segurar por enquanto",
    "nao confirmar agora",
    "nao vou confirmar agora",
    "quando tiver certeza",
    "darei retorno",
    "darei um retorno",
    "dou retorno",
    "dou um retorno",
    "volto a escrever",
    "volto a entrar em contato",
    "avaliar minha agenda",
    "avaliar a minha agenda",
    "irei verificar",
    "irei pensar",
];

/// Words that take leave: "tchau", "até mais", "até logo", "beijos".
const FAREWELLS: &[&str] = &[
    "tchau",
    "tchauzinho",
    "ate mais",
    "ate logo",
    "ate breve",
    "ate a proxima",
    "ate depois",
    "beijos",
    "beijo",
    "bjs",
    "um abraco",
    "abracos",
];

/// Takes leave without a yes: "Obrigada! Até mais." leaves what was offered for later; "sim,
/// tchau!" accepts it first.
fn says_farewell(text: &str, message: &Normalized) -> bool {
    mentions_any(message, FAREWELLS) && !is_affirmative(text)
}

/// A tourist's goodbye for now, in English: "I'll check with my wife and get back to you".
/// The apostrophe is dropped or split when folded, so both spellings are listed.
const ENGLISH_GOODBYES: &[&str] = &[
    "get back to you",
    "let you know",
    "check with my",
    // "talk" folds to "falar com", so that "talk to someone" asks for a person: "let me talk
    // to my wife first" reads "falar com to my wife".
    "falar com to my",
    "text you later",
    "message you later",
    "ill check",
    "i ll check",
    "i will check",
    "ill think about it",
    "i ll think about it",
    "i will think about it",
];

/// A tourist's goodbye for now, in Spanish, as it folds ("mañana" reads "amanha", "después"
/// and "luego" read "depois", "escribo" reads "escrevo"): "lo pienso y te escribo mañana".
const SPANISH_GOODBYES: &[&str] = &[
    "lo penso",
    "lo pensare",
    "lo vou a pensar",
    "vou a pensarlo",
    "tengo que pensar",
    "tengo que pensarlo",
    "dejame pensar",
    "dejame ver",
    "lo consulto",
    "lo hablo con",
    "lo veo con",
    "te confirmo depois",
    "nos falamos",
    "falamos depois",
    "falamos amanha",
];

/// Called away in the middle of the chat: "minha chefe tá me chamando aqui", "to entrando numa
/// reunião", "preciso ir agora". What was under way is left for later.
const CALLED_AWAY: &[&str] = &[
    "esta me chamando",
    "estao me chamando",
    "me chamaram aqui",
    "me chamou aqui",
    "me chamando aqui",
    "preciso ir agora",
    "tenho que ir agora",
    "preciso sair agora",
    "tenho que sair agora",
    "vou ter que sair agora",
    "vou ter que ir agora",
    "tenho que ir embora",
    "preciso desligar",
    "tenho que desligar",
    "vou ter que desligar",
    "entrando em reuniao",
    "entrando numa reuniao",
    "vou entrar em reuniao",
    "vou entrar numa reuniao",
    "entrar numa reuniao agora",
    "meu onibus chegou",
    "minha vez chegou",
    "chegou minha vez",
];

/// What follows "te escrevo" when the patient is writing now, not promising to later: "te
/// escribo para saber si tienen turno", "te escrevo pra perguntar do botox".
const WRITING_NOW_FOR: &[&str] = &["para", "por", "porque", "pq", "sobre", "a respeito"];

/// When the patient will get back: with a verb of answering after it ("depois falo com você").
const LATER_MARKERS: &[&str] = &[
    "depois",
    "mais tarde",
    "amanha",
    "outra hora",
    "qualquer coisa",
    "semana que vem",
    // Formal or vague: "mais adiante eu confirmo", "posteriormente retorno".
    "mais adiante",
    "mais para frente",
    "posteriormente",
    "futuramente",
    "oportunamente",
    // When, with the part of the day: "amanhã de manhã te falo", "hoje à noite eu vejo".
    "amanha de manha",
    "amanha pela manha",
    "amanha cedo",
    "amanha a tarde",
    "amanha a noite",
    "hoje a noite",
    "hoje mais tarde",
    "a noite",
    "de noite",
    "fim de semana",
    "mes que vem",
];
/// Right after the marker, or after "eu"/"te" ("amanhã te confirmo"); never further, since
/// "amanhã tenho retorno com a dra" is an appointment, not a goodbye.
const ANSWERING_VERBS: &[&str] = &[
    "falo",
    "respondo",
    "retorno",
    "aviso",
    "confirmo",
    "chamo",
    "volto",
    "vejo",
    "digo",
    "marco",
    "agendo",
    "eu marco",
    "eu agendo",
    "eu falo",
    "eu respondo",
    "eu retorno",
    "eu aviso",
    "eu confirmo",
    "eu chamo",
    "eu volto",
    "eu vejo",
    "te falo",
    "te respondo",
    "te retorno",
    "te aviso",
    "te confirmo",
    "te chamo",
    "te digo",
    "lhe falo",
    "lhe digo",
    "lhe dou",
    "eu lhe dou",
    "te dou",
    "eu te dou",
    // Finishing what was under way: "dps termino de ver isso", "amanhã eu continuo".
    "termino",
    "continuo",
    "resolvo",
    "decido",
    "eu termino",
    "eu continuo",
    "eu resolvo",
    "eu decido",
    // "dps finalizo isso", "amanhã eu fecho".
    "finalizo",
    "fecho",
    "eu finalizo",
    "eu fecho",
    // The same said of both, "a gente" or "nós": "dps a gnt continua", "amanhã a gente vê".
    "a gente continua",
    "a gente termina",
    "a gente ve",
    "a gente resolve",
    "a gente decide",
    "a gente combina",
    "a gente acerta",
    "a gente fala",
    // Said for someone else, as a grandchild booking for a grandparent: "amanhã a gente confirma".
    "a gente confirma",
    "a gente avisa",
    "a gente retorna",
    "a gente responde",
    "a gente te fala",
    "a gente te avisa",
    "a gente te confirma",
    "a gente marca",
    "a gente agenda",
    "continuamos",
    "terminamos",
    "resolvemos",
    "combinamos",
    "conversamos",
];

/// The answering verb first, then when: "falo contigo mais tarde", "marco depois". Not "amanhã"
/// or "semana que vem" after it: "marco semana que vem" may ask for that week.
const VERBS_THEN_LATER: &[&str] = &[
    "falo", "respondo", "retorno", "aviso", "confirmo", "chamo", "volto", "vejo", "marco", "agendo", "digo",
    "termino", "continuo", "resolvo", "decido", "penso", "finalizo", "fecho",
];
/// The same said of both, or of leaving it: "a gente continua depois", "falamos outra hora",
/// "deixa pra outro momento".
const BOTH_THEN_LATER: &[&str] = &[
    "a gente continua",
    "a gente termina",
    "a gente ve",
    "a gente resolve",
    "continuamos",
    "resolvemos",
    "falamos",
    "conversamos",
    "vemos",
    "deixa para",
    "deixo para",
    "fica para",
];
/// "com você", "contigo", "isso": the words a verb of answering may take before its "when".
const VERB_OBJECT_REACH: usize = 2;

/// An intention to check or decide something first ("vou olhar minha escala", "preciso
/// juntar uma grana"): the first word, then a checking verb within a word or two.
const INTENDS: &[&str] =
    &["vou", "preciso", "deixa eu", "deixa eu so", "tenho que", "vou ter que", "primeiro vou"];
/// Not "ver", "consultar" or "conversar": "preciso ver um horário" and "preciso consultar com
/// a dermatologista" ask to book (their goodbye forms are set phrases).
const CHECKING_VERBS: &[&str] = &[
    "olhar",
    "checar",
    "conferir",
    "verificar",
    "pensar",
    "analisar",
    "decidir",
    "perguntar",
    "combinar",
    "organizar",
    "juntar",
    "esperar",
];

/// "preciso consultar minha agenda", "vou consultar meu marido": consulting something or someone
/// of one's own first. Not "preciso consultar com a dermatologista", which asks to book.
const CONSULTS_OWN: &[&str] = &["consultar minha", "consultar meu", "consultar a minha", "consultar o meu"];

/// "retorno o contato", "respondo sua mensagem": getting back named by what is got back to,
/// with a word or two between ("retorno o seu contato"). Not "retorno com a dra", a visit.
const GETS_BACK_VERBS: &[&str] = &["retorno", "respondo", "devolvo"];
const GOT_BACK_TO: &[&str] = &["contato", "mensagem", "ligacao"];
const GOT_BACK_TO_REACH: usize = 2;

/// "vou ver se sobra um dinheiro", "preciso ver se consigo folga": checking something of one's
/// own first, by what comes after "ver se". Not "preciso ver se tem vaga sexta", which asks
/// Sofia to look.
const SEES_WHETHER: &[&str] = &["vou ver se", "preciso ver se", "tenho que ver se", "deixa eu ver se"];
const OWN_CHECKS: &[&str] = &[
    "consigo", "sobra", "posso", "da", "rola", "meu", "minha", "eu", "ele", "ela", "tenho", "vou", "recebo",
    "junto", "folgo", "ganho",
];

/// What a patient's decision waits on: "quando cair o salário", "assim que sair minha escala",
/// "se meu marido puder ficar com as crianças". A bare "se" is no condition ("pode se sentar",
/// "se possível de manhã"): only one that opens something happening to the patient or theirs.
pub(super) const CONDITIONS: &[&str] = &[
    "quando",
    "qdo",
    "assim que",
    "logo que",
    "depois que",
    "so quando",
    "se eu",
    "se meu",
    "se minha",
    "se ele",
    "se ela",
    "se der",
    "se sair",
    "se cair",
];
/// A promise to get back, after what it waits on: "quando sair minha escala eu te aviso".
const PROMISES_ON_A_CONDITION: &[&str] = &[
    "te aviso",
    "te falo",
    "te chamo",
    "te retorno",
    "te confirmo",
    "te digo",
    "te dou um toque",
    "lhe aviso",
    "eu marco",
    "eu agendo",
    "eu confirmo",
    "eu aviso",
    "eu retorno",
    "eu volto",
    "eu chamo",
    "falo contigo",
    "falo com voce",
    "volto aqui",
    "a gente marca",
    "a gente ve",
];
/// The promise said by its bare verb, as the message's last word: "quando acertar com ele,
/// aviso", "assim que ele disser, confirmo".
const BARE_PROMISES: &[&str] =
    &["aviso", "retorno", "volto", "confirmo", "respondo", "falo", "marco", "agendo"];
/// Words at least between the condition and the promise (the event waited on: "quando
/// cair"), and at most: "quando eu marco, pago na hora?" asks about booking.
const CONDITION_WORDS: std::ops::RangeInclusive<usize> = 2..=10;

/// "dia 10 quando cair o salário eu marco", "assim que sair minha escala te aviso": the
/// decision waits on an event of the patient's own. Never a question ("quando eu volto pra
/// retirar os pontos, te aviso antes?").
fn waits_on_an_event(text: &str, message: &Normalized) -> bool {
    if text.contains('?') {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    CONDITIONS.iter().any(|condition| {
        let condition: Vec<&str> = condition.split(' ').collect();
        (0..words.len()).filter(|&at| words[at..].starts_with(&condition)).any(|at| {
            let event = at + condition.len();
            CONDITION_WORDS.filter_map(|gap| words.get(event + gap..)).any(opens_with_a_promise)
        })
    })
}

/// Words that open with a promise to get back: "te aviso", "eu marco", or its bare verb as the
/// last word ("aviso").
pub(super) fn opens_with_a_promise(words: &[&str]) -> bool {
    PROMISES_ON_A_CONDITION.iter().any(|promise| {
        let promise: Vec<&str> = promise.split(' ').collect();
        words.starts_with(&promise)
    }) || matches!(words, [verb] if BARE_PROMISES.contains(verb))
}

/// An unnamed later: "depois", "outra hora", "mais pra frente", after a verb ("falamos outra
/// hora") or alone ([`puts_off`]). Not "amanhã" nor "semana que vem", which name when.
const SOME_LATER_TIME: &[&str] = &[
    "depois",
    "mais tarde",
    "outra hora",
    "outro dia",
    "outro momento",
    "outra ocasiao",
    "em breve",
    "logo mais",
    "mais para frente",
    "mais adiante",
    "posteriormente",
    "futuramente",
    "oportunamente",
    "qualquer hora",
    "later",
    "luego",
];

/// Whether the message puts something off to an unnamed later ("falamos outra hora então",
/// "dps eu vejo isso com calma"), whatever the words around it: the caller reads it as a
/// goodbye for now only when nothing else in the turn could be placed.
pub fn puts_off(text: &str) -> bool {
    mentions_any(&normalize(text), SOME_LATER_TIME)
}

/// Says they will decide or come back later.
pub fn leaves_for_later(text: &str) -> bool {
    let message = without_sequence_adverbs(&normalize(text));
    mentions_any(&message, FOR_LATER)
        || SEES_WHETHER.iter().any(|sees| followed_by(&message, sees, OWN_CHECKS, 0))
        || promises_to_get_back(&message)
        || mentions_any(&message, WAITS)
        || says_farewell(text, &message)
        || mentions_any(&message, ENGLISH_GOODBYES)
        || mentions_any(&message, SPANISH_GOODBYES)
        || called_away(&message)
        || waits_on_an_event(text, &message)
        || followed_by(&message, "e", JOINED_PROMISES, 0)
        || LATER_MARKERS.iter().any(|marker| followed_by(&message, marker, ANSWERING_VERBS, 0))
        || INTENDS.iter().any(|intends| followed_by(&message, intends, CHECKING_VERBS, 1))
        || INTENDS.iter().any(|intends| followed_by(&message, intends, CONSULTS_OWN, 1))
        || GETS_BACK_VERBS.iter().any(|verb| followed_by(&message, verb, GOT_BACK_TO, GOT_BACK_TO_REACH))
        || VERBS_THEN_LATER
            .iter()
            .chain(BOTH_THEN_LATER)
            .any(|verb| followed_by(&message, verb, SOME_LATER_TIME, VERB_OBJECT_REACH))
}

/// Adverbs of sequence that patients put inside a phrase of checking first, after its head:
/// "preciso primeiro ver com meu marido", "tenho ainda que combinar com meu genro".
const SEQUENCE_ADVERBS: &[&str] = &["antes", "primeiro", "ainda"];
const SEQUENCE_HEADS: &[&str] = &["preciso", "vou", "tenho", "que", "q"];

/// The message without the [`SEQUENCE_ADVERBS`] that stand right after a [`SEQUENCE_HEADS`]
/// word, so that the set phrases read through them ("preciso ver com").
fn without_sequence_adverbs(message: &Normalized) -> Normalized {
    let words: Vec<&str> = message.tokens().collect();
    let inside = |at: usize| {
        SEQUENCE_ADVERBS.contains(&words[at]) && at > 0 && SEQUENCE_HEADS.contains(&words[at - 1])
    };
    if !(0..words.len()).any(inside) {
        return message.clone();
    }
    let kept: Vec<&str> = (0..words.len()).filter(|&at| !inside(at)).map(|at| words[at]).collect();
    normalize(&kept.join(" "))
}

/// "minha chefe tá me chamando aqui": called away. "tá me chamando de quê?" is a name, not a
/// call.
fn called_away(message: &Normalized) -> bool {
    mentions_any(message, CALLED_AWAY) && !message.contains_phrase("chamando de")
}

/// "te confirmo", "te escrevo amanhã": a promise to get back. "te escrevo pra saber se tem
/// vaga" is the patient writing now, to ask.
fn promises_to_get_back(message: &Normalized) -> bool {
    GETS_BACK.iter().any(|promise| {
        message.contains_phrase(promise)
            && !(promise.ends_with("escrevo") && followed_by(message, promise, WRITING_NOW_FOR, 0))
    })
}

/// Whether `first` occurs with one of `then` starting at most `gap` words after it.
fn followed_by(message: &Normalized, first: &str, then: &[&str], gap: usize) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    let first: Vec<&str> = first.split(' ').collect();
    (0..words.len()).any(|i| {
        let rest = &words[i..];
        rest.starts_with(&first)
            && (0..=gap).any(|skip| {
                let after = rest.get(first.len() + skip..).unwrap_or_default();
                then.iter().any(|phrase| {
                    let phrase: Vec<&str> = phrase.split(' ').collect();
                    after.starts_with(&phrase)
                })
            })
    })
}
