//! CRM webhooks against a wiremock CRM that checks every request as the Standard Webhooks
//! specification says, with an implementation of its own (`verify`): what a conversation and
//! the store's changes push, retries with the same `webhook-id` across a crash, 410 and
//! Retry-After, failed deliveries listed and replayed. On SQLite and PostgreSQL.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Duration;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sofia::clinics::{self, LoadedClinic};
use sofia::crm::{Courier, CourierReport, CrmEndpoints, LEASE};
use sofia::metrics::Metrics;
use sofia::store::{
    AppointmentChange, DeliveryState, HandoffOrigin, NewHandoff, ResolvedBy, StaffMember, Store,
};
use sofia_core::clinic::Clinic;
use sofia_core::clock::{Clock, FrozenClock};
use sofia_core::domain::TenantId;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::dialogues::Dialogue;
use crate::support::{TestDb, at, conformance, repo_path};
use crate::tools::{MARIA, NOW, World};

conformance!(
    a_booking_conversation_pushes_one_lead_qualified_and_one_appointment_booked,
    every_change_queues_its_event_in_its_own_transaction,
    a_failing_receiver_and_a_crash_still_deliver_each_event_with_one_webhook_id,
    a_410_disables_the_endpoint_until_its_entry_changes,
    retry_after_is_honoured,
    a_delivery_that_spent_its_retries_is_listed_and_replayed
);

/// The Standard Webhooks specification's example secret.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SECRET_ENV: &str = "BELLA_CRM_WEBHOOK_SECRET";
const HOOK: &str = "/hooks/sofia";
const EVERY_EVENT: &str = "[lead.qualified, lead.stage_changed, appointment.booked, appointment.rescheduled, \
     appointment.cancelled, handoff.opened, handoff.resolved, patient.opted_out]";

/// The demo clinic whose CRM is `receiver`, subscribed to `events`.
struct Crm {
    store: Arc<dyn Store>,
    receiver: MockServer,
    clock: Arc<FrozenClock>,
    metrics: Arc<Metrics>,
    clinic: Clinic,
}

async fn crm(db: TestDb, events: &str) -> (World, Crm) {
    let world = World::new(db).await;
    let receiver = MockServer::start().await;
    let crm = Crm {
        store: Arc::clone(world.store()),
        clinic: world.clinic.clone(),
        receiver,
        clock: Arc::new(FrozenClock::at(at(NOW))),
        metrics: Arc::default(),
    };
    let clinic = crm.sync(events).await;
    (world, Crm { clinic, ..crm })
}

impl Crm {
    /// Loads the demo clinic with a `crm_webhooks` entry for the receiver, as a changed
    /// clinic.yaml would be.
    async fn sync(&self, events: &str) -> Clinic {
        let demo = std::fs::read_to_string(repo_path("knowledge/demo/clinic.yaml")).unwrap();
        let yaml = format!(
            "{demo}crm_webhooks:\n  - url: {}{HOOK}\n    secret_env: {SECRET_ENV}\n    events: {events}\n",
            self.receiver.uri()
        );
        let clinic = Clinic::from_yaml(TenantId::parse("demo").unwrap(), &yaml).unwrap();
        let loaded = LoadedClinic {
            clinic: clinic.clone(),
            content_hash: format!("{:x}", Sha256::digest(yaml.as_bytes())),
            path: repo_path("knowledge/demo/clinic.yaml"),
        };
        clinics::sync(self.store.as_ref(), &loaded, self.clock.now()).await.unwrap();
        clinic
    }

    /// A delivery loop on `store`, as a replica of `serve` runs it.
    fn courier_on(&self, store: Arc<dyn Store>) -> Courier {
        let env = |name: &str| (name == SECRET_ENV).then(|| SECRET.to_owned());
        let endpoints = CrmEndpoints::new(&[&self.clinic], &env).unwrap();
        Courier::new(store, Arc::clone(&self.clock) as Arc<dyn Clock>, endpoints, Arc::clone(&self.metrics))
            .unwrap()
    }

