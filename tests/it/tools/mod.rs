//! The agent's tools against the real store, on both backends: what a brain can and cannot do.

mod audit;
mod book;
mod change;
mod concurrency;
mod find_slots;
mod lead;
mod reads;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use sofia::agent::tools::{ToolContext, ToolError, ToolReply, Tools};
use sofia::store::{Appointment, NewAppointment, NewPatientPackage, Patient, PatientPackage, Store};
use sofia_core::clinic::Clinic;
use sofia_core::clock::FrozenClock;
use sofia_core::conversation::ConversationState;
use sofia_core::domain::{
    AppointmentId, AppointmentStatus, BookedBy, ConversationId, PatientPackageId, Phone,
};

use crate::support::{TestDb, at, demo_clinic};

/// Monday 2 March 2026, 09:00 in São Paulo.
pub const NOW: &str = "2026-03-02T09:00:00-03:00";
pub const MARIA: &str = "+5511987654321";
pub const JOAO: &str = "+5511912345678";

/// A clinic with the demo catalogue, a frozen clock and the standard tools.
pub struct World {
    pub db: TestDb,
    pub clinic: Clinic,
    pub clock: FrozenClock,
    pub tools: Tools,
}

/// One patient's WhatsApp conversation, with the state the engine would keep for it.
pub struct Chat {
    pub phone: Phone,
    pub push_name: Option<String>,
    pub conversation: ConversationId,
    pub state: ConversationState,
}

impl World {
    pub async fn new(db: TestDb) -> World {
        let db = db.with_demo(at(NOW)).await;
        World { db, clinic: demo_clinic().clinic, clock: FrozenClock::at(at(NOW)), tools: Tools::standard() }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.db.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        sofia_core::clock::Clock::now(&self.clock)
    }

    pub async fn chat(&self, phone: &str, push_name: &str) -> Chat {
        let phone = Phone::parse(phone).unwrap();
        let conversation =
            self.store().conversation_for(self.clinic.id, &phone, self.now()).await.unwrap().id;
        Chat {
            phone,
            push_name: Some(push_name.to_owned()),
            conversation,
            state: ConversationState::default(),
        }
    }

    pub async fn call(&self, chat: &mut Chat, tool: &str, arguments: Value) -> Result<ToolReply, ToolError> {
        let mut ctx = ToolContext::new(
            Arc::clone(self.store()),
            &self.clinic,
            &self.clock,
            chat.conversation,
            chat.phone.clone(),
            &mut chat.state,
        )
        .with_push_name(chat.push_name.clone());
        self.tools.call(&mut ctx, tool, arguments).await
    }

    /// The patient writes `words` (the engine hears every turn this way before any tool runs).
    pub fn hears(&self, chat: &mut Chat, words: &str) {
        ToolContext::new(
            Arc::clone(self.store()),
            &self.clinic,
            &self.clock,
            chat.conversation,
            chat.phone.clone(),
            &mut chat.state,
        )
        .with_patient_words(words);
    }

    /// Calls a tool that must succeed, returning its JSON result.
    pub async fn ok(&self, chat: &mut Chat, tool: &str, arguments: Value) -> Value {
        match self.call(chat, tool, arguments.clone()).await {
            Ok(reply) => reply.json,
            Err(error) => panic!("{tool} {arguments} failed: {error}"),
        }
    }

    /// Offers slots and returns the id of the one starting at `start`.
    pub async fn offer(&self, chat: &mut Chat, search: Value, start: &str) -> String {
        let found = self.ok(chat, "find_slots", search).await;
        let wanted = at(start);
        let slot = found["slots"].as_array().unwrap().iter().find(|slot| {
            DateTime::parse_from_rfc3339(slot["start"].as_str().unwrap()).unwrap().to_utc() == wanted
        });
        slot.unwrap_or_else(|| panic!("{start} not offered in {found}"))["id"].as_str().unwrap().to_owned()
    }

    pub async fn patient(&self, phone: &str, name: &str) -> Patient {
        self.store()
            .upsert_patient(self.clinic.id, &Phone::parse(phone).unwrap(), Some(name), self.now())
            .await
            .unwrap()
    }

    /// An appointment written straight to the store, as the clinic's staff would.
    pub async fn appointment(
        &self,
        patient: &Patient,
        service: &str,
        professional: &str,
        start: &str,
    ) -> Appointment {
        self.appointment_with(patient, service, professional, start, None).await
    }

    pub async fn appointment_with(
        &self,
        patient: &Patient,
        service: &str,
        professional: &str,
        start: &str,
        package: Option<&PatientPackage>,
    ) -> Appointment {
        let service = self.clinic.service_named(service).unwrap();
        let starts_at = at(start);
        let new = NewAppointment {
            id: AppointmentId::new_random(),
            clinic_id: self.clinic.id,
            patient_id: patient.id,
            professional_id: self.clinic.professional_named(professional).unwrap().id,
            service_id: service.id,
            patient_package_id: package.map(|p| p.id),
            starts_at,
            ends_at: starts_at + Duration::minutes(i64::from(service.duration_minutes)),
            status: AppointmentStatus::Scheduled,
            booked_by: BookedBy::Staff,
            price: if package.is_some() { sofia_core::domain::Money::ZERO } else { service.price },
        };
        self.store().insert_appointment(&new, self.now()).await.unwrap()
    }

    pub async fn package(&self, patient: &Patient, name: &str, used: u32, purchased: &str) -> PatientPackage {
        let offer = self.clinic.package_named(name).unwrap();
        let purchased_on = NaiveDate::parse_from_str(purchased, "%Y-%m-%d").unwrap();
        let new = NewPatientPackage {
            id: PatientPackageId::new_random(),
            clinic_id: self.clinic.id,
            patient_id: patient.id,
            package_id: offer.id,
            sessions_total: offer.sessions,
            sessions_used: used,
            purchased_on,
            expires_on: purchased_on + Duration::days(i64::from(offer.valid_days)),
        };
        self.store().add_patient_package(&new, self.now()).await.unwrap()
    }

    /// Every appointment of the patient with this phone, any status.
    pub async fn appointments_of(&self, phone: &str) -> Vec<Appointment> {
        let Some(patient) =
            self.store().patient_by_phone(self.clinic.id, &Phone::parse(phone).unwrap()).await.unwrap()
        else {
            return Vec::new();
        };
        self.store().patient_appointments(self.clinic.id, patient.id, DateTime::UNIX_EPOCH).await.unwrap()
    }

    pub async fn reload(&self, appointment: &Appointment) -> Appointment {
        self.store().appointment(self.clinic.id, None, appointment.id).await.unwrap().unwrap()
    }
}

/// The local start of an appointment, as eval files write it.
pub fn local(start: DateTime<Utc>) -> String {
    start.with_timezone(&chrono_tz::America::Sao_Paulo).format("%Y-%m-%d %H:%M").to_string()
}

pub fn botox_on(date: &str) -> Value {
    json!({ "service": "botox", "date": date })
}
