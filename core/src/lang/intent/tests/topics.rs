use super::*;

fn assert_best(cases: &[(&str, Intent)]) {
    for (text, expected) in cases {
        assert_eq!(detect_intent(text), Some(*expected), "{text:?} ranked {:?}", detect_intents(text));
    }
}

#[test]
fn booking_requests() {
    use Intent::Book;
    assert_best(&[
        ("quero marcar um botox", Book),
        ("Gostaria de agendar uma avaliação", Book),
        ("quero fazer limpeza de pele", Book),
        ("tem horário amanhã?", Book),
        ("tem orario sexta?", Book),
        ("tem vaga sábado de manhã?", Book),
        ("qual a disponibilidade da Dra. Ana?", Book),
        ("vcs tem horario hj?", Book),
        ("marca pra mim uma limpeza", Book),
    ]);
}

#[test]
fn changes_to_an_existing_appointment() {
    use Intent::{Cancel, ConfirmAttendance, ListAppointments, Reschedule};
    assert_best(&[
        ("quero remarcar", Reschedule),
        ("confirmo", ConfirmAttendance),
        ("quero confirmar meu horário de amanhã", ConfirmAttendance),
        ("preciso reagendar minha consulta", Reschedule),
        ("dá pra mudar o horário?", Reschedule),
        ("posso trocar o dia?", Reschedule),
        ("quero adiar a consulta", Reschedule),
        ("quero cancelar minha consulta", Cancel),
        ("cancela", Cancel),
        ("preciso desmarcar", Cancel),
        ("não vou poder ir amanhã", Cancel),
        ("a vó pediu pra avisar que nao vai conseguir ir no botox de amanha", Cancel),
        ("confirmar presença", ConfirmAttendance),
        ("confirmo minha consulta", ConfirmAttendance),
        ("vou sim!", ConfirmAttendance),
        ("meus horários", ListAppointments),
        ("quando é minha consulta?", ListAppointments),
        ("tenho consulta marcada?", ListAppointments),
        ("qnd é minha consulta", ListAppointments),
        // Round 5: other verbs of moving, and not making it on a day.
        ("tem como trocar minha avaliação pra quinta de manha?", Reschedule),
        ("da pra mudar pro sabado?", Reschedule),
        ("consigo antecipar meu botox?", Reschedule),
        ("da pra passar minha limpeza de quinta pra sexta a tarde?", Reschedule),
        ("nao vou conseguir sexta", Cancel),
        ("da pra passar o botox de quarta pra sexta de manha?", Reschedule),
        ("joga minha limpeza pro dia 12", Reschedule),
        // Typos of the action verbs.
        ("preciso desmacar meu botox", Cancel),
        ("quero cancelr", Cancel),
        ("tenho q remarcra a consulta", Reschedule),
        ("quais são os meus agendamentos?", ListAppointments),
        ("nao consigo ir hj", Cancel),
        // The day, then not making it: the appointment named by its day.
        ("amanha nao consigo, tive um imprevisto", Cancel),
        ("sexta não vou poder 😔", Cancel),
        ("hj nao vai dar", Cancel),
    ]);
}

