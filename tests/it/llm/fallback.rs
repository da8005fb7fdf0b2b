use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::ResponseTemplate;

use super::{FALLBACK, Llm, PRIMARY, STAND_IN_REPLY, call, says};
use crate::support::TestDb;
use crate::tools::MARIA;

#[tokio::test]
async fn a_429_is_waited_out_as_the_server_asks_then_answered() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![ResponseTemplate::new(429).insert_header("retry-after", "1"), says("Oi! Como posso ajudar?")],
    )
    .await;
    let mut maria = llm.chat().await;
    let started = Instant::now();
    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
    assert_eq!(super::patient_safe(&draft), "Oi! Como posso ajudar?");
    let usage = draft.usage.unwrap();
    assert_eq!((usage.model.as_str(), usage.requests), (PRIMARY, 2));
}

#[tokio::test]
async fn a_429_asking_for_too_long_goes_to_the_next_model_at_once() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![ResponseTemplate::new(429).insert_header("retry-after", "3600")]).await;
    llm.script(FALLBACK, vec![says("Oi!")]).await;
    let mut maria = llm.chat().await;
    let started = Instant::now();
    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(draft.usage.unwrap().model, FALLBACK);
}

#[tokio::test]
async fn repeated_500s_fall_back_to_the_next_model_then_to_the_rules_brain() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    let down = || ResponseTemplate::new(500).set_body_string("upstream exploded");
    llm.script(PRIMARY, vec![down(), down()]).await;
    llm.script(FALLBACK, vec![says("Oi! Como posso ajudar?"), down()]).await;
    let mut maria = llm.chat().await;

    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert_eq!(super::patient_safe(&draft), "Oi! Como posso ajudar?");
    assert_eq!(draft.usage.unwrap().model, FALLBACK);

    let draft = llm.turn(&mut maria, &[], "oi?").await.unwrap();
    assert_eq!(super::patient_safe(&draft), STAND_IN_REPLY);
    assert_eq!(draft.usage.map(|u| u.requests), Some(2), "both models were asked first");
}

#[tokio::test]
async fn a_timeout_falls_back_to_the_next_model() {
    let llm = Llm::with(TestDb::sqlite().await, |config| config.timeout_s = 1).await;
    llm.script(PRIMARY, vec![says("tarde demais").set_delay(Duration::from_secs(3))]).await;
    llm.script(FALLBACK, vec![says("Oi! Como posso ajudar?")]).await;
    let mut maria = llm.chat().await;
    let draft = llm.turn(&mut maria, &[], "oi").await.unwrap();
    assert_eq!(super::patient_safe(&draft), "Oi! Como posso ajudar?");
}

#[tokio::test]
async fn a_model_that_fails_mid_turn_hands_over_the_conversation_so_far() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![call("find_slots", json!({ "service": "botox", "date": "2026-03-03" }))]).await;
    llm.script(FALLBACK, vec![says("Tenho terça-feira, 03/03 às 09:00. Pode ser?")]).await;
    let mut maria = llm.chat().await;
    llm.turn(&mut maria, &[], "botox amanhã").await.unwrap();

    let requests = llm.requests().await;
    let to_fallback = requests.iter().find(|r| r["model"] == FALLBACK).unwrap();
    assert_eq!(super::tool_results(to_fallback).len(), 1, "the fallback model sees the tool result");
}

#[tokio::test]
async fn a_write_made_before_every_model_failed_is_told_in_the_tool_s_words() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03" })),
            says("Tenho terça-feira, 03/03 às 09:00. Pode ser?"),
            call("book_appointment", json!({ "slot": "1" })),
            says("Agendamento de Botox para terça-feira, 03/03 às 09:00. Posso confirmar?"),
            call("book_appointment", json!({ "confirm": true })),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.turn(&mut maria, &[], "botox amanhã cedo").await.unwrap();
    let draft = llm.turn(&mut maria, &[], "pode").await.unwrap();
    assert!(super::patient_safe(&draft).ends_with("Posso confirmar?"));
    // The confirmation books, then both models fail to word it.
    let draft = llm.turn(&mut maria, &[], "sim").await.unwrap();
    let reply = super::patient_safe(&draft);
    assert!(reply.starts_with("Pronto, está agendado! Botox — terça-feira, 03/03 às 09:00"), "{reply}");
    assert_eq!(llm.world.appointments_of(MARIA).await.len(), 1);
}
