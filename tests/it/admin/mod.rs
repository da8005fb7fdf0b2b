//! The admin API (`/api/v1`) through the real app on both databases: keys, roles and clinics
//! (`access`), each route on real data (`routes`), the OpenAPI document (`openapi`), and the
//! `sofia keys` command (`command`), a patient's export and erasure (`privacy`), and reloading
//! a clinic from its folder (`reload`).

mod access;
mod command;
mod openapi;
mod privacy;
mod reload;
mod routes;

use std::path::PathBuf;

use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};
use sofia::admin::keys;
use sofia::store::{
    ApiRole, Author, HandoffOrigin, Lead, NewApiKey, NewAppointment, NewHandoff, NewOutbound, Store,
};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, ConversationId, FunnelStage, HandoffId, LeadId, MessageId,
    MessageKind, PatientId, Phone, Temperature, TenantId,
};

use crate::app::{NOW, TestApp};
use crate::support::{TestDb, at, repo_path};

/// A knowledge folder with two clinics, `demo` and `outra` (the demo clinic's file under
/// another folder: other ids, same catalogue). Removed on drop.
pub struct TwoClinics {
    pub dir: PathBuf,
}

impl TwoClinics {
    pub fn new() -> TwoClinics {
        let dir = std::env::temp_dir().join(format!("sofia-admin-{}", uuid::Uuid::new_v4().simple()));
        let file = std::fs::read_to_string(repo_path("knowledge/demo/clinic.yaml")).unwrap();
        for tenant in ["demo", "outra"] {
            std::fs::create_dir_all(dir.join(tenant)).unwrap();
            std::fs::write(dir.join(tenant).join("clinic.yaml"), &file).unwrap();
        }
        TwoClinics { dir }
    }

    pub fn clinic(&self, tenant: &str) -> Clinic {
        sofia::clinics::load_clinic(&self.dir, &TenantId::parse(tenant).unwrap()).unwrap().clinic
    }
}

impl Drop for TwoClinics {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What one clinic holds for the tests: Maria, her lead, an appointment tomorrow, her
/// conversation with a bot message and an open handoff.
pub struct Seeded {
    pub patient: PatientId,
    pub appointment: AppointmentId,
    pub conversation: ConversationId,
    pub handoff: HandoffId,
}

pub const MARIA: &str = "+5511987654321";

pub async fn seed(store: &dyn Store, clinic: &Clinic) -> Seeded {
    let now = at(NOW);
    let phone = Phone::parse(MARIA).unwrap();
    let patient = store.upsert_patient(clinic.id, &phone, Some("Maria Silva"), now).await.unwrap();
    let service = clinic.service_named("Botox").unwrap();
    let starts_at = at("2026-03-03T14:00:00-03:00");
    let appointment = store
        .insert_appointment(
            &NewAppointment {
                id: AppointmentId::new_random(),
                clinic_id: clinic.id,
                patient_id: patient.id,
                professional_id: clinic.professional_named("Dr. Ricardo Lima").unwrap().id,
                service_id: service.id,
                patient_package_id: None,
                starts_at,
                ends_at: starts_at + Duration::minutes(i64::from(service.duration_minutes)),
                status: AppointmentStatus::Scheduled,
                booked_by: BookedBy::Bot,
                price: service.price,
            },
            now,
        )
        .await
        .unwrap();
    store
        .save_lead(&Lead {
            id: LeadId::new_random(),
            clinic_id: clinic.id,
            patient_id: Some(patient.id),
            phone: phone.clone(),
            name: Some("Maria Silva".into()),
            source: "whatsapp".into(),
            interest: Some("Botox".into()),
            facts: json!({ "interest": "Botox", "urgency": "this_week" }),
            score: 85,
            temperature: Temperature::Hot,
            stage: FunnelStage::Scheduled,
            reasons: vec!["quer Botox esta semana".into()],
            qualified_at: Some(now),
            created_at: now,
            updated_at: now,
        })
        .await
        .unwrap();
    let conversation = store.conversation_for(clinic.id, &phone, now).await.unwrap();
    store.link_patient(conversation.id, patient.id, now).await.unwrap();
    store
        .enqueue_outbound(&NewOutbound {
            id: MessageId::new_random(),
            clinic_id: clinic.id,
            conversation_id: conversation.id,
            idempotency_key: "turn-1/0".into(),
            author: Author::Bot,
            kind: MessageKind::Text,
            body: "Já avisei nossa equipe.".into(),
            payload: json!({}),
            created_at: now,
        })
        .await
        .unwrap();
    let handoff = store
        .hand_to_human(&NewHandoff {
            clinic_id: clinic.id,
            conversation_id: conversation.id,
            reason: "o paciente pediu para falar com uma pessoa".into(),
            summary: "Paciente: Maria. Interesse: Botox.".into(),
            origin: HandoffOrigin::Bot,
            assignee: None,
            opened_at: now,
        })
        .await
        .unwrap();
    Seeded {
        patient: patient.id,
        appointment: appointment.id,
        conversation: conversation.id,
        handoff: handoff.id,
    }
}

/// A new key of `tenant` (every clinic when `None`) with `role`.
pub async fn key(store: &dyn Store, tenant: Option<&str>, role: ApiRole) -> String {
    let issued = keys::issue().unwrap();
    store
        .create_api_key(&NewApiKey {
            prefix: issued.prefix,
            key_hash: issued.hash,
            name: format!("{role}-key"),
            tenant: tenant.map(|t| TenantId::parse(t).unwrap()),
            role,
            created_at: at(NOW),
            expires_at: None,
        })
        .await
        .unwrap();
    issued.key.expose().to_owned()
}

/// The app on two clinics, `demo` seeded.
pub struct Api {
    pub app: TestApp,
    pub db: TestDb,
    pub demo: Seeded,
    pub knowledge: TwoClinics,
}

impl Api {
    pub async fn start(db: TestDb) -> Api {
        let knowledge = TwoClinics::new();
        let app = TestApp::spawn_in(&db.url, &knowledge.dir).await;
        let demo = seed(db.store.as_ref(), &knowledge.clinic("demo")).await;
        Api { app, db, demo, knowledge }
    }

    pub async fn key(&self, tenant: Option<&str>, role: ApiRole) -> String {
        key(self.db.store.as_ref(), tenant, role).await
    }

    /// The status and JSON body of `method path` with `key` as bearer (none when `None`).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> (u16, Value) {
        let mut request = self.app.client.request(method, self.app.url(path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")))
    }

    pub async fn get(&self, path: &str, key: &str) -> (u16, Value) {
        self.call(Method::GET, path, Some(key), None).await
    }

    pub async fn post(&self, path: &str, key: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(key), Some(&body)).await
    }
}
