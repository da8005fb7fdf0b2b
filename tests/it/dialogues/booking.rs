//! Booking: pieces gathered from one or several messages, offers, picks, confirmation.

use sofia_core::domain::{AppointmentStatus, FunnelStage};

use super::{Dialogue, JOAO, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};
use crate::tools::{World, local};

conformance!(books_botox_tomorrow_afternoon_in_three_turns, a_slot_taken_meanwhile_gets_fresh_alternatives);

sqlite_only!(
    asks_for_the_missing_pieces_one_at_a_time,
    a_burst_of_messages_is_one_turn,
    an_exact_free_time_goes_straight_to_the_summary,
    a_busy_time_gets_the_nearest_free_ones,
    picks_by_the_time_of_an_offered_slot,
    pode_ser_with_several_slots_asks_which,
    tapping_a_slot_button_and_sim_books_it,
    books_with_the_professional_asked_for,
    a_professional_who_does_not_perform_the_service_is_corrected,
    understands_slang_typos_and_missing_accents,
    a_calendar_date_with_two_professionals_is_offered_as_a_list,
    next_week_in_the_afternoon,
    the_day_after_tomorrow,
    more_options_are_shown_as_a_list,
    no_to_the_offer_asks_for_another_day,
    no_to_the_summary_books_nothing,
    a_name_the_patient_gives_is_the_one_booked,
    a_package_session_pays_for_the_booking,
    a_closed_day_offers_the_next_free_slots,
    nothing_left_today_is_said_in_those_words,
    a_short_day_is_said_before_asking_the_service,
    any_day_offers_the_earliest_slots,
    a_named_time_not_offered_is_looked_up_not_snapped,
    a_named_time_that_is_taken_gets_the_nearest_free_ones,
    the_first_free_slot_is_proposed_and_booked,
    a_yes_among_several_slots_shows_the_options_once,
    a_professional_on_her_day_off_says_which_days_she_works,
    a_procedure_the_clinic_does_not_offer_is_said_plainly,
    a_goodbye_for_now_gets_a_warm_answer_not_the_offer_again,
    a_tourist_writes_in_english_and_spanish,
    a_day_that_ends_early_is_said_before_its_slots,
    a_goodbye_that_opens_with_ok_does_not_accept_the_offer,
    the_day_s_last_slot_is_proposed_not_the_last_one_shown,
    a_price_objection_while_a_summary_waits_books_nothing,
    praise_is_thanked_not_answered_with_knowledge,
);

async fn books_botox_tomorrow_afternoon_in_three_turns(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria Silva").await;
    let offer = chat.say("Oi! Queria marcar botox amanhã à tarde").await;
    offer.called(&["update_lead", "find_slots"]).says(&[
        "Oi, Maria!",
        "Botox",
        "R$ 800,00",
        "Dr. Ricardo Lima",
    ]);
    assert!(
        offer.has_buttons(&["terça, 03/03 13:00", "terça, 03/03 13:30", "terça, 03/03 14:00"]),
        "{}",
        offer.text
    );

    chat.say("pode ser o primeiro").await.called(&["book_appointment"]).says(&[
        "Agendamento de Botox para terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima",
        "Posso confirmar?",
    ]);
    chat.say("sim, pode confirmar").await.called(&["book_appointment"]).says(&[
        "confirmado",
        "Botox — terça-feira, 03/03 às 13:00",
        "Chegue 10 minutos antes",
    ]);

    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(booked.len(), 1);
    assert_eq!(
        (local(booked[0].starts_at), booked[0].status),
        ("2026-03-03 13:00".to_owned(), AppointmentStatus::Scheduled)
    );
    let patient =
        chat.world.store().patient_by_phone(chat.world.clinic.id, &chat.phone).await.unwrap().unwrap();
    assert_eq!(patient.name.as_deref(), Some("Maria Silva"), "a new lead is named by their WhatsApp name");
    let lead = chat.world.store().lead_by_phone(chat.world.clinic.id, &chat.phone).await.unwrap().unwrap();
    assert_eq!((lead.stage, lead.interest.as_deref()), (FunnelStage::Scheduled, Some("Botox")));
}

