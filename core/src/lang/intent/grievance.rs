//! The shapes of a grievance, read beyond the cue phrases of [`super::phrases`]: a judgement
//! said with intensity, the clinic judged in general words, a patient left without an answer or
//! kept waiting, strung along, and a charge told together with an objection to it.
//!
//! Each shape needs two parts that together mean only a grievance (a judgement *and* its
//! target, a charge *and* an objection), so that one word of annoyance in an ordinary request
//! ("que pena, não tem sábado?", "poxa, queria mais cedo") never takes a patient to a person.

use super::mentions_any;
use crate::lang::normalize::Normalized;
use crate::lang::words::{digits, number};

/// Words that judge something badly. With the clinic, its team or its work near them, or said
/// with intensity, a complaint.
const JUDGEMENTS: &[&str] = &[
    "pessimo",
    "pessima",
    "pessimos",
    "pessimas",
    "horrivel",
    "horriveis",
    "horroroso",
    "horrorosa",
    "ridiculo",
    "ridicula",
    "ridiculos",
    "ridiculas",
    "lamentavel",
    "vergonhoso",
    "vergonhosa",
    "terrivel",
    "decepcionante",
    "desrespeitoso",
    "desrespeitosa",
    "inaceitavel",
    "absurdo",
    "absurda",
    "desorganizado",
    "desorganizada",
    "desorganizados",
    "desorganizacao",
    "amador",
    "amadora",
    "amadores",
    "descaso",
    "desleixo",
    "bagunca",
    "sacanagem",
    "palhacada",
    "porcaria",
    "lixo",
    "mal feito",
    "mal feita",
    "malfeito",
    "malfeita",
    "pouco caso",
    // Falling short, or worse than before: "vcs deixam a desejar", "o atendimento caiu muito".
    "a desejar",
    "caiu muito",
    "ja foi melhor",
];

/// Rude or filthy: a complaint only said of someone or something of the clinic's ("a
/// esteticista foi super estúpida", "o lençol da maca tava sujo"), never with intensity alone
/// ("me sinto muito estúpida, esqueci a consulta", "meus poros estão muito sujos").
const RUDE_OR_FILTHY: &[&str] = &[
    "estupida",
    "estupido",
    "grosseira",
    "grosseiro",
    "arrogante",
    "antipatica",
    "antipatico",
    "debochada",
    "debochado",
    "sujo",
    "suja",
    "sujos",
    "sujas",
    "imundo",
    "imunda",
    "nojento",
    "nojenta",
    "encardido",
    "encardida",
];

/// The clinic, its team and its work: what a judgement is said of in a complaint ("péssimo
/// atendimento", "a equipe de vocês é desorganizada").
const THE_CLINIC: &[&str] = &[
    "atendimento",
    "servico",
    "servicos",
    "clinica",
    "equipe",
    "recepcao",
    "recepcionista",
    "atendente",
    "atendentes",
    "resultado",
    "profissional",
    "profissionais",
    "doutora",
    "doutor",
    "dra",
    "dr",
    "medica",
    "medico",
    "esteticista",
    "trabalho",
    "organizacao",
    "suporte",
    "voces",
    "experiencia",
    "procedimento",
    "aplicacao",
    // The clinic's rooms and things: "a maca estava suja", "o banheiro é imundo".
    "maca",
    "lencol",
    "lencois",
    "sala",
    "salas",
    "banheiro",
    "toalha",
    "toalhas",
    "consultorio",
    "ambiente",
    "material",
    "materiais",
    "luva",
    "luvas",
    "equipamento",
    "equipamentos",
    "cadeira",
    "esteticistas",
    "moca",
    "menina",
    "recepcionistas",
];

/// Anger: a complaint when raised by an intensifier or said loud ("to MUITO irritada",
/// "extremamente decepcionada").
const ANGER: &[&str] = &[
    "irritada",
    "irritado",
    "furiosa",
    "furioso",
    "revoltada",
    "revoltado",
    "indignada",
    "indignado",
    "decepcionada",
    "decepcionado",
    "insatisfeita",
    "insatisfeito",
];
/// Sadness or annoyance, which may be at oneself ("fiquei muito chateada de não poder ir"):
/// a complaint only said loud, in capitals or with "!!".
const ANNOYANCE: &[&str] = &["chateada", "chateado", "frustrada", "frustrado", "brava", "bravo"];

/// Words that raise a judgement's degree when said right before it.
const INTENSIFIERS: &[&str] = &[
    "muito",
    "super",
    "extremamente",
    "totalmente",
    "completamente",
    "mega",
    "demais",
    "tao",
    "bem",
    "mais",
];

/// The patient's own body or looks: "minha pele está horrível!!" is why someone books, and
/// "a pele está muito irritada" is a symptom, not anger at the clinic.
const OWN_BODY: &[&str] = &[
    "pele", "rosto", "cara", "cabelo", "cabelos", "corpo", "ruga", "rugas", "olheira", "olheiras", "mancha",
    "manchas", "espinha", "espinhas", "acne", "papada", "barriga", "labio", "labios", "boca", "nariz",
    "testa", "olho", "olhos", "unha", "unhas", "estrias", "celulite", "flacidez", "poro", "poros", "cravo",
    "cravos",
];

/// How the patient feels or sees themself: "me sinto um lixo", "me acho horrível".
const FEELING_ONESELF: &[&str] = &["sentindo", "sinto", "acho", "achando"];

