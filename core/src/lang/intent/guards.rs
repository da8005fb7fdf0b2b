//! The checks that run before any dialogue: an emergency, a request for a human, an opt-out.

use super::escalation::needs_a_person;
use super::mentions_any;
use super::phrases::{
    BULK_SENDING, EMERGENCIES, EMERGENCY_NEGATIONS, FED_UP, HUMAN, MESSAGES_SENT, MESSAGING, OFF_THE_LIST,
    OFFERS_AND_REMINDERS, OPT_OUT_FILLERS, OPT_OUT_KEYWORDS, OPT_OUT_PHRASES, OUR_LIST, OWN_REGISTRATION,
    PEOPLE, PUT_THROUGH, SENDING_WISHED, STOPS, SWITCH_OFF,
};
use crate::lang::normalize::{Normalized, normalize, split_clauses};
use crate::lang::services::is_typo;

/// Asks for a person: "falar com atendente", "quero falar com uma pessoa", "humano", "recepção";
/// or, in one clause, a verb that puts someone through and a person, in either order: "pode
/// alguém me ligar?", "me transfere pra alguém", "prefiro resolver com uma pessoa".
///
/// A complaint about someone names them without asking for them: "a moça da recepção foi
/// grossa comigo" is not a request for the front desk. It goes to a person all the same, as a
/// complaint (with an apology, and the reason the team needs), unless it also asks in so many
/// words to be put through ("quero falar com a gerente, que descaso").
pub fn wants_human(text: &str) -> bool {
    let puts_through = split_clauses(text).any(|clause| {
        let clause = without_own_people(&we_as_nos(&normalize(clause)));
        mentions_any(&clause, PUT_THROUGH) && mentions_any(&clause, PEOPLE)
    });
    let names_a_person = mentions_any(
        &people_spelled(&without_own_people(&without_places(&without_reported_sources(&normalize(text))))),
        HUMAN,
    );
    puts_through || (names_a_person && (asks_in_so_many_words(text) || needs_a_person(text).is_none()))
}

/// "a gente" is the pronoun "we" ("vou falar com meu noivo pq a gente tá organizando o
/// casamento"), never the "gente" a patient asks to talk to ("falar com gente de verdade"): it
/// is read as the "nós" it stands for.
fn we_as_nos(clause: &Normalized) -> Normalized {
    let words: Vec<&str> = clause.tokens().collect();
    let mut read: Vec<&str> = Vec::with_capacity(words.len());
    let mut at = 0;
    while let Some(word) = words.get(at) {
        if *word == "a" && words.get(at + 1) == Some(&"gente") {
            read.push("nos");
            at += 2;
        } else {
            read.push(word);
            at += 1;
        }
    }
    normalize(&read.join(" "))
}

/// Verbs of telling in the past: a person just before one is who told the patient something.
const TOLD: &[&str] = &[
    "falou",
    "falaram",
    "disse",
    "disseram",
    "comentou",
    "comentaram",
    "explicou",
    "explicaram",
    "informou",
    "informaram",
    "avisou",
    "avisaram",
    "passou",
    "passaram",
    "mandou",
    "mandaram",
    "ofereceu",
    "ofereceram",
];

/// "a menina da recepção falou", "a atendente me disse que tinha": the person is the source of
/// what the patient is asking about, not someone asked for. Such a person word (one or two
/// words before a verb of telling in the past) is dropped before looking for a request.
fn without_reported_sources(message: &Normalized) -> Normalized {
    const REACH: usize = 2;
    let words: Vec<&str> = message.tokens().collect();
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(at, _)| {
            !words[at + 1..(at + 1 + REACH).min(words.len())].iter().any(|next| TOLD.contains(next))
        })
        .map(|(_, word)| *word)
        .collect();
    normalize(&kept.join(" "))
}

/// Prepositions of place: "pago na recepção" is where to pay, not the front desk asked for.
const AT_A_PLACE: &[&str] = &["na", "pela", "para a", "ate a"];

