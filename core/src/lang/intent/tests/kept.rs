use super::*;

#[test]
fn a_clause_keeping_what_it_names_is_read() {
    for text in [
        "o de manha continua",
        "o de manhã continua 🙏",
        "a da manhã pode manter",
        "o da tarde fica como está",
        "o das 10h permanece",
        "a limpeza mantém",
        "o outro segue normal",
        "O DE MANHA CONTINUA",
        "o de manha nao mexe",
    ] {
        assert!(keeps_as_is(text), "{text:?}");
    }
    for text in ["preciso mudar o horario da tarde", "quero remarcar", "pode ser de manha", "sim", ""] {
        assert!(!keeps_as_is(text), "{text:?}");
    }
}

#[test]
fn going_as_planned_keeps_the_appointment() {
    for text in ["a limpeza eu vou normal", "nessa eu vou normalmente"] {
        assert!(keeps_as_is(text), "{text:?}");
    }
    assert!(!keeps_as_is("vou precisar remarcar a limpeza"));
}
