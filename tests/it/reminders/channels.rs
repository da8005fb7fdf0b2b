//! What each channel receives, through the real app (the test clinic has Evolution, Z-API and
//! Meta, and the demo clinic's reminders and template): the approved template with its button
//! payloads on Meta (a wiremock Graph API), numbered text elsewhere, and the jobs in
//! `/readyz` and `/metrics`.

use chrono::Duration;
use serde_json::{Value, json};
use sofia::store::{NewAppointment, Store};
use sofia_core::clinic::Clinic;
use sofia_core::clock::Clock;
use sofia_core::domain::{AppointmentId, AppointmentStatus, BookedBy, DeliveryStatus, Direction, Phone};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::NUMBERED;
use crate::app::{ProviderUrls, TestApp, TestKnowledge};
use crate::support::{TestDb, at, conformance, demo_clinic};

conformance!(
    a_tap_on_the_reminder_s_confirm_button_confirms_the_appointment,
    a_meta_reminder_is_the_approved_template_with_its_button_payloads,
    a_meta_waitlist_offer_is_the_vaga_disponivel_template_with_yes_and_no_buttons,
    a_template_meta_refuses_is_recorded_and_counted,
    a_console_clinic_gets_numbered_text_and_the_jobs_show_in_readyz_and_metrics
);

const MARIA: &str = "+5511987654321";
const META_MESSAGES: &str = "/v21.0/109876543210987/messages";

/// Maria's Botox on Wednesday 10:00, booked at the tests' Monday 09:00.
async fn book_maria(store: &dyn Store, clinic: &Clinic, now: chrono::DateTime<chrono::Utc>) -> AppointmentId {
    let phone = Phone::parse(MARIA).unwrap();
    let patient = store.upsert_patient(clinic.id, &phone, Some("Maria Silva"), now).await.unwrap();
    let service = clinic.service_named("Botox").unwrap();
    let starts_at = at("2026-03-04T10:00:00-03:00");
    let new = NewAppointment {
        id: AppointmentId::new_random(),
        clinic_id: clinic.id,
        patient_id: patient.id,
        professional_id: clinic.professional_named("Dra. Ana Paula Souza").unwrap().id,
        service_id: service.id,
        patient_package_id: None,
        starts_at,
        ends_at: starts_at + Duration::minutes(30),
        status: AppointmentStatus::Scheduled,
        booked_by: BookedBy::Bot,
        price: service.price,
    };
    store.insert_appointment(&new, now).await.unwrap().id
}

/// Providers that must not be asked: templates exist only on Meta.
async fn untouched() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    server
}

async fn a_meta_reminder_is_the_approved_template_with_its_button_payloads(db: TestDb) {
    let (evolution, zapi, meta) = (untouched().await, untouched().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path(META_MESSAGES))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{ "input": "5511987654321", "wa_id": "5511987654321" }],
            "messages": [{ "id": "wamid.lembrete1", "message_status": "accepted" }],
        })))
        .expect(1)
        .mount(&meta)
        .await;
    let urls = ProviderUrls { evolution: evolution.uri(), zapi: zapi.uri(), meta: meta.uri() };
    let knowledge = TestKnowledge::with_channels(&urls);
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let appointment = book_maria(db.store.as_ref(), &clinic, app.clock.now()).await;
    app.scheduler.round().await.unwrap();
    // Monday 10:00, 48 h before: the first reminder.
    app.clock.set(at("2026-03-02T10:00:00-03:00"));

    let round = app.scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1);
    let requests = meta.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!((body["type"].as_str(), body["to"].as_str()), (Some("template"), Some("5511987654321")));
    let button = |index: &str, action: &str| {
        json!({ "type": "button", "sub_type": "quick_reply", "index": index,
                "parameters": [{ "type": "payload", "payload": format!("reminder:{action}:{appointment}") }] })
    };
    assert_eq!(
        body["template"],
        json!({
            "name": "lembrete_consulta_v2",
            "language": { "code": "pt_BR" },
            "components": [
                { "type": "body", "parameters": [
                    { "type": "text", "text": "Maria" },
                    { "type": "text", "text": "Botox" },
                    { "type": "text", "text": "quarta-feira, 04/03 às 10:00" },
                    { "type": "text", "text": "Dra. Ana Paula Souza" },
                ] },
                button("0", "confirm"),
                button("1", "reschedule"),
                button("2", "cancel"),
            ],
        })
    );
    let transcript = db.store.transcript(round.sent[0].conversation).await.unwrap();
    let sent = transcript.iter().find(|m| m.direction == Direction::Outbound).unwrap();
    assert_eq!(sent.delivery_status, Some(DeliveryStatus::Sent));
    app.shutdown().await;
}