/// The front desk named as a place ("é cobrada no cartão ou pago na recepção?", "deixo o
/// documento na recepção") is dropped before looking for a request: only a verb that puts the
/// patient through ("me passa pra recepção") asks for its people.
fn without_places(message: &Normalized) -> Normalized {
    let words: Vec<&str> = message.tokens().collect();
    let at_a_place = |at: usize| {
        AT_A_PLACE.iter().any(|place| {
            let place: Vec<&str> = place.split(' ').collect();
            at >= place.len() && words[at - place.len()..at] == place[..]
        })
    };
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(at, word)| !(**word == "recepcao" && (at_a_place(*at) || of_a_thing(&words, *at))))
        .map(|(_, word)| *word)
        .collect();
    normalize(&kept.join(" "))
}

/// Words that make the person after them the patient's own: "meu gerente", "minha chefe".
const OWN: &[&str] = &["meu", "minha", "meus", "minhas", "meu proprio", "minha propria"];

/// "vou ver com meu gerente se ele libera", "preciso falar com minha supervisora antes": a
/// person of the patient's own (their boss at work, their secretary) is someone they will ask,
/// not the clinic's person asked for. Such a person word is dropped before looking for a request.
fn without_own_people(message: &Normalized) -> Normalized {
    let words: Vec<&str> = message.tokens().collect();
    let owned = |at: usize| {
        OWN.iter().any(|own| {
            let own: Vec<&str> = own.split(' ').collect();
            at >= own.len() && words[at - own.len()..at] == own[..]
        })
    };
    // "aqui é a dona Cida": a title before a first name is the writer's own name; the owner
    // asked for is "a dona da clínica".
    let a_title = |at: usize| {
        words[at] == "dona" && words.get(at + 1).is_some_and(|next| !OF_THE_CLINIC.contains(next))
    };
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(at, word)| !(PEOPLE.contains(word) && (owned(*at) || a_title(*at))))
        .map(|(_, word)| *word)
        .collect();
    normalize(&kept.join(" "))
}

/// What comes after "dona" when she owns the clinic: "a dona da clínica", "a dona daqui".
const OF_THE_CLINIC: &[&str] =
    &["da", "do", "de", "dessa", "desse", "desta", "deste", "daqui", "dai", "dali"];

/// Who "da recepção" can belong to: "a moça da recepção", "alguém da recepção".
const DESK_PEOPLE: &[&str] = &[
    "moca",
    "moco",
    "menina",
    "menino",
    "garota",
    "rapaz",
    "mulher",
    "pessoal",
    "pessoa",
    "alguem",
    "equipe",
    "gente",
    "atendente",
    "secretaria",
    "funcionaria",
    "funcionario",
    "responsavel",
    "meninas",
];

/// "o kit que tava na vitrine da recepção", "esqueci o guarda-chuva no sofá da recepção": the
/// front desk names where a thing is, not people asked for. Only a person word before "da"
/// ("a moça da recepção") makes it its people.
fn of_a_thing(words: &[&str], at: usize) -> bool {
    at >= 2
        && matches!(words[at - 1], "da" | "do")
        && !DESK_PEOPLE.contains(&words[at - 2])
        && !PEOPLE.contains(&words[at - 2])
}

/// "quero falar com a gerente": a request for a person that names the asking, not only the
/// person.
fn asks_in_so_many_words(text: &str) -> bool {
    const ASKING: [&str; 6] = ["falar com", "quero falar", "me passa", "me transfere", "me liga", "chama"];
    mentions_any(&normalize(text), &ASKING)
}

/// The words for a person, spelled right when typed with a small slip ("atendemte",
/// "recepcionsita"); a word keeps its first letter.
fn people_spelled(message: &Normalized) -> Normalized {
    const PERSON_WORDS: [&str; 4] = ["atendente", "recepcionista", "humano", "humana"];
    let words: Vec<&str> = message
        .tokens()
        .map(|word| {
            PERSON_WORDS
                .iter()
                .find(|known| word.chars().next() == known.chars().next() && is_typo(word, known))
                .copied()
                .unwrap_or(word)
        })
        .collect();
    normalize(&words.join(" "))
}