/// Whether `message` names a part of the patient's body or looks ([`OWN_BODY`]).
pub(super) fn names_own_looks(message: &Normalized) -> bool {
    mentions_any(message, OWN_BODY)
}

/// A day or time not available, the everyday reason for a sigh: "to muito chateada que não tem
/// sábado" asks for another day; it complains about nothing the team must settle.
const NOTHING_FREE: &[&str] = &[
    "nao tem",
    "nao tinha",
    "nao ter",
    "sem horario",
    "sem vaga",
    "lotado",
    "lotada",
    "nao consegui horario",
    "nao abre",
    "nao abrem",
    "mais cedo",
    "mais tarde",
];

/// Verbs of answering, calling back or settling, by their start: after "ninguém", the patient
/// was left alone ("ninguém me responde", "ninguém resolve nada", "ninguém me ligou").
const ANSWERING: &[&str] = &["respond", "atend", "retorn", "lig", "avis", "resolv", "explic", "fal"];
/// "ninguém me dá retorno", "ninguém deu satisfação": whole words, since "da" also starts
/// "daqui".
const GIVING: &[&str] = &["da", "deu", "dao"];

/// Being made to wait, said with how long: "to esperando há horas", "aguardo desde ontem".
const WAITING: &[&str] = &["esperando", "esperei", "espero", "aguardando", "aguardei", "aguardo"];
const HOW_LONG: &[&str] =
    &["horas", "dias", "semanas", "meses", "tempao", "seculos", "desde", "uma hora", "meia hora"];

/// Strung along, ignored, forgotten by the clinic, in the continuous form with its subject:
/// "vocês estão me enrolando", "vcs ficam me ignorando". "to me enrolando com as datas" is the
/// patient's own muddle.
const STRINGING_ALONG: &[&str] = &["enrolando", "ignorando", "enganando", "embromando", "fazendo de boba"];
const THE_CLINIC_DOING: &[&str] = &["voces", "estao", "tao", "ficam", "vivem"];

/// A charge that happened: "cobraram", "veio", "apareceu", "debitaram" (a price only asked
/// about, "vocês cobram taxa a mais no sábado?", is not one).
const CHARGE_EVENTS: &[&str] = &[
    "cobraram",
    // "acho um abuso me cobrarem 50", "tão me cobrando de novo": said of the clinic, to me.
    "me cobrarem",
    "me cobrando",
    "cobrou",
    "cobrado",
    "cobrada",
    "veio",
    "vieram",
    "apareceu",
    "apareceram",
    "caiu",
    "debitaram",
    "debitou",
    "descontaram",
    "descontou",
    // A package session taken off, ongoing: "vcs tão descontando sessão q eu não usei".
    "descontando",
    "descontam",
    "debitando",
    "abateram",
    "passaram",
    "passou",
    "constou",
    "consta",
    "lancaram",
];

/// An amount, or what holds one.
const AMOUNTS: &[&str] = &[
    "valor", "reais", "cobranca", "taxa", "multa", "debito", "fatura", "extrato", "preco",
    // Reais in slang: "150 conto", "50 pila".
    "conto", "contos", "pila", "pilas",
    // A package's session is paid for: taking one off charges it.
    "sessao", "sessoes",
];

/// Objections to a charge that happened: more than agreed, twice, not made, not what was said.
const CHARGE_OBJECTIONS: &[&str] = &[
    "a mais",
    "maior",
    "em dobro",
    "dobrado",
    "dobrada",
    "duplicado",
    "duplicada",
    "diferente",
    "errado",
    "errada",
    "e eu nao",
    "mas eu nao",
    "sendo que",
    "era para ser",
    // What was agreed or said before: "o combinado era 700", "na avaliação falaram 700".
    "combinado",
    "combinamos",
    // The patient's own word: "não foi isso q combinei", "combinei 3x e passaram à vista".
    "combinei",
    "tinha combinado",
    "nao foi isso que",
    "orcamento era",
    "me falaram que era",
    "me disseram que era",
    "deveria ser",
    "devia ser",
    "nao era",
    "nao reconheco",
    "nao autorizei",
    "nunca fiz",
    "nao fiz",
    "nao usei",
    "sem eu",
    // A visit that never happened: "e eu nem fui", "sendo que não compareci".
    "nem fui",
    "nunca fui",
    "nem compareci",
    "nao compareci",
    "nem cheguei a ir",
    "nem fiz",
    "nem usei",
    // A charge judged unfair, or the patient not to blame for what it charges.
    "abuso",
    "injusto",
    "injusta",
    "nao e justo",
    "nao foi culpa minha",
    "nao foi minha culpa",
    "nao tive culpa",
    // Charged for what is free: "me cobraram 200 na avaliação, mas no site diz que é gratuita".
    "gratuita",
    "gratuito",
    "gratis",
    "de graca",
    "sem custo",
    "nao acho justo",
    "nada justo",
    // The clinic's doing, not the patient's: "quem pediu pra mudar foi a clínica".
    "foi a clinica",
    "foram voces",
    "culpa da clinica",
    "culpa de voces",
    // Charged for what the patient had called off: "e eu desmarquei com antecedência".
    "eu desmarquei",
    "eu cancelei",
    "com antecedencia",
];

/// Denying a payment or purchase one is told of: "não reconheço esse valor", "desconheço essa
/// compra no meu cartão".
const DENIALS: &[&str] =
    &["nao reconheco", "nao autorizei", "desconheco esse", "desconheco essa", "desconheco o", "desconheco a"];
