//! `reschedule_appointment`: moves one of the patient's appointments to an offered slot, in
//! two steps.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::conversation::{Penalty, PendingAction, SlotId};
use sofia_core::domain::InteractionKind;
use sofia_core::scheduling::Slot;

use super::appointments::{self, change_refused, check_changeable, penalty_sentence};
use super::error::Change;
use super::views::{AppointmentView, moment, professional_name, service_name};
use super::writes::{self, NeedsConfirmation};
use super::{PatientText, Tool, ToolContext, ToolError, lead, offer, packages};
use crate::store::{Appointment, AppointmentChange, StoreError};

pub struct RescheduleAppointment;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleAppointmentArgs {
    /// The appointment to move, by the id list_appointments gave. A confirming call may leave it out.
    pub appointment_id: Option<String>,
    /// The id of the slot find_slots offered to move it to ("1", "2", …), for the same service.
    /// A confirming call may leave it out.
    #[schemars(with = "Option<String>")]
    pub slot: Option<SlotId>,
    /// true only once the patient has explicitly agreed to the summary the previous call returned.
    #[serde(default)]
    pub confirm: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Rescheduling {
    NeedsConfirmation(NeedsConfirmation),
    Rescheduled {
        appointment: AppointmentView,
        /// What the late change cost, in pt-BR, when it was late.
        late_change: Option<String>,
    },
}

impl PatientText for Rescheduling {
    fn patient_text(&self) -> Option<String> {
        match self {
            Rescheduling::NeedsConfirmation(pending) => pending.patient_text(),
            Rescheduling::Rescheduled { appointment, late_change } => {
                let mut text = format!("Pronto, remarcado! {}.", appointment.label);
                if let Some(late) = late_change {
                    text = format!("{text}\n{late}");
                }
                Some(text)
            }
        }
    }
}

#[async_trait]
impl Tool for RescheduleAppointment {
    const NAME: &'static str = "reschedule_appointment";
    const DESCRIPTION: &'static str = "Moves one of the patient's own upcoming appointments to a slot \
        find_slots offered for the same service. The first call changes nothing: it returns a summary \
        (including any late-change fee or package session used) to show the patient. Once the patient \
        explicitly agrees, call again with confirm: true.";
    type Args = RescheduleAppointmentArgs;
    type Output = Rescheduling;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        args: RescheduleAppointmentArgs,
    ) -> Result<Rescheduling, ToolError> {
        let pending = match writes::pending(ctx.state, "reschedule") {
            Some(PendingAction::Reschedule { appointment, slot, .. }) => {
                Some((appointment.to_string(), *slot))
            }
            _ => None,
        };
        let (appointment, slot) = match (args.appointment_id, args.slot, pending) {
            (Some(appointment), Some(slot), _) => (appointment, slot),
            (appointment, slot, Some((pending_appointment, pending_slot))) if args.confirm => {
                (appointment.unwrap_or(pending_appointment), slot.unwrap_or(pending_slot))
            }
            (None, None, None) if args.confirm => return Err(ToolError::NothingPending { tool: Self::NAME }),
            (None, _, _) => return Err(required("appointment_id", "the id list_appointments gave")),
            (Some(_), None, _) => return Err(required("slot", "the id of a slot find_slots offered")),
        };
        let plan = plan(ctx, &appointment, slot).await?;
        if writes::confirmed(ctx, Self::NAME, args.confirm, &plan.action())? {
            reschedule(ctx, plan).await
        } else {
            let summary = plan.summary(ctx);
            Ok(Rescheduling::NeedsConfirmation(writes::propose(ctx, Self::NAME, plan.action(), summary)))
        }
    }
}

fn required(field: &'static str, what: &str) -> ToolError {
    ToolError::Invalid { field, problem: format!("required: {what}") }
}

/// A move as it would be made now.
struct Plan {
    appointment: Appointment,
    id: SlotId,
    /// Checked free (with the appointment moved out of the way) while planning.
    to: Slot,
    penalty: Penalty,
}

impl Plan {
    fn action(&self) -> PendingAction {
        PendingAction::Reschedule {
            appointment: self.appointment.id,
            slot: self.id,
            professional: self.to.professional,
            start: self.to.start,
            penalty: self.penalty,
        }
    }

