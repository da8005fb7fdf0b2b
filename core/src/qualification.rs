//! Lead qualification: what a patient told us, plus where they stand with the clinic, becomes a
//! score from 0 to 100, a temperature and a funnel stage. Computed here, never by a model, and
//! explainable: every point added or taken comes with a reason a clinic's staff can read.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{FunnelStage, Temperature};
use crate::scheduling::Period;

/// What the patient said about what they want. Every fact is optional: a conversation fills
/// them in over time, and [`LeadFacts::merge`] lets a later fact replace an earlier one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LeadFacts {
    /// The service they asked about: the clinic's name for it when it is one of its services.
    pub interest: Option<String>,
    pub desired_period: Option<Period>,
    pub desired_date: Option<NaiveDate>,
    pub urgency: Option<Urgency>,
    pub budget: Option<BudgetSignal>,
    pub visit: Option<Visit>,
    pub source: Option<LeadSource>,
    /// They said they are no longer interested.
    pub declined: Option<bool>,
}

impl LeadFacts {
    /// Takes every fact `newer` knows, keeping the ones it leaves out.
    pub fn merge(&mut self, newer: LeadFacts) {
        fn take<T>(slot: &mut Option<T>, newer: Option<T>) {
            if newer.is_some() {
                *slot = newer;
            }
        }
        take(&mut self.interest, newer.interest);
        take(&mut self.desired_period, newer.desired_period);
        take(&mut self.desired_date, newer.desired_date);
        take(&mut self.urgency, newer.urgency);
        take(&mut self.budget, newer.budget);
        take(&mut self.visit, newer.visit);
        take(&mut self.source, newer.source);
        take(&mut self.declined, newer.declined);
    }
}

/// How soon they want to come. Ordered from least to most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Urgency {
    /// Only gathering information.
    Browsing,
    Later,
    ThisMonth,
    ThisWeek,
}

/// What they said about price. Ordered from least to most ready to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum BudgetSignal {
    TooExpensive,
    AskedPrice,
    AskedInstallments,
    AcceptsPrice,
}

/// Whether they have been to the clinic before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Visit {
    First,
    Returning,
}

/// How they found the clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum LeadSource {
    Referral,
    Instagram,
    Google,
    Ads,
    Other,
}

impl LeadSource {
    /// The `leads.source` column's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            LeadSource::Referral => "referral",
            LeadSource::Instagram => "instagram",
            LeadSource::Google => "google",
            LeadSource::Ads => "ads",
            LeadSource::Other => "other",
        }
    }
}

/// Where the lead stands with the clinic, as the store knows it (not what they said).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeadProgress {
    /// The lead has talked to the clinic.
    pub contacted: bool,
    /// They have a live appointment ahead.
    pub booked: bool,
    /// They have attended an appointment.
    pub attended: bool,
    pub opted_out: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qualification {
    /// 0 to 100.
    pub score: u8,
    pub temperature: Temperature,
    pub stage: FunnelStage,
    /// One line per fact that moved the score, with its points: "+20 interested in Botox".
    pub reasons: Vec<String>,
}

/// A score from this up is hot.
pub const HOT_FROM: u8 = 60;
/// A score from this up (and below [`HOT_FROM`]) is warm.
pub const WARM_FROM: u8 = 30;

/// Qualifies a lead. The score sums the points of each fact, clamped to 0–100, so adding a
/// fact that shows more intent never lowers it.
pub fn qualify(facts: &LeadFacts, progress: LeadProgress) -> Qualification {
    let mut points: Vec<(i32, String)> = Vec::new();
    if let Some(interest) = &facts.interest {
        points.push((20, format!("interested in {interest}")));
    }
    match (facts.desired_date, facts.desired_period) {
        (Some(date), Some(period)) => points.push((10, format!("wants {date}, {}", period.label()))),
        (Some(date), None) => points.push((10, format!("wants {date}"))),
        (None, Some(period)) => points.push((10, format!("prefers the {} period", period.label()))),
        (None, None) => {}
    }
    match facts.urgency {
        Some(Urgency::ThisWeek) => points.push((15, "wants to come this week".to_owned())),
        Some(Urgency::ThisMonth) => points.push((10, "wants to come this month".to_owned())),
        Some(Urgency::Later) => points.push((3, "plans to come later".to_owned())),
        Some(Urgency::Browsing) | None => {}
    }
    match facts.budget {
        Some(BudgetSignal::AcceptsPrice) => points.push((15, "accepts the price".to_owned())),
        Some(BudgetSignal::AskedInstallments) => {
            points.push((10, "asked about paying in instalments".to_owned()))
        }
        Some(BudgetSignal::AskedPrice) => points.push((5, "asked the price".to_owned())),
        Some(BudgetSignal::TooExpensive) => points.push((-10, "finds it too expensive".to_owned())),
        None => {}
    }
    match facts.visit {
        Some(Visit::Returning) => points.push((10, "has been a patient before".to_owned())),
        Some(Visit::First) => points.push((5, "first visit".to_owned())),
        None => {}
    }
    if facts.source == Some(LeadSource::Referral) {
        points.push((10, "referred by someone".to_owned()));
    }
    if progress.booked {
        points.push((50, "has an appointment booked".to_owned()));
    }
    if progress.attended {
        points.push((30, "has attended an appointment".to_owned()));
    }
    let declined = facts.declined == Some(true);
    if declined {
        points.push((-50, "said they are no longer interested".to_owned()));
    }
    if progress.opted_out {
        points.push((-100, "opted out of messages".to_owned()));
    }

    let total: i32 = points.iter().map(|(p, _)| p).sum();
    let score = u8::try_from(total.clamp(0, 100)).unwrap_or(0);
    let temperature = match score {
        s if s >= HOT_FROM => Temperature::Hot,
        s if s >= WARM_FROM => Temperature::Warm,
        _ => Temperature::Cold,
    };
    let shows_interest = facts.interest.is_some()
        || facts.desired_date.is_some()
        || facts.desired_period.is_some()
        || facts.urgency.is_some_and(|u| u > Urgency::Browsing)
        || facts.budget.is_some_and(|b| b > BudgetSignal::TooExpensive);
    // Attending and booking are facts of the store and outrank anything said; saying no (or
    // opting out) outranks mere interest.
    let stage = if progress.attended {
        FunnelStage::Converted
    } else if progress.booked {
        FunnelStage::Scheduled
    } else if declined || progress.opted_out {
        FunnelStage::Lost
    } else if shows_interest {
        FunnelStage::Interested
    } else if progress.contacted {
        FunnelStage::Contacted
    } else {
        FunnelStage::New
    };
    let reasons = points.into_iter().map(|(p, why)| format!("{p:+} {why}")).collect();
    Qualification { score, temperature, stage, reasons }
}

#[cfg(test)]
mod tests;
