//! What a person from the clinic must answer, not a bot: a complaint, and a dispute about
//! money. (A request for a person and an emergency are the engine's guards, in `guards`.)

use super::grievance;
use super::mentions_any;
use super::phrases::{
    ABOUT_THE_CLINIC, AFTER_A_PROCEDURE, CHARGE_OBJECTIONS, CHARGED, CHARGES, COMING_BACK, COMPLAINTS,
    CONTESTED, EXCUSED, HARM_DONE, HARSH_WORDS, HEALTH_PLANS, MISUNDERSTOOD, MONEY_DISPUTES, NEGATIONS,
    NO_RESULT, PAID, RECEIVED_OBJECTIONS, REIMBURSEMENT, SYMPTOMS, THE_CLINIC_S_HANDS, UNDELIVERED,
    UNDERSTANDING_SOFIA, UPSET, WAS_THERE, WRONGED, WRONGED_SELF,
};
use crate::lang::normalize::{Normalized, normalize};

/// Turns in a row that were not understood, after which a person takes over (as Rasa's CALM
/// hands over after two clarifications). Both brains count them.
pub const CLARIFICATIONS_BEFORE_HUMAN: u32 = 2;

/// The handoff's reason when they ran out, as the clinic's team reads it.
pub const NOT_UNDERSTOOD_FOR_THE_TEAM: &str = "o assistente não entendeu o paciente duas vezes seguidas";

/// Why a message needs a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// Unhappy with a result or the care, or angry: "fiquei muito insatisfeita com o
    /// resultado", "isso é um absurdo".
    Complaint,
    /// A charge not recognised, a contested fee, money back: "quero meu dinheiro de volta",
    /// "não concordo com essa multa".
    MoneyDispute,
    /// Worried by what they feel or see after a procedure: "fiz o peeling e minha pele está
    /// ardendo", "depois do botox meu olho ficou caído". Only the professional may say whether
    /// it is expected, so neither brain answers it.
    AfterProcedure,
}

impl Escalation {
    /// The handoff's reason, as the clinic's team reads it.
    pub fn for_the_team(self) -> &'static str {
        match self {
            Escalation::Complaint => "reclamação ou insatisfação do paciente",
            Escalation::MoneyDispute => "contestação de cobrança, taxa ou pedido de reembolso",
            Escalation::AfterProcedure => "paciente preocupado com sintomas depois de um procedimento",
        }
    }
}

/// The reason `text` needs a person, if it does. A money dispute wins over the anger that
/// often comes with it: the team that settles it is the one to call; a complaint wins over the
/// symptoms it may describe ("ficou toda manchada, to muito chateada com vocês").
pub fn needs_a_person(text: &str) -> Option<Escalation> {
    let message = without_as_agreed(without_plan_reimbursement(plain_degree(&normalize(text))));
    if (mentions_any(&message, MONEY_DISPUTES)
        || grievance::disputes_money(&message)
        || (mentions_any(&message, CHARGES) && mentions_any(&message, CONTESTED))
        || (mentions_any(&message, CHARGED) && mentions_any(&message, CHARGE_OBJECTIONS))
        || (mentions_any(&message, PAID) && mentions_any(&message, UNDELIVERED))
        || received_and_contested(&message)
        || charged_despite_an_excuse(&message)
        || absent_but_was_there(&message)
        || grievance::unknown_charge(&message))
        && !someone_else_charged(&message)
    {
        Some(Escalation::MoneyDispute)
    } else if !done_elsewhere(&message)
        && !about_someone_else_s_service(&message)
        && (mentions_any(&message, COMPLAINTS)
            || customer_lost(&message)
            || (wronged(&message) || treated_badly(&message))
            || trouble_with_the_clinic(&message)
            || (((mentions_any(&message, HARSH_WORDS) && !tells_own_mishap(&message))
                || mentions_any(&message, UPSET))
                && mentions_any(&message, ABOUT_THE_CLINIC)
                && !judges_own_looks(&message))
            || (mentions_any(&message, NO_RESULT) && mentions_any(&message, AFTER_A_PROCEDURE))
            || no_result_of_the_clinic_s_work(&message)
            || (mentions_any(&message, NO_RESULT) && mentions_any(&message, MONEY_SPENT))
            || harmed_by_the_clinic(&message)
            || image_used_without_leave(&message)
            || money_thrown_away(&message)
            || grievance::complains(text, &message))
    {
        Some(Escalation::Complaint)
    } else if mentions_any(&message, AFTER_A_PROCEDURE)
        && feels_a_symptom(&message)
        && !changed_by_life(&message)
        && !tells_own_mishap(&message)
        && !done_elsewhere(&message)
    {
        Some(Escalation::AfterProcedure)
    } else {
        None
    }
}

