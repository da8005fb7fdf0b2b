//! `cancel_appointment`: cancels one of the patient's appointments, with a reason, in two steps.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::conversation::{Penalty, PendingAction};
use sofia_core::domain::InteractionKind;
use sofia_core::qualification::LeadFacts;

use super::appointments::{self, change_refused, check_changeable, penalty_sentence};
use super::error::Change;
use super::views::{AppointmentView, moment, professional_name, service_name};
use super::writes::{self, NeedsConfirmation};
use super::{PatientText, Tool, ToolContext, ToolError, lead, parse};
use crate::store::{Appointment, AppointmentChange};

pub struct CancelAppointment;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelAppointmentArgs {
    /// The appointment to cancel, by the id list_appointments gave. A confirming call may leave it out.
    pub appointment_id: Option<String>,
    /// Why the patient is cancelling, in their words. A confirming call may leave it out.
    pub reason: Option<String>,
    /// true only once the patient has explicitly agreed to the summary the previous call returned.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Cancellation {
    NeedsConfirmation(NeedsConfirmation),
    Cancelled {
        appointment: AppointmentView,
        /// What the late cancellation cost, in pt-BR, when it was late.
        late_change: Option<String>,
    },
}

impl PatientText for Cancellation {
    fn patient_text(&self) -> Option<String> {
        match self {
            Cancellation::NeedsConfirmation(pending) => pending.patient_text(),
            Cancellation::Cancelled { appointment, late_change } => {
                let mut text = format!("Pronto, cancelei: {}.", appointment.label);
                if let Some(late) = late_change {
                    text = format!("{text}\n{late}");
                }
                Some(format!("{text}\nSe quiser remarcar, é só me chamar."))
            }
        }
    }
}

#[async_trait]
impl Tool for CancelAppointment {
    const NAME: &'static str = "cancel_appointment";
    const DESCRIPTION: &'static str = "Cancels one of the patient's own upcoming appointments, with the \
        patient's reason. The first call changes nothing: it returns a summary (including any late \
        cancellation fee or package session used) to show the patient. Once the patient explicitly \
        agrees, call again with confirm: true.";
    type Args = CancelAppointmentArgs;
    type Output = Cancellation;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        args: CancelAppointmentArgs,
    ) -> Result<Cancellation, ToolError> {
        let pending = match writes::pending(ctx.state, "cancel") {
            Some(PendingAction::Cancel { appointment, reason, .. }) => {
                Some((appointment.to_string(), reason.clone()))
            }
            _ => None,
        };
        let (appointment, reason) = match (args.appointment_id, args.reason, pending) {
            (Some(appointment), Some(reason), _) => (appointment, reason),
            (appointment, reason, Some((pending_appointment, pending_reason))) if args.confirm => {
                (appointment.unwrap_or(pending_appointment), reason.unwrap_or(pending_reason))
            }
            (None, None, None) if args.confirm => return Err(ToolError::NothingPending { tool: Self::NAME }),
            (None, _, _) => {
                return Err(ToolError::Invalid {
                    field: "appointment_id",
                    problem: "required: the id list_appointments gave".to_owned(),
                });
            }
            (Some(_), None, _) => {
                return Err(ToolError::Invalid {
                    field: "reason",
                    problem: "required: ask the patient why they are cancelling".to_owned(),
                });
            }
        };
        let plan = plan(ctx, &appointment, parse::text("reason", &reason)?).await?;
        if writes::confirmed(ctx, Self::NAME, args.confirm, &plan.action())? {
            cancel(ctx, plan).await
        } else {
            let summary = plan.summary(ctx);
            Ok(Cancellation::NeedsConfirmation(writes::propose(ctx, Self::NAME, plan.action(), summary)))
        }
    }
}

/// A cancellation as it would be made now.
struct Plan {
    appointment: Appointment,
    reason: String,
    penalty: Penalty,
}

impl Plan {
    fn action(&self) -> PendingAction {
        PendingAction::Cancel {
            appointment: self.appointment.id,
            reason: self.reason.clone(),
            penalty: self.penalty,
        }
    }

    fn summary(&self, ctx: &ToolContext<'_>) -> String {
        let clinic = ctx.clinic;
        let mut summary = format!(
            "Cancelar {} de {} com {}.",
            service_name(clinic, self.appointment.service_id),
            moment(clinic, self.appointment.starts_at),
            professional_name(clinic, self.appointment.professional_id),
        );
        if let Some(late) = penalty_sentence(clinic, self.penalty) {
            summary = format!("{summary} {late}");
        }
        summary
    }
}

async fn plan(ctx: &mut ToolContext<'_>, appointment: &str, reason: String) -> Result<Plan, ToolError> {
    let appointment = appointments::own(ctx, appointment).await?;
    let now = ctx.now();
    check_changeable(&appointment, Change::Cancel, now)?;
    let penalty = appointments::penalty(ctx.clinic, &appointment, now);
    Ok(Plan { appointment, reason, penalty })
}

async fn cancel(ctx: &mut ToolContext<'_>, plan: Plan) -> Result<Cancellation, ToolError> {
    let summary = plan.summary(ctx);
    let change = AppointmentChange::Cancel {
        reason: plan.reason.clone(),
        late_fee: match plan.penalty {
            Penalty::Fee(fee) => Some(fee),
            Penalty::Free | Penalty::PackageSession => None,
        },
        consume_package_session: plan.penalty == Penalty::PackageSession,
    };
    // The store re-reads the appointment under lock: of two cancellations racing, the second
    // finds it cancelled and is refused.
    let cancelled = ctx
        .store
        .change_appointment(
            ctx.clinic.id,
            Some(plan.appointment.patient_id),
            plan.appointment.id,
            &change,
            ctx.now(),
        )
        .await
        .map_err(|error| change_refused(error, Change::Cancel, &plan.appointment))?;
    ctx.state.pending = None;
    let data = json!({ "appointment_id": cancelled.id, "reason": plan.reason });
    lead::after_write(ctx, Some(LeadFacts::default()), InteractionKind::Cancelled, &summary, data).await;
    Ok(Cancellation::Cancelled {
        appointment: AppointmentView::new(ctx.clinic, &cancelled),
        late_change: penalty_sentence(ctx.clinic, plan.penalty),
    })
}
