//! The readers the rules brain leans on mid-dialogue: names, other options, any day, and the
//! qualification facts a patient states in words.

use super::*;
use crate::qualification::{BudgetSignal, LeadFacts, LeadSource, Urgency, Visit};

#[test]
fn names_are_read_after_the_words_that_introduce_them() {
    let cases = [
        ("meu nome é Ana Souza", Some("Ana Souza")),
        ("Meu nome é maria da silva", Some("Maria da Silva")),
        ("me chamo joão e queria marcar botox", Some("João")),
        ("oi, me chamo Carla!", Some("Carla")),
        ("pode me chamar de Bia", Some("Bia")),
        ("aqui é a Fernanda, tudo bem?", Some("Fernanda")),
        ("meu nome e Pedro Henrique Alves Costa Lima", Some("Pedro Henrique Alves Costa")),
        ("meu nome é", None),
        ("meu nome é 123", None),
        ("quero marcar botox", None),
        ("sou a paciente das 15h", None),
        // A voice note runs on: the greeting after the name is not a surname.
        ("aqui é a Maria bom dia tudo bem", Some("Maria")),
        ("oi aqui e o joao carlos boa tarde", Some("Joao Carlos")),
        ("me chamo Rita obrigada viu", Some("Rita")),
        ("meu nome é Lúcia td bem com vc?", Some("Lúcia")),
        ("aqui quem fala é a Neide beijos", Some("Neide")),
    ];
    for (text, expected) in cases {
        assert_eq!(detect_name(text).as_deref(), expected, "{text:?}");
    }
}

#[test]
fn asking_for_other_slots_is_told_from_picking_one() {
    for text in
        ["tem outro horário?", "nenhum desses", "Mais opções por favor", "tem outros?", "quais horarios tem"]
    {
        assert!(asks_for_more_options(text), "{text:?}");
    }
    for text in ["o primeiro", "pode ser o das 15h", "sim", "outra coisa: onde fica?"] {
        assert!(!asks_for_more_options(text), "{text:?}");
    }
}

#[test]
fn leaving_the_day_open_is_recognised() {
    for text in [
        "qualquer dia",
        "tanto faz",
        "o quanto antes",
        "o mais próximo que tiver",
        "qq dia serve",
        "para quando tem vaga de limpeza?",
        "qdo tem horário pro botox??",
        "Quando vcs tem vaga?",
        "qual a próxima data livre",
        // Whatever comes free first.
        "assim que tiver vaga",
        "o que vagar antes",
        "pode ser o q aparecer primeiro",
        "nao tenho preferencia, o mais rapido que der",
        "assim q der 🙏",
        "o primeiro q der pra vcs",
    ] {
        assert!(leaves_day_open(text), "{text:?}");
    }
    for text in ["amanhã", "sexta à tarde", "não sei ainda", "qualquer coisa te aviso", "quando vcs abrem?"]
    {
        assert!(!leaves_day_open(text), "{text:?}");
    }
    // Round 21: asking for the earliest slot opens no day by itself; said besides, the day is.
    for text in [
        "hmm pensando bem me ve o primeiro horario livre, qualquer dia serve",
        "o primeiro horário disponível, qq dia",
        "qualquer data, a primeira vaga 🙏",
        "PRIMEIRO HORARIO LIVRE QUALQUER DIA",
    ] {
        assert!(leaves_day_open(text), "{text:?}");
    }
    for text in
        ["o primeiro horário livre", "a próxima vaga", "o horario mais proximo", "primeiro disponivel"]
    {
        assert!(!leaves_day_open(text), "{text:?}");
    }
}

#[test]
fn a_day_named_beside_as_soon_as_possible_is_the_occasion_not_the_wish() {
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let monday = day(2);
    for (text, occasion) in [
        ("preciso de uma limpeza o mais cedo possivel\ntenho festa sabado 🎉", day(7)),
        ("quero botox o quanto antes, meu casamento é dia 14", day(14)),
        ("limpeza de pele urgente pfv, viajo sexta", day(6)),
        ("o mais rapido possível!! sábado é o aniversário da minha mãe", day(7)),
        ("assim q der, tenho formatura na quinta", day(5)),
        ("o mais breve possivel. Festa de 15 anos da minha filha sab", day(7)),
        ("ASAP, viajo qui ✈️", day(5)),
        ("o qnto antes, embarco dia 10", day(10)),
        ("o quanto antes pfv, viajo dia 14 e queria fazer limpeza antes", day(14)),
    ] {
        assert_eq!(occasion_day(text, monday), Some(occasion), "{text:?}");
    }
    for text in [
        "o quanto antes na sexta",
        "o mais cedo possível, pode ser sábado?",
        "o mais cedo possivel, sabado de preferencia",
        "tenho festa sabado",
        "o quanto antes",
        "quero marcar sexta, o mais cedo possível",
    ] {
        assert_eq!(occasion_day(text, monday), None, "{text:?}");
    }
}

