//! `update_lead`: records what the patient said about what they want; the lead is qualified
//! by code from it.

use async_trait::async_trait;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sofia_core::domain::{FunnelStage, Temperature};
use sofia_core::qualification::{BudgetSignal, LeadFacts, LeadSource, Urgency, Visit};
use sofia_core::scheduling::Period;

use super::{PatientText, Tool, ToolContext, ToolError, lead, parse};

pub struct UpdateLead;

/// Only what the patient actually said; every field is optional and replaces what was known.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLeadArgs {
    /// The service they are interested in, as they name it.
    pub interest: Option<String>,
    /// A day they would like to come (YYYY-MM-DD).
    pub desired_date: Option<String>,
    pub desired_period: Option<Period>,
    pub urgency: Option<Urgency>,
    pub budget: Option<BudgetSignal>,
    /// Whether this would be their first visit to the clinic.
    pub visit: Option<Visit>,
    /// How they found the clinic.
    pub source: Option<LeadSource>,
    /// true when they said they are no longer interested.
    pub declined: Option<bool>,
    /// Their name, when they tell it.
    pub name: Option<String>,
}

/// The lead as the clinic's funnel now sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeadUpdated {
    pub score: u8,
    pub temperature: Temperature,
    pub stage: FunnelStage,
    /// Why the score is what it is, one line per fact.
    pub reasons: Vec<String>,
    pub facts: LeadFacts,
}

impl PatientText for LeadUpdated {
    /// The CRM's view of a patient is not for the patient.
    fn patient_text(&self) -> Option<String> {
        None
    }
}

#[async_trait]
impl Tool for UpdateLead {
    const NAME: &'static str = "update_lead";
    const DESCRIPTION: &'static str = "Records qualification facts the patient stated (interest, preferred \
        day or period, urgency, budget signal, first visit or returning, how they found the clinic, name). \
        The score, temperature and funnel stage are computed from them; nothing is shown to the patient.";
    type Args = UpdateLeadArgs;
    type Output = LeadUpdated;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: UpdateLeadArgs) -> Result<LeadUpdated, ToolError> {
        let clinic = ctx.clinic;
        let today = ctx.now().with_timezone(&clinic.timezone).date_naive();
        let interest = args.interest.as_deref().map(|given| match parse::service(clinic, given) {
            Ok(service) => Ok(service.name.clone()),
            // Interest in something the clinic does not do is still worth knowing.
            Err(_) => parse::text("interest", given),
        });
        let newer = LeadFacts {
            interest: interest.transpose()?,
            desired_period: args.desired_period,
            desired_date: args.desired_date.as_deref().map(|given| future_date(given, today)).transpose()?,
            urgency: args.urgency,
            budget: args.budget,
            visit: args.visit,
            source: args.source,
            declined: args.declined,
        };
        if let Some(name) = args.name.as_deref() {
            ctx.state.patient_name = Some(parse::text("name", name)?);
        }
        let (_, qualification) = lead::refresh(ctx, newer).await?;
        Ok(LeadUpdated {
            score: qualification.score,
            temperature: qualification.temperature,
            stage: qualification.stage,
            reasons: qualification.reasons,
            facts: ctx.state.facts.clone(),
        })
    }
}

fn future_date(given: &str, today: NaiveDate) -> Result<NaiveDate, ToolError> {
    let date = parse::date("desired_date", given)?;
    if date < today {
        return Err(ToolError::Invalid {
            field: "desired_date",
            problem: format!("{date} is in the past (today is {today})"),
        });
    }
    Ok(date)
}