/// Asks to stop receiving messages. A keyword ("SAIR", "PARAR", "STOP") counts only when it is
/// essentially the whole message, so "parar de fumar" or "quero sair mais cedo" do not; an
/// explicit request ("não quero mais receber mensagens", "cancelar mensagens") counts anywhere.
/// "quero cancelar minha consulta" is about an appointment, not about messages.
pub fn is_opt_out(text: &str) -> bool {
    let message = without_a_form_of_address(waitlist_as_a_queue(&normalize(text)));
    if stops_only_the_slots(&message) {
        return false;
    }
    // "esse número é da minha avó… podem tirar ele da lista?": the number spoken of is this one.
    let this_number = mentions_any(&message, THIS_NUMBER);
    if mentions_any(&message, OPT_OUT_PHRASES)
        || clauses(text).iter().any(|clause| stops_messages(clause, this_number))
        || own_number_kept_from_marketing(&message)
    {
        return true;
    }
    let mut keywords = 0;
    for word in message.tokens() {
        if OPT_OUT_KEYWORDS.contains(&word) {
            keywords += 1;
        } else if !OPT_OUT_FILLERS.contains(&word) {
            return false;
        }
    }
    keywords > 0
}

/// "para de me mandar horário de manhã, só posso à tarde": what the patient wants stopped is the
/// kind of slot offered, not the clinic's messages. A verb of sending followed, a few words on,
/// by what a slot is called.
fn stops_only_the_slots(message: &Normalized) -> bool {
    const SENT: &[&str] = &["mandar", "mandando", "enviar", "enviando", "mostrar", "mostrando", "oferecer"];
    const SLOTS: &[&str] = &["horario", "horarios", "opcao", "opcoes", "vaga", "vagas", "data", "datas"];
    // "parem de mandar mensagens com horários" stops the messages: they come first.
    const MESSAGES: &[&str] = &["mensagem", "mensagens", "msg", "msgs", "propaganda", "propagandas", "nada"];
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        SENT.contains(word)
            && words
                .iter()
                .skip(at + 1)
                .take(SLOTS_REACH)
                .find(|next| SLOTS.contains(next) || MESSAGES.contains(next))
                .is_some_and(|first| SLOTS.contains(first))
    })
}

/// What this number is called when the patient writes of it: "esse número é da minha avó".
const THIS_NUMBER: &[&str] = &[
    "esse numero",
    "este numero",
    "esse whatsapp",
    "este whatsapp",
    "esse zap",
    "este zap",
    "esse celular",
    "este celular",
    "esse telefone",
    "este telefone",
];

/// The patient's own number, contact or data, as the patient names it: "meu número", "este
/// celular", "meus dados".
const OWN_OR_THIS: &[&str] = &["meu", "minha", "meus", "minhas", "este", "esse", "deste", "desse"];
const OWN_CONTACT: &[&str] = &["numero", "contato", "telefone", "celular", "whatsapp", "zap", "dados"];

/// Whether the patient's own number or contact is named at `at`: "meu número", "este contato".
fn own_contact_at(words: &[&str], at: usize) -> bool {
    words.get(at).is_some_and(|word| OWN_OR_THIS.contains(word))
        && words.get(at + 1).is_some_and(|word| OWN_CONTACT.contains(word))
}

/// Using, in the forms of a wish: "peço que não utilizem mais", "não usem".
const USE_WISHED: &[&str] = &[
    "usar",
    "use",
    "usem",
    "usarem",
    "usassem",
    "usando",
    "utilizar",
    "utilize",
    "utilizem",
    "utilizarem",
    "utilizassem",
    "utilizando",
];

/// A word of the clinic's marketing, by what it sends: not reminders, which the patient may want
/// on the same number.
fn is_marketing(word: &str) -> bool {
    MESSAGES_SENT.contains(&word)
        || BULK_SENDING.contains(&word)
        || word.starts_with("promoc")
        || word == "ofertas"
}

