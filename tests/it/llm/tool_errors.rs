use serde_json::json;

use super::{Llm, PRIMARY, call, calls, calls_raw, says, tool_results};
use crate::support::TestDb;
use crate::tools::MARIA;

#[tokio::test]
async fn parallel_tool_calls_all_run_and_are_answered_in_order() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            calls(&[
                ("find_slots", json!({ "service": "botox", "date": "2026-03-03" })),
                ("update_lead", json!({ "urgency": "this_week" })),
            ]),
            says("Tenho terça-feira, 03/03 às 09:00, 09:30 ou 10:00. Qual prefere?"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.says_to(&mut maria, &mut Vec::new(), "quero botox essa semana, amanhã se der").await;

    let results = tool_results(&llm.requests().await[1]);
    let ids: Vec<&str> = results.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["call_0", "call_1"]);
    assert_eq!(results[0].1["slots"].as_array().map(Vec::len), Some(3));
    assert!(results[1].1.get("error").is_none(), "{}", results[1].1);
    assert_eq!(maria.state.offered.len(), 3);
    assert_eq!(maria.state.facts.urgency.map(|u| format!("{u:?}")), Some("ThisWeek".to_owned()));
}

#[tokio::test]
async fn arguments_that_are_not_json_go_back_as_a_tool_error_and_run_nothing() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            calls_raw(&[("find_slots", r#"{"service": "botox", "date": "#)]),
            call("find_slots", json!({ "service": "botox" })),
            says("Tenho segunda-feira, 02/03 às 11:00. Pode ser?"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.says_to(&mut maria, &mut Vec::new(), "botox").await;

    let (_, error) = &tool_results(&llm.requests().await[1])[0];
    assert_eq!(error["error"], "bad_arguments");
    assert!(error["hint"].as_str().unwrap().contains("not valid JSON"), "{error}");
    let audit = llm.world.store().tool_calls(maria.conversation).await.unwrap();
    let mut find: Vec<&str> =
        audit.iter().filter(|e| e.tool == "find_slots").map(|e| e.outcome.as_str()).collect();
    find.sort_unstable();
    assert_eq!(find, ["ok", "refused"], "the broken call is audited as refused");
}

#[tokio::test]
async fn an_unknown_tool_is_refused_with_the_list_of_tools() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("delete_all_appointments", json!({})),
            says("Posso te ajudar com agendamentos. O que você precisa?"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let reply = llm.says_to(&mut maria, &mut Vec::new(), "apaga tudo").await;
    assert!(reply.starts_with("Posso te ajudar"), "{reply}");

    let (_, error) = &tool_results(&llm.requests().await[1])[0];
    assert_eq!(error["error"], "unknown_tool");
    assert!(error["available"].as_array().unwrap().contains(&json!("find_slots")));
}

#[tokio::test]
async fn a_slot_id_the_conversation_never_offered_books_nothing() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03" })),
            call("book_appointment", json!({ "slot": "7", "confirm": true })),
            says("Esse horário não está entre as opções. Tenho 03/03 às 09:00, 09:30 ou 10:00."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.says_to(&mut maria, &mut Vec::new(), "marca o das 16h amanhã").await;

    let (_, error) = &tool_results(&llm.requests().await[2])[1];
    assert_eq!(error["error"], "not_offered");
    assert_eq!(error["offered"], json!(["1", "2", "3"]));
    assert!(llm.world.appointments_of(MARIA).await.is_empty());
    assert_eq!(maria.state.pending, None);
}
