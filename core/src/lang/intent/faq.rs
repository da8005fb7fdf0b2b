//! Questions about the clinic's rules that no action answers: the cancellation policy, what
//! to bring to the first visit, whether someone may come along, whether there is a deal, and
//! someone asking about another person's appointment.

use super::age::detect_age;
use super::mentions_any;
use crate::lang::normalize::normalize;

/// "tem multa se eu desmarcar em cima da hora?", "qual a política de cancelamento?".
pub fn asks_cancellation_policy(text: &str) -> bool {
    let message = normalize(text);
    mentions_any(
        &message,
        &[
            "politica de cancelamento",
            "regra de cancelamento",
            "regras de cancelamento",
            "tem multa",
            "cobra multa",
            "cobram multa",
            "paga multa",
            "pagar multa",
            "tem taxa de cancelamento",
            "taxa de cancelamento",
            "multa",
        ],
    ) || (mentions_any(
        &message,
        &[
            "em cima da hora",
            "de ultima hora",
            "na ultima hora",
            "se eu desmarcar",
            "se eu cancelar",
            "se eu remarcar",
            "se precisar desmarcar",
            "se precisar cancelar",
            "se precisar remarcar",
            // Moving it said with any verb: "se eu passar o botox de hj pra semana q vem tem taxa?".
            "se eu passar",
            "se eu mudar",
            "se eu trocar",
            "se eu adiar",
            "se eu transferir",
            "se eu reagendar",
            "se precisar passar",
            "se precisar mudar",
            "se precisar trocar",
            "se precisar adiar",
            "de antecedencia",
        ],
    ) && mentions_any(
        &message,
        &["taxa", "cobra", "cobram", "cobrado", "pagar", "paga", "pago", "custo"],
    ))
}

/// "é minha primeira vez, preciso levar alguma coisa?", "o que devo trazer?".
pub fn asks_what_to_bring(text: &str) -> bool {
    let message = normalize(text);
    mentions_any(
        &message,
        &[
            "preciso levar",
            "tenho que levar",
            "devo levar",
            "precisa levar",
            "o que levar",
            "levar alguma",
            "preciso trazer",
            "tenho que trazer",
            "devo trazer",
            "precisa trazer",
            "o que trazer",
            "trazer alguma",
            "levo alguma",
            "levo algum",
            "trago alguma",
            "trago algum",
        ],
    )
}

/// "tem promoção de botox?", "vcs dão desconto?": whether there is a deal. Not a deal of a
/// program the clinic's knowledge may describe ("o cupom da parceria", "desconto pra aluno da
/// academia", "cashback").
pub fn asks_for_a_deal(text: &str) -> bool {
    let message = normalize(text);
    mentions_any(
        &message,
        &["promocao", "promocoes", "promo", "desconto", "descontos", "condicao especial", "preco especial"],
    ) && !mentions_any(
        &message,
        &[
            "parceria",
            "cupom",
            "cupons",
            "convenio",
            "voucher",
            "codigo",
            "academia",
            "aluno",
            "aluna",
            "indicacao",
            "aniversario",
            "aniversariante",
            "fidelidade",
            "cashback",
            "descontou",
            "pacote",
            "pacotes",
        ],
    )
}

/// Who may come along: "acompanhante", or a person the patient is close to.
const COMPANIONS: &[&str] = &[
    "acompanhante",
    "bebe",
    "nenem",
    "filho",
    "filha",
    "filhos",
    "filhas",
    "crianca",
    "criancas",
    "marido",
    "esposa",
    "esposo",
    "mae",
    "pai",
    "namorado",
    "namorada",
    "noivo",
    "noiva",
    "amiga",
    "amigo",
    "irma",
    "irmao",
    "avo",
    "sogra",
    "companheiro",
    "companheira",
    "alguem",
];

/// Bringing someone, or someone coming along: "levar", "ir junto", "entrar comigo".
const COMING_ALONG: &[&str] = &[
    "levar",
    "trazer",
    "levo",
    "trago",
    "ir junto",
    "vir junto",
    "entrar junto",
    "ficar junto",
    "ir comigo",
    "vir comigo",
    "entrar comigo",
    "ficar comigo",
    "me acompanhar",
    "ir com",
    "vir com",
    "acompanhante",
];

/// How a question about it opens when it has no question mark: "queria saber se minha mãe pode
/// ir junto".
const ASKING: &[&str] = &["saber se", "posso", "pode", "podem", "da para", "tem problema", "tudo bem"];

/// "posso levar meu bebê na consulta?", "meu marido pode entrar comigo na avaliação?": whether
/// someone may come along to the visit. Not "quero marcar uma avaliação pra levar minha mãe
/// junto, sexta de manhã", which books.
pub fn asks_to_bring_someone(text: &str) -> bool {
    // "minha filha é menor?": the minors rule is the whole message's.
    let a_minor = detect_age(text).is_some_and(|age| (12..18).contains(&age));
    // Asked in one sentence: "quinta de manhã tem?" + "quinta eu levo minha mãe no médico" asks
    // about the day and tells of an errand.
    !a_minor
        && text.split_inclusive(['?', '!', '.', '\n']).any(|sentence| {
            let message = normalize(sentence);
            let words: Vec<&str> = message.tokens().collect();
            let Some(at) = words.iter().position(|word| COMPANIONS.contains(word)) else { return false };
            let asks = sentence.contains('?') || mentions_any(&message, ASKING);
            // "posso levar minha filha pra fazer limpeza?": the person brought is the one to be
            // seen, not company.
            let is_the_patient =
                words.iter().skip(at + 1).take(TREATED_WITHIN).any(|word| TREATED.contains(word));
            // "sexta tenho que levar minha mãe no médico, e sábado?": an errand somewhere else,
            // which only says why a day does not suit.
            let errand = words.iter().skip(at + 1).any(|word| ERRANDS.contains(word));
            asks && !is_the_patient && !errand && mentions_any(&message, COMING_ALONG)
        })
}

