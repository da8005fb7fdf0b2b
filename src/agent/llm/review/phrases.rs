//! Sentences a reply must not contain: a diagnosis or a prescription, and a promise that a
//! person will take over (which only `handoff_to_human` can keep); and an apology, which tells
//! the guard a model that forgot a handoff still took the patient's grievance for one.
//!
//! Read after pt-BR folding (lower case, no accents, slang expanded), so one pattern covers
//! "você tem"/"vc tem" and "infecção"/"infeccao". The lists are deliberately narrow: a false
//! alarm costs one safe, slightly generic reply; a miss costs a patient a diagnosis.

use std::sync::LazyLock;

use regex::Regex;
use sofia_core::lang::normalize;

/// Conditions a receptionist must never tell a patient they have.
const CONDITIONS: &str = "alergia|reacao alergica|infeccao|infeccionad[oa]|inflamacao|inflamad[oa]|dermatite|\
    rosacea|melasma|acne|foliculite|herpes|psoriase|micose|eczema|urticaria|queimadura|necrose|granuloma|\
    ptose|cancer|tumor|melanoma|carcinoma|lupus|vitiligo|queloide|fungo|bacteria|virus|hematoma|trombose|\
    intoxicacao|anafilaxia";
/// Medicines and treatments only a professional may recommend.
const MEDICINES: &str = "antibiotico|anti inflamatorio|antiinflamatorio|corticoide|antialergico|anti histaminico|\
    antihistaminico|pomada|dipirona|ibuprofeno|paracetamol|prednisona|hidrocortisona|aciclovir|isotretinoina|\
    roacutan|acido retinoico|tretinoina|remedio|medicamento|medicacao";

fn pattern(text: &str) -> Regex {
    Regex::new(text).unwrap_or_else(|error| unreachable!("a fixed pattern is valid: {error}"))
}

static DIAGNOSIS: LazyLock<[Regex; 3]> = LazyLock::new(|| {
    [
        // "você tem uma alergia", "você está com dermatite", "deve ser uma infecção".
        pattern(&format!(
            r"\b(voce|vc|senhora|senhor) (tem|teve|esta com|deve ter|deve estar com|provavelmente tem|pode ter|parece ter)( uma| um)? ({CONDITIONS})\b"
        )),
        pattern(&format!(
            r"\b((isso|isto|essa mancha|essa lesao|esse quadro|o que voce descreveu)( e| parece| indica| sugere)?|parece ser|deve ser|pode ser|provavelmente e|trata se de)( uma| um| de)? ({CONDITIONS})\b"
        )),
        // "tome um antibiótico", "recomendo usar uma pomada".
        pattern(&format!(
            r"\b(tome|tomar|use|usar|aplique|aplicar|passe|passar|recomendo|indico|sugiro|receito|prescrevo)( o uso de| usar| tomar| passar| aplicar)?( um| uma| o| a| algum| alguma)? ({MEDICINES})\b"
        )),
    ]
});

/// Who a conversation can be passed to: a reply that passes *something* to the patient ("vou
/// passar para você os horários") promises no person, one that passes the patient *to someone*
/// ("vou te passar para a recepção") does.
const PEOPLE: &str = "equipe|time|atendente|atendentes|atendimento humano|humano|humana|pessoa|recepcao|\
    recepcionista|consultor|consultora|especialista|colaborador|colaboradora|secretaria|responsavel|alguem|\
    setor";

static HUMAN_PROMISE: LazyLock<[Regex; 4]> = LazyLock::new(|| {
    [
        // "vou chamar alguém da equipe", "estou acionando a recepção".
        pattern(
            r"\b(vou|irei|vamos|estou) (te |lhe |a |o )?(chamar|chamando|acionar|acionando) (alguem|um|uma|a|o|nossa|nosso|nossas|nossos)\b",
        ),
        // "vou te transferir para uma atendente", "vou passar você para a recepção", "vou
        // encaminhar sua mensagem para a equipe": the destination must be a person or a team.
        pattern(&format!(
            r"\b(vou|irei|vamos|estou) (te |lhe |a |o )?(transferir|transferindo|encaminhar|encaminhando|repassar|repassando|passar|passando|direcionar|direcionando|conectar|conectando)\b.{{0,40}}?\b(para|com|ao|a) (o |a |os |as |um |uma )?(nosso |nossa |nossos |nossas )?({PEOPLE})\b"
        )),
        // "uma atendente vai falar com você", "nossa equipe entrará em contato".
        pattern(
            r"\b(um|uma|nosso|nossa|o|a|alguem da|alguem do) (atendente|humano|pessoa|consultor|consultora|especialista|recepcionista|colaborador|colaboradora|equipe|time)\b.{0,30}\b(vai|ira|vao|irao) (te |lhe )?(falar|responder|retornar|chamar|assumir|continuar|entrar em contato|dar continuidade)\b|\b(entrara|entrarao|retornara|retornarao) (em contato|com voce|o contato)\b",
        ),
        // "aguarde que um atendente já te responde".
        pattern(r"\baguarde\b.{0,40}\b(atendente|equipe|humano|pessoa)\b"),
    ]
});

