use super::*;

#[test]
fn yes_in_its_many_forms_is_affirmative() {
    let yes = [
        "sim",
        "manda ver",
        "Sim!",
        "SIM",
        "siiim",
        "s",
        "ss",
        "pode",
        "pode ser",
        "isso",
        "isso mesmo",
        "isso é perfeito",
        "isso, pode marcar",
        "confirmo",
        "confirma",
        "ok",
        "OK!",
        "beleza",
        "blz",
        "fechado",
        "perfeito",
        "claro",
        "com certeza",
        "pode marcar",
        "Pode marcar sim, obrigada",
        "sim, pode marcar esse horário por favor",
        "tá bom",
        "ta otimo",
        "👍",
        "👍🏽",
        "ok 👍",
        "não tem problema",
        "sem problemas",
        "uhum",
        "combinado",
        "certo",
        "Correto, pode confirmar. Obrigada",
        "essa serve",
        "esse serve sim",
        "serve!",
        "fechou",
        "fechou, pode marcar",
        "FECHOUU 👍",
        // Round 22: the deal closed in the infinitive or the imperative.
        "pode fechar",
        "pode fechar entao",
        "Pode fechar sim 👍",
        "fecha pra mim",
        "fecha esse horario",
        "bom dia, pode confirmar sim",
        // An interjection or a hello before the yes, and slang for "great".
        "oi, pode sim",
        "opa, serve sim",
        "ah, pode ser",
        "boa! pode ser",
        "top, marca",
        "dale",
        "massa, pode marcar 😄",
        // Go ahead with it.
        "pode seguir",
        "pode seguir então",
        "Pode prosseguir",
        "pode ir em frente!",
        "faz isso entao",
        "segue",
        "prossiga por favor",
    ];
    for text in yes {
        assert!(is_affirmative(text), "{text:?} should be a yes");
    }
    // An interjection alone, or before something else, is no yes.
    for text in ["oi", "opa, qual o endereço?", "nossa, que caro", "marca sexta?", "top 3 procedimentos?"] {
        assert!(!is_affirmative(text), "{text:?} is no yes");
    }
}

#[test]
fn a_no_a_condition_or_a_counter_proposal_is_not_affirmative() {
    let not_yes = [
        "não",
        "claro que não",
        "sim, mas prefiro à tarde",
        "pode ser sexta?",
        "ok, só que não consigo amanhã",
        "quanto custa?",
        "oi",
        "",
        "👎",
        "por favor",
        "nenhum",
        // Round 6: "isso" as the subject of a statement.
        "isso é muito caro",
        "isso é inadmissível",
        "isso foi um absurdo",
        "ISSO ESTA ERRADO",
        // A greeting by the time of day is no yes, though "bom" can be one.
        "bom dia",
        "Bom diaaa!",
        "bom dia sofia",
        "boa tarde",
        "nao serve",
        "essa não serve pra mim",
        "que horas fecha?",
        "vcs fecham sabado?",
        "fecha sexta?",
        "não pode fechar",
    ];
    for text in not_yes {
        assert!(!is_affirmative(text), "{text:?} should not be a yes");
    }
}

#[test]
fn no_in_its_many_forms_is_negative() {
    let no = [
        "não",
        "nao",
        "Não!",
        "n",
        "ñ",
        "naum",
        "não quero",
        "melhor não",
        "agora não, obrigada",
        "não, obrigado",
        "nenhum desses",
        "negativo",
        "obrigada, mas não",
        "eu não quero",
        "acho que não",
    ];
    for text in no {
        assert!(is_negative(text), "{text:?} should be a no");
    }
}

#[test]
fn cancelling_changing_or_doubting_is_not_a_plain_no() {
    let not_no = [
        "cancela",
        "não, quero cancelar",
        "não vou poder ir",
        "não, quero remarcar",
        "não sei ainda",
        "não tem problema",
        "sim",
        "pode ser",
        "",
    ];
    for text in not_no {
        assert!(!is_negative(text), "{text:?} should not be a plain no");
    }
}