/// "fiz botox em outra clínica e não gostei do resultado": a result of another place's work is
/// nothing this clinic's team must settle; the patient asks what the clinic can do (an
/// Avaliação), and is answered as any other patient.
fn done_elsewhere(message: &Normalized) -> bool {
    const ELSEWHERE: &[&str] = &[
        "outra clinica",
        "outras clinicas",
        "outro lugar",
        "outro consultorio",
        "outra profissional",
        "outro profissional",
        "outro medico",
        "outra medica",
        "outra esteticista",
        "outro dermatologista",
        "outra dermatologista",
        "no salao",
        "num salao",
        "em um salao",
        "fora daqui",
    ];
    // Done there, in the past: "vou fazer em outra clínica" is a customer lost, a complaint.
    const DONE: &[&str] = &["fiz", "fizeram", "apliquei", "aplicaram", "coloquei", "colocaram", "tratei"];
    mentions_any(message, ELSEWHERE) && mentions_any(message, DONE)
}

/// "que descaso da operadora, fiquei sem internet… enfim, queria marcar botox": anger at a
/// company or service that is not the clinic, with nothing said of the clinic itself.
fn about_someone_else_s_service(message: &Normalized) -> bool {
    mentions_any(message, OTHERS) && !mentions_any(message, THE_CLINIC_ITSELF)
}

/// Companies and people whose trouble is not the clinic's.
const OTHERS: &[&str] = &[
    "operadora",
    "minha operadora",
    "companhia aerea",
    "meu banco",
    "o banco",
    "correios",
    "transportadora",
    "uber",
    "ifood",
    "internet",
    "meu chefe",
    "minha chefe",
    "meu trabalho",
    "meu plano",
    "prefeitura",
    "governo",
    "a loja",
    "academia",
    "minha academia",
    "escola",
    "faculdade",
];
/// What names the clinic itself beside another company.
const THE_CLINIC_ITSELF: &[&str] =
    &["voces", "clinica", "atendimento de voces", "a dra", "o dr", "a doutora", "o doutor", "recepcao"];

/// Stems of charging and of refusing money back.
const CHARGING: &[&str] =
    &["cobr", "devolv", "reembols", "estorn", "descont", "negou", "negaram", "recusou", "quis"];
/// Words at most between the company and its charging verb: "o banco me cobrou", "a loja não
/// quis me devolver".
const CHARGER_REACH: usize = 3;

/// "o banco me cobrou uma taxa errada de novo", "a loja não quis me devolver o dinheiro":
/// another company charged, or kept the money, and the clinic is not named; the patient is
/// venting, not disputing with the clinic. "me cobraram duas vezes, o banco confirmou" names
/// the bank after the charge, as a witness, and stays a dispute.
fn someone_else_charged(message: &Normalized) -> bool {
    if !about_someone_else_s_service(message) {
        return false;
    }
    let words: Vec<&str> = message.tokens().collect();
    OTHERS.iter().any(|other| {
        let other: Vec<&str> = other.split(' ').collect();
        (0..words.len()).filter(|&at| words[at..].starts_with(&other)).any(|at| {
            let after = at + other.len();
            words[after..(after + CHARGER_REACH).min(words.len())]
                .iter()
                .any(|word| CHARGING.iter().any(|stem| word.starts_with(stem)))
        })
    })
}

