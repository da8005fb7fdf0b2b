//! `join_waitlist`: when no slot fits, puts the patient in line for one, in two steps. A slot
//! that frees up later (a cancellation, a move, a no-show) is offered to the patients in line
//! who fit it, in order of arrival (`crate::scheduler`).

use async_trait::async_trait;
use chrono::{Days, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sofia_core::clinic::Clinic;
use sofia_core::conversation::PendingAction;
use sofia_core::lang::format_date;
use sofia_core::scheduling::Period;

use super::find_slots::day;
use super::views::{professional_name, service_name};
use super::writes::{self, NeedsConfirmation};
use super::{PatientText, Tool, ToolContext, ToolError, parse};
use crate::store::NewWaitlistEntry;

pub struct JoinWaitlist;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinWaitlistArgs {
    /// The service as the patient names it. A confirming call may leave it out.
    pub service: Option<String>,
    /// Only this professional, as the patient names them.
    pub professional: Option<String>,
    /// The first day that would do (YYYY-MM-DD). Default: today.
    pub date: Option<String>,
    /// The last day that would do (YYYY-MM-DD), inclusive: the entry ends after it. Default:
    /// `date` alone when it is given, otherwise as far as the clinic books.
    pub date_to: Option<String>,
    /// Part of the day: manha, tarde, noite.
    pub period: Option<Period>,
    /// true only once the patient has explicitly agreed to the summary the previous call returned.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Waitlisted {
    NeedsConfirmation(NeedsConfirmation),
    Joined {
        /// pt-BR; what the patient waits for and what happens next.
        waitlist: String,
    },
}

impl PatientText for Waitlisted {
    fn patient_text(&self) -> Option<String> {
        match self {
            Waitlisted::NeedsConfirmation(pending) => pending.patient_text(),
            Waitlisted::Joined { waitlist } => Some(waitlist.clone()),
        }
    }
}

#[async_trait]
impl Tool for JoinWaitlist {
    const NAME: &'static str = "join_waitlist";
    const DESCRIPTION: &'static str = "Puts the patient on the waitlist for a service (optionally with one \
        professional, between two days, in a period of the day) when find_slots found nothing that fits. \
        When a slot frees up, Sofia offers it to the patients waiting, in order of arrival. The first call \
        records nothing: it returns a summary to show the patient. Once the patient explicitly agrees, call \
        again with confirm: true.";
    type Args = JoinWaitlistArgs;
    type Output = Waitlisted;

    async fn run(&self, ctx: &mut ToolContext<'_>, args: JoinWaitlistArgs) -> Result<Waitlisted, ToolError> {
        let planned = match (&args.service, writes::pending(ctx.state, "waitlist")) {
            (None, Some(pending)) if args.confirm => pending.clone(),
            (None, _) if args.confirm => return Err(ToolError::NothingPending { tool: Self::NAME }),
            (None, _) => {
                return Err(ToolError::Invalid {
                    field: "service",
                    problem: "required: the service the patient wants".to_owned(),
                });
            }
            (Some(_), _) => plan(ctx, &args)?,
        };
        if writes::confirmed(ctx, Self::NAME, args.confirm, &planned)? {
            join(ctx, &planned).await
        } else {
            let summary = format!("{}.", describe(ctx.clinic, &planned));
            let summary = format!(
                "Lista de espera: {summary} Se abrir uma vaga assim, eu te aviso por aqui e seguro o horário \
                 por {} minutos para você.",
                ctx.clinic.waitlist.hold_minutes
            );
            Ok(Waitlisted::NeedsConfirmation(writes::propose(ctx, Self::NAME, planned, summary)))
        }
    }
}

/// The entry as the arguments ask for it.
fn plan(ctx: &ToolContext<'_>, args: &JoinWaitlistArgs) -> Result<PendingAction, ToolError> {
    let clinic = ctx.clinic;
    let service = parse::service(clinic, args.service.as_deref().unwrap_or_default())?;
    let professional = match &args.professional {
        Some(given) => {
            let professional = parse::professional(clinic, given)?;
            if !professional.service_ids.contains(&service.id) {
                return Err(ToolError::Invalid {
                    field: "professional",
                    problem: format!("{} does not perform {}", professional.name, service.name),
                });
            }
            Some(professional.id)
        }
        None => None,
    };
    let today = ctx.now().with_timezone(&clinic.timezone).date_naive();
    let last = today + Days::new(u64::from(clinic.booking.horizon_days));
    let from = args.date.as_deref().map(|d| day("date", d, today, last)).transpose()?;
    let to = args.date_to.as_deref().map(|d| day("date_to", d, today, last)).transpose()?;
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) if to < from => {
            return Err(ToolError::Invalid {
                field: "date_to",
                problem: format!("{to} is before date {from}"),
            });
        }
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from),
        (None, Some(to)) => (today, to),
        (None, None) => (today, last),
    };
    Ok(PendingAction::JoinWaitlist { service: service.id, professional, from, to, period: args.period })
}

async fn join(ctx: &mut ToolContext<'_>, planned: &PendingAction) -> Result<Waitlisted, ToolError> {
    let PendingAction::JoinWaitlist { service, professional, from, to, period } = *planned else {
        return Err(ToolError::NothingPending { tool: JoinWaitlist::NAME });
    };
    let patient = ctx.register_patient().await?;
    let new = NewWaitlistEntry {
        clinic: ctx.clinic.id,
        patient: patient.id,
        service,
        professional,
        from,
        to,
        period,
    };
    ctx.store.join_waitlist(&new, ctx.now()).await?;
    ctx.state.pending = None;
    tracing::info!(%service, "a patient joined the waitlist");
    Ok(Waitlisted::Joined {
        waitlist: format!(
            "Pronto, você está na lista de espera: {}. Se abrir uma vaga, eu te aviso por aqui. 😊",
            describe(ctx.clinic, planned)
        ),
    })
}

/// "Botox com Dra. Ana Paula Souza, quarta-feira, 04/03, de manhã".
fn describe(clinic: &Clinic, planned: &PendingAction) -> String {
    let PendingAction::JoinWaitlist { service, professional, from, to, period } = *planned else {
        return String::new();
    };
    let mut text = service_name(clinic, service).to_owned();
    if let Some(professional) = professional {
        text.push_str(&format!(" com {}", professional_name(clinic, professional)));
    }
    text.push_str(&format!(", {}", days(from, to)));
    if let Some(period) = period {
        text.push_str(&format!(", {}", period_words(period)));
    }
    text
}

fn days(from: NaiveDate, to: NaiveDate) -> String {
    if from == to { format_date(from) } else { format!("de {} a {}", format_date(from), format_date(to)) }
}

fn period_words(period: Period) -> &'static str {
    match period {
        Period::Manha => "de manhã",
        Period::Tarde => "à tarde",
        Period::Noite => "à noite",
    }
}
