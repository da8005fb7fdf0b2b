//! `/api/v1/clinics/{tenant}/metrics`: the business KPIs of a period, computed from what the
//! store holds (`PeriodFacts`) by one pure function.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sofia_core::domain::{AppointmentStatus, FunnelStage, Temperature};
use utoipa::{IntoParams, ToSchema};

use super::appointments::day_bounds;
use super::auth::Caller;
use super::extract::Query;
use crate::http::{ApiError, AppState};
use crate::store::{ApiRole, PeriodFacts};

/// The longest period one request computes.
const MAX_DAYS: i64 = 366;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Period {
    /// First day, in the clinic's time zone (YYYY-MM-DD).
    pub from: NaiveDate,
    /// Last day, included (YYYY-MM-DD); at most 366 days after `from`.
    pub to: NaiveDate,
}

/// Rates are 0 to 1, `null` when nothing was there to count.
#[derive(Debug, Serialize, ToSchema, PartialEq)]
pub struct Metrics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Appointments starting in the period, by status.
    pub appointments: AppointmentCounts,
    /// Of the period's appointments not cancelled, the share the patient confirmed.
    pub confirmation_rate: Option<f64>,
    /// Of the period's appointments whose attendance is known (completed or no-show), the
    /// share missed.
    pub no_show_rate: Option<f64>,
    /// Leads created in the period, by temperature now.
    pub leads_by_temperature: LeadCounts,
    /// Of the leads created in the period, the share that booked (stage scheduled or
    /// converted now).
    pub lead_to_booked_conversion: Option<f64>,
    /// Of the conversations in which a patient wrote during the period, the share handed to
    /// a person (handoffs opened in the period).
    pub handoff_rate: Option<f64>,
    /// Median seconds from a handoff opening to the first message a person of the team
    /// wrote; handoffs nobody answered yet are left out.
    pub median_first_human_reply_seconds: Option<i64>,
}

#[derive(Debug, Default, Serialize, ToSchema, PartialEq)]
pub struct AppointmentCounts {
    pub total: u64,
    pub scheduled: u64,
    pub confirmed: u64,
    pub completed: u64,
    pub no_show: u64,
    pub cancelled: u64,
}

#[derive(Debug, Default, Serialize, ToSchema, PartialEq)]
pub struct LeadCounts {
    pub cold: u64,
    pub warm: u64,
    pub hot: u64,
}

/// A clinic's KPIs for a period. Role: viewer.
#[utoipa::path(
    get,
    path = "/api/v1/clinics/{tenant}/metrics",
    tag = "metrics",
    params(("tenant" = String, Path), Period),
    responses(
        (status = 200, body = Metrics),
        (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)
    ),
    security(("api_key" = []))
)]
pub async fn period(
    State(state): State<AppState>,
    caller: Caller,
    Path(tenant): Path<String>,
    Query(period): Query<Period>,
) -> Result<Json<Metrics>, ApiError> {
    let clinic = &caller.clinic(&state, &tenant, ApiRole::Viewer)?.clinic;
    let days = (period.to - period.from).num_days();
    if !(0..MAX_DAYS).contains(&days) {
        return Err(ApiError::BadRequest(format!("to must be from `from` to {MAX_DAYS} days after it")));
    }
    let (start, _) = day_bounds(clinic, period.from)?;
    let (_, end) = day_bounds(clinic, period.to)?;
    let facts = state.store.period_facts(clinic.id, start, end).await?;
    Ok(Json(compute(period.from, period.to, &facts)))
}