/// "emagreci 20 kg e meu rosto ficou caído", "depois da gravidez fiquei com a pele caída": a
/// change of the body by life, not by a procedure, which is what the patient wants treated.
fn changed_by_life(message: &Normalized) -> bool {
    const LIFE: &[&str] = &[
        "emagreci",
        "perdi peso",
        "perdi muito peso",
        "engordei",
        "depois da gravidez",
        "depois que tive",
        "depois do parto",
        "com a idade",
        "com o tempo",
        "bariatrica",
        "menopausa",
    ];
    const PROCEDURE_DONE: &[&str] =
        &["fiz o", "fiz a", "fiz um", "fiz uma", "aplicaram", "apliquei", "depois do procedimento"];
    mentions_any(message, LIFE) && !mentions_any(message, PROCEDURE_DONE)
}

/// "quebrei o nariz jogando bola e ficou meio torto", "caí de bicicleta": a mishap of the
/// patient's own, which the harsh words that follow describe ("torto" is then no judgement of
/// the clinic's work, and "vcs fazem rinoplastia?" asks what the clinic does).
fn tells_own_mishap(message: &Normalized) -> bool {
    const MISHAPS: &[&str] = &[
        "quebrei",
        "fraturei",
        "trinquei",
        "torci",
        "machuquei",
        "bati o",
        "bati a",
        "bati com",
        "cai de",
        "cai da",
        "cai do",
        "cai na",
        "cai no",
        "levei um tombo",
        "tomei um tombo",
        "levei uma bolada",
        "sofri um acidente",
        "sofri uma queda",
    ];
    mentions_any(message, MISHAPS)
}

/// "minha barriga tá horrível, vcs fazem criolipólise?", "to me sentindo um lixo com essa
/// papada": the patient's own looks judged, which is why someone asks what the clinic does. The
/// clinic is named only as who is asked; nothing it did, and no anger at it, is told.
fn judges_own_looks(message: &Normalized) -> bool {
    const SELF: &[&str] = &["me sentindo", "me sinto", "me acho", "me achando", "me olho", "me olhar"];
    // What the clinic did, or anger turned at it: "chateada com vocês", "o resultado".
    const AT_THE_CLINIC: &[&str] = &[
        "com voces",
        "de voces",
        "resultado",
        "atendimento",
        "servico",
        "procedimento",
        "aplicacao",
        "equipe",
        "estragaram",
        "erraram",
        "deixaram",
    ];
    (grievance::names_own_looks(message) || mentions_any(message, SELF))
        && !mentions_any(message, AFTER_A_PROCEDURE)
        && !mentions_any(message, AT_THE_CLINIC)
}

/// A symptom the patient feels, not one a procedure is wanted for: "queria microagulhamento
/// pras marcas de espinha" names what to treat ("para", then the thing, a few nouns of it and
/// their articles between), while "fiz o peeling pra tirar manchas e ficou ardendo" tells a
/// symptom felt after it.
fn feels_a_symptom(message: &Normalized) -> bool {
    const PURPOSE: [&str; 7] = ["para", "contra", "tratar", "tirar", "remover", "clarear", "melhorar"];
    const OF_THE_THING: [&str; 22] = [
        "a",
        "o",
        "as",
        "os",
        "de",
        "da",
        "do",
        "das",
        "dos",
        "minha",
        "minhas",
        "meu",
        "meus",
        "essa",
        "essas",
        "esse",
        "esses",
        "marca",
        "marcas",
        "cicatriz",
        "cicatrizes",
        "umas",
    ];
    let words: Vec<&str> = message.tokens().collect();
    SYMPTOMS.iter().any(|symptom| {
        let parts: Vec<&str> = symptom.split(' ').collect();
        (0..words.len()).any(|at| {
            if !words[at..].starts_with(&parts) {
                return false;
            }
            // Back over the thing's own words: a purpose word before them makes it the aim.
            let mut before = at;
            while before > 0 && OF_THE_THING.contains(&words[before - 1]) {
                before -= 1;
            }
            !(before > 0 && PURPOSE.contains(&words[before - 1]))
        })
    })
}