const MONEY_THINGS: &[&str] = &[
    "valor",
    "compra",
    "transacao",
    "pagamento",
    "cobranca",
    "debito",
    "cartao",
    "fatura",
    "extrato",
    "pix",
    "reais",
];

/// Whether the message complains in one of the general shapes.
pub(super) fn complains(raw: &str, message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    unanswered_attempts(message)
        || rude_or_filthy_at_the_clinic(&words)
        || late_by_the_clinic(&words)
        || disliked_the_clinic_s_work(&words)
        || judges_the_clinic(&words)
        || lacks_what_is_owed(&words)
        || time_wasted(&words)
        || judges_with_intensity(raw, message, &words)
        || left_without_answer(&words)
        || kept_waiting(message, &words)
        || waited_minutes(&words)
        || mentions_any(message, NO_APOLOGY)
        || strung_along(&words)
        || changed_without_warning(&words)
}

/// The clinic changing the patient's appointment, said of "them" (the past or the habit):
/// "desmarcaram", "vcs remarcam". The patient's own "preciso desmarcar" is not.
const THE_CLINIC_CHANGED: &[&str] = &[
    "desmarcaram",
    "desmarcam",
    "cancelaram",
    "cancelam",
    "remarcaram",
    "remarcam",
    "mudaram",
    "trocaram",
    "adiaram",
    "reagendaram",
];
/// Told without warning or at the last minute: "sem avisar", "sem nem me ligar", "em cima da
/// hora".
const WITHOUT_WARNING: &[&str] =
    &["avisar", "aviso", "ligar", "consultar", "perguntar", "comunicar", "falar"];
/// How many words after "sem" the warning may come: "sem [nem me] avisar".
const WARNING_REACH: usize = 3;

/// "vcs desmarcaram meu horário sem avisar", "é a segunda vez que desmarcam em cima da hora":
/// the clinic changed the appointment, without a word or at the last minute.
fn changed_without_warning(words: &[&str]) -> bool {
    let changed = words.iter().any(|word| THE_CLINIC_CHANGED.contains(word));
    let unwarned = words.iter().enumerate().any(|(at, word)| {
        *word == "sem"
            && words[at + 1..(at + 1 + WARNING_REACH).min(words.len())]
                .iter()
                .any(|after| WITHOUT_WARNING.contains(after))
    });
    let last_minute = words.windows(4).any(|w| w == ["em", "cima", "da", "hora"]);
    changed && (unwarned || last_minute)
}

/// What a patient is owed by the clinic's team, whose lack is a complaint: "que falta de
/// organização", "falta de comunicação de vocês". Not "falta de ar" (an emergency) nor "falta
/// de tempo" (the patient's own).
const OWED: &[&str] = &[
    "organizacao",
    "respeito",
    "consideracao",
    "profissionalismo",
    "educacao",
    "compromisso",
    "comunicacao",
    "atencao",
    "cuidado",
    "responsabilidade",
    "seriedade",
    "competencia",
    "preparo",
    "empatia",
];

/// "q falta de organização", "falta de respeito com o cliente": the clinic lacking what it owes
/// the patient, "falta de" right before it. "foi falta de atenção minha" owns a slip.
fn lacks_what_is_owed(words: &[&str]) -> bool {
    (0..words.len()).any(|at| match &words[at..] {
        ["falta", "de", owed, rest @ ..] => {
            OWED.contains(owed) && !matches!(rest, ["minha" | "meu", ..] | ["da", "minha", "parte", ..])
        }
        _ => false,
    })
}

/// Parts of the day, or the day, lost whole: "perdi a manhã inteira", "perdi o dia todo".
const LOST_SPANS: &[&str] = &["manha", "tarde", "dia", "noite"];
const WHOLE: &[&str] = &["inteira", "inteiro", "toda", "todo"];

/// "perdi a manhã inteira", "perdi meu tempo", "perdi a viagem": time or a trip wasted, which
/// the patient lays at the clinic's door. "perdi o dia da consulta" is the patient's own slip,
/// so a part of the day counts only when lost whole.
fn time_wasted(words: &[&str]) -> bool {
    const ARTICLES: [&str; 5] = ["a", "o", "meu", "minha", "mais"];
    words.iter().enumerate().filter(|(_, word)| **word == "perdi").any(|(at, _)| {
        let rest = &words[at + 1..];
        let skipped = rest.iter().take_while(|word| ARTICLES.contains(word)).count().min(2);
        match rest.get(skipped..).unwrap_or_default() {
            ["tempo" | "viagem", ..] => true,
            [span, whole, ..] => LOST_SPANS.contains(span) && WHOLE.contains(whole),
            _ => false,
        }
    })
}

/// Whether the message disputes money in one of the general shapes.
pub(super) fn disputes_money(message: &Normalized) -> bool {
    charge_with_objection(message)
        || denies_a_payment(message)
        || charged_twice(message)
        || paid_and_charged_again(message)
        || money_back(message)
}

/// "paguei a avaliação no pix e veio no cartão também os 200": a payment the patient made, and
/// a charge on the card or account said to come on top of it ("também", "de novo"), calmly
/// or not. "paguei metade no pix e o resto vai no cartão" is how a bill is split.
fn paid_and_charged_again(message: &Normalized) -> bool {
    const PAID: &[&str] =
        &["paguei", "ja paguei", "tinha pago", "ja tinha pago", "ja tinha pagado", "fiz o pix"];
    const AGAIN: &[&str] = &["tambem", "de novo", "novamente", "outra vez", "mais uma vez", "igualzinho"];
    let charged = message.tokens().any(|word| CHARGE_EVENTS.contains(&word) || WENT_THROUGH.contains(&word));
    mentions_any(message, PAID)
        && charged
        && mentions_any(message, CHARGED_ON)
        && mentions_any(message, AGAIN)
        && !mentions_any(message, INSTALMENTS)
}

