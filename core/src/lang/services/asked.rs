//! A thing the patient asks the clinic for by a bare name the clinic's file does not know:
//! "vcs fazem endolaser?", "quanto tá o jato de plasma?", "queria marcar ozonização".
//! Neither the catalogue of other procedures nor a treatment's shape recognises every name
//! the market invents, but the question's own shape says a procedure is being asked for, and
//! none of its words is the clinic's. Whether the clinic's knowledge says more about it is
//! for the brain to check before it says the clinic does not offer it.

use std::borrow::Cow;

use super::unoffered::{ARTICLES, ClinicWords, NAME_ENDS, OtherProcedure};
use crate::clinic::Clinic;
use crate::lang::normalize::{normalize, split_clauses};

/// Words after which a procedure is named, and whether a subject or an opener must come
/// before them ("vocês fazem", "quero fazer", "tem como fazer"): "faz" alone also says what
/// someone else does ("minha irmã faz academia").
const ANCHORS: &[(&[&str], Opener)] = &[
    (&["fazem"], Opener::Needed),
    (&["faz"], Opener::Needed),
    (&["fazer"], Opener::Needed),
    (&["aplicam"], Opener::Needed),
    (&["aplica"], Opener::Needed),
    (&["realizam"], Opener::Needed),
    (&["realiza"], Opener::Needed),
    (&["oferecem"], Opener::Needed),
    (&["oferece"], Opener::Needed),
    (&["trabalham", "com"], Opener::Needed),
    (&["trabalha", "com"], Opener::Needed),
    (&["tem"], Opener::Shaped),
    (&["possuem"], Opener::Shaped),
    (&["marcar"], Opener::Needed),
    (&["agendar"], Opener::Needed),
    (&["quanto", "custa"], Opener::Free),
    (&["quanto", "custaria"], Opener::Free),
    (&["quanto", "esta"], Opener::Free),
    (&["quanto", "e"], Opener::Free),
    (&["quanto", "fica"], Opener::Free),
    (&["quanto", "sai"], Opener::Free),
    (&["valor", "do"], Opener::Free),
    (&["valor", "da"], Opener::Free),
    (&["valor", "de"], Opener::Free),
    (&["preco", "do"], Opener::Free),
    (&["preco", "da"], Opener::Free),
    (&["preco", "de"], Opener::Free),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    /// The anchor begins the clause, or one of [`OPENERS`] comes just before it.
    Needed,
    Free,
    /// As [`Opener::Needed`], and the name has a treatment's shape ([`has_a_treatment_s_shape`]):
    /// "vcs tem endermologia corporal?" asks for a procedure, "vcs tem estacionamento?" for
    /// something else.
    Shaped,
}

/// How a treatment's name ends ("carboxiterapia", "endermologia", "abdominoplastia"), or the
/// word after it says where on the body it is done ("massagem corporal", "tratamento facial").
const TREATMENT_SHAPES: &[&str] = &["terapia", "logia", "plastia", "lise", "peeling"];
const WHERE_ON_THE_BODY: &[&str] = &["corporal", "facial", "capilar", "abdominal", "intima", "gluteo"];

fn has_a_treatment_s_shape(name: &[&str]) -> bool {
    name.first().is_some_and(|first| TREATMENT_SHAPES.iter().any(|end| first.ends_with(end)))
        || name.get(1).is_some_and(|second| WHERE_ON_THE_BODY.contains(second))
}

/// Who is asked, or the wish: "vocês fazem", "quero fazer", "tem como fazer", "dá pra marcar".
const OPENERS: &[&str] = &[
    "voces", "voce", "vcs", "vc", "clinica", "quero", "queria", "gostaria", "como", "para", "posso", "ai",
    "tambem", "ja", "preciso", "vou",
];
/// Anchors said of the clinic (plural) that "se" opens too: "gostaria de saber se realizam…"
/// asks indirectly whether the clinic does it. "não sei se faz diferença" asks nothing.
const OPENED_BY_SE: &[&str] = &["fazem", "realizam", "oferecem", "aplicam", "trabalham"];
/// How far before the anchor an opener may be: "vocês também fazem", "queria muito fazer".
const OPENER_REACH: usize = 2;