/// Money the patient spent, told with a result that never came: "gastei uma fortuna e não vi
/// resultado nenhum". "e se eu pagar e não fizer efeito?" asks beforehand.
const MONEY_SPENT: &[&str] = &["gastei", "paguei", "investi", "joguei dinheiro", "dinheiro jogado"];

/// "recebi uma cobrança de 50 reais, mas eu avisei com antecedência": a charge that reached
/// the patient, and an objection to it. "recebi a cobrança, pago no pix?" settles it.
fn received_and_contested(message: &Normalized) -> bool {
    grievance::charge_received(message)
        && (mentions_any(message, CONTESTED)
            || mentions_any(message, WAS_THERE)
            || mentions_any(message, RECEIVED_OBJECTIONS))
}

/// "me cobraram a taxa, mas eu tava no pronto socorro com meu filho": a charge that happened
/// (not "é cobrado?", which asks), against a reason the patient could not come.
fn charged_despite_an_excuse(message: &Normalized) -> bool {
    let mut happened = CHARGED.iter().filter(|charged| !matches!(**charged, "cobrado" | "cobrada"));
    happened.any(|charged| message.contains_phrase(charged)) && mentions_any(message, EXCUSED)
}

/// "colocaram falta na minha consulta mas eu fui", "taxa de falta? eu tava lá!": a no-show
/// recorded or charged against a patient who says she came. "faltei, como pago a taxa de
/// falta?" owns it.
fn absent_but_was_there(message: &Normalized) -> bool {
    grievance::marked_absent(message) && mentions_any(message, WAS_THERE)
}

/// "o botox não pegou nada", "o peeling de vocês não adiantou": the clinic's work named just
/// before a phrase saying it had no effect. "o cartão não pegou" names no work of the clinic.
fn no_result_of_the_clinic_s_work(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    NO_RESULT.iter().any(|phrase| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        (0..words.len()).any(|at| {
            words[at..].starts_with(&parts)
                && words[at.saturating_sub(DOER_REACH)..at]
                    .iter()
                    .any(|before| THE_CLINIC_S_HANDS.contains(before))
        })
    })
}

/// "nunca mais faço nada aí", "nunca mais venho": a customer the clinic lost, said within a
/// word or two of "nunca mais".
fn customer_lost(message: &Normalized) -> bool {
    const REACH: usize = 2;
    let words: Vec<&str> = message.tokens().collect();
    words.windows(2).enumerate().any(|(at, pair)| {
        pair == ["nunca", "mais"]
            && words.iter().skip(at + 2).take(REACH).any(|word| COMING_BACK.contains(word))
    })
}

/// "nunca fui tão mal tratada", "a recepcionista me tratou super mal", "fui muito mal
/// atendida": the patient treated badly, in two words ("mal" and a verb of treating or
/// attending, a word or two apart in either order), with the patient its object just before.
/// "fui super bem atendida, nada mal" and "a pele tratada fica mal?" wrong nobody.
fn treated_badly(message: &Normalized) -> bool {
    const TREATED: [&str; 8] =
        ["tratou", "trataram", "tratada", "tratado", "atendeu", "atenderam", "atendida", "atendido"];
    const APART: usize = 2;
    const REACH: usize = 3;
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().filter(|(_, word)| TREATED.contains(word)).any(|(at, _)| {
        let from = at.saturating_sub(APART);
        // "nada mal" is praise.
        let bad_at = |i: usize| words[i] == "mal" && (i == 0 || words[i - 1] != "nada");
        let Some(bad) = (from..(at + 1 + APART).min(words.len())).find(|&i| bad_at(i)) else {
            return false;
        };
        let start = at.min(bad);
        words[start.saturating_sub(REACH)..start].iter().any(|before| WRONGED_SELF.contains(before))
    })
}

/// "fui lesada por vocês", "me enganaram", "me sinto enganada": the patient says they were
/// wronged. "enganei" or "enganada" said of a mistake of one's own ("me enganei no dia") is not.
fn wronged(message: &Normalized) -> bool {
    const REACH: usize = 2;
    let words: Vec<&str> = message.tokens().collect();
    (0..words.len()).any(|at| {
        WRONGED.iter().any(|wrong| words[at..].starts_with(&wrong.split(' ').collect::<Vec<_>>()))
            && words[at.saturating_sub(REACH)..at].iter().any(|before| WRONGED_SELF.contains(before))
    })
}

