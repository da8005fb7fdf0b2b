//! How long a search for free slots takes on a busy calendar: the demo clinic with 1,000
//! appointments spread over its 60-day horizon and its three professionals.
//!
//! `cargo bench -p sofia-core --bench find_slots`

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use sofia_core::clinic::Clinic;
use sofia_core::domain::TenantId;
use sofia_core::scheduling::{Busy, Period, SlotQuery, free_slots};

const DEMO: &str = include_str!("../../knowledge/demo/clinic.yaml");
const APPOINTMENTS: usize = 1_000;

fn demo() -> Clinic {
    let tenant = TenantId::parse("demo").expect("'demo' is a tenant id");
    Clinic::from_yaml(tenant, DEMO).expect("the demo clinic loads")
}

/// `count` half-hour appointments on distinct working half hours of the next 60 days, picked by
/// a fixed pseudo-random shuffle so that every run books the same calendar.
fn appointments(clinic: &Clinic, now: DateTime<Utc>, count: usize) -> Vec<Busy> {
    let half_hour = TimeDelta::minutes(30);
    let first_day = now.with_timezone(&clinic.timezone).date_naive();
    let mut positions = Vec::new();
    for date in (0..60).map(|day| first_day + Days::new(day)) {
        for professional in &clinic.professionals {
            for range in professional.hours.on(date.weekday()) {
                let mut time = range.start;
                while time + half_hour <= range.end {
                    let start = clinic
                        .timezone
                        .from_local_datetime(&date.and_time(time))
                        .earliest()
                        .expect("São Paulo has no clock change in 2026")
                        .to_utc();
                    positions.push(Busy { professional: professional.id, start, end: start + half_hour });
                    time += half_hour;
                }
            }
        }
    }
    // Fisher–Yates with xorshift64: deterministic and dependency-free.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..positions.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = (state % (i as u64 + 1)) as usize;
        positions.swap(i, j);
    }
    assert!(positions.len() >= count, "the calendar has room for {count} appointments");
    positions.truncate(count);
    positions
}

fn find_slots(c: &mut Criterion) {
    let clinic = demo();
    let now =
        DateTime::parse_from_rfc3339("2026-03-02T09:00:00-03:00").expect("an RFC 3339 instant").to_utc();
    let busy = appointments(&clinic, now, APPOINTMENTS);
    let id = |name: &str| clinic.service_named(name).expect("a demo service").id;
    let ricardo = clinic.professional_named("Dr. Ricardo Lima").expect("a demo professional").id;
    let next_monday = NaiveDate::from_ymd_opt(2026, 3, 9).expect("a date");
    let next_friday = NaiveDate::from_ymd_opt(2026, 3, 13).expect("a date");

    let queries = [
        ("botox, whole horizon", SlotQuery::new(id("Botox"))),
        ("botox, first 5", SlotQuery::new(id("Botox")).limit(5)),
        (
            "limpeza, afternoons of next week",
            SlotQuery::new(id("Limpeza de Pele")).between(next_monday, next_friday).in_period(Period::Tarde),
        ),
        (
            "peeling with dr. ricardo, whole horizon",
            SlotQuery::new(id("Peeling Químico")).with_professional(ricardo),
        ),
    ];
    let mut group = c.benchmark_group("free_slots, 1000 appointments");
    for (name, query) in &queries {
        let found = free_slots(&clinic, query, &busy, now).expect("a valid query");
        assert!(!found.is_empty(), "{name} finds slots");
        group.bench_function(*name, |b| {
            b.iter(|| free_slots(&clinic, black_box(query), &busy, black_box(now)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = find_slots
}
criterion_main!(benches);