async fn a_meta_waitlist_offer_is_the_vaga_disponivel_template_with_yes_and_no_buttons(db: TestDb) {
    let (evolution, zapi, meta) = (untouched().await, untouched().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path(META_MESSAGES))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{ "input": "5511987654301", "wa_id": "5511987654301" }],
            "messages": [{ "id": "wamid.vaga1", "message_status": "accepted" }],
        })))
        .expect(1)
        .mount(&meta)
        .await;
    let urls = ProviderUrls { evolution: evolution.uri(), zapi: zapi.uri(), meta: meta.uri() };
    let knowledge = TestKnowledge::with_channels(&urls);
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    let now = app.clock.now();
    let appointment = book_maria(db.store.as_ref(), &clinic, now).await;
    // Ana waits for a Botox on Wednesday; Maria cancels hers.
    let ana = Phone::parse("+5511987654301").unwrap();
    let ana = db.store.upsert_patient(clinic.id, &ana, Some("Ana Lima"), now).await.unwrap();
    let wednesday = chrono::NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    let entry = sofia::store::NewWaitlistEntry {
        clinic: clinic.id,
        patient: ana.id,
        service: clinic.service_named("Botox").unwrap().id,
        professional: None,
        from: wednesday,
        to: wednesday,
        period: None,
    };
    db.store.join_waitlist(&entry, now).await.unwrap();
    let cancel = sofia::store::AppointmentChange::Cancel {
        reason: "viagem".into(),
        late_fee: None,
        consume_package_session: false,
    };
    db.store.change_appointment(clinic.id, None, appointment, &cancel, now).await.unwrap();

    let round = app.scheduler.round().await.unwrap();

    assert_eq!(round.sent.len(), 1);
    let requests = meta.received_requests().await.unwrap();
    let body: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!((body["type"].as_str(), body["to"].as_str()), (Some("template"), Some("5511987654301")));
    let button = |index: &str, payload: &str| {
        json!({ "type": "button", "sub_type": "quick_reply", "index": index,
                "parameters": [{ "type": "payload", "payload": payload }] })
    };
    assert_eq!(
        body["template"],
        json!({
            "name": "vaga_disponivel_v1",
            "language": { "code": "pt_BR" },
            "components": [
                { "type": "body", "parameters": [
                    { "type": "text", "text": "Ana" },
                    { "type": "text", "text": "Botox" },
                    { "type": "text", "text": "quarta-feira, 04/03 às 10:00" },
                    { "type": "text", "text": "Dra. Ana Paula Souza" },
                    { "type": "text", "text": "30" },
                ] },
                button("0", "yes"),
                button("1", "no"),
            ],
        })
    );
    app.shutdown().await;
}

/// Meta's Graph API accepting every send with an id of its own.
struct MetaAccepts(std::sync::atomic::AtomicUsize);

impl Respond for MetaAccepts {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{ "input": "5511987654321", "wa_id": "5511987654321" }],
            "messages": [{ "id": format!("wamid.sent{n}") }],
        }))
    }
}

/// What Meta posts when Maria taps a quick-reply button of a template: `type: button`, the
/// payload we gave the button and its label.
fn tapped(payload: &str, label: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102030405060708", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "5511912345678", "phone_number_id": "109876543210987" },
            "contacts": [{ "profile": { "name": "Maria Silva" }, "wa_id": "5511987654321" }],
            "messages": [{
                "from": "5511987654321", "id": "wamid.tap1", "timestamp": "1772452800", "type": "button",
                "context": { "from": "5511912345678", "id": "wamid.sent0" },
                "button": { "payload": payload, "text": label }
            }]
        } }] }]
    }))
    .unwrap()
}