#[test]
fn keeping_the_appointments_time_is_read() {
    for text in [
        "consigo passar meu botox pra segunda no mesmo horario?",
        "pode ser sexta, msm horário",
        "Mesma hora na quinta 🙏",
        "quinta no mesmo horário de sempre",
    ] {
        assert!(keeps_the_time(text), "{text:?}");
    }
    for text in ["mesmo assim quero remarcar", "o horário é o mesmo?", "pra segunda às 15h"] {
        assert!(!keeps_the_time(text), "{text:?}");
    }
}

#[test]
fn keeping_the_appointments_day_is_read() {
    for text in [
        "tem como trocar pro fim da tarde desse mesmo dia?",
        "da pra passar pra mais tarde no mesmo dia",
        "mesma data, só que de manhã",
    ] {
        assert!(keeps_the_day(text), "{text:?}");
    }
    for text in ["pra segunda no mesmo horário", "tem dia 14?"] {
        assert!(!keeps_the_day(text), "{text:?}");
    }
}

#[test]
fn qualification_facts_are_read_from_what_patients_say() {
    let none = LeadFacts::default();
    let cases = [
        ("quanto custa o botox?", LeadFacts { budget: Some(BudgetSignal::AskedPrice), ..none.clone() }),
        ("vcs parcelam?", LeadFacts { budget: Some(BudgetSignal::AskedInstallments), ..none.clone() }),
        ("achei caro", LeadFacts { budget: Some(BudgetSignal::TooExpensive), ..none.clone() }),
        (
            "quanto custa? tá muito caro em outro lugar",
            LeadFacts { budget: Some(BudgetSignal::TooExpensive), ..none.clone() },
        ),
        ("o valor está bom", LeadFacts { budget: Some(BudgetSignal::AcceptsPrice), ..none.clone() }),
        ("é urgente", LeadFacts { urgency: Some(Urgency::ThisWeek), ..none.clone() }),
        ("queria fazer esse mês", LeadFacts { urgency: Some(Urgency::ThisMonth), ..none.clone() }),
        ("sem pressa, mês que vem", LeadFacts { urgency: Some(Urgency::Later), ..none.clone() }),
        ("só pesquisando por enquanto", LeadFacts { urgency: Some(Urgency::Browsing), ..none.clone() }),
        ("é minha primeira vez", LeadFacts { visit: Some(Visit::First), ..none.clone() }),
        ("já sou paciente de vcs", LeadFacts { visit: Some(Visit::Returning), ..none.clone() }),
        ("vi vocês no insta", LeadFacts { source: Some(LeadSource::Instagram), ..none.clone() }),
        ("uma amiga me indicou", LeadFacts { source: Some(LeadSource::Referral), ..none.clone() }),
        ("achei no google", LeadFacts { source: Some(LeadSource::Google), ..none.clone() }),
        ("vi um anúncio", LeadFacts { source: Some(LeadSource::Ads), ..none.clone() }),
        ("desisti, obrigada", LeadFacts { declined: Some(true), ..none.clone() }),
        ("oi, tudo bem?", none.clone()),
        ("quero marcar botox amanhã", none.clone()),
    ];
    for (text, expected) in cases {
        assert_eq!(lead_signals(text), expected, "{text:?}");
    }
}