    fn courier(&self) -> Courier {
        self.courier_on(Arc::clone(&self.store))
    }

    /// The receiver answers `status` to the next `times` deliveries (all, when `None`).
    async fn answers(&self, status: u16, times: Option<u64>, priority: u8) {
        let mock = Mock::given(method("POST")).and(path(HOOK)).respond_with(ResponseTemplate::new(status));
        let mock = match times {
            Some(times) => mock.up_to_n_times(times),
            None => mock,
        };
        mock.with_priority(priority).mount(&self.receiver).await;
    }

    /// Every request the CRM received, each verified.
    async fn received(&self) -> Vec<Received> {
        self.receiver.received_requests().await.unwrap_or_default().iter().map(verify).collect()
    }

    fn advance(&self, by: Duration) {
        self.clock.set(self.clock.now() + by);
    }
}

/// A delivery as the CRM read it.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: i64,
    kind: String,
    data: Value,
    body: String,
}

/// Checks a request as a Standard Webhooks receiver does, written apart from Sofia's signer:
/// HMAC-SHA256 keyed with the base64 after `whsec_`, over `id.timestamp.body`, base64, `v1,`.
fn verify(request: &Request) -> Received {
    let header = |name: &str| {
        request.headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap().to_owned()
    };
    let (id, timestamp) = (header("webhook-id"), header("webhook-timestamp"));
    let body = String::from_utf8(request.body.clone()).unwrap();
    let key = STANDARD.decode(SECRET.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    let signatures = header("webhook-signature");
    assert!(signatures.split(' ').any(|s| s == expected), "{signatures} is not {expected}");
    assert_eq!(header("content-type"), "application/json");
    assert!(id.starts_with("msg_"), "{id}");
    let parsed: Value = serde_json::from_str(&body).unwrap();
    let mut keys: Vec<&String> = parsed.as_object().unwrap().keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["data", "timestamp", "type"], "the body is {{type, timestamp, data}}");
    Received {
        id,
        timestamp: timestamp.parse().unwrap(),
        kind: parsed["type"].as_str().unwrap().to_owned(),
        data: parsed["data"].clone(),
        body,
    }
}

fn kinds(received: &[Received]) -> Vec<&str> {
    received.iter().map(|r| r.kind.as_str()).collect()
}

async fn a_booking_conversation_pushes_one_lead_qualified_and_one_appointment_booked(db: TestDb) {
    let (world, crm) = crm(db, EVERY_EVENT).await;
    crm.answers(200, None, 1).await;
    let mut chat = Dialogue::with(world, MARIA, "Maria Silva").await;
    chat.say("Oi! Queria marcar botox amanhã à tarde").await;
    chat.say("pode ser o primeiro").await;
    chat.say("sim, pode confirmar").await.called(&["book_appointment"]);

    let report = crm.courier().round().await.unwrap();
    let received = crm.received().await;
    assert_eq!(report.delivered, received.len());
    let count = |kind: &str| received.iter().filter(|r| r.kind == kind).count();
    assert_eq!((count("lead.qualified"), count("appointment.booked")), (1, 1), "{:?}", kinds(&received));
    assert!(
        received.iter().all(|r| r.timestamp == crm.clock.now().timestamp()),
        "signed at the attempt's time"
    );

    let lead = &received.iter().find(|r| r.kind == "lead.qualified").unwrap().data;
    assert_eq!((lead["name"].as_str(), lead["phone"].as_str()), (Some("Maria Silva"), Some(MARIA)));
    assert_eq!(lead["interest"], "Botox");
    assert!(lead["temperature"] == "hot" || lead["stage"] == "scheduled", "{lead}");
    assert!(lead["score"].as_u64().unwrap() > 0);
    assert!(!lead["reasons"].as_array().unwrap().is_empty(), "the reasons for the score: {lead}");
    let booked = &received.iter().find(|r| r.kind == "appointment.booked").unwrap().data;
    assert_eq!(
        (booked["service"]["name"].as_str(), booked["status"].as_str()),
        (Some("Botox"), Some("scheduled"))
    );
    assert_eq!(booked["professional"]["name"], "Dr. Ricardo Lima");
    assert_eq!(booked["starts_at"], "2026-03-03T16:00:00Z");
    assert_eq!(
        (booked["patient"]["phone"].as_str(), booked["price_cents"].as_i64()),
        (Some(MARIA), Some(80_000))
    );

    assert_eq!(crm.courier().round().await.unwrap(), CourierReport::default(), "each delivered once");
    assert_eq!(crm.metrics.crm.get(&["demo", "appointment.booked", "delivered"]), 1);
}

