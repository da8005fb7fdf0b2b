use super::*;
use crate::lang::normalize::normalize;

mod dialogue;
mod escalation;
mod guards;
mod kept;
mod later;
mod praise;
mod question;
mod replies;
mod topics;

#[test]
fn every_phrase_is_written_in_folded_form() {
    let tables = super::phrases::ALL.iter().flat_map(|table| table.iter());
    let cues = super::topics::CUES.iter().map(|(_, _, phrase)| phrase);
    for phrase in tables.chain(cues) {
        assert_eq!(normalize(phrase).as_str(), *phrase, "write {phrase:?} as it folds");
    }
}

#[test]
fn ages_are_read_where_a_message_states_one() {
    let cases = [
        ("tenho 16 anos", Some(16)),
        ("Tenho 16 anos, posso fazer botox?", Some(16)),
        ("minha filha de 15 quer fazer limpeza", Some(15)),
        ("meu filho de 17 anos", Some(17)),
        ("ela tem quinze anos", Some(15)),
        ("16 anos", Some(16)),
        ("idade: 19", Some(19)),
        ("com 40 anos ainda dá?", Some(40)),
        ("fiz botox há 2 anos", None),
        ("faz 3 anos que não faço limpeza", None),
        ("tenho 2 filhos", None),
        ("tenho 17, posso fazer preenchimento?", Some(17)),
        ("tenho 17", Some(17)),
        ("tenho 15 sessões no pacote", None),
        ("quero 15 sessões", None),
        ("tenho 300 anos", None),
        ("minha filha tem 16 e quer fazer limpeza de pele, pode?", Some(16)),
        ("meu filho tem 17, pode fazer botox?", Some(17)),
        ("ela tem dezesseis", Some(16)),
        ("minha filha tem 2 sessões no pacote", None),
        ("ele tem 3 filhos", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(detect_age(text), expected, "{text:?}");
    }
}

#[test]
fn under_the_minimum_age_is_said_by_an_age_or_in_words() {
    for text in [
        "minha filha tem 16 e quer fazer limpeza de pele",
        "é pro meu filho adolescente",
        "ela é menor de idade",
        "queria marcar microagulhamento pra minha sobrinha, ela ainda nao fez 18",
        "minha filha nao tem 18 ainda",
    ] {
        assert!(says_under_age(text, 18), "{text:?}");
    }
    for text in ["tenho 18 anos", "quero marcar botox", "ela fez 18 mês passado", "tenho 2 filhos"] {
        assert!(!says_under_age(text, 18), "{text:?}");
    }
}
