//! A case's isolated world: a fresh SQLite file in its own temporary folder, the clinic
//! written into it, and the case's `setup` applied (patients, packages, appointments) as the
//! clinic's staff would have entered them.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sofia_core::clinic::Clinic;
use sofia_core::domain::{AppointmentId, BookedBy, Money, PatientPackageId, Phone};

use super::suite::{Case, Suite};
use crate::clinics::{self, ClinicLoadError};
use crate::store::{self, Appointment, NewAppointment, NewPatientPackage, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create a temporary folder for the case database: {0}")]
    TempDir(#[source] std::io::Error),
    #[error("cannot open the case database")]
    Open(#[source] StoreError),
    #[error(transparent)]
    Clinic(#[from] ClinicLoadError),
    #[error("setup.{what}: {source}")]
    Apply {
        what: String,
        #[source]
        source: StoreError,
    },
}

/// A folder removed (with the database in it) when the case is done.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, SetupError> {
        let path = std::env::temp_dir().join(format!("sofia-eval-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).map_err(SetupError::TempDir)?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir is harmless.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The database of one case run, with the clinic loaded and the setup applied.
pub struct CaseDb {
    pub store: Arc<dyn Store>,
    /// Every appointment before the first turn, to tell what the conversation changed.
    pub before: Snapshot,
    // Dropped after the store, so the folder outlives every connection that was opened.
    _dir: TempDir,
}

impl CaseDb {
    pub async fn prepare(suite: &Suite, case: &Case) -> Result<CaseDb, SetupError> {
        let dir = TempDir::new()?;
        let url = format!("sqlite://{}", dir.0.join("case.db").display());
        let store = store::open(&url).await.map_err(SetupError::Open)?;
        clinics::sync(store.as_ref(), &suite.clinic, suite.now).await?;
        apply(store.as_ref(), &suite.clinic.clinic, case, suite.now).await?;
        let before =
            Snapshot::take(store.as_ref(), &suite.clinic.clinic, &phones(case)).await.map_err(|source| {
                SetupError::Apply { what: "appointments (reading them back)".to_owned(), source }
            })?;
        Ok(CaseDb { store, before, _dir: dir })
    }
}

/// Every phone the case knows: its patient's and the setup's.
pub fn phones(case: &Case) -> Vec<Phone> {
    let mut phones = vec![case.patient.phone.clone()];
    let setup = &case.setup;
    phones.extend(setup.patients.iter().map(|p| p.phone.clone()));
    phones.extend(setup.appointments.iter().map(|a| a.phone.clone()));
    phones.extend(setup.packages.iter().map(|p| p.phone.clone()));
    phones.sort();
    phones.dedup();
    phones
}

/// Writes the case's setup: setup patients by the names given; the case's own patient, when
/// the setup gives them packages or appointments, as a known patient with the case's name.
pub async fn apply(
    store: &dyn Store,
    clinic: &Clinic,
    case: &Case,
    now: DateTime<Utc>,
) -> Result<(), SetupError> {
    let setup = &case.setup;
    let failed = |what: String| move |source| SetupError::Apply { what, source };
    let mut patients = BTreeMap::new();
    for (i, spec) in setup.patients.iter().enumerate() {
        let patient = store
            .upsert_patient(clinic.id, &spec.phone, spec.name.as_deref(), now)
            .await
            .map_err(failed(format!("patients[{i}]")))?;
        patients.insert(spec.phone.clone(), patient);
    }
    let mut patient_of = async |phone: &Phone, what: String| -> Result<_, SetupError> {
        if let Some(patient) = patients.get(phone) {
            return Ok(patient.id);
        }
        let name = (*phone == case.patient.phone).then_some(case.patient.name.as_deref()).flatten();
        let patient = store.upsert_patient(clinic.id, phone, name, now).await.map_err(failed(what))?;
        patients.insert(phone.clone(), patient.clone());
        Ok(patient.id)
    };

    let mut packages: Vec<PatientPackageId> = Vec::with_capacity(setup.packages.len());
    for (i, spec) in setup.packages.iter().enumerate() {
        let what = format!("packages[{i}]");
        let patient_id = patient_of(&spec.phone, what.clone()).await?;
        let Some(offer) = clinic.package(spec.package) else {
            return Err(SetupError::Apply { what, source: StoreError::NotFound("package") });
        };
        let new = NewPatientPackage {
            id: PatientPackageId::new_random(),
            clinic_id: clinic.id,
            patient_id,
            package_id: offer.id,
            sessions_total: offer.sessions,
            sessions_used: spec.used,
            purchased_on: spec.purchased,
            expires_on: spec.purchased + Duration::days(i64::from(offer.valid_days)),
        };
        let added = store.add_patient_package(&new, now).await.map_err(failed(what))?;
        packages.push(added.id);
    }

    for (i, spec) in setup.appointments.iter().enumerate() {
        let what = format!("appointments[{i}]");
        let patient_id = patient_of(&spec.phone, what.clone()).await?;
        let Some(service) = clinic.service(spec.service) else {
            return Err(SetupError::Apply { what, source: StoreError::NotFound("service") });
        };
        let package = spec.package.and_then(|index| packages.get(index).copied());
        let new = NewAppointment {
            id: AppointmentId::new_random(),
            clinic_id: clinic.id,
            patient_id,
            professional_id: spec.professional,
            service_id: service.id,
            patient_package_id: package,
            starts_at: spec.start,
            ends_at: spec.start + Duration::minutes(i64::from(service.duration_minutes)),
            status: spec.status,
            booked_by: BookedBy::Staff,
            price: if package.is_some() { Money::ZERO } else { service.price },
        };
        store.insert_appointment(&new, now).await.map_err(failed(what))?;
    }
    Ok(())
}

/// Every appointment of the clinic that the case could have touched, by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub appointments: BTreeMap<AppointmentId, Appointment>,
}

impl Snapshot {
    /// The appointments of every phone the case knows, of any status, plus every live
    /// appointment of the clinic, whoever it belongs to: a conversation that booked for a
    /// patient the case never named still shows up.
    pub async fn take(store: &dyn Store, clinic: &Clinic, phones: &[Phone]) -> Result<Snapshot, StoreError> {
        let mut appointments = BTreeMap::new();
        for phone in phones {
            if let Some(patient) = store.patient_by_phone(clinic.id, phone).await? {
                for appointment in
                    store.patient_appointments(clinic.id, patient.id, DateTime::UNIX_EPOCH).await?
                {
                    appointments.insert(appointment.id, appointment);
                }
            }
        }
        // Two centuries: later than any booking horizon, and a date every backend stores.
        let far_future = DateTime::UNIX_EPOCH + Duration::days(365 * 200);
        for busy in store.busy_intervals(clinic.id, DateTime::UNIX_EPOCH, far_future).await? {
            if !appointments.contains_key(&busy.appointment_id)
                && let Some(appointment) = store.appointment(clinic.id, None, busy.appointment_id).await?
            {
                appointments.insert(appointment.id, appointment);
            }
        }
        Ok(Snapshot { appointments })
    }
}
