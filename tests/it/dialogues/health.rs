//! What the patient says about their health that rules a procedure out (the clinic file's
//! contraindication cues): no booking of it, no medical opinion, an Avaliação offered.

use super::{Dialogue, MARIA, sqlite_only};
use crate::support::{TestDb, conformance};

conformance!(breastfeeding_rules_out_lip_filler_and_offers_the_evaluation);

sqlite_only!(
    a_cue_said_before_the_procedure_still_rules_it_out,
    a_cue_alone_names_what_it_rules_out,
    a_cue_does_not_rule_out_other_procedures,
);

async fn breastfeeding_rules_out_lip_filler_and_offers_the_evaluation(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    let answer = chat.say("estou amamentando, posso fazer preenchimento?").await;
    answer
        .says(&[
            "amamentando",
            "não posso agendar Preenchimento Labial",
            "Avaliação gratuita com Dra. Ana Paula Souza",
        ])
        .never_says(&["R$ 1.200,00"]);
    assert!(answer.calls.iter().all(|call| call.tool != "find_slots" && call.tool != "book_appointment"));
    let days = chat.say("sim").await;
    days.says(&["Para qual dia", "Avaliação"]);
    let offer = chat.say("quarta de manhã").await;
    assert_eq!(offer.arguments("find_slots")["service"], "Avaliação");
    assert_eq!(offer.arguments("find_slots")["professional"], "Dra. Ana Paula Souza");
    assert!(chat.world.appointments_of(MARIA).await.is_empty());
}

async fn a_cue_said_before_the_procedure_still_rules_it_out(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("oi, to gravida de 4 meses").await.says(&["Avaliação"]);
    chat.say("não").await;
    chat.say("quero marcar botox amanhã").await.says(&["não posso agendar Botox"]).never_says(&["13:00"]);
}

async fn a_cue_alone_names_what_it_rules_out(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tomo isotretinoína")
        .await
        .called(&[])
        .says(&["Peeling Químico", "Limpeza de Pele", "Microagulhamento", "Avaliação"])
        .never_says(&["Botox"]);
    chat.say("quero marcar um peeling").await.says(&["não posso agendar Peeling Químico"]);
}

async fn a_cue_does_not_rule_out_other_procedures(db: TestDb) {
    let mut chat = Dialogue::new(db, MARIA, "Maria").await;
    chat.say("tomo roacutan, mas queria botox amanhã à tarde")
        .await
        .says(&["Botox", "13:00"])
        .never_says(&["não posso agendar"]);
}