/// Words that name no procedure: what any booking or payment is made of, and pronouns. After
/// "fazem" or "quanto custa" they ask about the clinic's ways ("vocês fazem parcelamento?",
/// "quanto custa a sessão?"), which its facts or knowledge answer.
const NOT_A_PROCEDURE: &[&str] = &[
    "horario",
    "hora",
    "vaga",
    "consulta",
    "sessao",
    "procedimento",
    "tratamento",
    "servico",
    "atendimento",
    "agendamento",
    "encaixe",
    "retorno",
    "revisao",
    "reavaliacao",
    "avaliacao",
    "pacote",
    "combo",
    "promocao",
    "desconto",
    "orcamento",
    "pagamento",
    "parcelamento",
    "parcela",
    "pix",
    "cartao",
    "boleto",
    "dinheiro",
    "nota",
    "recibo",
    "reembolso",
    "estorno",
    "multa",
    "taxa",
    "convenio",
    "plano",
    "cadastro",
    "pergunta",
    "duvida",
    "reclamacao",
    "elogio",
    "pedido",
    "favor",
    "marcacao",
    "remarcacao",
    "cancelamento",
    "teste",
    "estacionamento",
    "entrega",
    "visita",
    "contato",
    "ligacao",
    "chamada",
    "video",
    "videochamada",
    "online",
    "domicilio",
    "isso",
    "isto",
    "aquilo",
    "algo",
    "alguma",
    "algum",
    "coisa",
    "outro",
    "outra",
    "mesmo",
    "mesma",
    "tudo",
    "nada",
    "ele",
    "ela",
    "eles",
    "elas",
    "aplicacao",
    "sua",
    "seu",
    "nossa",
    "nosso",
    "caso",
    "vez",
    "questao",
    "sinal",
    "total",
    "frete",
    "produto",
    "kit",
    "creme",
    "protetor",
];
/// Words skipped between the anchor and the name: "vocês fazem também o…", "fazem aí?".
const SKIPPED: &[&str] = &["tambem", "ai", "aqui", "ainda", "so", "tipo", "esse", "essa", "esses", "essas"];
/// How many words name the thing: "lipo enzimatica", "jato de plasma" (the link is kept).
const NAME_WORDS: usize = 3;

/// The thing `text` asks the clinic for by a name none of the clinic's words is (its services'
/// names, aliases, descriptions and contraindications), in the patient's own words.
pub fn asked_by_name(clinic: &Clinic, text: &str) -> Option<OtherProcedure> {
    let known = ClinicWords::of(clinic);
    split_clauses(text).find_map(|clause| {
        let message = normalize(clause);
        let words: Vec<&str> = message.tokens().collect();
        (0..words.len()).find_map(|at| named_after(&words, at, &known))
    })
}

/// The name after the anchor that starts at `at`, if one does and names no word of the clinic.
fn named_after(words: &[&str], at: usize, known: &ClinicWords) -> Option<OtherProcedure> {
    let (anchor, opener) = ANCHORS.iter().find(|(anchor, _)| words[at..].starts_with(anchor))?;
    let opened = *opener == Opener::Free
        || at == 0
        || words[at.saturating_sub(OPENER_REACH)..at].iter().any(|word| OPENERS.contains(word))
        || (OPENED_BY_SE.contains(&anchor[0])
            && at.checked_sub(1).is_some_and(|before| words[before] == "se"));
    if !opened {
        return None;
    }
    let rest = &words[at + anchor.len()..];
    let skipped = rest.iter().take_while(|word| SKIPPED.contains(word) || ARTICLES.contains(word)).count();
    let name = name_words(&rest[skipped..]);
    if *opener == Opener::Shaped && !has_a_treatment_s_shape(&name) {
        return None;
    }
    let first = name.first()?;
    let names_a_thing = first.chars().count() > 2
        && first.starts_with(char::is_alphabetic)
        && first.chars().all(char::is_alphanumeric)
        && !NOT_A_PROCEDURE.contains(first)
        && !name.iter().any(|word| !is_link(word) && known.names(word));
    names_a_thing.then(|| OtherProcedure { name: Cow::Owned(name.join(" ")), evaluation_helps: false })
}