/// Places a patient takes someone to that are not the clinic: "levar minha mãe no médico".
const ERRANDS: &[&str] = &[
    "medico",
    "medica",
    "dentista",
    "pediatra",
    "hospital",
    "escola",
    "creche",
    "colegio",
    "faculdade",
    "aula",
    "natacao",
    "futebol",
    "aeroporto",
    "rodoviaria",
    "exame",
    "exames",
    "vacina",
    "fisioterapia",
    "fisio",
    "fono",
    "terapia",
    "trabalho",
    "mercado",
];

/// How many words after the person a word of their own treatment is looked for.
const TREATED_WITHIN: usize = 6;

/// Words that make the person brought the one to be treated: "pra fazer", "pra ela".
const TREATED: &[&str] =
    &["fazer", "faz", "fizer", "tratar", "ela", "ele", "dela", "dele", "consultar", "avaliar"];

/// "que horas é o botox do João? sou a esposa dele": someone asking about another person's
/// appointment, which is never told.
pub fn asks_about_someone_else(text: &str) -> bool {
    let message = normalize(text);
    let relation = mentions_any(
        &message,
        &[
            "sou a esposa",
            "sou esposa",
            "sou o marido",
            "sou marido",
            "sou a mae",
            "sou mae",
            "sou o pai",
            "sou a namorada",
            "sou o namorado",
            "sou a irma",
            "sou o irmao",
            "sou a filha",
            "sou o filho",
            "sou a secretaria",
            "sou amiga",
            "sou amigo",
            "sou a amiga",
            "sou o amigo",
        ],
    );
    relation
        && mentions_any(
            &message,
            &[
                "que horas",
                "quando e",
                "qual horario",
                "qual o horario",
                "ta marcado",
                "esta marcado",
                "marcado para",
            ],
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_question_about_a_deal() {
        for text in ["tem promoção de botox?", "vcs dão desconto?", "alguma promo essa semana?"] {
            assert!(asks_for_a_deal(text), "{text}");
        }
        for text in [
            "e o cupom da parceria com a academia?",
            "tem desconto pra aluno?",
            "quanto custa o pacote da promoção?",
            "quanto custa o botox?",
        ] {
            assert!(!asks_for_a_deal(text), "{text}");
        }
    }

    #[test]
    fn reads_a_question_about_bringing_someone_along() {
        for text in [
            "posso levar meu bebê na consulta?",
            "meu marido pode entrar comigo na avaliacao?",
            "vou fazer botox ai e queria saber se minha mae pode ir junto",
            "da pra levar acompanhante na limpeza de pele?",
            "na minha consulta de sexta posso levar minha filha de 5 anos? nao tenho com quem deixar",
            "tem problema eu ir com meu namorado?",
            "posso levar uma amiga comigo?",
            "POSSO LEVAR MEU FILHO PEQUENO JUNTO",
            "posso levar acompanhante? 🙏",
        ] {
            assert!(asks_to_bring_someone(text), "{text}");
        }
        for text in [
            "quero marcar uma avaliacao pra levar minha mae junto, sexta de manha",
            "preciso levar algum documento?",
            "quero marcar pra minha mae",
            "posso levar meu cartao de credito?",
            "minha mae ja fez botox ai, eu queria marcar tambem",
            // The person brought is the patient.
            "posso levar minha filha pra fazer limpeza de pele?",
            "posso levar minha filha de 16 anos?",
            "queria levar minha mae pra ela fazer botox, pode?",
            // The question and the errand in different sentences.
            "skinbooster pra minha filha, quinta de manhã tem?\nquinta não, sexta! quinta eu levo minha mãe no médico",
            // An errand elsewhere, in the same sentence as the question.
            "ah nao, sexta tenho que levar minha mae no medico, pode ser sabado?",
            "posso ir mais tarde? levo meu filho na escola as 8",
        ] {
            assert!(!asks_to_bring_someone(text), "{text}");
        }
    }

    #[test]
    fn reads_the_cancellation_policy_question() {
        for text in [
            "se eu precisar desmarcar em cima da hora tem multa?",
            "qual a política de cancelamento?",
            "cobram taxa se eu cancelar em cima da hora?",
            "se eu desmarcar com 1 dia de antecedencia pago alguma taxa?",
            "se precisar remarcar tem algum custo?",
        ] {
            assert!(asks_cancellation_policy(text), "{text}");
        }
        for text in ["quero cancelar minha consulta", "preciso desmarcar o botox de hoje"] {
            assert!(!asks_cancellation_policy(text), "{text}");
        }
    }

    #[test]
    fn reads_what_to_bring() {
        for text in ["é minha primeira vez, preciso levar alguma coisa?", "o que devo trazer no dia?"] {
            assert!(asks_what_to_bring(text), "{text}");
        }
        assert!(!asks_what_to_bring("quero marcar botox"));
    }

    #[test]
    fn reads_a_question_about_someone_elses_appointment() {
        assert!(asks_about_someone_else("que horas é o botox do João Prado amanhã? sou a esposa dele"));
        assert!(!asks_about_someone_else("minha filha tem 15 anos, queria marcar uma avaliação pra ela"));
        assert!(!asks_about_someone_else("que horas é minha consulta?"));
    }
}