/// "solicito que não utilizem mais meu número para esse fim" after marketing is named, "meu
/// número é pessoal, não é pra propaganda": the patient's own number refused to the clinic's
/// marketing. A wish ("não usem"), never the patient's own use ("não uso mais esse número"),
/// and only with marketing named: "não usem o número antigo" changes a number, and "pode usar
/// esse número pros lembretes" consents.
fn own_number_kept_from_marketing(message: &Normalized) -> bool {
    if !message.tokens().any(is_marketing) {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    let use_refused = verbs_after_a_no(&words, &["me", "mais", "que"]).any(|(_, verb)| {
        words.get(verb).is_some_and(|word| USE_WISHED.contains(word))
            && (verb + 1..verb + 1 + STOP_REACH).any(|at| own_contact_at(&words, at))
    });
    // "não é para", "não é pra": what the number is for, said of the number itself.
    let declared = words.windows(3).enumerate().any(|(at, w)| {
        w == ["nao", "e", "para"]
            && (0..at).any(|own| own_contact_at(&words, own))
            && words[at + 3..].iter().take(3).any(|word| is_marketing(word))
    });
    use_refused || declared
}

/// How many words after the verb of sending the slot may be named: "mandar [só] horário".
const SLOTS_REACH: usize = 3;

/// "para de me chamar de senhora kkk": how the patient wants to be called, not contact refused.
/// The phrase of calling by a name is dropped before an opt-out is looked for.
fn without_a_form_of_address(message: Normalized) -> Normalized {
    const CALLED: &[&str] = &["me chamar de", "me chame de", "me chamem de", "me chama de", "me chamando de"];
    let mut folded = message.as_str().to_owned();
    for called in CALLED {
        folded = folded.replace(called, "");
    }
    normalize(&folded)
}

/// "me tira da lista de espera" leaves the clinic's waitlist, not its messages: the waitlist is
/// read as the "fila" it is, which no opt-out takes the patient off.
fn waitlist_as_a_queue(message: &Normalized) -> Normalized {
    normalize(&message.as_str().replace("lista de espera", "fila de espera"))
}

/// The clauses of a message, folded: a clause ends at punctuation or a new message.
fn clauses(text: &str) -> Vec<Vec<String>> {
    split_clauses(text)
        .map(|part| {
            let folded = without_a_form_of_address(waitlist_as_a_queue(&normalize(part)));
            folded.tokens().map(str::to_owned).collect::<Vec<_>>()
        })
        .filter(|clause| !clause.is_empty())
        .collect()
}

/// An opt-out said in the patient's own words, by its shape within one clause: a stop ("para
/// de", "chega de", "não quero mais") and, a few words on, messages or sending them ("mandar
/// mensagem", "promoção"); or taking the patient themselves off ("me remove", "tira meu
/// número") and, a few words on, the list or the number. "para de me enrolar" stops nothing
/// about messages, "tira uma dúvida sobre a lista de preços" takes nobody off, and "para
/// amanhã" has no stop at all.
fn stops_messages(clause: &[String], this_number: bool) -> bool {
    let words: Vec<&str> = clause.iter().map(String::as_str).collect();
    let stops = find_after(&words, STOPS, &[MESSAGING]).is_some() || refuses_receiving_at_all(&words);
    let taken_off = find_after(&words, OFF_THE_LIST, &[OUR_LIST]).is_some_and(|(at, end)| {
        // The patient is the one taken off: "me" before the verb, or "me"/"meu"/"minha" (or
        // "este"/"esse" number, the one writing) up to the list.
        let before = at.checked_sub(1).and_then(|i| words.get(i));
        // "tira da lista", "remove esse número": nobody else named between, so the one
        // writing.
        let nobody_else = words[at + 1..end - 1].iter().all(|word| THE_ONE.contains(word));
        before == Some(&"me")
            || nobody_else
            || words[at..end].iter().any(|word| {
                // "tirar eu dessa lista", as it is said; "tirar ele da lista" once the message
                // said that "ele" is this number.
                matches!(*word, "me" | "eu" | "meu" | "minha" | "meus" | "este" | "esse" | "deste" | "desse")
                    || (this_number && matches!(*word, "ele" | "ela"))
            })
    });
    // "quero sair dessa lista": leaving is said of oneself, no "me" needed.
    let leaves = find_after(&words, &["sair"], &[OUR_LIST]).is_some();
    // "cancela essas mensagens", "desativa as notificações": the sending switched off.
    let switched_off = find_after(&words, SWITCH_OFF, &[MESSAGES_SENT, BULK_SENDING, OWN_REGISTRATION])
        .is_some()
        || find_after(&words, FED_UP, &[MESSAGES_SENT, OFFERS_AND_REMINDERS]).is_some();
    stops
        || taken_off
        || leaves
        || switched_off
        || refuses_sending(&words)
        || forgets_me(&words)
        || belonging_refused(&words)
        || blocks_own_contact(&words)
        || arrival_refused(&words)
        || stops_ongoing_sending(&words)
}

/// "dá pra vcs pararem de ficar me enviando esses negócio?": the sending stopped, said as
/// it goes on ("ficar" or "continuar" and a gerund), whatever vague word names what is sent.
/// "para de ficar me enrolando" stops no sending, and "me chamando de…" is a name.
fn stops_ongoing_sending(words: &[&str]) -> bool {
    const STOPPING: &[&str] = &["para de", "pare de", "parem de", "parar de", "pararem de", "parassem de"];
    const GOING_ON: &[&str] = &["ficar", "ficarem", "continuar", "continuarem"];
    const SENDING: &[&str] = &["mandando", "enviando", "escrevendo", "ligando", "encaminhando", "disparando"];
    find_after(words, STOPPING, &[GOING_ON]).is_some_and(|(_, end)| {
        let rest = &words[end..];
        let to_whom = rest.iter().take(2).take_while(|word| matches!(**word, "me" | "nos" | "mais")).count();
        rest.get(to_whom).is_some_and(|word| SENDING.contains(word))
    })
}

/// "bloqueia meu número aí", "peço que bloqueiem este contato": the patient's own number or
/// contact blocked, in the forms of a wish. "bloqueia esse horário pra mim" keeps a slot, and
/// "bloquearam meu cartão" tells what happened.
fn blocks_own_contact(words: &[&str]) -> bool {
    const BLOCK: &[&str] = &["bloqueia", "bloqueie", "bloqueiem", "bloquear", "bloquearem", "bloqueassem"];
    words
        .iter()
        .enumerate()
        .filter(|(_, word)| BLOCK.contains(word))
        .any(|(at, _)| (at + 1..(at + 1 + STOP_REACH).min(words.len())).any(|own| own_contact_at(words, own)))
}

/// "pra essas propaganda num chegar mais", "não quero que chegue mais mensagem": what is sent
/// refused its arrival, in the forms of a wish, with what is sent named a few words before or
/// after. "a confirmação não chegou" and "o lembrete não chega" tell what happened.
fn arrival_refused(words: &[&str]) -> bool {
    const ARRIVING: &[&str] =
        &["chegar", "chegue", "cheguem", "chegarem", "chegassem", "vir", "venha", "venham", "virem"];
    const BEFORE_THE_VERB: &[&str] = &["me", "mais", "quero", "que", "desejo", "gostaria", "de"];
    verbs_after_a_no(words, BEFORE_THE_VERB).any(|(at, verb)| {
        let sent = |word: &&str| MESSAGES_SENT.contains(word) || OFFERS_AND_REMINDERS.contains(word);
        words.get(verb).is_some_and(|word| ARRIVING.contains(word))
            && (words[at.saturating_sub(STOP_REACH)..at].iter().any(sent)
                || words[verb + 1..(verb + 1 + STOP_REACH).min(words.len())].iter().any(sent))
    })
}

/// "não desejo mais fazer parte da lista de transmissão", "não quero continuar no cadastro de
/// vcs": belonging to the clinic's list refused, in the forms of a wish, with the list, the
/// registration or the group a few words on. Not the waitlist (read as a "fila" by then), nor a
/// treatment, a promotion or a plan ("não quero continuar o tratamento", "não quero participar
/// da promoção"), nor a list the patient would be left without ("ficar sem").
fn belonging_refused(words: &[&str]) -> bool {
    const WISH: &[&str] =
        &["me", "mais", "desejo", "quero", "gostaria", "de", "tenho", "interesse", "em", "pretendo", "que"];
    const BELONGING: &[&str] = &[
        "fazer parte",
        "ser parte",
        "pertencer",
        "participar",
        "integrar",
        "continuar",
        "permanecer",
        "ficar",
        "estar",
        "constar",
        "seguir",
    ];
    const LISTS: &[&str] = &["lista", "listas", "cadastro", "grupo", "transmissao", "mailing", "contatos"];
    verbs_after_a_no(words, WISH).any(|(_, verb)| {
        let verb = &words[verb..];
        BELONGING.iter().any(|belonging| {
            let belonging: Vec<&str> = belonging.split(' ').collect();
            verb.starts_with(&belonging)
                && verb[belonging.len()..]
                    .iter()
                    .take(STOP_REACH)
                    .take_while(|word| **word != "sem")
                    .any(|word| LISTS.contains(word))
        })
    })
}

/// "me esquece, num quero saber de promoção", "esqueçam de mim": the patient asks to be
/// forgotten, in any form of the wish. "não me esquece de avisar" asks to be reminded, and a
/// bare "esquece" takes back what was said.
fn forgets_me(words: &[&str]) -> bool {
    const FORGET: &[&str] = &["esquece", "esqueca", "esquecam", "esquecer", "esquecerem", "esquecessem"];
    words.iter().enumerate().any(|(at, word)| {
        let negated =
            words[at.saturating_sub(3)..at].iter().any(|before| matches!(*before, "nao" | "num" | "nunca"));
        let forgets = FORGET.contains(word) && !negated;
        let me_before = at.checked_sub(1).is_some_and(|before| words[before] == "me");
        let of_me_after = words.get(at + 1..at + 3).is_some_and(|after| after == ["de", "mim"]);
        // "me esquece de mandar…" would be a reminder's wording; forgetting the patient ends there.
        let nothing_to_do = words.get(at + 1).is_none_or(|next| *next != "de") || of_me_after;
        forgets && ((me_before && nothing_to_do) || of_me_after)
    })
}

/// Words that name no one between taking off and what from: "tira da lista", "apaga esse
/// número".
const THE_ONE: &[&str] =
    &["da", "do", "dessa", "desse", "desta", "deste", "o", "a", "esse", "este", "essa", "esta"];

/// "não quero receber", "não quero receber nada": receiving refused as a whole, with nothing
/// after it but "nada", "mais" or what is sent. "não quero receber anestesia" names something
/// else.
fn refuses_receiving_at_all(words: &[&str]) -> bool {
    words.windows(3).enumerate().any(|(at, w)| {
        w == ["nao", "quero", "receber"]
            && words[at + 3..].iter().all(|rest| {
                matches!(*rest, "nada" | "mais" | "mesmo" | "obrigada" | "obrigado" | "por" | "favor")
            })
    })
}

/// A sending refused, as a formal or indirect request puts it: "solicito que não me enviem
/// mais mensagens", "peço que não me mandem mais nada", "gostaria de não receber mais", "não
/// desejo mais receber". A "não", then pronouns, "mais" or a wish ("desejo", "tenho interesse
/// em"), then a verb of sending in the form of a wish (the infinitive, the
/// imperative or the subjunctive: never the past, so "não me mandaram mais nada" is no opt-out),
/// and, a few words on, "mais" or what is sent. "não me envie o endereço?" asks for nothing to
/// stop.
fn refuses_sending(words: &[&str]) -> bool {
    // "que": "não quero que me mandem mais propaganda".
    // "carece", "precisa": "num carece mandar mais mensage", "não precisa me mandar mais nada".
    // "ficar", "continuar" before a gerund: "num precisa ficar mandando essas propaganda mais".
    const BEFORE_THE_VERB: [&str; 19] = [
        "me",
        "nos",
        "mais",
        "desejo",
        "quero",
        "gostaria",
        "de",
        "tenho",
        "interesse",
        "em",
        "que",
        "carece",
        "carecem",
        "precisa",
        "precisam",
        "ficar",
        "ficarem",
        "continuar",
        "continuarem",
    ];
    // "num", as the northeast says "não": "num me mande mais".
    verbs_after_a_no(words, &BEFORE_THE_VERB).any(|(at, verb)| {
        let Some((verb_word, rest)) = words[verb..].split_first() else {
            return false;
        };
        let more_before = words[at + 1..verb].contains(&"mais");
        SENDING_WISHED.contains(verb_word)
            && !sent_to_someone_else(rest)
            && (more_before
                || rest.iter().take(STOP_REACH).any(|word| *word == "mais" || MESSAGING.contains(word)))
    })
}

/// Each "não" (or the northeast's "num": "num me mande mais") and where the verb it negates
/// stands, past the words `skipped` between them ("não [me mande]", "não [quero que] chegue").
fn verbs_after_a_no<'a>(
    words: &'a [&'a str],
    skipped: &'a [&'a str],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    words.iter().enumerate().filter(|(_, word)| matches!(**word, "nao" | "num")).map(move |(at, _)| {
        (at, at + 1 + words[at + 1..].iter().take_while(|word| skipped.contains(word)).count())
    })
}