/// Up to [`NAME_WORDS`] words up to where the name ends, with a "de" that links two of them
/// kept ("jato de plasma") but never last.
fn name_words<'a>(words: &[&'a str]) -> Vec<&'a str> {
    let mut name: Vec<&str> = Vec::new();
    for (at, word) in words.iter().enumerate() {
        let ends = |word: &str| NAME_ENDS.contains(&word) || ARTICLES.contains(&word);
        let links = is_link(word) && !name.is_empty() && words.get(at + 1).is_some_and(|next| !ends(next));
        if name.len() == NAME_WORDS || (ends(word) && !links) {
            break;
        }
        name.push(word);
    }
    while name.last().is_some_and(|word| is_link(word)) {
        name.pop();
    }
    name
}

fn is_link(word: &str) -> bool {
    matches!(word, "de" | "do" | "da")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TenantId;

    fn clinic() -> Clinic {
        let yaml = include_str!("../../../../knowledge/demo/clinic.yaml");
        Clinic::from_yaml(TenantId::parse("demo").unwrap(), yaml).unwrap()
    }

    fn asked(text: &str) -> Option<String> {
        asked_by_name(&clinic(), text).map(|procedure| procedure.name.into_owned())
    }

    #[test]
    fn a_procedure_asked_for_by_a_name_the_clinic_does_not_use_is_found_in_the_patients_words() {
        assert_eq!(asked("vcs fazem endolaser?").as_deref(), Some("endolaser"));
        assert_eq!(asked("Vcs fazem Morpheus8??").as_deref(), Some("morpheus8"));
        assert_eq!(asked("Vocês também fazem jato de plasma?").as_deref(), Some("jato de plasma"));
        assert_eq!(asked("quanto tá o jato de plasma?").as_deref(), Some("jato de plasma"));
        assert_eq!(asked("queria marcar ozonização pra sexta").as_deref(), Some("ozonizacao"));
        assert_eq!(asked("vcs trabalham com hidrolipo?").as_deref(), Some("hidrolipo"));
        assert_eq!(asked("oi boa tarde. tem como fazer lavinia aí?").as_deref(), Some("lavinia"));
        // "tem" asks for a procedure when the name has a treatment's shape.
        assert_eq!(asked("vcs tem endermologia corporal?").as_deref(), Some("endermologia corporal"));
        assert_eq!(asked("voces tem carboxiterapia?").as_deref(), Some("carboxiterapia"));
        assert_eq!(asked("tem mesoterapia?").as_deref(), Some("mesoterapia"));
        assert_eq!(asked("vcs tem massagem corporal?").as_deref(), Some("massagem corporal"));
        assert_eq!(asked("valor do skinbooster de olhos").as_deref(), None, "the clinic's word");
        // Asked indirectly, as a formal message puts it.
        assert_eq!(
            asked("Gostaria de saber se realizam ozonioterapia, sinto dores no rosto").as_deref(),
            Some("ozonioterapia")
        );
    }

    #[test]
    fn the_clinics_own_services_ways_and_pronouns_are_not_a_procedure_asked_for() {
        for text in [
            "vocês fazem botox?",
            "vcs fazem limpeza de pele?",
            "voces fazem parcelamento?",
            "quanto custa a sessao?",
            "quero marcar um horario",
            "quero marcar com a juliana",
            "quero marcar pra sexta",
            "queria fazer uma pergunta",
            "vocês fazem isso aos sabados?",
            "quanto custa a avaliacao?",
            "valor do pacote",
            "vcs fazem preenchimento?",
            "quero agendar uma consulta",
            "vcs tem estacionamento?",
            "voces tem horario sabado?",
            "vcs tem maquininha de cartao?",
            "tem wifi ai?",
            "vcs tem instagram?",
            "vocês tem fisioterapeuta?",
        ] {
            assert_eq!(asked(text), None, "{text}");
        }
    }

    #[test]
    fn what_someone_else_does_asks_nothing_of_the_clinic() {
        assert_eq!(asked("minha irma faz academia"), None);
        assert_eq!(asked("ela faz pilates toda semana"), None);
        assert_eq!(asked("nao sei se faz diferenca"), None);
    }
}
