//! Each route on real data: what the team sees and what its actions change in the store.

use serde_json::{Value, json};
use sofia::store::{ApiRole, Owner};

use super::{Api, MARIA};
use crate::support::{TestDb, conformance};

conformance!(
    agents_see_who_waits_for_a_person_and_resolve_it,
    leads_come_with_their_reasons_filtered_by_stage_and_temperature,
    lists_are_read_a_page_at_a_time,
    the_agenda_is_read_by_day_professional_and_status,
    the_team_marks_and_cancels_appointments,
    a_patient_is_found_by_phone_or_name_with_everything_about_them,
    an_admin_sells_a_package_and_its_balance_shows,
    conversations_show_their_owner_messages_and_state,
    the_metrics_of_a_period_count_its_appointments_leads_and_handoffs,
    bad_input_is_a_400_that_names_it,
);

const DEMO: &str = "/api/v1/clinics/demo";

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap_or_else(|| panic!("a page: {page}"))
}

async fn agents_see_who_waits_for_a_person_and_resolve_it(db: TestDb) {
    let api = Api::start(db).await;
    let agent = api.key(Some("demo"), ApiRole::Agent).await;
    let handoff = api.demo.handoff.0.to_string();

    let (status, open) = api.get(&format!("{DEMO}/handoffs"), &agent).await;
    assert_eq!(status, 200);
    assert_eq!(items(&open).len(), 1);
    assert_eq!(items(&open)[0]["id"], handoff.as_str());
    assert_eq!(items(&open)[0]["reason"], "o paciente pediu para falar com uma pessoa");
    assert_eq!(items(&open)[0]["phone"], MARIA, "who is waiting");

    let (status, resolved) =
        api.post(&format!("{DEMO}/handoffs/{handoff}/resolve"), &agent, json!({"by": "Carla"})).await;
    assert_eq!(status, 200, "{resolved}");
    assert_eq!((resolved["open"].as_bool(), resolved["resolved_by"].as_str()), (Some(false), Some("Carla")));
    assert_eq!(resolved["phone"], MARIA);
    let conversation = api.db.store.conversation(api.demo.conversation).await.unwrap().unwrap();
    assert_eq!(conversation.owner, Owner::Bot, "the bot answers again");

    let (status, again) = api.post(&format!("{DEMO}/handoffs/{handoff}/resolve"), &agent, json!({})).await;
    assert_eq!((status, again["error"]["code"].as_str()), (409, Some("conflict")));
    assert!(items(&api.get(&format!("{DEMO}/handoffs"), &agent).await.1).is_empty());
    assert_eq!(items(&api.get(&format!("{DEMO}/handoffs?status=all"), &agent).await.1).len(), 1);
}

