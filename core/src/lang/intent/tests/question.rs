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
        assert!(!asks_past_a_tag(text), "{text:?}");
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
        "?",
        "??",
        "oi??",
        "vou ver, mas que horas vcs fecham ok?",
    ];
    for text in questions {
        assert!(asks_past_a_tag(text), "{text:?}");
    }
}