/// Giving back, before what: "devolvem o valor das sessões que não usei?", "dá pra
/// restituir o pacote?".
const GIVING_BACK: &[&str] = &[
    "devolver",
    "devolvem",
    "devolve",
    "devolva",
    "devolvam",
    "devolucao",
    "restituir",
    "restituem",
    "restituicao",
    "ressarcem",
];
/// The patient's money, or what it bought: what is given back in a money dispute. Not "a
/// toalha" nor "o termo" ("posso devolver o termo assinado amanhã?").
const MONEY_OR_WHAT_IT_BOUGHT: &[&str] =
    &["valor", "dinheiro", "grana", "reais", "pago", "sessoes", "sessao", "pacote", "pacotes", "credito"];
/// How far what is given back may follow: "devolver [o valor d]as sessões".
const GIVEN_BACK_REACH: usize = 4;

/// A purchase not made yet, supposed: "se eu comprar o pacote e não usar, devolvem?" asks
/// about the policy.
const SUPPOSED: &[&str] = &["se eu", "caso eu", "e se", "se por acaso"];

/// "as sessões que eu não usei, vocês devolvem o valor?": money back for what was bought, in
/// a statement or a question; not for a purchase supposed ([`SUPPOSED`]).
fn money_back(message: &Normalized) -> bool {
    if SUPPOSED.iter().any(|supposed| message.contains_phrase(supposed)) {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        GIVING_BACK.contains(word)
            && words[at + 1..]
                .iter()
                .take(GIVEN_BACK_REACH)
                .any(|next| MONEY_OR_WHAT_IT_BOUGHT.contains(next))
    })
}

/// A charge that went through, told in the past, however plainly: "passou duas vez no meu
/// cartão", "veio dobrado na fatura", "o pix caiu repetido".
const WENT_THROUGH: &[&str] = &[
    "passaram",
    "passou",
    "cobraram",
    "cobrou",
    "debitou",
    "debitaram",
    "descontou",
    "descontaram",
    "veio",
    "vieram",
    "apareceu",
    "apareceram",
    "caiu",
    "cairam",
    "bateu",
    "saiu",
    "sairam",
    "entrou",
    "entraram",
];
/// Twice, or doubled. Not "em duas vezes", "em 2x": instalments.
const TWICE: &[&str] = &[
    "duas vezes",
    "duas vez",
    "duas veiz",
    "2 vez",
    "2x",
    "duas cobrancas",
    "dois debitos",
    "2 vezes",
    "em dobro",
    "dobrado",
    "dobrada",
    "duplicado",
    "duplicada",
    "duplicou",
    "duplicaram",
    "repetido",
    "repetida",
];
const INSTALMENTS: &[&str] = &[
    "em duas vezes",
    "em 2 vezes",
    "em duas vez",
    "em 2x",
    "parcela",
    "parcelas",
    "parcelado",
    "parcelar",
    "parcelei",
];
/// Where a charge shows.
const CHARGED_ON: &[&str] = &["cartao", "fatura", "extrato", "pix", "conta", "cobranca", "debito"];

/// "a cobrança passou duas vez no meu cartão, queria ver isso": charged twice, told as what
/// happened on the patient's card or account, whatever the tone. Paying in two instalments is
/// not.
///
/// Said of the clinic's charging, no card need be named: "oxe, me cobraram foi duas vez".
fn charged_twice(message: &Normalized) -> bool {
    const CHARGED_BY_THEM: &[&str] =
        &["cobraram", "cobrou", "debitaram", "debitou", "descontaram", "descontou"];
    let went_through =
        message.tokens().any(|word| WENT_THROUGH.contains(&word)) && mentions_any(message, CHARGED_ON);
    (went_through || mentions_any(message, CHARGED_BY_THEM))
        && mentions_any(message, TWICE)
        && !mentions_any(message, INSTALMENTS)
}

/// How far apart a judgement and what it judges may be: "péssimo [o] atendimento", "o
/// atendimento [de vocês foi] péssimo".
const JUDGED_REACH: usize = 4;

/// "péssimo atendimento", "a equipe é muito desorganizada", "vcs são ridículos": a judgement
/// within a few words of the clinic, its team or its work, and not negated.
fn judges_the_clinic(words: &[&str]) -> bool {
    judgements(words).any(|(at, len)| {
        let before = &words[at.saturating_sub(JUDGED_REACH)..at];
        let after = &words[(at + len).min(words.len())..(at + len + JUDGED_REACH).min(words.len())];
        // "minha barriga tá horrível, vcs fazem…", "to me sentindo um lixo com essa papada":
        // said of the patient's body or self, and "vocês" is only who is asked next.
        let of_own_looks = before.iter().chain(after).any(|word| OWN_BODY.contains(word))
            || before.iter().any(|word| FEELING_ONESELF.contains(word));
        let near = before
            .iter()
            .chain(after)
            .any(|word| THE_CLINIC.contains(word) && !(of_own_looks && *word == "voces"));
        near && !negated(words, at)
    })
}