/// The whole way, through the real app: the reminder goes out as Meta's template, Maria taps
/// Confirmar, Meta posts the tap, and the engine confirms that appointment.
async fn a_tap_on_the_reminder_s_confirm_button_confirms_the_appointment(db: TestDb) {
    let (evolution, zapi, meta) = (MockServer::start().await, untouched().await, MockServer::start().await);
    // The reply to the tap goes out on the clinic's first channel, Evolution.
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "key": { "remoteJid": "5511987654321@s.whatsapp.net", "fromMe": true, "id": "3EB0CONFIRMADO" },
            "status": "PENDING", "messageType": "conversation", "messageTimestamp": 1_772_452_805,
        })))
        .mount(&evolution)
        .await;
    Mock::given(method("POST"))
        .and(path(META_MESSAGES))
        .respond_with(MetaAccepts(std::sync::atomic::AtomicUsize::new(0)))
        .mount(&meta)
        .await;
    let urls = ProviderUrls { evolution: evolution.uri(), zapi: zapi.uri(), meta: meta.uri() };
    let knowledge = TestKnowledge::with_channels(&urls);
    let clinic = knowledge.clinic();
    let app =
        TestApp::spawn_configured(&db.url, &knowledge.dir, |config| config.engine.debounce_ms = 20).await;
    let appointment = book_maria(db.store.as_ref(), &clinic, app.clock.now()).await;
    app.scheduler.round().await.unwrap();
    app.clock.set(at("2026-03-02T10:00:00-03:00"));
    assert_eq!(app.scheduler.round().await.unwrap().sent.len(), 1);

    let (status, _) = app.post_meta(tapped(&format!("reminder:confirm:{appointment}"), "Confirmar")).await;
    assert_eq!(status, 200);

    let mut confirmed = false;
    for _ in 0..200 {
        let patient =
            db.store.patient_by_phone(clinic.id, &Phone::parse(MARIA).unwrap()).await.unwrap().unwrap();
        let appointments =
            db.store.patient_appointments(clinic.id, patient.id, chrono::DateTime::UNIX_EPOCH).await.unwrap();
        if appointments.iter().any(|a| a.id == appointment && a.status == AppointmentStatus::Confirmed) {
            confirmed = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(confirmed, "the tap confirmed the appointment");
    app.shutdown().await;
}

async fn a_template_meta_refuses_is_recorded_and_counted(db: TestDb) {
    let (evolution, zapi, meta) = (untouched().await, untouched().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path(META_MESSAGES))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": { "message": "(#132001) Template name does not exist in the translation",
                       "type": "OAuthException", "code": 132001 }
        })))
        .expect(1)
        .mount(&meta)
        .await;
    let urls = ProviderUrls { evolution: evolution.uri(), zapi: zapi.uri(), meta: meta.uri() };
    let knowledge = TestKnowledge::with_channels(&urls);
    let clinic = knowledge.clinic();
    let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
    book_maria(db.store.as_ref(), &clinic, app.clock.now()).await;
    app.scheduler.round().await.unwrap();
    // Monday 10:00, 48 h before: the first reminder.
    app.clock.set(at("2026-03-02T10:00:00-03:00"));

    let round = app.scheduler.round().await.unwrap();

    let transcript = db.store.transcript(round.sent[0].conversation).await.unwrap();
    let row = transcript.iter().find(|m| m.direction == Direction::Outbound).unwrap();
    assert_eq!(row.delivery_status, Some(DeliveryStatus::Failed));
    assert!(row.error.as_deref().is_some_and(|e| e.contains("132001")), "{:?}", row.error);
    assert_eq!(app.metrics.sends.get(&["teste", "none", "none", "template_refused"]), 1);
    app.shutdown().await;
}

async fn a_console_clinic_gets_numbered_text_and_the_jobs_show_in_readyz_and_metrics(db: TestDb) {
    let app = TestApp::spawn(&db.url).await;
    let clinic = demo_clinic().clinic;
    book_maria(db.store.as_ref(), &clinic, app.clock.now()).await;
    app.scheduler.round().await.unwrap();
    // Tuesday 10:30: the 24 h reminder is half an hour late, the 48 h one a day.
    app.clock.set(at("2026-03-03T10:30:00-03:00"));

    let (status, ready) = app.get("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(ready["status"], "degraded", "{ready}");
    assert_eq!(ready["jobs"], json!({ "due": 2, "scheduled": 0, "running": 0, "failed": 0, "lag_s": 88200 }));

    let round = app.scheduler.round().await.unwrap();
    assert_eq!(
        (round.sent.len(), round.skipped),
        (1, 1),
        "the 24 h one is sent instead of the late 48 h one"
    );
    let printed = app.console.lock().unwrap().join("\n");
    assert!(printed.contains(NUMBERED), "{printed}");

    let (_, ready) = app.get("/readyz").await;
    assert_eq!(ready["jobs"]["due"], 0);
    let metrics = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("sofia_jobs{state=\"due\"} 0\n"), "{metrics}");
    assert!(metrics.contains("sofia_jobs_lag_seconds 0\n"), "{metrics}");
    assert!(
        metrics.contains("sofia_jobs_total{clinic=\"demo\",kind=\"reminder\",outcome=\"sent\"} 1\n"),
        "{metrics}"
    );
    assert!(
        metrics.contains("sofia_jobs_total{clinic=\"demo\",kind=\"reminder\",outcome=\"superseded\"} 1\n"),
        "{metrics}"
    );
    app.shutdown().await;
}
