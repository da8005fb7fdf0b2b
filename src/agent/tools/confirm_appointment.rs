//! `confirm_appointment`: the patient says they will come.
//!
//! One step, unlike the other writes: it moves no time and costs nothing, it only records
//! attendance, and the patient's "confirmo" is itself the explicit confirmation.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sofia_core::domain::InteractionKind;

use super::appointments::{self, change_refused, check_changeable};
use super::error::Change;
use super::views::AppointmentView;
use super::{PatientText, Tool, ToolContext, ToolError, lead};
use crate::store::AppointmentChange;

pub struct ConfirmAppointment;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmAppointmentArgs {
    /// The appointment the patient confirms they will attend, by the id list_appointments gave.
    pub appointment_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confirmed {
    pub appointment: AppointmentView,
}

impl PatientText for Confirmed {
    fn patient_text(&self) -> Option<String> {
        Some(format!("Presença confirmada: {}. Até lá!", self.appointment.label))
    }
}

#[async_trait]
impl Tool for ConfirmAppointment {
    const NAME: &'static str = "confirm_appointment";
    const DESCRIPTION: &'static str = "Marks one of the patient's own upcoming appointments as confirmed \
        (the patient said they will attend). Takes effect at once.";
    type Args = ConfirmAppointmentArgs;
    type Output = Confirmed;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        args: ConfirmAppointmentArgs,
    ) -> Result<Confirmed, ToolError> {
        let appointment = appointments::own(ctx, &args.appointment_id).await?;
        check_changeable(&appointment, Change::Confirm, ctx.now())?;
        let confirmed = ctx
            .store
            .change_appointment(
                ctx.clinic.id,
                Some(appointment.patient_id),
                appointment.id,
                &AppointmentChange::Confirm,
                ctx.now(),
            )
            .await
            .map_err(|error| change_refused(error, Change::Confirm, &appointment))?;
        let view = AppointmentView::new(ctx.clinic, &confirmed);
        let data = json!({ "appointment_id": confirmed.id });
        lead::after_write(ctx, None, InteractionKind::Confirmed, &view.label, data).await;
        Ok(Confirmed { appointment: view })
    }
}
