//! Cancelling (early and late), confirming, listing appointments and package balances.

use sofia_core::domain::{AppointmentStatus, Money};

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};
use crate::tools::World;

conformance!(
    an_early_cancellation_asks_the_reason_then_confirms,
    a_late_cancellation_states_and_charges_the_fee
);

sqlite_only!(
    a_reason_in_the_request_goes_straight_to_the_summary,
    a_reason_in_the_same_burst_is_not_asked_again,
    a_late_cancellation_of_a_package_session_uses_it,
    no_to_the_cancellation_keeps_the_appointment,
    a_cancellation_turned_down_in_so_many_words_keeps_it,
    a_summary_is_shown_again_after_a_turn_not_understood,
    asked_the_reason_the_patient_prefers_to_reschedule,
    with_nothing_booked_offers_to_book,
    with_several_appointments_a_number_picks_one,
    confirms_attendance,
    confirms_the_appointment_tapped_in_the_list,
    lists_the_upcoming_appointments,
    tells_the_package_balance,
);

const BOTOX_WEDNESDAY: (&str, &str, &str) = ("Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00");
const LIMPEZA_THURSDAY: (&str, &str, &str) = ("Limpeza de Pele", "Juliana Reis", "2026-03-05T10:00:00-03:00");
const BOTOX_TODAY: (&str, &str, &str) = ("Botox", "Dra. Ana Paula Souza", "2026-03-02T15:00:00-03:00");

async fn maria_with(db: TestDb, bookings: &[(&str, &str, &str)]) -> Dialogue {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    for (service, professional, start) in bookings {
        world.appointment(&maria, service, professional, start).await;
    }
    Dialogue::with(world, MARIA, "Maria").await
}

async fn statuses(chat: &Dialogue) -> Vec<(String, AppointmentStatus)> {
    let world = &chat.world;
    let mut all: Vec<_> = world
        .appointments_of(MARIA)
        .await
        .iter()
        .map(|a| (world.clinic.service(a.service_id).unwrap().name.clone(), a.status))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

async fn an_early_cancellation_asks_the_reason_then_confirms(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("quero cancelar minha consulta")
        .await
        .called(&["list_appointments"])
        .says(&["motivo do cancelamento"]);
    chat.say("tive um imprevisto no trabalho")
        .await
        .called(&["cancel_appointment"])
        .says(&[
            "Cancelar Botox de quarta-feira, 04/03 às 10:00 com Dra. Ana Paula Souza.",
            "Posso confirmar o cancelamento?",
        ])
        .never_says(&["taxa"]);
    assert_eq!(statuses(&chat).await, [("Botox".to_owned(), AppointmentStatus::Scheduled)]);
    chat.say("sim").await.called(&["cancel_appointment"]).says(&["cancelado", "Se quiser remarcar"]);
    let cancelled = &chat.world.appointments_of(MARIA).await[0];
    assert_eq!(cancelled.status, AppointmentStatus::Cancelled);
    assert_eq!(
        (cancelled.cancellation_reason.as_deref(), cancelled.late_fee),
        (Some("tive um imprevisto no trabalho"), None)
    );
}

async fn a_late_cancellation_states_and_charges_the_fee(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_TODAY]).await;
    chat.say("preciso cancelar o de hoje porque surgiu uma viagem")
        .await
        .called(&["list_appointments", "cancel_appointment"])
        .says(&["Como faltam menos de 24 horas para o horário, será cobrada a taxa de R$ 50,00."]);
    chat.say("sim").await.says(&["cancelado", "taxa de R$ 50,00"]);
    let cancelled = &chat.world.appointments_of(MARIA).await[0];
    assert_eq!(
        (cancelled.status, cancelled.late_fee),
        (AppointmentStatus::Cancelled, Some(Money::from_centavos(5_000)))
    );
}

async fn a_reason_in_the_request_goes_straight_to_the_summary(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("preciso desmarcar pq vou viajar")
        .await
        .says(&["Cancelar Botox de quarta-feira, 04/03 às 10:00"]);
    chat.say("sim").await.says(&["cancelado"]);
    assert_eq!(chat.world.appointments_of(MARIA).await[0].cancellation_reason.as_deref(), Some("vou viajar"));
}

async fn a_late_cancellation_of_a_package_session_uses_it(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    let package = world.package(&maria, "Limpeza de Pele — 4 sessões", 1, "2026-01-10").await;
    world
        .appointment_with(
            &maria,
            "Limpeza de Pele",
            "Juliana Reis",
            "2026-03-02T16:00:00-03:00",
            Some(&package),
        )
        .await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    // The reason beside the request is not asked again.
    chat.say("não vou poder ir hoje, estou gripada")
        .await
        .says(&["esta sessão do pacote será contada como usada"])
        .never_says(&["motivo"]);
    chat.say("sim").await.says(&["cancelado"]);
    chat.say("quantas sessões ainda tenho?")
        .await
        .called(&["package_balance"])
        .says(&["2 de 4 sessões usadas"]);
}

