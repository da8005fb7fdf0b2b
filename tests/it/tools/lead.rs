use serde_json::json;
use sofia::store::Owner;
use sofia_core::domain::{FunnelStage, Temperature};

use super::{MARIA, World};
use crate::support::{TestDb, conformance};

conformance!(update_lead_qualifies_with_reasons, handoff_makes_the_conversation_human_owned);

async fn update_lead_qualifies_with_reasons(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    let facts = json!({
        "interest": "toxina botulínica",
        "urgency": "this_week",
        "desired_period": "tarde",
        "budget": "asked_installments",
        "name": "Maria Souza"
    });
    let reply = world.call(&mut maria, "update_lead", facts).await.unwrap();
    assert_eq!(reply.text, None, "a lead's score is not for the patient");
    assert_eq!(reply.json["score"], 55);
    assert_eq!(reply.json["temperature"], "warm");
    assert_eq!(reply.json["stage"], "interested");
    assert_eq!(
        reply.json["reasons"],
        json!([
            "+20 interested in Botox",
            "+10 prefers the tarde period",
            "+15 wants to come this week",
            "+10 asked about paying in instalments"
        ])
    );
    let lead = world.store().lead_by_phone(world.clinic.id, &maria.phone).await.unwrap().unwrap();
    assert_eq!((lead.score, lead.temperature, lead.stage), (55, Temperature::Warm, FunnelStage::Interested));
    assert_eq!((lead.interest.as_deref(), lead.name.as_deref()), (Some("Botox"), Some("Maria Souza")));
    assert_eq!((lead.source.as_str(), &lead.facts["urgency"]), ("whatsapp", &json!("this_week")));
    assert_eq!(maria.state.patient_name.as_deref(), Some("Maria Souza"));

    // Facts merge: a later call adds and replaces, never forgets.
    let reply =
        world.ok(&mut maria, "update_lead", json!({ "source": "referral", "budget": "accepts_price" })).await;
    assert_eq!(reply["score"], 70);
    assert_eq!(reply["temperature"], "hot");
    let lead = world.store().lead_by_phone(world.clinic.id, &maria.phone).await.unwrap().unwrap();
    assert_eq!((lead.source.as_str(), lead.interest.as_deref()), ("referral", Some("Botox")));

    let refused = world.call(&mut maria, "update_lead", json!({ "desired_date": "2026-02-20" })).await;
    assert!(refused.is_err(), "a wish for a past day is a misunderstanding");
    let refused = world.call(&mut maria, "update_lead", json!({ "urgency": "yesterday" })).await;
    assert!(refused.is_err());
}

async fn handoff_makes_the_conversation_human_owned(db: TestDb) {
    let world = World::new(db).await;
    let mut maria = world.chat(MARIA, "Maria").await;
    world.ok(&mut maria, "find_slots", json!({ "service": "botox" })).await;
    world.ok(&mut maria, "book_appointment", json!({ "slot": "1" })).await;

    let reply = world
        .call(&mut maria, "handoff_to_human", json!({ "reason": "pediu para falar com uma atendente" }))
        .await
        .unwrap();
    assert!(reply.text.unwrap().contains("alguém da nossa equipe"));
    let conversation = world.store().conversation(maria.conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Human);
    assert!(!conversation.owner.bot_may_reply(world.now()));
    let handoffs = world.store().handoffs(world.clinic.id, true).await.unwrap();
    assert_eq!(handoffs.len(), 1);
    assert_eq!(
        (handoffs[0].conversation_id, handoffs[0].reason.as_str()),
        (maria.conversation, "pediu para falar com uma atendente")
    );
    assert_eq!(reply.json["handoff_id"], handoffs[0].id.to_string());
    assert_eq!(maria.state.pending, None, "the team settles what was awaiting confirmation");

    let refused = world.call(&mut maria, "handoff_to_human", json!({ "reason": "  " })).await;
    assert!(refused.is_err());
}