async fn a_slot_taken_meanwhile_gets_fresh_alternatives(db: TestDb) {
    let world = World::new(db).await;
    let joao = world.patient(JOAO, "João").await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("o primeiro").await.says(&["13:00"]);
    // Someone at the front desk books João into that very slot before Maria says yes.
    chat.world.appointment(&joao, "Botox", "Dr. Ricardo Lima", "2026-03-03T13:00:00-03:00").await;

    chat.say("sim").await.called(&["book_appointment"]).says(&["acabou de ser preenchido", "03/03 às 09:00"]);
    assert!(chat.world.appointments_of(MARIA).await.is_empty());
    chat.say("o primeiro").await.says(&["terça-feira, 03/03 às 09:00", "Posso confirmar?"]);
    chat.say("sim").await.says(&["confirmado"]);
    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(booked.iter().map(|a| local(a.starts_at)).collect::<Vec<_>>(), ["2026-03-03 09:00"]);
}

async fn asks_for_the_missing_pieces_one_at_a_time(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let services = chat.say("quero agendar").await;
    services.called(&[]).says(&["Qual procedimento", "Limpeza de Pele"]);
    assert!(services.list_rows().contains(&"Preenchimento Labial".to_owned()));
    chat.say("limpeza de pele").await.called(&["update_lead"]).says(&["Para qual dia", "Limpeza de Pele"]);
    let offer = chat.say("sexta de manhã").await;
    offer.called(&["update_lead", "find_slots"]).says(&["Juliana Reis"]);
    assert!(
        offer.has_buttons(&["sexta, 06/03 09:00", "sexta, 06/03 09:30", "sexta, 06/03 10:00"]),
        "{}",
        offer.text
    );
    chat.say("2")
        .await
        .says(&["Limpeza de Pele para sexta-feira, 06/03 às 09:30 com Juliana Reis", "R$ 150,00"]);
    chat.say("sim").await.says(&["confirmado"]);
    assert_eq!(chat.world.appointments_of(MARIA).await.len(), 1);
}

async fn a_burst_of_messages_is_one_turn(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let answer = chat.burst(&["oi", "tudo bem?", "queria marcar botox"]).await;
    assert_eq!(answer.bubbles.len(), 1, "{}", answer.text);
    answer.says(&["Oi, Maria!", "Para qual dia você gostaria de agendar Botox?"]);
}

async fn an_exact_free_time_goes_straight_to_the_summary(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tem horário pra botox amanhã às 15h?")
        .await
        .called(&["update_lead", "find_slots", "book_appointment"])
        .says(&["Botox para terça-feira, 03/03 às 15:00 com Dr. Ricardo Lima", "Posso confirmar?"]);
    chat.say("pode marcar").await.says(&["confirmado"]);
    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(local(booked[0].starts_at), "2026-03-03 15:00");
}

async fn a_busy_time_gets_the_nearest_free_ones(db: TestDb) {
    let world = World::new(db).await;
    let joao = world.patient(JOAO, "João").await;
    world.appointment(&joao, "Botox", "Dr. Ricardo Lima", "2026-03-03T15:00:00-03:00").await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    let offer = chat.say("quero botox amanhã às 15h").await;
    offer.says(&["Nesse horário não tenho vaga"]);
    assert!(
        offer.has_buttons(&["terça, 03/03 14:00", "terça, 03/03 14:30", "terça, 03/03 15:30"]),
        "{}",
        offer.text
    );
    chat.say("a das 15:30").await.says(&["03/03 às 15:30"]);
    chat.say("sim").await.says(&["confirmado"]);
}

async fn picks_by_the_time_of_an_offered_slot(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("botox quinta à tarde").await.says(&["quinta, 05/03 13:00"]);
    chat.say("a das 14h").await.says(&["quinta-feira, 05/03 às 14:00"]);
    chat.say("isso").await.says(&["confirmado"]);
    assert_eq!(local(chat.world.appointments_of(MARIA).await[0].starts_at), "2026-03-05 14:00");
}

async fn pode_ser_with_several_slots_asks_which(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("pode ser").await.called(&[]).says(&["Qual destes horários", "13:00", "13:30", "14:00"]);
    chat.say("o segundo").await.says(&["03/03 às 13:30"]);
    chat.say("sim").await.says(&["confirmado"]);
}