async fn every_change_queues_its_event_in_its_own_transaction(db: TestDb) {
    let (world, crm) = crm(db, EVERY_EVENT).await;
    crm.answers(200, None, 1).await;
    let store = world.store();
    let maria = world.patient(MARIA, "Maria Silva").await;
    let booked = world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-04T10:00:00-03:00").await;
    let moved = AppointmentChange::Reschedule {
        professional_id: booked.professional_id,
        starts_at: at("2026-03-04T14:00:00-03:00"),
        ends_at: at("2026-03-04T14:30:00-03:00"),
        late_fee: None,
        consume_package_session: false,
    };
    store.change_appointment(world.clinic.id, Some(maria.id), booked.id, &moved, world.now()).await.unwrap();
    store
        .change_appointment(world.clinic.id, None, booked.id, &AppointmentChange::Confirm, world.now())
        .await
        .unwrap();
    let cancel =
        AppointmentChange::Cancel { reason: "viagem".into(), late_fee: None, consume_package_session: false };
    store.change_appointment(world.clinic.id, None, booked.id, &cancel, world.now()).await.unwrap();
    let conversation = store.conversation_for(world.clinic.id, &maria.phone, world.now()).await.unwrap().id;
    let handoff = store
        .hand_to_human(&NewHandoff {
            clinic_id: world.clinic.id,
            conversation_id: conversation,
            reason: "pediu uma pessoa".into(),
            summary: String::new(),
            origin: HandoffOrigin::Bot,
            assignee: None,
            opened_at: world.now(),
        })
        .await
        .unwrap();
    let ana = ResolvedBy::Staff(StaffMember::parse("Ana").unwrap());
    store.return_to_bot(handoff.id, &ana, world.now()).await.unwrap();
    store.set_opted_out(world.clinic.id, maria.id, Some(world.now())).await.unwrap();
    store.set_opted_out(world.clinic.id, maria.id, Some(world.now())).await.unwrap();

    // A refused change queues nothing: cancelling the cancelled appointment fails whole.
    assert!(store.change_appointment(world.clinic.id, None, booked.id, &cancel, world.now()).await.is_err());

    crm.courier().round().await.unwrap();
    let mut received = crm.received().await;
    received.sort_by(|a, b| a.kind.cmp(&b.kind));
    assert_eq!(
        kinds(&received),
        [
            "appointment.booked",
            "appointment.cancelled",
            "appointment.rescheduled",
            "handoff.opened",
            "handoff.resolved",
            "patient.opted_out"
        ],
        "one event per change; a confirmation and a second SAIR push nothing"
    );
    assert_eq!(received[2].data["previous"]["starts_at"], "2026-03-04T13:00:00Z");
    assert_eq!(received[2].data["starts_at"], "2026-03-04T17:00:00Z");
    assert_eq!(received[1].data["cancellation_reason"], "viagem");
    assert_eq!(received[4].data["resolved_by"]["name"], "Ana");
    assert_eq!(received[5].data["patient"]["phone"], MARIA);
}

