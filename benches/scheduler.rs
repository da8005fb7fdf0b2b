//! The scheduler over a busy clinic: 10,000 appointments spread over 60 days on SQLite (the
//! demo clinic: reminders 48 h and 24 h before, quiet hours 20:00–08:00), and the clock moved
//! through those 60 days in steps, running a scheduler round at each: every round plans what
//! came within reach and claims and runs everything due (each reminder queued in the outbox
//! once). Prints how long planning and claiming took in all, and per round.
//!
//! ```text
//! cargo bench --bench scheduler [-- --appointments N --step-hours H]
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::TimeDelta;
use sofia::clinics::{self, Clinics};
use sofia::metrics::Metrics;
use sofia::scheduler::Scheduler;
use sofia::store::NewAppointment;
use sofia_core::clock::{Clock, FrozenClock};
use sofia_core::domain::{AppointmentId, AppointmentStatus, BookedBy, Phone, TenantId};

/// Patients the appointments are shared among.
const PATIENTS: usize = 1_000;
/// How long the 60 days run: appointments are spread over them.
const DAYS: i64 = 60;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let number = |name: &str, default: usize| -> anyhow::Result<usize> {
        args.windows(2)
            .find(|pair| pair[0] == name)
            .map(|pair| pair[1].parse())
            .transpose()
            .with_context(|| format!("{name} takes a number"))
            .map(|given| given.unwrap_or(default))
    };
    let appointments = number("--appointments", 10_000)?;
    let step = TimeDelta::hours(i64::try_from(number("--step-hours", 1)?)?);

    let dir = std::env::temp_dir().join(format!("sofia-bench-scheduler-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let store = sofia::store::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let tenant: TenantId = "demo".parse()?;
    let mut loaded =
        clinics::load_clinic(Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge").as_path(), &tenant)?;
    // Reminders only: nobody confirms here, so marking missed appointments would follow up all
    // 10,000 of them too.
    loaded.clinic.no_show.auto_mark_after_h = None;
    let clinic = &loaded.clinic;
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T00:00:00-03:00")?.to_utc();
    clinics::sync(store.as_ref(), &loaded, start).await?;

    // Every professional's day and night over the 60 days, in 15-minute appointments spaced so
    // that `appointments` of them span the whole period without overlapping.
    let service = clinic.service_named("Botox").context("the demo clinic offers Botox")?;
    let professionals: Vec<_> = clinic.professionals.iter().map(|p| p.id).collect();
    let per_professional = appointments.div_ceil(professionals.len()).max(1);
    let spacing = TimeDelta::minutes(DAYS * 24 * 60 / i64::try_from(per_professional)?);
    anyhow::ensure!(spacing >= TimeDelta::minutes(15), "too many appointments for {DAYS} days");
    let mut patients = Vec::with_capacity(PATIENTS);
    for i in 0..PATIENTS {
        let phone = Phone::parse(&format!("+55119{i:08}"))?;
        patients.push(store.upsert_patient(clinic.id, &phone, Some(&format!("Paciente {i}")), start).await?);
    }
    let inserting = Instant::now();
    for i in 0..appointments {
        let starts_at = start + TimeDelta::hours(1) + spacing * i32::try_from(i / professionals.len())?;
        let new = NewAppointment {
            id: AppointmentId::new_random(),
            clinic_id: clinic.id,
            patient_id: patients[i % PATIENTS].id,
            professional_id: professionals[i % professionals.len()],
            service_id: service.id,
            patient_package_id: None,
            starts_at,
            ends_at: starts_at + TimeDelta::minutes(15),
            status: AppointmentStatus::Scheduled,
            booked_by: BookedBy::Import,
            price: service.price,
        };
        store.insert_appointment(&new, start).await?;
    }
    println!("inserted {appointments} appointments over {DAYS} days in {:.1?}", inserting.elapsed());

    let clock = Arc::new(FrozenClock::at(start));
    let scheduler = Scheduler::new(
        Arc::clone(&store),
        Arc::clone(&clock) as Arc<dyn Clock>,
        Arc::new(Metrics::default()),
        Arc::new(Clinics::new(vec![loaded.clone()])),
        None,
    );
    let (mut planned, mut sent, mut skipped, mut rounds) = (0_u64, 0_usize, 0_usize, Vec::new());
    let running = Instant::now();
    while clock.now() <= start + TimeDelta::days(DAYS + 1) {
        let round = Instant::now();
        let report = scheduler.round().await?;
        rounds.push(round.elapsed());
        planned += report.planned;
        sent += report.sent.len();
        skipped += report.skipped;
        clock.advance(step);
    }
    let total = running.elapsed();
    rounds.sort();
    let percentile = |p: usize| rounds.get(rounds.len() * p / 100).copied().unwrap_or(Duration::ZERO);
    println!(
        "{} rounds (every {} h of clinic time): {planned} jobs planned, {sent} reminders queued, {skipped} skipped \
         (superseded, too late) in {total:.2?}",
        rounds.len(),
        step.num_hours()
    );
    println!(
        "per round: p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        percentile(50),
        percentile(99),
        rounds.last().copied().unwrap_or(Duration::ZERO)
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