async fn tapping_a_slot_button_and_sim_books_it(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.tap("slot:2", "terça, 03/03 13:30").await.says(&["03/03 às 13:30", "Posso confirmar?"]);
    chat.tap("yes", "Sim").await.called(&["book_appointment"]).says(&["confirmado"]);
    assert_eq!(local(chat.world.appointments_of(MARIA).await[0].starts_at), "2026-03-03 13:30");
}

async fn books_with_the_professional_asked_for(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero botox com a Dra. Ana").await.says(&["Para qual dia"]);
    let offer = chat.say("quarta").await;
    assert_eq!(offer.arguments("find_slots")["professional"], "Dra. Ana Paula Souza");
    offer.says(&["Com Dra. Ana Paula Souza", "quarta, 04/03 09:00"]);
}

async fn a_professional_who_does_not_perform_the_service_is_corrected(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("limpeza de pele com o Dr. Ricardo na sexta").await.says(&[
        "Dr. Ricardo Lima não realiza Limpeza de Pele; quem realiza é Juliana Reis",
        "sexta, 06/03 09:00",
    ]);
}

async fn understands_slang_typos_and_missing_accents(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let offer = chat.say("vcs tem orario pra limpesa de pele amanha de manha?").await;
    offer.called(&["update_lead", "find_slots"]).says(&["Limpeza de Pele", "terça, 03/03 09:00"]);
    assert_eq!(offer.arguments("find_slots")["period"], "manha");
}

async fn a_calendar_date_with_two_professionals_is_offered_as_a_list(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let offer = chat.say("quero marcar peeling dia 12/03").await;
    assert_eq!(
        offer.list_rows(),
        ["quinta, 12/03 às 09:00", "quinta, 12/03 às 09:00", "quinta, 12/03 às 09:30"]
    );
    offer.says(&["com Dr. Ricardo Lima", "com Juliana Reis", "R$ 500,00"]);
    chat.say("o segundo").await.says(&["Peeling Químico para quinta-feira, 12/03 às 09:00 com Juliana Reis"]);
}

async fn next_week_in_the_afternoon(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let offer = chat.say("avaliação semana que vem à tarde").await;
    assert_eq!(
        (offer.arguments("find_slots")["date"].as_str(), offer.arguments("find_slots")["date_to"].as_str()),
        (Some("2026-03-09"), Some("2026-03-14"))
    );
    offer.says(&["Avaliação", "gratuito", "segunda, 09/03 13:00"]);
}

async fn the_day_after_tomorrow(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tem skin booster depois de amanhã?").await.says(&["Skinbooster", "quarta, 04/03 09:00"]);
}

async fn more_options_are_shown_as_a_list(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    let more = chat.say("tem outros horários?").await;
    let rows = more.list_rows();
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert_eq!(rows.last().map(String::as_str), Some("terça, 03/03 às 17:30"));
    chat.say("o último").await.says(&["03/03 às 17:30"]);
}

async fn no_to_the_offer_asks_for_another_day(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("não").await.called(&[]).says(&["Prefere outro dia"]);
    chat.say("quinta").await.says(&["quinta, 05/03 13:00"]);
}

async fn no_to_the_summary_books_nothing(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("o primeiro").await;
    chat.say("não").await.called(&[]).says(&["não marquei nada"]);
    assert!(chat.world.appointments_of(MARIA).await.is_empty());
    assert_eq!(chat.state().await.pending, None);
}

async fn a_name_the_patient_gives_is_the_one_booked(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Bia 🌸").await;
    chat.say("meu nome é Ana Beatriz").await.called(&["update_lead"]).says(&["Prazer, Ana!"]);
    chat.say("quero marcar limpeza de pele sexta de manhã").await;
    chat.say("o primeiro").await;
    chat.say("sim").await.says(&["confirmado"]);
    let patient =
        chat.world.store().patient_by_phone(chat.world.clinic.id, &chat.phone).await.unwrap().unwrap();
    assert_eq!(patient.name.as_deref(), Some("Ana Beatriz"));
}