#[test]
fn reasons_are_read_after_the_words_that_give_them() {
    let cases = [
        ("quero cancelar pq vou viajar", Some("vou viajar")),
        (
            "Preciso desmarcar porque surgiu um imprevisto no trabalho.",
            Some("surgiu um imprevisto no trabalho"),
        ),
        ("vou cancelar por causa da chuva", Some("da chuva")),
        ("cancelar, motivo: doença na família", Some("doença na família")),
        ("quero cancelar", None),
        ("porque sim", None),
        ("preciso desmarcar a de quinta\nmeu filho ficou doente", Some("meu filho ficou doente")),
        ("preciso desmarcar a de quinta, meu filho ficou doente", Some("meu filho ficou doente")),
        // A reason in one word of its own, in a burst of one word per message.
        ("sofia\ndesmarca\nsábado\nviagem", Some("viagem")),
        // A voice note that greets and goes straight on to why.
        (
            "oi sofia bom dia é a cida minha filha entrou em trabalho de parto essa madrugada então aquela limpeza de sexta eu não vou conseguir ir pode cancelar",
            Some("oi sofia bom dia é a cida minha filha entrou em trabalho de parto essa madrugada"),
        ),
        ("meu filho ficou doente\nvou ter q cancelar amanha", Some("meu filho ficou doente")),
        ("nao vou poder ir, surgiu um imprevisto 😞", Some("surgiu um imprevisto")),
        ("quero cancelar o de quinta, o das 15h", None),
        ("oi, bom dia\nquero cancelar", None),
        ("quero cancelar, pode ser?", None),
        ("cancela pra mim, obrigada", None),
        ("meu filho ficou doente", None),
        (
            "vou ter q cancelar a limpeza de quinta\nmarquei dentista no mesmo horario 🤦‍♀️",
            Some("marquei dentista no mesmo horario"),
        ),
        ("minha consulta de amanha\npreciso desmarcar", None),
        ("preciso cancelar, meu horario de quinta", None),
        // Round 5: the request in other words, the reason in another message.
        (
            "oi\nnao vai dar pra ir na sexta\nsurgiu uma viagem de trabalho",
            Some("surgiu uma viagem de trabalho"),
        ),
        ("nao consigo ir amanha\nto com febre", Some("to com febre")),
        ("tem como trocar minha avaliação pra quinta?\nsurgiu um compromisso", Some("surgiu um compromisso")),
        // Round 6: a run-on sentence, as a voice note says it, joined by "então", "só que", "mas".
        (
            "eu tinha marcado na quinta né só que meu marido vai operar nesse dia então cancela pra mim",
            Some("meu marido vai operar nesse dia"),
        ),
        ("meu filho ficou doente entao vou ter q desmarcar", Some("meu filho ficou doente")),
        ("vou viajar a trabalho por isso preciso cancelar 😕", Some("vou viajar a trabalho")),
        ("Queria remarcar MAS SO QUE TIVE UM IMPREVISTO", Some("TIVE UM IMPREVISTO")),
        ("entao cancela a de quinta", None),
        // A statement joined by "e" to the request, and a reason after a question.
        ("oi! surgiu um imprevisto aqui e nao vou conseguir ir terca", Some("surgiu um imprevisto aqui")),
        ("to doente e vou ter q desmarcar 🤒", Some("to doente")),
        ("desmarca a limpeza de terça? to com covid", Some("to com covid")),
        ("cancela a limpeza e o botox", None),
        ("quero cancelar e remarcar pra sexta", None),
        ("pode desmarcar? e qual a multa?", None),
        ("cancela a limpeza q eu marquei\nnao tenho mais como pagar", Some("nao tenho mais como pagar")),
        ("quero cancelar\nnão, obrigada", None),
        ("quero cancelar mas pode ser?", None),
        // Round 8: a voice note names the appointment and goes straight on to why.
        (
            "é sobre a minha avaliação de amanhã cedo a escola do meu filho marcou reunião e eu não tenho como faltar então vou ter que cancelar",
            Some("a escola do meu filho marcou reunião e eu não tenho como faltar"),
        ),
        (
            "oi bom dia sobre meu horario de quinta as 15h meu chefe marcou uma viagem entao preciso desmarcar",
            Some("meu chefe marcou uma viagem"),
        ),
        ("minha limpeza de sexta vou ter q cancelar", None),
        ("quero cancelar, a limpeza de quinta", None),
        ("quero cancelar, o de quinta", None),
        (
            "preciso desmarcar, a babá faltou hoje e não tenho com quem deixar as crianças",
            Some("a babá faltou hoje e não tenho com quem deixar as crianças"),
        ),
        // Round 11: an emoji between the reason and the request cuts them as a comma would.
        (
            "minha filha acordou com febre 🤒 nao vou conseguir ir no botox de hoje",
            Some("minha filha acordou com febre"),
        ),
        ("meu filho ta com virose 😷 nao vou poder ir na limpeza amanha", Some("meu filho ta com virose")),
        (
            "Ela pediu pra avisar que não vai conseguir ir no botox de amanhã, ela torceu o pé ontem",
            Some("ela torceu o pé ontem"),
        ),
        ("to gripada 🤧🤧 preciso desmarcar a de quinta", Some("to gripada")),
        ("cancela a de sexta 🙏", None),
        // Round 10: the appointment named by its service's whole name, then why, in a voice note.
        (
            "é sobre a minha limpeza de pele de amanhã de manhã a minha sogra foi internada agora à tarde e eu vou ter que ficar com ela no hospital então não vou conseguir ir",
            Some("a minha sogra foi internada agora à tarde e eu vou ter que ficar com ela no hospital"),
        ),
        (
            "sobre meu peeling quimico de sexta meu carro quebrou e nao tenho como ir entao preciso desmarcar",
            Some("meu carro quebrou e nao tenho como ir"),
        ),
        // The slang "aí" of "then" before the request, and an appointment named by its article
        // and the clause that says it was booked.
        (
            "oi e o seguinte a limpeza que eu marquei pra sexta minha chefe me escalou pra cobrir uma colega ai vou ter q desmarcar",
            Some("minha chefe me escalou pra cobrir uma colega"),
        ),
        (
            "meu voo foi remarcado pro mesmo dia ai preciso cancelar o botox",
            Some("meu voo foi remarcado pro mesmo dia"),
        ),
        ("e ai, preciso cancelar a de quinta", None),
        ("to indo ai amanha quero remarcar pra sexta", None),
        // The bare "que" of speech after a not going is "porque"; the reason ends where the
        // request is joined on.
        (
            "oi nao vou conseguir ir amanha que minha mae caiu e ta no hospital entao pode cancelar",
            Some("minha mae caiu e ta no hospital"),
        ),
        ("quero cancelar porque vou viajar entao nem adianta remarcar", Some("vou viajar")),
        ("nao vou poder ir que dia posso remarcar?", None),
        ("acho que nao vai dar pra ir, cancela", None),
    ];
    for (text, expected) in cases {
        assert_eq!(stated_reason(text).as_deref(), expected, "{text:?}");
    }
}