async fn a_failing_receiver_and_a_crash_still_deliver_each_event_with_one_webhook_id(db: TestDb) {
    let (world, crm) = crm(db, EVERY_EVENT).await;
    let maria = world.patient(MARIA, "Maria Silva").await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-04T10:00:00-03:00").await;
    world.store().set_opted_out(world.clinic.id, maria.id, Some(world.now())).await.unwrap();

    // The CRM fails both twice, then hangs on both, then takes them.
    crm.answers(500, Some(4), 1).await;
    Mock::given(method("POST"))
        .and(path(HOOK))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(60)))
        .up_to_n_times(2)
        .with_priority(2)
        .mount(&crm.receiver)
        .await;
    crm.answers(200, None, 3).await;

    let courier = crm.courier();
    assert_eq!(courier.round().await.unwrap().retrying, 2);
    assert_eq!(courier.round().await.unwrap(), CourierReport::default(), "not before the schedule's 5 s");
    crm.advance(Duration::seconds(6));
    assert_eq!(courier.round().await.unwrap().retrying, 2);
    crm.advance(Duration::minutes(6));

    // This replica dies while both requests hang.
    let dying = tokio::spawn(async move { courier.round().await });
    while crm.receiver.received_requests().await.unwrap_or_default().len() < 6 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    dying.abort();
    assert!(dying.await.unwrap_err().is_cancelled());

    // Another starts on the same database: the claims of the dead one hold until their lease ends.
    let again = sofia::store::open(&world.db.url).await.unwrap();
    let replica = crm.courier_on(again);
    assert_eq!(replica.round().await.unwrap(), CourierReport::default());
    crm.advance(LEASE + Duration::seconds(1));
    assert_eq!(replica.round().await.unwrap().delivered, 2);

    let received = crm.received().await;
    let mut by_id: BTreeMap<&str, Vec<&Received>> = BTreeMap::new();
    for request in &received {
        by_id.entry(request.id.as_str()).or_default().push(request);
    }
    assert_eq!(by_id.len(), 2, "one webhook-id per event");
    for attempts in by_id.values() {
        assert_eq!(attempts.len(), 4, "500, 500, hung, taken");
        assert!(attempts.iter().all(|a| a.body == attempts[0].body), "the same body on every attempt");
    }
    let mut events: Vec<&str> = by_id.values().map(|attempts| attempts[0].kind.as_str()).collect();
    events.sort_unstable();
    assert_eq!(events, ["appointment.booked", "patient.opted_out"]);
    let listed = sofia::crm::deliveries(crm.store.as_ref(), Some(crm.clinic.id), false).await.unwrap();
    assert!(listed.iter().all(|d| d.state == DeliveryState::Delivered && d.attempts == 4), "{listed:?}");
}

async fn a_410_disables_the_endpoint_until_its_entry_changes(db: TestDb) {
    let (world, crm) = crm(db, EVERY_EVENT).await;
    crm.answers(410, Some(2), 1).await;
    crm.answers(200, None, 2).await;
    let maria = world.patient(MARIA, "Maria Silva").await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-04T10:00:00-03:00").await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-05T10:00:00-03:00").await;

    let report = crm.courier().round().await.unwrap();
    assert_eq!(report.disabled, 1, "{report:?}");
    let failed = sofia::crm::deliveries(crm.store.as_ref(), Some(crm.clinic.id), true).await.unwrap();
    assert_eq!(failed.len(), 2, "what waited for the endpoint failed with it");
    assert!(failed.iter().all(|d| d.last_error.as_deref().is_some_and(|e| e.starts_with("410 Gone"))));

    // Disabled: a new change queues nothing for it, and replaying is refused.
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-06T10:00:00-03:00").await;
    let all = sofia::crm::deliveries(crm.store.as_ref(), None, false).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(sofia::crm::replay(crm.store.as_ref(), None, failed[0].id, crm.clock.now()).await.is_err());
    let before = crm.received().await.len();
    assert_eq!(crm.courier().round().await.unwrap(), CourierReport::default());
    assert_eq!(crm.received().await.len(), before);

    // The same entry loaded again stays disabled; a changed one (here its events) is enabled.
    crm.sync(EVERY_EVENT).await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-09T10:00:00-03:00").await;
    assert_eq!(sofia::crm::deliveries(crm.store.as_ref(), None, false).await.unwrap().len(), 2);
    crm.sync("[appointment.booked]").await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-10T10:00:00-03:00").await;
    sofia::crm::replay(crm.store.as_ref(), Some(crm.clinic.id), failed[0].id, crm.clock.now()).await.unwrap();
    assert_eq!(crm.courier().round().await.unwrap().delivered, 2, "the new booking and the replayed one");
}