async fn leads_come_with_their_reasons_filtered_by_stage_and_temperature(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;

    let (status, hot) = api.get(&format!("{DEMO}/leads?temperature=hot&stage=scheduled"), &viewer).await;
    assert_eq!(status, 200);
    let lead = &items(&hot)[0];
    assert_eq!((lead["phone"].as_str(), lead["score"].as_u64()), (Some(MARIA), Some(85)));
    // The reasons stored with the score, as the scorer wrote them.
    let reasons: Vec<&str> = lead["reasons"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(reasons, ["quer Botox esta semana"]);
    assert!(items(&api.get(&format!("{DEMO}/leads?temperature=cold"), &viewer).await.1).is_empty());
    assert!(items(&api.get(&format!("{DEMO}/leads?stage=lost"), &viewer).await.1).is_empty());
}

async fn lists_are_read_a_page_at_a_time(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;
    let clinic = api.knowledge.clinic("demo").id;
    for i in 0..4 {
        let phone = sofia_core::domain::Phone::parse(&format!("+55119000000{i:02}")).unwrap();
        api.db.store.upsert_patient(clinic, &phone, None, crate::support::at(crate::app::NOW)).await.unwrap();
    }
    let mut phones = Vec::new();
    let mut path = format!("{DEMO}/patients?limit=2");
    loop {
        let (status, page) = api.get(&path, &viewer).await;
        assert_eq!(status, 200, "{page}");
        phones.extend(items(&page).iter().map(|p| p["phone"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("{DEMO}/patients?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(phones.len(), 5, "Maria and four more, each once: {phones:?}");
    phones.sort();
    phones.dedup();
    assert_eq!(phones.len(), 5);
}

async fn the_agenda_is_read_by_day_professional_and_status(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;
    let count = |query: &str| {
        let path = format!("{DEMO}/appointments?{query}");
        let api = &api;
        let viewer = &viewer;
        async move {
            let (status, page) = api.get(&path, viewer).await;
            assert_eq!(status, 200, "{path}: {page}");
            items(&page).len()
        }
    };

    assert_eq!(count("day=2026-03-03").await, 1);
    assert_eq!(count("day=2026-03-04").await, 0);
    assert_eq!(count("professional=Dr.%20Ricardo%20Lima").await, 1);
    assert_eq!(count("professional=Juliana%20Reis").await, 0);
    assert_eq!(count("status=scheduled&day=2026-03-03").await, 1);
    assert_eq!(count("status=cancelled").await, 0);
    let (_, page) = api.get(&format!("{DEMO}/appointments"), &viewer).await;
    let appointment = &items(&page)[0];
    assert_eq!(
        (appointment["service"].as_str(), appointment["professional"].as_str()),
        (Some("Botox"), Some("Dr. Ricardo Lima"))
    );
    assert_eq!(appointment["starts_at"], "2026-03-03T17:00:00Z");
}

async fn the_team_marks_and_cancels_appointments(db: TestDb) {
    let api = Api::start(db).await;
    let agent = api.key(Some("demo"), ApiRole::Agent).await;
    let appointment = api.demo.appointment.0;

    let (status, marked) = api
        .post(&format!("{DEMO}/appointments/{appointment}/mark"), &agent, json!({"status": "no_show"}))
        .await;
    assert_eq!((status, marked["status"].as_str()), (200, Some("no_show")), "{marked}");
    let stats = api.app.scheduler.stats().await.unwrap();
    assert_eq!(stats.due, 1, "the no-show follow-up is planned, as `sofia appointments mark` plans it");

    let (status, refused) = api
        .post(&format!("{DEMO}/appointments/{appointment}/cancel"), &agent, json!({"reason": "agenda"}))
        .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (409, Some("conflict")),
        "a no-show is not cancelled"
    );

    let other = super::seed(api.db.store.as_ref(), &api.knowledge.clinic("outra")).await;
    let outra_agent = api.key(Some("outra"), ApiRole::Agent).await;
    let path = format!("/api/v1/clinics/outra/appointments/{}/cancel", other.appointment.0);
    let (status, cancelled) =
        api.post(&path, &outra_agent, json!({"reason": "a profissional adoeceu"})).await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation_reason"], "a profissional adoeceu");
    assert!(cancelled["late_fee_cents"].is_null(), "no fee on the clinic's side");
}

async fn a_patient_is_found_by_phone_or_name_with_everything_about_them(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;

    let (_, by_phone) = api.get(&format!("{DEMO}/patients?phone=%2B55%2011%2098765-4321"), &viewer).await;
    let (_, by_name) = api.get(&format!("{DEMO}/patients?name=maria"), &viewer).await;
    assert_eq!(items(&by_phone)[0]["name"], "Maria Silva");
    assert_eq!(items(&by_name)[0]["phone"], MARIA);
    assert!(items(&api.get(&format!("{DEMO}/patients?name=Jo%C3%A3o"), &viewer).await.1).is_empty());

    let (status, detail) = api.get(&format!("{DEMO}/patients/{}", api.demo.patient.0), &viewer).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["patient"]["name"], "Maria Silva");
    assert_eq!(detail["appointments"].as_array().unwrap().len(), 1);
    assert_eq!(detail["lead"]["temperature"], "hot");
    assert_eq!(detail["packages"], json!([]));
}

async fn an_admin_sells_a_package_and_its_balance_shows(db: TestDb) {
    let api = Api::start(db).await;
    let admin = api.key(Some("demo"), ApiRole::Admin).await;
    let path = format!("{DEMO}/patients/{}/packages", api.demo.patient.0);

    let (status, sold) = api.post(&path, &admin, json!({"package": "Limpeza de Pele — 4 sessões"})).await;
    assert_eq!(status, 201, "{sold}");
    assert_eq!(
        (sold["purchased_on"].as_str(), sold["sessions_remaining"].as_u64()),
        (Some("2026-03-02"), Some(4))
    );

    let (status, balance) = api.get(&path, &admin).await;
    assert_eq!(status, 200);
    assert_eq!(balance.as_array().unwrap().len(), 1);
    assert_eq!(balance[0]["package"], "Limpeza de Pele — 4 sessões");
    let (status, unknown) = api.post(&path, &admin, json!({"package": "Massagem"})).await;
    assert_eq!((status, unknown["error"]["code"].as_str()), (400, Some("bad_request")));
}

async fn conversations_show_their_owner_messages_and_state(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;
    let conversation = api.demo.conversation.0;

    let (status, page) = api.get(&format!("{DEMO}/conversations"), &viewer).await;
    assert_eq!(status, 200);
    let listed = &items(&page)[0];
    assert_eq!((listed["owner"].as_str(), listed["phone"].as_str()), (Some("human"), Some(MARIA)));
    assert_eq!(listed["last_activity_at"], "2026-03-02T12:00:00Z");

    // A second reply, a minute later: the transcript is read a page at a time, oldest first.
    let clinic = api.knowledge.clinic("demo").id;
    api.db
        .store
        .enqueue_outbound(&sofia::store::NewOutbound {
            id: sofia_core::domain::MessageId::new_random(),
            clinic_id: clinic,
            conversation_id: api.demo.conversation,
            idempotency_key: "turn-2/0".into(),
            author: sofia::store::Author::Bot,
            kind: sofia_core::domain::MessageKind::Text,
            body: "A Carla já vem falar com você.".into(),
            payload: json!({}),
            created_at: crate::support::at(crate::app::NOW) + chrono::Duration::minutes(1),
        })
        .await
        .unwrap();
    let transcript = format!("{DEMO}/conversations/{conversation}/messages");
    let (status, first) = api.get(&format!("{transcript}?limit=1"), &viewer).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(items(&first).len(), 1);
    assert_eq!(items(&first)[0]["body"], "Já avisei nossa equipe.");
    assert_eq!(items(&first)[0]["author"], "bot");
    let cursor = first["next_cursor"].as_str().expect("another page follows");
    let (_, second) = api.get(&format!("{transcript}?limit=1&cursor={cursor}"), &viewer).await;
    assert_eq!(items(&second)[0]["body"], "A Carla já vem falar com você.");
    assert!(second["next_cursor"].is_null(), "the last page: {second}");
    let (status, state) = api.get(&format!("{DEMO}/conversations/{conversation}/state"), &viewer).await;
    assert_eq!((status, state.is_object()), (200, true), "{state}");
}

async fn the_metrics_of_a_period_count_its_appointments_leads_and_handoffs(db: TestDb) {
    let api = Api::start(db).await;
    let viewer = api.key(Some("demo"), ApiRole::Viewer).await;

    let (status, march) = api.get(&format!("{DEMO}/metrics?from=2026-03-01&to=2026-03-31"), &viewer).await;
    assert_eq!(status, 200, "{march}");
    assert_eq!(march["appointments"]["total"], 1);
    assert_eq!(march["appointments"]["scheduled"], 1);
    assert_eq!(march["confirmation_rate"], 0.0);
    assert!(march["no_show_rate"].is_null(), "no attendance known yet");
    assert_eq!(march["leads_by_temperature"], json!({"cold": 0, "warm": 0, "hot": 1}));
    assert_eq!(march["lead_to_booked_conversion"], 1.0);
    assert!(march["handoff_rate"].is_null(), "no patient message in the seeded conversation");
    assert!(march["median_first_human_reply_seconds"].is_null(), "nobody answered the handoff yet");

    let (_, april) = api.get(&format!("{DEMO}/metrics?from=2026-04-01&to=2026-04-30"), &viewer).await;
    assert_eq!(april["appointments"]["total"], 0);
    assert_eq!(api.get(&format!("{DEMO}/metrics?from=2026-03-31&to=2026-03-01"), &viewer).await.0, 400);
}

async fn bad_input_is_a_400_that_names_it(db: TestDb) {
    let api = Api::start(db).await;
    let agent = api.key(Some("demo"), ApiRole::Agent).await;
    let appointment = api.demo.appointment.0;
    for (path, names) in [
        (format!("{DEMO}/leads?stage=quente"), "stage"),
        (format!("{DEMO}/leads?limit=0"), "limit"),
        (format!("{DEMO}/leads?cursor=abc"), "cursor"),
        (format!("{DEMO}/appointments?day=amanha"), "day"),
        (format!("{DEMO}/patients?phone=abc"), "phone"),
    ] {
        let (status, answer) = api.get(&path, &agent).await;
        assert_eq!(status, 400, "{path}: {answer}");
        assert!(answer["error"]["message"].as_str().unwrap().contains(names), "{path}: {answer}");
    }
    let mark = format!("{DEMO}/appointments/{appointment}/mark");
    assert_eq!(api.post(&mark, &agent, json!({"status": "done"})).await.0, 400);
    assert_eq!(api.post(&mark, &agent, json!({"nope": 1})).await.0, 400);
    assert_eq!(api.get(&format!("{DEMO}/patients/not-an-id"), &agent).await.0, 404);
}
