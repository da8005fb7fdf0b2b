use serde_json::json;
use sofia::agent::tools::ToolError;

use super::{JOAO, MARIA, World, local};
use crate::support::{TestDb, conformance};

conformance!(
    offers_real_slots_and_records_them,
    filters_by_professional_period_and_date,
    not_before_starts_the_search_at_a_time_of_the_first_day,
    busy_times_come_from_the_store,
    an_unknown_service_is_refused_with_the_valid_names,
    impossible_searches_are_refused_with_the_reason,
);

async fn offers_real_slots_and_records_them(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria Silva").await;
    let reply =
        world.call(&mut maria, "find_slots", json!({ "service": "toxina botulínica" })).await.unwrap();

    // 09:00 plus two hours of notice; Dra. Ana works on Mondays, lunch is 12:00–13:00.
    let slots = reply.json["slots"].as_array().unwrap();
    let labels: Vec<&str> = slots.iter().map(|s| s["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        [
            "segunda-feira, 02/03 às 11:00 com Dra. Ana Paula Souza",
            "segunda-feira, 02/03 às 11:30 com Dra. Ana Paula Souza",
            "segunda-feira, 02/03 às 13:00 com Dra. Ana Paula Souza",
        ]
    );
    assert_eq!(reply.json["service"], "Botox");
    assert_eq!(reply.json["price"], "R$ 800,00");
    let text = reply.text.unwrap();
    assert!(text.contains("1) segunda-feira, 02/03 às 11:00 com Dra. Ana Paula Souza"), "{text}");
    assert!(text.contains("3) segunda-feira, 02/03 às 13:00"), "{text}");

    let offered: Vec<(String, String)> =
        maria.state.offered.iter().map(|o| (o.id.to_string(), local(o.slot.start))).collect();
    assert_eq!(
        offered,
        [
            ("1".to_owned(), "2026-03-02 11:00".to_owned()),
            ("2".to_owned(), "2026-03-02 11:30".to_owned()),
            ("3".to_owned(), "2026-03-02 13:00".to_owned()),
        ]
    );
    assert_eq!(maria.state.facts.interest.as_deref(), Some("Botox"));

    // The state is saved with the call, for the next turn and the next worker.
    let stored = world.store().conversation(maria.conversation).await.unwrap().unwrap();
    assert_eq!(sofia_core::conversation::ConversationState::from_json(&stored.state), maria.state);

    // A new search replaces the offer.
    world.ok(&mut maria, "find_slots", json!({ "service": "limpeza", "limit": 5 })).await;
    assert_eq!(maria.state.offered.len(), 5);
    let limpeza = world.clinic.service_named("Limpeza de Pele").unwrap().id;
    assert!(maria.state.offered.iter().all(|o| o.slot.service == limpeza));
}

async fn filters_by_professional_period_and_date(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let search = json!({
        "service": "Botox", "professional": "dr ricardo", "date": "2026-03-03", "period": "tarde", "limit": 10
    });
    let found = world.ok(&mut maria, "find_slots", search).await;
    let slots = found["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 10);
    assert!(slots.iter().all(|s| s["professional"] == "Dr. Ricardo Lima" && s["date"] == "2026-03-03"));
    let times: Vec<&str> = slots.iter().map(|s| s["time"].as_str().unwrap()).collect();
    assert_eq!(times[..3], ["13:00", "13:30", "14:00"]);
    assert!(times.iter().all(|t| ("13:00".."18:00").contains(t)));

    // A range of days, in the morning; "manhã" is understood too.
    let range = json!({ "service": "limpeza de pele", "date": "2026-03-07", "date_to": "2026-03-09", "period": "manhã", "limit": 10 });
    let found = world.ok(&mut maria, "find_slots", range).await;
    let days: Vec<&str> =
        found["slots"].as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap()).collect();
    // Saturday morning 09:00–12:00 (Saturday's hours, 09–13, are all morning), Sunday closed,
    // then Monday.
    assert_eq!(days.iter().filter(|d| **d == "2026-03-07").count(), 7);
    assert!(days.iter().all(|d| *d != "2026-03-08"));
    assert_eq!(days.last().copied(), Some("2026-03-09"));
}