    fn summary(&self, ctx: &ToolContext<'_>) -> String {
        let clinic = ctx.clinic;
        let mut summary = format!(
            "Remarcar {} de {} para {} com {}.",
            service_name(clinic, self.appointment.service_id),
            moment(clinic, self.appointment.starts_at),
            moment(clinic, self.to.start),
            professional_name(clinic, self.to.professional),
        );
        if let Some(late) = penalty_sentence(clinic, self.penalty) {
            summary = format!("{summary} {late}");
        }
        summary
    }
}

async fn plan(ctx: &mut ToolContext<'_>, appointment: &str, slot: SlotId) -> Result<Plan, ToolError> {
    let appointment = appointments::own(ctx, appointment).await?;
    let now = ctx.now();
    check_changeable(&appointment, Change::Reschedule, now)?;
    let to = ctx.state.offered(slot).cloned().ok_or_else(|| ToolError::NotOffered {
        slot,
        offered: ctx.state.offered.iter().map(|o| o.id).collect(),
    })?;
    let clinic = ctx.clinic;
    if to.slot.service != appointment.service_id {
        let service = service_name(clinic, appointment.service_id);
        return Err(ToolError::Invalid {
            field: "slot",
            problem: format!(
                "slot {slot} is for {}, but the appointment is for {service}: find slots for {service}",
                service_name(clinic, to.slot.service)
            ),
        });
    }
    if to.slot.start == appointment.starts_at && to.slot.professional == appointment.professional_id {
        return Err(ToolError::Invalid {
            field: "slot",
            problem: "the appointment is already at that time".to_owned(),
        });
    }
    let penalty = appointments::penalty(clinic, &appointment, now);
    if let Some(package) = appointment.patient_package_id {
        let date = to.slot.start.with_timezone(&clinic.timezone).date_naive();
        let patient = ctx.patient().await?.ok_or_else(|| ToolError::NotFound(appointment.id.to_string()))?;
        let balances = packages::balances(ctx, &patient).await?;
        let Some(balance) = balances.iter().find(|b| b.package.id == package && b.valid_on(date)) else {
            let service = service_name(clinic, appointment.service_id).to_owned();
            return Err(ToolError::NoPackageSession { service });
        };
        // A late move uses this session up, so the moved appointment needs another one.
        if penalty == Penalty::PackageSession && balance.available() == 0 {
            return Err(ToolError::NoSpareSession { hours: clinic.policies.free_cancellation_hours });
        }
    }
    let checked =
        offer::recheck(ctx, to.slot.service, to.slot.professional, to.slot.start, Some(appointment.id))
            .await?;
    Ok(Plan { appointment, id: slot, to: checked, penalty })
}

async fn reschedule(ctx: &mut ToolContext<'_>, plan: Plan) -> Result<Rescheduling, ToolError> {
    let summary = plan.summary(ctx);
    let Plan { appointment, to: slot, penalty, .. } = plan;
    let change = AppointmentChange::Reschedule {
        professional_id: slot.professional,
        starts_at: slot.start,
        ends_at: slot.end,
        late_fee: match penalty {
            Penalty::Fee(fee) => Some(fee),
            Penalty::Free | Penalty::PackageSession => None,
        },
        consume_package_session: penalty == Penalty::PackageSession,
    };
    // Planning checked the time free; the store checks again atomically with the move.
    let moved = ctx
        .store
        .change_appointment(ctx.clinic.id, Some(appointment.patient_id), appointment.id, &change, ctx.now())
        .await;
    let moved = match moved {
        Ok(moved) => moved,
        Err(StoreError::SlotTaken) => return Err(offer::taken(ctx, slot.service, slot.start).await),
        Err(StoreError::PackageExhausted) => {
            return Err(ToolError::NoSpareSession { hours: ctx.clinic.policies.free_cancellation_hours });
        }
        Err(error) => return Err(change_refused(error, Change::Reschedule, &appointment)),
    };
    ctx.state.pending = None;
    ctx.state.offered.clear();
    let data = json!({ "appointment_id": moved.id, "from": appointment.starts_at });
    lead::after_write(ctx, None, InteractionKind::Rescheduled, &summary, data).await;
    Ok(Rescheduling::Rescheduled {
        appointment: AppointmentView::new(ctx.clinic, &moved),
        late_change: penalty_sentence(ctx.clinic, penalty),
    })
}
