//! Questions about the clinic, minors, medical questions, greetings and lead facts.

use sofia_core::domain::AppointmentStatus;

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};
use crate::tools::local;

conformance!(a_price_question_leads_to_a_booking_offer, a_minor_may_only_book_an_evaluation);

sqlite_only!(
    finding_it_expensive_gets_the_ways_to_pay_not_a_person,
    address_payment_and_parking_in_one_message,
    opening_hours,
    aftercare_from_the_clinics_words,
    a_medical_question_gets_an_evaluation_not_a_diagnosis,
    a_greeting_alone_is_answered_by_name,
    facts_about_the_lead_are_recorded,
    a_question_while_a_summary_waits_answers_and_asks_again,
);

async fn a_price_question_leads_to_a_booking_offer(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let price = chat.say("quanto custa o botox?").await;
    price.called(&["update_lead"]).says(&["Botox: R$ 800,00", "Quer que eu veja um horário para Botox?"]);
    assert_eq!(price.arguments("update_lead")["budget"], "asked_price");
    chat.say("sim").await.says(&["Para qual dia"]);
    chat.say("amanhã de manhã").await.says(&["terça, 03/03 09:00"]);
}

async fn a_minor_may_only_book_an_evaluation(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tenho 16 anos, quero fazer botox")
        .await
        .called(&["update_lead"])
        .says(&["apenas em maiores de 18 anos", "Quer que eu veja um horário para a Avaliação?"]);
    chat.say("sim").await.says(&["Para qual dia você gostaria de agendar Avaliação?"]);
    chat.say("sexta de manhã").await.says(&["sexta, 06/03 09:00"]);
    chat.say("o primeiro")
        .await
        .says(&["Avaliação para sexta-feira, 06/03 às 09:00", "acompanhados de um responsável"]);
    chat.say("sim").await.says(&["confirmado"]);
    let booked = &chat.world.appointments_of(MARIA).await[0];
    let service = chat.world.clinic.service(booked.service_id).unwrap().name.clone();
    assert_eq!(
        (service.as_str(), local(booked.starts_at), booked.status),
        ("Avaliação", "2026-03-06 09:00".to_owned(), AppointmentStatus::Scheduled)
    );
    // Asking again for a procedure is refused the same way.
    chat.say("e um botox sexta?").await.says(&["apenas em maiores de 18 anos"]);
}

async fn address_payment_and_parking_in_one_message(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("qual o endereço? vcs aceitam pix? tem estacionamento?").await.called(&[]).says(&[
        "Av. Paulista, 1000",
        "(11) 3000-1000",
        "PIX, cartão de crédito em até 3x sem juros",
        "Rua Exemplo, 50",
    ]);
}

async fn opening_hours(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("que horas vocês abrem no sábado?").await.says(&[
        "Segunda a sexta: 09:00–12:00 e 13:00–19:00",
        "Sábado: 09:00–13:00",
        "Domingo: fechado",
    ]);
}

async fn aftercare_from_the_clinics_words(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("posso deitar depois do botox?")
        .await
        .says(&["Não se deite por 4 horas", "evite exercícios intensos por 24 horas"]);
    chat.say("e quais os cuidados depois do peeling?")
        .await
        .says(&["Use protetor solar e evite o sol por 7 dias"]);
}

async fn a_medical_question_gets_an_evaluation_not_a_diagnosis(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("estou com uma mancha escura no rosto, o que pode ser?")
        .await
        .called(&[])
        .says(&["não consigo avaliar sintomas", "Avaliação", "gratuita"])
        .never_says(&["diagnóstico", "melasma"]);
    chat.say("sim").await.says(&["Para qual dia você gostaria de agendar Avaliação?"]);
}

async fn a_greeting_alone_is_answered_by_name(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria Silva").await;
    chat.say("Bom dia!").await.called(&[]).says(&[
        "Bom dia, Maria!",
        "Sofia",
        "Clínica Bella Forma",
        "Como posso te ajudar?",
    ]);
    chat.say("obrigada!").await.says(&["Imagina"]);
}

async fn facts_about_the_lead_are_recorded(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let answer = chat.say("vi vocês no instagram, é minha primeira vez e queria fazer limpeza de pele").await;
    answer.called(&["update_lead"]).says(&["Para qual dia"]);
    let lead = chat.world.store().lead_by_phone(chat.world.clinic.id, &chat.phone).await.unwrap().unwrap();
    assert_eq!((lead.source.as_str(), lead.interest.as_deref()), ("instagram", Some("Limpeza de Pele")));
    assert_eq!(lead.facts["visit"], "first");
}

async fn a_question_while_a_summary_waits_answers_and_asks_again(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await;
    chat.say("o primeiro").await;
    chat.say("vcs parcelam?").await.says(&[
        "3x sem juros",
        "Agendamento de Botox para terça-feira, 03/03 às 13:00",
        "Posso confirmar?",
    ]);
    chat.say("sim").await.says(&["confirmado"]);
}

async fn finding_it_expensive_gets_the_ways_to_pay_not_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quanto custa a limpeza de pele?").await.says(&["R$ 150,00"]);
    chat.say("nossa, achei meio caro")
        .await
        .says(&["Entendo", "3x sem juros", "Limpeza de Pele — 4 sessões", "R$ 500,00"])
        .never_says(&["nossa equipe"]);
}
