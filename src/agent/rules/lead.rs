//! The qualification facts a turn states, recorded with `update_lead` when they are news.

use serde_json::{Map, Value, json};
use sofia_core::lang::DateSpec;

use super::reading::Reading;
use super::session::{Session, tool};

/// Records what the patient said about what they want (interest, day, period, budget,
/// urgency, first visit, source, name) when it differs from what the conversation knows.
/// A failure is logged, not told: the patient asked for nothing here.
pub(super) async fn record(s: &mut Session<'_, '_>, reading: &Reading) {
    let known = s.state().facts.clone();
    let mut args = Map::new();
    // About an existing appointment, "consulta" names it, not an interest in the Avaliação.
    if !reading.about_existing() {
        let interest =
            reading.service.and_then(|id| s.clinic().service(id)).map(|service| service.name.clone());
        if let Some(interest) = interest.filter(|interest| known.interest.as_ref() != Some(interest)) {
            args.insert("interest".into(), json!(interest));
        }
        if let Some(DateSpec::Day(day)) = reading.when.date
            && day >= s.today()
            && known.desired_date != Some(day)
        {
            args.insert("desired_date".into(), json!(day.to_string()));
        }
        if let Some(period) = reading.when.period.filter(|period| known.desired_period != Some(*period)) {
            args.insert("desired_period".into(), json!(period));
        }
    }
    let signals = &reading.signals;
    if signals.budget.is_some() && signals.budget != known.budget {
        args.insert("budget".into(), json!(signals.budget));
    }
    if signals.urgency.is_some() && signals.urgency != known.urgency {
        args.insert("urgency".into(), json!(signals.urgency));
    }
    if signals.visit.is_some() && signals.visit != known.visit {
        args.insert("visit".into(), json!(signals.visit));
    }
    if signals.source.is_some() && signals.source != known.source {
        args.insert("source".into(), json!(signals.source));
    }
    if signals.declined.is_some() && signals.declined != known.declined {
        args.insert("declined".into(), json!(signals.declined));
    }
    if let Some(name) = reading.name.as_ref().filter(|name| s.state().patient_name.as_ref() != Some(*name)) {
        args.insert("name".into(), json!(name));
    }
    if args.is_empty() {
        return;
    }
    if let Err(error) = s.call(tool::UPDATE_LEAD, Value::Object(args)).await {
        tracing::warn!(error = &error as &dyn std::error::Error, "could not record the lead's facts");
    }
}
