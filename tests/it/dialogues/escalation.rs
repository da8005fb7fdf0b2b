//! When a person must step in: a complaint, a dispute about money, two turns in a row that
//! could not be placed. Sofia apologises, hands the conversation to the team with the reason,
//! and says what happens next. (A patient who asks for a person, or may be in an emergency, is
//! answered by the engine's guards before the brain: `tests/it/engine/guards.rs`.)

use sofia::store::Owner;

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};

conformance!(a_complaint_goes_to_a_person);

sqlite_only!(
    a_money_dispute_goes_to_a_person,
    anger_in_the_middle_of_a_booking_goes_to_a_person,
    two_turns_not_understood_in_a_row_go_to_a_person,
    an_understood_turn_starts_the_count_again,
    the_clinic_judged_in_general_words_goes_to_a_person,
    a_charge_with_an_objection_goes_to_a_person,
    a_call_for_attention_after_a_miss_is_a_second_miss,
    a_greeting_after_an_answer_is_answered,
    a_call_for_attention_days_after_a_miss_is_greeted,
    a_question_nothing_answers_is_said_so_with_a_person_offered,
    the_person_offered_may_be_declined,
);

async fn owner(chat: &Dialogue) -> Owner {
    chat.world.store().conversation(chat.state_id()).await.unwrap().unwrap().owner
}

async fn handoff_reasons(chat: &Dialogue) -> Vec<String> {
    let handoffs = chat.world.store().handoffs(chat.world.clinic.id, true).await.unwrap();
    handoffs.into_iter().map(|handoff| handoff.reason).collect()
}

async fn a_complaint_goes_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("fiquei muito insatisfeita com o resultado do meu preenchimento")
        .await
        .called(&["handoff_to_human"])
        .says(&["Sinto muito", "nossa equipe", "em breve alguém continua com você por aqui"])
        .never_says(&["Preenchimento Labial", "R$"]);
    assert_eq!(owner(&chat).await, Owner::Human);
    assert_eq!(handoff_reasons(&chat).await, ["reclamação ou insatisfação do paciente"]);
}

async fn a_money_dispute_goes_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("vcs me cobraram duas vezes no cartão, quero meu dinheiro de volta")
        .await
        .called(&["handoff_to_human"])
        .says(&["Desculpe", "reembolsos são resolvidos pela nossa equipe"]);
    assert_eq!(handoff_reasons(&chat).await, ["contestação de cobrança, taxa ou pedido de reembolso"]);
}

async fn anger_in_the_middle_of_a_booking_goes_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await.called(&["update_lead", "find_slots"]);
    chat.say("isso é um absurdo, ninguém me responde direito").await.called(&["handoff_to_human"]);
    assert_eq!(owner(&chat).await, Owner::Human);
    assert!(chat.state().await.pending.is_none());
}

async fn two_turns_not_understood_in_a_row_go_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await.called(&[]).says(&["não entendi bem"]);
    chat.say("qwerty uiop")
        .await
        .called(&["handoff_to_human"])
        .says(&["não estou conseguindo entender", "em breve alguém continua com você"]);
    assert_eq!(owner(&chat).await, Owner::Human);
    assert_eq!(handoff_reasons(&chat).await, ["o assistente não entendeu o paciente duas vezes seguidas"]);
}

async fn an_understood_turn_starts_the_count_again(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await.says(&["não entendi bem"]);
    chat.say("qual o endereço?").await.says(&["Av. Paulista"]);
    chat.say("zxcvb").await.called(&[]).says(&["não entendi bem"]);
    assert_eq!(owner(&chat).await, Owner::Bot);
}

async fn the_clinic_judged_in_general_words_goes_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("quero marcar botox amanhã à tarde").await.called(&["update_lead", "find_slots"]);
    chat.say("to esperando há horas uma resposta de vcs")
        .await
        .called(&["handoff_to_human"])
        .says(&["Sinto muito"]);
    assert_eq!(handoff_reasons(&chat).await, ["reclamação ou insatisfação do paciente"]);
}

async fn a_charge_with_an_objection_goes_to_a_person(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("veio um valor a mais na minha fatura, 250 reais").await.called(&["handoff_to_human"]);
    assert_eq!(handoff_reasons(&chat).await, ["contestação de cobrança, taxa ou pedido de reembolso"]);
}

async fn a_call_for_attention_after_a_miss_is_a_second_miss(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await.says(&["não entendi bem"]);
    chat.say("alô??")
        .await
        .called(&["handoff_to_human"])
        .says(&["não estou conseguindo entender"])
        .never_says(&["assistente virtual"]);
    assert_eq!(owner(&chat).await, Owner::Human);
}

async fn a_call_for_attention_days_after_a_miss_is_greeted(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("asdfgh").await.says(&["não entendi bem"]);
    chat.world.clock.advance(chrono::Duration::days(2));
    chat.say("oi?").await.called(&[]).says(&["assistente virtual"]);
    chat.say("qwerty").await.says(&["não entendi bem"]).not_called(&["handoff_to_human"]);
    assert_eq!(owner(&chat).await, Owner::Bot);
}

async fn a_greeting_after_an_answer_is_answered(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("qual o endereço?").await.says(&["Av. Paulista"]);
    chat.say("oi?").await.called(&[]).says(&["assistente virtual"]);
    assert_eq!(owner(&chat).await, Owner::Bot);
}

async fn a_question_nothing_answers_is_said_so_with_a_person_offered(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("vcs tem cartão fidelidade?")
        .await
        .not_called(&["handoff_to_human"])
        .says(&["não tenho informação", "pessoa da nossa equipe"])
        .never_says(&["Aceitamos", "PIX"]);
    chat.say("sim").await.called(&["handoff_to_human"]);
    assert_eq!(owner(&chat).await, Owner::Human);
    assert_eq!(
        handoff_reasons(&chat).await,
        ["o paciente perguntou algo que as informações da clínica não cobrem"]
    );
}

async fn the_person_offered_may_be_declined(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tem cartao fidelidade ai?").await.says(&["não tenho informação"]);
    chat.say("não, obrigada").await.not_called(&["handoff_to_human"]);
    chat.say("aceita pix?").await.says(&["PIX"]);
    assert_eq!(owner(&chat).await, Owner::Bot);
}