fn compute(from: NaiveDate, to: NaiveDate, facts: &PeriodFacts) -> Metrics {
    let mut appointments = AppointmentCounts::default();
    let confirmed: HashSet<_> = facts.confirmed.iter().collect();
    let mut patient_confirmed = 0;
    for (id, status) in &facts.appointments {
        appointments.total += 1;
        let count = match status {
            AppointmentStatus::Scheduled => &mut appointments.scheduled,
            AppointmentStatus::Confirmed => &mut appointments.confirmed,
            AppointmentStatus::Completed => &mut appointments.completed,
            AppointmentStatus::NoShow => &mut appointments.no_show,
            AppointmentStatus::Cancelled => &mut appointments.cancelled,
        };
        *count += 1;
        if *status != AppointmentStatus::Cancelled
            && (*status == AppointmentStatus::Confirmed || confirmed.contains(id))
        {
            patient_confirmed += 1;
        }
    }
    let mut leads = LeadCounts::default();
    let mut booked = 0;
    for (temperature, stage) in &facts.leads {
        match temperature {
            Temperature::Cold => leads.cold += 1,
            Temperature::Warm => leads.warm += 1,
            Temperature::Hot => leads.hot += 1,
        }
        if matches!(stage, FunnelStage::Scheduled | FunnelStage::Converted) {
            booked += 1;
        }
    }
    let mut waits: Vec<i64> = facts
        .handoffs
        .iter()
        .filter_map(|(opened, replied)| replied.map(|at: DateTime<Utc>| (at - *opened).num_seconds()))
        .collect();
    waits.sort_unstable();
    let median = match waits.len() {
        0 => None,
        n if n % 2 == 1 => Some(waits[n / 2]),
        n => Some((waits[n / 2 - 1] + waits[n / 2]) / 2),
    };
    Metrics {
        from,
        to,
        confirmation_rate: rate(patient_confirmed, appointments.total - appointments.cancelled),
        no_show_rate: rate(appointments.no_show, appointments.no_show + appointments.completed),
        lead_to_booked_conversion: rate(booked, facts.leads.len() as u64),
        handoff_rate: rate(facts.handoffs.len() as u64, facts.conversations),
        median_first_human_reply_seconds: median,
        leads_by_temperature: leads,
        appointments,
    }
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use sofia_core::domain::AppointmentId;

    use super::*;

    #[test]
    fn rates_count_what_the_period_holds() {
        let ids: Vec<AppointmentId> = (0..5).map(|_| AppointmentId::new_random()).collect();
        let opened = DateTime::<Utc>::UNIX_EPOCH;
        let facts = PeriodFacts {
            appointments: vec![
                (ids[0], AppointmentStatus::Confirmed),
                (ids[1], AppointmentStatus::Completed),
                (ids[2], AppointmentStatus::NoShow),
                (ids[3], AppointmentStatus::Cancelled),
                (ids[4], AppointmentStatus::Scheduled),
            ],
            // Confirmed, then attended; and a cancelled one confirmed before it was.
            confirmed: vec![ids[1], ids[3]],
            leads: vec![
                (Temperature::Hot, FunnelStage::Scheduled),
                (Temperature::Cold, FunnelStage::Contacted),
                (Temperature::Warm, FunnelStage::Interested),
                (Temperature::Hot, FunnelStage::Converted),
            ],
            conversations: 10,
            handoffs: vec![
                (opened, Some(opened + Duration::minutes(4))),
                (opened, Some(opened + Duration::minutes(10))),
                (opened, None),
            ],
        };
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let metrics = compute(day, day, &facts);

        assert_eq!(metrics.appointments.total, 5);
        assert_eq!(metrics.confirmation_rate, Some(0.5), "2 of the 4 not cancelled");
        assert_eq!(metrics.no_show_rate, Some(0.5));
        assert_eq!(metrics.leads_by_temperature, LeadCounts { cold: 1, warm: 1, hot: 2 });
        assert_eq!(metrics.lead_to_booked_conversion, Some(0.5));
        assert_eq!(metrics.handoff_rate, Some(0.3));
        assert_eq!(metrics.median_first_human_reply_seconds, Some(7 * 60), "unanswered ones left out");
    }

    #[test]
    fn an_empty_period_has_no_rates() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let metrics = compute(day, day, &PeriodFacts::default());
        assert_eq!(
            (
                metrics.confirmation_rate,
                metrics.no_show_rate,
                metrics.handoff_rate,
                metrics.median_first_human_reply_seconds
            ),
            (None, None, None, None)
        );
    }
}
