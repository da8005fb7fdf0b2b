//! `list_appointments`: the patient's upcoming appointments.

use async_trait::async_trait;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::views::AppointmentView;
use super::{PatientText, Tool, ToolContext, ToolError};

pub struct ListAppointments;

/// No arguments: the patient is the one this conversation is with.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListAppointmentsArgs {}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpcomingAppointments {
    /// Scheduled or confirmed, earliest first.
    pub appointments: Vec<AppointmentView>,
    /// How many appointments the patient missed (marked `no_show`): for the clinic's records
    /// and traces, not something to bring up with the patient.
    pub no_shows: u32,
}

impl PatientText for UpcomingAppointments {
    fn patient_text(&self) -> Option<String> {
        Some(match self.appointments.as_slice() {
            [] => "Não encontrei agendamentos futuros no seu cadastro.".to_owned(),
            [only] => format!("Você tem este agendamento:\n{}", only.line()),
            many => format!(
                "Você tem estes agendamentos:\n{}",
                many.iter().map(AppointmentView::line).collect::<Vec<_>>().join("\n")
            ),
        })
    }
}

#[async_trait]
impl Tool for ListAppointments {
    const NAME: &'static str = "list_appointments";
    const DESCRIPTION: &'static str = "Lists the patient's upcoming (scheduled or confirmed) appointments, \
        with the ids to confirm, reschedule or cancel them.";
    type Args = ListAppointmentsArgs;
    type Output = UpcomingAppointments;

    async fn run(
        &self,
        ctx: &mut ToolContext<'_>,
        _args: ListAppointmentsArgs,
    ) -> Result<UpcomingAppointments, ToolError> {
        let Some(patient) = ctx.patient().await? else {
            return Ok(UpcomingAppointments { appointments: Vec::new(), no_shows: 0 });
        };
        let appointments = ctx.store.patient_appointments(ctx.clinic.id, patient.id, ctx.now()).await?;
        let no_shows = ctx.store.no_show_count(ctx.clinic.id, patient.id).await?;
        Ok(UpcomingAppointments {
            no_shows,
            appointments: appointments
                .iter()
                .filter(|appointment| appointment.status.is_active())
                .map(|appointment| AppointmentView::new(ctx.clinic, appointment))
                .collect(),
        })
    }
}
