//! Rescheduling the patient's own appointments, with the late-change policy.

use sofia_core::domain::{AppointmentStatus, Money};

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};
use crate::tools::{World, local};

conformance!(reschedules_the_only_appointment_to_a_new_day);

sqlite_only!(
    the_new_day_can_come_with_the_request,
    a_late_reschedule_states_and_charges_the_fee,
    with_several_appointments_the_service_named_picks_one,
    not_making_it_on_its_day_and_naming_another_moves_it,
    a_day_ruled_out_and_another_for_the_service_moves_it,
    the_professional_named_tells_two_appointments_apart,
    moving_instead_of_the_cancellation_shown_drops_it,
    asking_which_appointment_drops_the_write_awaiting_a_yes,
    the_new_day_is_after_the_para_that_names_one,
);

async fn maria_with(db: TestDb, bookings: &[(&str, &str, &str)]) -> Dialogue {
    let world = World::new(db).await;
    let maria = world.patient(MARIA, "Maria").await;
    for (service, professional, start) in bookings {
        world.appointment(&maria, service, professional, start).await;
    }
    Dialogue::with(world, MARIA, "Maria").await
}

const BOTOX_WEDNESDAY: (&str, &str, &str) = ("Botox", "Dra. Ana Paula Souza", "2026-03-04T10:00:00-03:00");

async fn reschedules_the_only_appointment_to_a_new_day(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.say("preciso remarcar minha consulta").await.called(&["list_appointments"]).says(&[
        "Vamos remarcar: Botox — quarta-feira, 04/03 às 10:00",
        "Para qual dia você gostaria de remarcar Botox?",
    ]);
    chat.say("sexta à tarde").await.says(&["sexta, 06/03 13:00"]);
    chat.say("1")
        .await
        .called(&["reschedule_appointment"])
        .says(&["Remarcar Botox de quarta-feira, 04/03 às 10:00 para sexta-feira, 06/03 às 13:00 com Dra. Ana Paula Souza"]);
    chat.say("sim").await.says(&["remarcado", "sexta-feira, 06/03 às 13:00"]);

    let appointments = chat.world.appointments_of(MARIA).await;
    assert_eq!(appointments.len(), 1);
    assert_eq!(
        (local(appointments[0].starts_at), appointments[0].status),
        ("2026-03-06 13:00".to_owned(), AppointmentStatus::Scheduled)
    );
    assert_eq!(appointments[0].late_fee, None);
}

async fn the_new_day_can_come_with_the_request(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    let offer = chat.say("quero remarcar meu botox para quinta de manhã").await;
    offer.called(&["list_appointments", "find_slots"]).says(&["quinta, 05/03 09:00", "Dr. Ricardo Lima"]);
    chat.say("o primeiro").await.says(&["para quinta-feira, 05/03 às 09:00"]);
    chat.say("sim").await.says(&["remarcado"]);
    assert_eq!(local(chat.world.appointments_of(MARIA).await[0].starts_at), "2026-03-05 09:00");
}

async fn a_late_reschedule_states_and_charges_the_fee(db: TestDb) {
    let mut chat = maria_with(db, &[("Botox", "Dra. Ana Paula Souza", "2026-03-02T15:00:00-03:00")]).await;
    chat.say("preciso remarcar o botox de hoje para amanhã").await.says(&["terça, 03/03 09:00"]);
    chat.say("o primeiro").await.says(&["será cobrada a taxa de R$ 50,00", "Posso confirmar?"]);
    chat.say("sim").await.says(&["remarcado", "taxa de R$ 50,00"]);
    let moved = &chat.world.appointments_of(MARIA).await[0];
    assert_eq!(
        (local(moved.starts_at), moved.late_fee),
        ("2026-03-03 09:00".to_owned(), Some(Money::from_centavos(5_000)))
    );
}

async fn with_several_appointments_the_service_named_picks_one(db: TestDb) {
    let limpeza = ("Limpeza de Pele", "Juliana Reis", "2026-03-05T10:00:00-03:00");
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, limpeza]).await;
    let which = chat.say("quero remarcar").await;
    which.says(&[
        "Qual deles você quer remarcar?",
        "1) Botox — quarta-feira, 04/03 às 10:00",
        "2) Limpeza de Pele — quinta-feira, 05/03 às 10:00",
    ]);
    chat.say("a limpeza").await.says(&["Vamos remarcar: Limpeza de Pele", "Para qual dia"]);
    chat.say("sábado").await.says(&["sábado, 07/03 09:00"]);
    chat.say("o primeiro").await;
    chat.say("sim").await.says(&["remarcado"]);
    let starts: Vec<String> =
        chat.world.appointments_of(MARIA).await.iter().map(|a| local(a.starts_at)).collect();
    assert!(
        starts.contains(&"2026-03-07 09:00".to_owned()) && starts.contains(&"2026-03-04 10:00".to_owned()),
        "{starts:?}"
    );
}