#[test]
fn greetings_open_a_message() {
    for text in [
        "oi",
        "Oiii",
        "olá",
        "ola sofia",
        "bom dia!",
        "Boa tarde, tudo bem?",
        "boa noite",
        "e aí",
        "opa",
        "tudo bem?",
    ] {
        assert!(is_greeting(text), "{text:?}");
    }
    for text in ["quero marcar", "sim", "tchau", "", "a consulta foi boa"] {
        assert!(!is_greeting(text), "{text:?}");
    }
}

#[test]
fn a_greeting_that_asks_something_else_is_told_apart() {
    for text in [
        "oi, e o esquema da indicação?",
        "Olá! vcs tem estacionamento conveniado?",
        "bom dia, e aquele lance do insta?",
        "oie 😊 como funciona a primeira vez?",
        // Asked without its mark.
        "Boa tarde. Gostaria de saber se vocês trabalham com acupuntura estética.",
        "bom dia, queria saber o endereço de vcs",
    ] {
        assert!(greets_and_asks(text), "{text:?}");
    }
    for text in [
        "oi",
        "oi sofia, tudo bem?",
        "Boa tarde, tudo bem com vc?",
        "olá, tem alguém aí?",
        "oi, pode me ajudar?",
        "bom dia! tudo joia? 😊",
        "quanto custa o botox?",
        "oi, e o esquema da indicação",
        "",
    ] {
        assert!(!greets_and_asks(text), "{text:?}");
    }
}

#[test]
fn thanks_count_anywhere() {
    for text in [
        "obrigada!",
        "Obrigado",
        "obg",
        "obgd",
        "brigado",
        "valeu",
        "vlw",
        "muito obrigado pela ajuda",
        "ok, grata",
    ] {
        assert!(is_thanks(text), "{text:?}");
    }
    for text in ["sim", "oi", "quero marcar", ""] {
        assert!(!is_thanks(text), "{text:?}");
    }
}

#[test]
fn a_bare_call_for_attention_is_read() {
    for text in [
        "alô??",
        "alo?",
        "oi?",
        "Oiii???",
        "???",
        "?",
        "ei, tem alguém aí?",
        "oie gente",
        "bom dia?",
        "olá 👋",
    ] {
        assert!(only_calls_attention(text), "{text:?}");
    }
    for text in [
        "oi, quero marcar botox",
        "oi, e o esquema da indicação?",
        "oi, tenho uma dúvida",
        "obrigada",
        "sim",
        "",
        "...",
        "👍",
        "quanto custa?",
    ] {
        assert!(!only_calls_attention(text), "{text:?}");
    }
}

#[test]
fn a_yes_to_a_change_may_name_the_change_or_accept_its_fee() {
    for text in [
        "pode trocar sim, obrigada!",
        "pode remarcar sim",
        "sim pode passar",
        "tá, pode passar mesmo com a taxa",
        "ok, pago a taxa",
        "pode sim, com a taxa mesmo",
    ] {
        assert!(is_affirmative(text), "{text:?}");
    }
    for text in
        ["pode trocar pra quinta?", "e a taxa?", "nao, mesmo com a taxa nao", "pode passar o endereço?"]
    {
        assert!(!is_affirmative(text), "{text:?}");
    }
}

#[test]
fn a_resigned_yes_is_a_yes() {
    for text in [
        "fazer o que né 🤷‍♀️ muda aí",
        "pode mudar sim",
        "que pena, mas tudo bem, pode mudar",
        "poxa, que pena... mas pode passar",
        "paciência, pode confirmar",
        // A complaint first, then the go-ahead in a clause of its own.
        "aff vou perder a sessão né... mas pode remarcar",
        "que saco. fazer o que, pode mudar",
        "poxa não acredito que vai contar a sessão, mas ok pode passar",
    ] {
        assert!(is_affirmative(text), "{text:?}");
    }
    for text in [
        "o que eu faço?",
        "muda pra sexta?",
        "que pena, mas não vou poder",
        "que pena",
        // An earlier clause says no, or the message proposes a time.
        "então sexta às 11h, pode ser?",
        "entao sexta as 11h. pode ser",
        "não, pode deixar",
        "não quero perder a sessão, mas pode remarcar",
        "nao. ok",
    ] {
        assert!(!is_affirmative(text), "{text:?}");
    }
}