async fn a_package_session_pays_for_the_booking(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    world.package(&maria, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    chat.say("quero marcar limpeza quinta de manhã").await;
    chat.say("o primeiro").await.says(&["sessão do seu pacote Limpeza de Pele — 4 sessões", "3 disponíveis"]);
    chat.say("sim").await.says(&["confirmado"]);
    assert!(chat.world.appointments_of(MARIA).await[0].patient_package_id.is_some());
}

async fn a_closed_day_offers_the_next_free_slots(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let offer = chat.say("quero marcar botox no domingo").await;
    offer.says(&[
        "A clínica não abre aos domingos",
        "Os próximos horários livres para Botox",
        "segunda, 09/03 09:00",
    ]);
}

async fn any_day_offers_the_earliest_slots(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox").await.says(&["Para qual dia"]);
    let offer = chat.say("o quanto antes").await;
    assert!(
        offer.has_buttons(&["segunda, 02/03 11:00", "segunda, 02/03 11:30", "segunda, 02/03 13:00"]),
        "{}",
        offer.text
    );
}

async fn a_named_time_not_offered_is_looked_up_not_snapped(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await.says(&["13:00", "13:30", "14:00"]);
    let summary = chat.say("dá pra ser às 16h30?").await;
    summary
        .called(&["find_slots", "book_appointment"])
        .says(&["terça-feira, 03/03 às 16:30", "Posso confirmar?"]);
    assert_eq!(summary.arguments("find_slots")["date"], "2026-03-03");
    chat.say("sim").await.says(&["confirmado"]);
    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(local(booked[0].starts_at), "2026-03-03 16:30");
}

async fn a_named_time_that_is_taken_gets_the_nearest_free_ones(db: TestDb) {
    let world = World::new(db).await;
    let joao = world.patient(JOAO, "João").await;
    world.appointment(&joao, "Botox", "Dr. Ricardo Lima", "2026-03-03T16:30:00-03:00").await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("e às 16h30, tem?")
        .await
        .called(&["find_slots"])
        .says(&["Nesse horário não tenho vaga", "16:00", "17:00"])
        .never_says(&["Posso confirmar?"]);
}

async fn the_first_free_slot_is_proposed_and_booked(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar uma limpeza de pele").await.says(&["Para qual dia"]);
    let offer = chat.say("o primeiro horário livre").await;
    offer.called(&["find_slots"]).says(&["O primeiro horário livre para Limpeza de Pele", "Pode ser?"]);
    assert!(offer.has_buttons(&["segunda, 02/03 11:00"]), "{}", offer.text);
    chat.say("sim")
        .await
        .called(&["book_appointment"])
        .says(&["segunda-feira, 02/03 às 11:00", "Posso confirmar?"]);
    chat.say("sim").await.called(&["book_appointment"]).says(&["confirmado"]);
    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(local(booked[0].starts_at), "2026-03-02 11:00");
}

async fn a_yes_among_several_slots_shows_the_options_once(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    let which = chat.say("sim").await;
    which.called(&[]).says(&["Qual destes horários"]);
    for time in ["13:00", "13:30", "14:00"] {
        assert_eq!(which.text.matches(time).count(), 1, "{time} once:\n{}", which.text);
    }
}

async fn a_professional_on_her_day_off_says_which_days_she_works(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let offer = chat.say("quero botox com a Dra. Ana Paula na terça").await;
    offer
        .says(&[
            "Dra. Ana Paula Souza não atende às terças: atende segundas, quartas, sextas e sábados",
            "quarta, 04/03 09:00",
        ])
        .never_says(&["Dr. Ricardo"]);
    assert_eq!(offer.arguments("find_slots")["professional"], "Dra. Ana Paula Souza");
}

async fn a_procedure_the_clinic_does_not_offer_is_said_plainly(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("vocês fazem criolipólise?")
        .await
        .called(&[])
        .says(&["não oferecemos criolipólise", "Avaliação gratuita"])
        .never_says(&["R$ 800,00", "Qual procedimento"]);
    chat.say("sim").await.says(&["Para qual dia", "Avaliação"]);
    chat.say("quero marcar bioestimulador").await.says(&["não oferecemos bioestimulador de colágeno"]);
}

async fn a_goodbye_for_now_gets_a_warm_answer_not_the_offer_again(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("o primeiro").await.says(&["Posso confirmar?"]);
    chat.say("vou ver com meu marido e te aviso")
        .await
        .called(&["update_lead"])
        .says(&["sem pressa"])
        .never_says(&["13:00", "Posso confirmar?"]);
    assert!(chat.state().await.pending.is_none());
    chat.say("mais tarde eu retorno").await.called(&[]).says(&["sem pressa"]);
    assert!(chat.world.appointments_of(MARIA).await.is_empty());
}

async fn a_tourist_writes_in_english_and_spanish(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Mary").await;
    chat.say("Friday afternoon?").await.says(&["Qual procedimento"]);
    let offer = chat.say("botox").await;
    assert_eq!(offer.arguments("find_slots")["date"], "2026-03-06");
    assert_eq!(offer.arguments("find_slots")["period"], "tarde");
    chat.say("yes").await.says(&["Qual destes horários"]);
    chat.say("quiero una limpieza mañana a las 10")
        .await
        .says(&["Limpeza de Pele", "terça-feira, 03/03 às 10:00"]);
}

async fn a_day_that_ends_early_is_said_before_its_slots(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    // 15:00 is after Saturday's closing: the nearest to it is the day's last free slot.
    let reply = chat.say("Sábado umas 3 da tarde tem horário pra limpeza?").await;
    reply
        .says(&["Aos sábados a clínica atende só até as 13h", "O último horário livre desse dia"])
        .never_says(&["Não encontrei"]);
    assert!(reply.has_buttons(&["sábado, 07/03 12:00"]), "{}", reply.text);
}

async fn a_goodbye_that_opens_with_ok_does_not_accept_the_offer(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quanto custa o botox?").await.says(&["Quer que eu veja um horário para Botox?"]);
    chat.say("ok obrigada! vou pensar e qualquer coisa te chamo")
        .await
        .says(&["sem pressa"])
        .never_says(&["Para qual dia"]);
}

async fn the_day_s_last_slot_is_proposed_not_the_last_one_shown(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã").await.says(&["09:00", "09:30", "10:00"]);
    let last = chat.say("Qual o último horário do dia?").await;
    // The day is searched page by page, so `find_slots` may be called more than once.
    assert!(last.calls.iter().all(|call| call.tool == "find_slots"), "{:?}", last.calls);
    last.says(&["O último horário livre", "Pode ser?"]);
    assert!(last.has_buttons(&["terça, 03/03 18:30"]), "{}", last.text);
    chat.say("sim")
        .await
        .called(&["book_appointment"])
        .says(&["terça-feira, 03/03 às 18:30", "Posso confirmar?"]);
    chat.say("sim").await.says(&["confirmado"]);
    let booked = chat.world.appointments_of(MARIA).await;
    assert_eq!(local(booked[0].starts_at), "2026-03-03 18:30");
}

async fn a_price_objection_while_a_summary_waits_books_nothing(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("o primeiro").await.says(&["Posso confirmar?"]);
    for objection in ["isso é muito caro", "ok, achei caro"] {
        chat.say(objection).await.never_says(&["confirmado"]);
    }
    assert!(chat.world.appointments_of(MARIA).await.is_empty());
}

async fn praise_is_thanked_not_answered_with_knowledge(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let thanks = chat.say("amei o resultado da minha limpeza de pele, vcs são ótimas!").await;
    thanks.says(&["obrigada"]).never_says(&["Quer que eu veja um horário"]);
    assert!(!thanks.calls.iter().any(|call| call.tool == "search_knowledge"), "{:?}", thanks.calls);
}

async fn nothing_left_today_is_said_in_those_words(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    // 17:20: with two hours' notice, the first start would be after Monday's closing.
    chat.world.clock.advance(chrono::Duration::minutes(8 * 60 + 20));
    chat.say("consigo fazer botox ainda hj?")
        .await
        .says(&["Para hoje não tenho mais vaga para Botox", "terça, 03/03 09:00"])
        .never_says(&["no que você pediu", "lista de espera"]);
}

async fn a_short_day_is_said_before_asking_the_service(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("a juliana atende sábado à tarde?")
        .await
        .not_called(&["find_slots"])
        .says(&["Aos sábados a clínica atende só até as 13h", "Qual procedimento"]);
}
