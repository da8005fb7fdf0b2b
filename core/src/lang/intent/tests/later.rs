use super::*;

#[test]
fn leaving_for_later_is_read_in_its_many_forms() {
    let later = [
        "vou ver com meu marido e te aviso",
        "Vou ver com meu marido e te aviso 😊",
        "mais tarde eu retorno",
        "mais tarde eu retorno, obg",
        "vou pensar",
        "vou pensar e te falo",
        "deixa eu pensar melhor",
        "depois eu vejo isso",
        "vou verificar minha agenda e te retorno",
        "qlq coisa te chamo",
        "qualquer coisa eu te chamo!",
        "por enquanto não, obrigada",
        "ah blz, obg por enquanto 😉",
        "valeu por enquanto!",
        "preciso ver com meu chefe",
        "VOU CONVERSAR COM MINHA MAE",
        "vou olhar minha escala no trabalho e amanha te confirmo",
        "blz, vou juntar uma grana e depois falo com vc",
        "ok obg, qualquer coisa volto a chamar",
        "to dirigindo, depois te respondo",
        "preciso checar com o pessoal do trabalho",
        "tenho que organizar minhas contas primeiro",
        "amanhã eu te digo",
        "pera, deixa eu falar com meu marido antes",
        "deixa pra proxima, obrigada",
        "fica pra outra vez",
        // Round 6: the verb first, then when; a day's end.
        "to sem tempo agora, falo contigo mais tarde",
        "por hoje é só, depois eu marco",
        "marco depois, bjs",
        "vejo isso depois 😉",
        "te respondo outra hora",
        "preciso ver minha escala primeiro, aviso vc",
        "blz, falo com vcs",
        "vou ver se sobra um dinheiro no mes que vem e marco, bjs",
        "preciso ver se consigo folga primeiro",
        "Vou ver se meu marido pode ficar com as crianças 😅",
        "deixa eu ver se da pra mim",
        // Round 11: talking again later, said of both.
        "to no serviço agora e nao da pra ver isso direito, depois a gente se fala",
        "a gnt se fala mais tarde, bjo",
        "depois a gente conversa melhor",
        "nos falamos amanhã 😘",
        // Round 12: consulting one's own diary, getting back named by what is got back to.
        "Agradeço a atenção. Preciso consultar minha agenda com calma e retorno o contato.",
        "preciso consultar meu marido antes",
        "vou ter que consultar a minha agenda",
        "vou consultar minha escala 🙏",
        "obrigada! assim q puder retorno o seu contato",
        "ok, respondo sua mensagem mais tarde",
        "tenho q ver as contas e retorno contato",
        // Round 17: a promise joined by "e" to what is seen to first; a tourist's goodbye.
        "hmm deixa eu ver qnto tenho de limite no cartao e te aviso",
        "deixa eu ver o limite do cartão e ja te falo",
        "vou ver se consigo trocar meu plantao e te falo",
        "Ok thanks! I'll check with my wife and get back to you 🙂",
        "ok thanks, ill check with my husband",
        "I will think about it and let you know",
        "ok thanks, let me talk to my wife first, I'll text you later",
        "ele disse q vai conversar com meu pai antes, amanhã a gente confirma",
        "amanha a gnt te avisa",
        // Formal, or left open.
        "Boa noite, por ora vou deixar em aberto, mais adiante eu confirmo com você.",
        "Agradeço. Posteriormente retorno o contato.",
        "vou deixar em aberto por enquanto",
        // Waiting, declining for now, or taking leave without a yes.
        "Olá Sofia, agradeço muito, mas no momento vou aguardar. Até logo!",
        "Boa tarde, neste momento prefiro aguardar um pouco. Obrigada",
        "Bom dia, vou aguardar o pagamento do meu salário para decidir.",
        "Boa noite! No momento não, mas futuramente entrarei em contato.",
        "Obrigada! Até mais.",
        "tchau, até breve",
        "Bom dia! Agradeço imensamente pelas informações. Irei avaliar minha agenda e em breve darei retorno.",
        "Olá, boa tarde. Prefiro não confirmar agora; quando tiver certeza, volto a escrever. Obrigada!",
        "Oi Sofia! Obrigada, mas vou segurar por enquanto. Beijos!",
    ];
    for text in later {
        assert!(leaves_for_later(text), "{text:?}");
    }
    let not_later = [
        "quero marcar mais tarde",
        "pode ser à tarde",
        "sim",
        "quanto custa?",
        "oi",
        "preciso ver um horário pra botox",
        "preciso consultar com a dermatologista",
        "preciso consultar uma dermato",
        "tenho retorno marcado, qual o contato da clinica?",
        "amanhã tenho retorno com a dra",
        "pode ser depois das 14h",
        "vou querer o primeiro",
        "marco semana que vem entao",
        "quero marcar pra depois do almoço",
        "confirmo sim",
        "eu marco pra sexta entao",
        "preciso ver se tem vaga sexta",
        "vou ver se vcs tem horario amanha",
        "do you have botox tomorrow?",
        "mais adiante tem vaga?",
        "sim, tchau!",
        "pode marcar, até quinta!",
        "ok, até mais",
        "pode confirmar, beijos",
        "vou avaliar com a dra se posso fazer botox?",
    ];
    for text in not_later {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn leaving_for_later_is_a_lead_in_no_hurry_not_a_returning_patient() {
    let facts = lead_signals("mais tarde eu retorno");
    assert_eq!(facts.urgency, Some(crate::qualification::Urgency::Later));
    assert_eq!(facts.visit, None);
}

#[test]
fn the_earliest_slot_itself_is_asked_for() {
    let earliest = [
        "o primeiro horário livre",
        "o primeiro horario livre",
        "primeiro horário disponível",
        "a próxima vaga",
        "o primeiro que tiver 🙏",
        "pode ser o horario mais proximo",
        "PRIMEIRA VAGA LIVRE",
        // By its shape: an ordinal before what a slot is called, or "mais próximo" after it.
        "qual a primeira data disponivel?",
        "me ve o proximo dia livre pfv",
        "a data mais proxima q vc tiver",
        "o dia mais próximo",
        "primeira hora vaga q tiver 🙏",
        // The ordinal as a numeral, its indicator folded away.
        "me arruma o 1º horário livre, qualquer dia",
        "a 1ª vaga que tiver",
    ];
    for text in earliest {
        assert!(wants_earliest(text), "{text:?}");
    }
    for text in [
        "qualquer dia",
        "sexta",
        "o primeiro",
        "semana que vem",
        "pode ser no proximo dia 12?",
        "o primeiro dia do mes",
        "é minha primeira consulta",
        "proxima sexta",
        "tem horario mais cedo?",
        "quero 1 horario pra mim e outro pra minha filha",
        "dia 1º de fevereiro tem?",
    ] {
        assert!(!wants_earliest(text), "{text:?}");
    }
}

#[test]
fn the_day_s_last_slot_is_asked_for() {
    let latest = [
        "Qual o último horário do dia?",
        "qual o ultimo horario do dia",
        "qual o ultimo orario q vcs tem?",
        "a última vaga de quinta",
        "ultimo horario livre amanha",
        "último horário disponível 🙏",
        "o mais tarde possível",
        "O MAIS TARDE POSSIVEL",
        "qual o horário mais tarde que tem sexta?",
        "pode ser o último do dia",
        "tem algo no fim do dia?",
    ];
    for text in latest {
        assert!(wants_latest(text), "{text:?}");
    }
    let not_latest = [
        "o último",
        "pode ser o ultimo",
        "o último horário",
        "a última opção",
        "o último que você mostrou",
        "mais tarde eu retorno",
        "tem algum mais tarde?",
        "a última vez que fiz botox",
        "o primeiro horário do dia",
        "",
    ];
    for text in not_latest {
        assert!(!wants_latest(text), "{text:?}");
    }
}

#[test]
fn a_shift_from_the_time_talked_about_is_read() {
    for text in [
        "tem algum mais tarde?",
        "posso mudar pra mais tarde? vou sair tarde do trabalho",
        "MAIS PRO FIM DO DIA",
    ] {
        assert_eq!(asks_to_shift(text), Some(Shift::Later), "{text:?}");
    }
    for text in ["tem mais cedo?", "da pra ser mais cedinho? mais cedo"] {
        assert_eq!(asks_to_shift(text), Some(Shift::Earlier), "{text:?}");
    }
    for text in ["à tarde", "pode ser às 15h", "sim", ""] {
        assert_eq!(asks_to_shift(text), None, "{text:?}");
    }
}

#[test]
fn a_goodbye_for_now_in_spanish_is_read() {
    let later = [
        "ok gracias, lo pienso y te escribo mañana",
        "gracias! lo pienso y te escribo manana",
        "Ok, lo voy a pensar 🙂",
        "dejame pensar y te aviso",
        "lo consulto con mi esposo y te escribo luego",
        "gracias, hablamos después",
        "perfecto, nos hablamos mañana",
        "te escribo luego!",
    ];
    for text in later {
        assert!(leaves_for_later(text), "{text:?}");
    }
    let not_later = [
        "hola, te escribo para saber si tienen turno el lunes",
        "te escribo por el relleno de labios, cuanto cuesta?",
        "oi, te escrevo pra saber o preço do botox",
        "quiero relleno de labios el lunes",
        "mañana a las 3?",
    ];
    for text in not_later {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn being_called_away_leaves_for_later() {
    let later = [
        "minha chefe ta me chamando aqui, dps termino de ver isso",
        "meu chefe tá me chamando, depois continuo",
        "to entrando numa reuniao agora, mais tarde eu resolvo",
        "ih me chamaram aqui no trabalho 😅",
        "preciso ir agora, dps vejo isso",
        "tenho que desligar, beijo",
        "meu onibus chegou kkk",
        "chegou minha vez no medico, depois termino",
        "amanha eu decido",
        "resolvo isso depois",
        "termino de ver mais tarde 🙏",
        // Round 22: what was under way left for both to finish later.
        "eita minha aula ja vai começar, dps a gnt continua 🏃‍♀️",
        "depois a gente continua",
        "mais tarde a gente resolve isso, bjs",
        "amanha a gnt ve isso",
        "a gente continua depois ok?",
        "continuamos mais tarde 😘",
        "depois continuamos, to no trampo",
    ];
    for text in later {
        assert!(leaves_for_later(text), "{text:?}");
    }
    let not_later = [
        "preciso ir de jejum?",
        "tenho que ir quinta às 15h, pode ser?",
        "a dra ta me chamando de qual nome?",
        "depois do botox continuo com meu creme?",
        "posso continuar usando acido depois?",
        "o tratamento termina quando?",
        "depois a gente volta pra casa de uber?",
        "a gente continua usando o creme depois do peeling?",
        "o efeito continua depois de um mes?",
    ];
    for text in not_later {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn something_put_off_to_an_unnamed_later() {
    for text in [
        "blz, falamos outra hora entao",
        "dps eu vejo isso com calma",
        "DEIXA PRA OUTRO DIA 😅",
        "mais pra frente eu penso nisso",
        "talk later!",
        "hablamos luego",
    ] {
        assert!(puts_off(text), "{text:?}");
    }
    // A day named is when, not a later put off.
    for text in ["amanha", "semana que vem eu vejo", "quero marcar botox", "ok"] {
        assert!(!puts_off(text), "{text:?}");
    }
}

#[test]
fn putting_it_off_with_a_verb_of_both_or_of_leaving_it_is_a_goodbye() {
    for text in [
        "blz, falamos outra hora entao",
        "hj nao da pra pensar nisso kkk deixa pra outro momento 😅",
        "conversamos depois, ok?",
        "fica pra outro dia, obg",
        "penso nisso mais pra frente",
    ] {
        assert!(leaves_for_later(text), "{text:?}");
    }
    // Another slot, not another time: asked of the slots shown.
    for text in ["tem outra hora?", "outro dia tem?"] {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn older_and_regional_ways_of_getting_back_leave_for_later() {
    for text in [
        "Deixa eu ajeitar as coisas aqui que mais tarde eu lhe dou notícia, visse?",
        "amanhã lhe aviso",
        "depois lhe falo, minha filha",
        "Antes de confirmar, preciso conversar com meu filho. Assim que ele me disser, retorno.",
        "preciso conversar com minha esposa primeiro",
    ] {
        assert!(leaves_for_later(text), "{text:?}");
    }
    // Asked before confirming, the patient stays.
    for text in [
        "amanhã lhe pergunto o valor, pode ser?",
        "preciso remarcar meu botox",
        "antes de confirmar, qual o endereço?",
    ] {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn a_decision_waiting_on_an_event_or_a_named_later_is_a_goodbye() {
    for text in [
        "dia 10 quando cair o salario eu marco",
        "assim que sair minha escala do mês que vem te aviso 😉",
        "qdo meu marido chegar de viagem a gente ve isso",
        "logo que eu receber o pagamento falo contigo",
        "amanhã de manhã te falo, tá?",
        "hoje à noite eu vejo com calma e te dou um toque",
        "opa! dps finalizo isso",
    ] {
        assert!(leaves_for_later(text), "{text:?}");
    }
    for text in [
        "quando eu marco, pago na hora?",
        "quando eu volto pra retirar os pontos?",
        "quando chega o resultado do exame?",
        "amanhã de manhã tem horário?",
        "fecho o pacote de 5 sessões então",
    ] {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn a_check_with_someone_read_through_an_adverb_or_a_bare_promise_after_a_condition() {
    for text in [
        "Agradeço muito. Tenho ainda que combinar com meu genro, ele é que me traz. Quando acertar com ele, aviso.",
        "Obrigada, querida. Preciso primeiro ver com meu esposo; assim que ele disser, confirmo.",
        "vou antes falar com minha irmã",
        "tenho que ver com meu marido",
        "quando sair meu pagamento retorno",
    ] {
        assert!(leaves_for_later(text), "{text:?}");
    }
    for text in ["preciso primeiro marcar a avaliação?", "quando eu volto, confirmo?", "quando abre?"] {
        assert!(!leaves_for_later(text), "{text:?}");
    }
}

#[test]
fn the_day_s_last_slot_is_asked_for_with_a_diminutive() {
    for text in [
        "botox na quarta, qual o horário mais tardinho?",
        "o mais tardinho possível",
        "tem algo no finalzinho do dia?",
    ] {
        assert!(wants_latest(text), "{text:?}");
    }
    assert!(!wants_latest("prefiro de tardinha"));
}