async fn no_to_the_cancellation_keeps_the_appointment(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("quero cancelar pq estou sem tempo").await;
    chat.say("não").await.called(&[]).says(&["continua marcado"]);
    assert_eq!(statuses(&chat).await, [("Botox".to_owned(), AppointmentStatus::Scheduled)]);
}

async fn asked_the_reason_the_patient_prefers_to_reschedule(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("quero cancelar").await.says(&["motivo"]);
    chat.say("na verdade prefiro remarcar").await.says(&["Vamos remarcar", "Para qual dia"]);
    assert_eq!(statuses(&chat).await, [("Botox".to_owned(), AppointmentStatus::Scheduled)]);
}

async fn with_nothing_booked_offers_to_book(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero cancelar meu horário")
        .await
        .called(&["list_appointments"])
        .says(&["Não encontrei agendamentos futuros", "Quer agendar"]);
    chat.say("sim").await.says(&["Qual procedimento"]);
}

async fn with_several_appointments_a_number_picks_one(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, LIMPEZA_THURSDAY]).await;
    chat.say("quero desmarcar").await.says(&["Qual deles você quer cancelar?"]);
    chat.say("2").await.says(&["Limpeza de Pele — quinta-feira, 05/03 às 10:00", "motivo"]);
    chat.say("mudei de cidade").await.says(&["Cancelar Limpeza de Pele"]);
    chat.say("sim").await.says(&["cancelado"]);
    assert_eq!(
        statuses(&chat).await,
        [
            ("Botox".to_owned(), AppointmentStatus::Scheduled),
            ("Limpeza de Pele".to_owned(), AppointmentStatus::Cancelled)
        ]
    );
}

async fn confirms_attendance(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("confirmo minha consulta de quarta")
        .await
        .called(&["list_appointments", "confirm_appointment"])
        .says(&["Presença confirmada: Botox — quarta-feira, 04/03 às 10:00"]);
    assert_eq!(statuses(&chat).await, [("Botox".to_owned(), AppointmentStatus::Confirmed)]);
}

async fn confirms_the_appointment_tapped_in_the_list(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, LIMPEZA_THURSDAY]).await;
    chat.say("quero confirmar meu horário").await.says(&["Qual deles você quer confirmar?"]);
    chat.tap("appointment:1", "Limpeza de Pele 10:00")
        .await
        .called(&["list_appointments", "confirm_appointment"])
        .says(&["Presença confirmada"]);
    assert_eq!(
        statuses(&chat).await,
        [
            ("Botox".to_owned(), AppointmentStatus::Scheduled),
            ("Limpeza de Pele".to_owned(), AppointmentStatus::Confirmed)
        ]
    );
}

async fn lists_the_upcoming_appointments(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, LIMPEZA_THURSDAY]).await;
    chat.say("quais meus horários?")
        .await
        .called(&["list_appointments"])
        .says(&["Botox — quarta-feira, 04/03 às 10:00", "Limpeza de Pele — quinta-feira, 05/03 às 10:00"]);
}

async fn tells_the_package_balance(db: TestDb) {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    world.package(&maria, "Microagulhamento — 3 sessões", 2, "2026-02-01").await;
    let mut chat = Dialogue::with(world, MARIA, "Maria").await;
    chat.say("qual o saldo do meu pacote?")
        .await
        .called(&["package_balance"])
        .says(&["Microagulhamento — 3 sessões: 2 de 3 sessões usadas, 1 restantes"]);
}

async fn a_reason_in_the_same_burst_is_not_asked_again(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, LIMPEZA_THURSDAY]).await;
    chat.burst(&["preciso desmarcar a de quinta", "meu filho ficou doente"])
        .await
        .called(&["list_appointments", "cancel_appointment"])
        .says(&["Limpeza de Pele", "Posso confirmar o cancelamento?"])
        .never_says(&["motivo"]);
    chat.say("sim").await.says(&["cancelado"]);
    assert_eq!(
        statuses(&chat).await,
        [
            ("Botox".to_owned(), AppointmentStatus::Scheduled),
            ("Limpeza de Pele".to_owned(), AppointmentStatus::Cancelled)
        ]
    );
}

async fn a_cancellation_turned_down_in_so_many_words_keeps_it(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("quero cancelar o botox de quarta, surgiu um compromisso")
        .await
        .says(&["Posso confirmar o cancelamento?"]);
    chat.say("pensando bem nao cancela nao, vou dar um jeito").await.says(&["não cancelei nada"]);
    chat.say("sim").await.not_called(&["cancel_appointment"]);
    let appointments = chat.world.appointments_of(MARIA).await;
    assert_eq!(appointments[0].status, AppointmentStatus::Scheduled);
}

async fn a_summary_is_shown_again_after_a_turn_not_understood(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("quero cancelar o botox de quarta, surgiu um compromisso")
        .await
        .says(&["Posso confirmar o cancelamento?"]);
    // The "sim" that follows answers a summary shown right before it.
    chat.say("asdfgh").await.says(&[
        "não entendi bem",
        "Cancelar Botox de quarta-feira, 04/03",
        "Posso confirmar?",
    ]);
    chat.say("sim").await.called(&["cancel_appointment"]).says(&["cancelado"]);
}