async fn not_making_it_on_its_day_and_naming_another_moves_it(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    chat.burst(&["nao vou conseguir na quarta", "tenho prova na facul", "consegue sexta as 15h?"])
        .await
        .called(&["list_appointments", "find_slots", "reschedule_appointment"])
        .says(&["para sexta-feira, 06/03 às 15:00"])
        .never_says(&["motivo", "cancelamento"]);
    chat.say("sim").await.says(&["remarcado"]);
    let appointments = chat.world.appointments_of(MARIA).await;
    assert_eq!(
        (local(appointments[0].starts_at), appointments[0].status),
        ("2026-03-06 15:00".to_owned(), AppointmentStatus::Scheduled)
    );
}

async fn a_day_ruled_out_and_another_for_the_service_moves_it(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    let summary = chat.burst(&["surgiu uma prova na quarta", "o botox pode ser sexta às 10h?"]).await;
    summary
        .says(&["Remarcar Botox de quarta-feira, 04/03 às 10:00 para sexta-feira, 06/03 às 10:00"])
        .never_says(&["motivo"]);
    chat.say("sim").await.says(&["remarcado"]);
    let appointments = chat.world.appointments_of(MARIA).await;
    assert_eq!(appointments.len(), 1, "moved, not booked again");
    assert_eq!(local(appointments[0].starts_at), "2026-03-06 10:00");
}

async fn the_professional_named_tells_two_appointments_apart(db: TestDb) {
    let evaluation = ("Avaliação", "Dr. Ricardo Lima", "2026-03-05T11:00:00-03:00");
    let peeling = ("Peeling Químico", "Juliana Reis", "2026-03-05T14:00:00-03:00");
    let mut chat = maria_with(db, &[evaluation, peeling]).await;
    chat.say("quero cancelar o horario com o dr ricardo, vou viajar a trabalho")
        .await
        .says(&["Avaliação", "05/03", "Posso confirmar o cancelamento?"])
        .never_says(&["Qual deles"]);
}

async fn moving_instead_of_the_cancellation_shown_drops_it(db: TestDb) {
    let limpeza = ("Limpeza de Pele", "Juliana Reis", "2026-03-05T10:00:00-03:00");
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, limpeza]).await;
    chat.say("quero cancelar o botox de quarta, vou viajar")
        .await
        .says(&["Cancelar Botox de quarta-feira, 04/03 às 10:00", "Posso confirmar o cancelamento?"]);
    // The same appointment, moved: no "which one?", and the cancellation is gone.
    chat.say("pensando bem, não cancela não. passa pra sexta no mesmo horário?")
        .await
        .called(&["list_appointments", "find_slots", "reschedule_appointment"])
        .says(&["para sexta-feira, 06/03 às 10:00"]);
    chat.say("sim").await.says(&["remarcado"]);

    let appointments = chat.world.appointments_of(MARIA).await;
    let botox = appointments.iter().find(|a| local(a.starts_at) == "2026-03-06 10:00");
    assert!(botox.is_some_and(|a| a.status == AppointmentStatus::Scheduled), "{appointments:?}");
    assert!(appointments.iter().all(|a| a.status == AppointmentStatus::Scheduled), "{appointments:?}");
}

async fn asking_which_appointment_drops_the_write_awaiting_a_yes(db: TestDb) {
    let limpeza = ("Limpeza de Pele", "Juliana Reis", "2026-03-05T10:00:00-03:00");
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY, limpeza]).await;
    chat.say("quero marcar um peeling sexta às 15h").await.says(&["Posso confirmar?"]);
    chat.say("na verdade preciso cancelar um horário").await.says(&["Qual deles você quer cancelar?"]);
    // The "sim" answers the question asked last, never the booking shown before it.
    chat.say("sim").await.not_called(&["book_appointment", "cancel_appointment"]);
    assert_eq!(chat.world.appointments_of(MARIA).await.len(), 2);
}

async fn the_new_day_is_after_the_para_that_names_one(db: TestDb) {
    let mut chat = maria_with(db, &[BOTOX_WEDNESDAY]).await;
    // The last "pra" ("não dá pra faltar") names no day: the one before it does.
    chat.say(
        "queria mudar meu botox de quarta pra sexta de manhã porque tenho uma reunião que não dá pra faltar",
    )
    .await
    .says(&["Vamos remarcar", "sexta, 06/03 09:00"]);
}