async fn busy_times_come_from_the_store(db: TestDb) {
    let world = World::new(db).await;
    let joao = world.patient(JOAO, "João").await;
    world.appointment(&joao, "Botox", "Dr. Ricardo Lima", "2026-03-03T13:00:00-03:00").await;
    world.appointment(&joao, "Peeling Químico", "Dr. Ricardo Lima", "2026-03-03T14:00:00-03:00").await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let found = world
        .ok(&mut maria, "find_slots", json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" }))
        .await;
    let times: Vec<&str> =
        found["slots"].as_array().unwrap().iter().map(|s| s["time"].as_str().unwrap()).collect();
    assert_eq!(times, ["13:30", "15:00", "15:30"]);
}

async fn an_unknown_service_is_refused_with_the_valid_names(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", json!({ "service": "botox" })).await;
    let before = maria.state.clone();
    let refused = world.call(&mut maria, "find_slots", json!({ "service": "depilação a laser" })).await;
    let Err(error @ ToolError::UnknownName { .. }) = refused else { panic!("{refused:?}") };
    let message = error.to_string();
    for name in ["Avaliação", "Botox", "Limpeza de Pele", "Lipo de Papada"] {
        assert!(message.contains(name), "{message}");
    }
    assert!(
        error.patient_message().contains("Trabalhamos com: Avaliação, Botox"),
        "{}",
        error.patient_message()
    );
    assert_eq!(error.to_json()["valid"].as_array().unwrap().len(), world.clinic.services.len());
    assert_eq!(maria.state, before, "a refused search keeps the previous offer");
}

async fn impossible_searches_are_refused_with_the_reason(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let cases = [
        (json!({ "service": "botox", "date": "2026-03-01" }), "date", "in the past"),
        (json!({ "service": "botox", "date": "03/03/2026" }), "date", "YYYY-MM-DD"),
        (json!({ "service": "botox", "date": "2026-06-30" }), "date", "at most until 2026-05-01"),
        (json!({ "service": "botox", "date": "2026-03-05", "date_to": "2026-03-04" }), "date_to", "before"),
        (json!({ "service": "botox", "professional": "juliana" }), "professional", "does not perform Botox"),
        (json!({ "service": "botox", "limit": 0 }), "limit", "from 1 to 10"),
        (json!({ "service": "botox", "limit": 11 }), "limit", "from 1 to 10"),
    ];
    for (arguments, expected_field, expected_problem) in cases {
        match world.call(&mut maria, "find_slots", arguments.clone()).await {
            Err(ToolError::Invalid { field, problem }) => {
                assert_eq!(field, expected_field, "{arguments}");
                assert!(problem.contains(expected_problem), "{arguments}: {problem}");
            }
            other => panic!("{arguments}: {other:?}"),
        }
    }
    let unknown = world
        .call(&mut maria, "find_slots", json!({ "service": "botox", "professional": "Dr. House" }))
        .await;
    assert!(matches!(unknown, Err(ToolError::UnknownName { .. })), "{unknown:?}");
    assert!(maria.state.offered.is_empty());
}

async fn not_before_starts_the_search_at_a_time_of_the_first_day(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let search = json!({ "service": "botox", "date": "2026-03-03", "not_before": "16:30", "limit": 10 });
    world.ok(&mut maria, "find_slots", search).await;
    let starts: Vec<String> = maria.state.offered.iter().map(|o| local(o.slot.start)).collect();
    assert_eq!(
        starts,
        ["2026-03-03 16:30", "2026-03-03 17:00", "2026-03-03 17:30", "2026-03-03 18:00", "2026-03-03 18:30"]
    );

    let refused =
        world.call(&mut maria, "find_slots", json!({ "service": "botox", "not_before": "3pm" })).await;
    let Err(error @ ToolError::Invalid { field: "not_before", .. }) = refused else { panic!("{refused:?}") };
    assert_eq!(error.patient_message(), "Não consegui entender o horário. Pode me dizer de outro jeito?");
}