#[test]
fn an_interjection_opening_a_yes_leaves_it_a_yes() {
    for text in [
        "opa, pode sim! dá tempo de eu chegar",
        "eba, pode sim, chego a tempo tranquilo",
        "Oba!! Fechado então",
        "ahh sim, pode marcar",
    ] {
        assert!(is_affirmative(text), "{text:?}");
    }
    for text in ["opa", "opa, não vou poder", "eita, sexta não dá", "oi, tudo bem?", "nossa, que caro"] {
        assert!(!is_affirmative(text), "{text:?}");
    }
}

#[test]
fn a_yes_that_waits_on_a_condition_is_no_yes_yet() {
    for text in [
        "Obrigada. Preciso ver com meu esposo; assim que ele disser, confirmo.",
        "Beleza. Assim que meu marido chegar, confirmo.",
    ] {
        assert!(!is_affirmative(text), "{text:?}");
    }
    assert!(is_affirmative("que pena, mas tudo bem. pode marcar"));
    assert!(is_affirmative("sim, quando puder me manda o endereço"));
}

#[test]
fn a_condition_holds_back_a_go_ahead_without_punctuation() {
    for text in [
        "ok quando receber o salario pode marcar",
        "ok quando receber o salario, pode marcar",
        "blz qdo meu marido chegar eu confirmo",
        "sim assim que sair minha escala pode agendar",
        "pode marcar depois que eu falar com minha mae",
        "fechado dps q cair o pix vc marca",
        "ok so troca qdo eu tiver certeza q to de folga no sabado",
        "pode marcar quando cair o salario?",
        "pode marcar qdo eu receber eu te aviso",
    ] {
        assert!(!is_affirmative(text), "{text:?}");
    }
}

#[test]
fn a_courtesy_or_a_later_question_beside_a_yes_leaves_it_a_yes() {
    for text in [
        "sim quando puder me manda o endereço",
        "ok quando vc puder confirma pra mim",
        "pode agendar, qdo for lá levo meus exames",
        "confirmo! quando eu chegar pago no pix ou cartão?",
        "sim, pode marcar. quando chego lá procuro quem?",
        "isso mesmo pode marcar 😊 qdo eu for da pra parcelar em 3x?",
        "beleza pode marcar qdo eu for ai eu levo os exames",
    ] {
        assert!(is_affirmative(text), "{text:?}");
    }
}

#[test]
fn an_if_about_the_patient_or_theirs_holds_a_go_ahead_back() {
    for text in [
        "se meu marido puder ficar com as criancas eu confirmo",
        "se eu conseguir trocar o turno com minha colega vc pode passar, ja te falo",
        "se minha irma ficar com meus filhos no sabado eu confirmo ta",
        "se der certo com o pagamento pode marcar",
    ] {
        assert!(waits_on_a_condition(text), "{text}");
    }
    // Not a condition of the patient's: a bare "se", or a courtesy asked of the clinic.
    for text in [
        "sim pode marcar, se possivel me manda o endereco",
        "pode marcar sim, quando vc puder me manda o pix",
    ] {
        assert!(!waits_on_a_condition(text), "{text}");
    }
}

#[test]
fn a_go_ahead_is_named_in_so_many_words_not_by_an_ok() {
    for text in ["consegui trocar!! pode marcar sim 🙌", "ela pode sim, confirma pfv", "mandou!! pode fechar"]
    {
        assert!(names_a_go_ahead(text), "{text}");
    }
    for text in ["ok vlw", "blz obrigada", "sim", "obg depois te chamo"] {
        assert!(!names_a_go_ahead(text), "{text}");
    }
}