/// "quero falar sobre um problema com meu procedimento": a problem with the clinic's work or
/// care, named within a few words after "problema com". "problema de pele" is why one books.
fn trouble_with_the_clinic(message: &Normalized) -> bool {
    const REACH: usize = 3;
    let words: Vec<&str> = message.tokens().collect();
    words.windows(2).enumerate().any(|(at, pair)| {
        matches!(pair[0], "problema" | "problemas")
            && pair[1] == "com"
            && words
                .iter()
                .skip(at + 2)
                .take(REACH)
                .any(|word| THE_CLINIC_S_HANDS.contains(word) || ABOUT_THE_CLINIC.contains(word))
    })
}

/// "vcs colocaram a foto do meu rosto no instagram sem eu deixar, apaguem": the patient's
/// image published by the clinic (a verb of publishing said of "them", and a photo or video)
/// without leave, or with its removal demanded. "vcs postam fotos de antes e depois? queria
/// ver" asks to see them.
fn image_used_without_leave(message: &Normalized) -> bool {
    const PUBLISHED: &[&str] = &[
        "postaram",
        "colocaram",
        "botaram",
        "publicaram",
        "usaram",
        "divulgaram",
        "expuseram",
        "compartilharam",
        "subiram",
        "postou",
        "publicou",
    ];
    const IMAGE: &[&str] = &["foto", "fotos", "imagem", "imagens", "video", "videos", "antes e depois"];
    const WITHOUT_LEAVE: &[&str] = &[
        "sem autorizacao",
        "sem minha autorizacao",
        "sem a minha autorizacao",
        "sem permissao",
        "sem minha permissao",
        "sem a minha permissao",
        "sem consentimento",
        "sem meu consentimento",
        "sem eu deixar",
        "sem eu autorizar",
        "sem eu saber",
        "sem me perguntar",
        "sem me pedir",
        "sem me avisar",
        "nao autorizei",
        "nao deixei",
        "nao permiti",
        "apaguem",
        "apagar",
        "tirem",
        "removam",
        "tirar do ar",
    ];
    mentions_any(message, PUBLISHED) && mentions_any(message, IMAGE) && mentions_any(message, WITHOUT_LEAVE)
}

/// "dinheiro jogado no lixo", "joguei meu dinheiro pelo ralo": money thrown away on the
/// clinic's work, a throwing word and where it went within a few words of each other. Only
/// what was done: "não quero jogar dinheiro fora" asks for advice.
fn money_thrown_away(message: &Normalized) -> bool {
    const REACH: usize = 3;
    const THROWN: &[&str] = &["jogado", "jogados", "joguei", "jogando", "rasguei", "rasgando"];
    const AWAY: &[&str] = &["fora", "lixo", "ralo", "privada"];
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        *word == "dinheiro"
            && words[at.saturating_sub(REACH)..(at + REACH + 1).min(words.len())]
                .iter()
                .any(|near| THROWN.contains(near))
            && words[at + 1..(at + REACH + 2).min(words.len())].iter().any(|after| AWAY.contains(after))
    })
}

/// "me cobraram 150 como combinado": what was agreed, said to be kept, objects to nothing, so
/// "como combinado" and its kin are dropped before "combinado" is read as an objection ("não
/// foi isso que combinei", "não ficou como combinado").
fn without_as_agreed(message: Normalized) -> Normalized {
    const AS: &[&str] = &["como", "conforme"];
    let words: Vec<&str> = message.tokens().collect();
    let agreed = |at: usize| {
        let denied = words[at.saturating_sub(3)..at].iter().any(|word| NEGATIONS.contains(word));
        words.get(at).is_some_and(|word| word.starts_with("combin")) && !denied
    };
    if !(0..words.len()).any(|at| AS.contains(&words[at]) && agreed(at + 1)) {
        return message;
    }
    let kept: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(at, word)| {
            let as_agreed = AS.contains(*word) && agreed(at + 1);
            let agreed_after_as = *at > 0 && AS.contains(&words[at - 1]) && agreed(*at);
            !as_agreed && !agreed_after_as
        })
        .map(|(_, word)| *word)
        .collect();
    normalize(&kept.join(" "))
}