#[test]
fn the_later_of_cancelling_and_moving_is_what_a_burst_asks() {
    let cases = [
        (
            "quero cancelar minha limpeza de sexta\npensando melhor, da pra so mudar pro sabado de manha?",
            Some(Intent::Reschedule),
        ),
        ("quero remarcar o botox\nah quer saber, cancela", Some(Intent::Cancel)),
        ("preciso remarcar, nao vou poder ir na quinta", Some(Intent::Reschedule)),
        ("preciso desmarcar, to sem grana", Some(Intent::Cancel)),
        ("Cancelaaa", Some(Intent::Cancel)),
        // A cancel turned down, then a move by its shape.
        ("pensando bem, nao cancela nao. passa pra quarta no mesmo horario?", Some(Intent::Reschedule)),
        ("não desmarca não!! joga pra sexta", Some(Intent::Reschedule)),
        ("ah n cancela n, muda pro dia 12 😅", Some(Intent::Reschedule)),
        // "não, cancela": the comma cuts, the cancel stands.
        ("nao, cancela mesmo", Some(Intent::Cancel)),
        ("quero passar pra sexta\nnão, cancela", Some(Intent::Cancel)),
        ("quanto custa o botox?", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(latest_change(text), expected, "{text:?}");
    }
}

#[test]
fn the_patient_s_own_money_is_no_question_about_paying() {
    for text in [
        "vou ver se sobra um dinheiro no mes que vem",
        "to sem dinheiro agora, depois eu vejo",
        "preciso juntar dinheiro",
        // Round 17: the patient's own card limit.
        "hmm deixa eu ver qnto tenho de limite no cartao e te aviso",
        "vou ver o limite do meu cartão",
    ] {
        assert!(
            !detect_intents(text).contains(&Intent::Payment),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
}

#[test]
fn how_much_the_patient_has_is_no_price_question() {
    for text in ["deixa eu ver qnto tenho de limite", "vou ver quanto eu tenho", "preciso ver qto sobra"] {
        assert!(!detect_intents(text).contains(&Intent::Price), "{text:?} ranked {:?}", detect_intents(text));
    }
    assert!(detect_intents("quanto custa o botox?").contains(&Intent::Price));
    assert!(detect_intents("qnto tem que pagar na avaliação?").contains(&Intent::Price));
}

#[test]
fn changing_one_s_own_shift_is_no_move_of_an_appointment() {
    for text in [
        "sou enfermeira, vou ver se consigo trocar meu plantao e te falo",
        "vou ver se consigo trocar meu plantão",
    ] {
        let intents = detect_intents(text);
        assert!(!intents.contains(&Intent::Reschedule), "{text:?} ranked {intents:?}");
        assert_eq!(latest_change(text), None, "{text:?}");
    }
    assert_eq!(latest_change("quero trocar meu horario de quinta"), Some(Intent::Reschedule));
    assert_eq!(latest_change("preciso trocar minha consulta"), Some(Intent::Reschedule));
}

#[test]
fn a_change_turned_down_in_so_many_words() {
    for (text, refused) in [
        ("pensando bem nao cancela nao, vou dar um jeito", Some(Intent::Cancel)),
        ("NÃO DESMARCA!!", Some(Intent::Cancel)),
        ("ah n remarca n, deixa como ta", Some(Intent::Reschedule)),
        ("não, cancela sim", None),
        ("nao cancela, desmarca so a de sexta", None),
        ("quero cancelar", None),
        ("não vou poder ir", None),
    ] {
        assert_eq!(refused_change(text), refused, "{text:?}");
    }
}

#[test]
fn paying_and_changing_words_that_are_not_moves() {
    // "não vou conseguir pagar" leans to cancelling but paying wins; the address is not moved.
    assert_best(&[
        ("nao vou conseguir pagar a vista, parcela?", Intent::Payment),
        ("pode me passar o endereço?", Intent::Location),
        ("me passa o valor do botox pra sexta?", Intent::Price),
    ]);
}

#[test]
fn an_action_the_patient_declines_is_not_asked_for() {
    for (text, declined) in [
        ("nao quero marcar, quero saber se dura muito", Intent::Book),
        ("não vou cancelar nada, só queria confirmar o horário", Intent::Cancel),
        ("nao precisa remarcar", Intent::Reschedule),
        ("pensando bem nao cancela nao", Intent::Cancel),
        ("nao desmarca, por favor", Intent::Cancel),
        ("NÃO CANCELAAA", Intent::Cancel),
    ] {
        assert!(!detect_intents(text).contains(&declined), "{text:?} ranked {:?}", detect_intents(text));
    }
    assert_eq!(detect_intent("nao quero cancelar, quero remarcar"), Some(Intent::Reschedule));
    assert_eq!(detect_intent("quero marcar, não quero esperar"), Some(Intent::Book));
}

#[test]
fn questions_about_the_clinic() {
    use Intent::{Location, OpeningHours, PackageBalance, Parking, Payment, Price};
    assert_best(&[
        ("quanto custa o botox?", Price),
        ("achei vcs no google, queria aquele pacote da promoção", Price),
        ("quantas sessões faltam no meu pacote?", PackageBalance),
        ("qto custa", Price),
        ("quais procedimentos vocês fazem?", Price),
        ("qual o valor da limpeza?", Price),
        ("preço do peeling", Price),
        ("quanto é a harmonização?", Price),
        ("quanto custa o pacote de limpeza?", Price),
        ("quantas sessões ainda tenho?", PackageBalance),
        ("qual o saldo do meu pacote?", PackageBalance),
        // A package on offer, not the one bought.
        ("kkkk caro hein, mas vale a pena. tem pacote de limpeza?", Price),
        ("vcs tem algum pacote pra microagulhamento?", Price),
        ("TEM PACOTES?", Price),
        ("ainda tem sessão no meu pacote?", PackageBalance),
        // An amount checked against a package as the clinic sells it.
        ("o pacote de 4 limpezas ainda ta 600?", Price),
        ("ainda é R$ 1.200 o pacote de microagulhamento?", Price),
        ("pacote com 3 sessões de peeling sai por 750 reais mesmo?", Price),
        ("meu pacote de 4 limpezas ainda tem sessão?", PackageBalance),
        ("meu pacote vence quando?", PackageBalance),
        ("aceita dinheiro?", Payment),
        ("pago em dinheiro na hora?", Payment),
        ("horário de funcionamento", OpeningHours),
        ("que horas abre?", OpeningHours),
        ("vcs abrem sábado?", OpeningHours),
        ("abre sabado?", OpeningHours),
        ("onde fica a clínica?", Location),
        ("qual o endereço?", Location),
        // A beach named for where, not for after a procedure.
        ("vcs ficam perto da praia? qual o endereço?", Location),
        ("me manda a localização", Location),
        ("quais as formas de pagamento?", Payment),
        ("parcela em 3x?", Payment),
        ("aceita pix?", Payment),
        ("vcs parcelam?", Payment),
        ("aceitam cartão?", Payment),
        ("tem estacionamento?", Parking),
        ("is there parking nearby?", Parking),
        ("onde estacionar?", Parking),
        ("tem vaga pra estacionar?", Parking),
        // Round 13: whether a service is free, or what is charged for it.
        ("a avaliacao vcs cobram ou é de graça msm?", Price),
        ("avaliação é de graça?", Price),
        ("a avaliacao e de graca ne", Price),
        ("vcs cobram pela avaliação?", Price),
        ("cobra a consulta? 🤔", Price),
    ]);
}

#[test]
fn where_the_clinic_is_asked_in_any_order() {
    for text in [
        "vcs ficam onde?",
        "onde vcs ficam?",
        "voces estao onde mesmo?",
        "onde é que fica a clinica??",
        "a clínica é onde? 📍",
        "em que bairro vcs atendem?",
        "fica onde?",
        "aonde fica",
        "onde é?",
        "oi, onde voces estao localizados?",
        "vcs estão situados onde?",
        "vcs ficam em q rua msm?",
        "qual bairro?",
    ] {
        assert!(
            detect_intents(text).contains(&Intent::Location),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
    for text in
        ["onde eu pago?", "onde estaciono o carro?", "fica inchado onde aplicou?", "quero marcar botox"]
    {
        assert!(
            !detect_intents(text).contains(&Intent::Location),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
}

#[test]
fn aftercare_minors_and_medical_questions() {
    use Intent::{Aftercare, MedicalQuestion, Minor};
    assert_best(&[
        ("quais os cuidados depois do botox?", Aftercare),
        ("cuidados pós peeling", Aftercare),
        ("posso deitar depois da aplicação?", Aftercare),
        ("posso malhar amanhã?", Aftercare),
        ("posso tomar sol depois do peeling?", Aftercare),
        ("se eu fizer o peeling quinta da pra ir pra praia no sabado?", Aftercare),
        ("fiz microagulhamento ontem, posso entrar na piscina no fds?", Aftercare),
        ("vou pro litoral esse fds, da pra fazer o peeling antes?", Aftercare),
        ("e dps do peeling tem problema descer pra praia?", Aftercare),
        ("minha filha de 15 pode fazer limpeza?", Minor),
        ("sou menor de idade, posso fazer?", Minor),
        ("tenho 16 anos e quero fazer botox", Minor),
        ("o que é essa mancha?", MedicalQuestion),
        ("estou com uma mancha no rosto", MedicalQuestion),
        ("é normal ficar roxo?", MedicalQuestion),
        ("estou com alergia", MedicalQuestion),
        ("que remédio posso tomar?", MedicalQuestion),
        ("tá doendo e inchado", MedicalQuestion),
    ]);
}

#[test]
fn a_gym_named_for_a_deal_is_no_aftercare_question() {
    // Round 18: a partner gym's coupon is a business deal, not working out after a procedure.
    for text in [
        "oi, e o cupom da parceria com a academia? ainda vale?",
        "e o cupom da parceria c a academia? ainda vale??",
        "vcs tem parceria com academia?",
        "sou aluna da academia smartfit, tem desconto? 🏋️",
        "tem desconto pra quem é da academia aqui do lado",
        "a academia onde eu treino é conveniada com vcs?",
        "ACADEMIA PARCEIRA tem cupom?",
    ] {
        let intents = detect_intents(text);
        assert!(!intents.contains(&Intent::Aftercare), "{text:?} ranked {intents:?}");
    }
    // Working out after a procedure is aftercare, even with a deal named elsewhere.
    for text in [
        "fiz toxina botulinica hj de manha, qnd posso voltar pra academia?",
        "posso ir na academia depois do botox?",
        "academia depois do peeling pode? 💪",
        "posso ir pra academia amanha? e o pacote tem desconto no pix?",
    ] {
        let intents = detect_intents(text);
        assert!(intents.contains(&Intent::Aftercare), "{text:?} ranked {intents:?}");
    }
}

#[test]
fn messages_about_nothing_in_particular_have_no_intent() {
    for text in ["oi", "sim", "obrigada!", "👍", "", "tenho 30 anos"] {
        assert_eq!(detect_intent(text), None, "{text:?} ranked {:?}", detect_intents(text));
    }
}

#[test]
fn not_making_it_on_a_day_is_about_the_appointment() {
    for text in ["nao vou conseguir na quinta de manha", "n vou poder amanha", "não vou conseguir hj 😞"] {
        assert_eq!(detect_intent(text), Some(Intent::Cancel), "{text:?}");
    }
    // Round 5: the day right after, without "na".
    for text in ["nao vou conseguir sexta", "nao posso dia 12, tenho medico", "nao consigo ir amanha"] {
        assert_eq!(detect_intent(text), Some(Intent::Cancel), "{text:?}");
    }
    // Round 6: the appointment named first, as the subject.
    for text in [
        "a limpeza nao vou conseguir\ntenho medico no mesmo horario",
        "a de amanhã não vou poder ir 😕",
        "aquela do dia 24 eu não vou poder",
        "essa de quinta eu nao consigo",
        "minha consulta de quinta nao consigo mais",
        "o BOTOX NAO VOU CONSEGUIR, foi mal",
        "a minha limpeza de terça nao vai rolar",
        "a limpeza da semana que vem eu nao consigo",
        "a limpeza de amanha precisa ser cancelada",
        "minha consulta vai ter que ser desmarcada 😞",
        "nao vai dar amanha 😕",
    ] {
        assert_eq!(detect_intent(text), Some(Intent::Cancel), "{text:?}");
    }
    for text in [
        "nao vou conseguir pagar tudo de uma vez",
        "não vou poder ficar muito tempo",
        "nao posso tomar sol depois do peeling?",
        "minha pele eu nao consigo",
        "a parcela de 500 não vai dar",
        "quero marcar limpeza, antes disso nao posso",
    ] {
        assert!(!detect_intents(text).contains(&Intent::Cancel), "{text:?}");
    }
}

#[test]
fn an_opt_out_is_not_a_cancellation() {
    assert!(!detect_intents("cancelar mensagens").contains(&Intent::Cancel));
}

#[test]
fn a_message_touching_several_topics_ranks_them() {
    let ranked = detect_intents("quero marcar um botox, quanto custa? aceita pix?");
    assert_eq!(ranked.len(), 3);
    assert!(ranked.contains(&Intent::Book) && ranked.contains(&Intent::Price));
    assert!(ranked.contains(&Intent::Payment));
}

#[test]
fn phrasings_from_the_starter_evals() {
    use Intent::{Aftercare, ListAppointments, MedicalQuestion, Price, Reschedule};
    assert_best(&[
        ("Não vou conseguir ir no botox de hoje, dá pra passar pra sexta de manhã?", Reschedule),
        ("quero mudar o botox de sexta para segunda que vem de manhã", Reschedule),
        ("tenho algum horário marcado?", ListAppointments),
        ("a avaliação é paga?", Price),
        ("essa pinta no meu braço mudou de cor, é câncer?", MedicalQuestion),
    ]);
    assert!(detect_intents("quanto custa o botox? e tem algum cuidado depois?").contains(&Aftercare));
}

#[test]
fn how_long_is_not_how_much() {
    for text in [
        "quanto tempo dura o efeito do botox?",
        "qnto tempo dura?",
        "quantos dias sem sol depois do peeling?",
        "quero um botox o quanto antes",
        "qto antes melhor",
    ] {
        assert!(!detect_intents(text).contains(&Intent::Price), "{text:?} ranked {:?}", detect_intents(text));
    }
    assert_eq!(detect_intent("quanto custa o botox e quanto tempo dura?"), Some(Intent::Price));
}

#[test]
fn how_long_a_session_takes() {
    for text in [
        "quanto tempo demora a aplicação?",
        "demora qnto tempo a aplicacao?",
        "a limpeza leva quanto tempo?",
        "qto tempo leva o procedimento",
        "QUANTO TEMPO DURA A SESSAO??",
        "o microagulhamento é demorado?",
        "demora mto? 😅",
        "qual o tempo de duração da avaliação?",
    ] {
        assert!(
            detect_intents(text).contains(&Intent::Duration),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
    // The effect, the result, a package or a wait take long too, and the session's length
    // answers none of them.
    for text in [
        "quanto tempo dura o efeito do botox?",
        "qnto tempo dura?",
        "quanto tempo demora pra ver o resultado?",
        "demora quanto tempo pra desinchar?",
        "o pacote vale quanto tempo? demora muito pra vencer?",
        "vcs demoram muito pra responder",
        "quanto tempo leva pra chegar de metro?",
    ] {
        assert!(
            !detect_intents(text).contains(&Intent::Duration),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
}

#[test]
fn several_questions_are_put_in_the_order_asked() {
    use Intent::{Location, OpeningHours, Parking, Payment};
    let ordered = |text: &str| in_order_asked(text, &detect_intents(text));
    assert_eq!(ordered("vcs ficam onde? tem lugar pra estacionar?")[..2], [Location, Parking]);
    assert_eq!(ordered("tem estacionamento? e onde fica a clínica?")[..2], [Parking, Location]);
    assert_eq!(ordered("aceitam pix?\nque horas abrem no sábado")[..2], [Payment, OpeningHours]);
    assert_eq!(ordered("que horas vcs abrem e aceitam cartao?").len(), 2, "one clause keeps both");
}

/// Changing one's own work shift is no appointment moved, however it is said: "turno" is a
/// shift in Portuguese (and an appointment only in Spanish).
#[test]
fn swapping_a_work_shift_moves_no_appointment() {
    for text in ["preciso trocar meu turno com uma colega", "trocar meu plantão"] {
        assert_eq!(latest_change(text), None, "{text}");
        assert!(!detect_intents(text).contains(&Intent::Reschedule), "{text}");
    }
    assert_eq!(latest_change("preciso trocar meu horário de quinta"), Some(Intent::Reschedule));
}

#[test]
fn how_something_works_is_not_when_the_clinic_is_open() {
    for text in [
        "oi, como funciona o cashback de vcs?",
        "como funciona esse esquema de indicação?",
        "Como funciona a fidelidade?",
        "como funciona o pacote? 🤔",
        "como funcionam os pontos de vcs?",
        // The thing named first, the question closing the message.
        "e o cashback como funciona?",
        "esse lance de indicação, como funciona??",
    ] {
        assert!(!detect_intents(text).contains(&Intent::OpeningHours), "{text:?}");
    }
    for text in ["vcs funcionam sábado?", "até que horas funciona?", "funciona domingo?", "que horas abre?"]
    {
        assert!(detect_intents(text).contains(&Intent::OpeningHours), "{text:?}");
    }
}

#[test]
fn a_fee_asked_about_a_move_said_with_any_verb_is_the_policy() {
    for text in [
        "se eu passar o botox de hj pra semana q vem tem aquela taxa de 50?",
        "se eu mudar meu horario pra amanha eu pago taxa?",
        "SE EU TROCAR O DIA TEM TAXA??",
        "se eu adiar a limpeza cobram alguma coisa? tem custo?",
        "se precisar passar pra outro dia, vcs cobram?",
    ] {
        assert!(asks_cancellation_policy(text), "{text:?}");
    }
    for text in [
        "quero passar o botox pra semana que vem",
        "se eu passar ai depois do trabalho da tempo?",
        "posso trocar o dia?",
    ] {
        assert!(!asks_cancellation_policy(text), "{text:?}");
    }
}

#[test]
fn tourists_ask_how_to_pay_and_where_the_clinic_is() {
    assert_best(&[
        ("do you accept credit card?", Intent::Payment),
        ("can i pay cash?", Intent::Payment),
        ("aceptan tarjeta?", Intent::Payment),
        ("where are you located?", Intent::Location),
        ("what is the address?", Intent::Location),
        ("donde estan ubicados?", Intent::Location),
    ]);
    let ranked = detect_intents("how much is botox? can i pay with credit card?");
    assert!(ranked.contains(&Intent::Price) && ranked.contains(&Intent::Payment), "{ranked:?}");
}

#[test]
fn putting_it_off_no_longer_books() {
    assert_best(&[
        ("nao vou mais adiar! quero agendar limpeza de pele pra quinta", Intent::Book),
        ("cansei de adiar, quero agendar o botox", Intent::Book),
        ("nao da mais pra adiar, me ve um horario de peeling", Intent::Book),
        ("preciso adiar minha limpeza", Intent::Reschedule),
    ]);
}

#[test]
fn a_question_about_a_visit_the_patient_has_is_about_their_appointments() {
    use Intent::ListAppointments;
    assert_best(&[
        ("minha limpeza de pele de quinta e que horas mesmo?", ListAppointments),
        ("esqueci o horario do meu botox, pode me lembrar?", ListAppointments),
        ("que dia ficou marcada minha avaliacao?", ListAppointments),
        ("qnd é meu botox msm? to perdida aqui kkk", ListAppointments),
        ("Meu microagulhamento ainda tá de pé pra terça?", ListAppointments),
        ("a minha consulta de sexta é de manhã ou de tarde?", ListAppointments),
        // A check that ends in a tag confirms nothing: it asks.
        ("bom dia! so pra confirmar, minha limpeza é sabado as 10 né?", ListAppointments),
        ("minha sessao de peeling é com o dr ricardo, certo?", ListAppointments),
    ]);
}

#[test]
fn asking_for_a_slot_for_ones_own_procedure_is_not_about_an_appointment() {
    for text in [
        "que dia tem vaga pra minha limpeza?",
        "qual dia posso marcar meu botox?",
        "que horas vcs abrem? minha mae quer ir junto",
        "quero confirmar meu horário de amanhã",
        "que dia posso remarcar minha avaliação?",
    ] {
        assert_ne!(
            detect_intent(text),
            Some(Intent::ListAppointments),
            "{text:?}: {:?}",
            detect_intents(text)
        );
    }
}

#[test]
fn a_session_of_a_package_booked_or_a_package_bought_is_a_booking() {
    for text in [
        "bora marcar a segunda sessão do meu pacote de microagulhamento?",
        "queria usar mais uma sessão do meu pacote de limpeza no sábado",
        "queria fechar o pacote de microagulhamento",
    ] {
        assert_eq!(detect_intent(text), Some(Intent::Book), "{text:?}");
    }
    for text in ["quantas sessões faltam no meu pacote?", "qual o saldo do meu pacote"] {
        assert_eq!(detect_intent(text), Some(Intent::PackageBalance), "{text:?}");
    }
}

#[test]
fn a_tourist_asking_where_the_clinic_is_is_read() {
    for text in ["how much is botox and where is the clinic?", "what's your location?", "where is it?"] {
        assert!(detect_intents(text).contains(&Intent::Location), "{text:?}");
    }
}

#[test]
fn a_hurry_a_doubt_or_a_mood_is_no_health_question() {
    for text in [
        "to com pressa, qual o primeiro horario livre de limpeza?",
        "estou com uma duvida sobre o botox",
        "to com muita raiva do meu ex, quero fazer um botox quarta a tarde",
        "estou com medo de agulha kkk mas quero o microagulhamento",
        "tô com vergonha das minhas olheiras",
    ] {
        assert!(!detect_intents(text).contains(&Intent::MedicalQuestion), "{text:?}");
    }
    for text in ["estou com muita dor no rosto", "to com uma mancha que coça", "estou com inchaço no lábio"]
    {
        assert!(detect_intents(text).contains(&Intent::MedicalQuestion), "{text:?}");
    }
}

#[test]
fn when_to_pay_is_a_payment_question_not_aftercare() {
    for text in ["paga antes ou depois do procedimento? é na hora?", "o pagamento é no dia ou adiantado?"] {
        let intents = detect_intents(text);
        assert!(
            intents.contains(&Intent::Payment) && !intents.contains(&Intent::Aftercare),
            "{text:?} {intents:?}"
        );
    }
    assert!(detect_intents("o que não posso fazer depois do procedimento?").contains(&Intent::Aftercare));
}

#[test]
fn sessions_wished_for_are_no_package_balance() {
    for text in [
        "to querendo fazer umas 3 sessões de limpeza",
        "queria fazer algumas sessões de microagulhamento",
        "preciso de umas sessoes de drenagem",
    ] {
        assert!(!detect_intents(text).contains(&Intent::PackageBalance), "{text:?}");
    }
    for text in ["quantas sessões ainda tenho?", "tenho sessões sobrando no pacote?"] {
        assert!(detect_intents(text).contains(&Intent::PackageBalance), "{text:?}");
    }
}

#[test]
fn a_package_acquired_or_named_as_sold_is_no_balance_question() {
    for text in [
        "to pensando em pegar esse pacote de 4 limpezas, pode?",
        "queria o pacote com três sessões de microagulhamento",
        "se eu comprar um pacote de limpeza rende mais?",
    ] {
        assert!(
            !detect_intents(text).contains(&Intent::PackageBalance),
            "{text:?} ranked {:?}",
            detect_intents(text)
        );
    }
    for text in
        ["quantas sessões faltam no meu pacote?", "e o pacote? quantas faltam?", "qual o saldo do pacote?"]
    {
        assert!(detect_intents(text).contains(&Intent::PackageBalance), "{text:?}");
    }
}
