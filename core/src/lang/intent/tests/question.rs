use super::*;

#[test]
fn a_tag_closing_a_goodbye_asks_nothing() {
    let statements = [
        "mais tarde eu falo com você, tá bom? Beijo.",
        "mais tarde eu falo com vc, ta bom?",
        "depois te aviso, ok?",
        "depois te aviso ok?",
        "to no trampo, mais tarde eu vejo isso blz? bjs",
        "vou ver com meu marido e te falo, blz?? bjs",
        "amanhã te confirmo, combinado?",
        "to no trabalho, falo contigo depois tá?",
        "depois eu marco, pode ser?",
        "volto a chamar, tudo bem? 😘",
        "sem pergunta nenhuma aqui",
        // Round 13: a question the patient will settle first, not one asked of Sofia.
        "vou ver com meu namorado q horas ele consegue me levar e te falo blz?",
        "vou ver com meu namorado que horas ele consegue me levar e te falo, beleza?",
        "vou perguntar pro meu chefe qual dia eu folgo e te aviso ok?",
        "deixa eu ver qnd recebo e te falo, ta bom? 😘",
    ];
    for text in statements {
        assert_eq!(asked_beside_goodbye(text), None, "{text:?}");
    }
    let questions = [
        "quanto custa?",
        "tá bom, mas quanto custa?",
        "depois te aviso, ok? quanto custa o botox?",
        "vcs abrem sabado? ta bom",
        "tem horario sexta?? bjs",
        "pode ser as 15h?",
        "tá bom mesmo?",
        "quanto ta?",
        "depois vejo, quanto que fica ok?",
        "oi??",
        "vou ver, mas que horas vcs fecham ok?",
    ];
    for text in questions {
        assert!(asked_beside_goodbye(text).is_some(), "{text:?}");
    }
}

#[test]
fn what_a_goodbye_asks_besides_is_its_other_clauses() {
    let asked = [
        ("vou pensar mais um pouquinho e te falo. doi muito??", "doi muito"),
        ("ok, amanha te confirmo! o efeito dura qnto tempo?", "o efeito dura qnto tempo"),
        (
            "vou pensar e qualquer coisa te chamo. em quanto tempo aparece o resultado?",
            "em quanto tempo aparece o resultado",
        ),
        // A permission asked with a tag is still asked.
        ("ja te aviso. posso levar acompanhante ne?", "posso levar acompanhante ne"),
        ("blz te falo dps, precisa ir de jejum ne??", "precisa ir de jejum ne"),
        (
            "vou ver com meu marido e te falo qual o valor mesmo?",
            "vou ver com meu marido e te falo qual o valor mesmo",
        ),
        ("vou ver e te falo. o estacionamento é conveniado, certo?", "o estacionamento é conveniado"),
        (
            "vou ver com minha mae e te falo 🙏 posso parcelar?",
            "vou ver com minha mae e te falo 🙏 posso parcelar",
        ),
        // What the clinic does, said with "vocês" and a tag: round "other voices".
        ("vou ver e te falo. Cês dão nota fiscal, né?", "Cês dão nota fiscal"),
    ];
    for (text, besides) in asked {
        assert_eq!(asked_beside_goodbye(text).as_deref(), Some(besides), "{text:?}");
    }
    // A bare question mark after a goodbye is not a question of its own.
    assert_eq!(asked_beside_goodbye("vou pensar e te falo ?"), None);
}

#[test]
fn a_tag_after_a_fact_of_the_clinic_seeks_its_confirmation() {
    // Round 21: the tag closes something said of the clinic, not the patient's goodbye.
    for text in [
        "ta bom vou ver com meu namorado e te falo. a avaliaçao é de graça mesmo ne?",
        "vou pensar. a avaliação é gratuita né?",
        "blz, depois te aviso. vcs aceitam pix ne?",
        "vou ver e te falo. o estacionamento é conveniado, certo?",
        "A AVALIACAO E DE GRACA NE??",
    ] {
        assert!(asked_beside_goodbye(text).is_some(), "{text:?}");
    }
    // A goodbye that names the price it will think over, tagged, still asks nothing.
    for text in [
        "vou ver o valor com meu marido e te aviso ok?",
        "vou ver se o preço cabe no orcamento e te retorno, blz?",
        "depois eu vejo o pagamento e te falo, tá bom?",
    ] {
        assert_eq!(asked_beside_goodbye(text), None, "{text:?}");
    }
}

#[test]
fn a_goodbye_that_names_the_price_it_will_think_over_asks_nothing() {
    for text in [
        "vou ver o valor com meu marido e te aviso",
        "vou ver se o preço cabe no orcamento e te retorno",
        "quando eu decidir sobre o valor te falo",
        "Vou pensar no valor, obrigada!",
    ] {
        assert!(!asks_without_a_mark(text), "{text}");
    }
}

#[test]
fn a_request_for_information_or_an_opening_question_word_asks_without_a_mark() {
    for text in [
        "me passa o valor que eu vejo com meu marido",
        "quero saber o preço, depois te aviso",
        "quanto custa o botox, vou pensar",
        "vou pensar. qual o valor do pacote",
        "me manda os precos q vejo e te falo",
    ] {
        assert!(asks_without_a_mark(text), "{text}");
    }
}

#[test]
fn a_lost_patient_s_question_mark_asks_nothing() {
    for text in ["hã? nao entendi nada", "HEIN??", "ué? como assim?", "oq? kkk"] {
        assert!(!asks_by_a_mark(text), "{text:?}");
    }
    for text in ["não entendi, quanto custa?", "hã? vcs abrem sabado?", "pode repetir?", "oi??"] {
        assert!(asks_by_a_mark(text), "{text:?}");
    }
}