/// "que coisa mais RIDÍCULA!!", "to extremamente decepcionada", "TO MUITO IRRITADA": a
/// judgement or anger said with intensity, of nothing the patient says of their own body, and
/// not about a day without a free slot.
fn judges_with_intensity(raw: &str, message: &Normalized, words: &[&str]) -> bool {
    if words.iter().any(|word| OWN_BODY.contains(word))
        || NOTHING_FREE.iter().any(|phrase| message.contains_phrase(phrase))
    {
        return false;
    }
    let loud = shouts(raw) || raw.contains("!!") || raw.contains("?!") || raw.contains("!?");
    let judged = judgements(words).map(|(at, _)| at);
    let angry = words.iter().enumerate().filter(|(_, word)| ANGER.contains(word)).map(|(at, _)| at);
    let raised = judged.chain(angry).any(|at| {
        let intensified = at > 0 && INTENSIFIERS.contains(&words[at - 1]);
        (loud || intensified) && !negated(words, at)
    });
    let annoyed_aloud = loud && words.iter().any(|word| ANNOYANCE.contains(word));
    raised || annoyed_aloud
}

/// Where each judgement starts in `words`, and how many words it takes.
fn judgements<'w>(words: &'w [&'w str]) -> impl Iterator<Item = (usize, usize)> + 'w {
    (0..words.len()).filter_map(move |at| {
        JUDGEMENTS.iter().find_map(|judgement| {
            let parts: Vec<&str> = judgement.split(' ').collect();
            words[at..].starts_with(&parts).then_some((at, parts.len()))
        })
    })
}

/// "o atendimento não foi ruim", "nada ruim": a negation just before the word at `at`.
fn negated(words: &[&str], at: usize) -> bool {
    const REACH: usize = 2;
    words[at.saturating_sub(REACH)..at].iter().any(|word| matches!(*word, "nao" | "nada" | "nem" | "nunca"))
}

/// Shouting: at least two words of three letters or more in capitals, and most of the
/// message's such words ("QUE ABSURDO", "TO MUITO IRRITADA"). "quero BOTOX" only names.
fn shouts(raw: &str) -> bool {
    let long: Vec<&str> =
        raw.split(|c: char| !c.is_alphabetic()).filter(|word| word.chars().count() >= 3).collect();
    let capitals = long.iter().filter(|word| word.chars().all(char::is_uppercase)).count();
    capitals >= 2 && capitals * 2 > long.len()
}

/// "ninguém me responde", "ninguém resolve nada", "até agora ninguém me ligou": nobody at the
/// clinic answering, a verb of answering within two words after "ninguém". "ninguém vai comigo"
/// is not.
fn left_without_answer(words: &[&str]) -> bool {
    const REACH: usize = 2;
    words.iter().enumerate().any(|(at, word)| {
        *word == "ninguem"
            && words
                .iter()
                .skip(at + 1)
                .take(REACH)
                .any(|next| GIVING.contains(next) || ANSWERING.iter().any(|verb| next.starts_with(verb)))
    })
}

/// "to esperando há horas", "aguardo uma resposta desde ontem", "esperei dias": waiting, with
/// how long within a few words. "quanto tempo vou ficar esperando?" asks beforehand.
fn kept_waiting(message: &Normalized, words: &[&str]) -> bool {
    const REACH: usize = 4;
    let mut waits = words.iter().enumerate().filter(|(_, word)| WAITING.contains(word));
    // "to esperando há horas", and the time first: "fiquei mais de uma hora esperando".
    waits.any(|(at, _)| {
        let around =
            [&words[at + 1..(at + 1 + REACH).min(words.len())], &words[at.saturating_sub(REACH)..at]];
        around.iter().any(|side| {
            let side = crate::lang::normalize::normalize(&side.join(" "));
            HOW_LONG.iter().any(|long| side.contains_phrase(long))
        })
    }) && !message.as_str().starts_with("quanto tempo")
}

/// Waiting, in the past, at the clinic: "esperei 50 min pra ser atendida", "fiquei 40 minutos
/// esperando". Never the patient's own offer to wait ("espero 10 min e te chamo").
const WAITED: &[&str] = &["esperei", "aguardei", "fiquei"];
const MINUTES: &[&str] = &["min", "mins", "minuto", "minutos"];
/// Fewer minutes than this is no wait to complain of.
const LONG_WAIT_MINUTES: u32 = 20;

/// "esperei 50 min pra ser atendida", "fiquei uns 40 minutos esperando": a wait of many minutes,
/// told in the past, a few words from the verb. "fiquei 30 min na fila" counts only with a
/// verb of waiting, so "fiquei" needs "esperando" or "aguardando" near it.
fn waited_minutes(words: &[&str]) -> bool {
    const REACH: usize = 4;
    words.iter().enumerate().filter(|(_, word)| WAITED.contains(word)).any(|(at, verb)| {
        let near = &words[at.saturating_sub(REACH)..(at + 1 + REACH).min(words.len())];
        let many = |count: &str| digits(count).is_some_and(|minutes| minutes >= LONG_WAIT_MINUTES);
        // "50 min", or written together: "50min".
        let long = near.windows(2).any(|pair| many(pair[0]) && MINUTES.contains(&pair[1]))
            || near.iter().any(|word| {
                let digits = word.find(|c: char| !c.is_ascii_digit()).unwrap_or(word.len());
                MINUTES.contains(&&word[digits..]) && many(&word[..digits])
            });
        long && (*verb != "fiquei" || near.iter().any(|word| matches!(*word, "esperando" | "aguardando")))
    })
}

/// Nobody at the clinic apologising: "ninguém nem pediu desculpa", "nem se desculparam".
const NO_APOLOGY: &[&str] = &[
    "ninguem pediu desculpa",
    "ninguem pediu desculpas",
    "ninguem nem pediu desculpa",
    "ninguem nem pediu desculpas",
    "nem pediram desculpa",
    "nem pediram desculpas",
    "nem um pedido de desculpa",
    "nem um pedido de desculpas",
    "nem se desculpou",
    "nem se desculparam",
    "ninguem se desculpou",
];

/// "vocês estão me enrolando", "vcs ficam me ignorando": stringing the patient along, with the
/// clinic as its subject a few words before.
fn strung_along(words: &[&str]) -> bool {
    const REACH: usize = 3;
    (0..words.len()).any(|at| {
        STRINGING_ALONG.iter().any(|verb| words[at..].starts_with(&verb.split(' ').collect::<Vec<_>>()))
            && words[at.saturating_sub(REACH)..at].iter().any(|before| THE_CLINIC_DOING.contains(before))
    })
}

/// "cobraram 300 e eu não fiz nada", "veio um valor a mais na fatura", "apareceu uma cobrança
/// em dobro": a charge that happened, an amount, and an objection to it.
fn charge_with_objection(message: &Normalized) -> bool {
    let has = |phrases: &[&str]| phrases.iter().any(|phrase| message.contains_phrase(phrase));
    let amount = has(AMOUNTS) || message.tokens().any(is_a_sum);
    let objected = CHARGE_OBJECTIONS.iter().any(|phrase| objects(message, phrase))
        || set_against_another_sum(message)
        || questions_the_difference(message)
        || instalment_past_those_agreed(message);
    (has(CHARGE_EVENTS) && amount && objected) || (has(CHARGE_RECORDS) && set_against_another_sum(message))
}

/// What was agreed, said as kept: "passou 500 como combinei", "conforme combinado".
const AS_AGREED: &[&str] = &["como", "conforme"];

/// An objection to a charge, unless it is the agreement said as kept ("como combinado").
fn objects(message: &Normalized, phrase: &str) -> bool {
    message.contains_phrase(phrase)
        && !(phrase.starts_with("combin")
            && AS_AGREED.iter().any(|kept| message.contains_phrase(&format!("{kept} {phrase}"))))
}

/// What counts instalments agreed after their number: "3x", "3 vezes", "três parcelas".
const INSTALMENT_COUNTS: &[&str] = &["vezes", "parcelas"];
/// Ordinals as words, from the second: "a quarta parcela".
const ORDINALS: &[&str] =
    &["segunda", "terceira", "quarta", "quinta", "sexta", "setima", "oitava", "nona", "decima"];

/// "parcelei em 3x de 350" then "veio uma 4ª parcela": an instalment numbered past the number
/// the patient agreed to pay in. "a 2ª parcela de 3x vence quando?" is within them.
fn instalment_past_those_agreed(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    let agreed = words.iter().enumerate().filter_map(|(at, word)| {
        let times = word.strip_suffix('x').and_then(|n| n.parse::<u32>().ok());
        let counted = || {
            number(word).filter(|_| words.get(at + 1).is_some_and(|next| INSTALMENT_COUNTS.contains(next)))
        };
        times.or_else(counted)
    });
    let Some(agreed) = agreed.max() else { return false };
    words
        .windows(2)
        .filter(|pair| pair[1] == "parcela")
        .filter_map(|pair| instalment_ordinal(pair[0]))
        .any(|nth| nth > agreed)
}

/// The place of an instalment as written before "parcela": "4ª" (folded to "4"), "4a", "quarta".
fn instalment_ordinal(word: &str) -> Option<u32> {
    let digits = word.strip_suffix(['a', 'o']).unwrap_or(word);
    let place_in_words = ORDINALS.iter().position(|ordinal| *ordinal == word);
    digits.parse().ok().or_else(|| place_in_words.and_then(|at| u32::try_from(at + 2).ok()))
}

/// The smallest sum set against a charge: "cobraram 800 … a dra falou 700". Smaller numbers
/// count sessions or times ("3 sessões", "2 vezes"), not money.
const LEAST_SUM: u32 = 10;
/// What a number counts when it is not money: "o retorno de 15 dias", "30 min".
const UNITS: &[&str] = &[
    "dia", "dias", "semana", "semanas", "mes", "meses", "ano", "anos", "hora", "horas", "h", "min", "minuto",
    "minutos", "sessao", "sessoes", "vez", "vezes", "unidades", "ml",
];
/// Where a charge is read, beside the verbs of one: "no meu extrato consta 800", "o débito foi
/// de 800 mas o valor era 700".
const CHARGE_RECORDS: &[&str] = &["extrato", "fatura", "debito", "cobranca"];

/// "me cobraram 800 mas o combinado era 700", "vi no extrato 800, eu paguei 700": two different
/// sums beside a charge or where one is read, the one charged set against the one said, agreed
/// or paid.
fn set_against_another_sum(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    let mut sums: Vec<u32> = words
        .iter()
        .enumerate()
        .filter(|(at, word)| is_a_sum(word) && !words.get(at + 1).is_some_and(|next| UNITS.contains(next)))
        .filter_map(|(_, word)| reais(word))
        .filter(|sum| *sum >= LEAST_SUM)
        .collect();
    sums.sort_unstable();
    sums.dedup();
    sums.len() > 1
}

/// "quero entender essa diferença", "cobraram a diferença?": the charge questioned by what it
/// differs from; never "a diferença entre botox e preenchimento", which compares services.
fn questions_the_difference(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| *word == "diferenca" && words.get(at + 1) != Some(&"entre"))
}