/// "não encaminha essa mensagem pra minha mãe": one message kept from another person, not the
/// clinic's messages refused. "para", maybe a possessive or an article, and a person, within a
/// few words of the verb.
fn sent_to_someone_else(rest: &[&str]) -> bool {
    const PERSON: &[&str] = &[
        "ela", "ele", "mae", "pai", "marido", "esposa", "esposo", "filha", "filho", "irma", "irmao", "amiga",
        "amigo", "namorada", "namorado", "sogra", "sogro", "avo", "tia", "tio", "prima", "primo", "chefe",
    ];
    let reach = &rest[..rest.len().min(STOP_REACH + 2)];
    reach.iter().enumerate().any(|(at, word)| {
        *word == "para" && {
            let after = &reach[at + 1..];
            let skipped = after
                .iter()
                .take_while(|word| matches!(**word, "minha" | "meu" | "sua" | "seu" | "a" | "o"))
                .count();
            after.get(skipped).is_some_and(|person| PERSON.contains(person))
        }
    })
}

/// How many words after a stop what it stops may come: "para de [me] mandar", "não quero mais
/// [receber essas] mensagens".
const STOP_REACH: usize = 4;

/// The first `marker` (words) followed within [`STOP_REACH`] words by a word of one of the
/// `objects` lists: where the marker starts and where the object ends.
fn find_after(words: &[&str], markers: &[&str], objects: &[&[&str]]) -> Option<(usize, usize)> {
    markers.iter().find_map(|marker| {
        let marker: Vec<&str> = marker.split(' ').collect();
        (0..words.len()).find_map(|at| {
            let rest = words.get(at..)?;
            if !rest.starts_with(&marker) {
                return None;
            }
            let after = at + marker.len();
            let reach = words.get(after..(after + STOP_REACH).min(words.len()))?;
            reach
                .iter()
                .position(|word| objects.iter().any(|list| list.contains(word)))
                .map(|found| (at, after + found + 1))
        })
    })
}

