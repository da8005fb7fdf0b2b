//! Questions about the clinic's rules that no action answers: the cancellation policy, what
//! to bring to the first visit, and someone asking about another person's appointment.

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