/// "sinto muito", "desculpe", "lamento", "perdão": an apology anywhere in the reply.
static APOLOGY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(desculp\w*|sinto muito|sentimos muito|lamento|lamentamos|perdao|perdoe)\b")
});

/// Whether the reply diagnoses or prescribes.
pub fn diagnoses(reply: &str) -> bool {
    let folded = normalize(reply);
    DIAGNOSIS.iter().any(|pattern| pattern.is_match(folded.as_str()))
}

/// Whether the reply apologises. A model that apologised for a complaint heard it, even if it
/// forgot the handoff; one that did not took the message for something else.
pub fn apologises(reply: &str) -> bool {
    APOLOGY.is_match(normalize(reply).as_str())
}

/// Whether the reply tells the patient a person will take over.
pub fn promises_a_human(reply: &str) -> bool {
    let folded = normalize(reply);
    HUMAN_PROMISE.iter().any(|pattern| pattern.is_match(folded.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnoses_and_prescriptions_are_caught() {
        for reply in [
            "Pelo que você descreveu, você tem uma alergia ao produto.",
            "Isso parece ser dermatite de contato.",
            "Provavelmente é uma infecção, vc está com inflamação.",
            "Recomendo usar uma pomada de corticoide.",
            "Tome um antialérgico que melhora.",
        ] {
            assert!(diagnoses(reply), "{reply}");
        }
    }

    #[test]
    fn ordinary_replies_are_not_diagnoses() {
        for reply in [
            "Você tem estes horários: 1) terça às 14:00.",
            "Não consigo avaliar sintomas por aqui; que tal uma Avaliação?",
            "Depois do Peeling Químico, use protetor solar e evite o sol por 7 dias.",
            "Você tem 3 sessões do seu pacote.",
            "Nossa equipe médica vai avaliar pessoalmente na consulta.",
            "Tratamos acne e melasma com peeling.",
        ] {
            assert!(!diagnoses(reply), "{reply}");
        }
    }

    #[test]
    fn apologies_are_read() {
        for reply in [
            "Sinto muito por isso, Cláudia. 🙏",
            "Desculpe a demora!",
            "Poxa, desculpa pelo transtorno.",
            "Lamento muito o ocorrido.",
            "Peço perdão pela confusão.",
        ] {
            assert!(apologises(reply), "{reply}");
        }
        for reply in [
            "Oi! Posso te ajudar com o orçamento: qual procedimento você quer?",
            "Sinto que você vai gostar do resultado.",
            "Tenho estes horários: 1) terça às 14:00.",
        ] {
            assert!(!apologises(reply), "{reply}");
        }
    }

    #[test]
    fn promises_of_a_person_are_caught() {
        for reply in [
            "Vou te transferir para uma atendente.",
            "Vou chamar alguém da nossa equipe, só um instante!",
            "Uma atendente vai falar com você em instantes.",
            "Nossa equipe entrará em contato com você.",
            "Aguarde um pouquinho que um atendente já te responde.",
            "Vou passar você para a recepção.",
            "Vou te encaminhar para a nossa equipe.",
            "Vou repassar sua mensagem para a equipe, que já te responde.",
            "Estou chamando a recepcionista.",
        ] {
            assert!(promises_a_human(reply), "{reply}");
        }
        for reply in [
            "Tenho estes horários para Botox: 1) terça às 14:00.",
            "Posso confirmar o agendamento?",
            "A Dra. Ana vai te atender na terça.",
            "Nossa equipe médica vai avaliar pessoalmente na consulta.",
            // Passing something to the patient is not passing the patient to someone.
            "Vou passar para você os horários disponíveis.",
            "Vou passar pra vc os valores.",
            "Vou encaminhar para você o endereço da clínica.",
            "Vou repassar para você as orientações do pós.",
            "Vou te passar os horários de terça.",
        ] {
            assert!(!promises_a_human(reply), "{reply}");
        }
    }
}
