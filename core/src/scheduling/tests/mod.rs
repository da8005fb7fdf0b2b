//! Scheduling, specified by example on the demo clinic (`knowledge/demo/clinic.yaml`) and by
//! properties that must hold for any appointments and any `now`.

mod booking;
mod clock_changes;
mod demo;
mod properties;

use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::{Busy, Slot, SlotQuery, free_slots};
use crate::clinic::Clinic;
use crate::domain::{ProfessionalId, ServiceId, TenantId};

const DEMO: &str = include_str!("../../../../knowledge/demo/clinic.yaml");

fn demo() -> Clinic {
    Clinic::from_yaml(TenantId::parse("demo").unwrap(), DEMO).unwrap()
}

/// The frozen "now" of the examples: Monday 2 March 2026, 09:00 in São Paulo.
fn monday_9am() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").unwrap().to_utc()
}

fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

/// An instant given as wall-clock time in `timezone` ("2026-03-04 09:00"); the first one if
/// the clocks repeat it.
fn local_in(timezone: Tz, text: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap();
    timezone.from_local_datetime(&naive).earliest().unwrap().to_utc()
}

/// An instant given as São Paulo wall-clock time.
fn sp(text: &str) -> DateTime<Utc> {
    local_in(chrono_tz::America::Sao_Paulo, text)
}

fn service(clinic: &Clinic, name: &str) -> ServiceId {
    clinic.service_named(name).unwrap().id
}

/// A professional by first name: "Ana", "Ricardo", "Juliana".
fn pro(clinic: &Clinic, first_name: &str) -> ProfessionalId {
    clinic.professionals.iter().find(|p| first_name_of(&p.name) == first_name).unwrap().id
}

fn first_name_of(name: &str) -> &str {
    name.split_whitespace().find(|word| !word.ends_with('.')).unwrap()
}

fn busy(professional: ProfessionalId, start: DateTime<Utc>, minutes: i64) -> Busy {
    Busy { professional, start, end: start + chrono::TimeDelta::minutes(minutes) }
}

/// Free slots at the frozen Monday 09:00.
fn search(clinic: &Clinic, query: SlotQuery, busy: &[Busy]) -> Vec<Slot> {
    free_slots(clinic, &query, busy, monday_9am()).unwrap()
}

/// Slots as a receptionist reads them: "2026-03-02 11:00 Ana".
fn labels(clinic: &Clinic, slots: &[Slot]) -> Vec<String> {
    slots
        .iter()
        .map(|slot| {
            let name = &clinic.professional(slot.professional).unwrap().name;
            format!("{} {}", slot.local_start(clinic.timezone).format("%Y-%m-%d %H:%M"), first_name_of(name))
        })
        .collect()
}

/// Only the local start times: "09:00".
fn times(clinic: &Clinic, slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|slot| slot.local_start(clinic.timezone).format("%H:%M").to_string()).collect()
}

/// Every half hour from `first` to `last` ("09:00", "11:30"), inclusive.
fn every_half_hour(first: &str, last: &str) -> Vec<String> {
    let first = NaiveTime::parse_from_str(first, "%H:%M").unwrap();
    let last = NaiveTime::parse_from_str(last, "%H:%M").unwrap();
    std::iter::successors(Some(first), |t| Some(*t + chrono::TimeDelta::minutes(30)))
        .take_while(|t| *t <= last)
        .map(|t| t.format("%H:%M").to_string())
        .collect()
}