async fn retry_after_is_honoured(db: TestDb) {
    let (world, crm) = crm(db, "[appointment.booked]").await;
    Mock::given(method("POST"))
        .and(path(HOOK))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "120"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&crm.receiver)
        .await;
    crm.answers(200, None, 2).await;
    let maria = world.patient(MARIA, "Maria Silva").await;
    world.appointment(&maria, "Botox", "Dr. Ricardo Lima", "2026-03-04T10:00:00-03:00").await;

    let courier = crm.courier();
    assert_eq!(courier.round().await.unwrap().retrying, 1);
    crm.advance(Duration::seconds(119));
    assert_eq!(courier.round().await.unwrap(), CourierReport::default(), "not before the 120 s it asked");
    crm.advance(Duration::seconds(1));
    assert_eq!(courier.round().await.unwrap().delivered, 1);
    let received = crm.received().await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].id, received[1].id);
    assert_eq!(received[1].timestamp - received[0].timestamp, 120, "each attempt signed at its own time");
}

async fn a_delivery_that_spent_its_retries_is_listed_and_replayed(db: TestDb) {
    let (world, crm) = crm(db, "[patient.opted_out]").await;
    crm.answers(500, Some(8), 1).await;
    crm.answers(204, None, 2).await;
    let maria = world.patient(MARIA, "Maria Silva").await;
    world.store().set_opted_out(world.clinic.id, maria.id, Some(world.now())).await.unwrap();

    let courier = crm.courier();
    let mut waits = Vec::new();
    for _ in 0..8 {
        let before = crm.clock.now();
        courier.round().await.unwrap();
        let pending = sofia::crm::deliveries(crm.store.as_ref(), None, false).await.unwrap();
        waits.push((pending[0].next_attempt_at - before).num_seconds());
        crm.advance(Duration::hours(11));
    }
    assert_eq!(waits.len(), 8);
    for (wait, scheduled) in waits.iter().zip([5, 300, 1800, 7200, 18_000, 36_000, 36_000]) {
        assert!((scheduled..=scheduled + scheduled / 10).contains(wait), "{waits:?}");
    }
    let failed = sofia::crm::deliveries(crm.store.as_ref(), Some(crm.clinic.id), true).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].attempts, failed[0].last_status), (8, Some(500)));
    assert_eq!(crm.metrics.crm.get(&["demo", "patient.opted_out", "failed"]), 1);

    let replayed = sofia::crm::replay(crm.store.as_ref(), Some(crm.clinic.id), failed[0].id, crm.clock.now())
        .await
        .unwrap();
    assert_eq!(replayed.state, DeliveryState::Pending);
    assert_eq!(courier.round().await.unwrap().delivered, 1);
    let received = crm.received().await;
    let ids: HashMap<&str, usize> = received.iter().fold(HashMap::new(), |mut ids, r| {
        *ids.entry(r.id.as_str()).or_default() += 1;
        ids
    });
    assert_eq!(ids.len(), 1, "the replay has the same webhook-id");
    assert_eq!(received.len(), 9);
}
