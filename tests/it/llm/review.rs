use serde_json::json;
use sofia::store::Owner;

use super::{FALLBACK, Llm, PRIMARY, STAND_IN_REPLY, call, roles, says};
use crate::support::TestDb;

#[tokio::test]
async fn an_invented_time_gets_one_corrective_retry() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" })),
            says("Tenho terça às 15:00 ou 16:30!"),
            says("Tenho terça-feira, 03/03 às 13:00, 13:30 ou 14:00. Qual prefere?"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let reply = llm.says_to(&mut maria, &mut Vec::new(), "botox amanhã à tarde").await;
    assert_eq!(reply, "Tenho terça-feira, 03/03 às 13:00, 13:30 ou 14:00. Qual prefere?");

    let retry = &llm.requests().await[2];
    assert_eq!(roles(retry).last().map(String::as_str), Some("system"), "a role no patient can write in");
    let correction =
        retry["messages"].as_array().unwrap().last().unwrap()["content"].as_str().unwrap().to_owned();
    assert!(correction.contains("15:00, 16:30") && correction.contains("find_slots"), "{correction}");
}

#[tokio::test]
async fn a_time_invented_twice_is_replaced_by_the_state_s_offer() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("find_slots", json!({ "service": "botox", "date": "2026-03-03", "period": "tarde" })),
            says("Tenho às 15:00!"),
            says("Desculpe, o certo é 17:00."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let reply = llm.says_to(&mut maria, &mut Vec::new(), "botox amanhã à tarde").await;
    assert!(
        reply.starts_with(
            "Tenho estes horários:\n1) Botox — terça-feira, 03/03 às 13:00 com Dr. Ricardo Lima"
        ),
        "{reply}"
    );
    assert!(!reply.contains("15:00") && !reply.contains("17:00"));
}

#[tokio::test]
async fn a_time_with_no_offer_at_all_becomes_a_question() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Pode vir amanhã às 10h!"), says("Amanhã às 10h está ótimo.")]).await;
    let mut maria = llm.chat().await;
    let reply = llm.says_to(&mut maria, &mut Vec::new(), "tem horário amanhã?").await;
    assert!(reply.starts_with("Para te passar horários certinhos"), "{reply}");
}

#[tokio::test]
async fn a_diagnosis_is_never_sent() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Pelo que você descreveu, você tem uma alergia. Tome um antialérgico.")])
        .await;
    let mut maria = llm.chat().await;
    let reply = llm
        .says_to(
            &mut maria,
            &mut Vec::new(),
            "apareceu uma mancha vermelha no meu rosto que coça, o que pode ser?",
        )
        .await;
    assert!(reply.contains("Avaliação") && !reply.contains("alergia"), "{reply}");
}

/// After a procedure, the same symptoms are the professional's: the diagnosis is dropped and
/// the conversation handed over, rather than answered with an offer of an Avaliação.
#[tokio::test]
async fn a_worry_after_a_procedure_the_model_diagnosed_is_handed_over() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Pelo que você descreveu, você tem uma alergia. Tome um antialérgico.")])
        .await;
    let mut maria = llm.chat().await;
    let reply = llm
        .says_to(&mut maria, &mut Vec::new(), "meu rosto ficou vermelho e coçando depois do peeling")
        .await;
    assert!(!reply.contains("alergia") && !reply.contains("Avaliação"), "{reply}");
    assert!(
        reply.contains("acompanha o seu procedimento") && reply.contains("Já avisei nossa equipe"),
        "{reply}"
    );
    let handoffs = llm.world.store().handoffs(llm.world.clinic.id, true).await.unwrap();
    let reasons: Vec<&str> = handoffs.iter().map(|handoff| handoff.reason.as_str()).collect();
    assert_eq!(reasons, ["paciente preocupado com sintomas depois de um procedimento"]);
}