/// The whole reais of a sum as Brazilians write it: "1.050" and "1.200,00" are a thousand and
/// more (a "." before three digits groups thousands), "150,50" and "150.50" are 150.
fn reais(word: &str) -> Option<u32> {
    let whole = word.split(',').next()?;
    let mut groups = whole.split('.');
    let first = groups.next()?;
    let thousands: Vec<&str> = groups.collect();
    if !thousands.is_empty() && thousands.iter().all(|group| group.len() == 3) {
        std::iter::once(first).chain(thousands).collect::<String>().parse().ok()
    } else {
        first.parse().ok()
    }
}

/// "150", "1.200,00": a sum of money, not a time ("15h", "15:30") nor a date ("12/03").
fn is_a_sum(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// "não reconheço esse valor", "desconheço essa compra": denying a payment told of.
fn denies_a_payment(message: &Normalized) -> bool {
    let has = |phrases: &[&str]| phrases.iter().any(|phrase| message.contains_phrase(phrase));
    has(DENIALS) && has(MONEY_THINGS)
}

/// Verbs of a bill reaching the patient: "recebi uma cobrança", "chegou a multa", "me mandaram
/// uma cobrança".
const RECEIVED: &[&str] =
    &["recebi", "recebemos", "chegou", "chegaram", "mandaram", "enviaram", "mandou", "enviou"];
/// What a charge that reaches the patient is called. Not "boleto" nor "fatura": those come for
/// what was bought, and are paid without any quarrel.
const CHARGE_NOUNS: &[&str] = &["cobranca", "cobrancas", "multa", "taxa", "debito"];
/// How many words may come between the verb and the charge: "recebi [uma] cobrança", "chegou
/// [aqui uma] multa".
const RECEIVED_REACH: usize = 3;

/// "recebi uma cobrança de 50 reais", "chegou uma multa pra mim", "me mandaram a taxa": a
/// charge that reached the patient, the first half of a dispute about it.
pub(super) fn charge_received(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().filter(|(_, word)| RECEIVED.contains(word)).any(|(at, _)| {
        words[at + 1..(at + 1 + RECEIVED_REACH).min(words.len())]
            .iter()
            .any(|next| CHARGE_NOUNS.contains(next))
    })
}

/// What records a missed visit against the patient: "colocaram falta", "consta falta",
/// "me deram falta", "taxa de falta", "multa por falta".
const MARKED_ABSENT: &[&str] = &[
    "colocaram",
    "botaram",
    "marcaram",
    "lancaram",
    "registraram",
    "deram",
    "consta",
    "constou",
    "constando",
    "aparece",
    "apareceu",
    "taxa de",
    "taxa por",
    "multa de",
    "multa por",
    "cobranca de",
    "cobranca por",
    "cobraram",
    "cobraram como",
    "cobrada como",
    "cobrado como",
];

/// "colocaram falta na minha consulta", "a taxa de falta de quarta": a no-show recorded or
/// charged against the patient, which the patient's saying she came contests.
pub(super) fn marked_absent(message: &Normalized) -> bool {
    const ABSENT: [&str; 4] = ["falta", "faltou", "no show", "noshow"];
    MARKED_ABSENT.iter().any(|marker| {
        ABSENT.iter().any(|absent| {
            message.contains_phrase(&format!("{marker} {absent}"))
                || message.contains_phrase(&format!("{marker} me {absent}"))
                || message.contains_phrase(&format!("{marker} uma {absent}"))
        })
    })
}

/// Not knowing what a charge is for: "não sei o que é", "nunca contratei nada".
const UNKNOWN_CHARGE: &[&str] = &[
    "nao sei o que e",
    "nao sei do que e",
    "nao sei do que se trata",
    "nao sei de onde",
    "nao sei da onde",
    "nao faco ideia",
    "nao faco a menor ideia",
    "nunca assinei",
    "nao assinei",
    "nunca contratei",
    "nao contratei",
    "nao lembro de ter",
    "nao me lembro de ter",
    "nao pedi",
    "nunca pedi",
    // Never a patient at all: "apareceu no meu cartão 320 reais de vocês e eu nunca pisei aí".
    "nunca pisei",
    "nunca estive ai",
    "nunca fui ai",
    "nunca fui na clinica",
    "nunca fui nessa clinica",
];
/// A charge that came, or keeps coming: "todo mês vem", "tá vindo", "apareceu".
const CHARGE_COMING: &[&str] = &[
    "vem",
    "vindo",
    "veio",
    "apareceu",
    "aparece",
    "aparecendo",
    "caiu",
    "cai",
    "caindo",
    "cobrando",
    "cobraram",
    "debitando",
    "debitaram",
    "descontando",
    "recebi",
    "chegou",
    "chega",
    "consta",
    "constando",
    "todo mes",
    "todos os meses",
    "mensal",
    "mensalmente",
    "recorrente",
];
/// Where a charge shows, or what names one.
const CHARGE_PLACES: &[&str] = &[
    "cobranca",
    "cobrancas",
    "debito",
    "debitos",
    "valor",
    "lancamento",
    "fatura",
    "extrato",
    "cartao",
    "conta",
    "reais",
    "taxa",
    "mensalidade",
    "assinatura",
    "pix",
];

/// "todo mês vem uma cobrança de vcs que eu não sei o que é", "tá caindo um débito no meu
/// cartão, nunca assinei nada": a charge that came (or keeps coming) that the patient cannot
/// place. "não sei o que é melhor, pagar a taxa ou remarcar?" tells of no charge that came.
pub(super) fn unknown_charge(message: &Normalized) -> bool {
    mentions_any(message, UNKNOWN_CHARGE)
        && mentions_any(message, CHARGE_COMING)
        && (mentions_any(message, CHARGE_PLACES) || message.tokens().any(is_a_sum))
}

/// Trying to reach the clinic: "to tentando falar com vcs desde segunda", "já liguei 3 vezes".
const ATTEMPTS: &[&str] = &[
    "tentando falar com voces",
    "tentei falar com voces",
    "tentando falar com a clinica",
    "tentei falar com a clinica",
    "tentando falar com alguem",
    "tentei falar com alguem",
    "tentando contato",
    "tentei contato",
    "tentando ligar",
    "tentei ligar",
    "liguei",
    "mandei mensagem",
    "mandei mensagens",
    "mando mensagem",
    "mandando mensagem",
];
/// Told the clinic would call or write back: "prometeram me ligar", "ficaram de me retornar".
const PROMISED: &[&str] = &["prometeram", "ficaram de", "disseram que iam", "falaram que iam"];
/// What came of a promise or an attempt: nothing, nobody.
const CAME_TO_NOTHING: &[&str] = &[
    "e nada",
    "e ninguem",
    "e nunca",
    "sem sucesso",
    "e ate agora",
    "ate hoje",
    "e nao me",
    "e nao retornaram",
    "e nao responderam",
];
/// How long or how often an attempt went on: "desde segunda", "há dias", "3 vezes".
const ATTEMPTED_FOR: &[&str] = &["desde", "dias", "semanas", "vezes", "a semana toda", "o dia todo"];

/// "já é a terceira vez que mando mensagem e nada", "ficaram de me ligar e nada": the patient
/// trying to reach the clinic, in vain. "mandei mensagem ontem pra marcar, tem sexta?" tells of
/// an attempt that came to nothing only in the patient's asking again, which Sofia answers.
fn unanswered_attempts(message: &Normalized) -> bool {
    let has = |phrases: &[&str]| phrases.iter().any(|phrase| message.contains_phrase(phrase));
    (has(ATTEMPTS) && (has(CAME_TO_NOTHING) || has(ATTEMPTED_FOR))) || (has(PROMISED) && has(CAME_TO_NOTHING))
}

/// "a esteticista foi super estúpida comigo", "a sala tava imunda": rude or filthy said of
/// someone or something of the clinic's, and not of the patient herself ("fui estúpida com a
/// moça").
fn rude_or_filthy_at_the_clinic(words: &[&str]) -> bool {
    const OWN: [&str; 5] = ["fui", "sou", "sinto", "eu", "fiquei"];
    words.iter().enumerate().filter(|(_, word)| RUDE_OR_FILTHY.contains(word)).any(|(at, _)| {
        let before = &words[at.saturating_sub(JUDGED_REACH)..at];
        let after = &words[at + 1..(at + 1 + JUDGED_REACH).min(words.len())];
        let near = before.iter().chain(after).any(|word| THE_CLINIC.contains(word));
        let own = words[at.saturating_sub(2)..at].iter().any(|word| OWN.contains(word));
        near && !own && !negated(words, at)
    })
}

/// Who at the clinic is late when the patient says so: "a dra atrasou 40 minutos", "a consulta
/// atrasou uma hora". "meu voo atrasou" is the patient's own trouble.
const LATE_AT_THE_CLINIC: &[&str] = &[
    "dra",
    "dr",
    "doutora",
    "doutor",
    "medica",
    "medico",
    "consulta",
    "atendimento",
    "sessao",
    "profissional",
];
/// How late: a number of minutes or hours, or "muito".
const LATENESS: &[&str] =
    &["minutos", "min", "hora", "horas", "muito", "demais", "tempao", "uma hora", "meia hora"];

/// "atrasaram 40 minutos pra me atender", "a dra atrasou uma hora": the clinic late, by how much.
/// "vou atrasar 10 minutos" is the patient's own.
fn late_by_the_clinic(words: &[&str]) -> bool {
    const REACH: usize = 3;
    words.iter().enumerate().any(|(at, word)| {
        let theirs = *word == "atrasaram"
            || (*word == "atrasou"
                && words[at.saturating_sub(REACH)..at]
                    .iter()
                    .any(|before| LATE_AT_THE_CLINIC.contains(before)));
        theirs
            && words[at + 1..(at + 1 + REACH).min(words.len())]
                .iter()
                .any(|after| LATENESS.contains(after) || is_a_sum(after))
    })
}

/// "não gostei do atendimento", "não gostei da dra": dislike of the clinic, its team or its
/// work, a few words on. "não gostei desse horário" asks for another.
fn disliked_the_clinic_s_work(words: &[&str]) -> bool {
    const REACH: usize = 4;
    words.windows(2).enumerate().any(|(at, pair)| {
        pair == ["nao", "gostei"]
            && words[at + 2..(at + 2 + REACH).min(words.len())].iter().any(|word| THE_CLINIC.contains(word))
    })
}
