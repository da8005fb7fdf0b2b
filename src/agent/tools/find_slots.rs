//! `find_slots`: free slots for a service, which become the conversation's offer.

use async_trait::async_trait;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sofia_core::clinic::Clinic;
use sofia_core::scheduling::{Period, SlotQuery};

use super::offer::{self, DEFAULT_OFFER, MAX_OFFER};
use super::views::{SlotView, numbered};
use super::{PatientText, Tool, ToolContext, ToolError, parse};

pub struct FindSlots;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindSlotsArgs {
    /// The service as the patient names it: "botox", "limpeza de pele", "preenchimento".
    pub service: String,
    /// Only this professional, as the patient names them: "Dra. Ana", "Dr. Ricardo".
    pub professional: Option<String>,
    /// The day to search (YYYY-MM-DD, the clinic's date); with `date_to`, the first day.
    /// Default: from today.
    pub date: Option<String>,
    /// The last day to search (YYYY-MM-DD), inclusive. Default: `date` alone when it is given,
    /// otherwise as far as the clinic books.
    pub date_to: Option<String>,
    /// Part of the day: manha (before 12:00), tarde (12:00–17:59), noite (from 18:00).
    pub period: Option<Period>,
    /// Only slots starting at or after this local time (HH:MM) on the first day searched, for
    /// "depois das 15h" or to look around "às 15h".
    pub not_before: Option<String>,
    /// How many slots to offer, earliest first. Default 3.
    #[schemars(range(min = 1, max = 10))]
    pub limit: Option<u8>,
}

/// The slots now on offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotsFound {
    pub service: String,
    /// "R$ 800,00", or "gratuito".
    pub price: String,
    pub duration_minutes: u32,
    /// Book or reschedule with their `id`. Replaces any earlier offer.
    pub slots: Vec<SlotView>,
}

impl PatientText for SlotsFound {
    fn patient_text(&self) -> Option<String> {
        Some(if self.slots.is_empty() {
            format!(
                "Não encontrei horários livres para {} com esses critérios. Quer que eu procure em outra data ou período?",
                self.service
            )
        } else {
            format!(
                "Tenho estes horários para {}:\n{}\nQual fica melhor para você?",
                self.service,
                numbered(&self.slots)
            )
        })
    }
}

#[async_trait]
impl Tool for FindSlots {
    const NAME: &'static str = "find_slots";
    const DESCRIPTION: &'static str = "Finds free slots for a service (optionally with one professional, on a \
        day or between two days, in a period of the day) and offers them to the patient with short ids \
        (\"1\", \"2\", …). Only slots offered this way can be booked or used to reschedule; a new search \
        replaces the previous offer.";
    type Args = FindSlotsArgs;
    type Output = SlotsFound;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: FindSlotsArgs) -> Result<SlotsFound, ToolError> {
        let clinic = ctx.clinic;
        let service = parse::service(clinic, &args.service)?;
        let mut query = SlotQuery::new(service.id).limit(limit(args.limit)?);
        if let Some(given) = &args.professional {
            let professional = parse::professional(clinic, given)?;
            if !professional.service_ids.contains(&service.id) {
                let performers: Vec<&str> =
                    clinic.professionals_for(service.id).map(|p| p.name.as_str()).collect();
                return Err(ToolError::Invalid {
                    field: "professional",
                    problem: format!(
                        "{} does not perform {}; it is performed by {}",
                        professional.name,
                        service.name,
                        performers.join(", ")
                    ),
                });
            }
            query = query.with_professional(professional.id);
        }
        let today = ctx.now().with_timezone(&clinic.timezone).date_naive();
        let last_bookable = today + Days::new(u64::from(clinic.booking.horizon_days));
        let from = args.date.as_deref().map(|d| day("date", d, today, last_bookable)).transpose()?;
        let to = args.date_to.as_deref().map(|d| day("date_to", d, today, last_bookable)).transpose()?;
        query = match (from, to) {
            (Some(from), Some(to)) if to < from => {
                return Err(ToolError::Invalid {
                    field: "date_to",
                    problem: format!("{to} is before date {from}"),
                });
            }
            (Some(from), Some(to)) => query.between(from, to),
            (Some(from), None) => query.on(from),
            (None, Some(to)) => query.between(today, to),
            (None, None) => query,
        };
        if let Some(period) = args.period {
            query = query.in_period(period);
        }
        if let Some(given) = &args.not_before {
            query = query.not_before(first_day_at(clinic, from.unwrap_or(today), given)?);
        }

        let slots = offer::offer(ctx, &query).await?;
        ctx.state.facts.interest.get_or_insert_with(|| service.name.clone());
        Ok(SlotsFound {
            service: service.name.clone(),
            price: if service.price.is_free() { "gratuito".to_owned() } else { service.price.to_string() },
            duration_minutes: service.duration_minutes,
            slots,
        })
    }
}

fn limit(given: Option<u8>) -> Result<usize, ToolError> {
    match given.map(usize::from) {
        None => Ok(DEFAULT_OFFER),
        Some(n) if (1..=MAX_OFFER).contains(&n) => Ok(n),
        Some(n) => {
            Err(ToolError::Invalid { field: "limit", problem: format!("{n} is not from 1 to {MAX_OFFER}") })
        }
    }
}

/// `time` (HH:MM) on `day` in the clinic's zone, as an instant. A time skipped by a clock
/// change is read an hour later, after the jump.
fn first_day_at(clinic: &Clinic, day: NaiveDate, time: &str) -> Result<DateTime<Utc>, ToolError> {
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| ToolError::Invalid {
        field: "not_before",
        problem: format!("'{time}' is not a time in HH:MM form"),
    })?;
    let local = day.and_time(time);
    let zone = clinic.timezone;
    let instant = zone
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + TimeDelta::hours(1))).earliest())
        .ok_or_else(|| ToolError::Invalid {
            field: "not_before",
            problem: format!("{local} does not exist in {zone}"),
        })?;
    Ok(instant.with_timezone(&Utc))
}

/// A day the clinic could book: not past, not beyond its horizon.
pub(super) fn day(
    field: &'static str,
    given: &str,
    today: NaiveDate,
    last: NaiveDate,
) -> Result<NaiveDate, ToolError> {
    let date = parse::date(field, given)?;
    if date < today {
        return Err(ToolError::Invalid {
            field,
            problem: format!("{date} is in the past (today is {today})"),
        });
    }
    if date > last {
        return Err(ToolError::Invalid {
            field,
            problem: format!("the clinic books at most until {last}, and {date} is later"),
        });
    }
    Ok(date)
}
