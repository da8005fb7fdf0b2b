use super::*;

#[test]
fn complaints_and_anger_need_a_person() {
    let complaints = [
        "fiquei muito insatisfeita com o resultado",
        "Fiquei MUITO insatisfeito 😡",
        "isso é um absurdo",
        "isso e um absurdo!!!",
        "q absurdoooo",
        "o resultado ficou horrível",
        "a boca ficou torta depois que vocês aplicaram",
        "fui mal atendida na recepção",
        "que descaso com o paciente",
        "vou reclamar no reclame aqui",
        "estou decepcionada com o atendimento",
        "não gostei do resultado do preenchimento",
        "nao gostei do resultado",
        "pessimo atendimento de vcs",
        "minha pele ficou toda manchada depois do peeling, to muito chateada com vcs",
        "fiquei frustrada com o resultado do botox",
        "to irritadissima com o atendimento de voces",
    ];
    for text in complaints {
        assert_eq!(needs_a_person(text), Some(Escalation::Complaint), "{text:?}");
    }
}

#[test]
fn money_disputes_need_a_person() {
    let disputes = [
        "apareceu uma cobrança no meu cartão que eu não reconheço, não reconheço essa cobrança",
        "nao reconheco essa cobranca",
        "vocês me cobraram duas vezes",
        "cobraram a mais no cartao",
        "quero meu dinheiro de volta",
        "quero o reembolso do pacote",
        "quero o estorno 😤",
        "não concordo com essa multa",
        "nao vou pagar essa taxa, avisei com antecedência",
        "multa injusta, quero contestar a multa",
        "isso é um absurdo, quero meu dinheiro de volta",
        "apareceu uma cobrança de 800 reais no meu cartao com o nome de vcs e eu nunca fiz nada ai",
        "me cobraram 50 reais de taxa de cancelamento mas eu avisei 2 dias antes, nao vou pagar isso nao",
        "essa multa ta errada",
    ];
    for text in disputes {
        assert_eq!(needs_a_person(text), Some(Escalation::MoneyDispute), "{text:?}");
    }
}

#[test]
fn ordinary_requests_and_policy_questions_need_no_person() {
    let ordinary = [
        "quero marcar botox",
        "minha pele está horrível, quero uma limpeza",
        "tô com umas rugas horrorosas",
        "tem multa se eu desmarcar?",
        "qual a taxa de cancelamento?",
        "quanto custa o preenchimento?",
        "vocês parcelam?",
        "obrigada, adorei o resultado!",
        "to chateada que nao tem horario no sabado",
        "",
    ];
    for text in ordinary {
        assert_eq!(needs_a_person(text), None, "{text:?}");
    }
}

#[test]
fn saying_sofia_got_it_wrong_is_read() {
    for text in ["nao, nao é isso", "vc nao ta me entendendo", "Você não entendeu!", "nada a ver 🙄"] {
        assert!(says_misunderstood(text), "{text:?}");
    }
    for text in ["não", "isso", "entendi, obrigada", "quero marcar botox"] {
        assert!(!says_misunderstood(text), "{text:?}");
    }
}
