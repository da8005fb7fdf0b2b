//! Slots and appointments as tools report them: structured for the model, with the pt-BR
//! wording for the patient already attached (so a reply never formats a date on its own).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use sofia_core::clinic::Clinic;
use sofia_core::conversation::{OfferedSlot, SlotId};
use sofia_core::domain::{AppointmentId, AppointmentStatus, ProfessionalId, ServiceId};
use sofia_core::lang::{format_slot, format_time, weekday_name};

use crate::store::Appointment;

/// An offered slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotView {
    /// The id to book or reschedule it with.
    pub id: SlotId,
    pub service: String,
    pub professional: String,
    /// The start in RFC 3339, with the clinic's UTC offset.
    pub start: String,
    pub date: NaiveDate,
    /// "14:00".
    pub time: String,
    /// "terça-feira".
    pub weekday: &'static str,
    /// "terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima".
    pub label: String,
}

impl SlotView {
    pub(super) fn new(clinic: &Clinic, offered: &OfferedSlot) -> SlotView {
        let when = When::of(clinic, offered.slot.start);
        let professional = professional_name(clinic, offered.slot.professional);
        SlotView {
            id: offered.id,
            service: service_name(clinic, offered.slot.service).to_owned(),
            professional: professional.to_owned(),
            label: format!("{} com {professional}", when.label),
            start: when.start,
            date: when.date,
            time: when.time,
            weekday: when.weekday,
        }
    }

    /// "1) terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima".
    pub fn line(&self) -> String {
        format!("{}) {}", self.id, self.label)
    }
}

/// One line per slot, as a numbered list.
pub(super) fn numbered(slots: &[SlotView]) -> String {
    slots.iter().map(SlotView::line).collect::<Vec<_>>().join("\n")
}

/// One of the patient's appointments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppointmentView {
    /// The id to confirm, reschedule or cancel it with.
    pub id: AppointmentId,
    pub service: String,
    pub professional: String,
    pub start: String,
    pub date: NaiveDate,
    pub time: String,
    pub weekday: &'static str,
    pub status: AppointmentStatus,
    /// "R$ 800,00"; a package session is paid by its package.
    pub price: String,
    pub package_session: bool,
    /// "Botox — terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima".
    pub label: String,
}

impl AppointmentView {
    pub fn new(clinic: &Clinic, appointment: &Appointment) -> AppointmentView {
        let when = When::of(clinic, appointment.starts_at);
        let service = service_name(clinic, appointment.service_id);
        let professional = professional_name(clinic, appointment.professional_id);
        AppointmentView {
            id: appointment.id,
            service: service.to_owned(),
            professional: professional.to_owned(),
            label: format!("{service} — {} com {professional}", when.label),
            start: when.start,
            date: when.date,
            time: when.time,
            weekday: when.weekday,
            status: appointment.status,
            price: appointment.price.to_string(),
            package_session: appointment.patient_package_id.is_some(),
        }
    }

    /// "• Botox — terça-feira, 03/03 às 14:00 com Dr. Ricardo Lima (confirmado)".
    pub fn line(&self) -> String {
        format!("• {} ({})", self.label, status_label(self.status))
    }
}

/// "1 sessão disponível", "3 sessões disponíveis": `singular` and `plural` are the words after
/// the number.
pub(super) fn counted(n: u32, singular: &str, plural: &str) -> String {
    if n == 1 { format!("1 {singular}") } else { format!("{n} {plural}") }
}

/// How the patient reads an appointment's status.
pub(super) fn status_label(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Scheduled => "agendado",
        AppointmentStatus::Confirmed => "confirmado",
        AppointmentStatus::Cancelled => "cancelado",
        AppointmentStatus::Completed => "realizado",
        AppointmentStatus::NoShow => "falta registrada",
    }
}

/// An instant on the clinic's wall clock, in every form a view carries.
struct When {
    start: String,
    date: NaiveDate,
    time: String,
    weekday: &'static str,
    label: String,
}

impl When {
    fn of(clinic: &Clinic, start: DateTime<Utc>) -> When {
        let local = start.with_timezone(&clinic.timezone);
        let (date, time) = (local.date_naive(), local.time());
        When {
            start: local.to_rfc3339(),
            date,
            time: format_time(time),
            weekday: weekday_name(date.weekday()),
            label: format_slot(date, time),
        }
    }
}

/// "terça-feira, 03/03 às 14:00".
pub(super) fn moment(clinic: &Clinic, start: DateTime<Utc>) -> String {
    When::of(clinic, start).label
}

/// A catalogue entry may have left the clinic file since the appointment was made; the
/// history still reads sensibly.
pub(super) fn service_name(clinic: &Clinic, id: ServiceId) -> &str {
    clinic.service(id).map_or("atendimento", |service| service.name.as_str())
}

pub(super) fn professional_name(clinic: &Clinic, id: ProfessionalId) -> &str {
    clinic.professional(id).map_or("nossa equipe", |professional| professional.name.as_str())
}