/// Describes a medical emergency: "falta de ar", "dor no peito", "desmaiei", "reação alérgica
/// grave", "garganta fechando", "sangramento que não para", "convulsão".
///
/// A symptom the patient denies is not an emergency: "não estou com falta de ar", "não tenho dor
/// no peito", "sem falta de ar". A negation counts only within the same clause and a few words
/// before the symptom (a clause ends at punctuation and at "mas"), so "não! estou com falta de
/// ar" and "não sei, mas estou com falta de ar" still are; any symptom not denied makes the
/// message an emergency.
pub fn is_emergency(text: &str) -> bool {
    split_clauses(text).any(|part| {
        let part = normalize(part);
        let words: Vec<&str> = part.tokens().collect();
        words
            .split(|word| *word == "mas")
            .any(|clause| EMERGENCIES.iter().any(|symptom| affirms(clause, symptom)))
    })
}

/// How many words before a symptom a negation reaches: "não [estou com] falta de ar", "não
/// [tô sentindo] dor no peito". Further away it is likely about something else ("não sei se é
/// falta de ar").
const NEGATION_REACH: usize = 3;

/// Whether `symptom` occurs in `clause` (its words) at least once without a negation just
/// before it.
fn affirms(clause: &[&str], symptom: &str) -> bool {
    let wanted: Vec<&str> = symptom.split(' ').collect();
    (0..clause.len()).filter(|&at| clause[at..].starts_with(&wanted)).any(|at| {
        let before = &clause[at.saturating_sub(NEGATION_REACH)..at];
        !before.iter().any(|word| EMERGENCY_NEGATIONS.contains(word))
    })
}