#[tokio::test]
async fn a_promised_human_is_a_handoff_made() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Claro! Vou chamar alguém da nossa equipe para falar com você.")]).await;
    let mut maria = llm.chat().await;
    let reply = llm.says_to(&mut maria, &mut Vec::new(), "quero falar com uma pessoa").await;
    assert!(reply.starts_with("Claro!"), "{reply}");

    let conversation = llm.world.store().conversation(maria.conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Human);
    let handoffs = llm.world.store().handoffs(llm.world.clinic.id, true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
}

#[tokio::test]
async fn a_complaint_the_model_only_apologised_for_is_handed_to_the_team() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says("Sinto muito pelo ocorrido!")]).await;
    let mut maria = llm.chat().await;
    let reply = llm
        .says_to(&mut maria, &mut Vec::new(), "fiquei muito insatisfeita com o resultado do preenchimento")
        .await;
    assert!(reply.starts_with("Sinto muito pelo ocorrido!") && reply.contains("nossa equipe"), "{reply}");
    let handoffs = llm.world.store().handoffs(llm.world.clinic.id, true).await.unwrap();
    let reasons: Vec<&str> = handoffs.iter().map(|handoff| handoff.reason.as_str()).collect();
    assert_eq!(reasons, ["reclamação ou insatisfação do paciente"]);
}

#[tokio::test]
async fn a_money_dispute_the_model_handed_over_is_handed_over_once() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("handoff_to_human", json!({ "reason": "cobrança contestada" })),
            says("Entendo. Vou passar para a nossa equipe financeira."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.says_to(&mut maria, &mut Vec::new(), "vocês me cobraram duas vezes, quero meu dinheiro de volta")
        .await;
    assert_eq!(llm.world.store().handoffs(llm.world.clinic.id, true).await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_handoff_the_model_made_is_not_made_twice() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            call("handoff_to_human", json!({ "reason": "asked for a human" })),
            says("Vou chamar alguém da nossa equipe, só um instante!"),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    llm.says_to(&mut maria, &mut Vec::new(), "quero falar com uma pessoa").await;
    assert_eq!(llm.world.store().handoffs(llm.world.clinic.id, true).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_empty_reply_moves_to_the_next_model_and_then_to_the_rules_brain() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(PRIMARY, vec![says(""), says("")]).await;
    llm.script(FALLBACK, vec![says("Oi! Como posso ajudar?"), says("   ")]).await;
    let mut maria = llm.chat().await;
    let mut history = Vec::new();

    let first = llm.says_to(&mut maria, &mut history, "oi").await;
    assert_eq!(first, "Oi! Como posso ajudar?");
    let second = llm.says_to(&mut maria, &mut history, "oi?").await;
    assert_eq!(second, STAND_IN_REPLY);
}

/// A patient talks the model into a discount: the reply that would promise it in writing is
/// replaced by the clinic's own price list.
#[tokio::test]
async fn a_discount_the_clinic_never_offered_is_never_promised() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    llm.script(
        PRIMARY,
        vec![
            says("Claro, Maria! Para você faço o botox com 50% de desconto. 😉"),
            says("Tudo bem, fecho o botox por R$ 650,00 à vista."),
        ],
    )
    .await;
    let mut maria = llm.chat().await;
    let mut history = Vec::new();

    let reply = llm.says_to(&mut maria, &mut history, "minha amiga pagou metade, faz 50% pra mim?").await;
    assert!(!reply.contains("50%") && !reply.contains("desconto"), "{reply}");
    assert!(reply.contains("Botox: R$ 800,00"), "the clinic's own prices: {reply}");

    let reply = llm.says_to(&mut maria, &mut history, "e por 650 à vista?").await;
    assert!(!reply.contains("R$ 650,00"), "{reply}");
}

/// The clinic's prices, and instalments of them, pass as written.
#[tokio::test]
async fn the_clinic_s_own_prices_pass_the_review() {
    let llm = Llm::new(TestDb::sqlite().await).await;
    let said = "O botox custa R$ 800,00 por sessão, e dá para pagar em 2x de R$ 400,00.";
    llm.script(PRIMARY, vec![says(said)]).await;
    let mut maria = llm.chat().await;

    assert_eq!(llm.says_to(&mut maria, &mut Vec::new(), "quanto custa o botox?").await, said);
}