/// "meu plano de saúde faz reembolso?": money back from a health plan asks about the plan, so
/// the words of reimbursement are dropped before looking for a dispute with the clinic.
fn without_plan_reimbursement(message: Normalized) -> Normalized {
    if !mentions_any(&message, HEALTH_PLANS) {
        return message;
    }
    let kept: Vec<&str> = message.tokens().filter(|word| !REIMBURSEMENT.contains(word)).collect();
    normalize(&kept.join(" "))
}

/// How many words before the harm its doer is named: "o peeling [de vcs] queimou".
const DOER_REACH: usize = 3;

/// "o peeling queimou minha pele": a harm verb with the clinic or a procedure just before it.
fn harmed_by_the_clinic(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        HARM_DONE.contains(word)
            && words[at.saturating_sub(DOER_REACH)..at]
                .iter()
                .any(|before| THE_CLINIC_S_HANDS.contains(before))
    })
}

/// The message with superlatives at their plain degree ("decepcionadíssima" is "decepcionada",
/// "irritadíssimo" is "irritado"), and praise that borrows a complaint's word ("um absurdo de
/// barato") taken out, so the lexicons need one form of each word.
fn plain_degree(message: &Normalized) -> Normalized {
    const PRAISED: [&str; 8] = ["barato", "barata", "bom", "boa", "lindo", "linda", "perfeito", "perfeita"];
    let words: Vec<&str> = message.tokens().collect();
    let mut plain: Vec<String> = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let word = words[at];
        if matches!(word, "absurdo" | "absurda")
            && words.get(at + 1) == Some(&"de")
            && words.get(at + 2).is_some_and(|next| PRAISED.contains(next))
        {
            at += 3;
            continue;
        }
        let base = ["issima", "issimo"].iter().find_map(|suffix| {
            word.strip_suffix(suffix)
                .filter(|stem| stem.len() >= 3)
                .map(|stem| format!("{stem}{}", &suffix[5..]))
        });
        plain.push(base.unwrap_or_else(|| word.to_owned()));
        at += 1;
    }
    normalize(&plain.join(" "))
}

/// Says Sofia got it wrong: "não, não é isso", "você não está me entendendo", "vc não tá
/// entendendo nada". Such a turn counts as one Sofia could not place.
pub fn says_misunderstood(text: &str) -> bool {
    let message = normalize(text);
    mentions_any(&message, MISUNDERSTOOD) || denies_understanding(&message) || restates_after_a_no(&message)
}

/// What opens a description of the thing meant: "o do", "a da", "aquele", "aquela que".
const THE_ONE: &[&[&str]] = &[
    &["o", "do"],
    &["o", "da"],
    &["a", "do"],
    &["a", "da"],
    &["o", "que"],
    &["a", "que"],
    &["aquele"],
    &["aquela"],
    &["daquele"],
    &["daquela"],
];

/// "não, o do stories!!", "nao, aquela promoção que vcs postaram": a no that goes straight on
/// to say which thing the patient meant corrects what Sofia took it for.
fn restates_after_a_no(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.first() == Some(&"nao") && THE_ONE.iter().any(|opening| words[1..].starts_with(opening))
}

/// How many words before "entende" a negation reaches: "não [tá] entendendo", "não [está me]
/// entendendo".
const NEGATION_REACH: usize = 3;

/// A negation shortly before a form of "entender" said of Sofia.
fn denies_understanding(message: &Normalized) -> bool {
    let words: Vec<&str> = message.tokens().collect();
    words.iter().enumerate().any(|(at, word)| {
        UNDERSTANDING_SOFIA.contains(word)
            && words[at.saturating_sub(NEGATION_REACH)..at].iter().any(|before| NEGATIONS.contains(before))
    })
}
